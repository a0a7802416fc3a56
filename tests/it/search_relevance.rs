//! Relevance on a sample of the bench corpus (the first 1,000 pages of
//! `shared/bench/gen_corpus.py`), with the ground truth computed from the sources: title matches
//! first, honest exact counts, 繁简 folding, synonyms, kind-aware ranking. The same queries then
//! run through `search.js` in node (`tests/js/search_test.mjs`), which must answer identically.
//!
//! Skipped when python3, the generator or node is missing, unless `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

use portal::search::{
    Filters, Index, IndexOptions, SearchDoc, contains_phrase, normalize, write_index_with,
};
use serde_json::{Value, json};

#[path = "search_relevance/loader.rs"]
mod loader;

fn ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

fn generator() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    let ok = p.is_file()
        && Command::new("python3")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    ok.then_some(p)
}

/// Everything a resident can find a page by, normalized.
fn all_text(d: &SearchDoc) -> String {
    d.searchable_text()
}

const QUERIES: &[&str] = &[
    "社会救助",
    "养老服务",
    "户籍管理",
    "就业创业",
    "教育服务",
    "卫生健康",
    "住房保障",
    "残疾人服务",
    "退役军人服务",
    "安全生产",
    "城市管理",
    "生态环境",
    "社区治理",
    "最低生活保障",
    "特困人员救助供养",
    "养老服务补贴",
    "居民身份证",
    "低收入家庭认定",
    "政府信息公开",
    "燃气安全",
    "垃圾分类",
    "网格员",
    "接诉即办",
    "2021年",
    "12345",
    "便民服务站",
    "社区服务站",
    "养老服务中心",
];

