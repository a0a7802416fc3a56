//! `content/site.yaml`: the site's title, organization, base URL and catalog of domains.

use crate::t;
use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostic::Diagnostic;
use crate::yaml_fields::{Fields, KeyLines};

/// One catalog domain (领域) of the 基层政务公开标准目录.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Domain {
    /// URL slug, e.g. `social-assistance`.
    pub slug: String,
    /// Display name, e.g. 社会救助.
    pub name: String,
    /// Other names editors may meet (卫生健康 ↔ 医疗卫生).
    pub aliases: Vec<String>,
    /// A one-line description shown on the catalog.
    pub description: Option<String>,
    /// The line of `site.yaml` that lists it (for messages about the domain).
    #[serde(skip)]
    pub line: Option<usize>,
}

/// Thresholds of the inspection rules, configurable per site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckConfig {
    /// 动态、要闻类: news must be updated within this many days (national rule: 14).
    pub news_max_age_days: i64,
    /// 通知公告、政策文件类: catalog domains within this many days (national rule: 6 months).
    pub notice_max_age_days: i64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            news_max_age_days: 14,
            notice_max_age_days: 183,
        }
    }
}

/// Extension `html:` of `site.yaml`: what raw HTML in Markdown bodies may contain beyond the
/// built-in allow-list of [`crate::sanitize`]. Scripts and event handlers cannot be allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct HtmlConfig {
    /// Extra elements, e.g. `[video, source]`.
    pub allow_tags: Vec<String>,
    /// Extra attributes per element; the key `"*"` means every element.
    pub allow_attributes: BTreeMap<String, Vec<String>>,
    /// Hosts besides the site's own whose files a page may load (`src`), e.g. `map.example.gov.cn`.
    pub allow_hosts: Vec<String>,
}

/// The parsed `site.yaml`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteConfig {
    /// Site title.
    pub title: String,
    /// Default 发布机构.
    pub organization: String,
    /// 机构代码, the first part of every 索引号.
    pub org_code: String,
    /// Absolute URL the site is published at; its path is the sub-path.
    pub base_url: String,
    /// `zh-CN`.
    pub language: String,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// The catalog, in display order.
    pub domains: Vec<Domain>,
    /// Extension: a site description for the home page and `<meta name="Description">`.
    pub description: Option<String>,
    /// Extension: 政府网站标识码, emitted as `<meta name="SiteIDCode">`.
    pub site_id_code: Option<String>,
    /// Extension: news per list page (default 10).
    pub news_per_page: usize,
    /// Documents per page of a domain's list (`catalog/<slug>/`, `catalog/<slug>/page/2/`, …).
    pub items_per_page: usize,
    /// Extension: inspection thresholds.
    pub check: CheckConfig,
    /// Extension: holidays and 调休 of years the vendored table lacks (`holidays:`).
    #[serde(skip)]
    pub holidays: crate::catalog::workdays::Overrides,
    /// The 基层政务公开标准目录 (`content/catalog/*.yaml`), filled by the loader.
    #[serde(skip)]
    pub catalog: crate::catalog::Catalog,
    /// Extension: widenings of the HTML allow-list.
    pub html: HtmlConfig,
    /// The parent portal (上级门户, e.g. the 区 government site) the header's 首页 links to.
    pub parent_url: Option<String>,
    /// The parent portal's name shown in the header (default 上级门户首页).
    pub parent_name: Option<String>,
    /// The site's favicon (a URL or a path under the site, e.g. `files/favicon.ico`).
    pub favicon: Option<String>,
    /// `footer:` — 主办单位, 备案号, 网站标识码 links … (all optional).
    pub footer: crate::site_contact::Footer,
    /// `contact:` — the 政府信息公开工作机构 the guide must name (条例第十二条).
    pub contact: crate::site_contact::Contact,
    /// Extension: site search settings (`search: { synonyms: [[低保, 最低生活保障], …] }`).
    pub search: SearchConfig,
    /// Where each key of `site.yaml` is written, for messages that point at it.
    #[serde(skip)]
    pub key_lines: KeyLines,
}

/// The `search:` key of `site.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SearchConfig {
    /// Groups of equivalent terms, added to the default theme's synonym table.
    pub synonyms: Vec<Vec<String>>,
}

mod base_url;
mod html;

pub use base_url::{base_path_of, base_url_error, normalize_base_url, push_base_path};
use html::read_html;

