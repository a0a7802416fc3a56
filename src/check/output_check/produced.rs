//! What the check's build produced, as it is produced: the names of the files, and the
//! attributes of each HTML page worth a second look (a URL to resolve, a raw `&`), kept compact
//! and only while they may still be findings (issue 13: `portal check` must not need more memory
//! than `portal build`).

use crate::t;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::HtmlFinding;
use crate::check::html_scan::{self, raw_ampersands, unescape};

/// An attribute of a built page worth a second look, as found in the page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found<'a> {
    pub(super) line: u32,
    pub(super) column: u32,
    pub(super) attr: &'a str,
    /// The value as written.
    pub(super) value: &'a str,
    /// The URL in it (entities decoded), if it is a URL attribute.
    pub(super) url: Option<Cow<'a, str>>,
    pub(super) raw_ampersand: bool,
}

impl Found<'_> {
    /// What becomes of it in the output file `rel`, knowing the files produced so far (`names`).
    fn fate(&self, rel: &str, base_path: &str, names: &HashSet<Box<str>>) -> Fate {
        if self.raw_ampersand {
            return Fate::Keep;
        }
        let Some(url) = self.url.as_deref() else {
            return Fate::Resolved;
        };
        match link_target(url, rel, base_path) {
            Err(_) => Fate::Keep,
            // Files are only ever added: a link that resolves now always will.
            Ok(t) if exists_in(names, &t) => Fate::Resolved,
            Ok(t) => Fate::Wait(t),
        }
    }

    /// The candidate kept until the last page is produced, its strings shared through
    /// `interner`.
    pub(super) fn intern(&self, interner: &Interner) -> Candidate {
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

/// An attribute of a built page kept for a second look once every file is produced: a URL that
/// resolved to no file when its page was produced, or a raw `&`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(super) line: u32,
    pub(super) column: u32,
    // The strings are interned ([`Interner`]): a theme's link broken on one page is broken on
    // every page.
    pub(super) attr: Arc<str>,
    /// The value as written.
    pub(super) value: Arc<str>,
    /// The URL in it (entities decoded), if it is a URL attribute.
    pub(super) url: Option<Arc<str>>,
    pub(super) raw_ampersand: bool,
}

/// One shared copy of each attribute name, value and URL the candidates hold.
#[derive(Debug, Default)]
pub(crate) struct Interner(Mutex<Interned>);

/// The strings of an [`Interner`], and its size at which those no candidate holds any more are
/// dropped.
#[derive(Debug, Default)]
struct Interned {
    set: HashSet<Arc<str>>,
    prune_at: usize,
}

impl Interner {
    pub(super) fn get(&self, s: &str) -> Arc<str> {
        let mut interned = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(a) = interned.set.get(s) {
            return Arc::clone(a);
        }
        // Links that waited for their file are dropped when it comes: so are their strings, once
        // in a while (the set at most doubles in between).
        if interned.set.len() >= interned.prune_at {
            interned.set.retain(|a| Arc::strong_count(a) > 1);
            interned.prune_at = (2 * interned.set.len()).max(1024);
        }
        let a: Arc<str> = Arc::from(s);
        interned.set.insert(Arc::clone(&a));
        a
    }

    /// How many strings it holds.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).set.len()
    }
}

/// What becomes of an attribute found in a page.
#[derive(Debug, PartialEq, Eq)]
enum Fate {
    /// Nothing to report: its link resolves.
    Resolved,
    /// A raw `&`, or a link that can resolve to nothing: looked at again at the end.
    Keep,
    /// A link to the output path it names, not produced yet.
    Wait(String),
}

/// What the check's build produced so far: the names of its files, how many are HTML, and the
/// HTML files with attributes still worth a look. A link to a file not produced yet waits for it
/// under that file's name, and is dropped when it comes: only links that never resolve are held
/// to the end (issue 13: holding each one until the last page was a tenth of the check's memory).
#[derive(Default)]
pub(super) struct ProducedSoFar {
    /// Files with candidates, as produced (a file produced twice is here twice).
    files: Vec<(String, Vec<Candidate>)>,
    pub(super) names: HashSet<Box<str>>,
    pub(super) html_files: usize,
    /// Candidates waiting for the output path they link to, with their file's index in `files`.
    waiting: HashMap<Box<str>, Vec<(u32, Candidate)>>,
}

