//! What HTML a Markdown body may publish: the one place that decides.
//!
//! Two halves share one allow-list ([`Policy`]):
//! - the **audit** reads what an editor wrote (raw HTML, link and image addresses, heading
//!   attributes) and reports every unsafe thing as an error naming its place: scripts, frames,
//!   forms, `<meta>`/`<base>`, event handlers, `javascript:`/`data:`/`vbscript:` addresses
//!   (entity-encoded or not), resources loaded from other hosts, and elements that would swallow
//!   the rest of the page (`<textarea>`, `<!--` … never closed);
//! - the **sanitizer** ([`Policy::clean`], the `ammonia` crate) runs on every rendered body, so
//!   what is published is safe even where the audit misses something.
//!
//! A site widens the allow-list in `site.yaml` (`html:`, see [`crate::site_config::HtmlConfig`]);
//! what can never be content (`<script>`, `on…=` handlers, …) cannot be widened.

mod audit;
mod generated;
mod url;

pub use audit::unclosed;
use url::offsite;
pub use url::{normalize_url, scheme_of};

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostic::Diagnostic;
use crate::site_config::{HtmlConfig, SiteConfig};

/// How deep a body may nest (Markdown containers and raw HTML elements together). Deeper input
/// is refused: it is never content, and recursive consumers (the minifier) overflow on it.
pub const MAX_DEPTH: usize = 100;

/// Elements that can never be widened into the allow-list (`site.yaml` refuses them).
pub const NEVER_ALLOWED: &[&str] = &[
    "script",
    "noscript",
    "style",
    "meta",
    "base",
    "link",
    "frame",
    "frameset",
    "applet",
    "template",
    "plaintext",
    "xmp",
    "noembed",
    "noframes",
    "title",
    "textarea",
    "html",
    "head",
    "body",
];

/// Elements that are errors unless the site widened the allow-list to them.
const UNSAFE_UNLESS_ALLOWED: &[&str] = &[
    "iframe", "object", "embed", "form", "input", "button", "select", "option", "svg", "math",
    "portal",
];

/// Raw text elements: everything after the start tag is text until the end tag.
const SWALLOWING: &[&str] = &[
    "textarea", "title", "xmp", "noembed", "noframes", "style", "script", "iframe", "noscript",
];

/// Built-in allow-list of elements, beyond which raw HTML is removed.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes allowed on every element.
const GENERIC_ATTRS: &[&str] = &[
    "id", "class", "lang", "title", "dir", "role", "style", "tabindex",
];

/// Attributes allowed per element.
const TAG_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "name", "download"]),
    ("blockquote", &["cite"]),
    ("col", &["span", "width"]),
    ("colgroup", &["span", "width"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("details", &["open"]),
    ("img", &["alt", "src", "width", "height", "loading"]),
    ("input", &["checked", "disabled"]),
    ("li", &["value"]),
    ("ol", &["start", "reversed", "type"]),
    ("q", &["cite"]),
    (
        "table",
        &["border", "cellpadding", "cellspacing", "width", "summary"],
    ),
    (
        "td",
        &[
            "colspan", "rowspan", "headers", "width", "height", "valign", "align", "nowrap",
        ],
    ),
    (
        "th",
        &[
            "colspan", "rowspan", "headers", "scope", "abbr", "width", "height", "valign", "align",
            "nowrap",
        ],
    ),
    ("tr", &["valign", "align"]),
    ("time", &["datetime"]),
];

/// CSS properties kept in `style` attributes (Markdown tables align cells with `text-align`).
const STYLE_PROPERTIES: &[&str] = &[
    "text-align",
    "vertical-align",
    "white-space",
    "font-weight",
    "font-style",
    "text-decoration",
    "color",
    "background-color",
    "width",
    "height",
];

/// Address schemes a link may use; relative addresses are always fine.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "sms", "ftp", "ftps"];

/// Schemes that run code or smuggle content: always errors.
const SCRIPT_SCHEMES: &[&str] = &["javascript", "vbscript", "data", "livescript", "mocha"];

/// Attributes holding an address.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "xlink:href",
    "ping",
    "srcset",
    "codebase",
    "archive",
];

/// Attributes that make the browser load something.
const RESOURCE_ATTRS: &[&str] = &["src", "srcset", "poster", "background", "lowsrc", "dynsrc"];

