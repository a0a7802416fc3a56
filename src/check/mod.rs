//! `portal check`: every finding `portal build` would reject, plus the rules of the national
//! inspection (栏目更新, dates), of accessibility and of Chinese Markdown, and a check of the built
//! HTML — all collected in one run and reported together.
//!
//! The stages are the build's own: [`crate::pipeline::load_site_lean_within`] (keeping no body)
//! gives the loader's and
//! model's findings (so the two commands can never disagree on what is an error), and the output
//! is produced by [`crate::pipeline::write_all`] into a visiting staging area that hands each page
//! to the checker instead of the disk — each content page's Markdown (read again from its file, as
//! the build reads it) and rendered body to the per-page rules as it is rendered, so every body is
//! rendered once and no body is kept after its page ([`scan`]). Only the rules are the checker's.

mod external;
mod output_check;
mod pitfalls;
mod rules_contact;
mod rules_content;
mod rules_freshness;
mod rules_links;
mod rules_markdown;
mod rules_matters;
mod rules_renamed;
mod scan;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use serde::Serialize;

pub use rules_freshness::{Column, ColumnKind, ColumnState, Columns, VETO_THRESHOLD};

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::html_scan;
use crate::markdown::Rendered;
use crate::model::Site;
use scan::{Anchors, PageScan};

/// What to check and how.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Site root (holds `content/` and `themes/`).
    pub root: PathBuf,
    /// The day of the check: freshness and "dates in the future" are judged against it.
    pub as_of: Date,
    /// Send a HEAD request to every external link (network; bounded time and concurrency).
    pub external: bool,
    /// The published site's `sitemap.xml`, to find URLs the new build no longer has (renamed
    /// pages without an alias). `None`: the previous build's, `<root>/public/sitemap.xml`, if any.
    pub previous: Option<PathBuf>,
}

/// An external link found in Markdown.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalLink {
    /// The page's file.
    pub file: PathBuf,
    /// Its line.
    pub line: usize,
    /// The address.
    pub url: String,
    /// With `--external`: what the request returned (`HTTP 200`, …).
    pub status: Option<String>,
}

/// How long one phase took (`load`, `pages`, `site`, `build-output`, `scan-output-cpu`,
/// `resolve-output`, `external`: docs/check.md says what each covers).
pub use crate::timings::Timing;

/// Everything one check found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// The as-of date used.
    pub as_of: Date,
    /// Every finding, sorted by file and line.
    pub diagnostics: Diagnostics,
    /// The columns and the veto counts; `None` if `site.yaml` could not be read.
    pub columns: Option<Columns>,
    /// External links (listed; fetched only with `--external`).
    pub external_links: Vec<ExternalLink>,
    /// Whether the external links were fetched.
    pub external_checked: bool,
    /// Why they were not, when `--external` was asked for but could not be honoured.
    pub external_note: Option<String>,
    /// Pages checked.
    pub pages: usize,
    /// Each checked page's source file and its URL path under the base path
    /// (`/yangyuan/news/a/`): the preview shows a finding on the page of its file.
    pub page_urls: HashMap<PathBuf, String>,
    /// HTML files of the built site that were scanned.
    pub html_files: usize,
    /// Phase timings, in order.
    pub timings: Vec<Timing>,
}

impl CheckReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.error_count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.warning_count()
    }

    /// True if the check fails: any error, or with `strict` any warning too.
    pub fn failed(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && self.warnings() > 0)
    }
}

/// Runs every check on the site at `opts.root`.
pub fn check(opts: &CheckOptions) -> CheckReport {
    let t = Instant::now();
    // Lean, keeping no body: check renders the pages after the model is built (and drops what
    // the model kept), so each body is read again as its page is checked.
    let (site, diags) = crate::pipeline::load_site_lean_within(&opts.root, None, false, 0);
    check_loaded(opts, site, diags, t)
}

