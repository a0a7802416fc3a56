//! Annual reports end to end: the national tables in the HTML, every 勾稽关系 enforced with an
//! exact error, both formats, the year-over-year charts and the open-data downloads.

use crate::common::{Site, snapshot_tree, text};

/// The multi-year fixture (fixture data, marked as such in each file).
fn years() -> Site {
    Site::fixture("report-years")
}

/// Replaces one line of a fixture report, builds, and returns (exit code, output).
fn build_with(file: &str, from: &str, to: &str) -> (Option<i32>, String) {
    let site = years();
    let path = site.root().join(file);
    let text_before = std::fs::read_to_string(&path).unwrap();
    assert!(text_before.contains(from), "{from} not in {file}");
    std::fs::write(&path, text_before.replacen(from, to, 1)).unwrap();
    std::fs::create_dir_all(site.root().join("public")).unwrap();
    std::fs::write(site.root().join("public/index.html"), "previous").unwrap();
    let before = snapshot_tree(&site.root().join("public"));
    let out = site.portal(&["build"]);
    if !out.status.success() {
        assert_eq!(
            snapshot_tree(&site.root().join("public")),
            before,
            "public/ changed on a failed build"
        );
    }
    (out.status.code(), text(&out))
}

fn errors_of(t: &str) -> Vec<&str> {
    t.lines().filter(|l| l.starts_with("error[")).collect()
}

#[test]
fn example_report_shows_the_seed_tables_cell_by_cell() {
    let site = Site::example();
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let html = site.read("reports/2021/index.html");
    for caption in [
        "表一 主动公开政府信息情况",
        "表二 收到和处理政府信息公开申请情况",
        "表三 政府信息公开行政复议、行政诉讼情况",
    ] {
        assert!(html.contains(caption), "{caption}");
    }
    assert!(html.contains("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"));
    // Row 予以公开: 3 0 0 0 0 0 3; 本机关不掌握: 3 …; 补正后仍不明确: 2 …; 总计 8.
    for (label, n) in [
        ("（一）予以公开", 3),
        ("1.本机关不掌握相关政府信息", 3),
        ("3.补正后申请内容仍不明确", 2),
        ("（七）总计", 8),
    ] {
        let at = html
            .find(label)
            .unwrap_or_else(|| panic!("{label} missing"));
        let row = &html[at..at + html[at..].find("</tr>").unwrap()];
        let cells: Vec<&str> = row
            .split("<td>")
            .skip(1)
            .map(|c| c.split('<').next().unwrap())
            .collect();
        assert_eq!(
            cells,
            [
                n.to_string(),
                "0".into(),
                "0".into(),
                "0".into(),
                "0".into(),
                "0".into(),
                n.to_string()
            ],
            "{label}: {row}"
        );
    }
    for value in ["514", "459"] {
        assert!(
            html.contains(&format!("<td colspan=3>{value}</td>")),
            "{value}"
        );
    }
    // Tables sit inside their sections, before the next section's heading.
    let t2 = html.find("表二 收到和处理").unwrap();
    assert!(
        html.find("三、收到和处理政府信息公开申请情况</h2>")
            .unwrap()
            < t2
    );
    assert!(
        t2 < html
            .find("四、政府信息公开行政复议、行政诉讼情况</h2>")
            .unwrap()
    );
    // Downloads.
    let csv = std::fs::read(site.root().join("public/reports/2021/tables.csv")).unwrap();
    assert!(csv.starts_with(b"\xef\xbb\xbf"), "CSV has a BOM for Excel");
    let json: serde_json::Value =
        serde_json::from_str(&site.read("reports/2021/tables.json")).unwrap();
    assert_eq!(json["year"], 2021);
    assert!(html.contains("tables.csv") && html.contains("tables.json"));
}

