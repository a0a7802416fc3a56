//! The streamed index ([`IndexBuilder`]) writes the same bytes as the index built from all
//! documents at once ([`write_index_with`]).

use std::collections::BTreeSet;

use super::test_corpus::corpus;
use super::tests::{big_corpus, read_tree};
use super::{IndexBuilder, IndexOptions, SearchDoc, write_index_with};

/// Writes `docs` both ways (the builder fed in `feed` order, from rayon's threads) and asserts
/// that every file has the same bytes.
fn both_ways(docs: &[SearchDoc], feed: &[usize], options: &IndexOptions) {
    both_ways_expecting(docs, feed, options, 0);
}

/// [`both_ways`] with a builder made for `expected` documents (more inversion groups).
fn both_ways_expecting(
    docs: &[SearchDoc],
    feed: &[usize],
    options: &IndexOptions,
    expected: usize,
) {
    use rayon::prelude::*;
    let (a, b, spill) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let sa = write_index_with(docs, a.path(), options).unwrap();
    let builder = IndexBuilder::for_docs(spill.path(), options, expected).unwrap();
    feed.par_iter()
        .for_each(|&i| builder.add(i as u32, docs[i].clone()));
    assert_eq!(builder.len(), docs.len());
    // The spill file is unlinked at once: nothing is left in its folder.
    assert_eq!(std::fs::read_dir(spill.path()).unwrap().count(), 0);
    let index = builder.finish().unwrap();
    let sb = index.write(b.path()).unwrap();
    assert_eq!(sa, sb);
    let (ta, tb) = (read_tree(a.path()), read_tree(b.path()));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (name, bytes) in &ta {
        assert!(&tb[name] == bytes, "{name} differs");
    }
    assert!(ta.len() >= 4, "{:?}", ta.keys());
}

fn unique_urls(docs: &[SearchDoc]) -> bool {
    docs.iter().map(|d| &d.url).collect::<BTreeSet<_>>().len() == docs.len()
}

#[test]
fn streamed_index_is_byte_identical() {
    let mut docs = corpus();
    docs.extend(big_corpus(700));
    assert!(unique_urls(&docs));
    let n = docs.len();
    let forward: Vec<usize> = (0..n).collect();
    both_ways(&docs, &forward, &IndexOptions::default());
    // Any order of arrival, with the site's synonyms and catalog order.
    let shuffled: Vec<usize> = (0..n).map(|i| (i * 337 + 11) % n).collect();
    assert_eq!(shuffled.iter().collect::<BTreeSet<_>>().len(), n);
    let options = IndexOptions {
        synonyms: vec![vec!["养老".into(), "敬老".into()]],
        domain_order: vec!["社会救助".into(), "养老服务".into()],
    };
    both_ways(&docs, &shuffled, &options);
    // A builder made for a larger site inverts in 64, 128 or 256 groups: the same bytes.
    both_ways_expecting(&docs, &shuffled, &options, 50_000);
    both_ways_expecting(&docs, &shuffled, &options, 200_000);
    both_ways_expecting(&docs, &forward, &IndexOptions::default(), 10_000_000);
}

#[test]
fn larger_indexes_are_inverted_in_more_groups() {
    use super::stream::group_bits_for;
    let bits: Vec<u32> = [
        0, 10_000, 24_999, 25_000, 53_027, 199_999, 200_000, 212_037, 400_000, 10_000_000,
    ]
    .map(group_bits_for)
    .to_vec();
    assert_eq!(bits, [5, 5, 5, 6, 6, 6, 7, 7, 8, 8]);
}

#[test]
fn streamed_index_of_few_documents() {
    both_ways(&[], &[], &IndexOptions::default());
    let mut one = corpus();
    one.truncate(1);
    one[0].body = "  Latin words, 1234 与中文 \u{20000}𠀀 ".repeat(300);
    both_ways(&one, &[0], &IndexOptions::default());
}

