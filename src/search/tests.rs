//! Index, sharding and ranking tests on a small fixed corpus.

use std::collections::BTreeMap;

use super::build::{idf_milli, weight};
use super::test_corpus::{corpus, doc};
use super::write::{TERM_SHARD_TARGET, get_varint};
use super::*;

fn urls(r: &SearchResults) -> Vec<String> {
    r.hits.iter().map(|h| h.url.clone()).collect()
}

fn search(docs: &[SearchDoc], q: &str) -> SearchResults {
    Index::build(docs).search(q, &Filters::default())
}

#[test]
fn contiguous_phrase_ranks_above_scattered_characters() {
    let docs = corpus();
    let r = search(&docs, "养老服务");
    let u = urls(&r);
    assert_eq!(r.exact, 2, "only a and d hold the phrase's every bigram");
    // a and d contain 养老服务; b has 养老 … 服务 apart; all three match (2 of 3 bigrams).
    assert_eq!(u.len(), 3, "{u:?}");
    assert!(
        u[..2].contains(&"news/a/".to_string()) && u[..2].contains(&"items/d/".to_string()),
        "{u:?}"
    );
    assert_eq!(u[2], "news/b/");
}

#[test]
fn title_outranks_body() {
    let docs = corpus();
    let u = urls(&search(&docs, "招聘会"));
    assert_eq!(u, ["news/e/"]);
    let r = search(&docs, "招聘");
    assert_eq!(r.hits.len(), 2);
    let u = urls(&search(&docs, "低保"));
    assert_eq!(u, ["items/c/"]);
    // The same word in the title beats it in the body, then in a heading, whatever the dates.
    let mut heading = doc("heading/", "通知", "2023-01-01", "news", &[], "内容内容");
    heading.headings = vec!["低保标准".into()];
    let docs = vec![
        doc("body/", "通知", "2024-01-01", "news", &[], "低保标准调整"),
        doc(
            "title/",
            "低保标准调整",
            "2020-01-01",
            "news",
            &[],
            "通知内容",
        ),
        heading,
    ];
    let r = search(&docs, "低保");
    assert_eq!(urls(&r), ["title/", "heading/", "body/"]);
    assert!(r.hits[0].score > r.hits[1].score && r.hits[1].score > r.hits[2].score);
}

#[test]
fn numbers_fold_and_match_whole() {
    let docs = corpus();
    let u = urls(&search(&docs, "12345"));
    assert_eq!(u.len(), 2);
    assert!(u.contains(&"items/c/".to_string()) && u.contains(&"news/e/".to_string()));
    assert_eq!(urls(&search(&docs, "１２３４５")), u);
    assert!(search(&docs, "1234").hits.is_empty());
    let u = urls(&search(&docs, "2021年"));
    assert_eq!(u[0], "reports/g/", "{u:?}");
    assert!(u.contains(&"news/e/".to_string()));
    assert!(
        !u.contains(&"news/a/".to_string()),
        "2021 only in the date is not a match: {u:?}"
    );
}

#[test]
fn single_character_and_latin_queries() {
    let docs = corpus();
    let u = urls(&search(&docs, "老"));
    assert_eq!(u.len(), 3, "{u:?}");
    assert!(
        ["news/a/", "news/b/", "items/d/"]
            .iter()
            .all(|x| u.contains(&x.to_string())),
        "{u:?}"
    );
    assert_eq!(urls(&search(&docs, "HELLO")), ["pages/h/"]);
    assert_eq!(urls(&search(&docs, "ｈｅｌｌｏ ｗｏｒｌｄ")), ["pages/h/"]);
}

#[test]
fn partial_matches_when_nothing_matches_everything() {
    let docs = corpus();
    let r = search(&docs, "低保 hello");
    assert_eq!(r.exact, 0);
    assert_eq!(r.hits.len(), 2);
    let r = search(&docs, "不存在的词");
    assert!(r.hits.is_empty());
}

