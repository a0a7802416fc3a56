//! The 基层政务公开标准目录 as data (issue 11), end to end: one fixture per rule
//! (`tests/fixtures/catalog-*`, laid over `_base`), the domain page's table, the open data, and
//! `portal new item --matter`.

use crate::common::{Site, text};
use serde_json::Value;

/// `portal check --format json --as-of 2022-01-20` on a fixture: (exit code, report).
fn check(site: &Site) -> (i32, Value) {
    let out = site.portal(&["check", "--format", "json", "--as-of", "2022-01-20"]);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&out)));
    (out.status.code().unwrap_or(-1), json)
}

/// The findings of one rule.
fn findings<'a>(r: &'a Value, rule: &str) -> Vec<&'a Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

#[test]
fn domain_page_prints_the_catalog_table_with_merged_cells() {
    let site = Site::fixture("catalog-table");
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let html = site.read("catalog/social-assistance/index.html");
    // Its own stylesheet, a caption, two header rows with scoped headers.
    assert!(html.contains("static/catalog.css"), "{html}");
    assert!(html.contains(
        "<caption id=catalog-standard-caption>社会救助领域基层政务公开标准目录</caption>"
    ));
    assert!(html.contains("<th colspan=2 scope=colgroup>公开事项</th>"));
    assert!(html.contains("<th scope=col>全社会</th><th scope=col>特定群体</th>"));
    // 一级事项 merged: 最低生活保障 spans its two rows and is printed once; 综合业务 spans one.
    assert!(html.contains("<th class=level1 rowspan=2 scope=rowgroup>最低生活保障</th>"));
    assert!(html.contains("<th class=level1 rowspan=1 scope=rowgroup>综合业务</th>"));
    assert_eq!(html.matches(">最低生活保障</th>").count(), 1);
    let row = |id: &str| {
        let start = html.find(&format!("<tr id=row-matter-{id}>")).unwrap();
        let end = start + html[start..].find("</tr>").unwrap();
        html[start..end].to_string()
    };
    let review = row("dibao-review");
    assert!(
        !review.contains("level1"),
        "merged row has no 一级 cell: {review}"
    );
    // ■/□ channels with text for screen readers, free channels under 其他.
    let guide = row("dibao-guide");
    assert!(guide.contains(
        "<span aria-hidden=true>■</span><span class=visually-hidden>已选：</span>政府网站"
    ));
    assert!(guide.contains(
        "<span aria-hidden=true>□</span><span class=visually-hidden>未选：</span>政府公报"
    ));
    assert!(guide.contains("■</span><span class=visually-hidden>已选：</span>其他：公众号"));
    assert!(guide.contains("（2 份文件）"));
    // √ columns: 全社会 / 主动 / 县级 / 乡级 ticked for the guide; 特定群体 / 依申请 / 乡级 for review.
    let ticks = |r: &str| {
        r.split("<td class=tick>")
            .skip(1)
            .map(|c| c.starts_with("<span aria-hidden=true>√"))
            .collect::<Vec<bool>>()
    };
    assert_eq!(ticks(&guide), [true, false, true, false, true, true]);
    assert_eq!(ticks(&review), [false, true, false, true, false, true]);
    assert!(review.contains("<span class=note>申请人</span>"));
    // Each 事项 links to its section, which lists its documents newest first.
    assert!(guide.contains("<a href=#matter-dibao-guide>办事指南</a>"));
    let sec = &html[html
        .find("<section class=matter-docs id=matter-dibao-guide>")
        .expect(&html)..];
    let sec = &sec[..sec.find("</section>").unwrap()];
    let new = sec.find("123456789/2022-00001").unwrap();
    let old = sec.find("123456789/2021-00001").unwrap();
    assert!(new < old, "newest first: {sec}");
    assert!(sec.contains("<time datetime=2022-01-10>2022-01-10</time>"));
    assert!(sec.contains("有效"));
    assert!(html.contains("本事项暂无公开文件。"));

    // Each document names its 事项 and links to the 事项's section of its domain page.
    let item = site.read("items/social-assistance/dibao/index.html");
    assert!(
        item.contains("<dt>公开事项</dt><dd><a href=/sub/catalog/social-assistance/#matter-dibao-guide>最低生活保障 › 办事指南</a></dd>"),
        "{item}"
    );

    // The catalog home counts 事项, 事项 with documents, documents.
    let home = site.read("catalog/index.html");
    assert!(home.contains("<th class=col-matter scope=col>目录事项数</th><th class=col-matter scope=col>已有文件的事项</th><th scope=col>公开文件数</th>"), "{home}");
    assert!(
        home.contains("<td class=\"count col-matter\">3</td><td class=\"count col-matter\">1</td><td class=count>3</td>"),
        "{home}"
    );
}

