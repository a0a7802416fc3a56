//! A real browser (Debian's headless Chromium) searches the example portal served from a
//! sub-path by a plain static server: results are listed with highlights and no script errors.

use crate::common::{browse, chromium, serve_example};

#[test]
fn search_for_yanglao_in_a_real_browser_under_a_sub_path() {
    let Some(chrome) = chromium() else { return };
    let (_site, _server, base) = serve_example();

    let (dom, log) = browse(&chrome, &format!("{base}search/?q=%E5%85%BB%E8%80%81"));
    assert!(!log.contains("Uncaught"), "JavaScript error:\n{log}");
    assert!(!log.contains(":ERROR:CONSOLE"), "console error:\n{log}");
    // Pages about 养老 must be found, linked under the sub-path, with the hits highlighted.
    for (title, url) in [
        (
            "联盟驿站",
            "/yangyuan/news/2021-09-09-red-elderly-care-station/",
        ),
        ("居家", "/yangyuan/items/elderly-care/home-based-care/"),
    ] {
        assert!(dom.contains(title), "{title} not in results:\n{dom}");
        assert!(dom.contains(url), "{url} not linked:\n{dom}");
    }
    assert!(
        dom.contains("<mark>养老</mark>") || dom.contains("<mark>养</mark>"),
        "no highlight:\n{dom}"
    );
    assert!(
        dom.contains("aria-live"),
        "results are not announced:\n{dom}"
    );

    assert!(dom.contains("找到 "), "no count in the status line:\n{dom}");

    // 低保 finds the 最低生活保障 item, and the page says the query was expanded.
    let (dom, log) = browse(&chrome, &format!("{base}search/?q=%E4%BD%8E%E4%BF%9D"));
    assert!(!log.contains("Uncaught"), "JavaScript error:\n{log}");
    assert!(
        dom.contains("/yangyuan/items/social-assistance/dibao/"),
        "低保 not found:\n{dom}"
    );
    assert!(
        dom.contains("已包含：最低生活保障"),
        "expansion not shown:\n{dom}"
    );

    // 繁体: 養老 finds the same pages as 养老 (the folding table is fetched under the sub-path).
    let (dom, log) = browse(&chrome, &format!("{base}search/?q=%E9%A4%8A%E8%80%81"));
    assert!(!log.contains("Uncaught"), "JavaScript error:\n{log}");
    assert!(
        dom.contains("/yangyuan/news/2021-09-09-red-elderly-care-station/"),
        "養老 did not find 养老:\n{dom}"
    );

    // 救助服务: two pages hold all its bigrams (救助 … 服务), none the phrase: after the check
    // no result is listed or counted as exact, and the partial group is labelled.
    let (dom, log) = browse(
        &chrome,
        &format!("{base}search/?q=%E6%95%91%E5%8A%A9%E6%9C%8D%E5%8A%A1"),
    );
    assert!(!log.contains("Uncaught"), "JavaScript error:\n{log}");
    assert!(
        dom.contains("没有完整包含“救助服务”的结果；找到 "),
        "scattered bigrams counted as exact:\n{dom}"
    );
    let exact_list = dom
        .split("id=\"search-results\"")
        .nth(1)
        .and_then(|s| s.split("</ol>").next())
        .unwrap_or("");
    assert!(
        !exact_list.contains("<li"),
        "a result without the phrase in the exact list:\n{exact_list}"
    );

    // The empty query explains itself; a filter that excludes every hit is named.
    let (dom, _) = browse(&chrome, &format!("{base}search/"));
    assert!(dom.contains("请输入要查找的关键词"), "empty state:\n{dom}");
    let (dom, _) = browse(
        &chrome,
        &format!("{base}search/?q=%E5%85%BB%E8%80%81&domain=%E5%B0%B1%E4%B8%9A"),
    );
    assert!(
        dom.contains("中没有找到与“养老”相关的结果；不限筛选条件时有"),
        "filtered-to-zero state:\n{dom}"
    );
}
