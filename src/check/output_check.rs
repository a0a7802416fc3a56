//! The check of the built site: build it as `portal build` would (same `write_site`, same theme),
//! then find every internal link that resolves to no file of the output and every raw `&` in an
//! attribute value.
//!
//! The build goes to a visiting staging area: each page is scanned in the build's own threads as
//! it is produced and never written, and each content page's body goes to the per-page rules as it
//! is rendered (one rendering per body for the whole check), because writing and deleting ten thousand files costs far
//! more than the check (40 s on a busy disk). Pages stay unminified: what is scanned is what the
//! templates and Markdown produced, before minify-html decodes entities.

use crate::t;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use rayon::prelude::*;

use super::html_scan::unescape;
use super::scan::{PageScan, ScanTarget};
use crate::diagnostic::{Diagnostic, Error};
use crate::markdown::Rendered;
use crate::model::Site;
use crate::output::{Produced, Staging};
use crate::render::Theme;

/// What the output check found, and how long its parts took.
pub(crate) struct OutputResult {
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) html_files: usize,
    /// Wall time of the build, including the scanning of each page as it is produced.
    pub(crate) build_ms: f64,
    /// CPU time (summed over threads) of that scanning.
    pub(crate) extract_cpu_ms: f64,
    /// Wall time of resolving the links found.
    pub(crate) resolve_ms: f64,
    /// Per content page (same index as `site.pages`), what the per-page rules found.
    pub(crate) scans: Vec<PageScan>,
}

/// The per-page rules, run on content page `i`'s Markdown and rendered body.
pub(crate) type ScanPage<'a> = &'a (dyn Fn(usize, &str, &Rendered) -> PageScan + Sync);

/// A problem in one built HTML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HtmlFinding {
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// Attribute name.
    pub(crate) attr: String,
    /// Attribute value as written.
    pub(crate) value: String,
    /// `None`: a raw `&`; `Some(why)`: a link that resolves to nothing.
    pub(crate) broken: Option<String>,
}

/// A temporary folder removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("portal-check-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn io_error(what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error("check/io", format!("{what}: {e}")).hint(t!("check.io.hint"))
}

/// Builds the site as `portal build` would, scanning each page as it is produced (nothing is
/// written but what writers outside [`Staging`] put in its folder) and handing each content
/// page's body to `scan`, then resolves the links. A page the build did not render (no theme,
/// no temporary folder, a body that could not be read again) is rendered for `scan` alone.
pub(crate) fn check_output(site: &Site, root: &Path, scan: ScanPage<'_>) -> OutputResult {
    let mut result = OutputResult {
        diagnostics: Vec::new(),
        html_files: 0,
        build_ms: 0.0,
        extract_cpu_ms: 0.0,
        resolve_ms: 0.0,
        scans: Vec::new(),
    };
    let slots: Vec<OnceLock<PageScan>> = (0..site.pages.len()).map(|_| OnceLock::new()).collect();
    let files = build_output(site, root, &slots, scan, &mut result);
    result.scans = slots
        .into_par_iter()
        .enumerate()
        .map(|(i, slot)| {
            slot.into_inner()
                .unwrap_or_else(|| scan_alone(site, root, i, scan))
        })
        .collect();
    if let Some(files) = files {
        resolve_output(site, files, &mut result);
    }
    result
}

/// Content page `i` rendered for `scan` outside the build, its body read again from its file if
/// the loader left it there. A body that cannot be read is reported as the build reports it (the
/// build may have reported it too: the check's findings are deduplicated).
fn scan_alone(site: &Site, root: &Path, i: usize, scan: ScanPage<'_>) -> PageScan {
    let markdown =
        match crate::load::body_of(&site.pages[i].source, &crate::load::SitePaths::new(root)) {
            Ok(body) => body,
            Err(d) => return PageScan::unreadable(d),
        };
    let markdown = markdown.as_ref();
    scan(
        i,
        markdown,
        &crate::pipeline::render_body(site, i, markdown),
    )
}

