//! The last stage: writing the site into a staging folder beside the output and swapping it in
//! only when the whole build succeeded, so a failed build leaves the previous output untouched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::t;

pub mod claims;
pub mod fast_minify;
pub use crate::safe_path as paths;
mod swap;
pub mod target;

pub use claims::{Claimant, Claims};
pub use target::{MARKER, check_target};

/// A file of the output, as a [`Visitor`] sees it.
#[derive(Debug, Clone, Copy)]
pub enum Produced<'a> {
    /// Written by the build (HTML, JSON, CSV …), with its contents.
    Bytes(&'a [u8]),
    /// Copied verbatim from this source file (attachments, theme assets); not read.
    Copy(&'a Path),
}

/// Receives every file of a build instead of the disk: `(path under the output, file)`.
/// Called from the build's worker threads.
pub type Visitor = Box<dyn Fn(&str, Produced<'_>) + Send + Sync>;

/// A staging folder that becomes the output on [`Staging::commit`] and is removed otherwise.
pub struct Staging {
    /// Where files are written during the build.
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
    minify: bool,
    visitor: Option<Visitor>,
    claims: Claims,
}

impl std::fmt::Debug for Staging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Staging")
            .field("dir", &self.dir)
            .field("target", &self.target)
            .field("committed", &self.committed)
            .field("minify", &self.minify)
            .field("visiting", &self.visitor.is_some())
            .finish()
    }
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    swap::sibling_for(target, tag, std::process::id())
}