#[test]
fn open_data_carries_the_matters_and_every_item() {
    let site = Site::fixture("catalog-table");
    assert!(site.portal(&["build"]).status.success());
    let json: Value = serde_json::from_str(&site.read("catalog.json")).unwrap();
    assert_eq!(json["schema"], "portal-catalog/1");
    let sa = &json["domains"][0];
    assert_eq!(sa["slug"], "social-assistance");
    assert_eq!(sa["matter_count"], 3);
    assert_eq!(sa["matters_with_documents"], 1);
    let guide = &sa["matters"][1];
    assert_eq!(guide["id"], "social-assistance/dibao-guide");
    assert_eq!(guide["deadline"]["reading"]["limits"][0]["trigger"], "made");
    assert_eq!(guide["deadline"]["reading"]["limits"][0]["days"], 10);
    assert_eq!(
        guide["deadline"]["reading"]["limits"][0]["unit"],
        "workdays"
    );
    assert_eq!(
        guide["channels"],
        serde_json::json!(["政府网站", "公开查阅点", "其他"])
    );
    assert_eq!(guide["other_channels"], serde_json::json!(["公众号"]));
    assert_eq!(
        guide["documents"],
        serde_json::json!([
            "/sub/items/social-assistance/dibao-2022/",
            "/sub/items/social-assistance/dibao/"
        ])
    );
    assert_eq!(
        sa["matters"][2]["deadline"]["reading"]["display_workdays"],
        7
    );
    let docs = json["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4, "every item: {docs:?}");
    assert!(
        docs.iter()
            .any(|d| d["matter"].is_null() && d["title"] == "旧的救助规定")
    );

    let bytes = std::fs::read(site.root().join("public/catalog.csv")).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "UTF-8 with BOM");
    let csv = String::from_utf8(bytes).unwrap();
    assert!(csv.starts_with("\u{feff}领域,事项ID,一级事项,二级事项,"));
    assert!(csv.contains("\r\n社会救助,social-assistance/dibao-guide,最低生活保障,办事指南,"));
    // 2 documents under the guide, 1 line per blank 事项, 2 items under no 事项 (+ header).
    assert_eq!(csv.lines().count(), 1 + 2 + 2 + 2, "{csv}");
}

#[test]
fn late_publication_is_counted_in_working_days_across_spring_festival() {
    let site = Site::fixture("catalog-late");
    let (_, r) = check(&site);
    let late = findings(&r, "matter/late");
    assert_eq!(late.len(), 1, "{:#}", r["findings"]);
    let f = late[0];
    assert_eq!(s(&f["file"]), "content/items/employment/late.md");
    assert_eq!(f["key"], "date");
    assert_eq!(f["line"], 3);
    let msg = s(&f["message"]);
    for part in [
        "《春节后公开的就业政策》（索引号 123456789/2021-00101）",
        "事项「就业信息服务 › 政策文件」（employment/policy）",
        "“制定或获取信息之日起10个工作日内”",
        "成文日期 2021-02-10 起 10 个工作日内应公开（最迟 2021-03-02",
        "实际 2021-03-03（星期三）公开，用了 11 个工作日",
        "春节 2021-02-11 至 2021-02-17",
        "调休上班 2021-02-20（星期六）",
    ] {
        assert!(msg.contains(part), "{part} not in {msg}");
    }
    assert_eq!(s(&f["expected"]), "公开日期不晚于 2021-03-02");
    // 2020: 01-23 + 10 working days runs past the extended 春节 (to 02-02) — 02-10 is in time,
    // as is 2021-03-02 exactly on the last day.
    assert!(!r.to_string().contains("2020年春节延长假期后公开"));
    assert!(!r.to_string().contains("按时公开的就业政策"));
}

#[test]
fn calendar_day_limits_count_calendar_days() {
    let site = Site::fixture("catalog-calendar");
    let (_, r) = check(&site);
    let late = findings(&r, "matter/late");
    assert_eq!(late.len(), 1, "{:#}", r["findings"]);
    let msg = s(&late[0]["message"]);
    assert!(
        msg.contains("信息形成日期 2021-03-01 起 20 日内应公开（最迟 2021-03-21"),
        "{msg}"
    );
    assert!(msg.contains("用了 21 日（自然日）"), "{msg}");
    assert_eq!(s(&late[0]["file"]), "content/items/employment/late.md");
}

#[test]
fn display_period_shorter_than_the_matter_s_is_reported() {
    let site = Site::fixture("catalog-display");
    let (_, r) = check(&site);
    let short = findings(&r, "matter/display-short");
    assert_eq!(short.len(), 1, "{:#}", r["findings"]);
    assert_eq!(s(&short[0]["file"]), "content/items/employment/short.md");
    assert_eq!(short[0]["key"], "display_until");
    let msg = s(&short[0]["message"]);
    assert!(
        msg.contains("要求公示 7 个工作日，公示期 2021-02-08 至 2021-02-19 只有 5 个工作日"),
        "{msg}"
    );
    assert_eq!(s(&short[0]["expected"]), "不早于 2021-02-22（星期一）");
}

