//! `portal build`: load → model → render → write, into a staging folder swapped in on success.
//!
//! The pieces a build is made of — one content page ([`render_page`]), one generated page
//! ([`render_generated`]), the non-HTML files ([`crate::outputs`]) — are public so that the preview
//! server's incremental rebuild renders exactly what a full build renders, only less of it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::load::{self, SitePaths};
use crate::markdown::{LinkTarget, Rendered};
use crate::model::{ModelOptions, Site, normalize_alias};
use crate::output::{Claimant, Staging};
use crate::render::{self, NamedLink, Summary, Theme};

/// Options of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (holds `content/` and `themes/`).
    pub root: PathBuf,
    /// Output folder (default `<root>/public`).
    pub output: Option<PathBuf>,
    /// Overrides `site.yaml`'s `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Replace an existing output folder even if it does not look like a previous output of
    /// portal ([`crate::output::check_target`]).
    pub force: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// HTML pages written.
    pub pages: usize,
    /// Other files written or copied.
    pub files: usize,
    /// Warnings.
    pub diagnostics: Diagnostics,
    /// Wall time.
    pub elapsed: Duration,
}

/// Loads and resolves the site (the stages `build`, `check` and `serve` share).
pub fn load_site(root: &Path, base_url: Option<&str>, drafts: bool) -> (Option<Site>, Diagnostics) {
    let paths = SitePaths::new(root);
    let mut loaded = load::load(&paths);
    if let (Some(cfg), Some(url)) = (loaded.config.as_mut(), base_url) {
        cfg.base_url = url.to_string();
    }
    Site::build(loaded, ModelOptions { drafts })
}

/// Builds the site into its output folder.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let target = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"));
    // Before anything is read or written: an output over the sources would replace them.
    crate::output::check_target(&opts.root, &target, opts.force)
        .map_err(|d| Error::Content(Diagnostics(vec![d])))?;
    let (site, mut diags) = load_site(&opts.root, opts.base_url.as_deref(), opts.drafts);
    let site = match site {
        Some(s) if !diags.has_errors() => s,
        _ => return Err(Error::Content(diags)),
    };
    let theme = match Theme::load(&opts.root, &site) {
        Ok(t) => t,
        Err(ds) => {
            diags.extend(ds);
            return Err(Error::Content(diags));
        }
    };
    let staging = stage(&target)?;
    let (pages, files, page_diags) = write_site(&site, &theme, &staging, &opts.root)?;
    diags.extend(page_diags);
    diags.sort();
    if diags.has_errors() {
        return Err(Error::Content(diags));
    }
    publish(staging, &target)?;
    Ok(BuildReport {
        pages,
        files,
        diagnostics: diags,
        elapsed: started.elapsed(),
    })
}

/// A staging folder beside `target`; the error names the folder.
pub fn stage(target: &Path) -> Result<Staging> {
    Staging::new(target).map_err(|e| {
        Error::io(
            format!("cannot create a staging folder beside {}", target.display()),
            e,
        )
    })
}

/// Swaps `staging` in as `target`; the error names the folder.
pub fn publish(staging: Staging, target: &Path) -> Result<()> {
    staging
        .commit()
        .map_err(|e| Error::io(format!("cannot replace {}", target.display()), e))
}

/// Renders and writes everything into `staging`, search index included. Returns (pages, other
/// files, findings).
pub fn write_site(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    root: &Path,
) -> Result<(usize, usize, Vec<Diagnostic>)> {
    let out = write_all(site, theme, staging, root, true)?;
    Ok((out.pages, out.files, out.diagnostics))
}

