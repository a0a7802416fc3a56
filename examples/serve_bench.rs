//! Benchmark of the preview server's incremental rebuild, and of save → reload with a real server.
//!
//! ```text
//! python3 /work/shared/bench/gen_corpus.py -n 10000 --out /tmp/corpus-10k
//! cp -r themes /tmp/corpus-10k/
//! cargo run --release --example serve_bench -- /tmp/corpus-10k [EDITS] [--edit KINDS] [--part P]
//! ```
//!
//! `--edit` names the kinds of edit (comma-separated, or `all`): `body` (a line added to a news
//! page), `title` (a news title), `date` (a news date moved a few days within its month),
//! `item-title`, `item-body` (the same of a catalog item), `report` (a cell of a report's table).
//! Each edits the first Markdown file (sorted) of its folder. `--part lib|server|both`
//! (default both).
//!
//! Part 1 (library, every kind by default): builds the corpus once into
//! `<root>/.portal-preview/bench/`, then makes each kind of edit `EDITS` times (default 20) and
//! times `Session::update` for each, checking that the update was incremental.
//!
//! Part 2 (server, each kind given, `body` by default): starts the preview server on an
//! ephemeral port, listens to its reload stream (`/__portal/events`) over a raw socket, edits
//! the page `EDITS` times and times each save (the file written) to the reload event, and to
//! the edited page served over HTTP (which must show the edit).
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

/// One kind of edit: which page it edits, how, and what the edited page then shows.
struct EditKind {
    /// Its name on the command line.
    name: &'static str,
    /// What it is, for the report.
    label: &'static str,
    /// The folder under `content/` whose first Markdown file is edited.
    dir: &'static str,
    /// Edit number `k` (from 1) of the page's original text.
    edit: fn(&str, usize) -> String,
    /// Text the page served after edit `k` has.
    marker: fn(&str, usize) -> String,
}

const KINDS: &[EditKind] = &[
    EditKind {
        name: "body",
        label: "news body edit",
        dir: "news",
        edit: with_body_line,
        marker: |_, k| format!("基准测试修改第{k}次"),
    },
    EditKind {
        name: "title",
        label: "news title edit",
        dir: "news",
        edit: with_title,
        marker: |_, k| format!("基准{k}"),
    },
    EditKind {
        name: "date",
        label: "news date edit",
        dir: "news",
        edit: with_date,
        marker: |original, k| date_of(&with_date(original, k)),
    },
    EditKind {
        name: "item-title",
        label: "item title edit",
        dir: "items",
        edit: with_title,
        marker: |_, k| format!("基准{k}"),
    },
    EditKind {
        name: "item-body",
        label: "item body edit",
        dir: "items",
        edit: with_body_line,
        marker: |_, k| format!("基准测试修改第{k}次"),
    },
    EditKind {
        name: "report",
        label: "report table edit",
        dir: "reports",
        edit: with_table_cell,
        marker: |_, k| format!("基准{k}"),
    },
];

fn with_body_line(original: &str, k: usize) -> String {
    format!("{original}\n\n基准测试修改第{k}次。\n")
}

/// The title with `基准k` in front (inside its quotes, if it has them).
fn with_title(original: &str, k: usize) -> String {
    if original.contains("title: \"") {
        original.replacen("title: \"", &format!("title: \"基准{k} "), 1)
    } else {
        original.replacen("title: ", &format!("title: 基准{k} "), 1)
    }
}

/// The `date:` of a page's front matter.
fn date_of(text: &str) -> String {
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("date: "))
        .expect("the page has a date");
    line.trim().trim_matches('"').to_string()
}

/// The date moved `k` days within its month (as an editor correcting a day): the page moves a
/// few places in its lists, seldom to another list page, never to another year.
fn with_date(original: &str, k: usize) -> String {
    let date = date_of(original);
    let (ym, day) = date.rsplit_once('-').expect("YYYY-MM-DD");
    let day: usize = day.parse().expect("a day");
    let moved = (day - 1 + k) % 28 + 1;
    original.replacen(
        &format!("date: {date}"),
        &format!("date: {ym}-{moved:02}"),
        1,
    )
}

/// A cell of the first table of the body edited (`| 1 |` → `| 基准k |`), or a line added
/// when the page has no table.
fn with_table_cell(original: &str, k: usize) -> String {
    if original.contains("\n| 1 | ") {
        original.replacen("\n| 1 | ", &format!("\n| 基准{k} | "), 1)
    } else {
        format!("{original}\n\n基准{k}\n")
    }
}

/// The URL path of the page at `file` (`news/x/`, `items/<domain>/x/`, `reports/x/`).
fn url_of(root: &Path, file: &Path) -> String {
    let rel = file
        .strip_prefix(root.join("content"))
        .expect("under content/")
        .to_string_lossy()
        .replace('\\', "/");
    format!("{}/", rel.strip_suffix(".md").expect("a Markdown file"))
}

/// Command line: `SITE_ROOT [EDITS] [--edit KIND[,KIND…]] [--part lib|server|both]`.
struct Args {
    root: PathBuf,
    edits: usize,
    kinds: Vec<&'static EditKind>,
    library: bool,
    server: bool,
    /// `--edit` was given: the server part runs those kinds, else only `body`.
    server_kinds_given: bool,
}

