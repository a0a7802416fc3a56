//! The default theme in a real browser. The example portal, built for a sub-path and served by a
//! plain static server, is checked in Debian's headless Chromium:
//!
//! - `axe_wcag21aa_in_all_modes` (`tests/a11y/audit.mjs`): axe-core's WCAG 2.0/2.1 A and AA rules
//!   and landmark rules on every page type, each in the normal look, 长者模式 and 高对比度; focus
//!   visibility with 3:1 contrast; a keyboard walk (skip link first, forward order, on screen);
//!   reflow at 320 CSS px; the toolbar hidden with JavaScript off.
//! - `phone_print_and_screenshots` (`tests/a11y/layout.mjs`): the 375×667 phone layout (header
//!   ≤ 25 % of the screen, no one-character columns, report tables with a scroll hint and a
//!   sticky first column), A4 print (no clipped table, no forced blank page, link addresses),
//!   上一篇/下一篇 and 打印本页; the toolbar by keyboard alone (字号＋, 长者模式, remembered on
//!   the next page, 恢复默认); it saves screenshots under `target/screenshots/`.
//!
//! This file has its own harness (libtest-mimic) so that missing prerequisites are reported, not
//! passed: without `tests/a11y/node_modules` it runs `npm ci --prefix tests/a11y` itself first;
//! without chromium or node (or when that install fails) both tests are listed as **ignored**
//! and the reason is printed. Under `CI=true` a missing prerequisite fails instead.

#[path = "it/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{repo, serve_example, text};
use libtest_mimic::{Arguments, Failed, Trial};

/// Pages of the example portal (relative to the base URL), one of each template.
const PAGES: &[&str] = &[
    "",
    "catalog/",
    "catalog/elderly-care/",
    "catalog/elderly-care/effective/",
    "catalog/social-assistance/",
    "items/elderly-care/home-based-care/",
    "news/2021-09-09-red-elderly-care-station/",
    "news/",
    "news/page/2/",
    "news/2021/",
    "reports/",
    "reports/2021/",
    "guide/",
    "apply/",
    "apply-form/",
    "sitemap/",
    "search/?q=%E5%85%BB%E8%80%81",
    "404.html",
];

/// The headless browser, if installed.
fn find_chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Why the browser tests cannot run here, if they cannot (after installing the npm packages
/// when they are missing).
fn prerequisites(audit_dir: &Path) -> Result<PathBuf, String> {
    let chrome = find_chromium()
        .ok_or("chromium is not installed (apt-get install -y chromium)".to_string())?;
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => return Err("node is not installed (apt-get install -y nodejs npm)".into()),
    }
    let installed = |dir: &Path| {
        ["axe-core", "playwright-core"].iter().all(|p| {
            dir.join("node_modules")
                .join(p)
                .join("package.json")
                .exists()
        })
    };
    if !installed(audit_dir) {
        println!("tests/a11y/node_modules is missing: running npm ci --prefix tests/a11y");
        let out = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--prefix"])
            .arg(audit_dir)
            .output();
        match out {
            Ok(o) if o.status.success() && installed(audit_dir) => {}
            Ok(o) => {
                return Err(format!(
                    "npm ci --prefix tests/a11y failed:\n{}",
                    text(&o).trim()
                ));
            }
            Err(e) => return Err(format!("npm could not be started ({e})")),
        }
    }
    Ok(chrome)
}

/// Runs `node tests/a11y/<script> args…`; the test fails unless it exits 0 and prints `ok_line`.
fn run_node(chrome: &Path, script: &str, args: &[String], ok_line: &str) -> Result<(), Failed> {
    let out = Command::new("node")
        .arg(repo().join("tests/a11y").join(script))
        .args(args)
        .env("CHROMIUM", chrome)
        .output()
        .map_err(|e| Failed::from(format!("node could not be started: {e}")))?;
    let report = text(&out);
    println!("{report}");
    if !out.status.success() || !report.contains(ok_line) {
        return Err(format!("{script} found problems (or failed to run):\n{report}").into());
    }
    Ok(())
}

fn axe_wcag21aa_in_all_modes(chrome: &Path) -> Result<(), Failed> {
    let (site, _server, base) = serve_example();
    let served = site.root().join("served");
    for page in PAGES {
        let file = page.split('?').next().unwrap_or_default();
        let file = if file.is_empty() || file.ends_with('/') {
            format!("{file}index.html")
        } else {
            file.to_string()
        };
        if !served.join("yangyuan").join(&file).is_file() {
            return Err(
                format!("the example portal has no {file}: update PAGES in tests/a11y.rs").into(),
            );
        }
    }
    let urls: Vec<String> = PAGES.iter().map(|p| format!("{base}{p}")).collect();
    run_node(chrome, "audit.mjs", &urls, "no accessibility violations")
}

fn phone_print_and_screenshots(chrome: &Path) -> Result<(), Failed> {
    let (_site, _server, base) = serve_example();
    let shots = repo().join("target").join("screenshots");
    let args = vec![shots.to_string_lossy().into_owned(), base];
    run_node(chrome, "layout.mjs", &args, "no layout problems")?;
    for name in ["home", "catalog", "domain", "item", "report", "search"] {
        for file in [
            format!("{name}-1280-normal.png"),
            format!("{name}-375-elder.png"),
        ] {
            if !shots.join(&file).is_file() {
                return Err(format!("no screenshot target/screenshots/{file}").into());
            }
        }
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let names = ["axe_wcag21aa_in_all_modes", "phone_print_and_screenshots"];
    // Listing the tests must not install anything.
    let ready = if args.list {
        Err("not checked while listing".to_string())
    } else {
        prerequisites(&repo().join("tests/a11y"))
    };
    let ci = std::env::var("CI").as_deref() == Ok("true");
    let trials: Vec<Trial> = match ready {
        Ok(chrome) => {
            let c2 = chrome.clone();
            vec![
                Trial::test(names[0], move || axe_wcag21aa_in_all_modes(&chrome)),
                Trial::test(names[1], move || phone_print_and_screenshots(&c2)),
            ]
        }
        Err(why) if ci && !args.list => names
            .iter()
            .map(|n| {
                let why = why.clone();
                Trial::test(*n, move || {
                    Err(format!("CI=true but the browser test cannot run: {why}").into())
                })
            })
            .collect(),
        Err(why) => {
            if !args.list {
                println!("browser tests SKIPPED (reported as ignored): {why}");
            }
            names
                .iter()
                .map(|n| {
                    let why = why.clone();
                    // Forced with --ignored, it fails with the reason rather than pass.
                    Trial::test(*n, move || Err(why.into())).with_ignored_flag(true)
                })
                .collect()
        }
    };
    libtest_mimic::run(&args, trials).exit();
}
