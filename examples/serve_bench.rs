//! Benchmark of the preview server's incremental rebuild, and of save → reload with a real server.
//!
//! ```text
//! python3 /work/shared/bench/gen_corpus.py -n 10000 --out /tmp/corpus-10k
//! cp -r themes /tmp/corpus-10k/
//! cargo run --release --example serve_bench -- /tmp/corpus-10k [EDITS]
//! ```
//!
//! Part 1 (library): builds the corpus once into `<root>/.portal-preview/bench/`, then edits one
//! page `EDITS` times (default 20) for each kind of edit — a body edit of a news page, of an item
//! and of a report, and a title edit of a news page (which its listings show) — and times
//! `Session::update` for each, checking that the output has the edit.
//!
//! Part 2 (server): starts the preview server on an ephemeral port, listens to its reload stream
//! (`/__portal/events`) over a raw socket, edits a page `EDITS` times and times each save (the
//! file written) to the reload event, and to the edited page served over HTTP.
//!
//! Prints min / median / p90 / max in milliseconds, and the median of each phase: of the update
//! (`read`, `model`, `plan`, `render`, `outputs`, `write`, `swap`) in part 1; in part 2, from the
//! server's trace (`PORTAL_SERVE_TRACE`), the watcher's wait from the first event of a save to
//! the builder (`wait`), the update and its phases, the first event to the reload sent
//! (`reload`), and the request of the page after the reload event (`http`). The edits are undone
//! at the end.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use portal::incremental::{Session, SessionOptions, UpdateKind};
use portal::serve::{ServeOptions, Server};

fn stats(label: &str, ms: &mut [f64]) {
    ms.sort_by(f64::total_cmp);
    let pick = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "{label:<44} n={:<3} min {:>6.1}  median {:>6.1}  p90 {:>6.1}  max {:>6.1} ms",
        ms.len(),
        pick(0.0),
        pick(0.5),
        pick(0.9),
        pick(1.0)
    );
}

/// The median of each phase, in the order first seen.
fn phase_medians(label: &str, runs: &[Vec<(String, f64)>]) {
    let mut order: Vec<String> = Vec::new();
    let mut by: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for run in runs {
        for (name, ms) in run {
            if !order.contains(name) {
                order.push(name.clone());
            }
            by.entry(name.clone()).or_default().push(*ms);
        }
    }
    let mut line = format!("  {label} phases, median ms:");
    for name in order {
        let ms = by.get_mut(&name).expect("seen");
        ms.sort_by(f64::total_cmp);
        line.push_str(&format!(" {name} {:.1}", ms[(ms.len() - 1) / 2]));
    }
    println!("{line}");
}

/// The first Markdown file (sorted) under `content/<dir>`.
fn first_md(root: &Path, dir: &str) -> PathBuf {
    let mut files: Vec<PathBuf> = walk(&root.join("content").join(dir));
    files.sort();
    files
        .into_iter()
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .expect("a Markdown file")
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Keeps a file's original text and puts it back on drop.
struct Restore(PathBuf, String);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.0, &self.1);
    }
}

/// Edit number `k` of a page's text.
type Edit = fn(&str, usize) -> String;

fn with_body_line(original: &str, k: usize) -> String {
    format!("{original}\n\n基准测试修改第{k}次。\n")
}

