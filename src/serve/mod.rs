//! `portal serve`: a live preview that rebuilds what a save changed and reloads the browser.
//!
//! Four threads besides the HTTP runtime:
//!
//! * the watcher ([`watch`]) turns saves into change notifications;
//! * the builder owns the [`Session`] and brings the preview folder up to date after each batch
//!   of changes, then publishes a new build generation (reload) or the error overlay;
//! * the indexer writes the search index of the latest good build, off the path between a save
//!   and the reload; requests for the index wait for it;
//! * the checker runs the whole of `portal check` after a pause in the saves ([`site_check`]),
//!   so that the pages show what CI will say.
//!
//! The preview folder is `<root>/.portal-preview/site-<port>/` (ignored by git, removed when the
//! server stops); `public/` is never touched.

mod http;
mod overlay;
mod reload;
mod site_check;
mod watch;

use crate::t;
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::{oneshot, watch as state};

use crate::diagnostic::{Diagnostic, Error};
use crate::incremental::{self, SearchJob, Session, SessionOptions, Update, UpdateKind};

pub use watch::WatchError;

/// Prints a line to stdout. A closed stdout (`portal serve | head`) must not stop the server,
/// which `println!` would, by panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// [`say!`] for stderr.
macro_rules! warn {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod builder;
mod indexer;

use builder::Builder;
use indexer::{IndexMsg, run_indexer};

/// Flags of `portal serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root (holds `content/` and `themes/`).
    pub root: PathBuf,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Address to listen on; loopback unless the user asks for more.
    pub bind: IpAddr,
    /// Poll the files instead of relying on file system events.
    pub poll: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Print nothing and skip the whole-site check ([`site_check`]), whose full render after each
    /// pause would disturb the timings (for benchmarks).
    pub quiet: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            port: 1111,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            poll: false,
            drafts: false,
            quiet: false,
        }
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The root holds no `content/` folder.
    NoContent(PathBuf),
    /// Another program listens on the port.
    PortInUse {
        /// The port asked for.
        port: u16,
    },
    /// Listening failed for another reason (an address not on this machine, say).
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: io::Error,
    },
    /// `content/` or `themes/` cannot be watched.
    Watch(WatchError),
    /// A file system or runtime failure outside the content.
    Io {
        /// What we were doing.
        context: String,
        /// The OS error.
        source: io::Error,
    },
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::NoContent(root) => {
                let root = root.display();
                write!(f, "{}", t!("serve.no-content", root))
            }
            ServeError::PortInUse { port } => {
                let next = port.saturating_add(1);
                write!(f, "{}", t!("serve.port-in-use", port, next))
            }
            ServeError::Bind { addr, source } => write!(f, "{}", t!("serve.bind", addr, source)),
            ServeError::Watch(e) => write!(f, "{e}"),
            ServeError::Io { context, source } => write!(f, "{context}: {source}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::Bind { source, .. } | ServeError::Io { source, .. } => Some(source),
            ServeError::Watch(e) => Some(e),
            _ => None,
        }
    }
}

/// What the HTTP side knows of the latest build.
#[derive(Debug, Clone)]
struct BuildState {
    /// Counts builds, failed ones included; the reload script compares it.
    generation: u64,
    /// The error overlay, while the latest build failed.
    error: Option<Arc<str>>,
    /// The site's sub-path (`/yangyuan/`).
    base_path: String,
    /// The generation of the latest good build, whose search index requests wait for.
    search_wanted: u64,
    /// What `portal check` finds on each content page by itself, by URL path (fresh after
    /// every save; the whole-site check adds to it, see [`site_check`]).
    findings: Arc<HashMap<String, Arc<[Diagnostic]>>>,
}

/// A running preview server.
pub struct Server {
    url: String,
    addr: SocketAddr,
    preview: PathBuf,
    shutdown: Option<oneshot::Sender<()>>,
    http: Option<JoinHandle<()>>,
    builder: Option<JoinHandle<()>>,
    watch: Option<watch::Watch>,
}

fn io_err(context: &str) -> impl FnOnce(io::Error) -> ServeError {
    let context = context.to_string();
    move |source| ServeError::Io { context, source }
}

