//! The first stage: read `content/` from disk into parsed, not yet cross-checked sources.
//!
//! Files are read and their front matter parsed in parallel; every fault of every file is
//! collected, none stops the others.

use crate::t;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_yaml::Mapping;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::front_matter::{self, Meta};
use crate::site_config::SiteConfig;
use crate::yaml_fields::KeyLines;

/// One Markdown file, read and its front matter parsed.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path under `content/`, with `/` separators: `news/2021-03-01-x.md`.
    pub rel: String,
    /// Path for messages (relative to the site root): `content/news/2021-03-01-x.md`.
    pub file: PathBuf,
    /// The typed contract keys.
    pub meta: Meta,
    /// The whole front matter (the report module reads its table keys from it). Empty for a
    /// page that cannot be a report (not under `reports/`, no `kind:`); emptied by
    /// [`crate::model::Site::build`] for pages that are not reports, once the model is resolved.
    pub front_matter: Mapping,
    /// The front matter has a `date` key (with any value): all the model asks of the front
    /// matter of a page that cannot be a report. A map holding that one key cost ~460 bytes a
    /// page until the model was built (issue 13).
    pub date_key: bool,
    /// Lines of the front-matter keys, for later messages.
    pub key_lines: KeyLines,
    /// The Markdown body (empty when [`Source::body_on_disk`]).
    pub body: String,
    /// File line of the body's first line.
    pub body_first_line: usize,
    /// The body was not kept by the loader ([`load_lean`]): the build reads it again when it
    /// renders the page ([`reread_body`]).
    pub body_on_disk: bool,
    /// The identity (device, inode) of the file the loader read, when the system gives one:
    /// [`reread_body`] takes the same file again without resolving its path.
    pub file_id: Option<FileId>,
}

/// A file's identity on its file system: device and inode number.
pub type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> Option<FileId> {
    None
}

/// One file's outcome: the source and its warnings, or its errors.
pub type Parsed = Result<(Source, Vec<Diagnostic>), Vec<Diagnostic>>;

/// [`Parsed`], the source in the `Arc` the model keeps it in.
pub(crate) type SharedParsed = Result<(Arc<Source>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// `parsed` with its source put in the `Arc` the model keeps it in.
pub(crate) fn shared(parsed: Parsed) -> SharedParsed {
    parsed.map(|(src, warnings)| (Arc::new(src), warnings))
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// `site.yaml`, if it could be read.
    pub config: Option<SiteConfig>,
    /// Markdown files that parsed (files with errors are left out, their errors reported),
    /// each put in its `Arc` on the thread that parsed it (the model shares them).
    pub sources: Vec<Arc<Source>>,
    /// Files under `content/files/`, relative to `content/` (`files/a.pdf`), sorted.
    pub assets: Vec<String>,
    /// The attachments' sizes in bytes.
    pub asset_sizes: std::collections::HashMap<String, u64>,
    /// Every finding.
    pub diagnostics: Diagnostics,
}

/// Where a site lives on disk.
#[derive(Debug, Clone)]
pub struct SitePaths {
    /// The site root (holds `content/` and `themes/`).
    pub root: PathBuf,
    /// `root/content`.
    pub content: PathBuf,
}

impl SitePaths {
    /// Paths of the site at `root`.
    pub fn new(root: &Path) -> Self {
        SitePaths {
            root: root.to_path_buf(),
            content: root.join("content"),
        }
    }

    /// A path for messages: relative to the root if possible.
    pub fn display(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

/// Reads a text file as UTF-8 (BOM stripped, CRLF normalised), or says precisely why not.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    read_identified(path, shown, |_| true).map(|(text, _)| text)
}

/// [`read_text`], with the identity of the file opened; `accept` sees that identity before
/// anything is read, and a file it refuses is a `load/symlink-outside` error.
fn read_identified(
    path: &Path,
    shown: &Path,
    accept: impl FnOnce(Option<FileId>) -> bool,
) -> Result<(String, Option<FileId>), Diagnostic> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        Diagnostic::error(
            "load/unreadable",
            t!("load.unreadable", e = crate::messages::io_error(&e)),
        )
        .file(shown)
        .hint(t!("load.unreadable.hint"))
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    let id = file_id(&meta);
    if !accept(id) {
        return Err(symlink_outside(shown));
    }
    // Through `take`, not on the `File` itself: the size is known, and `File`'s own
    // `read_to_end` would ask the system for it again (`statx` and `lseek` per file).
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(u64::MAX)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    Ok((decode(bytes, shown)?, id))
}

fn symlink_outside(shown: &Path) -> Diagnostic {
    Diagnostic::error("load/symlink-outside", t!("load.symlink-outside"))
        .file(shown)
        .expected(t!("load.symlink-outside.expected"))
        .hint(t!("load.symlink-outside.hint"))
}

/// Decodes file bytes as UTF-8 text, normalising BOM and line endings.
pub fn decode(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    match crate::utf8::into_string(bytes) {
        Ok(mut s) => {
            // The text is kept as read (no copy) unless it has a BOM or CRs to remove.
            if s.starts_with('\u{feff}') {
                s.drain(..'\u{feff}'.len_utf8());
            }
            if s.contains('\r') {
                s = s.replace("\r\n", "\n").replace('\r', "\n");
            }
            Ok(s)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            // UTF-16 (Windows 记事本's “Unicode”) starts with its byte-order mark, or shows a
            // NUL after every ASCII character.
            let utf16 = bytes.starts_with(&[0xFF, 0xFE])
                || bytes.starts_with(&[0xFE, 0xFF])
                || (bytes.len() >= 4 && bytes[1] == 0 && bytes[3] == 0)
                || (bytes.len() >= 4 && bytes[0] == 0 && bytes[2] == 0);
            if utf16 {
                return Err(Diagnostic::error("load/not-utf8", t!("load.not-utf8"))
                    .file(shown)
                    .line(1)
                    .expected(t!("load.not-utf8.expected"))
                    .found(t!("load.not-utf8.found"))
                    .hint(t!("load.not-utf8.hint")));
            }
            let valid = e.utf8_error().valid_up_to();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Diagnostic::error("load/not-utf8", t!("load.not-utf8-2"))
                .file(shown)
                .line(line)
                .expected(t!("load.not-utf8.expected"))
                .found(t!("load.not-utf8.found-2", valid))
                .hint(t!("load.not-utf8.hint-2")))
        }
    }
}