impl Staging {
    /// A fresh staging folder beside `target` (same file system, so the swap is a rename).
    /// Staging and old folders that runs no longer alive left beside it are removed first.
    pub fn new(target: &Path) -> io::Result<Staging> {
        swap::remove_stale(target);
        let dir = sibling(target, "staging");
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
            minify: true,
            visitor: None,
            claims: Claims::default(),
        })
    }

    /// Records that `by` writes `rel`; see [`Staging::conflicts`].
    pub fn claim(&self, rel: &str, by: Claimant) {
        self.claims.claim(rel, by);
    }

    /// Paths claimed twice (or as a file and a folder) so far, as errors naming both claimants.
    pub fn conflicts(&self) -> Vec<crate::diagnostic::Diagnostic> {
        self.claims.conflicts()
    }

    /// Hands every file to `visit` instead of writing it, so that `portal check` can scan a
    /// build without writing (and deleting) ten thousand files. Writers that take a folder rather
    /// than going through [`Staging::write`] still write into [`Staging::dir`], which is removed
    /// on drop; such a staging area cannot be committed, and the build skips the search index
    /// for it.
    pub fn visiting(mut self, visit: Visitor) -> Staging {
        self.visitor = Some(visit);
        self
    }

    /// True for a staging area made with [`Staging::visiting`].
    pub fn is_visiting(&self) -> bool {
        self.visitor.is_some()
    }

    /// Writes HTML pages as the templates produced them. `portal check` scans those: minify-html
    /// decodes entities, which hides the raw `&` the check looks for.
    pub fn without_minify(mut self) -> Staging {
        self.minify = false;
        self
    }

    /// Writes the HTML page `html` to `rel`, minified unless [`Staging::without_minify`].
    pub fn write_html(&self, rel: &str, html: &str) -> io::Result<()> {
        if self.minify {
            // One output buffer per worker thread, reused page after page.
            thread_local! {
                static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
            }
            BUF.with_borrow_mut(|buf| {
                minify_into(html, buf);
                self.write(rel, buf)
            })
        } else {
            self.write(rel, html.as_bytes())
        }
    }

    /// Writes `bytes` to `rel` inside the staging folder; a path that could lead outside it is
    /// refused ([`paths::inside`]) before anything is opened.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = paths::inside(&self.dir, rel)?;
        if let Some(visit) = &self.visitor {
            visit(rel, Produced::Bytes(bytes));
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    }

    /// Copies the file `from` to `rel` inside the staging folder (or hands it to the visitor).
    pub fn copy_file(&self, from: &Path, rel: &str) -> io::Result<()> {
        let dest = paths::inside(&self.dir, rel)?;
        if let Some(visit) = &self.visitor {
            visit(rel, Produced::Copy(from));
            return Ok(());
        }
        if let Some(p) = dest.parent() {
            fs::create_dir_all(p)?;
        }
        fs::copy(from, &dest).map(drop)
    }

    /// Copies the tree `from` to `to` inside the staging folder (or hands each file to the
    /// visitor), each file claimed as copied from `from`. Symbolic links that resolve outside
    /// `boundary` are refused. Returns the files copied.
    pub fn copy_tree(&self, from: &Path, to: &str, boundary: &Path) -> io::Result<usize> {
        let files = tree_files(from, boundary)?;
        // Every claim first: a failed copy must not hide the conflict that caused it.
        for (rel, path) in &files {
            self.claim(&format!("{to}/{rel}"), Claimant::Copied(path.clone()));
        }
        for (rel, path) in &files {
            self.copy_file(path, &format!("{to}/{rel}"))?;
        }
        Ok(files.len())
    }

    /// Replaces the target with the staging folder. A placeholder `.gitkeep` in the old output is
    /// carried over, so a checkout stays clean.
    pub fn commit(mut self) -> io::Result<()> {
        if self.visitor.is_some() {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "a visiting staging area holds no output to commit",
            ));
        }
        let old = sibling(&self.target, "old");
        if self.target.join(".gitkeep").exists() {
            fs::write(self.dir.join(".gitkeep"), b"")?;
        }
        fs::write(self.dir.join(MARKER), MARKER_TEXT)?;
        let had_old = self.target.is_dir();
        if had_old && swap::exchange(&self.dir, &self.target)? {
            // The staging path now holds the previous output.
            self.committed = true;
            fs::remove_dir_all(&self.dir)?;
            return Ok(());
        }
        if had_old {
            if old.exists() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                // Put the previous output back: never leave the user with none.
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// What the [`MARKER`] file says to whoever finds it on a server.
const MARKER_TEXT: &str = "portal 生成的网站文件夹；portal build 会整体替换它。\n";

/// Writes `bytes` to `dir/rel` through a temporary file renamed into place, so that a reader
/// (the preview server, while it updates a page) never sees a half-written file.
pub fn write_atomic(dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = paths::inside(dir, rel)?;
    let parent = path.parent().unwrap_or(dir);
    fs::create_dir_all(parent)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, &path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Removes `dir/rel` if it exists, then the folders it leaves empty (up to `dir`), so that a
/// page's old URL stops answering. Returns whether there was a file.
pub fn remove_pruning(dir: &Path, rel: &str) -> io::Result<bool> {
    let path = paths::inside(dir, rel)?;
    match fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    }
    let mut parent = path.parent();
    while let Some(d) = parent {
        // A folder that still holds something stays: remove_dir only removes empty ones.
        if d == dir || !d.starts_with(dir) || fs::remove_dir(d).is_err() {
            break;
        }
        parent = d.parent();
    }
    Ok(true)
}

/// The deepest nesting handed to minify-html, whose parser recurses once per element: at this
/// depth it stays well inside a 2 MiB thread stack (rayon's and tokio's default) even in a debug
/// build. Bodies are refused far earlier ([`crate::sanitize::MAX_DEPTH`]); this guards the rest.
pub const MINIFY_MAX_DEPTH: usize = 256;

/// Minifies a page: [`fast_minify`] when it can, minify-html ([`minify_full`]) otherwise; the
/// bytes are the same either way.
pub fn minify(html: &str) -> Vec<u8> {
    let mut out = Vec::new();
    minify_into(html, &mut out);
    out
}

/// [`minify`] into `out` (replacing its contents), so that a caller can reuse the buffer.
pub fn minify_into(html: &str, out: &mut Vec<u8>) {
    if fast_minify::minify_into(html.as_bytes(), out).is_err() {
        *out = minify_full(html);
    }
}

/// minify-html settings: JS left alone (its minifier has broken pages elsewhere), CSS minified,
/// `<html>`/`<head>` and closing tags kept for robust parsing by old browsers and audit tools.
///
/// A page nesting deeper than [`MINIFY_MAX_DEPTH`] is written as it is, with a warning on
/// stderr, rather than crash the process with a stack overflow.
pub fn minify_full(html: &str) -> Vec<u8> {
    let depth = crate::html_scan::max_depth(html);
    if depth > MINIFY_MAX_DEPTH {
        eprintln!(
            "{}",
            t!("output.too-deep-to-minify", depth, max = MINIFY_MAX_DEPTH)
        );
        return html.as_bytes().to_vec();
    }
    minify_html::minify(html.as_bytes(), &minify_cfg())
}

/// The settings of [`minify_full`].
fn minify_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        minify_js: false,
        minify_css: true,
        keep_html_and_head_opening_tags: true,
        keep_closing_tags: true,
        minify_doctype: false,
        allow_noncompliant_unquoted_attribute_values: false,
        allow_removing_spaces_between_attributes: false,
        remove_bangs: false,
        ..minify_html::Cfg::default()
    }
}