/// The allow-list of one site, with its sanitizer.
#[derive(Debug)]
pub struct Policy {
    builder: ammonia::Builder<'static>,
    tags: HashSet<&'static str>,
    generic: HashSet<&'static str>,
    tag_attrs: HashMap<&'static str, HashSet<&'static str>>,
    widened: HashSet<&'static str>,
    hosts: Arc<Vec<String>>,
    /// The allow-list holds every element and attribute of the fast path
    /// ([`Policy::reserialize`]).
    generated: bool,
}

/// A finding of the audit: where (byte offset in the audited text) and what.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Byte offset in the audited text.
    pub at: usize,
    /// The diagnostic, without file, line or column.
    pub diagnostic: Diagnostic,
}

/// Attributes that can never be allowed: event handlers (`on…`), `srcdoc`, `formaction`,
/// `http-equiv`.
pub fn never_allowed_attr(attr: &str) -> bool {
    (attr.len() > 2 && attr.starts_with("on") && attr[2..].bytes().all(|b| b.is_ascii_alphabetic()))
        || matches!(attr, "srcdoc" | "formaction" | "http-equiv")
}

/// Leaks each distinct string once: the allow-list of `ammonia` borrows `'static` strings, and a
/// site's few extra names are the same on every rebuild.
fn intern(s: &str) -> &'static str {
    static SET: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let mut set = SET
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(&found) = set.get(s) {
        return found;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

/// The host of `base_url`, lowercased (`None` for a path-only base URL).
fn host_of(base_url: &str) -> Option<String> {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.trim_end_matches('.');
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

impl Policy {
    /// The built-in allow-list for a site published at `base_url`, widened by `cfg`.
    pub fn new(cfg: &HtmlConfig, base_url: &str) -> Policy {
        let mut tags: HashSet<&'static str> = TAGS.iter().copied().collect();
        let mut widened = HashSet::new();
        for t in &cfg.allow_tags {
            let t = t.to_ascii_lowercase();
            if !NEVER_ALLOWED.contains(&t.as_str()) {
                let t = intern(&t);
                tags.insert(t);
                widened.insert(t);
            }
        }
        let mut generic: HashSet<&'static str> = GENERIC_ATTRS.iter().copied().collect();
        let mut tag_attrs: HashMap<&'static str, HashSet<&'static str>> = TAG_ATTRS
            .iter()
            .map(|(t, a)| (*t, a.iter().copied().collect()))
            .collect();
        for (tag, attrs) in &cfg.allow_attributes {
            let tag = tag.to_ascii_lowercase();
            if NEVER_ALLOWED.contains(&tag.as_str()) {
                continue;
            }
            for a in attrs {
                let a = a.to_ascii_lowercase();
                if never_allowed_attr(&a) {
                    continue;
                }
                if tag == "*" {
                    generic.insert(intern(&a));
                } else {
                    tag_attrs
                        .entry(intern(&tag))
                        .or_default()
                        .insert(intern(&a));
                }
            }
        }
        let mut hosts: Vec<String> = host_of(base_url).into_iter().collect();
        hosts.extend(
            cfg.allow_hosts
                .iter()
                .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase()),
        );
        let hosts = Arc::new(hosts);

        let mut builder = ammonia::Builder::empty();
        let filter_hosts = Arc::clone(&hosts);
        builder
            .tags(tags.clone())
            .clean_content_tags(NEVER_ALLOWED.iter().copied().collect())
            .generic_attributes(generic.clone())
            .tag_attributes(tag_attrs.clone())
            // Task lists: every published input is a disabled checkbox, whatever was written.
            .set_tag_attribute_value("input", "type", "checkbox")
            .set_tag_attribute_value("input", "disabled", "")
            .url_schemes(URL_SCHEMES.iter().copied().collect())
            .link_rel(None)
            // Report pages place their tables at `<!-- table: … -->` markers; minification
            // drops comments from the published pages.
            .strip_comments(false)
            .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
            .attribute_filter(move |_element, attribute, value| {
                let resource = RESOURCE_ATTRS.contains(&attribute);
                if resource && offsite(value, &filter_hosts).is_some() {
                    return None;
                }
                Some(value.into())
            });
        let generated = generated::ELEMENTS.iter().all(|t| tags.contains(t))
            && generated::ATTRIBUTES.iter().all(|(t, a)| {
                generic.contains(a)
                    || (*t != "*" && tag_attrs.get(t).is_some_and(|s| s.contains(a)))
            })
            && STYLE_PROPERTIES.contains(&"text-align");
        Policy {
            builder,
            tags,
            generic,
            tag_attrs,
            widened,
            hosts,
            generated,
        }
    }

    /// The built-in allow-list with no site host (every absolute `src` is foreign).
    pub fn builtin() -> &'static Policy {
        static BUILTIN: OnceLock<Policy> = OnceLock::new();
        BUILTIN.get_or_init(|| Policy::new(&HtmlConfig::default(), "/"))
    }

    /// The policy of `cfg`'s site, built once per configuration.
    pub fn for_site(cfg: &SiteConfig) -> Arc<Policy> {
        type Cached = (HtmlConfig, String, Arc<Policy>);
        static CACHE: Mutex<Option<Cached>> = Mutex::new(None);
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((html, base, p)) = cache.as_ref()
            && *html == cfg.html
            && *base == cfg.base_url
        {
            return Arc::clone(p);
        }
        let p = Arc::new(Policy::new(&cfg.html, &cfg.base_url));
        *cache = Some((cfg.html.clone(), cfg.base_url.clone(), Arc::clone(&p)));
        p
    }

    /// Sanitizes rendered body HTML: only allowed elements, attributes and addresses remain,
    /// and no resource from a foreign host.
    pub fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

pub(super) fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Policy {
        Policy::new(&HtmlConfig::default(), "https://www.example.gov.cn/sub/")
    }

    #[test]
    fn sanitizer_keeps_content_and_drops_what_is_unsafe() {
        let p = site();
        let kept = "<h2 id=\"办理\">办理</h2>\n<div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th style=\"text-align: center\">甲</th></tr></thead><tbody><tr><td colspan=\"2\">1</td></tr></tbody></table></div>\n<p><a href=\"/sub/x/\">x</a> <img src=\"/sub/files/a.png\" alt=\"图\"></p>\n<!-- table: applications -->\n<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\n完成</li>\n</ul>\n";
        let out = p.clean(kept);
        for s in [
            "id=\"办理\"",
            "class=\"table-wrap\"",
            "tabindex=\"0\"",
            "colspan=\"2\"",
            "text-align:center",
            "href=\"/sub/x/\"",
            "src=\"/sub/files/a.png\"",
            "<!-- table: applications -->",
            "type=\"checkbox\"",
        ] {
            assert!(out.contains(s), "{s} missing in {out}");
        }
        let bad = "<script>alert(1)</script><a href=\"javascript:alert(1)\" onclick=\"x\">a</a><img src=\"http://t.example/p.gif\" alt=a><iframe src=\"https://evil.example/\"></iframe><meta http-equiv=refresh content=0><base href=\"https://evil.example/\"><form action=x><input type=text></form><noscript><p>n</p></noscript><a href=\"&#106;avascript:x\">b</a><svg onload=alert(1)></svg>";
        let out = p.clean(bad).to_ascii_lowercase();
        for s in [
            "<script",
            "javascript",
            "onclick",
            "t.example",
            "<iframe",
            "<meta",
            "<base",
            "<form",
            "type=\"text\"",
            "<noscript",
            "onload",
            "<svg",
        ] {
            assert!(!out.contains(s), "{s} survived in {out}");
        }
    }

    #[test]
    fn a_site_can_widen_the_allow_list_but_not_to_scripts() {
        let mut cfg = HtmlConfig {
            allow_tags: vec!["iframe".into(), "script".into()],
            ..HtmlConfig::default()
        };
        cfg.allow_attributes
            .insert("iframe".into(), vec!["src".into(), "onload".into()]);
        cfg.allow_hosts = vec!["map.example.gov.cn".into()];
        let p = Policy::new(&cfg, "https://www.example.gov.cn/");
        let raw = "<iframe src=\"https://map.example.gov.cn/x\"></iframe>";
        assert!(p.audit_html(raw).is_empty(), "{:?}", p.audit_html(raw));
        assert!(
            p.clean(raw)
                .contains("<iframe src=\"https://map.example.gov.cn/x\">")
        );
        let out = p.clean(
            "<script>x</script><iframe src=\"https://map.example.gov.cn/\" onload=x></iframe>",
        );
        assert!(!out.contains("script") && !out.contains("onload"), "{out}");
    }
}
