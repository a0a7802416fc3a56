//! Shared helpers of the integration tests: fixture sites in temp dirs and the `portal` binary.
#![allow(dead_code, unreachable_pub)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a directory tree (files only; symlinks are not expected in fixtures).
pub fn copy_tree(from: &Path, to: &Path) {
    if !from.exists() {
        return;
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// `tests/fixtures/<name>` on its own (no `_base`), with the repo's themes beside its content.
pub fn standalone_fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures").join(name), tmp.path());
    copy_tree(&repo().join("themes"), &tmp.path().join("themes"));
    tmp
}

/// A fixture site in a temp dir: the repo's theme, then `tests/fixtures/_base`, then
/// `tests/fixtures/<case>` on top (so a case holds only the files it is about).
pub struct Site {
    /// Keeps the temp dir alive.
    pub dir: tempfile::TempDir,
}

impl Site {
    /// The `_base` fixture with `case` laid over it.
    pub fn fixture(case: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
        copy_tree(&repo().join("tests/fixtures/_base"), dir.path());
        copy_tree(&repo().join("tests/fixtures").join(case), dir.path());
        Site { dir }
    }

    /// The repo's own example site (content/ and themes/).
    pub fn example() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
        copy_tree(&repo().join("content"), &dir.path().join("content"));
        Site { dir }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `portal <args…> --root <root>`.
    pub fn portal(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
        cmd.args(args).arg("--root").arg(self.root());
        cmd.output().unwrap()
    }

    /// Reads a file of the output.
    pub fn read(&self, rel: &str) -> String {
        let p = self.root().join("public").join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// Writes a content file.
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

/// `portal check --format json --as-of 2022-01-20 --root <root>`, ready for more arguments.
pub fn check_json(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
    cmd.args([
        "check",
        "--format",
        "json",
        "--as-of",
        "2022-01-20",
        "--root",
    ])
    .arg(root);
    cmd
}

/// One raw HTTP request to `addr` (`Connection: close`): (status, head lower-cased, raw body).
pub fn http_request(
    addr: &std::net::SocketAddr,
    method: &str,
    path: &str,
    host: &str,
) -> (u16, String, String) {
    use std::io::{Read, Write};
    let timeout = std::time::Duration::from_secs(10);
    let mut s = std::net::TcpStream::connect_timeout(addr, timeout).unwrap();
    s.set_read_timeout(Some(timeout)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

/// stdout + stderr as text.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// All files of a tree with their bytes, sorted by path.
pub fn snapshot_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, fs::read(e.path()).unwrap()));
        }
    }
    out
}

/// A minimal static file server on 127.0.0.1 for browser tests: GET only, directories serve
/// `index.html`, nothing outside `root`. Runs on a background thread for the test's lifetime.
pub struct StaticServer {
    /// The port it listens on.
    pub port: u16,
}

impl StaticServer {
    /// Binds an ephemeral port now (so a site can be built for it) and serves `root` forever.
    pub fn start(root: PathBuf) -> StaticServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                std::thread::spawn(move || serve_one(stream, &root));
            }
        });
        StaticServer { port }
    }
}

fn serve_one(mut stream: std::net::TcpStream, root: &Path) {
    use std::io::{BufRead, BufReader, Write};
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map(|n| n == 0).unwrap_or(true) || h == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let decoded = portal::links::percent_decode(path);
    let mut file = root.to_path_buf();
    for seg in decoded.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." {
            continue;
        }
        file.push(seg);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let (status, body, ctype) = match fs::read(&file) {
        Ok(b) => {
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            let ctype = match ext {
                "html" => "text/html; charset=utf-8",
                "css" => "text/css; charset=utf-8",
                "js" | "mjs" => "text/javascript; charset=utf-8",
                "json" => "application/json",
                "svg" => "image/svg+xml",
                "csv" => "text/csv; charset=utf-8",
                _ => "application/octet-stream",
            };
            ("200 OK", b, ctype)
        }
        Err(_) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// The example portal built for `http://127.0.0.1:<port>/yangyuan/` and served there by a
/// [`StaticServer`]. Returns the site (keep it alive), the server and the base URL.
pub fn serve_example() -> (Site, StaticServer, String) {
    let site = Site::example();
    let served = site.root().join("served");
    let server = StaticServer::start(served.clone());
    let base = format!("http://127.0.0.1:{}/yangyuan/", server.port);
    let out = site.portal(&[
        "build",
        "--base-url",
        &base,
        "--output",
        served.join("yangyuan").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    (site, server, base)
}

/// The headless browser, if installed. Under `CI=true` a missing browser fails the test.
pub fn chromium() -> Option<PathBuf> {
    for c in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(c).exists() {
            return Some(PathBuf::from(c));
        }
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but no chromium is installed: .ci/run must install it (apt-get install -y chromium)"
        );
    }
    eprintln!("skipping: chromium is not installed (apt-get install -y chromium)");
    None
}

/// Loads `url` in headless Chromium, lets scripts and fetches run, and returns
/// (the DOM after scripts, the browser's console log).
pub fn browse(chrome: &Path, url: &str) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
