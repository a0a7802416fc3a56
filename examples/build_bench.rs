//! Clean-build benchmark: `cargo run --release --example build_bench -- /tmp/corpus-10k [runs]`.
//!
//! The corpus comes from `python3 ../shared/bench/gen_corpus.py -n 10000 --out /tmp/corpus-10k`.
//! The benchmark copies this repository's `themes/` into the corpus folder (a build never
//! follows a link out of its site, so the corpus itself is the site root), builds it `runs` times (default 5) into a fresh output folder each
//! time, and prints every wall time and CPU time (user + system, from `getrusage`), their
//! medians, pages per second and the process's peak resident memory.

use std::path::{Path, PathBuf};
use std::time::Instant;

// The allocator of the `portal` command (src/main.rs), so that the in-process figures match it.
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let corpus = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/corpus-10k".into()));
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let content = corpus.join("content");
    assert!(
        content.join("site.yaml").exists(),
        "{} has no content/site.yaml",
        corpus.display()
    );

    let themes = corpus.join("themes");
    if !themes.exists() {
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
            &themes,
        );
    }
    let outputs = tempfile::tempdir_in(&corpus).expect("temp dir");

    let mut times = Vec::new();
    let mut cpus = Vec::new();
    for i in 0..runs {
        let out = outputs.path().join(format!("public-{i}"));
        let opts = portal::build::BuildOptions {
            root: corpus.clone(),
            output: Some(out.clone()),
            base_url: None,
            drafts: false,
            force: false,
        };
        let t = Instant::now();
        let cpu0 = cpu_seconds();
        let report = portal::build::build(&opts).unwrap_or_else(|e| panic!("build failed: {e}"));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let cpu = cpu_seconds() - cpu0;
        println!(
            "run {}: {:.0} ms, {:.2} CPU-s, {:.0} pages/s ({} pages, {} other files)",
            i + 1,
            ms,
            cpu,
            report.pages as f64 / (ms / 1000.0),
            report.pages,
            report.files
        );
        times.push(ms);
        cpus.push(cpu);
        // Deleting the output is not part of the measured build.
        std::fs::remove_dir_all(&out).ok();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    cpus.sort_by(|a, b| a.total_cmp(b));
    println!(
        "median: {:.0} ms, {:.2} CPU-s over {} runs",
        times[times.len() / 2],
        cpus[cpus.len() / 2],
        runs
    );
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(l) = status.lines().find(|l| l.starts_with("VmHWM"))
    {
        println!(
            "peak memory (VmHWM): {}",
            l.trim_start_matches("VmHWM:").trim()
        );
    }
}

/// User + system CPU time of this process so far, in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(ru.ru_utime) + secs(ru.ru_stime)
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk themes");
        let dest = to.join(e.path().strip_prefix(from).expect("prefix"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}