/// What [`write_all`] wrote, with what a caller needs to update the output later page by page.
#[derive(Debug)]
pub struct SiteOutput {
    /// HTML pages written.
    pub pages: usize,
    /// Other files written or copied.
    pub files: usize,
    /// Findings of rendering (broken links, template errors).
    pub diagnostics: Vec<Diagnostic>,
    /// Per registered output ([`crate::outputs::REGISTRY`]): the files it wrote.
    pub outputs: Vec<(&'static str, Vec<String>)>,
    /// Per content page (same index as `site.pages`): the files it wrote, and its rendered body
    /// with the HTML dropped (the text, headings and links are what later updates need). When
    /// [`write_all`] wrote the search index, the bodies went into it and are empty here.
    pub records: Vec<PageRecord>,
}

/// What one content page wrote, and its rendered body.
#[derive(Debug, Clone)]
pub struct PageRecord {
    /// Output paths relative to the output folder (`news/x/index.html`, `reports/2021/tables.json`).
    pub files: Vec<String>,
    /// The body, `html` emptied.
    pub body: Rendered,
}

/// Renders and writes everything into `staging`; the search index only if `search` (the preview
/// server writes it later, off the path between a save and the reload).
pub fn write_all(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    root: &Path,
    search: bool,
) -> Result<SiteOutput> {
    let diags = Mutex::new(Vec::new());
    let io_err = Mutex::new(None::<Error>);
    let write = |rel: &str, file: &OutFile, by: Claimant| {
        staging.claim(rel, by);
        let written = match file {
            OutFile::Html(html) => staging.write_html(rel, html),
            OutFile::Data(bytes) => staging.write(rel, bytes),
        };
        if let Err(e) = written {
            io_err
                .lock()
                .unwrap()
                .get_or_insert(Error::io(format!("cannot write {rel}"), e));
        }
    };

    // The search index only needs each body's text and headings: when it is written here, they
    // move into its documents as each page is rendered instead of being kept in the records
    // and copied later, so the full build never holds every page's text twice.
    let index_search = search && !staging.is_visiting();

    // Content pages, in parallel; each page's files are written as soon as it is rendered.
    let (records, docs): (Vec<PageRecord>, Vec<Option<crate::search::SearchDoc>>) =
        (0..site.pages.len())
            .into_par_iter()
            .map(|i| {
                let out = render_page(site, theme, i);
                for (rel, file) in &out.files {
                    write(rel, file, page_claimant(site, i, "slug"));
                }
                if !out.diagnostics.is_empty() {
                    diags.lock().unwrap().extend(out.diagnostics);
                }
                let files = out.files.into_iter().map(|(rel, _)| rel).collect();
                if index_search {
                    let doc = search_doc_owned(site, i, out.body);
                    let record = PageRecord {
                        files,
                        body: Rendered::default(),
                    };
                    (record, Some(doc))
                } else {
                    (
                        PageRecord {
                            files,
                            body: out.body,
                        },
                        None,
                    )
                }
            })
            .unzip();
    let mut pages = site.pages.len();

    for g in generated_pages(site) {
        let by = match &g {
            Generated::Alias { page, .. } => page_claimant(site, *page, "aliases"),
            other => Claimant::Generated(other.label(site)),
        };
        match render_generated(site, theme, &g) {
            Ok(html) => write(&g.output(site), &OutFile::Html(html), by),
            Err(d) => diags.lock().unwrap().push(d),
        }
        pages += 1;
    }
    let mut files = 0usize;
    let mut outputs = Vec::new();
    for (output, produced) in crate::outputs::render_all(site) {
        let mut paths = Vec::with_capacity(produced.len());
        for (rel, bytes) in produced {
            let by = Claimant::Generated(format!("文件 {rel}（{}）", output.name));
            write(&rel, &OutFile::Data(bytes), by);
            paths.push(rel);
            files += 1;
        }
        outputs.push((output.name, paths));
    }

    // Attachments are the ones the loader listed (links out of the site already refused there).
    let content = root.join("content");
    let copy_failed = |from: &Path, e: std::io::Error| {
        io_err
            .lock()
            .unwrap()
            .get_or_insert(Error::io(format!("cannot copy {}", from.display()), e));
    };
    for rel in &site.assets {
        let from = content.join(rel);
        staging.claim(rel, Claimant::Copied(Path::new("content").join(rel)));
        match staging.copy_file(&from, rel) {
            Ok(()) => files += 1,
            Err(e) => copy_failed(&from, e),
        }
    }
    match staging.copy_tree(&theme.static_dir, "static", root) {
        Ok(n) => files += n,
        Err(e) => copy_failed(&theme.static_dir, e),
    }
    if index_search {
        // The index's own folders and manifest: nothing else may write there.
        for rel in SEARCH_INDEX_PATHS {
            staging.claim(rel, Claimant::Generated("搜索索引".into()));
        }
    }
    let conflicts = staging.conflicts();
    if !conflicts.is_empty() {
        // A conflicting write may also have failed ("Is a directory"): the conflict says why.
        let mut ds = Diagnostics::default();
        ds.extend(diags.into_inner().unwrap());
        ds.extend(conflicts);
        return Err(Error::Content(ds));
    }
    // The search index is data for search.js, not pages: `portal check` (a visiting staging
    // area) reads none of it, and it is the costliest part of the output.
    if index_search {
        let docs: Vec<crate::search::SearchDoc> = docs.into_iter().flatten().collect();
        let stats = crate::search::write_index_with(
            &docs,
            &staging.dir.join("search"),
            &search_options(&site.config),
        )
        .map_err(|e| Error::io("cannot write the search index", e))?;
        files += stats.files;
    }

    if let Some(e) = io_err.into_inner().unwrap() {
        return Err(e);
    }
    Ok(SiteOutput {
        pages,
        files,
        diagnostics: diags.into_inner().unwrap(),
        outputs,
        records,
    })
}

/// Paths under the output that the search index writes (its shard folders and manifest).
const SEARCH_INDEX_PATHS: &[&str] = &[
    "search/manifest.json",
    "search/terms/",
    "search/docs/",
    "search/facets/",
];

/// Content page `i` as the claimant of a path it writes through `key` (`slug` or `aliases`).
fn page_claimant(site: &Site, i: usize, key: &'static str) -> Claimant {
    let src = &site.pages[i].source;
    Claimant::Page {
        file: src.file.clone(),
        line: src.key_lines.line_of(&[key]),
        key,
    }
}

/// A file of the output, as rendered.
#[derive(Debug, Clone)]
pub enum OutFile {
    /// An HTML page, minified when written.
    Html(String),
    /// Anything else, written as it is.
    Data(Vec<u8>),
}

/// One content page, rendered.
#[derive(Debug)]
pub struct PageOutput {
    /// Files to write: the HTML page, and for a report with tables its JSON and CSV.
    pub files: Vec<(String, OutFile)>,
    /// The rendered body (links, headings and text included); `html` is empty, since the
    /// page's HTML went into its file.
    pub body: Rendered,
    /// Broken-link warnings and template errors.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders content page `i` of `site`.
pub fn render_page(site: &Site, theme: &Theme, i: usize) -> PageOutput {
    let p = &site.pages[i];
    let mut body = site.render_body(i);
    let mut diagnostics = link_warnings(p.source.file.as_path(), &body);
    diagnostics.extend(root_relative_warnings(site, i, &body));
    diagnostics.append(&mut body.diagnostics);
    let mut files = Vec::with_capacity(1);
    // The HTML moves into the page context rather than being copied: no caller needs it in
    // `body` afterwards (they all empty it), and a page-sized copy per page adds up.
    let mut html = std::mem::take(&mut body.html);
    if let Some(r) = &p.report {
        html = crate::report::place_tables(&html, r);
        files.push((
            format!("{}tables.json", p.url),
            OutFile::Data(crate::report::to_json(r).into_bytes()),
        ));
        files.push((
            format!("{}tables.csv", p.url),
            OutFile::Data(crate::report::to_csv(r).into_bytes()),
        ));
    }
    let ctx = render::page_context(site, i, &body, html);
    match theme.render(render::template_of(p.kind), &ctx, Some(&p.source.file)) {
        Ok(out) => files.insert(0, (format!("{}index.html", p.url), OutFile::Html(out))),
        Err(d) => diagnostics.push(d),
    }
    PageOutput {
        files,
        body,
        diagnostics,
    }
}

/// A page the generator makes itself rather than from one Markdown file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Generated {
    /// The home page.
    Home,
    /// 基层政务公开标准目录.
    Catalog,
    /// One domain of the catalog (index into `site.config.domains`).
    Domain(usize),
    /// The same domain's documents that are in force (`catalog/<slug>/effective/`).
    DomainEffective(usize),
    /// One page of the news list, numbered from 1.
    NewsList(usize),
    /// The news of one year (`news/2021/`): the archive by year.
    NewsYear(i32),
    /// The annual reports index.
    Reports,
    /// `404.html`.
    NotFound,
    /// The search page.
    Search,
    /// 网站地图: the human-readable site map (`sitemap/`).
    Sitemap,
    /// A redirect from an old URL (`aliases:`) to content page `page`.
    Alias {
        /// Index of the page redirected to.
        page: usize,
        /// The alias, normalised ([`normalize_alias`]).
        alias: String,
    },
}

impl Generated {
    /// The theme template it is rendered with.
    pub fn template(&self) -> &'static str {
        match self {
            Generated::Home => "index.html",
            Generated::Catalog => "catalog.html",
            Generated::Domain(_) => "domain.html",
            Generated::DomainEffective(_) => "domain_effective.html",
            Generated::NewsList(_) => "news_list.html",
            Generated::NewsYear(_) => "news_year.html",
            Generated::Reports => "reports.html",
            Generated::NotFound => "404.html",
            Generated::Search => "search.html",
            Generated::Sitemap => "sitemap.html",
            Generated::Alias { .. } => "redirect.html",
        }
    }