fn args() -> Args {
    let usage = "usage: serve_bench SITE_ROOT [EDITS] [--edit body|title|date|item-title|item-body|report[,…]|all] [--part lib|server|both]";
    let mut root = None;
    let mut edits = 20;
    let mut kinds: Option<Vec<&'static EditKind>> = None;
    let (mut library, mut server) = (true, true);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--edit" => {
                let names = it.next().expect(usage);
                kinds = Some(if names == "all" {
                    KINDS.iter().collect()
                } else {
                    names
                        .split(',')
                        .map(|n| KINDS.iter().find(|k| k.name == n).expect(usage))
                        .collect()
                });
            }
            "--part" => match it.next().as_deref() {
                Some("lib") => server = false,
                Some("server") => library = false,
                Some("both") => {}
                _ => panic!("{usage}"),
            },
            _ if root.is_none() => root = Some(PathBuf::from(a)),
            n => edits = n.parse().expect(usage),
        }
    }
    Args {
        root: root.expect(usage),
        edits,
        server_kinds_given: kinds.is_some(),
        kinds: kinds.unwrap_or_else(|| KINDS.iter().collect()),
        library,
        server,
    }
}

fn main() {
    let Args {
        root,
        edits,
        kinds,
        library,
        server,
        server_kinds_given,
    } = args();
    if library {
        library_part(&root, edits, &kinds);
    }
    if server {
        let kinds = if server_kinds_given {
            kinds
        } else {
            vec![&KINDS[0]]
        };
        for kind in &kinds {
            server_part(&root, edits, kind);
        }
    }
}

/// Part 1: the incremental rebuild itself (`Session::update`).
fn library_part(root: &Path, edits: usize, kinds: &[&EditKind]) {
    let output = root.join(".portal-preview").join("bench");
    let started = Instant::now();
    let mut session = Session::new(SessionOptions {
        root: root.to_path_buf(),
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
    for kind in kinds {
        let file = first_md(root, kind.dir);
        let original = std::fs::read_to_string(&file).expect("readable page");
        let _restore = Restore(file.clone(), original.clone());
        let mut ms = Vec::new();
        let mut phases = Vec::new();
        let mut rendered = 0;
        for k in 1..=edits {
            std::fs::write(&file, (kind.edit)(&original, k)).expect("writable page");
            let u = session
                .update(std::slice::from_ref(&file))
                .expect("the edit builds");
            assert_eq!(
                u.kind,
                UpdateKind::Pages,
                "{}: expected an incremental update",
                kind.label
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
        let label = format!("{} ({rendered} pages rendered)", kind.label);
        stats(&label, &mut ms);
        phase_medians(kind.label, &phases);
        drop(_restore);
        session
            .update(std::slice::from_ref(&file))
            .expect("the original builds");
    }
    drop(session);
    let _ = std::fs::remove_dir_all(&output);
}

/// Part 2: save → reload event → the edited page over HTTP, with the real server.
fn server_part(root: &Path, edits: usize, kind: &EditKind) {
    let trace = std::env::temp_dir().join(format!("serve_bench-trace-{}", std::process::id()));
    let _ = std::fs::remove_file(&trace);
    // SAFETY: no other thread reads the environment (part 1's session is dropped, the previous
    // server stopped).
    unsafe { std::env::set_var("PORTAL_SERVE_TRACE", &trace) };
    let server = Server::start(ServeOptions {
        root: root.to_path_buf(),
        port: 0,
        quiet: true,
        ..ServeOptions::default()
    })
    .expect("the server starts");
    let url = server.url().to_string();
    let addr = server.addr();
    let mut events = TcpStream::connect(addr).expect("connect");
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
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
    // The first build's background work (the whole-site check, the search index of every page)
    // takes seconds on a large site: edits start once the server is idle.
    wait_idle();

    let file = first_md(root, kind.dir);
    let page_url = format!("{url}{}", url_of(root, &file));
    let original = std::fs::read_to_string(&file).expect("readable page");
    let _restore = Restore(file.clone(), original.clone());
    let (mut to_event, mut to_page, mut http) = (Vec::new(), Vec::new(), Vec::new());
    for k in 1..=edits {
        // Let the watcher settle, so that every edit is its own save.
        std::thread::sleep(Duration::from_millis(300));
        let marker = (kind.marker)(&original, k);
        let saved = Instant::now();
        save(&file, &(kind.edit)(&original, k));
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
        &format!("save → reload event (server, {})", kind.label),
        &mut to_event,
    );
    stats(
        &format!("save → edited page served ({})", kind.name),
        &mut to_page,
    );
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
    // The restore is built before the next kind's server reads the site.
    std::thread::sleep(Duration::from_millis(300));
    server.stop();
    let _ = std::fs::remove_file(&trace);
}

/// CPU time of this process so far, in clock ticks (`/proc/self/stat`); 0 where unknown.
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let f: Vec<&str> = after.split_whitespace().collect();
    // utime and stime: fields 14 and 15 of the line, 12 and 13 after the command name.
    let tick = |k: usize| f.get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    tick(11) + tick(12)
}

/// Waits (at most three minutes) until the process used under 5 % of a core for two seconds on
/// end: longer than the indexer's pause before it starts (one second).
fn wait_idle() {
    let started = Instant::now();
    let mut last = cpu_ticks();
    let mut quiet = 0;
    while started.elapsed() < Duration::from_secs(180) && quiet < 4 {
        std::thread::sleep(Duration::from_millis(500));
        let now = cpu_ticks();
        // Ticks are 10 ms: under 3 in half a second is idle.
        quiet = if now - last < 3 { quiet + 1 } else { 0 };
        last = now;
    }
    println!(
        "  (server idle after {:.1} s)",
        started.elapsed().as_secs_f64()
    );
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