/// Reads `content/`: `site.yaml`, every Markdown file and the list of attachments.
pub fn load(paths: &SitePaths) -> Loaded {
    load_with(paths, None)
}

/// [`load`] for `portal build`, which renders every page once. A site whose bodies all fit
/// [`KEPT_BODIES_BUDGET`] keeps them: each is dropped as its page is rendered, and reading it
/// again costs more than holding it. In a larger site the body of a page that cannot be a
/// report (the model reads only a report's body) is not kept but read again from its file when
/// the page is rendered ([`reread_body`]), so that the bodies of all pages are never in memory
/// at once (issue 13: ~1.9 KiB a page, 380 MB at 200,000 pages).
pub fn load_lean(paths: &SitePaths) -> Loaded {
    load_lean_within(paths, KEPT_BODIES_BUDGET)
}

/// [`load_lean`] keeping every body when they all fit `budget` bytes (0: none is kept).
pub fn load_lean_within(paths: &SitePaths, budget: usize) -> Loaded {
    load_with(paths, Some(budget))
}

/// Bytes of bodies up to which [`load_lean`] keeps every body in memory. Reading a body again
/// is an open, a read and a close (10,000 pages: −0.05 s of system time, ~3 % of the build's
/// CPU; 50,000 pages: −0.46 s wall, −9 %). 128 MiB holds a 50,000-page site's ~95 MB of
/// bodies: its peak (265–269 MiB) is below the 300 MiB of issue 13 since no page keeps a front
/// matter map or room for report tables it does not have. A larger site keeps none, but holds
/// up to this budget while it loads, before it finds out (at 200,000 pages: +56 MB at the
/// peak, offset by the smaller pages). Keeping the bodies until the budget ran out, freed
/// between the pages' long-lived data, raised the peak at 200,000 pages by 50–70 MB and slowed
/// the build (docs/benchmarks.md, session 6).
pub const KEPT_BODIES_BUDGET: usize = 128 << 20;

/// Markdown files parsed as one piece of parallel work while the walk goes on.
const PARSE_BATCH: usize = 16;

/// The bodies kept so far by the loader's threads, against a budget.
struct KeptBodies {
    budget: usize,
    used: AtomicUsize,
    /// A body did not fit: the site's bodies are all left on disk.
    overflowed: AtomicBool,
}

impl KeptBodies {
    /// Whether a body of `len` bytes is kept for now. Once one does not fit, none is kept and
    /// the loader drops those it kept: the site's bodies are all held or all read again.
    fn keep(&self, len: usize) -> bool {
        if self.budget == 0 || self.overflowed.load(Ordering::Relaxed) {
            return false;
        }
        if self.used.fetch_add(len, Ordering::Relaxed) + len <= self.budget {
            return true;
        }
        self.overflowed.store(true, Ordering::Relaxed);
        false
    }
}

