//! The streamed index ([`IndexBuilder`]) writes the same bytes as the index built from all
//! documents at once ([`write_index_with`]).

use std::collections::BTreeSet;

use super::test_corpus::corpus;
use super::tests::{big_corpus, read_tree};
use super::{IndexBuilder, IndexOptions, SearchDoc, write_index_with};

/// Writes `docs` both ways (the builder fed in `feed` order, from rayon's threads) and asserts
/// that every file has the same bytes.
fn both_ways(docs: &[SearchDoc], feed: &[usize], options: &IndexOptions) {
    use rayon::prelude::*;
    let (a, b, spill) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let sa = write_index_with(docs, a.path(), options).unwrap();
    let builder = IndexBuilder::new(spill.path(), options).unwrap();
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
}

#[test]
fn streamed_index_of_few_documents() {
    both_ways(&[], &[], &IndexOptions::default());
    let mut one = corpus();
    one.truncate(1);
    one[0].body = "  Latin words, 1234 与中文 \u{20000}𠀀 ".repeat(300);
    both_ways(&one, &[0], &IndexOptions::default());
}
