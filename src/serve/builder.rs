//! The builder thread: brings the preview folder up to date after each batch of saves and
//! publishes the new build generation (reload) or the error overlay.

use super::*;
use std::sync::OnceLock;
use std::time::Instant;

/// The builder thread's state.
pub(super) struct Builder {
    pub(super) session: Session,
    pub(super) state: Option<state::Sender<BuildState>>,
    pub(super) search: Option<mpsc::Sender<IndexMsg>>,
    /// Tells the checker of each good build (its generation).
    pub(super) checks: Option<mpsc::Sender<u64>>,
    /// Held while the preview folder is written, so that the indexer never moves its files into
    /// a folder being swapped.
    pub(super) fs_lock: Arc<Mutex<()>>,
    pub(super) quiet: bool,
    pub(super) generation: u64,
}

impl Builder {
    pub(super) fn run(mut self, rx: Receiver<watch::WatchMsg>) {
        while let Ok(first) = rx.recv() {
            let woke = Instant::now();
            // The first event of the saves built now, for the trace.
            let mut since: Option<Instant> = None;
            // Saves that arrived while the last update ran go into this one.
            let mut paths = Vec::new();
            for msg in std::iter::once(first).chain(rx.try_iter()) {
                match msg {
                    watch::WatchMsg::Changed(p, at) => {
                        paths.extend(p);
                        since = Some(since.map_or(at, |s| s.min(at)));
                    }
                    watch::WatchMsg::Rescan => paths.push(self.session.root().join("content")),
                    // `content/` lists everything again, `site.yaml` renders everything again
                    // (the theme may have changed under it).
                    watch::WatchMsg::Reset => {
                        let content = self.session.root().join("content");
                        paths.push(content.join("site.yaml"));
                        paths.push(content);
                    }
                    watch::WatchMsg::Error(e) => warn!("{}", t!("serve.line-5", e)),
                }
            }
            if paths.is_empty() {
                continue;
            }
            let result = {
                let _writing = self.fs_lock.lock().unwrap_or_else(|e| e.into_inner());
                self.session.update(&paths)
            };
            if matches!(&result, Ok(u) if u.kind == UpdateKind::Unchanged) {
                continue;
            }
            self.generation += 1;
            let ok = result.is_ok();
            let Some(tx) = &self.state else { return };
            let previous = tx.borrow().clone();
            let next = BuildState {
                generation: self.generation,
                error: None,
                base_path: if ok {
                    self.session.base_path()
                } else {
                    previous.base_path.clone()
                },
                search_wanted: if ok {
                    self.generation
                } else {
                    previous.search_wanted
                },
                findings: Arc::clone(&previous.findings),
            };
            let full = matches!(&result, Ok(u) if u.kind == UpdateKind::Full);
            let traced = trace_file().map(|_| match &result {
                Ok(u) => (u.kind, u.elapsed, u.phases.clone()),
                Err(_) => (UpdateKind::Unchanged, Duration::ZERO, Vec::new()),
            });
            let rendered = match &result {
                Ok(u) if full => u.pages.clone(),
                _ => Vec::new(),
            };
            let next = self.report(result, next);
            if let Some(tx) = &self.state {
                tx.send_replace(next);
                if let (Some(t), Some(since)) = (traced, since) {
                    trace(since, woke, t);
                }
                if full {
                    // Not a new build: the panels are there for the next request, and the
                    // reload stream is not woken (returning false notifies no one).
                    let map = Arc::new(self.findings(HashMap::new(), &rendered));
                    tx.send_if_modified(|s| {
                        s.findings = map;
                        false
                    });
                }
            }
            if ok && let Some(checks) = &self.checks {
                let _ = checks.send(self.generation);
            }
            if ok && let (Some(job), Some(search)) = (self.session.search_job(), &self.search) {
                let _ = search.send(IndexMsg::Job(self.generation, job));
            }
        }
    }

    /// `map` with the findings of the content pages `rels` put in (or taken out when clean).
    fn findings(
        &self,
        mut map: HashMap<String, Arc<[Diagnostic]>>,
        rels: &[String],
    ) -> HashMap<String, Arc<[Diagnostic]>> {
        for (url, ds) in self.session.findings(rels, crate::date::Date::today()) {
            if ds.is_empty() {
                map.remove(&url);
            } else {
                map.insert(url, ds.into());
            }
        }
        map
    }

    /// Prints the outcome of an update and puts the overlay into `next` if it failed.
    pub(super) fn report(&self, result: Result<Update, Error>, mut next: BuildState) -> BuildState {
        match result {
            Ok(u) => {
                // The findings `portal check` would report on the pages just rendered, so that
                // a clean preview means a green CI. After a full render of a running server they
                // are found once the reload is sent (see `run`): checking every page again
                // would double the wait for it.
                if u.kind == UpdateKind::Full && self.state.is_some() {
                    next.findings = Arc::default();
                } else {
                    let base = if u.kind == UpdateKind::Full {
                        HashMap::new()
                    } else {
                        (*next.findings).clone()
                    };
                    next.findings = Arc::new(self.findings(base, &u.pages));
                }
                if !self.quiet {
                    for d in u.warnings.iter() {
                        warn!("{d}\n");
                    }
                    let what = match u.kind {
                        UpdateKind::Full => t!("serve.text-11"),
                        _ => t!("serve.text-12"),
                    };
                    say!(
                        "{}",
                        t!(
                            "serve.line-6",
                            what,
                            rendered = u.rendered,
                            ms = u.elapsed.as_millis()
                        )
                    );
                }
            }
            Err(Error::Content(ds)) => {
                if !self.quiet {
                    for d in ds.iter() {
                        warn!("{d}\n");
                    }
                    warn!("{}", t!("serve.line-7", errors = ds.error_count()));
                }
                next.error = Some(overlay::fragment(&ds).into());
            }
            Err(e) => {
                if !self.quiet {
                    warn!("portal serve：{e}");
                }
                next.error = Some(overlay::fragment_for_message(&e.to_string()).into());
            }
        }
        next
    }
}

/// The file named by `PORTAL_SERVE_TRACE`, if set: each update then appends a line of its
/// timings there (see [`trace`]), for `examples/serve_bench.rs`.
fn trace_file() -> Option<&'static Path> {
    static FILE: OnceLock<Option<PathBuf>> = OnceLock::new();
    FILE.get_or_init(|| std::env::var_os("PORTAL_SERVE_TRACE").map(PathBuf::from))
        .as_deref()
}

/// Appends one line to the trace file: milliseconds from the first event of the saves to the
/// builder waking (`wait`, the watcher's coalescing), the update and each of its phases, and
/// from the first event to the reload sent (`reload`).
fn trace(since: Instant, woke: Instant, (kind, update, phases): TracedUpdate) {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let Some(path) = trace_file() else { return };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut line = format!(
        "kind={kind:?} wait={:.2} update={:.2}",
        ms(woke - since),
        ms(update)
    );
    for t in phases {
        let _ = write!(line, " {}={:.2}", t.phase, t.ms);
    }
    let _ = writeln!(line, " reload={:.2}", ms(since.elapsed()));
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = f.write_all(line.as_bytes());
    }
}

/// What the trace keeps of an update: its kind, wall time and phases.
type TracedUpdate = (UpdateKind, Duration, Vec<crate::timings::Timing>);