    /// What an editor calls it, for messages.
    pub fn label(&self, site: &Site) -> String {
        match self {
            Generated::Home => "首页".into(),
            Generated::Catalog => "政务公开目录".into(),
            Generated::Domain(d) => format!("领域页「{}」", site.config.domains[*d].name),
            Generated::DomainEffective(d) => {
                format!("领域页「{}」现行有效文件", site.config.domains[*d].name)
            }
            Generated::NewsList(n) => format!("工作动态列表第 {n} 页"),
            Generated::NewsYear(y) => format!("{y} 年工作动态"),
            Generated::Reports => "年度报告列表".into(),
            Generated::NotFound => "404 页面".into(),
            Generated::Search => "搜索页".into(),
            Generated::Sitemap => "网站地图".into(),
            Generated::Alias { alias, .. } => format!("旧网址 /{alias}"),
        }
    }

    /// Its path in the output folder.
    pub fn output(&self, site: &Site) -> String {
        match self {
            Generated::Home => "index.html".into(),
            Generated::Catalog => "catalog/index.html".into(),
            Generated::Domain(d) => format!("catalog/{}/index.html", site.config.domains[*d].slug),
            Generated::DomainEffective(d) => {
                format!(
                    "catalog/{}/effective/index.html",
                    site.config.domains[*d].slug
                )
            }
            Generated::NewsList(1) => "news/index.html".into(),
            Generated::NewsList(n) => format!("news/page/{n}/index.html"),
            Generated::NewsYear(y) => format!("news/{y}/index.html"),
            Generated::Reports => "reports/index.html".into(),
            Generated::NotFound => "404.html".into(),
            Generated::Search => "search/index.html".into(),
            Generated::Sitemap => "sitemap/index.html".into(),
            Generated::Alias { alias, .. } if alias.ends_with(".html") => alias.clone(),
            Generated::Alias { alias, .. } => format!("{alias}index.html"),
        }
    }
}

