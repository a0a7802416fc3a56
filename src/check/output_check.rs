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
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use rayon::prelude::*;

use super::html_scan::{self, raw_ampersands, unescape};
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

/// An attribute of a built page worth a second look, as found in the page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found<'a> {
    line: u32,
    column: u32,
    attr: &'a str,
    /// The value as written.
    value: &'a str,
    /// The URL in it (entities decoded), if it is a URL attribute.
    url: Option<std::borrow::Cow<'a, str>>,
    raw_ampersand: bool,
}

impl Found<'_> {
    /// True if it has something to report, knowing the files produced so far: a raw `&`, or a
    /// link in the output file `rel` to no file of `names` (files are only ever added, so a link
    /// that resolves now always will).
    fn unresolved(&self, rel: &str, base_path: &str, names: &HashSet<Box<str>>) -> bool {
        self.raw_ampersand
            || self
                .url
                .as_deref()
                .is_some_and(|u| broken(u, rel, base_path, &|t| exists_in(names, t)).is_some())
    }

    /// The candidate kept until the last page is produced, its strings shared through
    /// `interner`.
    fn intern(&self, interner: &Interner) -> Candidate {
        Candidate {
            line: self.line,
            column: self.column,
            attr: interner.get(self.attr),
            value: interner.get(self.value),
            url: self.url.as_deref().map(|u| interner.get(u)),
            raw_ampersand: self.raw_ampersand,
        }
    }
}

/// An attribute of a built page still worth a look once every file is produced: a URL that
/// resolved to no file when its page was produced, or a raw `&`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    line: u32,
    column: u32,
    // The strings are interned ([`Interner`]): a theme's link broken on one page is broken on
    // every page.
    attr: Arc<str>,
    /// The value as written.
    value: Arc<str>,
    /// The URL in it (entities decoded), if it is a URL attribute.
    url: Option<Arc<str>>,
    raw_ampersand: bool,
}

/// One shared copy of each attribute name, value and URL the candidates hold.
#[derive(Debug, Default)]
pub(crate) struct Interner(Mutex<HashSet<Arc<str>>>);

impl Interner {
    fn get(&self, s: &str) -> Arc<str> {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(a) = set.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        set.insert(Arc::clone(&a));
        a
    }
}

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

/// What the check's build produced so far: the names of its files, how many are HTML, and the
/// HTML files with candidates still unresolved (issue 13: only these; a list of every file with
/// its candidates was a tenth of the check's own memory).
#[derive(Default)]
struct ProducedSoFar {
    files: Vec<(String, Vec<Candidate>)>,
    names: HashSet<Box<str>>,
    html_files: usize,
}

impl ProducedSoFar {
    /// Adds the file `rel`, an HTML file if `html`.
    fn add(&mut self, rel: &str, html: bool) {
        self.names.insert(rel.into());
        self.html_files += usize::from(html);
    }
}

/// True when the output path `rel` (a folder when it ends with `/`) is a file of `names`.
fn exists_in<S: std::borrow::Borrow<str> + Eq + std::hash::Hash>(
    names: &HashSet<S>,
    rel: &str,
) -> bool {
    if rel.is_empty() || rel.ends_with('/') {
        names.contains(format!("{rel}index.html").as_str())
    } else {
        names.contains(rel) || names.contains(format!("{rel}/index.html").as_str())
    }
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
    let src = &site.pages[i].source;
    let reread;
    let markdown = if src.body_on_disk {
        match crate::load::reread_body(src, &crate::load::SitePaths::new(root)) {
            Ok(body) => {
                reread = body;
                reread.as_str()
            }
            Err(d) => return PageScan::unreadable(d),
        }
    } else {
        src.body.as_str()
    };
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
        let text = match file {
            Produced::Bytes(bytes) if html => String::from_utf8_lossy(bytes),
            _ => std::borrow::Cow::Borrowed(""),
        };
        let t = Instant::now();
        let found = extract(&text);
        ns.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        let mut sink = sink.lock().unwrap_or_else(|e| e.into_inner());
        sink.add(rel, html);
        // A link to a file produced already resolves, whatever comes later (files are only
        // ever added): it is dropped now rather than held until the last page, and only what
        // is kept is copied out of the page (issue 13).
        let candidates: Vec<Candidate> = found
            .iter()
            .filter(|c| c.unresolved(rel, &base_path, &sink.names))
            .map(|c| c.intern(&interner))
            .collect();
        if !candidates.is_empty() {
            sink.files.push((rel.to_string(), candidates));
        }
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
fn resolve_output(site: &Site, produced: ProducedSoFar, result: &mut OutputResult) {
    let resolve_started = Instant::now();
    let scans = &result.scans;
    let ProducedSoFar {
        mut files,
        names,
        html_files,
    } = produced;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let exists = |rel: &str| exists_in(&names, rel);
    let page_of: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("{}index.html", p.url), i))
        .collect();
    let base_path = site.config.base_path();
    result.html_files = html_files;
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