fn with_title(original: &str, k: usize) -> String {
    original.replacen("title: ", &format!("title: 基准{k} "), 1)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: serve_bench SITE_ROOT [EDITS]"));
    let edits: usize = args
        .next()
        .map(|n| n.parse().expect("EDITS is a number"))
        .unwrap_or(20);
    let output = root.join(".portal-preview").join("bench");

    // Part 1: the incremental rebuild itself.
    let started = Instant::now();
    let mut session = Session::new(SessionOptions {
        root: root.clone(),
        output: output.clone(),
        origin: None,
        drafts: false,
    });
    let read = started.elapsed();
    let first = session.update(&[]).expect("the corpus builds");
    println!(
        "initial: read {:.0} ms, full render {:.0} ms ({} pages)",
        read.as_secs_f64() * 1e3,
        first.elapsed.as_secs_f64() * 1e3,
        first.rendered
    );

    let cases: [(&str, &str, Edit); 4] = [
        ("news body edit", "news", with_body_line),
        ("item body edit", "items", with_body_line),
        ("report body edit", "reports", with_body_line),
        ("news title edit (listings change)", "news", with_title),
    ];
    for (label, dir, edit) in cases {
        let file = first_md(&root, dir);
        let original = std::fs::read_to_string(&file).expect("readable page");
        let _restore = Restore(file.clone(), original.clone());
        let mut ms = Vec::new();
        let mut phases = Vec::new();
        let mut rendered = 0;
        for k in 1..=edits {
            std::fs::write(&file, edit(&original, k)).expect("writable page");
            let u = session
                .update(std::slice::from_ref(&file))
                .expect("the edit builds");
            assert_eq!(
                u.kind,
                UpdateKind::Pages,
                "{label}: expected an incremental update"
            );
            ms.push(u.elapsed.as_secs_f64() * 1e3);
            phases.push(
                u.phases
                    .iter()
                    .map(|t| (t.phase.to_string(), t.ms))
                    .collect::<Vec<_>>(),
            );
            rendered = u.rendered;
        }
        stats(&format!("{label} ({rendered} pages rendered)"), &mut ms);
        phase_medians(label, &phases);
        drop(_restore);
        session
            .update(std::slice::from_ref(&file))
            .expect("the original builds");
    }
    drop(session);
    let _ = std::fs::remove_dir_all(&output);

    // Part 2: save → reload event → new page over HTTP, with the real server.
    let trace = std::env::temp_dir().join(format!("serve_bench-trace-{}", std::process::id()));
    let _ = std::fs::remove_file(&trace);
    // SAFETY: no other thread runs yet (part 1's session is dropped), none reads the environment.
    unsafe { std::env::set_var("PORTAL_SERVE_TRACE", &trace) };
    let server = Server::start(ServeOptions {
        root: root.clone(),
        port: 0,
        quiet: true,
        ..ServeOptions::default()
    })
    .expect("the server starts");
    let url = server.url().to_string();
    let addr = server.addr();
    let mut events = TcpStream::connect(addr).expect("connect");
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        events,
        "GET /__portal/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(events);
    let mut next_build = move || -> String {
        let mut line = String::new();
        loop {
            line.clear();
            reader
                .read_line(&mut line)
                .expect("the event stream stays open");
            if let Some(data) = line.strip_prefix("data:") {
                return data.trim().to_string();
            }
        }
    };
    next_build(); // the current build, sent on connect

    let file = first_md(&root, "news");
    let page_url = {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        format!("{url}news/{stem}/")
    };
    let original = std::fs::read_to_string(&file).expect("readable page");
    let _restore = Restore(file.clone(), original.clone());
    let (mut to_event, mut to_page, mut http) = (Vec::new(), Vec::new(), Vec::new());
    for k in 1..=edits {
        // Let the watcher settle, so that every edit is its own save.
        std::thread::sleep(Duration::from_millis(300));
        let marker = format!("基准测试修改第{k}次");
        let saved = Instant::now();
        save(&file, &with_body_line(&original, k));
        next_build();
        let event = saved.elapsed().as_secs_f64() * 1e3;
        to_event.push(event);
        let body = http_get(addr, &page_url);
        let page = saved.elapsed().as_secs_f64() * 1e3;
        to_page.push(page);
        http.push(vec![("http".to_string(), page - event)]);
        assert!(body.contains(&marker), "the served page has edit {k}");
    }
    stats(
        "save → reload event (server, news body edit)",
        &mut to_event,
    );
    stats("save → edited page served", &mut to_page);
    // One line per update (the edits', and the restore's if it came already).
    let mut runs: Vec<Vec<(String, f64)>> = std::fs::read_to_string(&trace)
        .unwrap_or_default()
        .lines()
        .take(edits)
        .map(|l| {
            l.split_whitespace()
                .filter_map(|f| f.split_once('='))
                .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
                .collect()
        })
        .collect();
    runs.extend(http);
    phase_medians("server", &runs);
    drop(_restore);
    server.stop();
    let _ = std::fs::remove_file(&trace);
}

/// Saves like an editor: a temporary file renamed over the page.
fn save(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).expect("writable folder");
    std::fs::rename(&tmp, path).expect("rename");
}

fn http_get(addr: std::net::SocketAddr, url: &str) -> String {
    let path = url
        .split_once("://")
        .map(|(_, r)| &r[r.find('/').unwrap_or(r.len())..])
        .unwrap_or(url);
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).expect("a response");
    out
}
