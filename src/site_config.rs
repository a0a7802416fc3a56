//! `content/site.yaml`: the site's title, organization, base URL and catalog of domains.

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
}

/// The `search:` key of `site.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SearchConfig {
    /// Groups of equivalent terms, added to the default theme's synonym table.
    pub synonyms: Vec<Vec<String>>,
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
                    Diagnostic::error("site/yaml", "site.yaml is not a list of keys")
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
        let title = f.required_string("title", "the site's title, e.g. 杨园街道政府信息公开");
        let organization = f.required_string(
            "organization",
            "the 发布机构 used when a page gives none, e.g. 武汉市武昌区人民政府杨园街道办事处",
        );
        let org_code = f.required_string("org_code", "the 机构代码 of 索引号, e.g. \"737546075\"");
        let raw_base_url = f.string("base_url");
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
        let search = read_search(&map, &lines, file, &mut f.diagnostics);
        let domains = read_domains(&mut f, &lines, file);
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
            Diagnostic::warning(
                "site/search",
                "search.synonyms 应是若干组同义词，每组是一个列表（search.synonyms must be a list of lists of terms）",
            )
            .file(file)
            .line(lines.line_of(&["search"]))
            .key("search.synonyms")
            .expected("search: { synonyms: [[低保, 最低生活保障], [医保, 医疗保险]] }")
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

/// Reads `html: { allow_tags: [...], allow_attributes: { tag: [...] }, allow_hosts: [...] }`.
fn read_html(f: &mut Fields<'_>, lines: &KeyLines, file: &Path) -> HtmlConfig {
    let mut out = HtmlConfig::default();
    let Some(v) = f.get("html") else {
        return out;
    };
    let mut errors = Vec::new();
    let mut error = |key: &str, message: String, found: String| {
        let line = lines
            .line_of(&["html", key])
            .or_else(|| lines.line_of(&["html"]));
        errors.push(
            Diagnostic::error("site/html", message)
                .file(file)
                .line(line)
                .key(if key.is_empty() { "html".to_string() } else { format!("html.{key}") })
                .found(found)
                .expected("html: { allow_tags: [video], allow_attributes: { video: [controls] }, allow_hosts: [map.example.gov.cn] }")
                .hint("见 docs/content.md 的“正文中的 HTML”"),
        );
    };
    let names = |v: Option<&Value>| -> Result<Vec<String>, String> {
        match v {
            None => Ok(Vec::new()),
            Some(Value::Sequence(s)) => s
                .iter()
                .map(|x| match x.as_str() {
                    Some(n) if valid_name(n) => Ok(n.to_ascii_lowercase()),
                    _ => Err(format!("{x:?}")),
                })
                .collect(),
            Some(other) => Err(crate::yaml_fields::describe(other)),
        }
    };
    let Value::Mapping(m) = v else {
        error(
            "",
            "html 应是一组键（allow_tags、allow_attributes、allow_hosts）".into(),
            crate::yaml_fields::describe(v),
        );
        f.diagnostics.extend(errors);
        return out;
    };
    for (k, v) in m {
        match k.as_str() {
            Some("allow_tags") => match names(Some(v)) {
                Ok(tags) => {
                    for t in &tags {
                        if crate::sanitize::NEVER_ALLOWED.contains(&t.as_str()) {
                            error(
                                "allow_tags",
                                format!("<{t}> 永远不能出现在正文中，不能加入允许列表"),
                                t.clone(),
                            );
                        }
                    }
                    out.allow_tags = tags;
                }
                Err(found) => error(
                    "allow_tags",
                    "html.allow_tags 应是元素名的列表".into(),
                    found,
                ),
            },
            Some("allow_attributes") => {
                let Value::Mapping(per) = v else {
                    error(
                        "allow_attributes",
                        "html.allow_attributes 应是“元素: [属性, …]”".into(),
                        crate::yaml_fields::describe(v),
                    );
                    continue;
                };
                for (tag, attrs) in per {
                    let tag = tag.as_str().unwrap_or("").to_ascii_lowercase();
                    if tag != "*" && !valid_name(&tag) {
                        error(
                            "allow_attributes",
                            "html.allow_attributes 的键应是元素名或 \"*\"".into(),
                            tag,
                        );
                        continue;
                    }
                    match names(Some(attrs)) {
                        Ok(list) => {
                            for a in &list {
                                if crate::sanitize::never_allowed_attr(a) {
                                    error(
                                        "allow_attributes",
                                        format!("{a} 属性会运行脚本，不能加入允许列表"),
                                        a.clone(),
                                    );
                                }
                            }
                            out.allow_attributes.insert(tag, list);
                        }
                        Err(found) => error(
                            "allow_attributes",
                            format!("html.allow_attributes.{tag} 应是属性名的列表"),
                            found,
                        ),
                    }
                }
            }
            Some("allow_hosts") => match v {
                Value::Sequence(s) => {
                    for h in s {
                        match h.as_str().map(str::trim) {
                            Some(h)
                                if !h.is_empty()
                                    && h.chars().all(|c| {
                                        c.is_ascii_alphanumeric() || c == '.' || c == '-'
                                    }) =>
                            {
                                out.allow_hosts.push(h.to_ascii_lowercase());
                            }
                            _ => error(
                                "allow_hosts",
                                "html.allow_hosts 应是主机名的列表（不带 https:// 和路径）".into(),
                                format!("{h:?}"),
                            ),
                        }
                    }
                }
                other => error(
                    "allow_hosts",
                    "html.allow_hosts 应是主机名的列表".into(),
                    crate::yaml_fields::describe(other),
                ),
            },
            _ => error(
                "",
                format!("html 下没有 {} 这个键", k.as_str().unwrap_or("?")),
                format!("{k:?}"),
            ),
        }
    }
    f.diagnostics.extend(errors);
    out
}

