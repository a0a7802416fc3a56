//! Rules on a page's Markdown body: accessibility (alt text, heading order, table headers) and the
//! Chinese Markdown pitfalls (emphasis next to full-width punctuation, bare URLs).
//!
//! Raw HTML that must not reach a government site (scripts, frames, event handlers, unsafe
//! addresses, unclosed elements, too deep nesting) is not judged here: [`crate::sanitize`] decides
//! it while the body renders, and its errors reach `check` through the build it runs.

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

/// All Markdown rules of one page.
pub(crate) fn check_page(page: &Page, rendered: &Rendered) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    heading_rules(page, rendered, &mut out);
    for l in rendered
        .links
        .iter()
        .filter(|l| l.image && l.alt.trim().is_empty())
    {
        out.push(img_alt(page, l.line, None, &l.dest));
    }
    let body = &page.source.body;
    for line in super::pitfalls::indented_paragraphs(body) {
        out.push(
            Diagnostic::warning(
                "markdown/indented-paragraph",
                "这一段前面有 4 个空格（或 Tab）缩进，会显示成等宽字体的代码块，而不是正文段落",
            )
            .file(&page.source.file)
            .line(page.source.body_first_line + line)
            .hint("删去段首的空格或 Tab（从 Word 粘贴的首行缩进常见）；中文段落不需要缩进，网页会自动分段"),
        );
    }
    // Most bodies have nothing these rules look at; skip their second parse.
    if body.contains(['*', '_', '<']) || body.contains("http") {
        scan_body(page, &mut out);
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
                Diagnostic::warning(
                    "a11y/h1-in-body",
                    "正文中有一级标题（#）；页面模板已把标题作为唯一的 h1",
                )
                .file(file)
                .line(h.line)
                .found(format!("# {}", h.text))
                .expected("正文从二级标题（##）开始")
                .hint(format!("改为 `## {}`", h.text)),
            );
        } else if h.level > prev + 1 {
            let hashes = "#".repeat(usize::from(prev + 1));
            out.push(
                Diagnostic::warning(
                    "a11y/heading-skip",
                    format!("标题层级跳级：h{prev} 之后直接出现 h{}", h.level),
                )
                .file(file)
                .line(h.line)
                .found(format!("{} {}", "#".repeat(usize::from(h.level)), h.text))
                .expected(format!("不超过 h{} 的标题", prev + 1))
                .hint(format!(
                    "读屏软件按标题层级导航，请改为 `{hashes} {}` 或补上中间层级",
                    h.text
                )),
            );
        }
        prev = h.level;
    }
}

fn img_alt(page: &Page, line: usize, column: Option<usize>, src: &str) -> Diagnostic {
    Diagnostic::error("a11y/img-alt", "图片缺少替代文本（alt），读屏软件无法读出")
        .file(&page.source.file)
        .line(line)
        .column(column)
        .found(src.to_string())
        .expected("![图片内容的说明](图片地址)")
        .hint("在 `![` 和 `]` 之间写明图片内容，例如 `![2021年政务公开工作会议现场](../files/meeting.jpg)`（GB/T 37668：非文本内容须有替代文本）")
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
fn scan_body(page: &Page, out: &mut Vec<Diagnostic>) {
    let body = page.source.body.as_str();
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
            Diagnostic::warning("markdown/cjk-emphasis", "加粗或斜体不会生效：标点紧挨着 `**` 的内侧，而外侧紧跟文字")
                .file(file)
                .line(line)
                .column(col)
                .found(p.found)
                .expected(p.fix.clone())
                .hint(format!("把标点移到 `**` 外面：`{}`（CommonMark 规则下，`**注意：**正文` 显示为带星号的原文）", p.fix)),
        );
    }
    if run.in_link {
        return;
    }
    for (pos, url) in pitfalls::bare_urls(&run.text) {
        let (line, col) = lines.at(run.body_offset(pos));
        out.push(
            Diagnostic::warning("markdown/bare-url", "网址没有写成链接，页面上不能点击")
                .file(file)
                .line(line)
                .column(col)
                .found(url.to_string())
                .expected(format!("<{url}> 或 [链接文字]({url})"))
                .hint(format!("写成 `[网站名称]({url})`，或用尖括号 `<{url}>`")),
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
            Diagnostic::warning("a11y/table-header", "HTML 表格没有表头单元格（<th>）")
                .file(file)
                .line(line)
                .column(col)
                .expected("第一行用 <th scope=\"col\">…</th>")
                .found("<table> 中只有 <td>")
                .hint("读屏软件靠表头说明每一列；把第一行的 <td> 改为 <th scope=\"col\">，或改用 Markdown 表格（它总有表头）"),
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
                Diagnostic::warning(
                    "a11y/h1-in-body",
                    "正文中有一级标题（<h1>）；页面模板已把标题作为唯一的 h1",
                )
                .file(file)
                .line(line)
                .column(col)
                .found("<h1>")
                .hint("改为 <h2> 或 Markdown 的 `##`"),
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
