//! The repository's own example portal (content/, from the 2021 report of 杨园街道) builds and
//! shows what a reader and an inspector expect.

mod common;

use common::{Site, text};

#[test]
fn example_portal_builds_with_catalog_report_and_pagination() {
    let site = Site::example();
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");

    // 13 domains of the report, each with at least one item, counts shown on the catalog.
    let catalog = site.read("catalog/index.html");
    for name in [
        "户籍管理",
        "社会救助",
        "养老服务",
        "公共法律服务",
        "财政预决算",
        "就业",
        "社会保险",
        "国有土地上房屋征收与补偿",
        "城市综合执法",
        "市政服务",
        "公共文化服务",
        "卫生健康",
        "食品药品监管",
    ] {
        assert!(
            catalog.contains(&format!(">{name}</a></th>")),
            "{name} missing from catalog"
        );
    }
    // The last column counts documents; the two before it the domain's 事项 and 事项 with
    // documents (市政服务's 事项 are all county-level, so 0 of them have documents).
    assert_eq!(
        catalog.matches("<td class=count>0</td></tr>").count(),
        0,
        "a domain is empty"
    );
    assert!(
        catalog.contains("社会救助</a></th><td>最低生活保障、特困人员救助供养、临时救助等救助政策和办理流程。</td><td class=count>12</td><td class=count>3</td><td class=count>3</td></tr>"),
        "{catalog}"
    );
    assert!(catalog.contains("共 13 个领域"), "{catalog}");

    // The annual report with its metadata as published.
    let report = site.read("reports/2021/index.html");
    for needle in [
        "<h1>杨园街道2021年政府信息公开工作年度报告</h1>",
        "<dt>索引号</dt><dd>737546075/2022-01884</dd>",
        "<dt>发布机构</dt><dd>武汉市武昌区人民政府杨园街道办事处</dd>",
        "<dt>公开日期</dt><dd><time datetime=2022-01-13>2022-01-13</time></dd>",
        "<dt>有效性</dt>",
        "id=一总体情况",
        "href=/yangyuan/reports/",
    ] {
        assert!(report.contains(needle), "missing {needle}");
    }

    // 15 news at 10 per page: two pages.
    let p1 = site.read("news/index.html");
    assert!(p1.contains("第 1 页，共 2 页"), "{p1}");
    assert!(site.root().join("public/news/page/2/index.html").exists());
    assert!(!site.root().join("public/news/page/3").exists());

    // Sub-path URLs everywhere.
    let home = site.read("index.html");
    assert!(home.contains("href=/yangyuan/catalog/"));
    assert!(home.contains("杨园街道2021年政府信息公开工作年度报告"));
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://www.example.gov.cn/yangyuan/reports/2021/</loc>")
    );
}