impl ProducedSoFar {
    /// Adds the file `rel`, an HTML file if `html`: the links waiting for it resolve.
    pub(super) fn add(&mut self, rel: &str, html: bool) {
        self.names.insert(rel.into());
        self.html_files += usize::from(html);
        if self.waiting.is_empty() {
            return;
        }
        // The paths that name `rel` (see [`exists_in`]): `a/index.html` is also `a/` and `a`.
        self.waiting.remove(rel);
        if let Some(dir) = rel.strip_suffix("index.html")
            && (dir.is_empty() || dir.ends_with('/'))
        {
            self.waiting.remove(dir);
            if let Some(bare) = dir.strip_suffix('/') {
                self.waiting.remove(bare);
            }
        }
    }

    /// Adds the HTML file `rel`, in which `found` was found, sharing their strings through
    /// `interner`; only what may be a finding is kept.
    pub(super) fn add_page(
        &mut self,
        rel: &str,
        found: &[Found<'_>],
        base_path: &str,
        interner: &Interner,
    ) {
        self.add(rel, true);
        let mut kept = Vec::new();
        let mut waits = Vec::new();
        for f in found {
            match f.fate(rel, base_path, &self.names) {
                Fate::Resolved => {}
                Fate::Keep => kept.push(f.intern(interner)),
                Fate::Wait(target) => waits.push((target, f.intern(interner))),
            }
        }
        if kept.is_empty() && waits.is_empty() {
            return;
        }
        let at = self.files.len() as u32;
        self.files.push((rel.to_string(), kept));
        for (target, c) in waits {
            let w = self.waiting.entry(target.into_boxed_str()).or_default();
            w.push((at, c));
        }
    }

    /// Every file with candidates left once all are produced, each with its candidates in the
    /// order of the page, sorted by name.
    pub(super) fn files(&mut self) -> Vec<(String, Vec<Candidate>)> {
        let mut files = std::mem::take(&mut self.files);
        let mut waited = false;
        for (at, c) in std::mem::take(&mut self.waiting).into_values().flatten() {
            files[at as usize].1.push(c);
            waited = true;
        }
        if waited {
            for (_, cs) in &mut files {
                cs.sort_by_key(|c| (c.line, c.column));
            }
        }
        files.retain(|(_, cs)| !cs.is_empty());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

/// True when the output path `rel` (a folder when it ends with `/`) is a file of `names`.
pub(super) fn exists_in<S: std::borrow::Borrow<str> + Eq + std::hash::Hash>(
    names: &HashSet<S>,
    rel: &str,
) -> bool {
    if rel.is_empty() || rel.ends_with('/') {
        names.contains(format!("{rel}index.html").as_str())
    } else {
        names.contains(rel) || names.contains(format!("{rel}/index.html").as_str())
    }
}

/// Finds, in one built HTML page, the URL attributes and the attributes with a raw `&`.
pub(super) fn extract(text: &str) -> Vec<Found<'_>> {
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
    match link_target(url, rel, base_path) {
        Err(why) => Some(why),
        Ok(target) => (!exists(&target)).then(|| t!("check.output-check.text-11", url)),
    }
}

/// The output path `url` (entities decoded), found in the output file `rel`, names (a folder
/// when it ends with `/`), or why it can name none.
fn link_target(url: &str, rel: &str, base_path: &str) -> Result<String, String> {
    let path = crate::links::percent_decode(url.split(['#', '?']).next().unwrap_or(url));
    if path.starts_with('/') {
        let Some(inside) = path
            .strip_prefix(base_path)
            .or_else(|| (format!("{path}/") == base_path).then_some(""))
        else {
            return Err(t!("check.output-check.text-9", url, base_path));
        };
        Ok(inside.to_string())
    } else {
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let keep_slash = path.ends_with('/') || path.is_empty();
        let Some(mut joined) = crate::links::normalize(&format!("{dir}/{path}")) else {
            return Err(t!("check.output-check.text-10", url));
        };
        if keep_slash && !joined.is_empty() {
            joined.push('/');
        }
        Ok(joined)
    }
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    })
}
