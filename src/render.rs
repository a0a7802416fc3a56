//! The third stage: the theme's Tera templates, parsed once, and the data each page template
//! sees. Listings carry page metadata only, never rendered bodies.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::markdown::{Heading, Rendered};
use crate::model::Site;
use crate::page::{Kind, Page};

/// What a listing shows of a page.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Title.
    pub title: String,
    /// Absolute URL path.
    pub url: String,
    /// `YYYY-MM-DD` or empty.
    pub date: String,
    /// 索引号 or empty.
    pub index_no: String,
    /// 有效性 label.
    pub validity: String,
    /// `effective` / `expired` / `repealed`.
    pub validity_key: String,
    /// Kind name.
    pub kind: String,
    /// Kind label.
    pub kind_label: String,
    /// Domain names.
    pub domains: Vec<String>,
    /// 摘要 or empty.
    pub summary: String,
    /// Report year (0 if not a report with tables).
    pub year: i32,
}

/// A link with a label.
#[derive(Debug, Clone, Serialize)]
pub struct NamedLink {
    /// Label.
    pub name: String,
    /// Absolute URL path.
    pub url: String,
}

/// Everything the templates of a page see about it.
#[derive(Debug, Clone, Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    summary: Summary,
    written: String,
    publisher: &'a str,
    doc_no: &'a str,
    category: &'a str,
    disclosure: &'static str,
    keywords: &'a [String],
    domain_links: Vec<NamedLink>,
    attachments: Vec<NamedLink>,
    related: Vec<Summary>,
    content: String,
    toc: Vec<&'a Heading>,
    downloads: Vec<NamedLink>,
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
    "item.html",
    "news.html",
    "news_list.html",
    "report.html",
    "reports.html",
    "page.html",
    "404.html",
    "search.html",
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
                    Diagnostic::error(
                        "template/missing",
                        format!("cannot read the theme's templates: {e}"),
                    )
                    .file(tpl_dir.strip_prefix(root).unwrap_or(&tpl_dir))
                    .hint(format!(
                        "site.yaml says `theme: {}`; the folder themes/{}/templates/ must exist",
                        site.config.theme, site.config.theme
                    )),
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
                    Diagnostic::error("template/missing", format!("the theme has no template {t}"))
                        .file(tpl_dir.strip_prefix(root).unwrap_or(&tpl_dir))
                        .hint("copy it from themes/default/templates/"),
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
        self.tera.render(template, ctx).map_err(|e| {
            let mut d = template_error(&e, Path::new("themes"), Path::new(""));
            if let Some(f) = for_file {
                d.message = format!("{} (while rendering {})", d.message, f.display());
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
    Diagnostic::error("template/error", format!("template error:\n{text}"))
        .file(shown)
        .line(line)
        .column(col)
        .hint("Tera 2 syntax: see https://keats.github.io/tera/ (components replace macros; undefined variables are errors — use `x?.y` or `x | default(value=…)`)")
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
    domains: Vec<DomainCtx<'a>>,
    item_count: usize,
    news_count: usize,
    matter_count: usize,
}

fn site_context(site: &Site) -> SiteCtx<'_> {
    let c = &site.config;
    SiteCtx {
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
            .map(|(i, d)| DomainCtx {
                slug: &d.slug,
                name: &d.name,
                description: d.description.as_deref().unwrap_or(""),
                count: site.domain_items[i].len(),
                url: site.href(&format!("catalog/{}/", d.slug)),
                matters: crate::catalog::view::counts(site, i).0,
                matters_with_docs: crate::catalog::view::counts(site, i).1,
                matter_docs: crate::catalog::view::counts(site, i).2,
            })
            .collect(),
        item_count: site.pages.iter().filter(|p| p.kind == Kind::Item).count(),
        news_count: site.news.len(),
        matter_count: c.catalog.matters.len(),
    }
}

fn nav(site: &Site) -> Vec<NamedLink> {
    let mut out = vec![NamedLink {
        name: "首页".into(),
        url: site.href(""),
    }];
    let page = |name: &str| {
        site.standalone
            .iter()
            .map(|&i| &site.pages[i])
            .find(|p| p.source.rel == format!("pages/{name}.md"))
            .map(|p| NamedLink {
                name: p.meta().title.clone(),
                url: site.href(&p.url),
            })
    };
    out.extend(page("guide"));
    out.extend(page("system"));
    out.push(NamedLink {
        name: "标准目录".into(),
        url: site.href("catalog/"),
    });
    out.push(NamedLink {
        name: "工作动态".into(),
        url: site.href("news/"),
    });
    out.push(NamedLink {
        name: "年度报告".into(),
        url: site.href("reports/"),
    });
    out.extend(page("apply"));
    out
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
        domains: p
            .domains
            .iter()
            .map(|&d| site.config.domains[d].name.clone())
            .collect(),
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
    let pc = PageContext {
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
            .map(|&d| {
                let dom = &site.config.domains[d];
                NamedLink {
                    name: dom.name.clone(),
                    url: site.href(&format!("catalog/{}/", dom.slug)),
                }
            })
            .collect(),
        attachments: m
            .attachments
            .iter()
            .map(|a| NamedLink {
                name: a.title.clone(),
                url: site.href(crate::model::normalize_content_path(&a.file)),
            })
            .collect(),
        related: p.related.iter().map(|&j| summary(site, j)).collect(),
        content: content_html,
        toc: body.headings.iter().filter(|h| h.level == 2).collect(),
        downloads,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("page", &pc);
    ctx
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