/// Loads the site; `lean` is the budget of bodies kept when bodies may be left on disk.
fn load_with(paths: &SitePaths, lean: Option<usize>) -> Loaded {
    let mut out = Loaded::default();
    let (config, diags) = load_config(paths);
    out.config = config;
    out.diagnostics.extend(diags);

    let kept = KeptBodies {
        budget: lean.unwrap_or(0),
        used: AtomicUsize::new(0),
        overflowed: AtomicBool::new(false),
    };
    let parse = |rel: &str, path: &Path| {
        let mut parsed = load_one(rel, path, &paths.display(path));
        if let Ok((src, _)) = &mut parsed
            && lean.is_some()
            && !may_be_report(src)
            && !kept.keep(src.body.len())
        {
            leave_body_on_disk(src);
        }
        shared(parsed)
    };
    // The files are parsed while the tree is still being walked: a walk of 10,000 files was a
    // serial stretch of ~20 ms at the start of every build (issue 13). Each batch is parsed
    // on whichever thread is free, and the results are put back in the walk's order.
    let done: Mutex<Vec<(usize, Vec<SharedParsed>)>> = Mutex::new(Vec::new());
    let walked = rayon::scope(|s| {
        let mut batch = Vec::with_capacity(PARSE_BATCH);
        let mut n = 0;
        let (parse, done) = (&parse, &done);
        let send = |batch: Vec<(String, PathBuf)>, n: usize| {
            s.spawn(move |_| {
                let parsed = batch.iter().map(|(rel, path)| parse(rel, path)).collect();
                done.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((n, parsed));
            })
        };
        let walked = walk_with(paths, |rel, path| {
            batch.push((rel, path));
            if batch.len() == PARSE_BATCH {
                send(
                    std::mem::replace(&mut batch, Vec::with_capacity(PARSE_BATCH)),
                    n,
                );
                n += 1;
            }
        });
        send(batch, n);
        walked
    });
    out.diagnostics.extend(walked.diagnostics);
    out.assets = walked.assets;
    out.asset_sizes = walked.asset_sizes;
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_unstable_by_key(|(n, _)| *n);
    out.sources
        .reserve_exact(done.iter().map(|(_, parsed)| parsed.len()).sum());
    if lean.is_some() && kept.overflowed.into_inner() {
        // Over the budget: the bodies kept before it ran out go too, freed in parallel (48 MiB
        // freed on one thread was a serial stretch, issue 13).
        use rayon::prelude::*;
        done.par_iter_mut()
            .flat_map_iter(|(_, parsed)| parsed.iter_mut())
            .for_each(|r| {
                if let Ok((src, _)) = r
                    && !src.body_on_disk
                    && !may_be_report(src)
                    && let Some(src) = Arc::get_mut(src)
                {
                    leave_body_on_disk(src);
                }
            });
    }
    let results = done.into_iter().flat_map(|(_, parsed)| parsed);
    for r in results {
        match r {
            Ok((src, warnings)) => {
                out.diagnostics.extend(warnings);
                out.sources.push(src);
            }
            Err(ds) => out.diagnostics.extend(ds),
        }
    }
    out
}

/// Reads and parses `content/site.yaml`, and the catalog files `content/catalog/*.yaml`.
pub fn load_config(paths: &SitePaths) -> (Option<SiteConfig>, Vec<Diagnostic>) {
    let site_yaml = paths.content.join("site.yaml");
    let shown = paths.display(&site_yaml);
    match read_text(&site_yaml, &shown) {
        Ok(text) => match SiteConfig::parse(&text, &shown) {
            Ok((mut config, mut warnings)) => {
                let (catalog, ds) = crate::catalog::load(paths, &config);
                config.catalog = catalog;
                warnings.extend(ds);
                (Some(config), warnings)
            }
            Err(ds) => (None, ds),
        },
        Err(d) => (None, vec![d]),
    }
}

