//! `check` on a site loaded lean, as `portal check` loads it: the rules that read a page's
//! Markdown run on the body read again as its page is rendered.

use std::path::Path;
use std::time::Instant;

use super::*;

/// `tests/fixtures/check-<name>/content` and the project's themes, in a temporary folder.
fn fixture(name: &str) -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for (from, to) in [
        (
            repo.join(format!("tests/fixtures/check-{name}/content")),
            tmp.path().join("content"),
        ),
        (repo.join("themes"), tmp.path().join("themes")),
    ] {
        for e in walkdir::WalkDir::new(&from) {
            let e = e.unwrap();
            let dest = to.join(e.path().strip_prefix(&from).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    }
    tmp
}

fn options(root: &Path) -> CheckOptions {
    CheckOptions {
        root: root.to_path_buf(),
        as_of: Date::parse("2022-01-14").unwrap(),
        external: false,
        previous: None,
    }
}

/// The site at `root` loaded lean as `portal check` loads it, its page `rel` checked to hold no body.
fn load_lean(root: &Path, rel: &str) -> (Option<Site>, Diagnostics) {
    let (site, diags) = crate::pipeline::load_site_lean_within(root, None, false, 0);
    let s = site.as_ref().expect("the fixture loads");
    let p = &s.pages[s.by_rel[rel]];
    assert!(p.source.body_on_disk && p.source.body.is_empty());
    (site, diags)
}

/// `(rule, line, column)` of the findings on `file`.
fn on(report: &CheckReport, file: &str) -> Vec<(&'static str, Option<usize>, Option<usize>)> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.file.as_deref() == Some(Path::new(file)))
        .map(|d| (d.rule, d.line, d.column))
        .collect()
}

#[test]
fn markdown_rules_run_on_the_body_read_again() {
    let tmp = fixture("markdown");
    let rel = "items/social-assistance/pitfalls.md";
    let (site, diags) = load_lean(tmp.path(), rel);
    let report = check_loaded(&options(tmp.path()), site, diags, Instant::now());
    let found = on(&report, &format!("content/{rel}"));
    assert!(
        found.contains(&("markdown/cjk-emphasis", Some(7), Some(6))),
        "{found:?}"
    );
    assert!(
        found.contains(&("markdown/bare-url", Some(9), Some(4))),
        "{found:?}"
    );
}

#[test]
fn a_link_whose_line_says_the_target_is_repealed_is_judged_on_the_body_read_again() {
    let tmp = fixture("validity");
    let rel = "items/social-assistance/current.md";
    let (site, diags) = load_lean(tmp.path(), rel);
    let report = check_loaded(&options(tmp.path()), site, diags, Instant::now());
    // Line 9 links the repealed item without saying so; line 11 says 已废止 (and `related:` on 5).
    let found = on(&report, &format!("content/{rel}"));
    assert_eq!(
        found,
        [
            ("validity/links-invalid", Some(5), None),
            ("validity/links-invalid", Some(9), None)
        ]
    );
}

#[test]
fn a_page_changed_between_load_and_render_is_an_error_not_a_silent_pass() {
    let tmp = fixture("markdown");
    let rel = "items/social-assistance/pitfalls.md";
    let (site, diags) = load_lean(tmp.path(), rel);
    let path = tmp.path().join("content").join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("title: 中文", "title: 改过的")).unwrap();
    let report = check_loaded(&options(tmp.path()), site, diags, Instant::now());
    let found = on(&report, &format!("content/{rel}"));
    assert!(report.failed(false));
    // Reported once, and the Markdown rules did not run on a body the model did not load.
    assert_eq!(
        found
            .iter()
            .filter(|f| f.0 == "load/changed-during-build")
            .count(),
        1,
        "{found:?}"
    );
    assert!(
        found.iter().all(|f| !f.0.starts_with("markdown/")),
        "{found:?}"
    );
}

#[test]
fn a_page_changed_while_no_theme_renders_it_is_still_reported() {
    // Without a theme the output is not built: each page is rendered for the rules alone, its
    // body read again there.
    let tmp = fixture("markdown");
    let rel = "items/social-assistance/pitfalls.md";
    let (site, diags) = load_lean(tmp.path(), rel);
    std::fs::remove_dir_all(tmp.path().join("themes")).unwrap();
    let path = tmp.path().join("content").join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let report = check_loaded(&options(tmp.path()), site, diags, Instant::now());
    let found = on(&report, &format!("content/{rel}"));
    assert!(
        found.contains(&("markdown/cjk-emphasis", Some(7), Some(6))),
        "{found:?}"
    );
    let (site, diags) = load_lean(tmp.path(), rel);
    std::fs::write(&path, text.replace("date: 2022-01-06", "date: 2022-01-07")).unwrap();
    let report = check_loaded(&options(tmp.path()), site, diags, Instant::now());
    let found = on(&report, &format!("content/{rel}"));
    assert!(
        found.contains(&("load/changed-during-build", None, None)),
        "{found:?}"
    );
}

#[test]
fn the_example_is_checked_alike_from_bodies_loaded_or_read_again() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (lean, diags) = crate::pipeline::load_site_lean_within(root, None, false, 0);
    let mut lean = lean.expect("the example loads");
    let reports = lean.pages.iter().filter(|p| !p.source.body_on_disk).count();
    assert!(
        reports > 0 && reports < lean.pages.len(),
        "the model reads the reports' bodies, and only theirs"
    );
    crate::pipeline::leave_bodies_on_disk(&mut lean);
    assert!(
        lean.pages
            .iter()
            .all(|p| p.source.body_on_disk && p.source.body.is_empty())
    );
    let opts = options(root);
    let from_disk = check_loaded(&opts, Some(lean), diags, Instant::now());
    let (full, diags) = crate::pipeline::load_site(root, None, false);
    assert!(
        full.as_ref()
            .unwrap()
            .pages
            .iter()
            .all(|p| !p.source.body_on_disk)
    );
    let loaded = check_loaded(&opts, full, diags, Instant::now());
    assert!(from_disk.warnings() > 0);
    assert_eq!(
        from_disk.diagnostics.iter().collect::<Vec<_>>(),
        loaded.diagnostics.iter().collect::<Vec<_>>()
    );
}

#[test]
fn the_preview_findings_of_a_page_left_on_disk_are_those_of_its_body() {
    let tmp = fixture("markdown");
    let root = tmp.path();
    let as_of = Date::parse("2022-01-14").unwrap();
    let (full, _) = crate::pipeline::load_site(root, None, false);
    let full = full.expect("the fixture loads");
    let (lean, _) = crate::pipeline::load_site_lean_within(root, None, false, 0);
    let lean = lean.expect("the fixture loads lean");
    let mut compared = 0;
    for (i, p) in lean.pages.iter().enumerate() {
        assert_eq!(p.source.rel, full.pages[i].source.rel);
        if p.source.body_on_disk {
            let paths = crate::load::SitePaths::new(root);
            let found = page_findings(&lean, i, &paths, as_of);
            assert_eq!(
                found,
                page_findings(&full, i, &paths, as_of),
                "{}",
                p.source.rel
            );
            compared += usize::from(!found.is_empty());
        }
    }
    assert!(compared > 0, "no page left on disk has findings");
}
