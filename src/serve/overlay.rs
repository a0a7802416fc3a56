//! The error overlay: what the browser shows while the last save does not build.
//!
//! It is laid over the last good page (so the editor keeps their place) or, when there is no such
//! page, shown on its own. Everything from the content is HTML-escaped: a message quotes what the
//! editor typed, which may well contain `<`.

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
pub(super) use crate::escape::html as escape;

/// The overlay for the findings of a failed build (errors first, at most 50 shown).
pub(super) fn fragment(ds: &Diagnostics) -> String {
    let mut ordered: Vec<&Diagnostic> = ds.iter().collect();
    ordered.sort_by_key(|d| d.severity != Severity::Error);
    let errors = ds.error_count();
    let mut items = String::new();
    for d in ordered.iter().take(50) {
        items.push_str(&item(d));
    }
    if ordered.len() > 50 {
        items.push_str(&format!(
            "<li>… 还有 {} 条，见终端</li>",
            ordered.len() - 50
        ));
    }
    format!(
        "<div id=\"portal-overlay\" role=\"alertdialog\" aria-labelledby=\"portal-overlay-h\" style=\"{STYLE}\">\
         <h1 id=\"portal-overlay-h\" style=\"font-size:1.3em;margin:0 0 .8em\">portal serve：网站无法生成（{errors} 个错误）</h1>\
         <p style=\"margin:0 0 1em\">预览显示的是上一次成功生成的网站。改正文件并保存，本页会自动刷新。</p>\
         <ol style=\"padding-left:1.2em\">{items}</ol></div>"
    )
}

/// The panel of what `portal check` finds on the page shown: a box at the foot of the page (not
/// over it), listing each finding with its line, rule and fix, so that what the preview shows
/// clean is what CI passes.
pub(super) fn findings_panel(ds: &[Diagnostic]) -> String {
    let errors = ds.iter().filter(|d| d.is_error()).count();
    let warnings = ds.len() - errors;
    let mut items = String::new();
    for d in ds.iter().take(30) {
        items.push_str(&item(d));
    }
    format!(
        "<aside id=\"portal-findings\" aria-labelledby=\"portal-findings-h\" style=\"{PANEL}\">\
         <h2 id=\"portal-findings-h\" style=\"font-size:1.1em;margin:0 0 .5em\">portal check：本页有 {errors} 个错误、{warnings} 个警告（CI 会报告）</h2>\
         <ol style=\"padding-left:1.2em;margin:0\">{items}</ol></aside>"
    )
}

const PANEL: &str = "position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;z-index:2147483646;\
margin:0;padding:1em 1.5em;background:#18181b;color:#f4f4f5;border-top:4px solid #f59e0b;\
font:15px/1.6 system-ui,sans-serif;text-align:left";

/// The overlay for a failure that is not about the content (a disk full, say).
pub(super) fn fragment_for_message(message: &str) -> String {
    format!(
        "<div id=\"portal-overlay\" role=\"alertdialog\" aria-labelledby=\"portal-overlay-h\" style=\"{STYLE}\">\
         <h1 id=\"portal-overlay-h\" style=\"font-size:1.3em;margin:0 0 .8em\">portal serve：生成失败</h1>\
         <pre style=\"white-space:pre-wrap\">{}</pre></div>",
        escape(message)
    )
}

const STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2em;\
background:rgba(24,24,27,.96);color:#f4f4f5;font:15px/1.6 system-ui,sans-serif;text-align:left";

fn item(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "<strong style=\"color:#f87171\">错误 error</strong>",
        Severity::Warning => "<strong style=\"color:#fbbf24\">警告 warning</strong>",
    };
    let mut s = format!(
        "<li style=\"margin-bottom:1.2em\">{level} <code>[{}]</code>",
        escape(d.rule)
    );
    let loc = d.location();
    if !loc.is_empty() {
        s.push_str(&format!(
            " <code style=\"color:#93c5fd\">{}</code>",
            escape(&loc)
        ));
    }
    if let Some(k) = &d.key {
        s.push_str(&format!(" key <code>{}</code>", escape(k)));
    }
    s.push_str(&format!(
        "<pre style=\"white-space:pre-wrap;margin:.3em 0\">{}</pre>",
        escape(&d.message)
    ));
    if let Some(e) = &d.expected {
        s.push_str(&format!("<div>应为：{}</div>", escape(e)));
    }
    if let Some(f) = &d.found {
        s.push_str(&format!("<div>实际：{}</div>", escape(f)));
    }
    if let Some(h) = &d.hint {
        s.push_str(&format!(
            "<div style=\"color:#86efac\">提示：{}</div>",
            escape(h)
        ));
    }
    s.push_str("</li>");
    s
}

/// A whole page holding only the overlay, for when there is no page to lay it over.
pub(super) fn page(fragment: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>portal serve: build error</title></head>\
         <body>{fragment}</body></html>"
    )
}

/// Puts `snippet` just before `</body>` (the last one), or at the end if there is none.
pub(super) fn inject(html: &str, snippet: &str) -> String {
    let at = html
        .rmatch_indices("</body>")
        .next()
        .or_else(|| html.rmatch_indices("</BODY>").next())
        .map_or(html.len(), |(i, _)| i);
    let mut out = String::with_capacity(html.len() + snippet.len());
    out.push_str(&html[..at]);
    out.push_str(snippet);
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_names_file_line_and_escapes() {
        let mut ds = Diagnostics::default();
        ds.push(
            Diagnostic::error(
                "front-matter/yaml",
                "YAML syntax error: <script>alert(1)</script>",
            )
            .file("content/news/a.md")
            .line(3)
            .hint("含有“: ”的值要加英文双引号"),
        );
        let html = fragment(&ds);
        assert!(html.contains("content/news/a.md:3"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("提示：含有“: ”的值要加英文双引号"));
    }

    #[test]
    fn inject_goes_before_the_last_body_end() {
        assert_eq!(
            inject("<p>a</p></body></html>", "X"),
            "<p>a</p>X</body></html>"
        );
        assert_eq!(inject("<p>a</p>", "X"), "<p>a</p>X");
    }
}
