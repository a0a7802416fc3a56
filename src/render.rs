//! The third stage: the theme's Tera templates, parsed once, and the data each page template
//! sees. Listings carry page metadata only, never rendered bodies.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Site;
use crate::page::{Kind, Page};
use crate::t;

mod context;

use context::PageContext;
pub use context::{NamedLink, Summary};

/// One entry of the main navigation; `key` names the section it leads to, so the template can
/// mark the current one.
#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    /// Label.
    pub name: String,
    /// Absolute URL path.
    pub url: String,
    /// Section key: `home`, `guide`, `system`, `catalog`, `news`, `reports`, `apply`.
    pub key: &'static str,
}

/// The theme's templates, parsed once for the whole build.
pub struct Theme {
    tera: tera::Tera,
    /// `themes/<name>/static`, copied to `static/`.
    pub static_dir: PathBuf,
}

/// Template names the theme must provide.
pub const TEMPLATES: &[&str] = &[
    "index.html",
    "catalog.html",
    "domain.html",
    "domain_effective.html",
    "item.html",
    "news.html",
    "news_list.html",
    "news_year.html",
    "report.html",
    "reports.html",
    "page.html",
    "404.html",
    "search.html",
    "sitemap.html",
    "redirect.html",
];

impl Theme {
    /// Loads `themes/<name>/templates/*.html` and sets up the site-wide context.
    pub fn load(root: &Path, site: &Site) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(&site.config.theme);
        let tpl_dir = dir.join("templates");
        let mut files = Vec::new();
        let mut diags = Vec::new();
        match std::fs::read_dir(&tpl_dir) {
            Ok(rd) => {
                for e in rd.flatten() {
                    let p = e.path();
                    if p.extension().is_some_and(|x| x == "html" || x == "xml") {
                        files.push(p);
                    }
                }
            }
            Err(e) => {
                return Err(vec![
                    Diagnostic::error("template/missing", t!("template.unreadable", error = e))
                        .file(tpl_dir.strip_prefix(root).unwrap_or(&tpl_dir))
                        .hint(t!("template.unreadable.hint", theme = site.config.theme)),
                ]);
            }
        }
        files.sort();
        let names: Vec<String> = files
            .iter()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        for t in TEMPLATES {
            if !names.iter().any(|n| n == t) {
                diags.push(
                    Diagnostic::error("template/missing", t!("template.missing", template = t))
                        .file(tpl_dir.strip_prefix(root).unwrap_or(&tpl_dir))
                        .hint(t!("template.missing.hint")),
                );
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let mut tera = tera::Tera::new();
        let pairs: Vec<(PathBuf, Option<String>)> = files
            .iter()
            .cloned()
            .zip(names.into_iter().map(Some))
            .collect();
        if let Err(e) = tera.add_template_files(pairs) {
            return Err(vec![template_error(&e, &tpl_dir, root)]);
        }
        let mut theme = Theme {
            tera,
            static_dir: dir.join("static"),
        };
        theme.set_globals(&globals(site));
        Ok(theme)
    }

    /// Replaces the site-wide values every template sees (after the site changed).
    pub fn set_globals(&mut self, g: &Globals) {
        let ctx = self.tera.global_context();
        ctx.insert("base_path", &g.base_path);
        ctx.insert("site", &g.site);
        ctx.insert("nav", &g.nav);
    }

    /// Renders `template` with `ctx`; a failure names the template, line and snippet.
    pub fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
        for_file: Option<&Path>,
    ) -> Result<String, Diagnostic> {
        // Rendered into bytes and validated by `crate::utf8`: Tera's own `render` checks its
        // output with the standard library's slower UTF-8 check (issue 13).
        let mut out = Vec::with_capacity(16 * 1024);
        let rendered = self.tera.render_to(template, ctx, &mut out).map(|()| {
            crate::utf8::into_string(out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        });
        rendered.map_err(|e| {
            let mut d = template_error(&e, Path::new("themes"), Path::new(""));
            if let Some(f) = for_file {
                d.message = t!(
                    "template.error-while",
                    message = d.message,
                    file = f.display()
                );
            }
            d
        })
    }
}

fn template_error(e: &tera::Error, tpl_dir: &Path, root: &Path) -> Diagnostic {
    let (file, line, col) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            Some(r.filename().to_string()),
            Some(r.span().start_line),
            Some(r.span().start_col + 1),
        ),
        _ => (None, None, None),
    };
    let mut text = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        text.push_str(&format!(": {s}"));
        src = s.source();
    }
    let shown = file
        .map(PathBuf::from)
        .map(|f| f.strip_prefix(root).map(Path::to_path_buf).unwrap_or(f))
        .unwrap_or_else(|| tpl_dir.strip_prefix(root).unwrap_or(tpl_dir).to_path_buf());
    Diagnostic::error("template/error", t!("template.error", text))
        .file(shown)
        .line(line)
        .column(col)
        .hint(t!("template.error.hint"))
}