const KNOWN: &[&str] = &[
    "title",
    "organization",
    "org_code",
    "base_url",
    "language",
    "theme",
    "domains",
    "description",
    "site_id_code",
    "news_per_page",
    "items_per_page",
    "check",
    "html",
    "parent_url",
    "parent_name",
    "favicon",
    "footer",
    "contact",
    "search",
    "holidays",
];

impl SiteConfig {
    /// The path part of `base_url`, always starting and ending with `/` (`/yangyuan/`).
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }

    /// Finds a domain by slug, name or alias.
    pub fn domain(&self, key: &str) -> Option<&Domain> {
        self.domains
            .iter()
            .find(|d| d.slug == key || d.name == key || d.aliases.iter().any(|a| a == key))
    }

    /// Parses `site.yaml` text. `file` is used in messages.
    pub fn parse(
        text: &str,
        file: &Path,
    ) -> Result<(SiteConfig, Vec<Diagnostic>), Vec<Diagnostic>> {
        let text = crate::front_matter::strip_bom(text).replace("\r\n", "\n");
        let colons = crate::front_matter::full_width_colons(&text, 1, file);
        if !colons.is_empty() {
            return Err(colons);
        }
        if let Some(d) = crate::yaml_depth::too_deep(&text, 1, file, "site/too-deep") {
            return Err(vec![d]);
        }
        let map: Mapping = match serde_yaml::from_str::<Value>(&text) {
            Ok(Value::Mapping(m)) => m,
            Ok(other) => {
                return Err(vec![
                    Diagnostic::error("site/yaml", t!("site.yaml"))
                        .file(file)
                        .line(1)
                        .found(crate::yaml_fields::describe(&other)),
                ]);
            }
            Err(e) => {
                let loc = e.location();
                if let Some(d) = duplicate_key(&e.to_string(), &text, file) {
                    return Err(vec![d]);
                }
                return Err(vec![
                    Diagnostic::error(
                        "site/yaml",
                        format!(
                            "YAML syntax error: {}",
                            e.to_string().split(" at line ").next().unwrap_or_default()
                        ),
                    )
                    .file(file)
                    .line(loc.as_ref().map(|l| l.line()))
                    .column(loc.as_ref().map(|l| l.column())),
                ]);
            }
        };
        let lines = KeyLines::new(&text, 1);
        let mut f = Fields::new(&map, file, &lines);
        let title = f.required_string("title", &t!("site-config.required_string"));
        let organization = f.required_string("organization", &t!("site-config.required_string-2"));
        let org_code = f.required_string("org_code", &t!("site-config.required_string-3"));
        let raw_base_url = f.string("base_url");
        let language = f.string("language").unwrap_or_else(|| "zh-CN".to_string());
        let theme = f.string("theme").unwrap_or_else(|| "default".to_string());
        let description = f.string("description");
        let site_id_code = f.string("site_id_code");
        let news_per_page = f.integer("news_per_page").unwrap_or(10).clamp(1, 1000) as usize;
        let items_per_page = f.integer("items_per_page").unwrap_or(20).clamp(1, 1000) as usize;
        let mut check = CheckConfig::default();
        if let Some(Value::Mapping(c)) = map.get("check") {
            if let Some(n) = c.get("news_max_age_days").and_then(Value::as_i64) {
                check.news_max_age_days = n;
            }
            if let Some(n) = c.get("notice_max_age_days").and_then(Value::as_i64) {
                check.notice_max_age_days = n;
            }
        }
        let search = read_search(&map, &lines, file, &mut f.diagnostics);
        let mut domains = read_domains(&mut f, &lines, file);
        for d in &mut domains {
            d.line = domain_line(&text, &d.slug);
        }
        let html = read_html(&mut f, &lines, file);
        let parent_url = f.string("parent_url").filter(|s| !s.is_empty());
        let parent_name = f.string("parent_name").filter(|s| !s.is_empty());
        let favicon = f.string("favicon").filter(|s| !s.is_empty());
        let footer = crate::site_contact::parse_footer(&map, file, &lines, &mut f.diagnostics);
        let contact = crate::site_contact::parse_contact(&map, file, &lines, &mut f.diagnostics);
        f.warn_unknown(KNOWN);
        let mut diags = f.diagnostics;
        let base_url = match raw_base_url.as_deref().map(normalize_base_url) {
            None => "/".to_string(),
            Some(Ok(url)) => url,
            Some(Err(why)) => {
                diags.push(
                    base_url_error(&why, raw_base_url.as_deref().unwrap_or_default())
                        .file(file)
                        .line(lines.line_of(&["base_url"]))
                        .key("base_url"),
                );
                String::new()
            }
        };
        let (holidays, holiday_diags) =
            crate::catalog::workdays::read_overrides(map.get("holidays"), &lines, file);
        diags.extend(holiday_diags);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        Ok((
            SiteConfig {
                title: title.unwrap_or_default(),
                organization: organization.unwrap_or_default(),
                org_code: org_code.unwrap_or_default(),
                base_url,
                language,
                theme,
                domains,
                description,
                site_id_code,
                news_per_page,
                items_per_page,
                check,
                html,
                parent_url,
                parent_name,
                favicon,
                footer,
                contact,
                search,
                holidays,
                catalog: crate::catalog::Catalog::default(),
                key_lines: lines,
            },
            diags,
        ))
    }
}

