//! The audit: what an editor wrote, judged against the allow-list, each finding placed.

use crate::t;
use std::collections::HashSet;

use super::url::{offsite, scheme_of};
use super::*;
use crate::html_scan::{self, Tag};

impl Policy {
    fn attr_allowed(&self, tag: &str, attr: &str) -> bool {
        self.generic.contains(attr)
            || attr.starts_with("aria-")
            || self.tag_attrs.get(tag).is_some_and(|s| s.contains(attr))
    }

    /// Audits raw HTML an editor wrote (the joined raw HTML of one body).
    pub fn audit_html(&self, raw: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut removed: HashSet<String> = HashSet::new();
        html_scan::scan_tags(raw, |t: &Tag<'_, '_>| {
            if t.closing {
                return;
            }
            let name = t.name.to_ascii_lowercase();
            let element_unsafe = NEVER_ALLOWED.contains(&name.as_str())
                || (UNSAFE_UNLESS_ALLOWED.contains(&name.as_str())
                    && !self.widened.contains(name.as_str()));
            if element_unsafe {
                out.push(Finding {
                    at: t.at,
                    diagnostic: unsafe_element(&name, t),
                });
            } else if !self.tags.contains(name.as_str()) && removed.insert(name.clone()) {
                out.push(Finding {
                    at: t.at,
                    diagnostic: removed_tag(&name),
                });
            }
            // An unsafe element is removed whole: its attributes need no report of their own.
            for a in t.attrs.iter().filter(|_| !element_unsafe) {
                let attr = a.name.to_ascii_lowercase();
                let value = a.value.unwrap_or("");
                if let Some(i) = html_scan::raw_ampersands(value).next() {
                    out.push(Finding {
                        at: a.at + i,
                        diagnostic: raw_ampersand(&attr, value),
                    });
                }
                if let Some(d) = self.audit_attr(&name, &attr, value, true) {
                    out.push(Finding {
                        at: a.at,
                        diagnostic: d,
                    });
                } else if self.tags.contains(name.as_str())
                    && !self.attr_allowed(&name, &attr)
                    && !attr.contains(':')
                    && removed.insert(format!("{name} {attr}"))
                {
                    out.push(Finding {
                        at: a.at,
                        diagnostic: removed_attr(&name, &attr),
                    });
                }
            }
        });
        // An element that swallows the page is reported as that (its fix comes first), not
        // also as a disallowed element.
        let swallowing = unclosed(raw, |name| self.widened.contains(name));
        out.retain(|f| {
            f.diagnostic.rule != "markdown/unsafe-html" || !swallowing.iter().any(|s| s.at == f.at)
        });
        out.extend(swallowing);
        out.sort_by_key(|f| f.at);
        out
    }

    /// Audits one attribute (`value` as written, entities not decoded). `resources` also checks
    /// for foreign resources (off for an element already reported as unsafe).
    pub fn audit_attr(
        &self,
        tag: &str,
        attr: &str,
        value: &str,
        resources: bool,
    ) -> Option<Diagnostic> {
        if never_allowed_attr(attr) {
            return Some(
                Diagnostic::error(
                    "markdown/unsafe-html",
                    if attr.starts_with("on") {
                        t!("sanitize.audit.text-1").to_string()
                    } else {
                        t!("sanitize.audit.text-2", attr)
                    },
                )
                .found(format!("{attr}=\"{}\"", shorten(value)))
                .hint(t!("markdown.unsafe-html.hint")),
            );
        }
        if attr == "style" {
            return self.audit_style(value);
        }
        if !URL_ATTRS.contains(&attr) {
            return None;
        }
        let values: Vec<&str> = if attr == "srcset" {
            value
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .collect()
        } else {
            vec![value]
        };
        for v in values {
            if let Some(d) = self.audit_url(v, resources && RESOURCE_ATTRS.contains(&attr)) {
                return Some(d.found(format!("<{tag} {attr}=\"{}\">", shorten(value))));
            }
        }
        None
    }