/// The values every template sees besides its own context: `base_path`, `site` (with the item
/// counts per domain) and `nav`. Kept as JSON so that the preview server can tell whether an edit
/// changed them, and so which pages it must render again.
#[derive(Debug, Clone, PartialEq)]
pub struct Globals {
    /// `base_path`, e.g. `/yangyuan/`.
    pub base_path: String,
    /// `site`: title, organization, the domains with their item counts, …
    pub site: serde_json::Value,
    /// `nav`: the main navigation.
    pub nav: serde_json::Value,
}

/// The site-wide template values of `site`.
pub fn globals(site: &Site) -> Globals {
    Globals {
        base_path: site.config.base_path(),
        site: serde_json::to_value(site_context(site)).unwrap_or_default(),
        nav: serde_json::to_value(nav(site)).unwrap_or_default(),
    }
}

#[derive(Serialize)]
struct DomainCtx<'a> {
    slug: &'a str,
    name: &'a str,
    description: &'a str,
    count: usize,
    url: String,
    /// 事项 in the catalog, 事项 with documents, documents filed under 事项.
    matters: usize,
    matters_with_docs: usize,
    matter_docs: usize,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    organization: &'a str,
    org_code: &'a str,
    base_url: &'a str,
    language: &'a str,
    description: &'a str,
    site_id_code: &'a str,
    /// `SiteDomain`: the host of `base_url` (empty when it is a bare path).
    domain: String,
    /// `scheme://host` of `base_url`, to make absolute `Url` meta tags.
    origin: String,
    parent_url: &'a str,
    parent_name: &'a str,
    favicon: String,
    footer: FooterCtx<'a>,
    /// The `contact:` fields that are filled, in the order of 条例第十二条.
    contact: Vec<LabelValue<'a>>,
    /// The 联系我们 target.
    contact_url: String,
    domains: Vec<DomainCtx<'a>>,
    item_count: usize,
    news_count: usize,
    matter_count: usize,
}

#[derive(Serialize)]
struct LabelValue<'a> {
    key: &'a str,
    label: &'a str,
    value: &'a str,
}

/// `footer:` with its links resolved under the base path.
#[derive(Serialize)]
struct FooterCtx<'a> {
    sponsor: &'a str,
    organizer: &'a str,
    phone: &'a str,
    address: &'a str,
    postcode: &'a str,
    icp: &'a str,
    police_record: &'a str,
    police_record_url: String,
    party_gov_logo: String,
    party_gov_logo_url: String,
    error_report_url: String,
    statement_url: String,
}

/// The host and the `scheme://host` of an absolute base URL (`("", "")` for a bare path).
fn host_of(base_url: &str) -> (String, String) {
    let Some((scheme, rest)) = base_url.split_once("://") else {
        return (String::new(), String::new());
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (host.to_string(), format!("{scheme}://{host}"))
}

fn site_context(site: &Site) -> SiteCtx<'_> {
    use crate::site_contact::{CONTACT_FIELDS, site_link};
    let c = &site.config;
    let base = c.base_path();
    let f = &c.footer;
    let (domain, origin) = host_of(&c.base_url);
    let guide = page_link(site, "guide");
    let contact_url = if f.contact_url.is_empty() {
        guide
            .map(|g| format!("{}#contact", g.url))
            .unwrap_or_default()
    } else {
        site_link(&base, &f.contact_url)
    };
    let police_record_url = if f.police_record.is_empty() || !f.police_record_url.is_empty() {
        site_link(&base, &f.police_record_url)
    } else {
        // The national registry's query page, with the record's digits.
        let code: String = f
            .police_record
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        format!("https://beian.mps.gov.cn/#/query/webSearch?code={code}")
    };
    SiteCtx {
        domain,
        origin,
        parent_url: c.parent_url.as_deref().unwrap_or(""),
        parent_name: c.parent_name.as_deref().unwrap_or(""),
        favicon: c
            .favicon
            .as_deref()
            .map(|v| site_link(&base, v))
            .unwrap_or_default(),
        footer: FooterCtx {
            sponsor: if f.sponsor.is_empty() {
                &c.organization
            } else {
                &f.sponsor
            },
            organizer: &f.organizer,
            phone: &f.phone,
            address: &f.address,
            postcode: &f.postcode,
            icp: &f.icp,
            police_record: &f.police_record,
            police_record_url,
            party_gov_logo: site_link(&base, &f.party_gov_logo),
            party_gov_logo_url: site_link(&base, &f.party_gov_logo_url),
            error_report_url: site_link(&base, &f.error_report_url),
            statement_url: site_link(&base, &f.statement_url),
        },
        contact: CONTACT_FIELDS
            .iter()
            .map(|&(key, label)| LabelValue {
                key,
                label,
                value: c.contact.get(key),
            })
            .filter(|lv| !lv.value.is_empty())
            .collect(),
        contact_url,
        title: &c.title,
        organization: &c.organization,
        org_code: &c.org_code,
        base_url: &c.base_url,
        language: &c.language,
        description: c.description.as_deref().unwrap_or(""),
        site_id_code: c.site_id_code.as_deref().unwrap_or(""),
        domains: c
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| (i, d, crate::catalog::view::counts(site, i)))
            .map(|(i, d, counts)| DomainCtx {
                slug: &d.slug,
                name: &d.name,
                description: d.description.as_deref().unwrap_or(""),
                count: site.domain_items[i].len(),
                url: crate::generated::Generated::Domain(i, 1).href(site),
                matters: counts.0,
                matters_with_docs: counts.1,
                matter_docs: counts.2,
            })
            .collect(),
        item_count: site.pages.iter().filter(|p| p.kind == Kind::Item).count(),
        news_count: site.news.len(),
        matter_count: c.catalog.matters.len(),
    }
}

