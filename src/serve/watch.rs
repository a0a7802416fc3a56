//! Watching `content/` and `themes/` for saves.
//!
//! Folders are watched, not files: editors save by writing a temporary file and renaming it over
//! the old one, which a watch on the file itself would lose. Events are debounced (a save is a
//! burst of events) and editor leftovers are dropped here, so a Vim save is one rebuild, not four.
//!
//! The site root is watched too, on its own (not recursively): a watch ends with the folder it
//! watches, so when `content/` or `themes/` is deleted and put back (`rm -rf content; cp -r
//! backup content`) or moved away and back, the root's event re-establishes the folder's watch
//! and asks for a full rebuild.

use crate::t;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use notify_debouncer_full::notify::{
    self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher,
};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdCache, NoCache, RecommendedCache, new_debouncer_opt,
};

/// What the watcher tells the builder.
#[derive(Debug)]
pub(super) enum WatchMsg {
    /// These paths (files or folders) were created, modified, removed or renamed.
    Changed(Vec<PathBuf>),
    /// Events were lost (the kernel queue overflowed): the whole tree must be listed again.
    Rescan,
    /// `content/` or `themes/` itself appeared, vanished or moved: list everything again and
    /// render everything.
    Reset,
    /// The watch failed while running; the message says how.
    Error(String),
}

/// Quiet time before a burst of events is passed on: long enough to cover an editor's
/// write-then-rename, short enough to stay well inside the save-to-reload budget.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// How often `--poll` looks at the files. Polling lists every file each time, so this trades
/// latency for CPU on large sites.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The folders of the root that are watched, recursively.
const WATCHED: [&str; 2] = ["content", "themes"];

/// A running watch; dropping it stops watching.
pub(super) struct Watch {
    _debouncer: Arc<Mutex<dyn Rewatch>>,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watch")
    }
}

/// Why watching could not start.
#[derive(Debug)]
pub struct WatchError {
    /// The folder that could not be watched.
    pub path: PathBuf,
    /// What notify said.
    pub source: notify::Error,
}

impl std::fmt::Display for WatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (path, error) = (self.path.display(), &self.source);
        write!(f, "{}", t!("serve.watch.failed", path, error))?;
        if matches!(self.source.kind, notify::ErrorKind::MaxFilesWatch) {
            write!(f, "{}", t!("serve.watch.max-watches"))?;
        } else {
            write!(f, "{}", t!("serve.watch.use-poll"))?;
        }
        Ok(())
    }
}

impl std::error::Error for WatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A debouncer whose recursive watch on one folder can be dropped and set up again.
trait Rewatch: Send {
    /// Drops the watch on `dir` (if any) and, if `dir` is a folder now, watches it again.
    fn rewatch(&mut self, dir: &Path) -> Result<(), notify::Error>;
}

impl<T: Watcher + Send, C: FileIdCache + Send> Rewatch for Debouncer<T, C> {
    fn rewatch(&mut self, dir: &Path) -> Result<(), notify::Error> {
        // Not watched any more (deleted) is fine; a watch that moved away with its folder
        // must go, or its events would be reported under the old name.
        let _ = self.unwatch(dir);
        if dir.is_dir() {
            self.watch(dir, RecursiveMode::Recursive)?;
        }
        Ok(())
    }
}

/// What one batch of events means for the builder.
fn sort_events(root: &Path, result: DebounceEventResult) -> (Vec<WatchMsg>, Vec<PathBuf>) {
    let events = match result {
        Ok(events) => events,
        Err(errors) => {
            let msgs = errors
                .into_iter()
                .map(|e| WatchMsg::Error(e.to_string()))
                .collect();
            return (msgs, Vec::new());
        }
    };
    let watched: Vec<PathBuf> = WATCHED.iter().map(|d| root.join(d)).collect();
    let mut paths = Vec::new();
    let mut reset: Vec<PathBuf> = Vec::new();
    let mut rescan = false;
    for e in events {
        if e.need_rescan() {
            rescan = true;
        }
        if matches!(e.kind, EventKind::Access(_)) {
            continue;
        }
        for p in &e.event.paths {
            if watched.contains(p) {
                // The folder itself appeared, vanished or moved; a plain change of its
                // modification time (a file added inside) arrives as a folder `Modify`.
                if !matches!(
                    e.kind,
                    EventKind::Modify(notify::event::ModifyKind::Data(_))
                        | EventKind::Modify(notify::event::ModifyKind::Metadata(_))
                ) && !reset.contains(p)
                {
                    reset.push(p.clone());
                }
            } else if p.parent() == Some(root) {
                // Other entries of the root (public/, the preview folder): not the site's.
            } else if !is_editor_leftover(p) {
                paths.push(p.clone());
            }
        }
    }
    let mut msgs = Vec::new();
    if rescan {
        msgs.push(WatchMsg::Rescan);
    }
    if !paths.is_empty() {
        paths.sort();
        paths.dedup();
        msgs.push(WatchMsg::Changed(paths));
    }
    if !reset.is_empty() {
        msgs.push(WatchMsg::Reset);
    }
    (msgs, reset)
}