#[test]
fn filters_and_empty_queries() {
    let docs = corpus();
    let index = Index::build(&docs);
    let news = Filters {
        kind: Some("news".into()),
        ..Filters::default()
    };
    let r = index.search("养老服务", &news);
    assert_eq!(urls(&r), ["news/a/", "news/b/"]);
    let y = Filters {
        year: Some("2021".into()),
        domain: Some("就业创业".into()),
        ..Filters::default()
    };
    assert_eq!(urls(&index.search("", &y)), ["news/e/"]);
    assert!(index.search("", &Filters::default()).hits.is_empty());
    let none = Filters {
        domain: Some("没有这个领域".into()),
        ..Filters::default()
    };
    assert!(index.search("养老", &none).hits.is_empty());
    // Empty query + filter: newest first.
    let all_news = index.search("", &news);
    assert_eq!(
        urls(&all_news),
        ["news/b/", "news/e/", "news/a/", "news/f/"]
    );
}

#[test]
fn ties_break_by_date_newest_first() {
    let docs = vec![
        doc("old/", "低保", "2019-01-01", "news", &[], "低保"),
        doc("new/", "低保", "2023-01-01", "news", &[], "低保"),
        doc("mid/", "低保", "2021-01-01", "news", &[], "低保"),
    ];
    let r = search(&docs, "低保");
    assert_eq!(urls(&r), ["new/", "mid/", "old/"]);
    assert!(r.hits.windows(2).all(|w| w[0].score == w[1].score));
}

#[test]
fn term_hash_is_fnv1a_then_fmix32() {
    // The same values are checked in tests/js/search_test.mjs.
    assert_eq!(term_hash(b""), 0xab3e_7c0b);
    assert_eq!(term_hash("养老".as_bytes()), 0x3897_2308);
    assert_eq!(term_hash(b"hello"), 0x888d_766e);
    assert_eq!(term_hash("𠀀".as_bytes()), 0x868c_4692);
    assert_eq!(shard_of(0xffff_ffff, 0), 0);
    assert_eq!(shard_of(0xffff_ffff, 10), 1023);
}

#[test]
fn scoring_formulas() {
    // Ubiquitous terms still count; rarer terms weigh more.
    assert_eq!(idf_milli(10, 10), 47);
    assert!(idf_milli(10_000, 1) > idf_milli(10_000, 100));
    assert_eq!(idf_milli(1_000_000, 1_000_000), 1);
    let avg = [10.0, 10.0, 10.0, 100.0, 3.0];
    let body_once = weight([0, 0, 0, 1, 0], [10, 0, 0, 100, 0], avg);
    let title_once = weight([1, 0, 0, 0, 0], [10, 0, 0, 100, 0], avg);
    assert!(title_once > body_once, "{title_once} {body_once}");
    assert!(
        weight([0, 0, 0, 1, 0], [10, 0, 0, 400, 0], avg) < body_once,
        "longer body, lower weight"
    );
    // Enough resolution: a heading and a title no longer both saturate at the top value.
    let heading_once = weight([0, 1, 0, 0, 0], [10, 5, 0, 100, 0], avg);
    assert!(title_once > heading_once && heading_once > body_once);
    let top = weight([15, 15, 15, 15, 15], [1, 1, 1, 1, 1], avg);
    assert!(top > 250 && top <= 255, "{top}");
    assert!(weight([0, 0, 0, 1, 0], [0, 0, 0, 100_000, 0], avg) >= 1);
}

/// A decoded term: (df, idf, postings as (id, weight)).
type Decoded = (u64, u64, Vec<(u64, u16)>);