/// Every generated page of the site, in the order a build writes them.
pub fn generated_pages(site: &Site) -> Vec<Generated> {
    let mut out = vec![Generated::Home, Generated::Catalog];
    out.extend((0..site.config.domains.len()).map(Generated::Domain));
    out.extend((0..site.config.domains.len()).map(Generated::DomainEffective));
    out.extend((1..=news_page_count(site)).map(Generated::NewsList));
    out.extend(news_years(site).into_iter().map(Generated::NewsYear));
    out.extend([
        Generated::Reports,
        Generated::NotFound,
        Generated::Search,
        Generated::Sitemap,
    ]);
    out.extend((0..site.pages.len()).flat_map(|i| aliases_of(site, i)));
    out
}

/// The redirect pages of content page `i`.
pub fn aliases_of(site: &Site, i: usize) -> Vec<Generated> {
    site.pages[i]
        .meta()
        .aliases
        .iter()
        .map(|a| Generated::Alias {
            page: i,
            alias: normalize_alias(a),
        })
        .collect()
}

/// The years that have news, newest first.
pub fn news_years(site: &Site) -> Vec<i32> {
    let mut years: Vec<i32> = site
        .news
        .iter()
        .filter_map(|&i| site.pages[i].date().map(|d| d.year))
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
}

