//! Benchmark of the search index on a generated corpus.
//!
//! ```text
//! python3 /work/shared/bench/gen_corpus.py -n 10000 --out /tmp/corpus-10k
//! cargo run --release --example search_bench -- /tmp/corpus-10k/content [KEEP_DIR]
//! ```
//!
//! Reads the Markdown files crudely (front matter split at the `---` lines, `title:`, `date:`,
//! `domain:`; Markdown syntax characters stripped), times `write_index`, prints the index
//! figures, and for a few queries how many bytes the browser fetches to show the first page.
//! With `KEEP_DIR` the index is written there (for `tests/js/search_test.mjs --bench`).
//! With `TITLE_FIRST=1` it also checks title-first ranking for every phrase found in ≥ 10 titles.
//!
//! The generated corpus repeats a small vocabulary (about 3,500 distinct CJK unigrams and
//! bigrams); `--zipf` replaces every Han character of the bodies by one drawn from a Zipf
//! distribution over 5,000 characters, which gives far more distinct bigrams than real text
//! (a worst case for the index size and the build).

use std::path::{Path, PathBuf};
use std::time::Instant;

use portal::search::{Filters, Index, IndexOptions, SearchDoc, write_index_with};

#[path = "../tests/it/search_relevance/loader.rs"]
mod loader;

/// User + system CPU time of this process, in milliseconds (10 ms resolution).
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<u64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    f.get(11).zip(f.get(12)).map_or(0, |(u, s)| (u + s) * 10)
}

/// (VmRSS, VmHWM) of this process in KiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get = |k: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(k))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (get("VmRSS:"), get("VmHWM:"))
}

