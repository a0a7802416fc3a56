//! The search index of `portal build` (built one document at a time while pages are rendered,
//! issue 13) has the same bytes as the preview's index (built at once from the last good
//! build's documents, off the path between a save and the reload).

use std::collections::BTreeMap;
use std::path::Path;

use portal::build::{BuildOptions, build};
use portal::incremental::{Session, SessionOptions, UpdateKind, prepare_search_index_with};

/// The files of the search index under `output` (the search page itself excepted).
fn index_files(output: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::common::snapshot_tree(&output.join("search"))
        .into_iter()
        .filter(|(rel, _)| rel != "index.html")
        .collect()
}

#[test]
fn build_index_equals_preview_index() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    crate::common::copy_tree(&repo.join("content"), &root.join("content"));
    crate::common::copy_tree(&repo.join("themes"), &root.join("themes"));
    let full = tmp.path().join("full");
    let opts = BuildOptions {
        root: root.clone(),
        output: Some(full.clone()),
        base_url: None,
        drafts: false,
        force: false,
    };
    build(&opts).unwrap_or_else(|e| panic!("the build fails: {e}"));

    let preview = tmp.path().join("preview");
    let mut session = Session::new(SessionOptions {
        root,
        output: preview.clone(),
        origin: None,
        drafts: false,
    });
    assert_eq!(session.update(&[]).unwrap().kind, UpdateKind::Full);
    let job = session.search_job().expect("a good build");
    let options = job.options().clone();
    let docs = job.into_docs();
    prepare_search_index_with(&docs, &options, &preview)
        .and_then(|fresh| fresh.install(&preview))
        .unwrap();

    let (built, previewed) = (index_files(&full), index_files(&preview));
    assert!(
        built.contains_key("manifest.json") && built.len() > 20,
        "{:?}",
        built.keys()
    );
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        previewed.keys().collect::<Vec<_>>()
    );
    for (rel, bytes) in &built {
        assert!(&previewed[rel] == bytes, "search/{rel} differs");
    }
}