/// The year archive links every news listing shows.
fn year_links(site: &Site, current: Option<i32>) -> Vec<PageLink> {
    news_years(site)
        .into_iter()
        .map(|y| PageLink {
            number: y as usize,
            url: site.href(&format!("news/{y}/")),
            current: current == Some(y),
        })
        .collect()
}

/// Pages of the news list (at least one, which says there is no news yet).
pub fn news_page_count(site: &Site) -> usize {
    site.news
        .len()
        .div_ceil(site.config.news_per_page.max(1))
        .max(1)
}

/// The news (page indexes) on news list page `n` (from 1).
pub fn news_page(site: &Site, n: usize) -> &[usize] {
    let per = site.config.news_per_page.max(1);
    let start = ((n - 1) * per).min(site.news.len());
    &site.news[start..(start + per).min(site.news.len())]
}

/// Renders a generated page to HTML.
pub fn render_generated(
    site: &Site,
    theme: &Theme,
    g: &Generated,
) -> std::result::Result<String, Diagnostic> {
    let summaries =
        |ids: &[usize]| -> Vec<Summary> { ids.iter().map(|&i| render::summary(site, i)).collect() };
    let mut ctx = tera::Context::new();
    // The page's own address; a redirect page's is its target, and 404.html has none.
    let canonical = match g {
        Generated::Alias { page, .. } => render::canonical(site, &site.pages[*page].url),
        Generated::NotFound => String::new(),
        other => {
            let out = other.output(site);
            render::canonical(site, out.strip_suffix("index.html").unwrap_or(&out))
        }
    };
    ctx.insert("canonical", &canonical);
    match g {
        Generated::Home => {
            ctx.insert(
                "latest_news",
                &summaries(&site.news[..site.news.len().min(8)]),
            );
            ctx.insert(
                "latest_report",
                &site.reports.first().map(|&i| render::summary(site, i)),
            );
            ctx.insert("pages", &summaries(&site.standalone));
        }
        Generated::Catalog | Generated::NotFound | Generated::Search => {}
        Generated::Sitemap => {
            ctx.insert("pages", &summaries(&site.standalone));
            ctx.insert("reports", &summaries(&site.reports));
        }
        Generated::DomainEffective(d) => {
            let dom = &site.config.domains[*d];
            ctx.insert(
                "domain",
                &NamedLink {
                    name: dom.name.clone(),
                    url: site.href(&format!("catalog/{}/", dom.slug)),
                },
            );
            let effective: Vec<usize> = site.domain_items[*d]
                .iter()
                .copied()
                .filter(|&i| site.pages[i].validity == crate::front_matter::Validity::Effective)
                .collect();
            ctx.insert("items", &summaries(&effective));
            ctx.insert("all_count", &site.domain_items[*d].len());
        }
        Generated::Domain(d) => {
            let dom = &site.config.domains[*d];
            ctx.insert(
                "domain",
                &NamedLink {
                    name: dom.name.clone(),
                    url: site.href(&format!("catalog/{}/", dom.slug)),
                },
            );
            ctx.insert("description", dom.description.as_deref().unwrap_or(""));
            ctx.insert("items", &summaries(&site.domain_items[*d]));
            ctx.insert("catalog", &crate::catalog::view::domain_table(site, *d));
        }
        Generated::NewsList(n) => {
            let n = *n;
            let total = news_page_count(site);
            let page_url = |m: usize| {
                if m == 1 {
                    site.href("news/")
                } else {
                    site.href(&format!("news/page/{m}/"))
                }
            };
            ctx.insert("items", &summaries(news_page(site, n)));
            ctx.insert("years", &year_links(site, None));
            ctx.insert(
                "paginator",
                &Paginator {
                    current: n,
                    total,
                    prev_url: (n > 1).then(|| page_url(n - 1)),
                    next_url: (n < total).then(|| page_url(n + 1)),
                    pages: (1..=total)
                        .map(|m| PageLink {
                            number: m,
                            url: page_url(m),
                            current: m == n,
                        })
                        .collect(),
                },
            );
        }
        Generated::NewsYear(y) => {
            let ids: Vec<usize> = site
                .news
                .iter()
                .copied()
                .filter(|&i| site.pages[i].date().map(|d| d.year) == Some(*y))
                .collect();
            ctx.insert("year", y);
            ctx.insert("items", &summaries(&ids));
            ctx.insert("years", &year_links(site, Some(*y)));
        }
        Generated::Reports => {
            let with_data = site.reports_with_data();
            let pairs: Vec<(&crate::report::ReportData, &str)> =
                with_data.iter().map(|(r, u)| (*r, u.as_str())).collect();
            ctx.insert("reports", &summaries(&site.reports));
            ctx.insert("comparison", &crate::report::comparison_html(&pairs));
            ctx.insert(
                "all_years_csv",
                &if with_data.is_empty() {
                    String::new()
                } else {
                    site.href(crate::outputs::ALL_YEARS_CSV)
                },
            );
        }
        Generated::Alias { page, .. } => {
            let p = &site.pages[*page];
            ctx.insert("target", &site.href(&p.url));
            ctx.insert("title", &p.meta().title);
        }
    }
    theme.render(g.template(), &ctx, None)
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

/// Links written from the content root where a relative path was meant: they work (the target
/// exists), and the warning shows the relative form that works in every editor's preview too.
pub fn root_relative_warnings(site: &Site, i: usize, body: &Rendered) -> Vec<Diagnostic> {
    let src = &site.pages[i].source;
    body.links
        .iter()
        .filter_map(|l| {
            let rel = site.root_relative(&src.rel, &l.dest)?;
            Some(
                Diagnostic::warning(
                    "link/root-relative",
                    format!("链接从 content 根目录写起，已按 {} 解析", l.dest.trim()),
                )
                .file(&src.file)
                .line(l.line)
                .expected(format!("相对于本文件的路径 `{rel}`"))
                .found(l.dest.clone())
                .hint(format!("改写成 `{rel}`（从本文件所在的文件夹出发）；见 docs/编辑指南.md 的“上传附件和图片”")),
            )
        })
        .collect()
}

/// Broken links are warnings in `build` (errors in `check`).
pub fn link_warnings(file: &Path, body: &Rendered) -> Vec<Diagnostic> {
    body.links
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Broken(why) => Some(
                Diagnostic::warning("link/broken", format!("链接指向的内容不存在：{why}"))
                    .file(file)
                    .line(l.line)
                    .found(l.dest.clone())
                    .hint("链接写成相对于本文件的 .md 文件路径（例如 ../pages/apply.md）或 files/ 下的文件（例如 ../files/表格.pdf）；见 docs/编辑指南.md 的“上传附件和图片”"),
            ),
            _ => None,
        })
        .collect()
}

