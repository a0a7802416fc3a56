//! `portal build`: load → model → render → write, into a staging folder swapped in on success.
//!
//! The pieces a build is made of — one content page ([`render_page`]), one generated page
//! ([`render_generated`]), the non-HTML files ([`crate::outputs`]) — are public so that the preview
//! server's incremental rebuild renders exactly what a full build renders, only less of it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::load::{self, SitePaths};
use crate::markdown::{LinkTarget, Rendered};
use crate::model::{ModelOptions, Site};
use crate::output::{Claimant, Staging};
use crate::render::{self, Theme};

pub use crate::generated::{
    Generated, aliases_of, generated_pages, news_page, news_page_count, news_years,
    render_generated,
};

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
    Staging::new(target)
        .map_err(|e| Error::io(format!("无法在 {} 旁边创建临时文件夹", target.display()), e))
}

/// Swaps `staging` in as `target`; the error names the folder.
pub fn publish(staging: Staging, target: &Path) -> Result<()> {
    staging
        .commit()
        .map_err(|e| Error::io(format!("无法替换 {}", target.display()), e))
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
                .get_or_insert(Error::io(format!("无法写入 {rel}"), e));
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
            .get_or_insert(Error::io(format!("无法复制 {}", from.display()), e));
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
        .map_err(|e| Error::io("无法写入搜索索引", e))?;
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
