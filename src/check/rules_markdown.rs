//! Rules on a page's Markdown body: accessibility (alt text, heading order, table headers) and the
//! Chinese Markdown pitfalls (emphasis next to full-width punctuation, bare URLs).
//!
//! Raw HTML that must not reach a government site (scripts, frames, event handlers, unsafe
//! addresses, unclosed elements, too deep nesting) is not judged here: [`crate::sanitize`] decides
//! it while the body renders, and its errors reach `check` through the build it runs.

use crate::t;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::html_scan::{self, Tag as HtmlTag};
use super::pitfalls;
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Joined, Rendered};
use crate::page::Page;

/// Maps byte offsets of the body to file lines and columns.
pub(crate) struct Lines<'a> {
    body: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(body: &'a str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(body.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            body,
            starts,
            first_line,
        }
    }

    /// File line and column (in characters) of body offset `at`.
    pub(crate) fn at(&self, at: usize) -> (usize, usize) {
        let at = at.min(self.body.len());
        let idx = self.starts.partition_point(|&s| s <= at) - 1;
        let col = self
            .body
            .get(self.starts[idx]..at)
            .map_or(1, |s| s.chars().count() + 1);
        (self.first_line + idx, col)
    }
}

/// All Markdown rules of one page, on its Markdown `body` (the site may hold none: see
/// [`crate::load::load_lean`]) and its `rendered` body.
pub(crate) fn check_page(page: &Page, body: &str, rendered: &Rendered) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    heading_rules(page, rendered, &mut out);
    for l in rendered
        .links
        .iter()
        .filter(|l| l.image && l.alt.trim().is_empty())
    {
        out.push(img_alt(page, l.line, None, &l.dest));
    }
    for line in super::pitfalls::indented_paragraphs(body) {
        out.push(
            Diagnostic::warning(
                "markdown/indented-paragraph",
                t!("markdown.indented-paragraph"),
            )
            .file(&page.source.file)
            .line(page.source.body_first_line + line)
            .hint(t!("markdown.indented-paragraph.hint")),
        );
    }
    // Most bodies have nothing these rules look at; skip their second parse.
    if body.contains(['*', '_', '<']) || body.contains("http") {
        scan_body(page, body, &mut out);
    }
    out
}

fn heading_rules(page: &Page, rendered: &Rendered, out: &mut Vec<Diagnostic>) {
    let file = &page.source.file;
    // The template prints the title as the page's only <h1>.
    let mut prev = 1u8;
    for h in &rendered.headings {
        if h.level == 1 {
            out.push(
                Diagnostic::warning("a11y/h1-in-body", t!("a11y.h1-in-body"))
                    .file(file)
                    .line(h.line)
                    .found(format!("# {}", h.text))
                    .expected(t!("a11y.h1-in-body.expected"))
                    .hint(t!("a11y.h1-in-body.hint", text = h.text)),
            );
        } else if h.level > prev + 1 {
            let hashes = "#".repeat(usize::from(prev + 1));
            out.push(
                Diagnostic::warning(
                    "a11y/heading-skip",
                    t!("a11y.heading-skip", prev, level = h.level),
                )
                .file(file)
                .line(h.line)
                .found(format!("{} {}", "#".repeat(usize::from(h.level)), h.text))
                .expected(t!("a11y.heading-skip.expected", level = prev + 1))
                .hint(t!("a11y.heading-skip.hint", hashes, text = h.text)),
            );
        }
        prev = h.level;
    }
}

fn img_alt(page: &Page, line: usize, column: Option<usize>, src: &str) -> Diagnostic {
    Diagnostic::error("a11y/img-alt", t!("a11y.img-alt"))
        .file(&page.source.file)
        .line(line)
        .column(column)
        .found(src.to_string())
        .expected(t!("a11y.img-alt.expected"))
        .hint(t!("a11y.img-alt.hint"))
}

/// Text of a body joined (see [`Joined`]), and whether any of it sits in a link.
#[derive(Default)]
struct TextRun {
    joined: Joined,
    in_link: bool,
}

impl std::ops::Deref for TextRun {
    type Target = Joined;
    fn deref(&self) -> &Joined {
        &self.joined
    }
}

impl std::ops::DerefMut for TextRun {
    fn deref_mut(&mut self) -> &mut Joined {
        &mut self.joined
    }
}

