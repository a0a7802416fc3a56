//! The error overlay: what the browser shows while the last save does not build.
//!
//! It is laid over the last good page (so the editor keeps their place) or, when there is no such
//! page, shown on its own. Everything from the content is HTML-escaped: a message quotes what the
//! editor typed, which may well contain `<`.

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
pub(super) use crate::escape::html as escape;
use crate::t;

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
        let n = ordered.len() - 50;
        items.push_str(&format!("<li>{}</li>", escape(&t!("overlay.more", n))));
    }
    let title = escape(&t!("overlay.title", errors));
    let lead = escape(&t!("overlay.lead"));
    format!(
        "<div id=\"portal-overlay\" role=\"alertdialog\" aria-labelledby=\"portal-overlay-h\" style=\"{STYLE}\">\
         <h1 id=\"portal-overlay-h\" style=\"font-size:1.3em;margin:0 0 .8em\">{title}</h1>\
         <p style=\"margin:0 0 1em\">{lead}</p>\
         <ol style=\"padding-left:1.2em\">{items}</ol></div>"
    )
}

/// The panel of what `portal check` finds for the page shown: a box at the foot of the page (not
/// over it), listing each finding with its line, rule and fix — the page's own, then the errors
/// of the whole site — so that what the preview shows clean is what CI passes. `None` when
/// there is nothing to show.
pub(super) fn findings_panel(page: &[&Diagnostic], site_wide: &[Diagnostic]) -> Option<String> {
    if page.is_empty() && site_wide.is_empty() {
        return None;
    }
    let mut body = String::new();
    if !page.is_empty() {
        let errors = page.iter().filter(|d| d.is_error()).count();
        let warnings = page.len() - errors;
        let title = escape(&t!("panel.page-title", errors, warnings));
        body.push_str(&format!(
            "<h2 id=\"portal-findings-h\" style=\"font-size:1.1em;margin:0 0 .5em\">{title}</h2>"
        ));
        body.push_str(&list(page.iter().copied()));
    }
    if !site_wide.is_empty() {
        let errors = site_wide.len();
        let title = escape(&t!("panel.site-title", errors));
        let id = if page.is_empty() {
            " id=\"portal-findings-h\""
        } else {
            ""
        };
        body.push_str(&format!(
            "<h2{id} class=\"portal-findings-site\" style=\"font-size:1.1em;margin:.5em 0\">{title}</h2>"
        ));
        body.push_str(&list(site_wide.iter()));
    }
    Some(format!(
        "<aside id=\"portal-findings\" aria-labelledby=\"portal-findings-h\" style=\"{PANEL}\">{body}</aside>"
    ))
}

/// At most 30 findings as a list.
fn list<'a>(ds: impl Iterator<Item = &'a Diagnostic>) -> String {
    let mut items = String::new();
    for d in ds.take(30) {
        items.push_str(&item(d));
    }
    format!("<ol style=\"padding-left:1.2em;margin:0\">{items}</ol>")
}

const PANEL: &str = "position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;z-index:2147483646;\
margin:0;padding:1em 1.5em;background:#18181b;color:#f4f4f5;border-top:4px solid #f59e0b;\
font:15px/1.6 system-ui,sans-serif;text-align:left";

/// The overlay for a failure that is not about the content (a disk full, say).
pub(super) fn fragment_for_message(message: &str) -> String {
    let title = escape(&t!("overlay.failed"));
    format!(
        "<div id=\"portal-overlay\" role=\"alertdialog\" aria-labelledby=\"portal-overlay-h\" style=\"{STYLE}\">\
         <h1 id=\"portal-overlay-h\" style=\"font-size:1.3em;margin:0 0 .8em\">{title}</h1>\
         <pre style=\"white-space:pre-wrap\">{}</pre></div>",
        escape(message)
    )
}

const STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2em;\
background:rgba(24,24,27,.96);color:#f4f4f5;font:15px/1.6 system-ui,sans-serif;text-align:left";

fn item(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => format!(
            "<strong style=\"color:#f87171\">{}</strong>",
            escape(&t!("overlay.level-error"))
        ),
        Severity::Warning => format!(
            "<strong style=\"color:#fbbf24\">{}</strong>",
            escape(&t!("overlay.level-warning"))
        ),
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
        let key = format!("<code>{}</code>", escape(k));
        s.push_str(&format!(" {}", t!("overlay.key", key)));
    }
    s.push_str(&format!(
        "<pre style=\"white-space:pre-wrap;margin:.3em 0\">{}</pre>",
        escape(&d.message)
    ));
    if let Some(e) = &d.expected {
        let value = escape(e);
        s.push_str(&format!("<div>{}</div>", t!("diagnostic.expected", value)));
    }
    if let Some(f) = &d.found {
        let value = escape(f);
        s.push_str(&format!("<div>{}</div>", t!("diagnostic.found", value)));
    }
    if let Some(h) = &d.hint {
        let value = escape(h);
        s.push_str(&format!(
            "<div style=\"color:#86efac\">{}</div>",
            t!("diagnostic.hint", value)
        ));
    }
    s.push_str("</li>");
    s
}

/// A whole page holding only the overlay, for when there is no page to lay it over.
pub(super) fn page(fragment: &str) -> String {
    let lang = match crate::messages::lang() {
        crate::messages::Lang::Zh => "zh-CN",
        crate::messages::Lang::En => "en",
    };
    let title = escape(&t!("overlay.page-title"));
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
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
