//! WCAG 2.1 AA audit of the default theme in a real browser: the example portal, built for a
//! sub-path and served by a plain static server, is checked page by page with axe-core in
//! Debian's headless Chromium (`tests/a11y/audit.mjs`: axe's wcag2a/wcag2aa/wcag21a/wcag21aa
//! rules and landmark rules, plus focus visibility with 3:1 contrast, the labelled header search
//! form, `lang`, and reflow at 320 CSS px). Any violation fails the test and is printed.
//!
//! Needs chromium, node and `npm ci --prefix tests/a11y`; without them the test is skipped,
//! except under `CI=true`, where it fails.

mod common;

use std::path::Path;
use std::process::Command;

use common::{chromium, repo, serve_example, text};

/// Pages of the example portal (relative to the base URL), one of each template.
const PAGES: &[&str] = &[
    "",
    "catalog/",
    "catalog/elderly-care/",
    "catalog/social-assistance/",
    "items/elderly-care/home-based-care/",
    "news/2021-09-09-red-elderly-care-station/",
    "news/",
    "news/page/2/",
    "reports/",
    "reports/2021/",
    "guide/",
    "search/?q=%E5%85%BB%E8%80%81",
    "404.html",
];

fn missing(what: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but {what}");
    }
    eprintln!("skipping: {what}");
}

/// `node`, if it runs.
fn node() -> Option<()> {
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => Some(()),
        _ => {
            missing("node is not installed (apt-get install -y nodejs)");
            None
        }
    }
}

/// The audit's npm dependencies, if installed.
fn node_modules(dir: &Path) -> Option<()> {
    for pkg in ["axe-core", "playwright-core"] {
        if !dir
            .join("node_modules")
            .join(pkg)
            .join("package.json")
            .exists()
        {
            missing(&format!(
                "tests/a11y/node_modules/{pkg} is missing (npm ci --prefix tests/a11y --no-audit --no-fund)"
            ));
            return None;
        }
    }
    Some(())
}

#[test]
fn default_theme_passes_wcag_2_1_aa_in_a_real_browser() {
    let Some(chrome) = chromium() else { return };
    let Some(()) = node() else { return };
    let audit_dir = repo().join("tests/a11y");
    let Some(()) = node_modules(&audit_dir) else {
        return;
    };

    let (site, _server, base) = serve_example();
    let served = site.root().join("served");
    for page in PAGES {
        let file = page.split('?').next().unwrap();
        let file = if file.is_empty() || file.ends_with('/') {
            format!("{file}index.html")
        } else {
            file.to_string()
        };
        assert!(
            served.join("yangyuan").join(&file).is_file(),
            "the example portal has no {file}: update PAGES in tests/a11y.rs"
        );
    }

    let out = Command::new("node")
        .arg(audit_dir.join("audit.mjs"))
        .args(PAGES.iter().map(|p| format!("{base}{p}")))
        .env("CHROMIUM", &chrome)
        .output()
        .unwrap();
    let report = text(&out);
    println!("{report}");
    assert!(
        out.status.success(),
        "accessibility violations (or the audit failed to run):\n{report}"
    );
    assert!(
        report.contains("no accessibility violations"),
        "unexpected audit output:\n{report}"
    );
}