/// Second pass over the body for what the rendered output no longer shows: literal text (where
/// unpaired emphasis and bare addresses survive) and raw HTML.
fn scan_body(page: &Page, body: &str, out: &mut Vec<Diagnostic>) {
    let lines = Lines::new(body, page.source.body_first_line);
    let mut run = TextRun::default();
    let mut raw = TextRun::default();
    let mut code = 0usize;
    let mut link = 0usize;
    for (ev, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        match ev {
            Event::Text(t) if code == 0 => {
                run.in_link = link > 0;
                run.push(&t, range);
                continue;
            }
            Event::Html(h) | Event::InlineHtml(h) => raw.push(&h, range),
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => link = link.saturating_sub(1),
            _ => {}
        }
        text_rules(page, body, &lines, &std::mem::take(&mut run), out);
    }
    text_rules(page, body, &lines, &run, out);
    raw_html_rules(page, &lines, &raw, out);
}

fn text_rules(
    page: &Page,
    body: &str,
    lines: &Lines<'_>,
    run: &TextRun,
    out: &mut Vec<Diagnostic>,
) {
    if run.text.is_empty() {
        return;
    }
    let file = &page.source.file;
    for p in pitfalls::emphasis_pitfalls(&run.text) {
        let at = run.body_offset(p.at);
        // A backslash-escaped `\*\*` is literal on purpose.
        let delim = &run.text[p.at..p.at + p.len];
        let literal = body.get(at..).is_some_and(|s| s.starts_with(delim));
        if !literal || body.get(..at).is_some_and(|s| s.ends_with('\\')) {
            continue;
        }
        let (line, col) = lines.at(at);
        out.push(
            Diagnostic::warning("markdown/cjk-emphasis", t!("markdown.cjk-emphasis"))
                .file(file)
                .line(line)
                .column(col)
                .found(p.found)
                .expected(p.fix.clone())
                .hint(t!("markdown.cjk-emphasis.hint", fix = p.fix)),
        );
    }
    if run.in_link {
        return;
    }
    for (pos, url) in pitfalls::bare_urls(&run.text) {
        let (line, col) = lines.at(run.body_offset(pos));
        out.push(
            Diagnostic::warning("markdown/bare-url", t!("markdown.bare-url"))
                .file(file)
                .line(line)
                .column(col)
                .found(url.to_string())
                .expected(t!("markdown.bare-url.expected", url))
                .hint(t!("markdown.bare-url.hint", url)),
        );
    }
}

fn raw_html_rules(page: &Page, lines: &Lines<'_>, raw: &TextRun, out: &mut Vec<Diagnostic>) {
    if raw.text.is_empty() {
        return;
    }
    let file = &page.source.file;
    let at = |pos: usize| lines.at(raw.body_offset(pos));
    // Tables open in the raw HTML: (offset, has a header cell).
    let mut tables: Vec<(usize, bool)> = Vec::new();
    let table_warning = |pos: usize, out: &mut Vec<Diagnostic>| {
        let (line, col) = at(pos);
        out.push(
            Diagnostic::warning("a11y/table-header", t!("a11y.table-header"))
                .file(file)
                .line(line)
                .column(col)
                .expected(t!("a11y.table-header.expected"))
                .found(t!("a11y.table-header.found"))
                .hint(t!("a11y.table-header.hint")),
        );
    };
    html_scan::scan_tags(&raw.text, |t: &HtmlTag<'_, '_>| {
        if t.closing {
            if t.is("table")
                && let Some((pos, false)) = tables.pop()
            {
                table_warning(pos, out);
            }
            return;
        }
        if t.is("img") && t.attr("alt").is_none() {
            let (line, col) = at(t.at);
            let src = t.attr("src").and_then(|a| a.value).unwrap_or("");
            out.push(img_alt(page, line, Some(col), src));
        } else if t.is("table") {
            tables.push((t.at, false));
        } else if t.is("th") {
            if let Some(top) = tables.last_mut() {
                top.1 = true;
            }
        } else if t.is("h1") {
            let (line, col) = at(t.at);
            out.push(
                Diagnostic::warning("a11y/h1-in-body", t!("a11y.h1-in-body-2"))
                    .file(file)
                    .line(line)
                    .column(col)
                    .found("<h1>")
                    .hint(t!("a11y.h1-in-body.hint-2")),
            );
        }
    });
    for (pos, has_th) in tables {
        if !has_th {
            table_warning(pos, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_map_offsets_to_file_lines_and_char_columns() {
        let l = Lines::new("第一行\n二x", 5);
        assert_eq!(l.at(0), (5, 1));
        assert_eq!(l.at("第一行\n二".len()), (6, 2));
    }

    #[test]
    fn text_run_maps_joined_positions_back() {
        let mut r = TextRun::default();
        r.push("**注意：", 10..20);
        r.push("**正文", 30..38);
        assert_eq!(r.body_offset(0), 10);
        assert_eq!(r.body_offset("**注意：".len()), 30);
        assert_eq!(r.body_offset("**注意：**".len()), 32);
    }
}