/// An element or attribute name: ASCII letters, digits, `-` and `:`, starting with a letter.
fn valid_name(n: &str) -> bool {
    n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
}

/// The example every `base_url` message shows.
const BASE_URL_EXAMPLE: &str = "https://www.example.gov.cn/yangyuan/";

/// The finding for a `base_url` (or `--base-url`) that [`normalize_base_url`] refused: `why`
/// says how, `raw` is what was written. Callers add the file, line and key.
pub fn base_url_error(why: &str, raw: &str) -> Diagnostic {
    Diagnostic::error("site/base-url", format!("base_url 不是有效的网址：{why}"))
        .expected("以 https:// 或 http:// 开头、带主机名的网址，路径以 / 结尾")
        .found(format!("\"{}\"", raw.escape_debug()))
        .hint(format!("应写成 {BASE_URL_EXAMPLE}"))
}

/// Characters that may not appear in a base URL as written: they would need escaping in HTML,
/// XML or a URL (`"`, `<`, a space…), and one written into every page's links must not.
fn needs_escaping(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '"' | '\'' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
        )
}

/// Checks a site's base URL and returns it normalised: `http` or `https`, a host (an
/// internationalised one in punycode, `xn--…`), a port only if not the scheme's default, and a
/// path of plain segments that ends with `/`. The error says, in Chinese, what is wrong.
pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("是空的".into());
    }
    if let Some(c) = s.chars().find(|&c| needs_escaping(c)) {
        return Err(format!(
            "含有不能出现在网址中的字符 {}（空格、引号、尖括号等须删去）",
            c.escape_debug()
        ));
    }
    let lower = s.to_ascii_lowercase();
    if s.starts_with("//") {
        return Err("缺少 https:// 或 http://（以 // 开头的网址没有写明协议）".into());
    }
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(if s.contains("://") {
            "协议只能是 https 或 http".into()
        } else {
            "缺少 https:// 或 http:// 和主机名".into()
        });
    }
    // The parser would take `https:///a/` for host `a`.
    let after_scheme = &s[s.find("://").map_or(0, |i| i + 3)..];
    if after_scheme.is_empty() || after_scheme.starts_with(['/', ':', '?', '#']) {
        return Err("缺少主机名".into());
    }
    let url = url::Url::parse(s).map_err(|e| match e {
        url::ParseError::InvalidPort => "端口必须是 1 到 65535 之间的数".to_string(),
        url::ParseError::EmptyHost => "缺少主机名".to_string(),
        url::ParseError::IdnaError | url::ParseError::InvalidDomainCharacter => {
            "主机名无效".to_string()
        }
        other => format!("无法解析（{other}）"),
    })?;
    let host = match url.host_str() {
        Some(h) if !h.is_empty() => h,
        _ => return Err("缺少主机名".into()),
    };
    if url.port() == Some(0) {
        return Err("端口必须是 1 到 65535 之间的数".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("不能含有用户名或密码（@ 之前的部分）".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("不能含有 ? 或 # 及其后的部分".into());
    }
    // The path as written (the parser would percent-encode what it does not like).
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let mut segments = Vec::new();
    for seg in path.split('/').filter(|seg| !seg.is_empty()) {
        if seg == "." || seg == ".." {
            return Err("路径中不能有 . 或 .. 这样的段".into());
        }
        if let Some(c) = seg
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
        {
            return Err(format!(
                "路径中有字符 {}；路径只能用英文字母、数字和 - _ . ~",
                c.escape_debug()
            ));
        }
        segments.push(seg);
    }
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let mut out = format!("{}://{host}{port}/", url.scheme());
    for seg in segments {
        out.push_str(seg);
        out.push('/');
    }
    Ok(out)
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
        Diagnostic::error("site/yaml", format!("site.yaml 中的键 {key} 写了两次"))
            .file(file)
            .line(line)
            .key(key.clone())
            .found(format!("第二个 {key}:"))
            .hint(format!(
                "每个键只能写一次：删去多余的一行 {key}: …，保留正确的那个"
            )),
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
    fn base_urls_are_checked_and_normalised() {
        let ok = |raw: &str| normalize_base_url(raw).unwrap();
        assert_eq!(
            ok("https://www.example.gov.cn/yangyuan"),
            "https://www.example.gov.cn/yangyuan/"
        );
        assert_eq!(
            ok("HTTPS://WWW.Example.gov.cn"),
            "https://www.example.gov.cn/"
        );
        assert_eq!(ok("https://x.gov.cn:443//a//b/"), "https://x.gov.cn/a/b/");
        assert_eq!(
            ok("http://127.0.0.1:8000/other/path/"),
            "http://127.0.0.1:8000/other/path/"
        );
        assert_eq!(
            ok("https://杨园街道.中国/yangyuan/"),
            "https://xn--fcs769ay0yvxg.xn--fiqs8s/yangyuan/"
        );
        for (bad, why) in [
            ("https://x.gov.cn/a\"b/", "字符"),
            ("https://x.gov.cn/a b/", "字符"),
            ("https://x.gov.cn/<script>/", "字符"),
            ("https://x.gov.cn:99999/", "端口"),
            ("https://x.gov.cn:0/", "端口"),
            ("//x.gov.cn/", "//"),
            ("/yangyuan/", "缺少"),
            ("ftp://x.gov.cn/", "协议"),
            ("https:///a/", "主机名"),
            ("https://u:p@x.gov.cn/", "用户名"),
            ("https://x.gov.cn/?a=1", "?"),
            ("https://x.gov.cn/../a/", ".."),
            ("https://x.gov.cn/杨园/", "路径"),
            ("", "空"),
        ] {
            let e = normalize_base_url(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
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