    /// Audits an address (as written; entities are decoded here). `resource`: the page loads
    /// it (an image), rather than linking to it.
    pub fn audit_url(&self, url: &str, resource: bool) -> Option<Diagnostic> {
        if let Some(scheme) = scheme_of(url) {
            if SCRIPT_SCHEMES.contains(&scheme.as_str()) {
                return Some(
                    Diagnostic::error("markdown/unsafe-url", t!("markdown.unsafe-url", scheme))
                        .found(shorten(url))
                        .expected(t!("markdown.unsafe-url.expected"))
                        .hint(t!("markdown.unsafe-url.hint")),
                );
            }
            if !URL_SCHEMES.contains(&scheme.as_str()) {
                return Some(
                    Diagnostic::warning(
                        "markdown/html-removed",
                        t!("markdown.html-removed", scheme),
                    )
                    .found(shorten(url))
                    .expected(URL_SCHEMES.join("、"))
                    .hint(t!("markdown.html-removed.hint")),
                );
            }
        }
        if resource && let Some(host) = offsite(url, &self.hosts) {
            return Some(
                Diagnostic::error(
                    "markdown/external-resource",
                    t!("markdown.external-resource", host),
                )
                .found(shorten(url))
                .expected(t!("markdown.external-resource.expected"))
                .hint(t!("markdown.external-resource.hint")),
            );
        }
        None
    }

    fn audit_style(&self, value: &str) -> Option<Diagnostic> {
        let v = html_scan::unescape(value).to_ascii_lowercase();
        let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
        if [
            "expression(",
            "javascript:",
            "vbscript:",
            "-moz-binding",
            "behavior:",
        ]
        .iter()
        .any(|p| compact.contains(p))
        {
            return Some(
                Diagnostic::error("markdown/unsafe-html", t!("markdown.unsafe-html"))
                    .found(format!("style=\"{}\"", shorten(value)))
                    .hint(t!("markdown.unsafe-html.hint-2")),
            );
        }
        let mut rest = compact.as_str();
        while let Some(i) = rest.find("url(") {
            rest = &rest[i + 4..];
            let inner = rest
                .split(')')
                .next()
                .unwrap_or("")
                .trim_matches(['"', '\'']);
            if let Some(d) = self.audit_url(inner, true) {
                return Some(d.found(format!("style=\"{}\"", shorten(value))));
            }
        }
        None
    }
}

fn unsafe_element(name: &str, t: &Tag<'_, '_>) -> Diagnostic {
    let (what, hint) = match name {
        "script" | "noscript" => (t!("sanitize.audit.text-3"), t!("sanitize.audit.text-4")),
        "meta" => (t!("sanitize.audit.text-5"), t!("sanitize.audit.text-6")),
        "base" => (t!("sanitize.audit.text-7"), t!("sanitize.audit.text-8")),
        "form" | "input" | "button" | "select" | "option" | "textarea" => {
            (t!("sanitize.audit.text-9"), t!("sanitize.audit.text-10"))
        }
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "portal" => {
            (t!("sanitize.audit.text-11"), t!("sanitize.audit.text-12"))
        }
        "link" | "style" => (t!("sanitize.audit.text-13"), t!("sanitize.audit.text-14")),
        _ => (String::new(), t!("sanitize.audit.text-15")),
    };
    let what = if what.is_empty() {
        t!("sanitize.audit.text-16", name)
    } else {
        what
    };
    let mut found = format!("<{}", t.name);
    for a in t.attrs.iter().take(3) {
        found.push_str(&format!(
            " {}=\"{}\"",
            a.name,
            shorten(a.value.unwrap_or(""))
        ));
    }
    found.push('>');
    Diagnostic::error("markdown/unsafe-html", t!("markdown.unsafe-html-2", what))
        .found(found)
        .hint(hint)
}

fn raw_ampersand(attr: &str, value: &str) -> Diagnostic {
    Diagnostic::error("markdown/raw-ampersand", t!("markdown.raw-ampersand", attr))
        .found(format!("{attr}=\"{}\"", shorten(value)))
        .expected(format!(
            "{attr}=\"{}\"",
            shorten(&escape_raw_ampersands(value))
        ))
        .hint(t!("markdown.raw-ampersand.hint"))
}

fn escape_raw_ampersands(value: &str) -> String {
    let mut out = value.to_string();
    let raw: Vec<usize> = html_scan::raw_ampersands(value).collect();
    for i in raw.into_iter().rev() {
        out.insert_str(i + 1, "amp;");
    }
    out
}

fn removed_tag(name: &str) -> Diagnostic {
    Diagnostic::warning("markdown/html-removed", t!("markdown.html-removed-2", name))
        .found(format!("<{name}>"))
        .hint(t!("markdown.html-removed.hint-2", name))
}

fn removed_attr(tag: &str, attr: &str) -> Diagnostic {
    Diagnostic::warning(
        "markdown/html-removed",
        t!("markdown.html-removed-3", tag, attr),
    )
    .found(format!("<{tag} {attr}=…>"))
    .hint(t!("markdown.html-removed.hint-3", tag, attr))
}

