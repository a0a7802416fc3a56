//! `portal build`: load → model → render → write, into a staging folder swapped in on success.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::load::{self, SitePaths};
use crate::markdown::{self, LinkTarget, Rendered};
use crate::model::{ModelOptions, Site, normalize_alias};
use crate::output::Staging;
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
    let target = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"));
    let staging = Staging::new(&target).map_err(|e| {
        Error::io(
            format!("cannot create a staging folder beside {}", target.display()),
            e,
        )
    })?;
    let (pages, files, page_diags) = write_site(&site, &theme, &staging, &opts.root)?;
    diags.extend(page_diags);
    diags.sort();
    if diags.has_errors() {
        return Err(Error::Content(diags));
    }
    staging
        .commit()
        .map_err(|e| Error::io(format!("cannot replace {}", target.display()), e))?;
    Ok(BuildReport {
        pages,
        files,
        diagnostics: diags,
        elapsed: started.elapsed(),
    })
}

/// Renders and writes everything into `staging`. Returns (pages, other files, findings).
pub fn write_site(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    root: &Path,
) -> Result<(usize, usize, Vec<Diagnostic>)> {
    let diags = Mutex::new(Vec::new());
    let io_err = Mutex::new(None::<Error>);
    let write = |rel: &str, html: &str| {
        if let Err(e) = staging.write_html(rel, html) {
            io_err
                .lock()
                .unwrap()
                .get_or_insert(Error::io(format!("cannot write {rel}"), e));
        }
    };

    // Content pages, in parallel; each page's HTML is written as soon as it is rendered.
    let docs: Vec<crate::search::SearchDoc> = (0..site.pages.len())
        .into_par_iter()
        .filter_map(|i| {
            let p = &site.pages[i];
            let body = markdown::render(
                &p.source.body,
                p.source.body_first_line,
                &p.source.rel,
                site,
            );
            let mut local = link_warnings(p.source.file.as_path(), &body);
            let mut html = body.html.clone();
            if let Some(r) = &p.report {
                html = crate::report::place_tables(&html, r);
                let base = &p.url;
                let json = crate::report::to_json(r);
                write_file(
                    staging,
                    &format!("{base}tables.json"),
                    json.as_bytes(),
                    &io_err,
                );
                let csv = crate::report::to_csv(r);
                write_file(
                    staging,
                    &format!("{base}tables.csv"),
                    csv.as_bytes(),
                    &io_err,
                );
            }
            let ctx = render::page_context(site, i, &body, html);
            match theme.render(render::template_of(p.kind), &ctx, Some(&p.source.file)) {
                Ok(out) => write(&format!("{}index.html", p.url), &out),
                Err(d) => local.push(d),
            }
            if !local.is_empty() {
                diags.lock().unwrap().extend(local);
            }
            Some(search_doc(site, i, &body))
        })
        .collect();
    let mut pages = site.pages.len();

    // Listings and generated pages.
    let mut listing = |name: &str, rel: &str, ctx: tera::Context| {
        match theme.render(name, &ctx, None) {
            Ok(out) => write(rel, &out),
            Err(d) => diags.lock().unwrap().push(d),
        }
        pages += 1;
    };
    let summaries =
        |ids: &[usize]| -> Vec<Summary> { ids.iter().map(|&i| render::summary(site, i)).collect() };

    let mut ctx = tera::Context::new();
    ctx.insert(
        "latest_news",
        &summaries(&site.news[..site.news.len().min(8)]),
    );
    ctx.insert(
        "latest_report",
        &site.reports.first().map(|&i| render::summary(site, i)),
    );
    ctx.insert("pages", &summaries(&site.standalone));
    listing("index.html", "index.html", ctx);

    listing("catalog.html", "catalog/index.html", tera::Context::new());
    for (d, dom) in site.config.domains.iter().enumerate() {
        let mut ctx = tera::Context::new();
        ctx.insert(
            "domain",
            &NamedLink {
                name: dom.name.clone(),
                url: site.href(&format!("catalog/{}/", dom.slug)),
            },
        );
        ctx.insert("description", dom.description.as_deref().unwrap_or(""));
        ctx.insert("items", &summaries(&site.domain_items[d]));
        listing(
            "domain.html",
            &format!("catalog/{}/index.html", dom.slug),
            ctx,
        );
    }

    let per_page = site.config.news_per_page;
    let chunks: Vec<&[usize]> = if site.news.is_empty() {
        vec![&[]]
    } else {
        site.news.chunks(per_page).collect()
    };
    let total = chunks.len();
    let page_url = |n: usize| {
        if n == 1 {
            site.href("news/")
        } else {
            site.href(&format!("news/page/{n}/"))
        }
    };
    for (k, chunk) in chunks.iter().enumerate() {
        let n = k + 1;
        let mut ctx = tera::Context::new();
        ctx.insert("items", &summaries(chunk));
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
        let rel = if n == 1 {
            "news/index.html".to_string()
        } else {
            format!("news/page/{n}/index.html")
        };
        listing("news_list.html", &rel, ctx);
    }

    let mut files = 0usize;
    let mut ctx = tera::Context::new();
    ctx.insert("reports", &summaries(&site.reports));
    let mut with_data: Vec<(&crate::report::ReportData, String)> = site
        .reports
        .iter()
        .filter_map(|&i| {
            site.pages[i]
                .report
                .as_ref()
                .map(|r| (r, site.href(&site.pages[i].url)))
        })
        .collect();
    with_data.sort_by_key(|(r, _)| r.year);
    let pairs: Vec<(&crate::report::ReportData, &str)> =
        with_data.iter().map(|(r, u)| (*r, u.as_str())).collect();
    ctx.insert("comparison", &crate::report::comparison_html(&pairs));
    ctx.insert(
        "all_years_csv",
        &if with_data.is_empty() {
            String::new()
        } else {
            site.href("reports/all-years.csv")
        },
    );
    listing("reports.html", "reports/index.html", ctx);
    if !with_data.is_empty() {
        let all: Vec<&crate::report::ReportData> = with_data.iter().map(|(r, _)| *r).collect();
        write_file(
            staging,
            "reports/all-years.csv",
            crate::report::all_years_csv(&all).as_bytes(),
            &io_err,
        );
        files += 1;
    }

    listing("404.html", "404.html", tera::Context::new());
    listing("search.html", "search/index.html", tera::Context::new());
    for p in &site.pages {
        for a in &p.meta().aliases {
            let alias = normalize_alias(a);
            let rel = if alias.ends_with(".html") {
                alias.clone()
            } else {
                format!("{alias}index.html")
            };
            let mut ctx = tera::Context::new();
            ctx.insert("target", &site.href(&p.url));
            ctx.insert("title", &p.meta().title);
            listing("redirect.html", &rel, ctx);
        }
    }
    write_file(staging, "sitemap.xml", sitemap(site).as_bytes(), &io_err);
    files += 1;

    let copy = |from: &Path, to: &str| -> Result<usize> {
        staging
            .copy_tree(from, to)
            .map_err(|e| Error::io(format!("cannot copy {}", from.display()), e))
    };
    files += copy(&root.join("content").join("files"), "files")?;
    files += copy(&theme.static_dir, "static")?;
    // The search index is data for search.js, not pages: `portal check` (a visiting staging
    // area) reads none of it, and it is the costliest part of the output.
    if !staging.is_visiting() {
        let stats = crate::search::write_index(&docs, &staging.dir.join("search"))
            .map_err(|e| Error::io("cannot write the search index", e))?;
        files += stats.files;
    }

    if let Some(e) = io_err.into_inner().unwrap() {
        return Err(e);
    }
    Ok((pages, files, diags.into_inner().unwrap()))
}

