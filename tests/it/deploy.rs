//! Issue 12: the nginx configuration documented in `docs/deploy.md`, taken from the document
//! itself, serves the example portal from Debian's real nginx on 127.0.0.1: a page, the
//! sub-path, the 404 page, a CSV's charset and an alias redirect. Without nginx the test says so
//! and passes; under `CI=true` (where `.ci/run` installs nginx) it fails instead.

use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::common::{Site, repo, text};

/// The `nginx` block of docs/deploy.md.
fn documented_config() -> String {
    let doc = std::fs::read_to_string(repo().join("docs/deploy.md")).unwrap();
    let start = doc
        .find("```nginx\n")
        .expect("docs/deploy.md has an nginx block")
        + 9;
    let end = start + doc[start..].find("```").unwrap();
    doc[start..end].to_string()
}

/// nginx in the foreground with the documented server block, logs and temp files in `dir`.
struct Nginx {
    child: Child,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_nginx(dir: &Path, public: &Path, port: u16) -> Option<Nginx> {
    let server = documented_config()
        .replace("PORT", &format!("127.0.0.1:{port}"))
        .replace("PUBLIC", &public.display().to_string());
    let d = dir.display();
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{}}\nhttp {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  \
         proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  \
         scgi_temp_path {d}/scgi;\n{server}\n}}\n"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let child = Command::new("nginx")
        .args(["-p"])
        .arg(dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .spawn()
        .ok()?;
    let nginx = Nginx { child };
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(nginx);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "nginx did not start: {}",
        std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
    );
}

/// (status, headers, body) of `GET path`.
fn get(port: u16, path: &str) -> (u16, String, String) {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    crate::common::http_request(&addr, "GET", path, "127.0.0.1")
}

#[test]
fn the_documented_nginx_config_serves_the_portal_under_its_sub_path() {
    if Command::new("nginx").arg("-v").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but nginx is not installed (apt-get install -y nginx)"
        );
        eprintln!("skipping: nginx is not installed (apt-get install -y nginx)");
        return;
    }
    let site = Site::example();
    // An old URL, to see a redirect page served.
    let news = site
        .root()
        .join("content/news/2021-09-09-red-elderly-care-station.md");
    let text_before = std::fs::read_to_string(&news).unwrap();
    std::fs::write(
        &news,
        text_before.replacen("---\n", "---\naliases: [\"/old/elderly-station/\"]\n", 1),
    )
    .unwrap();
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = tempfile::tempdir().unwrap();
    let public = site.root().join("public").canonicalize().unwrap();
    let Some(_nginx) = start_nginx(run.path(), &public, port) else {
        panic!("nginx could not be started");
    };

    let (status, head, _) = get(port, "/");
    assert_eq!(status, 302, "{head}");
    assert!(head.contains("location: http://127.0.0.1") && head.contains("/yangyuan/"));

    let (status, head, body) = get(port, "/yangyuan/");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("text/html; charset=utf-8"), "{head}");
    assert!(body.contains("杨园街道政府信息公开"));

    let (status, _, body) = get(port, "/yangyuan/news/2021-09-09-red-elderly-care-station/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1"));

    let (status, _, body) = get(port, "/yangyuan/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("404") || body.contains("没有找到"), "{body}");

    let (status, head, _) = get(port, "/yangyuan/reports/2021/tables.csv");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/csv; charset=utf-8"),
        "{head}"
    );

    let (status, head, _) = get(port, "/yangyuan/files/zfxxgk-application-form.txt");
    assert_eq!(status, 200);
    assert!(head.contains("text/plain; charset=utf-8"), "{head}");

    let (status, head, _) = get(port, "/yangyuan/static/style.css");
    assert_eq!(status, 200);
    assert!(
        head.contains("cache-control: public, max-age=604800"),
        "{head}"
    );

    let (status, _, body) = get(port, "/yangyuan/old/elderly-station/");
    assert_eq!(status, 200);
    assert!(
        body.contains("http-equiv=refresh")
            && body.contains("/yangyuan/news/2021-09-09-red-elderly-care-station/"),
        "{body}"
    );
}