/// The build of [`check_output`]: every file produced, with the candidates of each HTML file.
fn build_output(
    site: &Site,
    root: &Path,
    slots: &[OnceLock<PageScan>],
    scan: ScanPage<'_>,
    result: &mut OutputResult,
) -> Option<ProducedSoFar> {
    let started = Instant::now();
    let theme = match Theme::load(root, site) {
        Ok(t) => t,
        Err(ds) => {
            result.diagnostics = ds;
            return None;
        }
    };
    let tmp = match TempDir::new() {
        Ok(t) => t,
        Err(e) => {
            result
                .diagnostics
                .push(io_error(&t!("check.output-check.text-1"), e));
            return None;
        }
    };
    let produced: Arc<Mutex<ProducedSoFar>> = Arc::default();
    let extract_ns = Arc::new(AtomicU64::new(0));
    let (sink, ns) = (Arc::clone(&produced), Arc::clone(&extract_ns));
    let interner = Interner::default();
    let base_path = site.config.base_path();
    let visit = move |rel: &str, file: Produced<'_>| {
        let html = rel.ends_with(".html");
        let Produced::Bytes(bytes) = file else {
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .add(rel, html);
            return;
        };
        if !html {
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .add(rel, false);
            return;
        }
        let t = Instant::now();
        let text = String::from_utf8_lossy(bytes);
        let found = extract(&text);
        ns.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        let mut sink = sink.lock().unwrap_or_else(|e| e.into_inner());
        sink.add_page(rel, &found, &base_path, &interner);
    };
    let staging = match Staging::new(&tmp.0.join("public")) {
        Ok(s) => s.without_minify().visiting(Box::new(visit)),
        Err(e) => {
            result
                .diagnostics
                .push(io_error(&t!("check.output-check.text-2"), e));
            return None;
        }
    };
    let inspect = |i: usize, markdown: &str, body: &Rendered| {
        let _ = slots[i].set(scan(i, markdown, body));
    };
    let opts = crate::pipeline::WriteOptions {
        search: true,
        inspect: Some(&inspect),
    };
    match crate::pipeline::write_all(site, &theme, &staging, root, &opts) {
        // The build's broken-link warnings are the link rules' errors already.
        Ok(out) => result.diagnostics.extend(
            out.diagnostics
                .into_iter()
                .filter(|d| d.rule != "link/broken"),
        ),
        Err(Error::Content(ds)) => result.diagnostics.extend(ds),
        Err(e @ Error::Io { .. }) => {
            result
                .diagnostics
                .push(io_error(&t!("check.output-check.text-3"), e));
            return None;
        }
    }
    result.build_ms = started.elapsed().as_secs_f64() * 1000.0;
    result.extract_cpu_ms = extract_ns.load(Ordering::Relaxed) as f64 / 1e6;

    let mut produced = std::mem::take(&mut *produced.lock().unwrap_or_else(|e| e.into_inner()));
    // Writers that bypass the staging area (the search index) leave their files in its folder.
    for entry in walkdir::WalkDir::new(&staging.dir) {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if let Ok(rel) = e.path().strip_prefix(&staging.dir) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    produced.add(&rel, rel.ends_with(".html"));
                }
            }
            Ok(_) => {}
            Err(e) => result
                .diagnostics
                .push(io_error(&t!("check.output-check.text-4"), e)),
        }
    }
    drop(staging);
    Some(produced)
}

/// The resolving of [`check_output`]: every internal link of `files` against their list.
fn resolve_output(site: &Site, mut produced: ProducedSoFar, result: &mut OutputResult) {
    let resolve_started = Instant::now();
    let scans = &result.scans;
    let files = produced.files();
    let exists = |rel: &str| exists_in(&produced.names, rel);
    let page_of: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("{}index.html", p.url), i))
        .collect();
    let base_path = site.config.base_path();
    result.html_files = produced.html_files;
    let per_file: Vec<Vec<Located>> = files
        .par_iter()
        .map(|(rel, candidates)| {
            let page = page_of.get(rel.as_str()).map(|&i| (i, &scans[i]));
            locate(
                site,
                rel,
                page,
                resolve(candidates, rel, &base_path, &exists),
            )
        })
        .collect();
    result.diagnostics.extend(to_diagnostics(site, per_file));
    result.resolve_ms = resolve_started.elapsed().as_secs_f64() * 1000.0;
}