/// `search: { synonyms: [[低保, 最低生活保障], …] }`; a malformed value is reported and ignored.
fn read_search(
    map: &Mapping,
    lines: &KeyLines,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) -> SearchConfig {
    let mut out = SearchConfig::default();
    let Some(v) = map.get("search") else {
        return out;
    };
    let groups = match v {
        Value::Mapping(m) => m.get("synonyms"),
        _ => None,
    };
    let parsed: Option<Vec<Vec<String>>> = match groups {
        None => Some(Vec::new()),
        Some(Value::Sequence(seq)) => seq
            .iter()
            .map(|g| match g {
                Value::Sequence(items) => items
                    .iter()
                    .map(|x| match x {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .collect(),
                _ => None,
            })
            .collect(),
        Some(_) => None,
    };
    match parsed {
        Some(groups) if matches!(v, Value::Mapping(_)) => out.synonyms = groups,
        _ => diags.push(
            Diagnostic::warning("site/search", t!("site.search"))
                .file(file)
                .line(lines.line_of(&["search"]))
                .key("search.synonyms")
                .expected(t!("site.search.expected"))
                .found(crate::yaml_fields::describe(v)),
        ),
    }
    out
}

fn read_domains(f: &mut Fields<'_>, lines: &KeyLines, file: &Path) -> Vec<Domain> {
    let mut out: Vec<Domain> = Vec::new();
    let Some(v) = f.get("domains") else {
        return out;
    };
    let Value::Sequence(seq) = v else {
        let d = f
            .error_at("site/domains", "domains", "domains must be a list")
            .expected(t!("site.search.expected-2"))
            .found(crate::yaml_fields::describe(v));
        f.diagnostics.push(d);
        return out;
    };
    for entry in seq {
        let slug = entry.get("slug").and_then(Value::as_str).map(str::trim);
        let name = entry.get("name").and_then(Value::as_str).map(str::trim);
        let (Some(slug), Some(name)) = (slug, name) else {
            let d = f
                .error_at("site/domains", "domains", "a domain lacks `slug` or `name`")
                .expected(t!("site.search.expected-3"))
                .found(format!("{entry:?}"));
            f.diagnostics.push(d);
            continue;
        };
        let line = lines
            .line_of(&["domains", slug])
            .or_else(|| lines.line_of(&["domains"]));
        if !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || slug.is_empty()
        {
            f.diagnostics.push(
                Diagnostic::error("site/domains", t!("site.domains"))
                    .file(file)
                    .line(line)
                    .key("domains.slug")
                    .found(format!("\"{slug}\""))
                    .hint(t!("site.domains.hint")),
            );
        }
        if out.iter().any(|d| d.slug == slug) {
            f.diagnostics.push(
                Diagnostic::error("site/domains", t!("site.domains-2"))
                    .file(file)
                    .line(line)
                    .key("domains.slug")
                    .found(slug.to_string()),
            );
            continue;
        }
        let aliases = match entry.get("aliases") {
            Some(Value::Sequence(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        out.push(Domain {
            slug: slug.to_string(),
            name: name.to_string(),
            aliases,
            description: entry
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            line: None,
        });
    }
    out
}

/// The `site.yaml` line that lists the domain `slug`: the first line after `domains:` naming
/// `slug` as a whole word next to `slug`.
fn domain_line(site_yaml: &str, slug: &str) -> Option<usize> {
    let bounded = |line: &str| {
        line.match_indices(slug).any(|(i, _)| {
            let before = line[..i].chars().next_back();
            let after = line[i + slug.len()..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-'));
            edge(before) && edge(after)
        })
    };
    let start = site_yaml.lines().position(|l| l.starts_with("domains:"))?;
    site_yaml
        .lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.contains("slug") && bounded(l))
        .map(|(i, _)| i + 1)
}

/// The finding for a YAML "duplicate entry with key" error, on the line of the key's second
/// occurrence (the parser itself reports such errors at 1:1).
fn duplicate_key(message: &str, text: &str, file: &Path) -> Option<Diagnostic> {
    let rest = message.split("duplicate entry with key").nth(1)?;
    let key = rest
        .split(" at line ")
        .next()
        .unwrap_or_default()
        .trim()
        .trim_matches('"')
        .to_string();
    let line = duplicate_key_line(text, &key);
    Some(
        Diagnostic::error("site/yaml", t!("site.yaml-2", key))
            .file(file)
            .line(line)
            .key(key.clone())
            .found(t!("site.yaml.found", key))
            .hint(t!("site.yaml.hint", key)),
    )
}

/// The 1-based line of the second `key:` at the same indentation as the first, in block style
/// (also as the first key of a list item, `- key:`); `None` if not found.
fn duplicate_key_line(text: &str, key: &str) -> Option<usize> {
    let mut first_indent = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let mut indent = line.len() - trimmed.len();
        let body = match trimmed.strip_prefix("- ") {
            Some(b) => {
                indent += 2 + (b.len() - b.trim_start().len());
                b.trim_start()
            }
            None => trimmed,
        };
        let name = body
            .strip_prefix('"')
            .and_then(|b| b.strip_prefix(key))
            .and_then(|b| b.strip_prefix('"'))
            .or_else(|| {
                body.strip_prefix('\'')
                    .and_then(|b| b.strip_prefix(key))
                    .and_then(|b| b.strip_prefix('\''))
            })
            .or_else(|| body.strip_prefix(key));
        let Some(after) = name else { continue };
        if !after.trim_start_matches(' ').starts_with(':') {
            continue;
        }
        match first_indent {
            None => first_indent = Some(indent),
            Some(f) if f == indent => return Some(i + 1),
            Some(_) => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_lines_are_found_by_whole_slug() {
        let yaml = "title: x\ndomains:\n  - { slug: care-x, name: A }\n  - { slug: care, name: B }\n  - slug: \"other\"\n    name: C\n";
        assert_eq!(domain_line(yaml, "care"), Some(4));
        assert_eq!(domain_line(yaml, "care-x"), Some(3));
        assert_eq!(domain_line(yaml, "other"), Some(5));
        assert_eq!(domain_line(yaml, "none"), None);
    }

    #[test]
    fn a_bad_base_url_is_located() {
        let text =
            "title: T\norganization: O\norg_code: \"1\"\nbase_url: \"https://x.gov.cn:99999/\"\n";
        let e = SiteConfig::parse(text, Path::new("content/site.yaml")).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].line, Some(4));
        assert!(e[0].message.starts_with("base_url 不是有效的网址：端口"));
        assert!(
            e[0].hint
                .as_deref()
                .unwrap()
                .contains("https://www.example.gov.cn/yangyuan/")
        );
    }

    #[test]
    fn a_duplicate_key_is_reported_on_its_second_line() {
        let text = "title: T\norganization: O\norg_code: \"1\"\ntitle: U\n";
        let e = SiteConfig::parse(text, Path::new("content/site.yaml")).unwrap_err();
        assert_eq!(e[0].line, Some(4), "{e:?}");
        assert_eq!(e[0].key.as_deref(), Some("title"));
        assert!(e[0].message.contains("写了两次"));
        let nested =
            "check:\n  news_max_age_days: 1\n  notice_max_age_days: 2\n  news_max_age_days: 3\n";
        assert_eq!(duplicate_key_line(nested, "news_max_age_days"), Some(4));
    }

    #[test]
    fn parses_domains_and_aliases() {
        let text = "title: T\norganization: O\norg_code: \"737546075\"\nbase_url: https://x.gov.cn/y/\ndomains:\n  - { slug: social-assistance, name: 社会救助 }\n  - { slug: medical-and-health, name: 卫生健康, aliases: [医疗卫生] }\n";
        let (c, w) = SiteConfig::parse(text, Path::new("content/site.yaml")).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.domains.len(), 2);
        assert_eq!(c.domain("医疗卫生").unwrap().slug, "medical-and-health");
        assert_eq!(c.base_path(), "/y/");
    }
}