/// Decodes a term shard into term → (df, idf, postings).
fn decode_shard(bytes: &[u8]) -> BTreeMap<String, Decoded> {
    let mut at = 0;
    let mut out = BTreeMap::new();
    let count = get_varint(bytes, &mut at).unwrap();
    for _ in 0..count {
        let len = get_varint(bytes, &mut at).unwrap() as usize;
        let term = String::from_utf8(bytes[at..at + len].to_vec()).unwrap();
        at += len;
        let df = get_varint(bytes, &mut at).unwrap();
        let idf = get_varint(bytes, &mut at).unwrap();
        let n = get_varint(bytes, &mut at).unwrap() as usize;
        let end = at + n;
        let mut post = Vec::new();
        let mut doc = 0;
        while at < end {
            let v = get_varint(bytes, &mut at).unwrap();
            let d = v >> 3;
            doc = if post.is_empty() { d } else { doc + d };
            post.push((doc, u16::from(bytes[at]) << NF | 1 << (v & 7)));
            at += 1;
        }
        assert_eq!(post.len() as u64, df);
        out.insert(term, (df, idf, post));
    }
    assert_eq!(at, bytes.len(), "trailing bytes");
    out
}

/// A larger synthetic corpus: enough terms for several shards.
pub(super) fn big_corpus(n: usize) -> Vec<SearchDoc> {
    let words = [
        "养老", "服务", "低保", "救助", "招聘", "社区", "安全", "生产", "燃气", "整治", "就业",
        "培训",
    ];
    (0..n)
        .map(|i| {
            let mut body = String::new();
            for k in 0..40 {
                let w = words[(i * 7 + k * 3) % words.len()];
                body.push_str(w);
                body.push(char::from_u32(0x4E00 + ((i * 31 + k * 17) % 3000) as u32).unwrap());
                body.push_str(&format!("{}，", (i * 13 + k) % 500));
            }
            let date = format!("20{:02}-{:02}-01", 15 + i % 10, 1 + i % 12);
            doc(
                &format!("news/{i}/"),
                &format!("第{i}号通知 {}", words[i % words.len()]),
                &date,
                "news",
                &[words[i % 3]],
                &body,
            )
        })
        .collect()
}

#[test]
fn every_term_lands_in_exactly_one_shard() {
    let docs = big_corpus(600);
    let index = Index::build(&docs);
    let dir = tempfile::tempdir().unwrap();
    let stats = index.write(dir.path()).unwrap();
    assert!(stats.shards > 1, "{stats:?}");
    let bits = stats.shards.trailing_zeros();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for s in 0..stats.shards {
        let bytes = std::fs::read(dir.path().join(format!("terms/{s}.bin"))).unwrap();
        for (term, (_, idf, post)) in decode_shard(&bytes) {
            assert_eq!(
                shard_of(term_hash(term.as_bytes()), bits) as usize,
                s,
                "{term} in the wrong shard"
            );
            assert!(
                seen.insert(term.clone(), s).is_none(),
                "{term} in two shards"
            );
            let t = index.find(&term).unwrap();
            assert_eq!(idf, u64::from(t.idf));
            // The shard keeps the weight and the first field of the mask.
            let first = |p: u16| 1u16 << (p & 31).trailing_zeros();
            let mem: Vec<(u64, u16)> = index
                .postings(t)
                .map(|(d, p)| (u64::from(d), (p >> NF) << NF | first(p)))
                .collect();
            assert_eq!(post, mem);
        }
    }
    assert_eq!(seen.len(), stats.terms);
    assert_eq!(seen.len(), index.term_count());
    // Every token of every document is findable.
    for d in &docs {
        for t in tokenize(&d.body) {
            assert!(seen.contains_key(&t.text), "{} missing", t.text);
        }
    }
}