/// The files of `content/`, found but not read.
#[derive(Debug, Default)]
pub struct Walked {
    /// Markdown files: path under `content/` (`news/a.md`) and path on disk, sorted.
    pub markdown: Vec<(String, PathBuf)>,
    /// Files under `content/files/`, relative to `content/` (`files/a.pdf`), sorted.
    pub assets: Vec<String>,
    /// Their sizes in bytes (shown beside attachments: “PDF，1.2 MB”).
    pub asset_sizes: std::collections::HashMap<String, u64>,
    /// Parts of the tree that could not be read.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lists `content/` (sorted, editor leftovers skipped), reporting what cannot be read instead
/// of skipping it. Symbolic links are followed only while they stay inside the site root: one
/// that leads out (to `/etc/passwd`, to `/usr/share/doc`) is an error naming the link, and
/// nothing behind it is read or published. File names with control characters are refused;
/// hidden files are skipped with one warning that lists them.
pub fn walk(paths: &SitePaths) -> Walked {
    let mut markdown = Vec::new();
    let mut out = walk_with(paths, |rel, path| markdown.push((rel, path)));
    out.markdown = markdown;
    out
}

/// [`walk`], handing each Markdown file to `on_markdown` as it is found (in the same order)
/// instead of listing it in [`Walked::markdown`], which stays empty.
fn walk_with(paths: &SitePaths, mut on_markdown: impl FnMut(String, PathBuf)) -> Walked {
    let mut out = Walked::default();
    let mut hidden = Vec::new();
    let mut it = walkdir::WalkDir::new(&paths.content)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().map(|p| paths.display(p)).unwrap_or_default();
                out.diagnostics.push(
                    Diagnostic::error(
                        "load/unreadable",
                        t!(
                            "load.unreadable-2",
                            e = match e.io_error() {
                                Some(io) => crate::messages::io_error(io),
                                None => e.to_string(),
                            }
                        ),
                    )
                    .file(p)
                    .hint(t!("load.unreadable.hint-2")),
                );
                continue;
            }
        };
        if (entry.path_is_symlink() || entry.depth() == 0)
            && !crate::safe_path::resolves_inside(entry.path(), &paths.root)
        {
            let target = std::fs::read_link(entry.path())
                .map(|t| t.display().to_string())
                .unwrap_or_else(|_| t!("load.symlink-unresolved"));
            out.diagnostics.push(
                Diagnostic::error("load/symlink-outside", t!("load.symlink-outside"))
                    .file(paths.display(entry.path()))
                    .found(t!("load.symlink-outside.found", target))
                    .expected(t!("load.symlink-outside.expected"))
                    .hint(t!("load.symlink-outside.hint")),
            );
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&paths.content)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(c) = rel.chars().find(|c| c.is_control()) {
            out.diagnostics.push(
                Diagnostic::error(
                    "load/bad-file-name",
                    t!("load.bad-file-name", c_fmt = format!("{:?}", c)),
                )
                .file(paths.display(entry.path()))
                .found(format!("{rel:?}"))
                .hint(t!("load.bad-file-name.hint")),
            );
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if is_ignored(&rel) {
            if is_hidden_content(&rel) {
                hidden.push(rel);
            }
            continue;
        }
        if rel.starts_with("files/") {
            let size = entry.metadata().map_or(0, |m| m.len());
            out.asset_sizes.insert(rel.clone(), size);
            out.assets.push(rel);
        } else if rel.ends_with(".md") {
            on_markdown(rel, entry.path().to_path_buf());
        }
    }
    if !hidden.is_empty() {
        let shown: Vec<&str> = hidden.iter().take(5).map(String::as_str).collect();
        let more = if hidden.len() > 5 {
            t!("load.hidden-more", n = hidden.len())
        } else {
            String::new()
        };
        out.diagnostics.push(
            Diagnostic::warning(
                "load/hidden-skipped",
                t!("load.hidden-skipped", files = shown.join("、"), more),
            )
            .file("content")
            .hint(t!("load.hidden-skipped.hint")),
        );
    }
    out
}

/// A hidden file an editor may have meant to publish: a dot-file that is not an editor's or a
/// system's own (`.gitkeep`, `.DS_Store`, swap and lock files).
fn is_hidden_content(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let in_hidden_folder = rel.split('/').rev().skip(1).any(|s| s.starts_with('.'));
    name.starts_with('.')
        && !in_hidden_folder
        && ![
            ".gitkeep",
            ".gitignore",
            ".gitattributes",
            ".DS_Store",
            ".keep",
        ]
        .contains(&name)
        && !name.starts_with(".#")
        && !name.ends_with(".swp")
        && !name.ends_with(".swx")
        && !name.ends_with(".tmp")
}