/// Listens on the address asked for; returns the listener, its address and the origin the
/// preview's links use (`http://127.0.0.1:PORT`).
fn listen(opts: &ServeOptions) -> Result<(std::net::TcpListener, SocketAddr, String), ServeError> {
    let wanted = SocketAddr::new(opts.bind, opts.port);
    let listener = std::net::TcpListener::bind(wanted).map_err(|source| match source.kind() {
        io::ErrorKind::AddrInUse => ServeError::PortInUse { port: opts.port },
        _ => ServeError::Bind {
            addr: wanted,
            source,
        },
    })?;
    listener
        .set_nonblocking(true)
        .map_err(io_err(&t!("serve.text-2")))?;
    let addr = listener.local_addr().map_err(io_err(&t!("serve.text-3")))?;
    let host = match opts.bind {
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    let origin = format!("http://{host}:{}", addr.port());
    Ok((listener, addr, origin))
}

/// Serves `shared` on `listener` from a thread of its own until a stop signal ([`StopSignals`])
/// or the returned sender fires.
fn spawn_http(
    listener: std::net::TcpListener,
    shared: Arc<http::Shared>,
    (runtime, signals): (tokio::runtime::Runtime, StopSignals),
) -> Result<(JoinHandle<()>, oneshot::Sender<()>), ServeError> {
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("portal-http".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => return warn!("{}", t!("serve.line", e)),
                };
                tokio::select! {
                    r = axum::serve(listener, http::router(shared)) => {
                        if let Err(e) = r {
                            warn!("{}", t!("serve.line-2", e));
                        }
                    }
                    _ = shutdown_rx => {}
                    _ = signals.recv() => {}
                }
            });
            // Open reload streams never end by themselves: drop them with the runtime.
            runtime.shutdown_timeout(Duration::from_millis(200));
        })
        .map_err(io_err(&t!("serve.text-4")))?;
    Ok((thread, shutdown_tx))
}

/// The HTTP runtime, and the stop signals registered in it: set up before the first build, so
/// that a signal during it is not fatal (it stops the server as soon as it is up).
fn runtime_and_signals() -> Result<(tokio::runtime::Runtime, StopSignals), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(io_err(&t!("serve.text-5")))?;
    let signals = {
        let _in_runtime = runtime.enter();
        StopSignals::register()
    };
    Ok((runtime, signals))
}

/// The signals that stop the server: Ctrl-C (SIGINT) and, on Unix, SIGTERM and SIGHUP (the
/// terminal closed). Each ends the server the same way, removing the preview folder. Set up
/// before the address is printed, so that a signal sent as soon as the server is up is caught.
struct StopSignals {
    #[cfg(unix)]
    unix: Option<[tokio::signal::unix::Signal; 3]>,
}