/// Replaces each Han character by a Zipf-distributed one (deterministic).
fn zipf(docs: &mut [SearchDoc]) {
    const N: usize = 5000;
    let weights: Vec<f64> = (1..=N).map(|r| 1.0 / r as f64).collect();
    let total: f64 = weights.iter().sum();
    let mut cdf = Vec::with_capacity(N);
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cdf.push(acc);
    }
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for d in docs {
        d.body = d
            .body
            .chars()
            .map(|c| {
                if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let u = (seed >> 11) as f64 / (1u64 << 53) as f64;
                    let r = cdf.partition_point(|&x| x < u).min(N - 1);
                    char::from_u32(0x4E00 + (r as u32 * 7919) % 20902).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect();
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().collect();
    let zipf_mode = args.iter().any(|a| a == "--zipf");
    args.retain(|a| a != "--zipf");
    let content = PathBuf::from(
        args.get(1)
            .map_or("/tmp/corpus-10k/content", String::as_str),
    );
    let t = Instant::now();
    let (mut docs, domain_order) = loader::load(&content);
    let options = IndexOptions {
        domain_order,
        ..IndexOptions::default()
    };
    if zipf_mode {
        zipf(&mut docs);
        println!("--zipf: Han characters of the bodies replaced by Zipf-distributed ones");
    }
    let text_bytes: usize = docs.iter().map(|d| d.body.len() + d.title.len()).sum();
    println!(
        "loaded {} docs ({:.1} MB of text) in {} ms",
        docs.len(),
        text_bytes as f64 / 1e6,
        t.elapsed().as_millis()
    );

    let tmp = tempfile::tempdir().expect("temp dir");
    let out = args
        .get(2)
        .map_or_else(|| tmp.path().to_path_buf(), PathBuf::from);
    let (rss_before, _) = memory();
    let (t, cpu) = (Instant::now(), cpu_ms());
    let stats = write_index_with(&docs, &out, &options).expect("index written");
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let cpu = cpu_ms() - cpu;
    let (_, hwm) = memory();
    // More runs, into fresh directories on the same file system, for a steadier figure on a
    // shared machine.
    let mut walls = vec![ms];
    let parent = out.parent().unwrap_or(Path::new("/tmp"));
    for _ in 0..4 {
        let dir = tempfile::tempdir_in(parent).expect("temp dir");
        let t = Instant::now();
        write_index_with(&docs, dir.path(), &options).expect("index written");
        walls.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    walls.sort_by(f64::total_cmp);
    println!(
        "write_index: {ms:.0} ms (CPU {cpu} ms) on {} threads; 5 runs: min {:.0} ms, median {:.0} ms",
        rayon::current_num_threads(),
        walls[0],
        walls[2]
    );
    println!(
        "peak RSS +{} MiB over the loaded corpus ({} MiB before, {} MiB peak)",
        hwm.saturating_sub(rss_before) / 1024,
        rss_before / 1024,
        hwm / 1024
    );
    println!(
        "docs {}  terms {}  term shards {} (largest {} B, average {} B)  files {}  bytes {:.1} MB  manifest {} B  docs per doc shard {}",
        stats.docs,
        stats.terms,
        stats.shards,
        stats.largest_shard_bytes,
        (0..stats.shards)
            .map(|s| size(&out, &format!("terms/{s}.bin")))
            .sum::<u64>()
            / stats.shards as u64,
        stats.files,
        stats.bytes as f64 / 1e6,
        stats.manifest_bytes,
        stats.docs_per_shard
    );

    let t = Instant::now();
    let index = Index::build_with(&docs, &options);
    println!("Index::build alone: {} ms", t.elapsed().as_millis());
    if std::env::var_os("TITLE_FIRST").is_some() {
        title_first(&index, &docs);
    }
    if std::env::var_os("EXACT").is_some() {
        exact_counts(&index, &docs);
    }
    let none = Filters::default;
    let queries: Vec<(&str, Filters)> = vec![
        ("养老", none()),
        ("低保", none()),
        ("招聘会", none()),
        ("12345", none()),
        ("2021年", none()),
        ("养老服务补贴", none()),
        ("最低生活保障", none()),
        ("燃气安全整治", none()),
        ("残疾人服务", none()),
        ("便民服务站", none()),
        ("年", none()),
        (
            "养老",
            Filters {
                kind: Some("news".into()),
                year: Some("2021".into()),
                ..none()
            },
        ),
    ];
    println!(
        "{:<14} {:>6} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "query", "hits", "exact", "rust ms", "files", "bytes", "terms B"
    );
    for (q, f) in &queries {
        let t = Instant::now();
        let r = index.search(q, f);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let files = index.query_files(q, f, &stats);
        let bytes: u64 = files.iter().map(|p| size(&out, p)).sum();
        let term_bytes: u64 = files
            .iter()
            .filter(|p| p.starts_with("terms/"))
            .map(|p| size(&out, p))
            .sum();
        let label = if f == &Filters::default() {
            q.to_string()
        } else {
            format!("{q} [news 2021]")
        };
        println!(
            "{label:<14} {:>6} {:>6} {ms:>9.2} {:>9} {bytes:>9} {term_bytes:>9}",
            r.hits.len(),
            r.exact,
            files.len()
        );
        for h in r.hits.iter().take(3) {
            println!("    {:>8}  {}  {}", h.score, h.url, index.doc(h.id).title);
        }
    }
}

/// Title-first check over the whole corpus: for every CJK run of 4–10 characters of a title that
/// appears in at least 10 titles, are the first 10 hits pages with it in their title?
fn title_first(index: &Index<'_>, docs: &[SearchDoc]) {
    use portal::search::{contains_phrase, normalize};
    let titles: Vec<String> = docs.iter().map(|d| normalize(&d.title)).collect();
    let mut phrases: Vec<String> = Vec::new();
    for t in &titles {
        for run in t.split(|c: char| !('\u{4E00}'..='\u{9FFF}').contains(&c)) {
            let n = run.chars().count();
            if (4..=10).contains(&n) && !phrases.iter().any(|p| p == run) {
                phrases.push(run.to_string());
            }
        }
    }
    // And the catalog's phrases (shared/domain/catalog-reference.md), when it is there.
    let reference =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/domain/catalog-reference.md");
    let text = std::fs::read_to_string(reference).unwrap_or_default();
    for run in text.split(|c: char| !('\u{4E00}'..='\u{9FFF}').contains(&c)) {
        let n = run.chars().count();
        if (3..=8).contains(&n) && !phrases.iter().any(|p| p == run) {
            phrases.push(run.to_string());
        }
    }
    let (mut ok, mut total) = (0, 0);
    for p in &phrases {
        let with: Vec<bool> = titles.iter().map(|t| contains_phrase(t, p)).collect();
        if with.iter().filter(|&&b| b).count() < 10 {
            continue;
        }
        total += 1;
        let r = index.search(p, &Filters::default());
        let hits = &r.hits[..r.exact.min(10)];
        if hits.len() == 10 && hits.iter().all(|h| with[index_pos(docs, index, h.id)]) {
            ok += 1;
        } else {
            println!("  title-first miss: {p}");
        }
    }
    println!(
        "title-first: {ok} of {total} title phrases (in >= 10 titles) show 10 such titles first"
    );
}

/// Exact counts against the truth from the sources: for each phrase, the pages containing it
/// (any field), the pages holding all its bigrams (what "exact" counted before the check), and
/// the exact group of the search.
fn exact_counts(index: &Index<'_>, docs: &[SearchDoc]) {
    use portal::search::{contains_phrase, normalize};
    let texts: Vec<String> = docs.iter().map(SearchDoc::searchable_text).collect();
    let phrases = [
        "残疾人服务",
        "便民服务站",
        "社区服务站",
        "养老服务中心",
        "特困人员救助供养",
        "政府信息公开",
        "居民身份证办理",
        "养老服务补贴",
        "最低生活保障",
        "燃气安全整治",
        "退役军人服务",
        "生态环境",
    ];
    println!(
        "{:<16} {:>7} {:>9} {:>7}",
        "phrase", "truth", "bigrams", "exact"
    );
    for p in phrases {
        let n = normalize(p);
        let cs: Vec<char> = n.chars().collect();
        let grams: Vec<String> = cs.windows(2).map(|w| w.iter().collect()).collect();
        let truth = texts.iter().filter(|t| contains_phrase(t, &n)).count();
        let loose = texts
            .iter()
            .filter(|t| grams.iter().all(|g| t.contains(g.as_str())))
            .count();
        let r = index.search(p, &Filters::default());
        println!("{p:<16} {truth:>7} {loose:>9} {:>7}", r.exact);
    }
}

fn index_pos(docs: &[SearchDoc], index: &Index<'_>, id: u32) -> usize {
    let d = index.doc(id);
    docs.iter().position(|x| std::ptr::eq(x, d)).unwrap_or(0)
}

fn size(dir: &Path, rel: &str) -> u64 {
    std::fs::metadata(dir.join(rel)).map_or(0, |m| m.len())
}
