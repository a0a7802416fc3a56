//! `portal serve`: a save reloads the browser with the new page; a broken save shows the error
//! overlay and the next good one recovers; nothing outside the preview folder is ever served;
//! only GET and HEAD from a loopback host are answered.
//!
//! Each test runs its own server on an ephemeral port against a copy of a fixture site, talks
//! HTTP over raw sockets, and kills the server when done (also when the test fails).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const PORTAL: &str = env!("CARGO_BIN_EXE_portal");
/// Bound on any single wait: a first build, a rebuild, a response.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `portal serve`; killed on drop.
struct Serve {
    child: Child,
    addr: SocketAddr,
    /// `/yangyuan/`
    base: String,
    root: PathBuf,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(root: &Path) -> Serve {
        let mut child = Command::new(PORTAL)
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end even after the address line: the server must not write into a
            // closed pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut serve = Serve {
            child,
            addr: "127.0.0.1:1".parse().unwrap(),
            base: String::new(),
            root: root.to_path_buf(),
        };
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("portal serve prints its address");
            if let Some(url) = line.strip_prefix("portal serve：预览地址 http://") {
                let (host, path) = url.split_at(url.find('/').unwrap());
                serve.addr = host.parse().unwrap();
                serve.base = path.to_string();
                return serve;
            }
        }
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, "127.0.0.1")
    }

    fn request(&self, method: &str, path: &str, host: &str) -> Response {
        let (status, head, body) = crate::common::http_request(&self.addr, method, path, host);
        Response {
            status,
            body: dechunk(&head, &body),
            head,
        }
    }

    /// The reload stream, after its first event (the current build).
    fn events(&self) -> Events {
        let mut s = TcpStream::connect_timeout(&self.addr, TIMEOUT).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        // HTTP/1.0: the stream comes unchunked, one `data:` line per event.
        write!(
            s,
            "GET /__portal/events HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = Events {
            reader: BufReader::new(s),
            last: 0,
        };
        events.last = events.next();
        events
    }

    fn page_url(&self, rel: &str) -> String {
        format!("{}{rel}", self.base)
    }

    /// Saves like an editor: a temporary file renamed over the old one, so that no build can
    /// see the file half-written.
    fn write(&self, rel: &str, text: &str) {
        write_file(&self.root.join(rel), text);
    }
}

