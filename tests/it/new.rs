//! `portal new`: the file lands in the right folder with the next free 索引号, is never
//! overwritten, refuses unknown domains, and builds as it is.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PORTAL: &str = env!("CARGO_BIN_EXE_portal");

fn portal(root: &Path, args: &[&str]) -> Output {
    Command::new(PORTAL)
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// Runs `portal new`, expects success, returns the created file (printed first on stdout).
fn new_ok(root: &Path, args: &[&str]) -> (PathBuf, String) {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let out = portal(root, &all);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "portal new {args:?} failed: {}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    let path = PathBuf::from(stdout.split(" (").next().unwrap().trim());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path, text)
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn items_and_reports_get_the_next_index_no_of_their_year() {
    let site = crate::common::standalone_fixture("new-basic");
    let root = site.path();
    // Highest of 737546075 in 2026 is 00012; 2025's 00099/00100 and another org's 00500 do not count.
    let (item, text) = new_ok(
        root,
        &[
            "item",
            "低保标准调整",
            "--domain",
            "social-assistance",
            "--date",
            "2026-11-25",
        ],
    );
    assert!(
        text.contains("index_no: \"737546075/2026-00013\""),
        "{text}"
    );
    assert!(
        rel(root, &item).starts_with("content/items/social-assistance/2026-11-25-"),
        "{}",
        item.display()
    );
    let (_, text) = new_ok(
        root,
        &[
            "report",
            "测试街道2025年政府信息公开工作年度报告",
            "--date",
            "2026-11-25",
        ],
    );
    assert!(
        text.contains("index_no: \"737546075/2026-00014\""),
        "{text}"
    );
    // A new year starts at 00001.
    let (_, text) = new_ok(
        root,
        &[
            "item",
            "新年事项",
            "--domain",
            "elderly-care",
            "--date",
            "2027-01-04",
        ],
    );
    assert!(
        text.contains("index_no: \"737546075/2027-00001\""),
        "{text}"
    );
}

#[test]
fn a_file_that_does_not_parse_still_holds_its_index_no() {
    let site = crate::common::standalone_fixture("new-basic");
    let root = site.path();
    std::fs::write(
        root.join("content/items/social-assistance/broken.md"),
        "---\ntitle: [unclosed\nindex_no: \"737546075/2026-00040\"\n---\n正文。\n",
    )
    .unwrap();
    let (_, text) = new_ok(
        root,
        &[
            "item",
            "事项",
            "--domain",
            "social-assistance",
            "--date",
            "2026-11-25",
        ],
    );
    assert!(
        text.contains("index_no: \"737546075/2026-00041\""),
        "{text}"
    );
}

#[test]
fn never_overwrites() {
    let site = crate::common::standalone_fixture("new-basic");
    let root = site.path();
    let (first, _) = new_ok(root, &["news", "Hello World 动态", "--date", "2026-11-25"]);
    assert_eq!(rel(root, &first), "content/news/2026-11-25-hello-world.md");
    std::fs::write(&first, "---\ntitle: edited\ndate: 2026-11-25\n---\nmine\n").unwrap();
    let (second, _) = new_ok(root, &["news", "Hello World 动态", "--date", "2026-11-25"]);
    assert_eq!(
        rel(root, &second),
        "content/news/2026-11-25-hello-world-2.md"
    );

    // A name chosen with --slug is the editor's URL: taken means an error, not another name.
    let out = portal(
        root,
        &[
            "new",
            "news",
            "别的标题",
            "--date",
            "2026-11-25",
            "--slug",
            "hello-world",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("不会覆盖已有文件"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        "---\ntitle: edited\ndate: 2026-11-25\n---\nmine\n"
    );
}

#[test]
fn titles_without_ascii_get_numbered_names() {
    let site = crate::common::standalone_fixture("new-basic");
    let root = site.path();
    let (a, text) = new_ok(root, &["news", "社区开展志愿服务", "--date", "2026-11-25"]);
    assert_eq!(rel(root, &a), "content/news/2026-11-25-news-1.md");
    assert!(
        text.contains("title: \"社区开展志愿服务\"") && text.contains("date: 2026-11-25"),
        "{text}"
    );
    let (b, _) = new_ok(root, &["news", "又一条动态", "--date", "2026-11-25"]);
    assert_eq!(rel(root, &b), "content/news/2026-11-25-news-2.md");
    let (p, _) = new_ok(root, &["page", "依申请公开", "--slug", "apply"]);
    assert_eq!(rel(root, &p), "content/pages/apply.md");
}

#[test]
fn unknown_domain_is_an_error_listing_the_valid_slugs() {
    let site = crate::common::standalone_fixture("new-basic");
    let root = site.path();
    let out = portal(root, &["new", "item", "事项", "--domain", "no-such-domain"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no-such-domain")
            && err.contains("social-assistance")
            && err.contains("elderly-care")
            && err.contains("养老服务"),
        "{err}"
    );
    let out = portal(root, &["new", "item", "事项"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--domain"));
    // Nothing was written.
    assert_eq!(
        std::fs::read_dir(root.join("content/items"))
            .unwrap()
            .count(),
        2
    );

    // A domain's name is understood too, and written as its slug.
    let (path, _) = new_ok(
        root,
        &[
            "item",
            "事项",
            "--domain",
            "养老服务",
            "--date",
            "2026-11-25",
        ],
    );
    assert!(
        rel(root, &path).starts_with("content/items/elderly-care/"),
        "{}",
        path.display()
    );
}

/// Issue 9: a report whose title names no year is on the year before its publication, and a
/// second report for a year is refused.
#[test]
fn a_report_takes_its_year_from_the_title_else_the_year_before() {
    let site = crate::common::standalone_fixture("new-basic");
    let root = site.path();
    let (r, text) = new_ok(
        root,
        &["report", "政府信息公开工作年度报告", "--date", "2023-01-20"],
    );
    assert_eq!(rel(root, &r), "content/reports/2022.md");
    assert!(text.contains("year: 2022"), "{text}");
    let (r, text) = new_ok(
        root,
        &[
            "report",
            "测试街道2019年政府信息公开工作年度报告",
            "--date",
            "2023-01-20",
        ],
    );
    assert_eq!(rel(root, &r), "content/reports/2019.md");
    assert!(
        text.contains("year: 2019") && text.contains("format: \"2019\""),
        "{text}"
    );
    let again = Command::new(PORTAL)
        .args([
            "new",
            "report",
            "2022年年度报告",
            "--date",
            "2023-02-01",
            "--root",
        ])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已经存在"));
}

#[test]
fn new_files_build_as_they_are() {
    let site = crate::common::standalone_fixture("new-basic");
    let root = site.path();
    let (news, _) = new_ok(root, &["news", "动态", "--domain", "social-assistance"]);
    let (item, _) = new_ok(root, &["item", "事项", "--domain", "elderly-care"]);
    let (report, text) = new_ok(
        root,
        &[
            "report",
            "测试街道2025年政府信息公开工作年度报告",
            "--date",
            "2026-01-15",
        ],
    );
    let (page, _) = new_ok(root, &["page", "Open Government Guide"]);
    assert_eq!(rel(root, &page), "content/pages/open-government-guide.md");
    // Issue 9: the report's year comes from its title; its file and URL are the year.
    assert_eq!(rel(root, &report), "content/reports/2025.md");

    // The report carries the tables of the year before, every row, and the six sections.
    assert!(
        text.contains("year: 2025") && text.contains("format: \"2021\""),
        "{text}"
    );
    for row in [
        "new_received",
        "granted",
        "denied_admin_query",
        "not_processed_confirm",
        "other_other",
        "carried_forward",
        "litigation_after_review",
    ] {
        assert!(
            text.contains(&format!("  {row}: {{")),
            "row {row} missing:\n{text}"
        );
    }
    for marker in [
        "<!-- table: active_disclosure -->",
        "<!-- table: applications -->",
        "<!-- table: review_litigation -->",
    ] {
        assert!(text.contains(marker), "{marker} missing");
    }
    for h in [
        "## 一、总体情况",
        "## 二、",
        "## 三、",
        "## 四、",
        "## 五、",
        "## 六、其他需要报告的事项",
    ] {
        assert!(text.contains(h), "{h} missing");
    }

    let out_dir = root.join("out");
    let out = Command::new(PORTAL)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the new files do not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (file, url) in [
        (&news, "news"),
        (&item, "items/elderly-care"),
        (&report, "reports"),
    ] {
        let stem = file.file_stem().unwrap().to_string_lossy();
        assert!(
            out_dir.join(url).join(&*stem).join("index.html").is_file(),
            "{url}/{stem} not built"
        );
    }
    assert!(out_dir.join("open-government-guide/index.html").is_file());
}

/// A 300-character title gets a short file name (not "File name too long"); the front matter
/// keeps the whole title, and the site builds. A `--slug` that long is refused with a reason.
#[test]
fn a_very_long_title_gets_a_short_file_name() {
    let site = crate::common::standalone_fixture("new-basic");
    let root = site.path();
    let title = "Notice on the community service plan ".repeat(9)[..300].to_string();
    assert_eq!(title.chars().count(), 300);
    let (news, text) = new_ok(root, &["news", &title, "--date", "2026-11-25"]);
    let name = news.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("2026-11-25-notice-on-the-community-service-plan") && name.len() <= 80,
        "{name}"
    );
    assert!(text.contains(&format!("title: \"{title}\"")), "{text}");

    // The same title again: a second short name, not a clash.
    let (again, _) = new_ok(root, &["news", &title, "--date", "2026-11-25"]);
    assert_ne!(news, again);
    assert!(again.file_name().unwrap().len() <= 80);

    // 300 Chinese characters (900 bytes in UTF-8).
    let chinese = "关于社区服务".repeat(50);
    let (item, text) = new_ok(root, &["item", &chinese, "--domain", "social-assistance"]);
    assert!(item.file_name().unwrap().len() <= 80, "{}", item.display());
    assert!(text.contains(&chinese));

    let long_slug = "a".repeat(300);
    let out = portal(root, &["new", "page", "页面", "--slug", &long_slug]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("太长") && !err.contains("File name too long"),
        "{err}"
    );

    let build = portal(root, &["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}
