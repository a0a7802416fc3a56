//! Watching `content/` and `themes/` for saves.
//!
//! Folders are watched, not files: editors save by writing a temporary file and renaming it over
//! the old one, which a watch on the file itself would lose. Events are debounced (a save is a
//! burst of events) and editor leftovers are dropped here, so a Vim save is one rebuild, not four.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{
    self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode,
};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

/// What the watcher tells the builder.
#[derive(Debug)]
pub(super) enum WatchMsg {
    /// These paths (files or folders) were created, modified, removed or renamed.
    Changed(Vec<PathBuf>),
    /// Events were lost (the kernel queue overflowed): the whole tree must be listed again.
    Rescan,
    /// The watch failed while running; the message says how.
    Error(String),
}

/// Quiet time before a burst of events is passed on: long enough to cover an editor's
/// write-then-rename, short enough to stay well inside the save-to-reload budget.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// How often `--poll` looks at the files. Polling lists every file each time, so this trades
/// latency for CPU on large sites.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// A running watch; dropping it stops watching.
pub(super) struct Watch {
    _debouncer: Box<dyn Send>,
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
        write!(f, "cannot watch {}: {}", self.path.display(), self.source)?;
        if matches!(self.source.kind, notify::ErrorKind::MaxFilesWatch) {
            write!(f, " (raise fs.inotify.max_user_watches, or use --poll)")?;
        } else {
            write!(
                f,
                " (on WSL, Docker bind mounts or network drives, use --poll)"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for WatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Watches `dirs` recursively and sends what changed to `tx`. With `poll`, looks at the files
/// every half second instead of asking the kernel (for file systems that send no events).
pub(super) fn watch(
    dirs: &[PathBuf],
    poll: bool,
    tx: Sender<WatchMsg>,
) -> Result<Watch, WatchError> {
    let handler = move |result: DebounceEventResult| {
        let msgs = match result {
            Ok(events) => {
                let mut paths = Vec::new();
                let mut rescan = false;
                for e in events {
                    if e.need_rescan() {
                        rescan = true;
                    }
                    if matches!(e.kind, EventKind::Access(_)) {
                        continue;
                    }
                    paths.extend(
                        e.event
                            .paths
                            .iter()
                            .filter(|p| !is_editor_leftover(p))
                            .cloned(),
                    );
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
                msgs
            }
            Err(errors) => errors
                .into_iter()
                .map(|e| WatchMsg::Error(e.to_string()))
                .collect(),
        };
        for m in msgs {
            // The builder is gone: the server is stopping.
            let _ = tx.send(m);
        }
    };
    let err = |path: &PathBuf| {
        let path = path.clone();
        move |source| WatchError { path, source }
    };
    let first = dirs.first().cloned().unwrap_or_default();
    if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let mut d: Debouncer<PollWatcher, NoCache> =
            new_debouncer_opt(DEBOUNCE, None, handler, NoCache::new(), config)
                .map_err(err(&first))?;
        for dir in dirs {
            d.watch(dir, RecursiveMode::Recursive).map_err(err(dir))?;
        }
        Ok(Watch {
            _debouncer: Box::new(d),
        })
    } else {
        let mut d: Debouncer<RecommendedWatcher, RecommendedCache> = new_debouncer_opt(
            DEBOUNCE,
            None,
            handler,
            RecommendedCache::new(),
            notify::Config::default(),
        )
        .map_err(err(&first))?;
        for dir in dirs {
            d.watch(dir, RecursiveMode::Recursive).map_err(err(dir))?;
        }
        Ok(Watch {
            _debouncer: Box::new(d),
        })
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
