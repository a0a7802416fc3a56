//! One content page, rendered: its HTML (and a report's JSON and CSV), its body, and the
//! findings a build reports on it (broken and root-relative links, template errors).

use std::path::Path;

use super::OutFile;
use crate::diagnostic::Diagnostic;
use crate::markdown::{LinkTarget, Rendered};
use crate::model::Site;
use crate::render::{self, Theme};
use crate::t;

/// One content page, rendered.
#[derive(Debug)]
pub struct PageOutput {
    /// Files to write: the HTML page, and for a report with tables its JSON and CSV.
    pub files: Vec<(String, OutFile)>,
    /// The rendered body (links, headings and text included); `html` is empty, since the
    /// page's HTML went into its file.
    pub body: Rendered,
    /// Broken-link warnings and template errors.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders content page `i` of `site`.
pub fn render_page(site: &Site, theme: &Theme, i: usize) -> PageOutput {
    render_page_inspecting(site, theme, i, |_| {})
}

/// Renders content page `i` of `site`, showing `inspect` its body (HTML included) before the
/// HTML goes into the page.
pub fn render_page_inspecting(
    site: &Site,
    theme: &Theme,
    i: usize,
    inspect: impl FnOnce(&Rendered),
) -> PageOutput {
    render_page_from(site, theme, i, None, inspect)
}

/// Renders content page `i` of `site` from `markdown`, its body taken out of the site (`None`:
/// the body the site holds), showing `inspect` its body (HTML included) before the HTML goes into
/// the page.
pub(super) fn render_page_from(
    site: &Site,
    theme: &Theme,
    i: usize,
    markdown: Option<&str>,
    inspect: impl FnOnce(&Rendered),
) -> PageOutput {
    let p = &site.pages[i];
    let mut body = render_body(site, i, markdown.unwrap_or(&p.source.body));
    inspect(&body);
    let mut diagnostics = link_warnings(p.source.file.as_path(), &body);
    diagnostics.extend(root_relative_warnings(site, i, &body));
    diagnostics.append(&mut body.diagnostics);
    let mut files = Vec::with_capacity(1);
    // The HTML moves into the page context rather than being copied: no caller needs it in
    // `body` afterwards (they all empty it), and a page-sized copy per page adds up.
    let mut html = std::mem::take(&mut body.html);
    if let Some(r) = &p.report {
        html = crate::report::place_tables(&html, r);
        files.push((
            format!("{}tables.json", p.url),
            OutFile::Data(crate::report::to_json(r).into_bytes()),
        ));
        files.push((
            format!("{}tables.csv", p.url),
            OutFile::Data(crate::report::to_csv(r).into_bytes()),
        ));
    }
    let ctx = render::page_context(site, i, &body, html);
    match theme.render(render::template_of(p.kind), &ctx, Some(&p.source.file)) {
        Ok(out) => files.insert(0, (format!("{}index.html", p.url), OutFile::Html(out))),
        Err(d) => diagnostics.push(d),
    }
    PageOutput {
        files,
        body,
        diagnostics,
    }
}

/// The body of content page `i` rendered from `markdown` (its Markdown, whether the site holds
/// it or it was read again from its file): [`Site::render_body`] from the given text.
pub fn render_body(site: &Site, i: usize, markdown: &str) -> Rendered {
    let src = &site.pages[i].source;
    let policy = crate::sanitize::Policy::for_site(&site.config);
    let mut body =
        crate::markdown::render_with(markdown, src.body_first_line, &src.rel, site, &policy);
    for d in &mut body.diagnostics {
        d.file = Some(src.file.clone());
    }
    body
}

/// Links written from the content root where a relative path was meant: they work (the target
/// exists), and the warning shows the relative form that works in every editor's preview too.
pub fn root_relative_warnings(site: &Site, i: usize, body: &Rendered) -> Vec<Diagnostic> {
    let src = &site.pages[i].source;
    body.links
        .iter()
        .filter_map(|l| {
            let rel = site.root_relative(&src.rel, &l.dest)?;
            Some(
                Diagnostic::warning(
                    "link/root-relative",
                    t!("link.root-relative", dest = l.dest.trim()),
                )
                .file(&src.file)
                .line(l.line)
                .expected(t!("link.root-relative.expected", rel))
                .found(l.dest.clone())
                .hint(t!("link.root-relative.hint", rel)),
            )
        })
        .collect()
}

/// Broken links are warnings in `build` (errors in `check`).
pub fn link_warnings(file: &Path, body: &Rendered) -> Vec<Diagnostic> {
    body.links
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Broken(why) => Some(broken_link_warning(file, l.line, &l.dest, why)),
            _ => None,
        })
        .collect()
}

/// The warning of [`link_warnings`] for one link `dest` on `line` that resolves to nothing, and
/// `why`.
pub fn broken_link_warning(file: &Path, line: usize, dest: &str, why: &str) -> Diagnostic {
    Diagnostic::warning("link/broken", t!("link.broken-build", why))
        .file(file)
        .line(line)
        .found(dest.to_string())
        .hint(t!("link.broken-build.hint"))
}
