//! Fuzz smoke test (issue 14): the front-matter splitter, the YAML depth guard and the Markdown →
//! HTML path on generated input — deep nesting, unclosed elements, HTML-ish noise, hostile
//! addresses and path strings. Nothing panics, and what would be published is sanitized: no
//! script element, no event handler, no `javascript:`/`data:` address, no foreign resource.
//!
//! Bounded: proptest's default of 256 cases per property (`PROPTEST_CASES` overrides it), each
//! input a few kilobytes at most, so the suite runs in seconds as part of `cargo test`.

use std::path::Path;

use portal::front_matter;
use portal::markdown::{self, LinkResolver, LinkTarget};
use proptest::prelude::*;

/// Resolves like a site with no pages: `.md` links are broken, the rest is left as written.
struct NoSite;

impl LinkResolver for NoSite {
    fn resolve(&self, _from: &str, dest: &str) -> LinkTarget {
        if dest.starts_with("http://") || dest.starts_with("https://") {
            LinkTarget::External(dest.to_string())
        } else {
            LinkTarget::Broken("fuzz".into())
        }
    }
}

/// Elements that must never reach a published page.
const FORBIDDEN: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "form",
    "meta",
    "base",
    "link",
    "style",
    "noscript",
    "textarea",
    "plaintext",
    "xmp",
    "title",
    "noembed",
    "svg",
    "math",
    "input-text",
    "template",
    "applet",
];

/// Checks sanitized HTML tag by tag. The sanitizer serializes text with `<` escaped, so every
/// `<` starts a tag or a comment; comments are inert and skipped.
fn assert_published_safe(html: &str) {
    let lower = html.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    while let Some(rel) = lower[i..].find('<') {
        let lt = i + rel;
        if lower[lt..].starts_with("<!--") {
            i = lower[lt + 4..]
                .find("-->")
                .map_or(lower.len(), |e| lt + 4 + e + 3);
            continue;
        }
        // The tag runs to the first `>` outside a quoted value.
        let mut j = lt + 1;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'"' | b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let tag = &lower[lt + 1..j.min(lower.len())];
        i = (j + 1).min(lower.len());
        if tag.starts_with('/') {
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        assert!(
            !FORBIDDEN.contains(&name.as_str()),
            "<{name}> published in {html}"
        );
        if name == "input" {
            assert!(tag.contains("type=\"checkbox\""), "input {tag} in {html}");
        }
        for (attr, value) in attributes(&tag[name.len()..]) {
            assert!(
                !(attr.starts_with("on") && attr.len() > 2),
                "event handler {attr} in {html}"
            );
            assert!(
                !matches!(attr.as_str(), "srcdoc" | "formaction" | "http-equiv"),
                "{attr} in {html}"
            );
            let url = decode(&value);
            let compact: String = url.chars().filter(|c| *c > ' ').collect();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !compact.starts_with(scheme),
                    "{attr}={value} published in {html}"
                );
            }
            if attr == "src" {
                let c = compact.replace('\\', "/");
                assert!(
                    !(c.starts_with("//") || c.starts_with("http:") || c.starts_with("https:")),
                    "foreign resource {value} published in {html}"
                );
            }
            if attr == "style" {
                assert!(
                    !compact.contains("url(") && !compact.contains("expression("),
                    "{value}"
                );
            }
        }
    }
}

/// `name="value"` pairs of a serialized tag's attribute text.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches('/').trim();
    while !rest.is_empty() {
        let name_len = rest
            .find(|c: char| c == '=' || c.is_whitespace() || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_string();
        rest = &rest[name_len..];
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            if let Some(r) = r.strip_prefix('"') {
                let end = r.find('"').unwrap_or(r.len());
                value = r[..end].to_string();
                rest = r.get(end + 1..).unwrap_or("");
            } else {
                let end = r.find(char::is_whitespace).unwrap_or(r.len());
                value = r[..end].to_string();
                rest = &r[end..];
            }
        }
        let stuck = name_len == 0 && value.is_empty();
        if !name.is_empty() {
            out.push((name, value));
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if stuck {
            rest = rest.get(1..).unwrap_or("");
        }
    }
    out
}

/// Decodes the references a serializer writes in attribute values, and numeric ones.
fn decode(v: &str) -> String {
    portal::sanitize::normalize_url(&v.replace("&amp;", "&").replace("&quot;", "\""))
}

fn html_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("<ScRiPt src=//evil.example/x.js>".to_string()),
        Just("<a href=\"&#106;avascript:alert(1)\">x</a>".to_string()),
        Just("<a href=\"java&Tab;script:alert(1)\">x</a>".to_string()),
        Just("<a href='&#x6A;avascript&colon;alert(1)'>x</a>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<img src=\"http://tracker.example/p.gif\" alt=a>".to_string()),
        Just("<img src=\"\\\\tracker.example/p.gif\" alt=a>".to_string()),
        Just("<meta http-equiv=refresh content=\"0;url=https://evil.example/\">".to_string()),
        Just("<base href=https://evil.example/>".to_string()),
        Just("<form action=https://evil.example/><input name=x>".to_string()),
        Just(
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>"
                .to_string()
        ),
        Just("<svg><script>alert(1)</script></svg>".to_string()),
        Just("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>".to_string()),
        Just("<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>".to_string()),
        Just("<p style=\"background:url(//evil.example/x)\">s</p>".to_string()),
        Just("<!-- unclosed comment".to_string()),
        Just("<textarea>".to_string()),
        Just("<plaintext>".to_string()),
        Just("<xmp>".to_string()),
        Just("<title>".to_string()),
        Just("<noembed>".to_string()),
        Just("<style>".to_string()),
        Just("</div></table></li>".to_string()),
        Just("<table><tr><td colspan=2>1<td>2</table>".to_string()),
        "<[a-zA-Z!/?]?[a-z]{0,8}( [a-z-]{1,10}(=(\"[^\"]{0,20}\"|'[^']{0,20}'|[^ >]{0,20}))?){0,3}/?>?",
        "[ -~\u{4e00}-\u{4e10}\n]{0,40}",
    ]
}

