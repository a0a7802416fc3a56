//! The indexer thread: writes the search index of the latest good build, off the path between
//! a save and the reload.

use super::*;

/// What the indexer is told.
pub(super) enum IndexMsg {
    /// The documents of a new good build.
    Job(u64, SearchJob),
    /// A request waits for the index: write it now.
    Now,
}

/// Saves come in bursts, and the index costs far more than a page: it waits for a pause in the
/// saves (or for a request that needs it), so that it does not slow down the next rebuild.
const INDEX_PAUSE: Duration = Duration::from_secs(1);

/// Writes the search index of the latest good build; older jobs are skipped.
pub(super) fn run_indexer(
    rx: Receiver<IndexMsg>,
    output: &Path,
    done: state::Sender<u64>,
    fs_lock: Arc<Mutex<()>>,
) {
    let mut pending: Option<(u64, SearchJob)> = None;
    loop {
        let msg = if pending.is_some() {
            match rx.recv_timeout(INDEX_PAUSE) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => return,
            }
        };
        if let Some(IndexMsg::Job(generation, job)) = msg {
            pending = Some((generation, job));
            continue;
        }
        let Some((generation, job)) = pending.take() else {
            continue;
        };
        let options = job.options().clone();
        let docs = job.into_docs();
        let installed =
            incremental::prepare_search_index_with(&docs, &options, output).and_then(|fresh| {
                let _writing = fs_lock.lock().unwrap_or_else(|e| e.into_inner());
                fresh.install(output)
            });
        if let Err(e) = installed {
            warn!("{}", t!("serve.line-8", e));
        }
        // Also after a failure: requests waiting for the index must not wait for ever.
        done.send_replace(generation);
    }
}