/// A finding with where to report it.
enum Located {
    /// In Markdown: the page's source file and the link's line.
    Source {
        file: PathBuf,
        line: usize,
        html: String,
        finding: HtmlFinding,
    },
    /// Produced by the theme (or raw HTML): the built file and its line.
    Output {
        html: String,
        finding: HtmlFinding,
        source: Option<PathBuf>,
    },
}

fn locate(
    site: &Site,
    rel: &str,
    page: Option<(usize, &PageScan)>,
    found: Vec<HtmlFinding>,
) -> Vec<Located> {
    let mut out = Vec::new();
    for f in found {
        if let (Some((i, scan)), Some(_)) = (page, &f.broken) {
            let value = unescape(&f.value);
            let from_markdown = scan.links.iter().find(|l| match &l.target {
                ScanTarget::Page {
                    index,
                    anchor: Some(a),
                    ..
                } => value == format!("{}#{a}", site.href(&site.pages[*index as usize].url)),
                ScanTarget::Page { index, .. } => {
                    value == site.href(&site.pages[*index as usize].url)
                }
                ScanTarget::Asset(url) => *value == **url,
                _ => *value == *l.dest,
            });
            if let Some(l) = from_markdown {
                // The link rules have reported a broken Markdown link already.
                if !matches!(l.target, ScanTarget::Broken(_)) {
                    let file = site.pages[i].source.file.clone();
                    out.push(Located::Source {
                        file,
                        line: l.line(),
                        html: rel.to_string(),
                        finding: f,
                    });
                }
                continue;
            }
        }
        let source = page.map(|(i, _)| site.pages[i].source.file.clone());
        out.push(Located::Output {
            html: rel.to_string(),
            finding: f,
            source,
        });
    }
    out
}

/// Turns findings into diagnostics; one finding the theme repeats on every page is reported once,
/// with the number of pages.
fn to_diagnostics(site: &Site, per_file: Vec<Vec<Located>>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut repeated: BTreeMap<(bool, String, String), (Located, usize)> = BTreeMap::new();
    for located in per_file.into_iter().flatten() {
        match located {
            Located::Source {
                file,
                line,
                html,
                finding,
            } => out.push(
                diagnostic(&finding, &html)
                    .file(file)
                    .line(line)
                    .hint(t!("check.io.hint-2")),
            ),
            Located::Output { ref finding, .. } => {
                let key = (
                    finding.broken.is_some(),
                    finding.attr.clone(),
                    finding.value.clone(),
                );
                repeated
                    .entry(key)
                    .and_modify(|e| e.1 += 1)
                    .or_insert((located, 1));
            }
        }
    }
    for (_, (located, count)) in repeated {
        if let Located::Output {
            html,
            finding,
            source,
        } = located
        {
            out.push(output_diagnostic(
                site,
                &finding,
                &html,
                source.as_deref(),
                count,
            ));
        }
    }
    out
}

fn diagnostic(f: &HtmlFinding, html: &str) -> Diagnostic {
    let found = format!("{}=\"{}\"（public/{html}）", f.attr, f.value);
    match &f.broken {
        Some(why) => {
            Diagnostic::error("output/broken-link", t!("output.broken-link", why)).found(found)
        }
        None => Diagnostic::error("output/raw-ampersand", t!("output.raw-ampersand"))
            .found(found)
            .expected("&amp;")
            .hint(t!("output.raw-ampersand.hint")),
    }
}

fn output_diagnostic(
    site: &Site,
    f: &HtmlFinding,
    html: &str,
    source: Option<&Path>,
    count: usize,
) -> Diagnostic {
    let mut d = diagnostic(f, html)
        .file(Path::new("public").join(html))
        .line(f.line)
        .column(f.column);
    if count > 1 {
        d.message = t!("check.output-check.text-5", message = d.message, count);
    }
    let origin = match source {
        Some(src) if count == 1 => t!("check.output-check.text-6", src = src.display()),
        _ => t!("check.output-check.text-7", theme = site.config.theme),
    };
    let hint = match (&f.broken, d.hint.take()) {
        (Some(_), _) => t!(
            "check.output-check.text-8",
            origin,
            base = site.config.base_path()
        ),
        (None, Some(h)) => format!("{origin}；{h}"),
        (None, None) => origin,
    };
    d.hint(hint)
}

mod produced;
use produced::{Interner, ProducedSoFar, exists_in, extract, resolve};

#[cfg(test)]
mod tests;