fn markdown_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        (1usize..300).prop_map(|n| format!("{} 引用\n", ">".repeat(n))),
        (1usize..300).prop_map(|n| format!("{}列表\n", "- ".repeat(n))),
        (1usize..300).prop_map(|n| format!("{}内容\n", "<div>".repeat(n))),
        (1usize..200).prop_map(|n| format!("{}x{}\n", "*".repeat(n), "*".repeat(n))),
        (1usize..100).prop_map(|n| format!("{}链接{}\n", "[".repeat(n), "](x)".repeat(n))),
        Just("## 标题 {onclick=alert(1) #id .cls}\n".to_string()),
        Just("| a | b |\n|:--|--:|\n| 1 | 2 |\n".to_string()),
        Just("- [x] 完成\n".to_string()),
        Just("正文[^1]。\n\n[^1]: 脚注\n".to_string()),
        Just("```\n<script>代码块里的不算</script>\n```\n".to_string()),
        Just("<javascript:alert(1)>\n".to_string()),
        Just("[x]: javascript:alert(1)\n\n[链接][x]\n".to_string()),
        hostile_address().prop_map(|a| format!("[链接]({a}) ![图]({a})\n")),
        html_fragment(),
    ]
}

fn hostile_address() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("javascript:alert(1)".to_string()),
        Just("JaVaScRiPt:alert(1)".to_string()),
        Just("data:text/html;base64,PHNjcmlwdD4=".to_string()),
        Just("vbscript:msgbox(1)".to_string()),
        Just("//evil.example/x.png".to_string()),
        Just("https://evil.example/x.png".to_string()),
        path_string(),
    ]
}

/// Path-like strings: segments with dots, slashes, escapes, queries and Chinese.
fn path_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("..".to_string()),
            Just(".".to_string()),
            Just("".to_string()),
            Just("%2e%2e".to_string()),
            Just("files".to_string()),
            Just("a.md#锚点".to_string()),
            Just("x?y=1&z=2".to_string()),
            "[a-z\u{4e00}-\u{4e05}\\\\:%#?]{0,6}",
        ],
        0..8,
    )
    .prop_map(|segs| segs.join("/"))
}

proptest! {
    // Cases: proptest's default (256) or `PROPTEST_CASES`; a failure is reported, not persisted.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn markdown_bodies_render_bounded_and_sanitized(
        parts in prop::collection::vec(markdown_fragment(), 0..12)
    ) {
        let body = parts.join("\n");
        let r = markdown::render(&body, 5, "pages/fuzz.md", &NoSite);
        assert_published_safe(&r.html);
        for d in &r.diagnostics {
            prop_assert!(d.line.is_some(), "{d:?}");
            prop_assert!(d.rule.starts_with("markdown/"), "{d:?}");
        }
    }

    #[test]
    fn random_html_ish_text_never_escapes_the_sanitizer(raw in "[<>a-zA-Z =\"'/!&#;:()\\-\n]{0,400}") {
        let r = markdown::render(&raw, 1, "pages/fuzz.md", &NoSite);
        assert_published_safe(&r.html);
    }

    #[test]
    fn the_front_matter_splitter_and_yaml_guard_never_panic(
        pre in "[ \n]{0,3}",
        yaml in prop::collection::vec(
            prop_oneof![
                Just("---".to_string()),
                Just("...".to_string()),
                Just("title: 标题".to_string()),
                Just("key：全角".to_string()),
                Just("body: |".to_string()),
                (0usize..3000).prop_map(|n| format!("deep: {}", "[".repeat(n))),
                (0usize..3000).prop_map(|n| format!("deep: {}", "{a: ".repeat(n))),
                (0usize..200).prop_map(|n| format!("{}- x", "  ".repeat(n))),
                "[ -~\u{4e00}-\u{4e05}]{0,30}",
            ],
            0..10,
        ),
        body in "[ -~\n]{0,60}",
    ) {
        let text = format!("{pre}{}\n{body}", yaml.join("\n"));
        let file = Path::new("content/fuzz.md");
        if let Ok(split) = front_matter::split(&text, file) {
            prop_assert!(text.contains(split.yaml) && text.ends_with(split.body));
            prop_assert!(split.body_first_line > split.yaml_first_line);
            // Deep YAML is refused before the parser; whatever it is, parsing returns.
            let _ = front_matter::parse_yaml(&split, file);
        }
    }

    #[test]
    fn link_paths_normalize_inside_the_root(path in path_string()) {
        if let Some(n) = portal::links::normalize(&path) {
            prop_assert!(!n.split('/').any(|s| s == ".."), "{n}");
        }
    }
}