#[test]
fn relevance_on_the_bench_sample() {
    let Some(gen_script) = generator() else {
        assert!(
            !ci(),
            "python3 and shared/bench/gen_corpus.py are required under CI=true"
        );
        eprintln!("skipped: python3 or shared/bench/gen_corpus.py missing");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new("python3")
        .arg(&gen_script)
        .args(["-n", "1000", "--out"])
        .arg(tmp.path().join("corpus"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (docs, domain_order) = loader::load(&tmp.path().join("corpus/content"));
    assert_eq!(docs.len(), 1000);
    let options = IndexOptions {
        domain_order: domain_order.clone(),
        ..IndexOptions::default()
    };
    let index = Index::build_with(&docs, &options);
    let none = Filters::default();
    let texts: Vec<String> = docs.iter().map(all_text).collect();
    let titles: Vec<String> = docs.iter().map(|d| normalize(&d.title)).collect();
    let pos = |url: &str| docs.iter().position(|d| d.url == url).unwrap();
    let mut cases = Vec::new();
    let mut checked_titles = 0;
    let (mut overcount, mut total) = (0, 0);
    for &q in QUERIES {
        let phrase = normalize(q);
        let truth: Vec<usize> = (0..docs.len())
            .filter(|&i| contains_phrase(&texts[i], &phrase))
            .collect();
        let in_title: Vec<usize> = (0..docs.len())
            .filter(|&i| contains_phrase(&titles[i], &phrase))
            .collect();
        let r = index.search(q, &none);
        let exact: Vec<usize> = r.hits[..r.exact].iter().map(|h| pos(&h.url)).collect();
        // Counts: the exact group is exactly the pages containing the phrase (the bigrams of
        // a candidate are checked for adjacency against its document entry).
        let mut got = exact.clone();
        got.sort_unstable();
        assert_eq!(
            got, truth,
            "{q}: exact group differs from the pages with the phrase"
        );
        // Pages holding every bigram of the phrase, adjacent or not: what "exact" counted
        // before the check.
        let grams: Vec<String> = {
            let cs: Vec<char> = phrase.chars().collect();
            cs.windows(2).map(|w| w.iter().collect()).collect()
        };
        let loose = if grams.len() >= 2 && phrase.chars().all(|c| c > '\u{2e80}') {
            texts
                .iter()
                .filter(|t| grams.iter().all(|g| t.contains(g.as_str())))
                .count()
        } else {
            truth.len()
        };
        if loose > truth.len() {
            eprintln!(
                "{q}: {} pages with the phrase, {loose} with all its bigrams",
                truth.len()
            );
        }
        overcount += loose - truth.len();
        total += truth.len();
        // Title matches first.
        let k = in_title.len().min(10);
        checked_titles += usize::from(k > 0);
        for h in &exact[..k] {
            assert!(
                in_title.contains(h),
                "{q}: {} in the top {k} without the phrase in its title",
                docs[*h].title
            );
        }
        cases.push(case(&index, q, &none));
    }
    assert!(checked_titles >= 15, "too few queries with title matches");
    // The check is needed: without it these phrases would overstate (残疾人 … 人服务).
    assert!(
        overcount > 0,
        "no query with scattered bigrams: {overcount} over {total}"
    );

    // A phrase no page contains, though pages hold all its bigrams, is never exact.
    for q in ["便民服务站", "便民服务站点公示"] {
        let r = index.search(q, &none);
        assert_eq!(r.exact, 0, "{q}");
    }

    // 繁简: the traditional query finds exactly what the simplified one finds.
    let (a, b) = (
        index.search("養老服務", &none),
        index.search("养老服务", &none),
    );
    assert!(b.exact > 0);
    assert_eq!(a, b);

    // Synonyms: 低保 finds every page about 最低生活保障, and says so.
    let dibao = index.search("低保", &none);
    assert_eq!(dibao.expanded, ["最低生活保障"]);
    let full: Vec<usize> = (0..docs.len())
        .filter(|&i| {
            contains_phrase(&texts[i], "最低生活保障") || contains_phrase(&texts[i], "低保")
        })
        .collect();
    assert!(!full.is_empty());
    let mut got: Vec<usize> = dibao.hits[..dibao.exact]
        .iter()
        .map(|h| pos(&h.url))
        .collect();
    got.sort_unstable();
    assert_eq!(got, full);

    // Naming a kind lifts it: 年度报告 and 年报 list annual reports first, not news whose
    // hidden keyword is 年度报告.
    for q in ["年度报告", "年报"] {
        let r = index.search(q, &none);
        let first: Vec<&str> = r
            .hits
            .iter()
            .take(5)
            .map(|h| index.doc(h.id).kind.as_str())
            .collect();
        assert!(first.iter().all(|k| *k == "report"), "{q}: {first:?}");
    }

    // Keywords rank below visible text: a page with the phrase only in its keywords comes after
    // every page showing it.
    let r = index.search("接诉即办", &none);
    let tiers: Vec<u8> = r.hits[..r.exact].iter().map(|h| h.tier).collect();
    assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "{tiers:?}");

    for q in [
        "養老服務",
        "低保",
        "年报",
        "年度报告",
        "便民服务站点公示",
        "便民服务 2021年",
    ] {
        cases.push(case(&index, q, &none));
    }
    cases.push(case(
        &index,
        "养老",
        &Filters {
            kind: Some("news".into()),
            ..Filters::default()
        },
    ));
    run_node(&index, &options, &docs, cases, tmp.path());
}

/// One query's expected result as the node side compares it (shared with `search_js`).
pub(crate) fn case(index: &Index<'_>, q: &str, f: &Filters) -> Value {
    let r = index.search(q, f);
    let hits: Vec<Value> = r
        .hits
        .iter()
        .map(|h| json!({ "id": h.id, "url": h.url, "score": h.score, "tier": h.tier }))
        .collect();
    json!({
        "query": q,
        "filters": { "kind": f.kind, "domain": f.domain, "year": f.year },
        "exact": r.exact,
        "expanded": r.expanded,
        "hits": hits,
    })
}

fn run_node(
    _index: &Index<'_>,
    options: &IndexOptions,
    docs: &[SearchDoc],
    cases: Vec<Value>,
    tmp: &Path,
) {
    if !Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        assert!(!ci(), "node is required under CI=true");
        eprintln!("skipped the JS half: node is not installed");
        return;
    }
    let dir = tmp.join("search");
    write_index_with(docs, &dir, options).unwrap();
    let expected = json!({ "cases": cases, "tokenize": [], "doc_count": docs.len() });
    let path = tmp.join("expected.json");
    std::fs::write(&path, serde_json::to_vec(&expected).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/search_test.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(&dir)
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("ok"),
        "node failed\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `site.yaml` `search.synonyms` reach the index, beside the default table; the 领域 filter
/// follows the catalog; a malformed value is a warning, not a failed build.
#[test]
fn site_synonyms_and_catalog_order_reach_the_index() {
    let site = crate::common::Site::example();
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write(
        "content/site.yaml",
        &format!("{yaml}\nsearch:\n  synonyms:\n    - [居家养老, 在家养老]\n"),
    );
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", crate::common::text(&out));
    let m: Value = serde_json::from_str(&site.read("search/manifest.json")).unwrap();
    let syn = m["synonyms"].as_array().unwrap();
    assert!(syn.contains(&json!(["居家养老", "在家养老"])), "{syn:?}");
    assert!(
        syn.contains(&json!(["低保", "最低生活保障"])),
        "default table missing"
    );
    let domains: Vec<&str> = m["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["value"].as_str().unwrap())
        .collect();
    let catalog: Vec<String> = yaml
        .lines()
        .filter_map(|l| l.split("name: ").nth(1))
        .map(|n| n.split([',', ' ', '}']).next().unwrap().to_string())
        .filter(|n| domains.contains(&n.as_str()))
        .collect();
    assert_eq!(domains, catalog, "the 领域 filter must follow the catalog");

    site.write(
        "content/site.yaml",
        &format!("{yaml}\nsearch:\n  synonyms: 低保\n"),
    );
    let out = site.portal(&["build"]);
    let msg = crate::common::text(&out);
    assert!(out.status.success(), "{msg}");
    assert!(msg.contains("search.synonyms 应是若干组同义词"), "{msg}");
}