fn write_file(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

fn dechunk(head: &str, body: &str) -> String {
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return body.to_string();
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

struct Events {
    reader: BufReader<TcpStream>,
    last: u64,
}

impl Events {
    /// The generation of the next `build` event, within [`TIMEOUT`] (keep-alive comments do
    /// not extend it).
    fn next(&mut self) -> u64 {
        let deadline = Instant::now() + TIMEOUT;
        let mut line = String::new();
        loop {
            assert!(
                Instant::now() < deadline,
                "no reload event within {TIMEOUT:?}"
            );
            line.clear();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("a reload event within the timeout");
            assert!(n > 0, "the reload stream ended");
            if let Some(data) = line.strip_prefix("data:") {
                self.last = data.trim().parse().unwrap();
                return self.last;
            }
        }
    }

    /// Waits for a build after the last one seen.
    fn next_build(&mut self) -> u64 {
        let before = self.last;
        let generation = self.next();
        assert!(
            generation > before,
            "generations grow: {before} then {generation}"
        );
        generation
    }
}

const FIRST: &str = "content/news/2026-01-05-first.md";

#[test]
fn a_save_reloads_with_the_new_page_and_its_listings() {
    let site = crate::common::standalone_fixture("serve-basic");
    let serve = Serve::start(site.path());
    assert_eq!(serve.base, "/yangyuan/");
    let page = serve.page_url("news/2026-01-05-first/");
    let first = serve.get(&page);
    assert_eq!(first.status, 200);
    assert!(first.body.contains("第一条动态的正文"));
    assert!(
        first.body.contains("/__portal/events"),
        "the reload script is injected"
    );

    let mut events = serve.events();
    let text = std::fs::read_to_string(site.path().join(FIRST)).unwrap();
    serve.write(
        FIRST,
        &text
            .replace("第一条动态的正文", "改过的正文")
            .replace("title: 第一条动态", "title: 改名的动态"),
    );
    events.next_build();
    let after = serve.get(&page);
    assert!(
        after.body.contains("改过的正文") && !after.body.contains("第一条动态的正文"),
        "{}",
        after.body
    );
    // The listings that show it were rendered again too.
    assert!(
        serve
            .get(&serve.page_url("news/"))
            .body
            .contains("改名的动态")
    );
    assert!(serve.get(&serve.base).body.contains("改名的动态"));

    // A new page appears, in its listing too; deleted, its page is gone.
    serve.write(
        "content/news/2026-01-07-third.md",
        "---\ntitle: 第三条动态\ndate: 2026-01-07\n---\n\n新的一条。\n",
    );
    events.next_build();
    assert_eq!(
        serve.get(&serve.page_url("news/2026-01-07-third/")).status,
        200
    );
    assert!(
        serve
            .get(&serve.page_url("news/"))
            .body
            .contains("第三条动态")
    );
    std::fs::remove_file(site.path().join("content/news/2026-01-07-third.md")).unwrap();
    events.next_build();
    assert_eq!(
        serve.get(&serve.page_url("news/2026-01-07-third/")).status,
        404
    );
    assert!(
        !serve
            .get(&serve.page_url("news/"))
            .body
            .contains("第三条动态")
    );
}

#[test]
fn a_broken_save_shows_the_overlay_and_the_next_good_one_recovers() {
    let site = crate::common::standalone_fixture("serve-basic");
    let serve = Serve::start(site.path());
    let page = serve.page_url("news/2026-01-05-first/");
    let mut events = serve.events();
    let good = std::fs::read_to_string(site.path().join(FIRST)).unwrap();

    // Line 3 of the file: an unclosed flow sequence.
    serve.write(
        FIRST,
        &good.replace("date: 2026-01-05", "date: [2026-01-05"),
    );
    events.next_build();
    let broken = serve.get(&page);
    assert!(broken.body.contains("portal-overlay"), "{}", broken.body);
    assert!(
        broken.body.contains("content/news/2026-01-05-first.md:"),
        "names the file and line: {}",
        broken.body
    );
    assert!(broken.body.contains("front-matter/yaml"));
    assert!(
        broken.body.contains("第一条动态的正文"),
        "the overlay lies over the last good page"
    );

    serve.write(FIRST, &good.replace("第一条动态的正文", "修好后的正文"));
    events.next_build();
    let fixed = serve.get(&page);
    assert!(!fixed.body.contains("portal-overlay"), "{}", fixed.body);
    assert!(fixed.body.contains("修好后的正文"));
}

#[test]
fn a_template_change_renders_every_page_again() {
    let site = crate::common::standalone_fixture("serve-basic");
    let serve = Serve::start(site.path());
    let mut events = serve.events();
    let base = site.path().join("themes/default/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    write_file(
        &base,
        &text.replace("</footer>", "<p>模板已修改</p></footer>"),
    );
    events.next_build();
    for rel in [
        "",
        "news/2026-01-06-second/",
        "items/social-assistance/tekun/",
        "catalog/",
        "guide/",
    ] {
        let r = serve.get(&serve.page_url(rel));
        assert!(r.body.contains("模板已修改"), "{rel}: {}", r.status);
    }
}

#[test]
fn nothing_outside_the_preview_folder_is_served() {
    let site = crate::common::standalone_fixture("serve-basic");
    std::fs::write(site.path().join("secret.txt"), "TOP-SECRET-CONTENT").unwrap();
    let serve = Serve::start(site.path());
    let port = serve.addr.port();
    let preview = site
        .path()
        .join(".portal-preview")
        .join(format!("site-{port}"));
    assert!(
        preview.join("index.html").is_file(),
        "the preview folder is {}",
        preview.display()
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.path().join("secret.txt"), preview.join("leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(site.path(), preview.join("leakdir")).unwrap();
    }
    let paths = [
        "/../secret.txt",
        "/yangyuan/../../secret.txt",
        "/../Cargo.toml",
        "/%2e%2e/secret.txt",
        "/yangyuan/%2e%2e/%2e%2e/secret.txt",
        "/yangyuan/..%2f..%2fsecret.txt",
        "/..%2fCargo.toml",
        "/yangyuan/static/..%5c..%5c..%5csecret.txt",
        "/yangyuan/static/..\\..\\secret.txt",
        "/yangyuan/leak.txt",
        "/yangyuan/leakdir/secret.txt",
        "/yangyuan/%2E%2E/%2E%2E/secret.txt",
        "//etc/passwd",
        "/yangyuan//etc/passwd",
    ];
    for p in paths {
        let r = serve.get(p);
        assert!(
            matches!(r.status, 400 | 403 | 404),
            "{p}: status {}",
            r.status
        );
        assert!(!r.body.contains("TOP-SECRET"), "{p} leaked the file");
        assert!(!r.body.contains("root:"), "{p} leaked /etc/passwd");
    }
    #[cfg(unix)]
    assert_eq!(
        serve.get("/yangyuan/leak.txt").status,
        403,
        "a symbolic link out of the folder is refused"
    );
}

#[test]
fn only_get_and_head_from_a_loopback_host() {
    let site = crate::common::standalone_fixture("serve-basic");
    let serve = Serve::start(site.path());
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let r = serve.request(method, "/yangyuan/", "127.0.0.1");
        assert_eq!(r.status, 405, "{method}");
        assert!(r.head.contains("allow: get, head"), "{}", r.head);
    }
    let head = serve.request("HEAD", "/yangyuan/", "127.0.0.1");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    let port = serve.addr.port();
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "127.0.0.1.nip.io",
        "192.168.1.10",
    ] {
        assert_eq!(
            serve.request("GET", "/yangyuan/", host).status,
            403,
            "{host}"
        );
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        assert_eq!(
            serve.request("GET", "/yangyuan/", &host).status,
            200,
            "{host}"
        );
    }
}

#[test]
fn the_root_redirects_to_the_base_path_and_files_are_served() {
    let site = crate::common::standalone_fixture("serve-basic");
    let serve = Serve::start(site.path());
    let r = serve.get("/");
    assert_eq!(r.status, 302);
    assert!(r.head.contains("location: /yangyuan/"), "{}", r.head);
    let r = serve.get("/yangyuan/news");
    assert_eq!(r.status, 302);
    assert!(r.head.contains("location: /yangyuan/news/"));
    let r = serve.get("/yangyuan/static/style.css");
    assert_eq!(r.status, 200);
    assert!(r.head.contains("content-type: text/css"));
    assert!(!r.body.contains("__portal"), "only HTML gets the script");
    assert!(
        serve
            .get("/yangyuan/files/form.txt")
            .body
            .contains("附件内容")
    );
    let missing = serve.get("/yangyuan/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("页面未找到"),
        "the site's own 404 page"
    );
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = crate::common::standalone_fixture("serve-basic");
    let mut child = Command::new(PORTAL)
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("portal serve did not exit on a taken port");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(
        err.contains(&format!(
            "端口 {port} 已被占用；换一个端口，例如 --port {}",
            port + 1
        )),
        "{err}"
    );
}

#[test]
fn build_output_has_no_reload_script() {
    let site = crate::common::standalone_fixture("serve-basic");
    let out = site.path().join("public");
    let built = Command::new(PORTAL)
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(built.status.success());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("__portal") && !home.contains("EventSource"));
}