/// Elements of `raw` that swallow the rest of the page: a `<!--` never closed, a raw-text
/// element (`<textarea>`, `<title>`, `<xmp>`, `<noembed>`, `<style>`, `<script>`, …) without its
/// end tag, and `<plaintext>`, which has none.
/// `allowed` tells the elements the site allows (their fix is the end tag, not removal).
pub fn unclosed(raw: &str, allowed: impl Fn(&str) -> bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = raw[from..].find("<!--") {
        let start = from + i;
        match raw[start + 4..].find("-->") {
            Some(e) => from = start + 4 + e + 3,
            None => {
                out.push(Finding {
                    at: start,
                    diagnostic: swallowing("<!--", "-->", t!("sanitize.audit.text-17")),
                });
                break;
            }
        }
    }
    let lower = raw.to_ascii_lowercase();
    html_scan::scan_tags(raw, |t| {
        if t.closing || t.self_closing {
            return;
        }
        let name = t.name.to_ascii_lowercase();
        if name == "plaintext" {
            out.push(Finding {
                at: t.at,
                diagnostic: swallowing(
                    "<plaintext>",
                    &t!("sanitize.audit.text-18"),
                    remove_hint("plaintext"),
                ),
            });
        } else if SWALLOWING.contains(&name.as_str())
            && !lower[t.at..].contains(&format!("</{name}"))
        {
            out.push(Finding {
                at: t.at,
                diagnostic: swallowing(
                    &format!("<{name}>"),
                    &format!("</{name}>"),
                    if allowed(&name) {
                        t!("sanitize.audit.text-19", name)
                    } else {
                        remove_hint(&name)
                    },
                ),
            });
        }
    });
    out
}

fn remove_hint(name: &str) -> String {
    t!("sanitize.audit.text-20", name)
}

fn swallowing(open: &str, close: &str, hint: String) -> Diagnostic {
    Diagnostic::error("markdown/unclosed-html", t!("markdown.unclosed-html", open))
        .found(open.to_string())
        .expected(close.to_string())
        .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site_config::HtmlConfig;

    fn site() -> Policy {
        Policy::new(&HtmlConfig::default(), "https://www.example.gov.cn/sub/")
    }

    fn rules(raw: &str) -> Vec<&'static str> {
        site()
            .audit_html(raw)
            .iter()
            .map(|f| f.diagnostic.rule)
            .collect()
    }

    #[test]
    fn raw_html_audit_names_each_unsafe_thing() {
        assert_eq!(rules("<script>alert(1)</script>"), ["markdown/unsafe-html"]);
        assert_eq!(
            rules("<meta http-equiv=refresh content=\"0;url=https://evil.example/\">")[0],
            "markdown/unsafe-html"
        );
        assert_eq!(
            rules("<base href=\"https://evil.example/\">"),
            ["markdown/unsafe-html"]
        );
        assert_eq!(
            rules("<form action=\"https://evil.example/\"></form>")[0],
            "markdown/unsafe-html"
        );
        assert_eq!(
            rules("<noscript><img src=x onerror=alert(1)></noscript>")[0],
            "markdown/unsafe-html"
        );
        assert_eq!(rules("<p onclick=\"x()\">a</p>"), ["markdown/unsafe-html"]);
        assert_eq!(
            rules("<a href=\"&#106;avascript:alert(1)\">a</a>"),
            ["markdown/unsafe-url"]
        );
        assert_eq!(
            rules("<img alt=a src=\"http://t.example/p.gif\">"),
            ["markdown/external-resource"]
        );
        assert_eq!(
            rules("<p style=\"background:url(//t.example/p.gif)\">a</p>"),
            ["markdown/external-resource"]
        );
        assert_eq!(
            rules("<font color=red>a</font><font>b</font>"),
            ["markdown/html-removed"]
        );
        assert!(rules("<table><tr><th scope=col colspan=2>a</th></tr><tr><td rowspan=2>1</td></tr></table><details><summary>s</summary>x</details><h2 id=a>t</h2>").is_empty());
    }

    #[test]
    fn unclosed_raw_text_elements_and_comments_are_found() {
        for raw in [
            "<!-- note",
            "<textarea>",
            "<TITLE>",
            "<xmp>",
            "<noembed>",
            "<plaintext>",
            "<style>p{}",
        ] {
            let f = unclosed(raw, |_| false);
            assert_eq!(f.len(), 1, "{raw}");
            assert_eq!(f[0].diagnostic.rule, "markdown/unclosed-html");
        }
        assert!(unclosed("<!-- a --> <title>t</title> <style>p{}</STYLE>", |_| false).is_empty());
    }
}
