//! `content/site.yaml`: the site's title, organization, base URL and catalog of domains.

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
    /// Extension: a site description for the home page and `<meta name="description">`.
    pub description: Option<String>,
    /// Extension: 政府网站标识码, emitted as `<meta name="SiteIDCode">`.
    pub site_id_code: Option<String>,
    /// Extension: news per list page (default 10).
    pub news_per_page: usize,
    /// Extension: inspection thresholds.
    pub check: CheckConfig,
    /// Extension: holidays and 调休 of years the vendored table lacks (`holidays:`).
    #[serde(skip)]
    pub holidays: crate::catalog::workdays::Overrides,
    /// The 基层政务公开标准目录 (`content/catalog/*.yaml`), filled by the loader.
    #[serde(skip)]
    pub catalog: crate::catalog::Catalog,
}

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
    "check",
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
        let map: Mapping = match serde_yaml::from_str::<Value>(&text) {
            Ok(Value::Mapping(m)) => m,
            Ok(other) => {
                return Err(vec![
                    Diagnostic::error("site/yaml", "site.yaml is not a list of keys")
                        .file(file)
                        .line(1)
                        .found(crate::yaml_fields::describe(&other)),
                ]);
            }
            Err(e) => {
                let loc = e.location();
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
        let title = f.required_string("title", "the site's title, e.g. 杨园街道政府信息公开");
        let organization = f.required_string(
            "organization",
            "the 发布机构 used when a page gives none, e.g. 武汉市武昌区人民政府杨园街道办事处",
        );
        let org_code = f.required_string("org_code", "the 机构代码 of 索引号, e.g. \"737546075\"");
        let base_url = f.string("base_url").unwrap_or_else(|| "/".to_string());
        let language = f.string("language").unwrap_or_else(|| "zh-CN".to_string());
        let theme = f.string("theme").unwrap_or_else(|| "default".to_string());
        let description = f.string("description");
        let site_id_code = f.string("site_id_code");
        let news_per_page = f.integer("news_per_page").unwrap_or(10).clamp(1, 1000) as usize;
        let mut check = CheckConfig::default();
        if let Some(Value::Mapping(c)) = map.get("check") {
            if let Some(n) = c.get("news_max_age_days").and_then(Value::as_i64) {
                check.news_max_age_days = n;
            }
            if let Some(n) = c.get("notice_max_age_days").and_then(Value::as_i64) {
                check.notice_max_age_days = n;
            }
        }
        let domains = read_domains(&mut f, &lines, file);
        f.warn_unknown(KNOWN);
        let mut diags = f.diagnostics;
        let (holidays, holiday_diags) =
            crate::catalog::workdays::read_overrides(map.get("holidays"), &lines, file);
        diags.extend(holiday_diags);
        if !(base_url.starts_with("http://")
            || base_url.starts_with("https://")
            || base_url.starts_with('/'))
        {
            diags.push(
                Diagnostic::error(
                    "site/base-url",
                    "base_url is neither an absolute URL nor a path",
                )
                .file(file)
                .line(lines.line_of(&["base_url"]))
                .key("base_url")
                .expected("https://www.example.gov.cn/yangyuan/ or /yangyuan/")
                .found(format!("\"{base_url}\"")),
            );
        }
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
                check,
                holidays,
                catalog: crate::catalog::Catalog::default(),
            },
            diags,
        ))
    }
}

fn read_domains(f: &mut Fields<'_>, lines: &KeyLines, file: &Path) -> Vec<Domain> {
    let mut out: Vec<Domain> = Vec::new();
    let Some(v) = f.get("domains") else {
        return out;
    };
    let Value::Sequence(seq) = v else {
        let d = f
            .error_at("site/domains", "domains", "domains must be a list")
            .expected("a list of `{ slug: social-assistance, name: 社会救助 }`")
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
                .expected("`{ slug: social-assistance, name: 社会救助 }`")
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
                Diagnostic::error(
                    "site/domains",
                    "a domain slug must be lowercase ASCII letters, digits and hyphens",
                )
                .file(file)
                .line(line)
                .key("domains.slug")
                .found(format!("\"{slug}\""))
                .hint("use the slugs of docs/content.md, e.g. social-assistance"),
            );
        }
        if out.iter().any(|d| d.slug == slug) {
            f.diagnostics.push(
                Diagnostic::error("site/domains", "a domain slug is listed twice")
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
        });
    }
    out
}

/// The path part of a base URL, normalised to start and end with `/`.
pub fn base_path_of(base_url: &str) -> String {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .map(|r| r.find('/').map(|i| &r[i..]).unwrap_or("/"))
        .unwrap_or(base_url);
    let rest = rest.split(['?', '#']).next().unwrap_or("/");
    let trimmed = rest.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_forms() {
        assert_eq!(
            base_path_of("https://www.example.gov.cn/yangyuan/"),
            "/yangyuan/"
        );
        assert_eq!(
            base_path_of("https://www.example.gov.cn/yangyuan"),
            "/yangyuan/"
        );
        assert_eq!(base_path_of("https://www.example.gov.cn"), "/");
        assert_eq!(base_path_of("/a/b"), "/a/b/");
        assert_eq!(base_path_of("/"), "/");
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
