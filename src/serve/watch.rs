//! Watching `content/` and `themes/` for saves.
//!
//! Folders are watched, not files: editors save by writing a temporary file and renaming it over
//! the old one, which a watch on the file itself would lose. The events of a save are passed on
//! together once it is complete — every file written closed again or renamed into place, then
//! 5 ms without events — so that a save is built at once and never half-written; editor
//! leftovers are dropped here, so a Vim save is one rebuild, not four. `--poll` sees no opening
//! or closing of files and keeps a plain 20 ms debounce.
//!
//! The site root is watched too, on its own (not recursively): a watch ends with the folder it
//! watches, so when `content/` or `themes/` is deleted and put back (`rm -rf content; cp -r
//! backup content`) or moved away and back, the root's event re-establishes the folder's watch
//! and asks for a full rebuild.

use crate::t;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{
    self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher,
};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, FileIdCache, NoCache, new_debouncer_opt,
};

/// What the watcher tells the builder.
#[derive(Debug)]
pub(super) enum WatchMsg {
    /// These paths (files or folders) were created, modified, removed or renamed; the first
    /// of their events came at the instant given.
    Changed(Vec<PathBuf>, Instant),
    /// Events were lost (the kernel queue overflowed): the whole tree must be listed again.
    Rescan,
    /// `content/` or `themes/` itself appeared, vanished or moved: list everything again and
    /// render everything.
    Reset,
    /// The watch failed while running; the message says how.
    Error(String),
}

/// Quiet time before a burst of events is passed on once every file written is closed: the
/// few events an editor sends after the close or rename that completes a save (a backup
/// removed, the mode set) come within it.
const QUIET: Duration = Duration::from_millis(5);

/// Quiet time while a file is still open for writing: a writer pausing between two parts of
/// a file must not have the first part built.
const UNCLOSED: Duration = Duration::from_millis(250);

/// The polling watcher's quiet time (it sees no opening or closing of files).
const POLL_DEBOUNCE: Duration = Duration::from_millis(20);

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

/// A watcher whose recursive watch on one folder can be dropped and set up again.
trait Rewatch: Send {
    /// Watches `dir`.
    fn watch_dir(&mut self, dir: &Path, mode: RecursiveMode) -> Result<(), notify::Error>;

    /// Stops watching `dir`.
    fn unwatch_dir(&mut self, dir: &Path) -> Result<(), notify::Error>;

    /// Drops the watch on `dir` (if any) and, if `dir` is a folder now, watches it again.
    fn rewatch(&mut self, dir: &Path) -> Result<(), notify::Error> {
        // Not watched any more (deleted) is fine; a watch that moved away with its folder
        // must go, or its events would be reported under the old name.
        let _ = self.unwatch_dir(dir);
        if dir.is_dir() {
            self.watch_dir(dir, RecursiveMode::Recursive)?;
        }
        Ok(())
    }
}

impl<T: Watcher + Send, C: FileIdCache + Send> Rewatch for Debouncer<T, C> {
    fn watch_dir(&mut self, dir: &Path, mode: RecursiveMode) -> Result<(), notify::Error> {
        self.watch(dir, mode)
    }

    fn unwatch_dir(&mut self, dir: &Path) -> Result<(), notify::Error> {
        self.unwatch(dir)
    }
}

impl Rewatch for RecommendedWatcher {
    fn watch_dir(&mut self, dir: &Path, mode: RecursiveMode) -> Result<(), notify::Error> {
        self.watch(dir, mode)
    }

