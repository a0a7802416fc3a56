//! The one-pass minifier (`portal::output::fast_minify`) against minify-html: on every page of
//! the example site and of a sample of the benchmark corpus (`tests/fixtures/corpus-sample`,
//! 60 pages of `gen_corpus.py`), both write the same bytes.

use std::path::Path;

use crate::common::{Site, standalone_fixture};

/// Every HTML page the build writes, unminified: `(path, html)`.
fn raw_pages(root: &Path) -> Vec<(String, String)> {
    let (site, diags) = portal::pipeline::load_site(root, None, false);
    let site = site.unwrap_or_else(|| panic!("site loads: {diags:?}"));
    let theme = portal::render::Theme::load(root, &site).expect("theme loads");
    let out = tempfile::tempdir().unwrap();
    let staging = portal::output::Staging::new(&out.path().join("public"))
        .unwrap()
        .without_minify();
    portal::pipeline::write_site(&site, &theme, &staging, root).expect("site writes");
    let mut pages = Vec::new();
    for e in walkdir::WalkDir::new(&staging.dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "html") {
            let rel = e.path().strip_prefix(&staging.dir).unwrap();
            pages.push((
                rel.display().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            ));
        }
    }
    pages
}

/// Compares the two minifiers on every page of the site at `root`; returns how many pages the
/// one-pass minifier handled itself.
fn compare(root: &Path) -> (usize, usize) {
    let pages = raw_pages(root);
    let mut fast = 0;
    for (rel, html) in &pages {
        let full = portal::output::minify_full(html);
        let mut out = Vec::new();
        if portal::output::fast_minify::minify_into(html.as_bytes(), &mut out).is_ok() {
            fast += 1;
            assert!(
                out == full,
                "{rel}: the minifiers differ\n{}\n{}",
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&full)
            );
        }
        // Whichever minifier wrote it, the page is minify-html's.
        assert!(portal::output::minify(html) == full, "{rel}");
    }
    (fast, pages.len())
}

#[test]
fn one_pass_minifier_writes_minify_html_bytes_on_the_example_site() {
    let site = Site::example();
    let (fast, all) = compare(site.root());
    assert!(all > 50, "{all} pages");
    // Pages with a `style` attribute (aligned table columns) go to minify-html.
    assert!(
        fast * 10 >= all * 9,
        "{fast} of {all} pages minified in one pass"
    );
}

#[test]
fn one_pass_minifier_writes_minify_html_bytes_on_a_corpus_sample() {
    let site = standalone_fixture("corpus-sample");
    let (fast, all) = compare(site.path());
    assert!(all >= 60, "{all} pages");
    assert_eq!(fast, all, "every corpus page minified in one pass");
}