/// [`check`] of the site loaded (since `t`) from `opts.root`.
fn check_loaded(
    opts: &CheckOptions,
    site: Option<Site>,
    mut diags: Diagnostics,
    t: Instant,
) -> CheckReport {
    let mut timings = Vec::new();
    lap(&mut timings, "load", t);
    let mut report = CheckReport {
        as_of: opts.as_of,
        diagnostics: Diagnostics::default(),
        columns: None,
        external_links: Vec::new(),
        external_checked: false,
        external_note: None,
        pages: 0,
        page_urls: HashMap::new(),
        html_files: 0,
        timings: Vec::new(),
    };
    let Some(mut site) = site else {
        diags.sort();
        report.diagnostics = diags;
        report.timings = timings;
        return report;
    };
    // The reports' bodies are read again too, now that the model has read them (issue 13).
    crate::pipeline::leave_bodies_on_disk(&mut site);
    report.pages = site.pages.len();
    let error_files: HashSet<PathBuf> = diags
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.file.clone())
        .collect();

    // The output is built first: it renders each body once, and the per-page rules run on it
    // there, in the build's own threads.
    let rules_ns = AtomicU64::new(0);
    let scan = |i: usize, markdown: &str, body: &Rendered| {
        let started = Instant::now();
        let s = scan_body(&site, i, markdown, body, opts.as_of);
        rules_ns.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        s
    };
    let out = output_check::check_output(&site, &opts.root, &scan);
    let mut scans = out.scans;
    for s in &mut scans {
        diags.extend(std::mem::take(&mut s.diagnostics));
    }
    diags.extend(out.diagnostics);
    report.html_files = out.html_files;
    timings.push(Timing {
        phase: "build-output",
        ms: out.build_ms,
        cpu_ms: None,
    });
    timings.push(Timing {
        phase: "pages",
        ms: rules_ns.load(Ordering::Relaxed) as f64 / 1e6,
        cpu_ms: None,
    });
    timings.push(Timing {
        phase: "scan-output-cpu",
        ms: out.extract_cpu_ms,
        cpu_ms: None,
    });
    timings.push(Timing {
        phase: "resolve-output",
        ms: out.resolve_ms,
        cpu_ms: None,
    });
    let t = Instant::now();

    let ctx = rules_links::LinkContext {
        site: &site,
        scans: &scans,
        error_files: &error_files,
    };
    let (link_diags, external) = rules_links::check_links(&ctx);
    drop(scans);
    diags.extend(link_diags);
    report.external_links = external;
    diags.extend(rules_contact::check_contact(&site));
    let previous = opts
        .previous
        .clone()
        .unwrap_or_else(|| opts.root.join("public").join("sitemap.xml"));
    let shown = previous
        .strip_prefix(&opts.root)
        .map(PathBuf::from)
        .unwrap_or_else(|_| previous.clone());
    diags.extend(rules_renamed::check_renamed(&site, &previous, &shown));
    let (columns, column_diags) = rules_freshness::check_columns(&site, opts.as_of);
    diags.extend(column_diags);
    report.columns = Some(columns);
    diags.extend(rules_matters::check(&site));
    let t = lap(&mut timings, "site", t);

    if opts.external {
        match external::check_external(&mut report.external_links) {
            Ok(ds) => {
                diags.extend(ds);
                report.external_checked = true;
            }
            Err(note) => report.external_note = Some(note),
        }
        lap(&mut timings, "external", t);
    }
    diags.sort();
    report.diagnostics = diags;
    report.timings = timings;
    // Last: not held beside every page's scan (issue 13).
    report.page_urls = site
        .pages
        .iter()
        .map(|p| (p.source.file.clone(), site.href(&p.url)))
        .collect();
    report
}

/// Records the time since `since` as phase `name`; returns now.
fn lap(timings: &mut Vec<Timing>, name: &'static str, since: Instant) -> Instant {
    timings.push(Timing {
        phase: name,
        ms: since.elapsed().as_secs_f64() * 1000.0,
        cpu_ms: None,
    });
    Instant::now()
}

/// What `portal check` finds on content page `i` by itself — its metadata, 索引号 and dates,
/// links that resolve to nothing, images without alt text, headings and Markdown pitfalls —
/// for the preview, which shows them on the page an editor is looking at. The site holds the
/// page's body, or the body is read again from its file under `paths`.
pub fn page_findings(
    site: &Site,
    i: usize,
    paths: &crate::load::SitePaths,
    as_of: Date,
) -> Vec<Diagnostic> {
    let src = &site.pages[i].source;
    let markdown = match crate::load::body_of(src, paths) {
        Ok(body) => body,
        Err(d) => return vec![d],
    };
    let markdown = markdown.as_ref();
    let body = crate::pipeline::render_body(site, i, markdown);
    let mut scan = scan_body(site, i, markdown, &body, as_of);
    let file = src.file.as_path();
    // Broken links are errors in `check`; the build reports them as warnings.
    let mut out = crate::pipeline::link_warnings(file, &body);
    for d in &mut out {
        d.severity = crate::diagnostic::Severity::Error;
    }
    out.extend(crate::pipeline::root_relative_warnings(site, i, &body));
    out.append(&mut scan.diagnostics);
    out.sort_by(|a, b| (a.line, a.rule).cmp(&(b.line, b.rule)));
    out
}

/// Runs the rules that need only page `i` itself on its `markdown` and its rendered `body`, and
/// keeps what the site-wide rules need of it.
fn scan_body(site: &Site, i: usize, markdown: &str, body: &Rendered, as_of: Date) -> PageScan {
    let p = &site.pages[i];
    let mut ids = Vec::new();
    collect_ids(&body.html, &mut ids);
    let mut diagnostics = rules_content::check_page(site, p, as_of);
    diagnostics.extend(rules_markdown::check_page(p, markdown, body));
    diagnostics.shrink_to_fit();
    PageScan {
        links: scan::links(site, i, markdown, body),
        anchors: Anchors::new(body, &ids),
        diagnostics,
    }
}

/// Adds the `id`s of the rendered body (footnotes, raw HTML anchors) to `ids`, in order.
fn collect_ids(html: &str, ids: &mut Vec<String>) {
    if !html.contains(" id=") && !html.contains(" name=") {
        return;
    }
    html_scan::scan_tags(html, |t| {
        for a in t.attrs {
            let is_anchor = a.name.eq_ignore_ascii_case("id")
                || (t.is("a") && a.name.eq_ignore_ascii_case("name"));
            if is_anchor && let Some(v) = a.value {
                ids.push(html_scan::unescape(v).into_owned());
            }
        }
    });
}

#[cfg(test)]
mod tests;