/// Documents whose words are all different, so the terms fill many shards (more than the
/// inversion groups) and every group has terms of its own.
fn many_terms(n: usize, words_per_doc: usize) -> Vec<SearchDoc> {
    (0..n)
        .map(|i| {
            let body: Vec<String> = (0..words_per_doc)
                .map(|k| format!("w{i}x{k} {}", i * words_per_doc + k))
                .collect();
            SearchDoc {
                url: format!("items/{i}/"),
                title: format!("事项{i} 第{}号", i % 97),
                date: Some(format!("2021-{:02}-{:02}", i % 12 + 1, i % 28 + 1)),
                kind: "item".into(),
                kind_label: "公开事项".into(),
                domains: vec![["社会救助", "养老服务"][i % 2].into()],
                body: body.join(" "),
                ..SearchDoc::default()
            }
        })
        .collect()
}

fn manifest_bits(dir: &std::path::Path) -> u64 {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    m["terms"]["bits"].as_u64().unwrap()
}

#[test]
fn streamed_index_over_many_shards_is_byte_identical() {
    let docs = many_terms(1500, 40);
    let n = docs.len();
    let shuffled: Vec<usize> = (0..n).map(|i| (i * 7 + 3) % n).collect();
    both_ways(&docs, &shuffled, &IndexOptions::default());
    // The shards are more than the 32 groups: each group's records are cut into shards.
    let (out, spill) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let builder = IndexBuilder::new(spill.path(), &IndexOptions::default()).unwrap();
    for (i, d) in docs.into_iter().enumerate() {
        builder.add(i as u32, d);
    }
    builder.finish().unwrap().write(out.path()).unwrap();
    assert!(
        manifest_bits(out.path()) > 5,
        "{}",
        manifest_bits(out.path())
    );
}

#[test]
fn one_huge_document_streams_like_the_whole_index() {
    let mut docs = many_terms(1, 30_000);
    docs[0].body.push_str(&"养老服务 低保救助 ".repeat(5000));
    both_ways(&docs, &[0], &IndexOptions::default());
}

#[test]
fn no_spill_file_is_left_after_finishing_or_failing() {
    let docs = many_terms(200, 10);
    let spill = tempfile::tempdir().unwrap();
    let empty = |p: &std::path::Path| std::fs::read_dir(p).unwrap().count() == 0;
    // A write that fails (the output folder is a file): an error, and no spill file left.
    let builder = IndexBuilder::new(spill.path(), &IndexOptions::default()).unwrap();
    for (i, d) in docs.iter().enumerate() {
        builder.add(i as u32, d.clone());
    }
    assert!(empty(spill.path()));
    let index = builder.finish().unwrap();
    assert!(empty(spill.path()));
    let blocker = tempfile::NamedTempFile::new().unwrap();
    assert!(index.write(blocker.path()).is_err());
    drop(index);
    assert!(empty(spill.path()));
    // A spill folder that does not exist: an error at once, nothing created.
    let gone = spill.path().join("gone");
    assert!(IndexBuilder::new(&gone, &IndexOptions::default()).is_err());
    assert!(!gone.exists());
    assert!(empty(spill.path()));
}

#[test]
fn a_document_entry_is_the_json_serde_writes_whatever_its_text() {
    use super::stream::entry_tail;
    use super::write::{stored_summary, stored_text};
    let texts = [
        "",
        "杨园街道 政府信息公开",
        "引号\"与\\反斜杠",
        "控制\u{1}字符\u{1f}与\u{7f}",
        "  空白\n\t折叠  ",
        "😀 emoji “全角引号” </script>",
    ];
    for (i, t) in texts.iter().enumerate() {
        let d = SearchDoc {
            summary: texts[(i + 1) % texts.len()].to_string(),
            body: t.repeat(400),
            keywords: texts.iter().take(i).map(|s| s.to_string()).collect(),
            ..SearchDoc::default()
        };
        let reference = serde_json::to_string(&(
            stored_summary(&d.summary),
            stored_text(&d.body),
            &d.keywords,
        ))
        .unwrap();
        assert_eq!(entry_tail(&d), reference[1..reference.len() - 1], "{t:?}");
    }
}