fn write_file(staging: &Staging, rel: &str, bytes: &[u8], io_err: &Mutex<Option<Error>>) {
    if let Err(e) = staging.write(rel, bytes) {
        io_err
            .lock()
            .unwrap()
            .get_or_insert(Error::io(format!("cannot write {rel}"), e));
    }
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

/// Broken links are warnings in `build` (errors in `check`).
pub fn link_warnings(file: &Path, body: &Rendered) -> Vec<Diagnostic> {
    body.links
        .iter()
        .filter_map(|l| match &l.target {
            LinkTarget::Broken(why) => Some(
                Diagnostic::warning("link/broken", format!("the link resolves to nothing: {why}"))
                    .file(file)
                    .line(l.line)
                    .found(l.dest.clone())
                    .hint("link to the .md file of the page (e.g. ../pages/apply.md) or to a file under files/"),
            ),
            _ => None,
        })
        .collect()
}

fn search_doc(site: &Site, i: usize, body: &Rendered) -> crate::search::SearchDoc {
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
        // Keywords (关键词) weigh like headings: residents type 低保 where the text says 最低生活保障.
        headings: body
            .headings
            .iter()
            .map(|h| h.text.clone())
            .chain(m.keywords.iter().cloned())
            .collect(),
        summary: m.summary.clone().unwrap_or_default(),
        body: body.text.clone(),
    }
}

fn sitemap(site: &Site) -> String {
    let origin = site.config.base_url.trim_end_matches('/');
    let origin = origin
        .strip_suffix(site.config.base_path().trim_end_matches('/'))
        .unwrap_or(origin);
    let mut urls: Vec<(String, String)> = vec![
        (site.href(""), String::new()),
        (site.href("catalog/"), String::new()),
        (site.href("news/"), String::new()),
        (site.href("reports/"), String::new()),
    ];
    for d in &site.config.domains {
        urls.push((site.href(&format!("catalog/{}/", d.slug)), String::new()));
    }
    for p in &site.pages {
        urls.push((
            site.href(&p.url),
            p.date().map(|d| d.to_string()).unwrap_or_default(),
        ));
    }
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (u, lastmod) in urls {
        s.push_str("  <url><loc>");
        s.push_str(&xml_escape(&format!("{origin}{u}")));
        s.push_str("</loc>");
        if !lastmod.is_empty() {
            s.push_str(&format!("<lastmod>{lastmod}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