#[test]
fn shard_sizes_are_bounded() {
    let docs = big_corpus(600);
    let dir = tempfile::tempdir().unwrap();
    let stats = write_index(&docs, dir.path()).unwrap();
    let sizes: Vec<u64> = (0..stats.shards)
        .map(|s| {
            std::fs::metadata(dir.path().join(format!("terms/{s}.bin")))
                .unwrap()
                .len()
        })
        .collect();
    let total: u64 = sizes.iter().sum();
    let avg = total / stats.shards as u64;
    assert!(avg <= TERM_SHARD_TARGET as u64, "average shard {avg} bytes");
    // The largest shard holds at most a few times the average (plus its one biggest list).
    let biggest_term = docs.len() as u64 * 3 + 16;
    assert!(
        stats.largest_shard_bytes <= 4 * avg + biggest_term,
        "{stats:?} avg {avg}"
    );
    assert_eq!(stats.largest_shard_bytes, *sizes.iter().max().unwrap());
    for s in 0..stats.docs.div_ceil(stats.docs_per_shard) {
        let len = std::fs::metadata(dir.path().join(format!("docs/{s}.json")))
            .unwrap()
            .len();
        let per_doc = TEXT_CAP_CHARS * 3 + SUMMARY_CAP_CHARS * 3 + 200;
        assert!(
            len <= (stats.docs_per_shard * per_doc) as u64,
            "docs/{s}.json: {len} bytes"
        );
    }
}

pub(super) fn read_tree(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn same_input_same_bytes_whatever_the_order() {
    let mut docs = big_corpus(300);
    docs.extend(corpus());
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    let sa = write_index(&docs, a.path()).unwrap();
    let sb = write_index(&docs, b.path()).unwrap();
    docs.reverse();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let sc = pool.install(|| write_index(&docs, c.path())).unwrap();
    assert_eq!(sa, sb);
    assert_eq!(sa, sc);
    let (ta, tb, tc) = (
        read_tree(a.path()),
        read_tree(b.path()),
        read_tree(c.path()),
    );
    assert_eq!(ta.len(), sa.files);
    assert_eq!(ta.values().map(|v| v.len() as u64).sum::<u64>(), sa.bytes);
    assert!(ta == tb, "two writes differ");
    assert!(ta == tc, "input order or thread count changed the bytes");
}

#[test]
fn manifest_and_doc_shards() {
    let docs = corpus();
    let dir = tempfile::tempdir().unwrap();
    let stats = write_index(&docs, dir.path()).unwrap();
    assert_eq!(stats.docs, docs.len());
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["version"], FORMAT_VERSION);
    assert_eq!(m["doc_count"], docs.len());
    assert_eq!(m["kinds"][0]["value"], "news");
    assert_eq!(m["kinds"][0]["label"], "工作动态");
    assert_eq!(m["years"][0]["value"], "2022");
    let per = stats.docs_per_shard;
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("docs/0.json")).unwrap()).unwrap();
    // Id 0 is the newest document.
    assert_eq!(meta[0][0], "items/d/");
    assert_eq!(meta[0][1], "养老服务补贴发放");
    assert_eq!(meta[0][2], "2022-07-01");
    assert_eq!(
        m["kinds"][meta[0][3].as_u64().unwrap() as usize]["value"],
        "item"
    );
    assert_eq!(
        m["domains"][meta[0][4][0].as_u64().unwrap() as usize]["value"],
        "养老服务"
    );
    assert_eq!(meta.as_array().unwrap().len(), per.min(docs.len()));
    assert_eq!(meta[0][6], "符合条件的老年人可申请养老服务补贴。");
}

#[test]
fn empty_index_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let stats = write_index(&[], dir.path()).unwrap();
    assert_eq!((stats.docs, stats.terms, stats.shards), (0, 0, 1));
    assert!(dir.path().join("manifest.json").is_file());
    assert!(dir.path().join("terms/0.bin").is_file());
}

#[test]
fn exact_hits_first_then_partial_ones_counted_apart() {
    let docs = corpus();
    // 养老服务: a and d hold every bigram, b only 养老 … 服务 (2 of 3): a partial hit.
    let r = search(&docs, "养老服务");
    assert_eq!(r.exact, 2);
    assert_eq!(r.hits.len(), 3);
    assert_eq!(r.hits[2].url, "news/b/");
    assert_eq!(r.hits[2].tier, rank::PARTIAL);
    // A phrase no page contains (all its bigrams nowhere together) is never exact.
    let r = search(&docs, "养老补贴发放");
    assert_eq!(r.exact, 0, "{:?}", urls(&r));
}