#[test]
fn a_too_deeply_nested_save_shows_the_overlay_and_the_server_lives_on() {
    // 5,000 `>` or nested `<div>` overflowed the stack inside minify-html and killed the server.
    let site = crate::common::standalone_fixture("serve-basic");
    let serve = Serve::start(site.path());
    let page = serve.page_url("news/2026-01-05-first/");
    let mut events = serve.events();
    let good = std::fs::read_to_string(site.path().join(FIRST)).unwrap();

    for deep in [
        format!("{} 引用\n", ">".repeat(5000)),
        format!("<div>{}\n", "<div>".repeat(5000)),
    ] {
        serve.write(FIRST, &format!("{good}\n{deep}"));
        events.next_build();
        let broken = serve.get(&page);
        assert!(broken.body.contains("portal-overlay"), "{}", broken.body);
        assert!(broken.body.contains("正文嵌套过深"), "{}", broken.body);
    }

    serve.write(FIRST, &good.replace("第一条动态的正文", "修好后的正文"));
    events.next_build();
    let fixed = serve.get(&page);
    assert!(!fixed.body.contains("portal-overlay"), "{}", fixed.body);
    assert!(fixed.body.contains("修好后的正文"));
}

/// A save written in place in two parts: the preview builds it once it is complete, never the
/// first part alone (whose front matter is not closed yet, an error). Written through one open
/// file with a pause longer than a quick reaction to the first event, the first build after it
/// is the whole file; written by two opens a few milliseconds apart, the page ends with the
/// whole file.
#[test]
fn a_save_written_in_two_parts_is_built_whole() {
    use std::io::Write as _;
    let site = crate::common::standalone_fixture("serve-basic");
    let serve = Serve::start(site.path());
    let page = serve.page_url("news/2026-01-05-first/");
    let mut events = serve.events();
    let good = std::fs::read_to_string(site.path().join(FIRST)).unwrap();
    let path = site.path().join(FIRST);

    let whole = good.replace("第一条动态的正文", "分两次写入的正文");
    let (head, tail) = whole.split_at(whole.find("domain:").unwrap());
    {
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(head.as_bytes()).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(80));
        f.write_all(tail.as_bytes()).unwrap();
    }
    events.next_build();
    let built = serve.get(&page);
    assert!(!built.body.contains("portal-overlay"), "{}", built.body);
    assert!(built.body.contains("分两次写入的正文"), "{}", built.body);

    let whole = good.replace("第一条动态的正文", "再次分两次写入的正文");
    let (head, tail) = whole.split_at(whole.find("domain:").unwrap());
    std::fs::write(&path, head).unwrap();
    std::thread::sleep(Duration::from_millis(3));
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    f.write_all(tail.as_bytes()).unwrap();
    drop(f);
    let body = wait_for_page(&serve, &page, |b| {
        b.contains("再次分两次写入的正文") && !b.contains("portal-overlay")
    });
    assert!(body.contains("第一条动态"), "{body}");
}