impl StopSignals {
    /// Registers the handlers; must run inside the runtime.
    fn register() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let kinds = [
                SignalKind::interrupt(),
                SignalKind::terminate(),
                SignalKind::hangup(),
            ];
            let signals: Result<Vec<_>, _> = kinds.into_iter().map(signal).collect();
            StopSignals {
                unix: signals.ok().and_then(|v| v.try_into().ok()),
            }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    /// Resolves when one of the signals arrives.
    async fn recv(self) {
        #[cfg(unix)]
        if let Some([mut int, mut term, mut hup]) = self.unix {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

impl Server {
    /// Builds the site, starts watching and serving, and returns at once. Prints the address on
    /// a line `portal serve: listening on http://127.0.0.1:PORT/base/` (unless quiet).
    pub fn start(opts: ServeOptions) -> Result<Server, ServeError> {
        let root = std::fs::canonicalize(&opts.root)
            .map_err(|_| ServeError::NoContent(opts.root.clone()))?;
        if !root.join("content").is_dir() {
            return Err(ServeError::NoContent(root));
        }
        let (listener, addr, origin) = listen(&opts)?;
        let runtime = runtime_and_signals()?;
        let preview = root
            .join(".portal-preview")
            .join(format!("site-{}", addr.port()));

        // Watch before the first build, so that a save during it is not lost.
        let (tx, rx) = mpsc::channel();
        let watcher = watch::watch(&root, opts.poll, tx).map_err(ServeError::Watch)?;

        let mut session = Session::new(SessionOptions {
            root,
            output: preview.clone(),
            origin: Some(origin.clone()),
            drafts: opts.drafts,
        });
        let first = session.update(&[]);
        let ok = first.is_ok();
        let initial = BuildState {
            generation: 1,
            error: None,
            base_path: session.base_path(),
            search_wanted: u64::from(ok),
            findings: Arc::default(),
        };
        let mut builder = Builder {
            session,
            state: None,
            search: None,
            checks: None,
            fs_lock: Arc::default(),
            quiet: opts.quiet,
            generation: 1,
        };
        let initial = builder.report(first, initial);
        std::fs::create_dir_all(&preview).map_err(io_err(&t!("serve.text-6")))?;
        let dir = std::fs::canonicalize(&preview).map_err(io_err(&t!("serve.text-7")))?;

        let (state_tx, state_rx) = state::channel(initial.clone());
        let (done_tx, done_rx) = state::channel(0u64);
        let (search_tx, search_rx) = mpsc::channel::<IndexMsg>();
        if ok && let Some(job) = builder.session.search_job() {
            let _ = search_tx.send(IndexMsg::Job(1, job));
        }
        let fs_lock = Arc::clone(&builder.fs_lock);
        let indexer_output = preview.clone();
        std::thread::Builder::new()
            .name("portal-search".into())
            .spawn(move || run_indexer(search_rx, &indexer_output, done_tx, fs_lock))
            .map_err(io_err(&t!("serve.text-8")))?;
        let (checks_tx, checks_rx) = mpsc::channel::<u64>();
        let (site_tx, site_rx) = state::channel(Arc::default());
        if ok && !opts.quiet {
            let _ = checks_tx.send(1);
        }
        let check_root = builder.session.root().to_path_buf();
        std::thread::Builder::new()
            .name("portal-check".into())
            .spawn(move || site_check::run_checker(checks_rx, &check_root, site_tx))
            .map_err(io_err(&t!("serve.text-9")))?;
        builder.state = Some(state_tx);
        builder.search = Some(search_tx.clone());
        // Benchmarks (quiet) measure the rebuild alone.
        builder.checks = (!opts.quiet).then_some(checks_tx);
        let builder = std::thread::Builder::new()
            .name("portal-build".into())
            .spawn(move || builder.run(rx))
            .map_err(io_err(&t!("serve.text-10")))?;

        let shared = Arc::new(http::Shared {
            dir,
            check_host: opts.bind.is_loopback(),
            state: state_rx,
            search_done: done_rx,
            index_now: search_tx,
            site_check: site_rx,
        });
        let (http, shutdown) = spawn_http(listener, shared, runtime)?;

        let url = format!("{origin}{}", initial.base_path);
        if !opts.quiet {
            say!("{}", t!("serve.line-3", url));
            say!(
                "{}",
                t!(
                    "serve.line-4",
                    poll = if opts.poll {
                        t!("serve.polling")
                    } else {
                        String::new()
                    }
                )
            );
        }
        Ok(Server {
            url,
            addr,
            preview,
            shutdown: Some(shutdown),
            http: Some(http),
            builder: Some(builder),
            watch: Some(watcher),
        })
    }

    /// The preview's address, base path included (`http://127.0.0.1:1111/yangyuan/`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until Ctrl-C, then stops.
    pub fn wait(mut self) {
        if let Some(h) = self.http.take() {
            let _ = h.join();
        }
        self.stop();
    }

    /// Stops serving and watching, and removes the preview folder.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.http.take() {
            let _ = h.join();
        }
        // Dropping the watch drops the builder's only sender: the builder ends, and the indexer
        // after it.
        self.watch.take();
        if let Some(h) = self.builder.take() {
            let _ = h.join();
        }
        let _ = std::fs::remove_dir_all(&self.preview);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Opens `url` in the default browser, if a launcher (`xdg-open`, `open`, `start`) is there.
/// Best effort: returns whether one started.
pub fn open_browser(url: &str) -> bool {
    let launchers: [(&str, &[&str]); 3] = [
        ("xdg-open", &[]),
        ("open", &[]),
        ("cmd", &["/C", "start", ""]),
    ];
    launchers.iter().any(|(cmd, args)| {
        std::process::Command::new(cmd)
            .args(*args)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
    })
}