#[test]
fn blank_matters_are_proactive_ones_without_documents() {
    let site = Site::fixture("catalog-blank");
    let (code, r) = check(&site);
    let blank = findings(&r, "matter/blank");
    assert_eq!(blank.len(), 1, "{:#}", r["findings"]);
    assert_eq!(s(&blank[0]["file"]), "content/catalog/employment.yaml");
    assert_eq!(blank[0]["line"], 4);
    assert!(
        s(&blank[0]["message"]).contains("事项「就业信息服务 › 岗位信息发布」（employment/jobs）")
    );
    assert!(s(&blank[0]["message"]).contains("就业领域 1 个主动公开事项中有 1 个空白"));
    assert_eq!(code, 0, "a warning, not an error");
}

#[test]
fn disclosure_and_audience_contradicting_the_matter_warn() {
    let site = Site::fixture("catalog-contradiction");
    let (_, r) = check(&site);
    let mode = findings(&r, "matter/mode");
    assert_eq!(mode.len(), 1, "{:#}", r["findings"]);
    assert_eq!(s(&mode[0]["file"]), "content/items/employment/published.md");
    assert!(s(&mode[0]["message"]).contains("属于依申请公开的事项「征收 › 社会稳定风险评估」"));
    let aud = findings(&r, "matter/audience");
    assert_eq!(aud.len(), 1, "{:#}", r["findings"]);
    assert_eq!(s(&aud[0]["file"]), "content/items/employment/aid.md");
    assert!(s(&aud[0]["message"]).contains("特定群体（法律援助申请人）"));
}

#[test]
fn an_unreadable_deadline_stops_the_build_quoting_the_patterns() {
    let site = Site::fixture("catalog-bad-deadline");
    let out = site.portal(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("error[catalog/deadline]: content/catalog/employment.yaml:11: 键 `deadline`: 第 2 条事项：读不懂这个公开时限"), "{t}");
    assert!(t.contains("实际：\"尽快公开\""), "{t}");
    assert!(t.contains("制定或获取信息之日起10个工作日内｜"), "{t}");
    assert!(
        t.contains("本级人民代表大会或其常务委员会批准后20日内"),
        "{t}"
    );
}

#[test]
fn an_unknown_matter_is_an_error_listing_the_domain_s_matters() {
    let site = Site::fixture("catalog-unknown-matter");
    let out = site.portal(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("error[matter/unknown]: content/items/employment/x.md:5: 键 `matter`: 目录中没有事项 employment/job"), "{t}");
    assert!(
        t.contains("employment/jobs（就业信息服务 › 岗位信息发布）"),
        "{t}"
    );
    // A 事项 of another domain than the item's.
    assert!(t.contains("error[matter/domain]: content/items/social-assistance/wrong-domain.md:5: 键 `matter`: 事项 employment/jobs 不属于本文件所在的领域"), "{t}");
    assert!(
        t.contains("提示：把文件移到 items/employment/，或在 `domain:` 中加上 employment"),
        "{t}"
    );
}

#[test]
fn new_item_with_matter_fills_matter_and_domain() {
    let site = Site::fixture("catalog-table");
    let out = site.portal(&[
        "new",
        "item",
        "低保审核名单",
        "--matter",
        "social-assistance/dibao-review",
        "--date",
        "2022-02-01",
        "--slug",
        "review",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let file = std::fs::read_to_string(
        site.root()
            .join("content/items/social-assistance/2022-02-01-review.md"),
    )
    .unwrap();
    assert!(
        file.contains("\nmatter: social-assistance/dibao-review"),
        "{file}"
    );
    let out = site.portal(&["new", "item", "x", "--matter", "social-assistance/nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("social-assistance/dibao-guide（最低生活保障 › 办事指南）"));
}

#[cfg(unix)]
#[test]
fn a_catalog_file_linking_out_of_the_site_is_refused() {
    let site = Site::fixture("_base");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(&secret, "matters:\n  - id: secret-token-4711\n").unwrap();
    std::fs::create_dir_all(site.root().join("content/catalog")).unwrap();
    std::os::unix::fs::symlink(&secret, site.root().join("content/catalog/employment.yaml"))
        .unwrap();
    let out = site.portal(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(
        t.contains("error[load/symlink-outside]: content/catalog/employment.yaml"),
        "{t}"
    );
    assert!(!t.contains("secret-token-4711"), "{t}");
}