/// Copies a folder like `cp -r`.
fn copy_dir(from: &Path, to: &Path) {
    crate::common::copy_tree(from, to);
}

/// The server keeps watching a folder that is deleted and put back (`rm -rf content;
/// cp -r backup content`), or moved away and back (`mv themes away; mv away themes`): the
/// overlay goes away and a later edit is served.
#[test]
fn a_folder_deleted_and_recreated_is_watched_again() {
    let site = crate::common::standalone_fixture("serve-basic");
    let backup = tempfile::tempdir().unwrap();
    copy_dir(&site.path().join("content"), &backup.path().join("content"));
    copy_dir(&site.path().join("themes"), &backup.path().join("themes"));
    let serve = Serve::start(site.path());
    let page = serve.page_url("news/2026-01-05-first/");
    let mut events = serve.events();
    let good = std::fs::read_to_string(site.path().join(FIRST)).unwrap();

    // Waits until the page shows `want` and no overlay: each step is one or more builds.
    let served = |events: &mut Events, want: &str| {
        loop {
            let r = serve.get(&page);
            if r.body.contains(want) && !r.body.contains("portal-overlay") {
                return;
            }
            events.next_build();
        }
    };

    // Waits until the page shows the overlay: the build event of the last save may still be
    // unread when the folder goes (a loaded machine), so the next event is not always the
    // failing build's.
    let broken = |events: &mut Events| {
        while !serve.get(&page).body.contains("portal-overlay") {
            events.next_build();
        }
    };

    // What the page says now.
    let mut current = "第一条动态的正文".to_string();
    for (step, folder) in ["content", "themes"].into_iter().enumerate() {
        // rm -rf; the build fails (overlay); cp -r back.
        std::fs::remove_dir_all(site.path().join(folder)).unwrap();
        broken(&mut events);
        copy_dir(&backup.path().join(folder), &site.path().join(folder));
        if folder == "content" {
            current = "第一条动态的正文".to_string();
        }
        served(&mut events, &current);
        // A later edit is served.
        current = format!("删除再建之后的修改{step}");
        serve.write(FIRST, &good.replace("第一条动态的正文", &current));
        served(&mut events, &current);
    }

    // mv away; mv back.
    for (step, folder) in ["themes", "content"].into_iter().enumerate() {
        let away = site.path().join(format!("{folder}-away"));
        std::fs::rename(site.path().join(folder), &away).unwrap();
        broken(&mut events);
        std::fs::rename(&away, site.path().join(folder)).unwrap();
        served(&mut events, &current);
        current = format!("移走再移回之后的修改{step}");
        serve.write(FIRST, &good.replace("第一条动态的正文", &current));
        served(&mut events, &current);
    }
}