#[test]
fn title_then_headings_then_body_then_keywords() {
    let mut kw = doc("kw/", "街道工作动态", "2024-06-01", "news", &[], "内容");
    kw.keywords = vec!["年度报告".into()];
    let mut body = doc(
        "body/",
        "通知",
        "2024-05-01",
        "news",
        &[],
        "发布年度报告的通知",
    );
    body.headings = vec!["说明".into()];
    let title = doc(
        "title/",
        "2021年度报告",
        "2020-01-01",
        "report",
        &[],
        "正文",
    );
    let docs = vec![kw, body, title];
    let r = search(&docs, "年度报告");
    assert_eq!(urls(&r), ["title/", "body/", "kw/"]);
    let tiers: Vec<u8> = r.hits.iter().map(|h| h.tier).collect();
    assert_eq!(tiers, [0, 3, 4]);
}

#[test]
fn a_query_naming_a_kind_lifts_it() {
    let docs = vec![
        doc(
            "news/",
            "年度报告发布会召开",
            "2024-01-01",
            "news",
            &[],
            "年度报告",
        ),
        doc(
            "report/",
            "2023年政府信息公开工作年度报告",
            "2023-01-01",
            "report",
            &[],
            "正文",
        ),
    ];
    for q in ["年度报告", "年报"] {
        let r = search(&docs, q);
        assert_eq!(r.hits[0].url, "report/", "{q}");
    }
}

#[test]
fn synonyms_and_traditional_characters() {
    let docs = corpus();
    // 低保 is also in items/c's title; 最低生活保障 finds it through the synonym too.
    let r = search(&docs, "最低生活保障");
    assert_eq!(r.expanded, ["低保"]);
    assert_eq!(urls(&r), ["items/c/"]);
    let docs = vec![
        doc("a/", "最低生活保障申请", "2024-01-01", "item", &[], "正文"),
        doc("b/", "養老服務", "2023-01-01", "news", &[], "社區養老"),
    ];
    let r = search(&docs, "低保");
    assert_eq!((urls(&r), r.exact), (vec!["a/".to_string()], 1));
    assert_eq!(r.expanded, ["最低生活保障"]);
    assert_eq!(urls(&search(&docs, "养老服务")), ["b/"]);
    assert_eq!(urls(&search(&docs, "養老")), ["b/"]);
    // Site synonyms extend the default table.
    let opts = IndexOptions {
        synonyms: vec![vec!["养老".into(), "敬老".into()]],
        ..IndexOptions::default()
    };
    let index = Index::build_with(&docs, &opts);
    assert_eq!(index.search("敬老", &Filters::default()).hits.len(), 1);
}

#[test]
fn measures_and_mixed_tokens_match_whole() {
    let docs = vec![
        doc(
            "a/",
            "索引号 2021-00001",
            "2024-01-01",
            "news",
            &[],
            "老年人活动",
        ),
        doc("b/", "2021年工作总结", "2022-01-01", "report", &[], "全年"),
        doc(
            "c/",
            "第5批名单",
            "2022-01-01",
            "news",
            &[],
            "PM2.5浓度下降",
        ),
    ];
    assert_eq!(urls(&search(&docs, "2021年")), ["b/"]);
    assert_eq!(urls(&search(&docs, "PM2.5")), ["c/"]);
    assert_eq!(urls(&search(&docs, "第5批")), ["c/"]);
    assert!(search(&docs, "pm2").hits.is_empty());
}