#[test]
fn multi_year_site_has_charts_comparison_and_all_years_csv() {
    let site = years();
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(errors_of(&t).is_empty());
    let index = site.read("reports/index.html");
    assert_eq!(index.matches("<svg").count(), 2, "two charts");
    assert_eq!(index.matches("role=img").count(), 2);
    assert!(index.contains("<details"), "charts have their data as text");
    let csv = std::fs::read_to_string(site.root().join("public/reports/all-years.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    for y in ["2019", "2020", "2021"] {
        assert!(csv.contains(y), "{y} in all-years.csv");
    }
}

#[test]
fn format_2019_renders_its_own_table_one() {
    let site = years();
    assert!(site.portal(&["build"]).status.success());
    let html = site.read("reports/2020/index.html");
    for label in [
        "其他对外管理服务事项",
        "政府集中采购",
        "上一年项目数量",
        "本年新制作数量",
        "（六）其他处理",
    ] {
        assert!(html.contains(label), "{label}");
    }
    assert!(
        !html.contains("1.申请人无正当理由逾期不补正"),
        "2019 format has (六) as one row"
    );
    let html2021 = site.read("reports/2021/index.html");
    assert!(html2021.contains("现行有效件数") && html2021.contains(">0.092</td>"));
}

#[test]
fn one_report_omits_the_comparison_gracefully() {
    let site = Site::example();
    assert!(site.portal(&["build"]).status.success());
    let index = site.read("reports/index.html");
    assert!(!index.contains("<svg"));
    assert!(index.contains("杨园街道2021年政府信息公开工作年度报告"));
}

#[test]
fn a1_violation_is_exactly_one_error() {
    let (code, t) = build_with(
        "content/reports/2021.md",
        "new_received:   { natural_person: 8, total: 8 }",
        "new_received:   { natural_person: 9, total: 9 }",
    );
    assert_eq!(code, Some(1), "{t}");
    let errs = errors_of(&t);
    assert_eq!(errs.len(), 1, "{t}");
    assert!(
        errs[0].starts_with("error[report/A1]: content/reports/2021.md:"),
        "{t}"
    );
    assert!(
        t.contains("自然人") && t.contains("勾稽关系A1不成立"),
        "{t}"
    );
}

#[test]
fn a2_violation_is_exactly_one_error() {
    // The total given (7) still satisfies A1, but the rows now add up to 8.
    let (code, t) = build_with(
        "content/reports/2020.md",
        "granted:        { natural_person: 4 }",
        "granted:        { natural_person: 5 }\n  total_processed: { natural_person: 7 }",
    );
    assert_eq!(code, Some(1), "{t}");
    let errs = errors_of(&t);
    assert_eq!(errs.len(), 1, "{t}");
    assert!(
        errs[0].contains("report/A2") && errs[0].contains("content/reports/2020.md"),
        "{t}"
    );
}

#[test]
fn a3_violation_is_exactly_one_error() {
    let (code, t) = build_with(
        "content/reports/2021.md",
        "granted:        { natural_person: 3 }",
        "granted:        { natural_person: 3, total: 4 }",
    );
    assert_eq!(code, Some(1), "{t}");
    let errs = errors_of(&t);
    assert_eq!(errs.len(), 1, "{t}");
    assert!(
        errs[0].contains("report/A3") && errs[0].contains("content/reports/2021.md:"),
        "{t}"
    );
    assert!(t.contains("（一）予以公开"), "{t}");
}

#[test]
fn a4_violation_names_last_years_report() {
    // 2020 claims 2 carried over (A1/A2 still balance) while 2019 carried forward 1.
    let (code, t) = build_with(
        "content/reports/2020.md",
        "carried_over:   { natural_person: 1 }\n  granted:        { natural_person: 4 }",
        "carried_over:   { natural_person: 2 }\n  granted:        { natural_person: 5 }",
    );
    assert_eq!(code, Some(1), "{t}");
    let errs = errors_of(&t);
    assert_eq!(errs.len(), 1, "{t}");
    assert!(
        errs[0].starts_with("error[report/A4]: content/reports/2020.md:"),
        "{t}"
    );
    assert!(t.contains("content/reports/2019.md"), "{t}");
}

#[test]
fn a5_violation_is_exactly_one_error() {
    let (code, t) = build_with(
        "content/reports/2019.md",
        "review:                  { maintained: 1, total: 1 }",
        "review:                  { maintained: 1, total: 2 }",
    );
    assert_eq!(code, Some(1), "{t}");
    let errs = errors_of(&t);
    assert_eq!(errs.len(), 1, "{t}");
    assert!(errs[0].contains("report/A5"), "{t}");
}

#[test]
fn a6_negative_and_fraction_are_errors_blank_is_a_warning() {
    let (code, t) = build_with(
        "content/reports/2021.md",
        "granted:        { natural_person: 3 }",
        "granted:        { natural_person: 3, research: -1 }",
    );
    assert_eq!(code, Some(1), "{t}");
    assert!(t.contains("report/A6") && t.contains("科研机构"), "{t}");
    let (code, t) = build_with(
        "content/reports/2021.md",
        "granted:        { natural_person: 3 }",
        "granted:        { natural_person: 2.5 }",
    );
    assert_eq!(code, Some(1), "{t}");
    assert!(t.contains("report/A6"), "{t}");
    let (code, t) = build_with(
        "content/reports/2021.md",
        "carried_over:   {}",
        "carried_over:   { natural_person: }",
    );
    assert_eq!(code, Some(0), "{t}");
    assert!(t.contains("warning[report/A6]"), "{t}");
}

#[test]
fn a7_narrative_mismatch_is_a_warning_with_its_line() {
    let (code, t) = build_with(
        "content/reports/2021.md",
        "2021年新收政府信息公开申请8件",
        "2021年新收政府信息公开申请9件",
    );
    assert_eq!(code, Some(0), "{t}");
    assert!(
        t.contains("warning[report/A7]: content/reports/2021.md:30"),
        "{t}"
    );
}

/// Builds a fixture that must fail; returns its output after checking exit 1 and no panic.
fn failing(case: &str) -> String {
    let site = Site::fixture(case);
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{case}:\n{t}");
    assert!(!t.contains("panicked"), "{case}:\n{t}");
    t
}

/// Issue 9: the national labels of the printed template are keys, and the published tables
/// carry the figures written under them.
#[test]
fn chinese_labels_fill_the_tables() {
    let site = Site::fixture("ok-report-chinese-labels");
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    // 主动公开政府信息情况 / 表二 are keys, not unknown ones.
    assert!(text(&out).contains("（0 个警告）"), "{}", text(&out));
    let json: serde_json::Value =
        serde_json::from_str(&site.read("reports/2021/tables.json")).unwrap();
    let s = json.to_string();
    for needle in ["514", "459"] {
        assert!(s.contains(needle), "{needle} missing from tables.json: {s}");
    }
    let html = site.read("reports/2021/index.html");
    assert!(html.contains("予以公开"));
    assert_eq!(json["applications"]["granted"]["natural_person"], 3, "{s}");
    assert_eq!(
        json["applications"]["unable_not_held"]["natural_person"], 5,
        "{s}"
    );
    assert_eq!(json["review_litigation"]["review"]["maintained"], 1, "{s}");
}

/// Issue 9: a key that is neither a contract key nor a national label is an error (its
/// figures would otherwise be published as 0).
#[test]
fn unknown_table_key_is_an_error() {
    let t = failing("err-report-unknown-key");
    assert!(
        t.contains("error[report/type]: content/reports/2021.md:10") && t.contains("予以公开了"),
        "{t}"
    );
}

#[test]
fn annual_report_without_tables_is_an_error() {
    let t = failing("err-report-no-tables");
    assert!(
        t.contains("error[report/no-tables]: content/reports/2021.md:5"),
        "{t}"
    );
}

#[test]
fn pipe_tables_in_the_body_point_to_front_matter() {
    let t = failing("err-report-pipe-tables");
    assert!(t.contains("error[report/no-tables]"), "{t}");
    assert!(t.contains("front matter"), "{t}");
    assert!(t.contains("竖线表格"), "{t}");
}

#[test]
fn missing_section_is_named() {
    let t = failing("err-report-missing-section");
    assert!(
        t.contains("error[report/section-missing]")
            && t.contains("三、收到和处理政府信息公开申请情况"),
        "{t}"
    );
    assert_eq!(t.matches("error[report/section-missing]").count(), 1, "{t}");
}

#[test]
fn two_reports_for_one_year_name_both() {
    let t = failing("err-report-duplicate-year");
    assert!(
        t.contains("error[report/duplicate-year]: content/reports/2021.md:5")
            && t.contains("content/reports/2021-corrected.md"),
        "{t}"
    );
}