/// The standalone page `pages/<name>.md` as a link, if the site has it.
fn page_link(site: &Site, name: &str) -> Option<NamedLink> {
    site.standalone
        .iter()
        .map(|&i| &site.pages[i])
        .find(|p| p.source.rel == format!("pages/{name}.md"))
        .map(|p| NamedLink {
            name: p.meta().title.clone(),
            url: site.href(&p.url),
        })
}

fn nav(site: &Site) -> Vec<NavLink> {
    let link = |name: &str, url: String, key: &'static str| NavLink {
        name: name.into(),
        url,
        key,
    };
    let page = |key: &'static str| page_link(site, key).map(|l| link(&l.name, l.url, key));
    let mut out = vec![link("首页", site.href(""), "home")];
    out.extend(page("guide"));
    out.extend(page("system"));
    out.push(link("标准目录", site.href("catalog/"), "catalog"));
    out.push(link("工作动态", site.href("news/"), "news"));
    out.push(link("年度报告", site.href("reports/"), "reports"));
    out.extend(page("apply"));
    out
}

/// The main-navigation section of content page `p`.
fn section_of(p: &Page) -> &'static str {
    match p.kind {
        Kind::Report => "reports",
        Kind::News => "news",
        Kind::Item => "catalog",
        Kind::Page => match p.source.rel.as_str() {
            "pages/guide.md" => "guide",
            "pages/system.md" => "system",
            r if r.starts_with("pages/apply") => "apply",
            _ => "",
        },
    }
}

/// The pages whose 上一篇 / 下一篇 links show page `i` (its neighbours in its list): they must be
/// rendered again when `i` changes its title, date or place.
pub fn neighbour_pages(site: &Site, i: usize) -> Vec<usize> {
    let (list, pos) = list_of(site, i);
    pos.map(|k| {
        [k.checked_sub(1), Some(k + 1)]
            .into_iter()
            .flatten()
            .filter_map(|j| list.get(j).copied())
            .collect()
    })
    .unwrap_or_default()
}

/// The list page `i` is shown in, and its place there.
fn list_of(site: &Site, i: usize) -> (&[usize], Option<usize>) {
    let p = &site.pages[i];
    let list: &[usize] = match p.kind {
        Kind::News => &site.news,
        Kind::Item => p
            .domains
            .first()
            .map(|&d| site.domain_items[d].as_slice())
            .unwrap_or(&[]),
        Kind::Report => &site.reports,
        Kind::Page => &[],
    };
    let pos = site.position_in(list, i);
    (list, pos)
}

/// 上一篇 / 下一篇 of page `i`: its neighbours in the list it is shown in.
fn neighbours(site: &Site, i: usize) -> (Option<NamedLink>, Option<NamedLink>) {
    let (list, pos) = list_of(site, i);
    let Some(pos) = pos else {
        return (None, None);
    };
    let link = |j: usize| NamedLink {
        name: site.pages[j].meta().title.clone(),
        url: site.href(&site.pages[j].url),
    };
    (
        pos.checked_sub(1).map(|k| link(list[k])),
        list.get(pos + 1).map(|&j| link(j)),
    )
}