/// Watches `content/` and `themes/` of `root` recursively (and the root itself, for those two
/// folders coming and going) and sends what changed to `tx`. With `poll`, looks at the files
/// every half second instead of asking the kernel (for file systems that send no events).
pub(super) fn watch(root: &Path, poll: bool, tx: Sender<WatchMsg>) -> Result<Watch, WatchError> {
    let root = root.to_path_buf();
    // Set once the debouncer exists; weak, so that dropping the [`Watch`] stops it.
    let slot: Arc<OnceLock<Weak<Mutex<dyn Rewatch>>>> = Arc::default();
    let handler = {
        let root = root.clone();
        let slot = Arc::clone(&slot);
        move |result: DebounceEventResult| {
            let (mut msgs, reset) = sort_events(&root, result);
            if !reset.is_empty()
                && let Some(d) = slot.get().and_then(Weak::upgrade)
            {
                let mut d = d.lock().unwrap_or_else(|e| e.into_inner());
                for dir in &reset {
                    if let Err(e) = d.rewatch(dir) {
                        msgs.push(WatchMsg::Error(format!(
                            "cannot watch {} again: {e}",
                            dir.display()
                        )));
                    }
                }
            }
            for m in msgs {
                // The builder is gone: the server is stopping.
                let _ = tx.send(m);
            }
        }
    };
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WatchError { path, source }
    };
    let debouncer: Arc<Mutex<dyn Rewatch>> = if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let d: Debouncer<PollWatcher, NoCache> =
            new_debouncer_opt(DEBOUNCE, None, handler, NoCache::new(), config)
                .map_err(err(&root))?;
        start(d, &root)?
    } else {
        let d: Debouncer<RecommendedWatcher, RecommendedCache> = new_debouncer_opt(
            DEBOUNCE,
            None,
            handler,
            RecommendedCache::new(),
            notify::Config::default(),
        )
        .map_err(err(&root))?;
        start(d, &root)?
    };
    let _ = slot.set(Arc::downgrade(&debouncer));
    Ok(Watch {
        _debouncer: debouncer,
    })
}

/// Sets up the watches of a new debouncer: the root on its own, its site folders recursively.
fn start<T, C>(mut d: Debouncer<T, C>, root: &Path) -> Result<Arc<Mutex<dyn Rewatch>>, WatchError>
where
    T: Watcher + Send + 'static,
    C: FileIdCache + Send + 'static,
{
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WatchError { path, source }
    };
    for dir in WATCHED.iter().map(|d| root.join(d)).filter(|d| d.is_dir()) {
        d.watch(&dir, RecursiveMode::Recursive).map_err(err(&dir))?;
    }
    d.watch(root, RecursiveMode::NonRecursive)
        .map_err(err(root))?;
    Ok(Arc::new(Mutex::new(d)))
}

/// Swap, backup and lock files of editors, and Vim's `4913` write test: never part of the site,
/// and a rebuild for each would double the work of every save.
fn is_editor_leftover(path: &std::path::Path) -> bool {
    path.file_name()
        .is_some_and(|n| crate::load::is_ignored(&n.to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_dropped() {
        for name in [
            "a.md.swp",
            ".a.md.swx",
            "a.md~",
            ".#a.md",
            "#a.md#",
            "4913",
            ".a.md.tmp-12",
        ] {
            assert!(
                is_editor_leftover(std::path::Path::new(&format!("/s/content/news/{name}"))),
                "{name}"
            );
        }
        assert!(!is_editor_leftover(std::path::Path::new(
            "/s/content/news/a.md"
        )));
    }
}
