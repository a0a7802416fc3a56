//! `portal check`, end to end: the built binary on one fixture site per rule
//! (`tests/fixtures/check-<rule>/`, copied with the project's theme into a temporary folder), on
//! the example site, and in its three output formats.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder: a fixture's `content/` plus the project's `themes/`.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn fixture(name: &str) -> Site {
        Site::from_content(
            &repo()
                .join("tests/fixtures")
                .join(format!("check-{name}"))
                .join("content"),
        )
    }

    fn from_content(content: &Path) -> Site {
        let dir = tempfile::tempdir().unwrap();
        crate::common::copy_tree(content, &dir.path().join("content"));
        crate::common::copy_tree(&repo().join("themes"), &dir.path().join("themes"));
        Site { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn check(&self, args: &[&str]) -> Run {
        run_check(self.root(), args)
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

fn portal(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run_check(root: &Path, args: &[&str]) -> Run {
    let root = root.to_str().unwrap();
    let mut all = vec!["check", "--root", root];
    all.extend_from_slice(args);
    portal(&all)
}

/// `check --format json --as-of 2022-01-20` on fixture `name`: (exit code, report).
fn json_of(name: &str, extra: &[&str]) -> (i32, Value) {
    let site = Site::fixture(name);
    let mut args = vec!["--format", "json", "--as-of", "2022-01-20"];
    args.extend_from_slice(extra);
    let run = site.check(&args);
    (run.code, run.json())
}

fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// Asserts a finding `rule` at `file:line` with `severity`, and returns it.
#[track_caller]
fn assert_finding<'a>(
    report: &'a Value,
    rule: &str,
    severity: &str,
    file: &str,
    line: u64,
) -> &'a Value {
    findings(report, rule)
        .into_iter()
        .find(|f| f["file"] == file && f["line"] == line)
        .inspect(|f| {
            assert_eq!(f["severity"], severity, "{f}");
        })
        .unwrap_or_else(|| panic!("no {rule} at {file}:{line} in\n{:#}", report["findings"]))
}

fn rules(report: &Value) -> Vec<String> {
    let mut v: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn clean_site_passes_even_strict() {
    let (code, r) = json_of("clean", &["--strict"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["summary"]["errors"], 0);
    assert_eq!(r["summary"]["warnings"], 0);
    assert!(r["findings"].as_array().unwrap().is_empty());
}

#[test]
fn everything_build_rejects_is_an_error_and_build_agrees() {
    let site = Site::fixture("build");
    let r = site.check(&["--format", "json", "--as-of", "2022-01-20"]);
    assert_eq!(r.code, 1);
    let r = r.json();
    let cases = [
        (
            "index-no/duplicate",
            "content/items/social-assistance/duplicate.md",
            4,
        ),
        (
            "front-matter/missing",
            "content/items/social-assistance/no-index.md",
            1,
        ),
        ("domain/unknown", "content/items/unknown-domain/x.md", 1),
        (
            "date/written-after-date",
            "content/news/2022-01-11-written.md",
            4,
        ),
    ];
    for (rule, file, line) in cases {
        assert_finding(&r, rule, "error", file, line);
    }
    assert_eq!(r["summary"]["errors"], 4, "{:#}", r["findings"]);

    // The same findings stop the build: one implementation in the model.
    let out = site.root().join("out");
    let b = portal(&[
        "build",
        "--root",
        site.root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(b.code, 1);
    for (rule, file, line) in cases {
        assert!(
            b.stderr.contains(&format!("error[{rule}]: {file}:{line}")),
            "{rule} missing from build:\n{}",
            b.stderr
        );
    }
    assert!(!out.exists());
}

#[test]
fn index_no_format_org_code_and_year_are_warnings() {
    let (code, r) = json_of("index-no", &[]);
    assert_eq!(code, 0);
    let f = assert_finding(
        &r,
        "index-no/format",
        "warning",
        "content/items/social-assistance/format.md",
        4,
    );
    assert_eq!(f["key"], "index_no");
    assert_eq!(f["found"], "\"zfb/2022-00238\"");
    assert_finding(
        &r,
        "index-no/org-code",
        "warning",
        "content/items/social-assistance/format.md",
        4,
    );
    assert_finding(
        &r,
        "index-no/year",
        "warning",
        "content/items/social-assistance/year.md",
        4,
    );
    // Another publisher's 索引号 carries that organ's code.
    assert_eq!(
        rules(&r),
        ["index-no/format", "index-no/org-code", "index-no/year"]
    );

    let (strict, _) = json_of("index-no", &["--strict"]);
    assert_eq!(strict, 1);
}

#[test]
fn broken_links_and_anchors_are_errors() {
    let (code, r) = json_of("links", &[]);
    assert_eq!(code, 1);
    let file = "content/items/social-assistance/links.md";
    let page = assert_finding(&r, "link/broken", "error", file, 9);
    assert_eq!(page["found"], "nope.md");
    assert_finding(&r, "link/anchor", "error", file, 11);
    let punct = assert_finding(&r, "link/anchor", "error", file, 13);
    assert!(
        punct["hint"].as_str().unwrap().contains("#一办理流程"),
        "{punct}"
    );
    assert_finding(&r, "link/anchor", "error", file, 15);
    let image = assert_finding(&r, "link/broken", "error", file, 17);
    assert_eq!(image["found"], "../../files/missing.png");
    // bad.md has an error of its own; the link to it is not reported again, and the built HTML
    // does not repeat the Markdown findings.
    assert_finding(
        &r,
        "front-matter/missing",
        "error",
        "content/items/social-assistance/bad.md",
        1,
    );
    assert_eq!(
        rules(&r),
        [
            "front-matter/missing",
            "link/anchor",
            "link/anchor",
            "link/anchor",
            "link/broken",
            "link/broken"
        ]
    );
    assert_eq!(r["summary"]["external_links"], 1);
    assert_eq!(r["external_links"][0]["url"], "https://www.gov.cn/");
    assert_eq!(r["external_links"][0]["line"], 21);
    assert_eq!(r["summary"]["external_checked"], false);
}

#[test]
fn the_built_html_is_checked() {
    let site = Site::fixture("output");
    let run = site.check(&["--format", "json", "--as-of", "2022-01-20"]);
    assert_eq!(run.code, 1);
    let r = run.json();
    // A site URL in Markdown that the build does not produce: reported at the Markdown line.
    let md = assert_finding(&r, "output/broken-link", "error", "content/pages/raw.md", 9);
    assert!(
        md["found"].as_str().unwrap().contains("/sub/catalog/nope"),
        "{md}"
    );
    // Raw HTML: reported in the built file, with its line.
    let html: Vec<&Value> = findings(&r, "output/broken-link")
        .into_iter()
        .filter(|f| f["file"] == "public/raw/index.html")
        .collect();
    assert_eq!(html.len(), 1, "{:#}", r["findings"]);
    assert!(
        html[0]["found"]
            .as_str()
            .unwrap()
            .contains("href=\"/sub/nowhere/\"")
    );
    assert!(html[0]["line"].as_u64().is_some() && html[0]["column"].as_u64().is_some());
    // A raw `&` in raw HTML of a body is found in its Markdown file (the sanitizer publishes
    // what a browser reads, `©_id=2`, so the built page no longer shows it).
    let amp = findings(&r, "markdown/raw-ampersand");
    assert_eq!(amp.len(), 1, "{:#}", r["findings"]);
    assert_eq!(amp[0]["file"], "content/pages/raw.md");
    assert_eq!(amp[0]["line"], 7);
    assert!(amp[0]["found"].as_str().unwrap().contains("&copy_id=2"));
    assert!(
        amp[0]["expected"]
            .as_str()
            .unwrap()
            .contains("&amp;copy_id=2")
    );
    assert!(findings(&r, "output/raw-ampersand").is_empty());
    assert_eq!(r["summary"]["errors"], 3);
    // The check builds into a temporary folder and leaves the site as it was.
    let mut entries: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["content", "themes"]);
}

#[test]
fn blank_and_stale_columns_and_the_veto() {
    let site = Site::fixture("columns");
    let run = site.check(&["--format", "json", "--as-of", "2022-01-20"]);
    assert_eq!(run.code, 1);
    let r = run.json();
    let veto = assert_finding_no_line(&r, "column/veto", "content/site.yaml");
    assert_eq!(veto["key"], "blank");
    for line in 8..=12 {
        assert_finding(&r, "column/blank", "warning", "content/site.yaml", line);
    }
    assert_finding(&r, "column/not-updated", "warning", "content/site.yaml", 7);
    assert_finding(
        &r,
        "column/not-updated",
        "warning",
        "content/news/2022-01-10-meeting.md",
        3,
    );
    let c = &r["summary"]["columns"];
    assert_eq!(
        (
            c["total"].as_u64(),
            c["blank"].as_u64(),
            c["not_updated"].as_u64()
        ),
        (Some(7), Some(5), Some(2))
    );
    assert_eq!(
        (
            c["blank_veto"].as_bool(),
            c["not_updated_veto"].as_bool(),
            c["veto"].as_bool()
        ),
        (Some(true), Some(false), Some(true))
    );
    assert_eq!(r["columns"][0]["state"], "not-updated");
    assert_eq!(r["columns"][0]["age_days"], 19);
    assert_eq!(r["columns"][2]["state"], "blank");

    let human = site.check(&["--as-of", "2022-01-20"]);
    assert!(
        human.stdout.contains("空白栏目 5 ≥ 5，达到单项否决"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("栏目不更新 2 < 5，未达到"),
        "{}",
        human.stdout
    );

    // Three days earlier the news column was fresh.
    let earlier = site
        .check(&["--format", "json", "--as-of", "2022-01-15"])
        .json();
    assert_eq!(earlier["summary"]["columns"]["not_updated"], 1);
}

#[track_caller]
fn assert_finding_no_line<'a>(report: &'a Value, rule: &str, file: &str) -> &'a Value {
    findings(report, rule)
        .into_iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("no {rule} in {file}: {:#}", report["findings"]))
}

#[test]
fn future_dates_are_errors() {
    let (code, r) = json_of("dates", &[]);
    assert_eq!(code, 1);
    assert_finding(
        &r,
        "date/future",
        "error",
        "content/news/2022-03-01-future.md",
        3,
    );
    let d = assert_finding(
        &r,
        "date/future",
        "error",
        "content/items/social-assistance/future-written.md",
        3,
    );
    assert_eq!(d["key"], "date");
    let w = assert_finding(
        &r,
        "date/future",
        "error",
        "content/items/social-assistance/future-written.md",
        5,
    );
    assert_eq!(w["key"], "written");
    assert_eq!(rules(&r), ["date/future", "date/future", "date/future"]);

    let later = Site::fixture("dates").check(&["--format", "json", "--as-of", "2022-03-01"]);
    assert_eq!(later.code, 0, "{}", later.stdout);
}

#[test]
fn accessibility_of_images_headings_and_tables() {
    let (code, r) = json_of("a11y", &[]);
    assert_eq!(code, 1);
    let file = "content/items/social-assistance/a11y.md";
    assert_finding(&r, "a11y/h1-in-body", "warning", file, 7);
    assert_finding(&r, "a11y/heading-skip", "warning", file, 11);
    assert_finding(&r, "a11y/img-alt", "error", file, 13);
    let raw = assert_finding(&r, "a11y/img-alt", "error", file, 15);
    assert_eq!(raw["column"], 1);
    assert_finding(&r, "a11y/table-header", "warning", file, 17);
    assert_eq!(
        rules(&r),
        [
            "a11y/h1-in-body",
            "a11y/heading-skip",
            "a11y/img-alt",
            "a11y/img-alt",
            "a11y/table-header"
        ]
    );
}

#[test]
fn chinese_markdown_pitfalls_and_unsafe_html() {
    let (code, r) = json_of("markdown", &[]);
    assert_eq!(code, 1);
    let file = "content/items/social-assistance/pitfalls.md";
    let e = assert_finding(&r, "markdown/cjk-emphasis", "warning", file, 7);
    assert_eq!(e["column"], 6);
    assert_eq!(e["found"], "**注意：**申请人须");
    assert_eq!(e["expected"], "**注意**：申请人须");
    let u = assert_finding(&r, "markdown/bare-url", "warning", file, 9);
    assert_eq!(u["found"], "https://www.gov.cn/zhengce/");
    assert_finding(&r, "markdown/unsafe-html", "error", file, 11);
    assert_finding(&r, "markdown/unsafe-html", "error", file, 13);
    let on = assert_finding(&r, "markdown/unsafe-html", "error", file, 15);
    assert!(on["found"].as_str().unwrap().starts_with("onclick="));
    // The code block, the escaped asterisks and the correct forms below line 15 are fine.
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["line"].as_u64() <= Some(15)),
        "{:#}",
        r["findings"]
    );
}

#[test]
fn effective_items_linking_repealed_ones_are_warned() {
    let (code, r) = json_of("validity", &[]);
    assert_eq!(code, 0);
    let file = "content/items/social-assistance/current.md";
    let related = assert_finding(&r, "validity/links-invalid", "warning", file, 5);
    assert_eq!(related["key"], "related");
    assert_finding(&r, "validity/links-invalid", "warning", file, 9);
    // Line 11 says 已废止 itself, and news may cite history.
    assert_eq!(rules(&r).len(), 2, "{:#}", r["findings"]);
    assert_eq!(json_of("validity", &["--strict"]).0, 1);
}

/// Issue 9: the example passes its own CI at the date it is current at (the day after its
/// annual report): no error, and only the warnings that are true of the example — the 财政预决算
/// column last updated in April (a budget is published once a year), the 5 contact elements the
/// seed does not state, and the national catalog's 事项 with nothing published or items that
/// fit no 事项 (docs/catalog-data.md).
#[test]
fn example_site_passes_its_own_ci_at_its_date() {
    let run = run_check(repo(), &["--format", "json", "--as-of", "2022-01-14"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let r = run.json();
    assert_eq!(r["summary"]["errors"], 0, "{:#}", r["findings"]);
    let count = |rule: &str| rules(&r).iter().filter(|x| *x == rule).count();
    let stale: Vec<&str> = r["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["state"] == "not-updated")
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(stale, ["budget-and-final-accounts"]);
    assert_eq!(count("column/not-updated"), 1);
    assert_eq!(count("contact/missing"), 5);
    assert_eq!(count("matter/blank"), 44);
    assert_eq!(count("matter/unfiled"), 12);
    assert_eq!(
        r["summary"]["warnings"],
        1 + 5 + 44 + 12,
        "{:#}",
        r["findings"]
    );
    assert_eq!(r["summary"]["columns"]["blank"], 0);
}

/// Half a year later nothing was published: every column is stale, a veto, and its hints say
/// what to publish and by when — never to raise a threshold or drop a domain.
#[test]
fn example_site_half_a_year_later_is_a_veto() {
    let run = run_check(repo(), &["--format", "json", "--as-of", "2022-08-01"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    let veto = findings(&r, "column/veto");
    assert_eq!(veto.len(), 1);
    assert_eq!(veto[0]["key"], "not-updated");
    assert_eq!(r["summary"]["errors"], 1, "{:#}", r["findings"]);
    for f in findings(&r, "column/not-updated") {
        let hint = f["hint"].as_str().unwrap();
        assert!(
            hint.contains("最迟应在") && hint.contains("portal new"),
            "{hint}"
        );
        assert!(!hint.contains("阈值") && !hint.contains("删去"), "{hint}");
    }
}

#[test]
fn example_site_is_clean_with_its_own_thresholds() {
    let site = Site::from_content(&repo().join("content"));
    let yaml = site.root().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str("check: { news_max_age_days: 60, notice_max_age_days: 366 }\n");
    std::fs::write(&yaml, text).unwrap();
    let run = site.check(&["--format", "json", "--as-of", "2022-01-20"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let r = run.json();
    // The seed states only the 名称 of the 政府信息公开工作机构: the other five elements of
    // 条例第十二条 are warnings, named one by one; besides them only the catalog findings true
    // of the example remain (docs/catalog-data.md).
    let mut missing: Vec<&str> = findings(&r, "contact/missing")
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    missing.sort_unstable();
    assert_eq!(
        missing,
        [
            "contact.address",
            "contact.fax",
            "contact.hours",
            "contact.online",
            "contact.phone"
        ]
    );
    assert_eq!(r["summary"]["warnings"], 5 + 44 + 12, "{:#}", r["findings"]);
    assert_eq!(r["summary"]["errors"], 0, "{:#}", r["findings"]);
    assert_eq!(r["summary"]["pages"], 47);
    let other: Vec<String> = rules(&r)
        .into_iter()
        .filter(|x| x != "matter/blank" && x != "matter/unfiled" && x != "contact/missing")
        .collect();
    assert!(other.is_empty(), "{other:?}");
    assert!(r["summary"]["html_files"].as_u64().unwrap() > 44);
}

#[test]
fn json_has_its_documented_shape() {
    let (_, r) = json_of("links", &[]);
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&r),
        [
            "as_of",
            "columns",
            "external_links",
            "findings",
            "summary",
            "version"
        ]
    );
    assert_eq!(r["version"], 1);
    assert_eq!(r["as_of"], "2022-01-20");
    assert_eq!(
        keys(&r["summary"]),
        [
            "columns",
            "errors",
            "external_checked",
            "external_links",
            "external_note",
            "html_files",
            "pages",
            "timings",
            "warnings"
        ]
    );
    assert_eq!(
        keys(&r["summary"]["columns"]),
        [
            "blank",
            "blank_veto",
            "not_updated",
            "not_updated_veto",
            "total",
            "veto",
            "veto_threshold"
        ]
    );
    for t in r["summary"]["timings"].as_array().unwrap() {
        assert!(t["phase"].is_string() && t["ms"].is_number(), "{t}");
    }
    for c in r["columns"].as_array().unwrap() {
        assert_eq!(
            keys(c),
            [
                "age_days",
                "items",
                "kind",
                "max_age_days",
                "name",
                "newest",
                "slug",
                "state"
            ]
        );
        assert!(["news", "domain"].contains(&c["kind"].as_str().unwrap()));
        assert!(["ok", "blank", "not-updated"].contains(&c["state"].as_str().unwrap()));
    }
    let findings = r["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(
            keys(f),
            [
                "column", "expected", "file", "found", "hint", "key", "line", "message", "rule",
                "severity"
            ]
        );
        assert!(f["rule"].as_str().unwrap().contains('/'));
        assert!(["error", "warning"].contains(&f["severity"].as_str().unwrap()));
        assert!(f["message"].is_string());
        for k in ["file", "key", "expected", "found", "hint"] {
            assert!(f[k].is_string() || f[k].is_null(), "{k}: {f}");
        }
        for k in ["line", "column"] {
            assert!(f[k].is_u64() || f[k].is_null(), "{k}: {f}");
        }
    }
    for l in r["external_links"].as_array().unwrap() {
        assert_eq!(keys(l), ["file", "line", "status", "url"]);
    }
}

#[test]
fn github_format_prints_one_annotation_per_finding() {
    let site = Site::fixture("links");
    let run = site.check(&["--format", "github", "--as-of", "2022-01-20"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", run.stdout);
    assert!(
        lines[..6]
            .iter()
            .all(|l| l.starts_with("::error file=content/items/social-assistance/")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "::error file=content/items/social-assistance/links.md,line=9,title=link/broken::链接指向的内容不存在：没有页面 content/items/social-assistance/nope.md%0A实际：nope.md%0A提示："
    ));
    assert!(lines[6].starts_with("portal check（截至 2022-01-20）：6 个错误，0 个警告"));

    let w = Site::fixture("markdown").check(&["--format", "github", "--as-of", "2022-01-20"]);
    assert!(w.stdout.contains("::warning file=content/items/social-assistance/pitfalls.md,line=7,col=6,title=markdown/cjk-emphasis::"), "{}", w.stdout);
}

#[test]
fn human_format_groups_by_file_without_colour_when_piped() {
    let run = Site::fixture("a11y").check(&["--as-of", "2022-01-20"]);
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains('\x1b'));
    assert_eq!(
        run.stdout
            .matches("content/items/social-assistance/a11y.md\n")
            .count(),
        1,
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("a11y/heading-skip"));
    assert!(
        run.stdout
            .contains("2 个错误（error），3 个警告（warning）"),
        "{}",
        run.stdout
    );
    let timed = Site::fixture("clean").check(&["--as-of", "2022-01-20", "--timings"]);
    assert!(
        timed.stdout.contains("用时（timings）：load"),
        "{}",
        timed.stdout
    );
}

#[test]
fn usage_errors_exit_2_and_a_missing_site_exits_1() {
    let site = Site::fixture("clean");
    assert_eq!(site.check(&["--as-of", "2022-13-01"]).code, 2);
    assert_eq!(site.check(&["--format", "xml"]).code, 2);
    let empty = tempfile::tempdir().unwrap();
    let run = run_check(empty.path(), &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("下没有 content/ 文件夹"),
        "{}",
        run.stderr
    );
}

#[test]
fn external_links_are_fetched_only_with_the_flag() {
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("curl not installed: skipped");
        return;
    }
    // A local server that answers 404 to everything: no network needed.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 2048];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    let site = Site::fixture("clean");
    let news = site.root().join("content/news/2022-01-10-meeting.md");
    let mut text = std::fs::read_to_string(&news).unwrap();
    text.push_str(&format!("\n[区政府网站](http://127.0.0.1:{port}/gone)\n"));
    std::fs::write(&news, text).unwrap();
    let root: PathBuf = site.root().to_path_buf();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--root",
            root.to_str().unwrap(),
            "--format",
            "json",
            "--as-of",
            "2022-01-20",
        ];
        args.extend_from_slice(extra);
        let out = Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(&args)
            .env("NO_PROXY", "127.0.0.1")
            .env("no_proxy", "127.0.0.1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        )
    };
    let (code, listed) = run(&[]);
    assert_eq!(code, 0);
    assert_eq!(listed["summary"]["external_links"], 1);
    assert!(listed["findings"].as_array().unwrap().is_empty());

    let (code, fetched) = run(&["--external"]);
    assert_eq!(code, 0);
    assert_eq!(fetched["summary"]["external_checked"], true);
    assert_eq!(fetched["external_links"][0]["status"], "HTTP 404");
    assert_finding(
        &fetched,
        "link/external",
        "warning",
        "content/news/2022-01-10-meeting.md",
        8,
    );
    assert_eq!(run(&["--external", "--strict"]).0, 1);
}

/// Issue 9: a full-width ／ or － in a 索引号 gets its own hint with the corrected number.
#[test]
fn index_no_with_full_width_slash_gets_the_half_width_form() {
    let (_, r) = json_of("index-no-full-width", &[]);
    let f = assert_finding(
        &r,
        "index-no/format",
        "warning",
        "content/items/social-assistance/full-width.md",
        4,
    );
    let hint = f["hint"].as_str().unwrap();
    assert!(hint.contains("全角"), "{hint}");
    assert!(hint.contains("737546075/2022-00002"), "{hint}");
}

/// `tests/fixtures/_base` with `tests/fixtures/<case>` laid over it (the build tests' fixtures).
fn layered(case: &str) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = repo().join("tests/fixtures");
    for layer in ["_base", case] {
        crate::common::copy_tree(
            &fixtures.join(layer).join("content"),
            &dir.path().join("content"),
        );
    }
    crate::common::copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    Site { dir }
}

#[test]
fn check_reports_unsafe_html_unclosed_elements_and_deep_nesting_once_each() {
    // One place decides what is unsafe (the renderer's sanitizer); check shows its findings
    // exactly once, located as build locates them.
    let run = layered("sec-unsafe-html").check(&["--format", "json", "--as-of", "2022-01-20"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    let file = "content/pages/unsafe.md";
    for (line, rule) in [
        (5, "markdown/unsafe-url"),
        (9, "markdown/unsafe-url"),
        (11, "markdown/unsafe-html"),
        (13, "markdown/unsafe-html"),
        (15, "markdown/unsafe-html"),
        (17, "markdown/unsafe-html"),
        (19, "markdown/unsafe-html"),
        (25, "markdown/unsafe-html"),
        (27, "markdown/external-resource"),
        (29, "markdown/external-resource"),
        (35, "markdown/unsafe-html"),
        (37, "markdown/unsafe-url"),
    ] {
        assert_finding(&r, rule, "error", file, line);
    }
    let unsafe_findings = [
        "markdown/unsafe-html",
        "markdown/unsafe-url",
        "markdown/external-resource",
    ]
    .iter()
    .map(|rule| findings(&r, rule).len())
    .sum::<usize>();
    assert_eq!(unsafe_findings, 19, "{:#}", r["findings"]);
    // The published HTML of the check's own build is sanitized: no output finding of a script.
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f["file"].as_str().unwrap_or("").starts_with("public/")),
        "{:#}",
        r["findings"]
    );

    let run = layered("sec-unclosed").check(&["--format", "json", "--as-of", "2022-01-20"]);
    let r = run.json();
    for name in [
        "comment",
        "textarea",
        "plaintext",
        "xmp",
        "title",
        "noembed",
        "style",
        "script",
    ] {
        let f = assert_finding(
            &r,
            "markdown/unclosed-html",
            "error",
            &format!("content/pages/{name}.md"),
            7,
        );
        assert!(f["message"].as_str().unwrap().contains("没有结束"), "{f}");
    }
    assert_eq!(findings(&r, "markdown/unclosed-html").len(), 8);

    let run = layered("sec-deep").check(&["--format", "json", "--as-of", "2022-01-20"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    assert_finding(
        &r,
        "markdown/too-deep",
        "error",
        "content/news/2021-04-01-quotes.md",
        6,
    );
    assert_finding(
        &r,
        "markdown/too-deep",
        "error",
        "content/news/2021-04-02-lists.md",
        6,
    );
    let divs = assert_finding(&r, "markdown/too-deep", "error", "content/pages/divs.md", 7);
    assert_eq!(divs["found"], "5001 层嵌套");
    assert_eq!(findings(&r, "markdown/too-deep").len(), 3);
}

/// `--external` requests each URL exactly as written, with no URL globbing (`/glob[1-5]` is one
/// request for that literal path, not five), and reports a 404 as broken. A local server
/// records what arrives: no network needed, and no `curl`.
#[test]
fn external_links_are_requested_literally_once() {
    use std::sync::{Arc, Mutex};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        use std::io::{BufRead, BufReader, Write};
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).map(|n| n == 0).unwrap_or(true) || h == "\r\n" {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
            log.lock().unwrap().push(request.trim_end().to_string());
            let status = if path == "/glob[1-5]" {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    let site = Site::fixture("clean");
    let news = site.root().join("content/news/2022-01-10-meeting.md");
    let mut text = std::fs::read_to_string(&news).unwrap();
    text.push_str(&format!(
        "\n[通配](http://127.0.0.1:{port}/glob[1-5])\n\n[失效](http://127.0.0.1:{port}/gone)\n"
    ));
    std::fs::write(&news, text).unwrap();
    let out = crate::common::check_json(site.root())
        .arg("--external")
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1")
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let requests = seen.lock().unwrap().clone();
    assert_eq!(
        requests.iter().filter(|l| l.contains("/glob")).count(),
        1,
        "{requests:?}"
    );
    assert_eq!(r["summary"]["external_checked"], true, "{r}");
    assert!(
        requests.contains(&"HEAD /glob[1-5] HTTP/1.1".to_string()),
        "{requests:?}"
    );
    let status = |url: &str| {
        r["external_links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["url"] == url)
            .map(|l| l["status"].clone())
    };
    assert_eq!(
        status(&format!("http://127.0.0.1:{port}/glob[1-5]")),
        Some(Value::from("HTTP 200")),
        "{r}"
    );
    assert_eq!(
        status(&format!("http://127.0.0.1:{port}/gone")),
        Some(Value::from("HTTP 404")),
        "{r}"
    );
    let broken: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "link/external")
        .collect();
    assert_eq!(broken.len(), 1, "{r}");
    assert!(
        broken[0]["message"].as_str().unwrap().contains("HTTP 404"),
        "{r}"
    );
}

/// Issue 12: a page renamed since the last build (its URL is in the previous `public/
/// sitemap.xml` but no longer written) is reported with the alias to add; the alias ends it.
#[test]
fn a_renamed_page_without_an_alias_is_reported() {
    let site = crate::common::Site::fixture("_base");
    let b = site.portal(&["build"]);
    assert!(b.status.success(), "{}", crate::common::text(&b));
    let news = site.root().join("content/news");
    std::fs::rename(
        news.join("2021-01-10-news-1.md"),
        news.join("2021-01-10-renamed.md"),
    )
    .unwrap();
    let r = run_check(site.root(), &["--format", "json", "--as-of", "2021-06-01"]).json();
    let found = findings(&r, "link/renamed");
    assert_eq!(found.len(), 1, "{:#}", r["findings"]);
    assert_eq!(found[0]["found"], "/sub/news/2021-01-10-news-1/");
    assert!(
        found[0]["hint"]
            .as_str()
            .unwrap()
            .contains("aliases: [\"/news/2021-01-10-news-1/\"]")
    );
    assert_eq!(found[0]["file"], "public/sitemap.xml");

    let renamed = news.join("2021-01-10-renamed.md");
    let text = std::fs::read_to_string(&renamed).unwrap();
    std::fs::write(
        &renamed,
        text.replacen("---\n", "---\naliases: [\"/news/2021-01-10-news-1/\"]\n", 1),
    )
    .unwrap();
    let r = run_check(site.root(), &["--format", "json", "--as-of", "2021-06-01"]).json();
    assert!(
        findings(&r, "link/renamed").is_empty(),
        "{:#}",
        r["findings"]
    );
    // A sitemap named with --previous is read instead.
    let other = site.root().join("published-sitemap.xml");
    std::fs::write(
        &other,
        "<urlset><url><loc>https://www.example.gov.cn/sub/gone/</loc></url></urlset>",
    )
    .unwrap();
    let r = run_check(
        site.root(),
        &[
            "--format",
            "json",
            "--as-of",
            "2021-06-01",
            "--previous",
            other.to_str().unwrap(),
        ],
    )
    .json();
    assert_eq!(findings(&r, "link/renamed")[0]["found"], "/sub/gone/");
}