/// The listing view of page `i`.
pub fn summary(site: &Site, i: usize) -> Summary {
    let p = &site.pages[i];
    let m = p.meta();
    Summary {
        title: m.title.clone(),
        url: site.href(&p.url),
        date: m.date.map(|d| d.to_string()).unwrap_or_default(),
        index_no: m.index_no.clone().unwrap_or_default(),
        validity: p.validity.label().to_string(),
        validity_key: format!("{:?}", p.validity).to_lowercase(),
        kind: p.kind.name().to_string(),
        kind_label: p.kind.label().to_string(),
        domains: site.domain_names(p),
        summary: m.summary.clone().unwrap_or_default(),
        year: p.report.as_ref().map(|r| r.year).unwrap_or(0),
    }
}

/// The template context of a content page with its rendered body.
pub fn page_context(site: &Site, i: usize, body: &Rendered, content_html: String) -> tera::Context {
    let p: &Page = &site.pages[i];
    let m = p.meta();
    let mut downloads = Vec::new();
    if p.report.is_some() {
        downloads.push(NamedLink {
            name: "统计表 JSON".into(),
            url: site.href(&format!("{}tables.json", p.url)),
        });
        downloads.push(NamedLink {
            name: "统计表 CSV（Excel 可打开）".into(),
            url: site.href(&format!("{}tables.csv", p.url)),
        });
    }
    let (prev, next) = neighbours(site, i);
    let section = section_of(p);
    let pc = PageContext {
        prev,
        next,
        section,
        show_contact: matches!(section, "guide" | "apply") && p.kind == Kind::Page,
        summary: summary(site, i),
        written: m.written.map(|d| d.to_string()).unwrap_or_default(),
        publisher: &p.publisher,
        doc_no: m.doc_no.as_deref().unwrap_or(""),
        category: m.category.as_deref().unwrap_or(""),
        disclosure: p.disclosure.label(),
        keywords: &m.keywords,
        domain_links: p
            .domains
            .iter()
            .map(|&d| crate::generated::domain_link(site, d))
            .collect(),
        matter_link: p.matter.map(|mi| crate::generated::matter_link(site, mi)),
        attachments: m
            .attachments
            .iter()
            .map(|a| {
                let path = crate::model::normalize_content_path(&a.file);
                AttachmentLink {
                    name: a.title.clone(),
                    url: site.href(&crate::links::encode_path(path)),
                    kind: file_kind(path),
                    size: site.asset_sizes.get(path).map(|&b| human_size(b)),
                }
            })
            .collect(),
        related: p.related.iter().map(|&j| summary(site, j)).collect(),
        replaces: p.replaces.iter().map(|&j| summary(site, j)).collect(),
        replaced_by: p.replaced_by.iter().map(|&j| summary(site, j)).collect(),
        content: content_html,
        toc: body.headings.iter().filter(|h| h.level == 2).collect(),
        downloads,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("page", &pc);
    ctx.insert("section", section);
    ctx.insert("canonical", &canonical(site, &p.url));
    ctx
}

/// The absolute URL of the site-relative page URL `rel` (`news/a/`): `rel=canonical`, one per
/// page, so that the same page reached through an alias or another host counts once.
pub fn canonical(site: &Site, rel: &str) -> String {
    format!("{}{}", crate::outputs::origin(site), site.href(rel))
}

/// An attachment as its page lists it: residents see what they download before they do.
#[derive(Debug, Clone, Serialize)]
struct AttachmentLink {
    name: String,
    url: String,
    /// `PDF`, `Word`, `Excel`, `图片` …
    kind: String,
    /// `1.2 MB`, `380 KB`.
    size: Option<String>,
}

/// What kind of file a path names, as a resident would call it.
fn file_kind(path: &str) -> String {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "PDF".into(),
        "doc" | "docx" | "wps" => "Word".into(),
        "xls" | "xlsx" | "et" | "csv" => "Excel".into(),
        "ppt" | "pptx" => "PPT".into(),
        "txt" => "文本".into(),
        "jpg" | "jpeg" | "png" | "gif" | "webp" => "图片".into(),
        "zip" | "rar" | "7z" => "压缩包".into(),
        "ofd" => "OFD".into(),
        "" => "文件".into(),
        other => other.to_ascii_uppercase(),
    }
}

/// A byte count as people read it: `860 B`, `12 KB`, `1.2 MB`.
fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", (b / KB).max(1.0))
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

/// Template of a page kind.
pub fn template_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Report => "report.html",
        Kind::News => "news.html",
        Kind::Item => "item.html",
        Kind::Page => "page.html",
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn sizes_and_kinds_read_as_people_say_them() {
        assert_eq!(human_size(860), "860 B");
        assert_eq!(human_size(12 * 1024), "12 KB");
        assert_eq!(human_size(1_258_291), "1.2 MB");
        assert_eq!(file_kind("files/申请表.PDF"), "PDF");
        assert_eq!(file_kind("files/a.docx"), "Word");
        assert_eq!(file_kind("files/a"), "文件");
    }
}