/// The search index entry of content page `i`, taking the text and headings of its rendered
/// body rather than copying them (the same entry as [`search_doc`]).
fn search_doc_owned(site: &Site, i: usize, body: Rendered) -> crate::search::SearchDoc {
    let mut doc = search_doc(site, i, &Rendered::default());
    doc.headings = body.headings.into_iter().map(|h| h.text).collect();
    doc.body = body.text;
    doc
}

/// What the site adds to its search index: the synonyms of `site.yaml` and the catalog order.
pub fn search_options(config: &crate::site_config::SiteConfig) -> crate::search::IndexOptions {
    crate::search::IndexOptions {
        synonyms: config.search.synonyms.clone(),
        domain_order: config.domains.iter().map(|d| d.name.clone()).collect(),
    }
}

/// The search index entry of content page `i`, from its rendered body.
pub fn search_doc(site: &Site, i: usize, body: &Rendered) -> crate::search::SearchDoc {
    let p = &site.pages[i];
    let m = p.meta();
    crate::search::SearchDoc {
        url: p.url.clone(),
        title: m.title.clone(),
        date: m.date.map(|d| d.to_string()),
        kind: p.kind.name().to_string(),
        kind_label: p.kind.label().to_string(),
        domains: p
            .domains
            .iter()
            .map(|&d| site.config.domains[d].name.clone())
            .collect(),
        headings: body.headings.iter().map(|h| h.text.clone()).collect(),
        // Keywords (关键词) are searchable but rank below visible text.
        keywords: m.keywords.clone(),
        summary: m.summary.clone().unwrap_or_default(),
        body: body.text.clone(),
    }
}