/// Finds, in one built HTML page, the URL attributes and the attributes with a raw `&`.
fn extract(text: &str) -> Vec<Found<'_>> {
    let mut out = Vec::new();
    // Lines are counted incrementally: tags come in document order.
    // The column is counted on from the previous attribute too: a listing of 10,000 links may
    // stand on one long line, and counting from the line's start each time was quadratic.
    let (mut cursor, mut line, mut column) = (0usize, 1usize, 1usize);
    html_scan::scan_tags(text, |t| {
        if t.closing {
            return;
        }
        let refresh = t.is("meta")
            && t.attr("http-equiv")
                .and_then(|a| a.value)
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
        for a in t.attrs {
            let Some(value) = a.value else { continue };
            let raw_ampersand = raw_ampersands(value).next().is_some();
            let url = if refresh && a.name.eq_ignore_ascii_case("content") {
                match value.split_once([';', ',']).map(|(_, u)| u.trim()) {
                    Some(u) if u.len() > 4 && u[..4].eq_ignore_ascii_case("url=") => Some(&u[4..]),
                    _ => None,
                }
            } else if ["href", "src", "action", "poster"]
                .iter()
                .any(|n| a.name.eq_ignore_ascii_case(n))
            {
                Some(value)
            } else {
                None
            };
            let url = url.map(|u| unescape(u.trim())).filter(|u| is_internal(u));
            if url.is_none() && !raw_ampersand {
                continue;
            }
            let between = &text[cursor..a.at];
            match between.rfind('\n') {
                Some(last) => {
                    line += memchr::memchr_iter(b'\n', between.as_bytes()).count();
                    column = between[last + 1..].chars().count() + 1;
                }
                None => column += between.chars().count(),
            }
            cursor = a.at;
            out.push(Found {
                line: line as u32,
                column: column as u32,
                attr: a.name,
                value,
                url,
                raw_ampersand,
            });
        }
    });
    out
}

/// The findings among `candidates` of the output file `rel`.
pub(crate) fn resolve(
    candidates: &[Candidate],
    rel: &str,
    base_path: &str,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<HtmlFinding> {
    let mut out = Vec::new();
    for c in candidates {
        let finding = |broken| HtmlFinding {
            line: c.line as usize,
            column: c.column as usize,
            attr: c.attr.to_string(),
            value: c.value.to_string(),
            broken,
        };
        if c.raw_ampersand {
            out.push(finding(None));
        }
        if let Some(why) = c
            .url
            .as_deref()
            .and_then(|u| broken(u, rel, base_path, exists))
        {
            out.push(finding(Some(why)));
        }
    }
    out
}

/// True for URLs that point into the site: not empty, not a fragment, no scheme or host.
fn is_internal(url: &str) -> bool {
    !(url.is_empty() || url.starts_with('#') || url.starts_with("//") || has_scheme(url))
}

/// Why `url` (entities decoded), found in the output file `rel`, resolves to no output file.
fn broken(url: &str, rel: &str, base_path: &str, exists: &dyn Fn(&str) -> bool) -> Option<String> {
    let path = crate::links::percent_decode(url.split(['#', '?']).next().unwrap_or(url));
    let target = if path.starts_with('/') {
        let Some(inside) = path
            .strip_prefix(base_path)
            .or_else(|| (format!("{path}/") == base_path).then_some(""))
        else {
            return Some(t!("check.output-check.text-9", url, base_path));
        };
        inside.to_string()
    } else {
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let keep_slash = path.ends_with('/') || path.is_empty();
        let Some(mut joined) = crate::links::normalize(&format!("{dir}/{path}")) else {
            return Some(t!("check.output-check.text-10", url));
        };
        if keep_slash && !joined.is_empty() {
            joined.push('/');
        }
        joined
    };
    (!exists(&target)).then(|| t!("check.output-check.text-11", url))
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    })
}

#[cfg(test)]
mod tests;