    fn unwatch_dir(&mut self, dir: &Path) -> Result<(), notify::Error> {
        self.unwatch(dir)
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
    let first = events.iter().map(|e| e.time).min();
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
        msgs.push(WatchMsg::Changed(paths, first.unwrap_or_else(Instant::now)));
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
    // Set once the watcher exists; weak, so that dropping the [`Watch`] stops it.
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
    let watcher: Arc<Mutex<dyn Rewatch>> = if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let mut d: Debouncer<PollWatcher, NoCache> =
            new_debouncer_opt(POLL_DEBOUNCE, None, handler, NoCache::new(), config)
                .map_err(err(&root))?;
        start(&mut d, &root)?;
        Arc::new(Mutex::new(d))
    } else {
        let (raw_tx, raw_rx) = mpsc::channel();
        let mut w = RecommendedWatcher::new(
            move |e: notify::Result<notify::Event>| {
                // The coalescing thread is gone: the watch is stopping.
                let _ = raw_tx.send((e, Instant::now()));
            },
            notify::Config::default(),
        )
        .map_err(err(&root))?;
        start(&mut w, &root)?;
        // Ends when the watcher (and with it the sending half) is dropped.
        std::thread::Builder::new()
            .name("portal-watch".into())
            .spawn(move || coalesce(&raw_rx, handler))
            .map_err(|e| err(&root)(notify::Error::io(e)))?;
        Arc::new(Mutex::new(w))
    };
    let _ = slot.set(Arc::downgrade(&watcher));
    Ok(Watch {
        _debouncer: watcher,
    })
}

/// Sets up the watches of a new watcher: the root on its own, its site folders recursively.
fn start(d: &mut dyn Rewatch, root: &Path) -> Result<(), WatchError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WatchError { path, source }
    };
    for dir in WATCHED.iter().map(|d| root.join(d)).filter(|d| d.is_dir()) {
        d.watch_dir(&dir, RecursiveMode::Recursive)
            .map_err(err(&dir))?;
    }
    d.watch_dir(root, RecursiveMode::NonRecursive)
        .map_err(err(root))?;
    Ok(())
}

/// Passes the kernel's events on in batches, one per save: a batch ends once no event came for
/// [`Batch::quiet`] (see there), so that a save is built as soon as it is complete and never
/// while a file is half-written.
fn coalesce(
    rx: &Receiver<(notify::Result<notify::Event>, Instant)>,
    mut handler: impl FnMut(DebounceEventResult),
) {
    while let Ok(first) = rx.recv() {
        let mut batch = Batch::default();
        batch.add(first);
        let stop = loop {
            match rx.recv_timeout(batch.quiet()) {
                Ok(next) => batch.add(next),
                Err(RecvTimeoutError::Timeout) => break false,
                Err(RecvTimeoutError::Disconnected) => break true,
            }
        };
        if !batch.errors.is_empty() {
            handler(Err(std::mem::take(&mut batch.errors)));
        }
        if !batch.events.is_empty() {
            handler(Ok(batch.events));
        }
        if stop {
            return;
        }
    }
}

/// The events of one save, while it is being written.
#[derive(Debug, Default)]
struct Batch {
    events: Vec<DebouncedEvent>,
    errors: Vec<notify::Error>,
    /// Files opened for writing and not closed yet (created or modified in place).
    writing: HashSet<PathBuf>,
}

impl Batch {
    fn add(&mut self, (event, time): (notify::Result<notify::Event>, Instant)) {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                self.errors.push(e);
                return;
            }
        };
        use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
        match event.kind {
            EventKind::Create(CreateKind::File | CreateKind::Any | CreateKind::Other)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any | ModifyKind::Other) => {
                self.writing.extend(event.paths.iter().cloned());
            }
            // Complete: closed after writing, or renamed into place.
            EventKind::Access(AccessKind::Close(AccessMode::Write | AccessMode::Any))
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_)) => {
                for p in &event.paths {
                    self.writing.remove(p);
                }
            }
            _ => {}
        }
        self.events.push(DebouncedEvent::new(event, time));
    }

    /// How long the batch waits for another event before it is passed on: [`QUIET`] once every
    /// file written is closed again (an editor's save ends with the close or the rename of its
    /// temporary file, and its last events, the backup's removal, follow at once), else
    /// [`UNCLOSED`], for a writer that pauses between the parts of a file.
    fn quiet(&self) -> Duration {
        if self.writing.is_empty() || self.events.iter().any(|e| e.need_rescan()) {
            QUIET
        } else {
            UNCLOSED
        }
    }
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