/// Editor leftovers and hidden files are never content: backups (`a.md~`), swap and lock files
/// (`.a.md.swp`, `.#a.md`, Emacs' `#a.md#`), and the `4913` file Vim creates to test whether it
/// may write a folder.
pub fn is_ignored(rel: &str) -> bool {
    rel.split('/').any(|seg| {
        seg.starts_with('.')
            || seg.ends_with('~')
            || seg.ends_with(".swp")
            || seg.ends_with(".swx")
            || seg.ends_with(".tmp")
            || (seg.starts_with('#') && seg.ends_with('#'))
            || seg == "4913"
    })
}

/// Reads and parses one Markdown file.
pub fn load_one(rel: &str, path: &Path, shown: &Path) -> Parsed {
    let (text, id) = read_identified(path, shown, |_| true).map_err(|d| vec![d])?;
    let mut parsed = parse_source(rel, &text, shown);
    if let Ok((src, _)) = &mut parsed {
        src.file_id = id;
    }
    parsed
}

/// True when `src` may be an annual report (under `reports/`, or with a `kind:`): the model
/// reads the tables of a report from its front matter and body.
fn may_be_report(src: &Source) -> bool {
    may_be_report_at(&src.meta, &src.rel)
}

/// [`may_be_report`] for the page at `rel` with the contract keys `meta`.
fn may_be_report_at(meta: &Meta, rel: &str) -> bool {
    meta.kind.is_some() || crate::page::Kind::from_rel(rel) == crate::page::Kind::Report
}

/// Drops the body of `src`: it is read again from its file when its page is rendered
/// ([`reread_body`]).
pub fn leave_body_on_disk(src: &mut Source) {
    src.body = String::new();
    src.body_on_disk = true;
}

/// The body of `src`, read again from its file under `paths` (see [`load_lean`]). The file must
/// still lie inside the site and have the front matter it was loaded with: a build renders
/// what it resolved, or fails.
pub fn reread_body(src: &Source, paths: &SitePaths) -> Result<String, Diagnostic> {
    // Not trusted from the walk: the file may have become a link since. The very file the
    // loader read (same device and inode, seen on the opened file) needs no more proof; any
    // other file at that path (an editor's save replaces the file) is proven inside the site
    // by resolving its path — about nine `readlink`s a page, 0.1 s at 10,000 pages.
    let path = crate::safe_path::inside(&paths.content, &src.rel)
        .map_err(|_| symlink_outside(&src.file))?;
    let (text, _) = read_identified(&path, &src.file, |id| {
        (id.is_some() && id == src.file_id)
            || (crate::safe_path::resolves_inside(&path, &paths.root)
                // …and the file proven is the one opened (no link swapped in meanwhile).
                && std::fs::metadata(&path).is_ok_and(|m| file_id(&m) == id))
    })?;
    let split = front_matter::split(&text, &src.file)?;
    if split.yaml != src.key_lines.text() || split.body_first_line != src.body_first_line {
        return Err(Diagnostic::error(
            "load/changed-during-build",
            t!("load.changed-during-build"),
        )
        .file(&src.file)
        .hint(t!("load.changed-during-build.hint")));
    }
    Ok(split.body.to_string())
}

/// The Markdown body of `src`: the one it holds, or, when the loader left it on disk, the one
/// read again from its file under `paths` ([`reread_body`]).
pub fn body_of<'a>(
    src: &'a Source,
    paths: &SitePaths,
) -> Result<std::borrow::Cow<'a, str>, Diagnostic> {
    if src.body_on_disk {
        reread_body(src, paths).map(std::borrow::Cow::Owned)
    } else {
        Ok(std::borrow::Cow::Borrowed(src.body.as_str()))
    }
}

/// Parses the text of one Markdown file.
pub fn parse_source(rel: &str, text: &str, shown: &Path) -> Parsed {
    let split = front_matter::split(text, shown).map_err(|d| vec![d])?;
    let map = front_matter::parse_yaml(&split, shown)?;
    let key_lines = KeyLines::new(split.yaml, split.yaml_first_line);
    let (meta, diags) = front_matter::read_meta(&map, shown, &key_lines);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    // Issue 13: every page's whole front matter (~1.6 KiB a page) was held until the model was
    // built; only a report's is read.
    let date_key = map.contains_key("date");
    let map = if may_be_report_at(&meta, rel) {
        map
    } else {
        Mapping::new()
    };
    Ok((
        Source {
            rel: rel.to_string(),
            file: shown.to_path_buf(),
            meta,
            front_matter: map,
            date_key,
            key_lines,
            body: split.body.to_string(),
            body_first_line: split.body_first_line,
            body_on_disk: false,
            file_id: None,
        },
        diags,
    ))
}

#[cfg(test)]
mod tests;