#[test]
fn domains_follow_the_catalog_order() {
    let docs = corpus();
    let opts = IndexOptions {
        domain_order: vec!["就业创业".into(), "社会救助".into(), "养老服务".into()],
        ..IndexOptions::default()
    };
    let index = Index::build_with(&docs, &opts);
    let names: Vec<&str> = index
        .facets
        .domains
        .iter()
        .map(|f| f.value.as_str())
        .collect();
    assert_eq!(names, ["就业创业", "社会救助", "养老服务"]);
}

#[test]
fn present_bigrams_of_an_absent_phrase_are_not_exact() {
    // 便民服务站: every bigram is in `apart/` (便民服务中心 … 养老服务站), the phrase only in `real/`.
    let apart = doc(
        "apart/",
        "便民服务中心",
        "2024-02-01",
        "news",
        &[],
        "养老服务站开放",
    );
    let real = doc(
        "real/",
        "通知",
        "2024-01-01",
        "news",
        &[],
        "新建便民服务站三处",
    );
    let mut kw = doc("kw/", "通知", "2023-01-01", "news", &[], "正文");
    kw.keywords = vec!["便民服务站".into()];
    let docs = vec![apart, real, kw];
    let r = search(&docs, "便民服务站");
    assert_eq!(r.exact, 2, "{r:?}");
    assert_eq!(urls(&r), ["real/", "kw/", "apart/"]);
    assert_eq!(r.hits[2].tier, rank::PARTIAL);
    // A single bigram, a word or a measure needs no check.
    assert_eq!(search(&docs, "便民").exact, 3);
}

#[test]
fn the_search_page_checks_a_bounded_number_of_candidates_per_page() {
    // 30 pages hold every bigram of 便民服务站 in their titles, apart; one holds the phrase in
    // its body, so it ranks last among the candidates.
    let mut docs: Vec<SearchDoc> = (0..30)
        .map(|i| {
            doc(
                &format!("apart/{i:02}/"),
                "便民服务中心 养老服务站",
                "2024-02-01",
                "news",
                &[],
                "正文",
            )
        })
        .collect();
    docs.push(doc(
        "real/",
        "通知",
        "2020-01-01",
        "news",
        &[],
        "新建便民服务站",
    ));
    let index = Index::build(&docs);
    let full = index.search("便民服务站", &Filters::default());
    assert_eq!(full.exact, 1);
    assert_eq!(full.hits[0].url, "real/");
    let mut r = index.ranked("便民服务站", &Filters::default());
    let mut loads = 0;
    // First page: at most two pages' worth of documents loaded; no exact hit known yet, so the
    // page shows candidates that failed the check, as partial hits; nothing unchecked.
    let page = r.next_page(&index, &mut |_| loads += 1);
    assert_eq!(loads, rank::CHECK_LIMIT);
    assert!(!r.done() && r.exact() == 0);
    assert_eq!(page.len(), PAGE_SIZE);
    assert!(
        page.iter()
            .all(|h| h.tier == rank::PARTIAL && h.url.starts_with("apart/"))
    );
    let mut seen: Vec<String> = page.iter().map(|h| h.url.clone()).collect();
    // Going on settles the rest: the exact hit, then partial hits not shown yet.
    let page = r.next_page(&index, &mut |_| loads += 1);
    assert_eq!(loads, 31);
    assert!(r.done());
    assert_eq!(page[0].url, "real/");
    assert_eq!(page.len(), PAGE_SIZE);
    assert!(page[1..].iter().all(|h| h.tier == rank::PARTIAL));
    seen.extend(page.iter().map(|h| h.url.clone()));
    while seen.len() < full.hits.len() {
        let page = r.next_page(&index, &mut |_| loads += 1);
        assert!(!page.is_empty());
        seen.extend(page.iter().map(|h| h.url.clone()));
    }
    // Every hit shown once.
    let mut all: Vec<String> = full.hits.iter().map(|h| h.url.clone()).collect();
    all.sort();
    seen.sort();
    assert_eq!(seen, all);
    assert!(r.next_page(&index, &mut |_| loads += 1).is_empty());
}