/// The files under `from` (`/`-separated relative path, full path), sorted, editor leftovers
/// and hidden files left out; none if `from` does not exist. A symbolic link whose target
/// resolves outside `boundary` is an error naming the link: nothing outside the site is
/// published.
fn tree_files(from: &Path, boundary: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !from.exists() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(from)
        .sort_by_file_name()
        .follow_links(true)
    {
        let entry = entry.map_err(io::Error::other)?;
        if (entry.path_is_symlink() || entry.depth() == 0)
            && !paths::resolves_inside(entry.path(), boundary)
        {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                t!("output.symlink-outside", link = entry.path().display()),
            ));
        }
        let rel = entry
            .path()
            .strip_prefix(from)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_file() && !crate::load::is_ignored(&rel) {
            out.push((rel, entry.path().to_path_buf()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_build_leaves_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("index.html"), "old").unwrap();
        {
            let s = Staging::new(&target).unwrap();
            s.write("index.html", b"new").unwrap();
            // dropped without commit
        }
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "old"
        );
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn commit_swaps_and_keeps_placeholder() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join(".gitkeep"), "").unwrap();
        fs::write(target.join("stale.html"), "old").unwrap();
        let s = Staging::new(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(target.join(".gitkeep").exists());
        assert!(!target.join("stale.html").exists());
        assert_eq!(
            fs::read_to_string(target.join("a/index.html")).unwrap(),
            "new"
        );
    }

    #[test]
    fn visiting_staging_hands_files_over_and_writes_nothing() {
        use std::sync::{Arc, Mutex};
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("a.pdf"), "pdf").unwrap();
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = Arc::clone(&seen);
        let s = Staging::new(&tmp.path().join("public"))
            .unwrap()
            .without_minify()
            .visiting(Box::new(move |rel, f| {
                let what = match f {
                    Produced::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
                    Produced::Copy(p) => p.file_name().unwrap().to_string_lossy().into_owned(),
                };
                sink.lock().unwrap().push(format!("{rel}={what}"));
            }));
        s.write_html("x/index.html", "<p>a  b</p>").unwrap();
        assert_eq!(s.copy_tree(&src, "files", tmp.path()).unwrap(), 1);
        assert_eq!(
            *seen.lock().unwrap(),
            ["x/index.html=<p>a  b</p>", "files/a.pdf=a.pdf"]
        );
        assert!(!s.dir.join("x").exists());
        assert_eq!(s.commit().unwrap_err().kind(), io::ErrorKind::Unsupported);
        assert!(!tmp.path().join("public").exists());
    }

    #[test]
    fn minify_never_overflows_a_small_stack() {
        let page = |n: usize| {
            format!(
                "<!DOCTYPE html><html><head></head><body>{}x{}</body></html>",
                "<div>".repeat(n),
                "</div>".repeat(n)
            )
        };
        let run = |html: String| {
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || minify_full(&html))
                .unwrap()
                .join()
                .expect("minify on a 2 MiB stack")
        };
        // At the limit it minifies (the body is inside html and body: two more levels).
        let at_limit = run(page(MINIFY_MAX_DEPTH - 2));
        assert!(!at_limit.windows(2).any(|w| w == b"\n"));
        assert!(
            at_limit.starts_with(b"<!doctype html>") || at_limit.starts_with(b"<!DOCTYPE html>")
        );
        // Past it, and far past it, the page is written as it is.
        for n in [MINIFY_MAX_DEPTH, 5000] {
            let html = page(n);
            assert_eq!(run(html.clone()), html.into_bytes());
        }
        // The one-pass minifier does not recurse: it minifies any depth on a small stack.
        let deep = page(5000).replace("x", "\n x \n");
        let out = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || minify(&deep))
            .unwrap()
            .join()
            .expect("minify on a 2 MiB stack");
        assert_eq!(
            out,
            page(5000).replace("<!DOCTYPE", "<!doctype").into_bytes()
        );
    }

    #[test]
    fn minify_keeps_pre_and_cjk() {
        let out = String::from_utf8(minify("<!DOCTYPE html><html><head></head><body><pre>a\n  b</pre><p>杨园  街道</p></body></html>")).unwrap();
        assert!(out.contains("<pre>a\n  b</pre>"));
        assert!(out.contains("杨园 街道"));
    }
}