/// SIGTERM, SIGINT and SIGHUP stop the server cleanly and remove its preview folder.
#[cfg(unix)]
#[test]
fn a_signal_stops_the_server_and_removes_the_preview_folder() {
    for signal in ["TERM", "INT", "HUP"] {
        let site = crate::common::standalone_fixture("serve-basic");
        let mut serve = Serve::start(site.path());
        let preview = site
            .path()
            .join(".portal-preview")
            .join(format!("site-{}", serve.addr.port()));
        assert!(preview.join("index.html").is_file(), "{signal}");
        let killed = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(serve.child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let status = serve.child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "SIG{signal}: {status:?}");
        assert!(
            !preview.exists(),
            "SIG{signal} leaves {}",
            preview.display()
        );
    }
}

/// Issue 9: the preview shows on the page what `portal check` finds there (a broken link, an
/// image without alt text), and the panel goes once the page is fixed: a clean preview means
/// a green CI.
#[test]
fn the_preview_shows_the_check_findings_of_the_page() {
    let site = crate::common::standalone_fixture("serve-basic");
    let serve = Serve::start(site.path());
    let page = serve.page_url("news/2026-01-05-first/");
    let clean = serve.get(&page);
    assert!(!clean.body.contains("portal-findings"), "{}", clean.body);

    let mut events = serve.events();
    let good = std::fs::read_to_string(site.path().join(FIRST)).unwrap();
    serve.write(
        FIRST,
        &format!("{good}\n![](../files/nope.png)\n\n[申请表](../pages/nope.md)\n"),
    );
    events.next_build();
    let flagged = serve.get(&page);
    assert!(
        flagged.body.contains("id=\"portal-findings\""),
        "{}",
        flagged.body
    );
    for needle in [
        "portal check：本页有",
        "link/broken",
        "a11y/img-alt",
        "nope.md",
    ] {
        assert!(
            flagged.body.contains(needle),
            "{needle} missing:\n{}",
            flagged.body
        );
    }
    // Other pages carry no panel of this page's faults.
    assert!(
        !serve
            .get(&serve.page_url("news/"))
            .body
            .contains("portal-findings")
    );

    serve.write(FIRST, &good);
    events.next_build();
    assert!(!serve.get(&page).body.contains("portal-findings"));
}

/// Waits (at most [`TIMEOUT`]) until the page at `path` satisfies `ok`; the whole-site check
/// runs after a pause in the saves, and its panels come with the next request, not a reload.
fn wait_for_page(serve: &Serve, path: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let body = serve.get(path).body;
        if ok(&body) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never reached the state awaited:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Issue 9 §3: the whole of `portal check`, not only the page's own rules, reaches the preview.
/// A link to a heading another page does not have (found only by the whole-site link check) is
/// shown on the page with the link; a column veto (site.yaml, no page) on every page; both go
/// once fixed. An editor who sees a clean preview does not get a red CI.
#[test]
fn the_preview_shows_the_site_wide_check_findings() {
    let site = crate::common::standalone_fixture("serve-basic");
    let serve = Serve::start(site.path());
    let page = serve.page_url("news/2026-01-05-first/");
    let other = serve.page_url("news/2026-01-06-second/");
    let mut events = serve.events();

    let good = std::fs::read_to_string(site.path().join(FIRST)).unwrap();
    serve.write(
        FIRST,
        &format!("{good}\n见[指南的受理一节](../pages/guide.md#受理)。\n"),
    );
    events.next_build();
    let body = wait_for_page(&serve, &page, |b| b.contains("link/anchor"));
    assert!(body.contains("portal check：本页有"), "{body}");
    assert!(!serve.get(&other).body.contains("link/anchor"));

    let site_yaml = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    let blank: String = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|s| format!("  - {{ slug: blank-{s}, name: 空白领域{s} }}\n"))
        .collect();
    serve.write("content/site.yaml", &format!("{site_yaml}{blank}"));
    events.next_build();
    for p in [&page, &other, &serve.page_url("")] {
        let body = wait_for_page(&serve, p, |b| b.contains("column/veto"));
        assert!(body.contains("portal check：全站有"), "{body}");
    }

    serve.write("content/site.yaml", &site_yaml);
    events.next_build();
    serve.write(FIRST, &good);
    events.next_build();
    // (The latest news page keeps the whole-site check's freshness warning that names it.)
    wait_for_page(&serve, &other, |b| !b.contains("column/veto"));
    wait_for_page(&serve, &page, |b| !b.contains("portal-findings"));
}
