//! Rules on the links written in Markdown and `related:`: links that resolve to nothing (errors
//! here, warnings in `build`), anchors that name no heading of their page, effective items that
//! point at expired or repealed ones, and the list of external links.

use crate::t;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::ExternalLink;
use super::scan::{PageScan, ScanLink, ScanTarget};
use crate::diagnostic::{Diagnostic, Severity};
use crate::front_matter::Validity;
use crate::links;
use crate::model::{Site, normalize_content_path};
use crate::page::{Kind, Page};

/// What the link rules read.
pub(crate) struct LinkContext<'a> {
    pub(crate) site: &'a Site,
    pub(crate) scans: &'a [PageScan],
    /// Files (`content/…`) with errors of their own: the model left them out, so links to them
    /// resolve to nothing, and saying so again would only repeat their error.
    pub(crate) error_files: &'a HashSet<PathBuf>,
}

/// Link findings of every page, and the external links found.
pub(crate) fn check_links(ctx: &LinkContext<'_>) -> (Vec<Diagnostic>, Vec<ExternalLink>) {
    let per_page: Vec<(Vec<Diagnostic>, Vec<ExternalLink>)> = (0..ctx.site.pages.len())
        .into_par_iter()
        .map(|i| check_page(ctx, i))
        .collect();
    let mut diags = Vec::new();
    let mut external = Vec::new();
    for (d, e) in per_page {
        diags.extend(d);
        external.extend(e);
    }
    (diags, external)
}

fn check_page(ctx: &LinkContext<'_>, i: usize) -> (Vec<Diagnostic>, Vec<ExternalLink>) {
    let site = ctx.site;
    let p = &site.pages[i];
    let scan = &ctx.scans[i];
    let file = &p.source.file;
    let mut out = Vec::new();
    let mut external = Vec::new();

    // The build's own finding for a broken link, promoted: one message for one fault.
    for l in scan.links.iter() {
        if let ScanTarget::Broken(why) = &l.target
            && !target_has_errors(&p.source.rel, &l.dest, ctx.error_files)
        {
            let mut d = crate::pipeline::broken_link_warning(file, l.line(), &l.dest, why);
            d.severity = Severity::Error;
            out.push(d);
        }
    }

    let checks_validity = checks_validity(p);
    for l in scan.links.iter() {
        match &l.target {
            ScanTarget::Page {
                index,
                anchor: Some(a),
                ..
            } => {
                if let Some(d) = anchor_finding(ctx, file, l, a, *index as usize) {
                    out.push(d);
                }
            }
            ScanTarget::SelfAnchor(a) => {
                if let Some(d) = anchor_finding(ctx, file, l, a, i) {
                    out.push(d);
                }
            }
            ScanTarget::External(url) => external.push(ExternalLink {
                file: file.clone(),
                line: l.line(),
                url: url.to_string(),
                status: None,
            }),
            _ => {}
        }
        if let ScanTarget::Page {
            index,
            validity_noted,
            ..
        } = &l.target
            && checks_validity
            && !validity_noted
        {
            out.extend(invalid_target(
                site,
                file,
                Some(l.line()),
                None,
                *index as usize,
            ));
        }
    }
    if checks_validity {
        let line = p.source.key_lines.line_of(&["related"]);
        for r in &p.meta().related {
            if let Some(j) = site.page_by_content_path(r) {
                out.extend(invalid_target(site, file, line, Some("related"), j));
            }
        }
    }
    (out, external)
}

/// True if the links of page `p` are checked for targets no longer in force: it is an effective
/// item.
fn checks_validity(p: &Page) -> bool {
    p.kind == Kind::Item && p.validity == Validity::Effective
}

/// For a link on file line `line` of content page `i` (whose Markdown is `body`) to page
/// `target`: true if that line mentions the target's validity, when the link is checked for it
/// at all ([`checks_validity`]; false otherwise).
pub(crate) fn validity_noted(
    site: &Site,
    i: usize,
    body: &str,
    line: usize,
    target: usize,
) -> bool {
    let p = &site.pages[i];
    checks_validity(p)
        && line_says(
            body,
            line.saturating_sub(p.source.body_first_line),
            site.pages[target].validity.label(),
        )
}

/// True if line `n` (0-based) of `body` mentions `word`: an editor who wrote “（已失效，见…）” next to
/// the link has told the reader already.
fn line_says(body: &str, n: usize, word: &str) -> bool {
    body.lines().nth(n).is_some_and(|l| l.contains(word))
}

/// True if `dest`, written in `from_rel`, is a content file that failed to load.
fn target_has_errors(from_rel: &str, dest: &str, error_files: &HashSet<PathBuf>) -> bool {
    if error_files.is_empty() {
        return false;
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let path = links::percent_decode(path);
    let joined = if path.starts_with('/') {
        normalize_content_path(&path).to_string()
    } else {
        let dir = from_rel.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{path}")
    };
    links::normalize(&joined)
        .is_some_and(|rel| error_files.contains(&Path::new("content").join(rel)))
}

fn anchor_finding(
    ctx: &LinkContext<'_>,
    file: &Path,
    l: &ScanLink,
    anchor: &str,
    target: usize,
) -> Option<Diagnostic> {
    let anchors = &ctx.scans[target].anchors;
    // `#` and `#top` scroll to the top of any page.
    if anchor.is_empty() || anchor == "top" || anchors.contains(anchor) {
        return None;
    }
    let page = &ctx.site.pages[target];
    let normalized = crate::markdown::heading_id(anchor);
    let hint = if anchors.contains(&normalized) {
        t!("check.rules-links.text-1", normalized)
    } else if anchors.no_headings() {
        t!("check.rules-links.text-2")
    } else {
        let ids: Vec<String> = anchors
            .headings()
            .take(8)
            .map(|h| format!("#{h}"))
            .collect();
        t!("check.rules-links.text-3", anchors = ids.join("、"))
    };
    Some(
        Diagnostic::error(
            "link/anchor",
            t!("link.anchor", anchor, file = page.source.file.display()),
        )
        .file(file)
        .line(l.line())
        .found(l.dest.to_string())
        .expected(t!("link.anchor.expected"))
        .hint(hint),
    )
}

fn invalid_target(
    site: &Site,
    file: &Path,
    line: Option<usize>,
    key: Option<&str>,
    target: usize,
) -> Option<Diagnostic> {
    let t = &site.pages[target];
    if t.validity == Validity::Effective {
        return None;
    }
    let label = t.validity.label();
    let mut d = Diagnostic::warning(
        "validity/links-invalid",
        t!(
            "validity.links-invalid",
            label,
            file = t.source.file.display()
        ),
    )
    .file(file)
    .line(line)
    .found(format!("《{}》（{label}）", t.meta().title))
    .hint(t!("validity.links-invalid.hint", label));
    if let Some(k) = key {
        d = d.key(k);
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_files_with_errors_are_recognised() {
        let errors: HashSet<PathBuf> = [PathBuf::from("content/items/a/x.md")].into();
        assert!(target_has_errors("items/a/y.md", "x.md#办理流程", &errors));
        assert!(target_has_errors("news/n.md", "../items/a/x.md", &errors));
        assert!(target_has_errors("news/n.md", "/items/a/x.md", &errors));
        assert!(!target_has_errors("news/n.md", "../items/a/z.md", &errors));
    }
}
