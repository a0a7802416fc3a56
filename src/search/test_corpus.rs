//! The small fixed corpus of the search tests, shared by the unit tests (`search::tests`) and
//! the Rust-vs-JavaScript test (`tests/search_js.rs`, which includes this file by path): both
//! sides name `SearchDoc` in the module that includes this one.
#![allow(dead_code, unreachable_pub)]

use super::SearchDoc;

/// One test page.
pub fn doc(
    url: &str,
    title: &str,
    date: &str,
    kind: &str,
    domains: &[&str],
    body: &str,
) -> SearchDoc {
    let label = match kind {
        "news" => "工作动态",
        "item" => "公开事项",
        "report" => "年度报告",
        _ => "页面",
    };
    SearchDoc {
        url: url.into(),
        title: title.into(),
        date: (!date.is_empty()).then(|| date.into()),
        kind: kind.into(),
        kind_label: label.into(),
        domains: domains.iter().map(|s| s.to_string()).collect(),
        headings: Vec::new(),
        keywords: Vec::new(),
        summary: String::new(),
        body: body.into(),
    }
}

/// The fixed ranking corpus.
pub fn corpus() -> Vec<SearchDoc> {
    vec![
        doc(
            "news/a/",
            "社区开展养老服务进家庭活动",
            "2021-03-01",
            "news",
            &["养老服务"],
            "为老年人提供上门养老服务，深受好评。",
        ),
        doc(
            "news/b/",
            "街道召开工作会议",
            "2021-05-01",
            "news",
            &[],
            "会议研究了养老工作和社区服务工作等事项。养老问题受到关注。",
        ),
        doc(
            "items/c/",
            "最低生活保障（低保）申请",
            "2020-01-10",
            "item",
            &["社会救助"],
            "申请低保需要提交户口簿。咨询电话：12345。",
        ),
        doc(
            "items/d/",
            "养老服务补贴发放",
            "2022-07-01",
            "item",
            &["养老服务"],
            "符合条件的老年人可申请养老服务补贴。",
        ),
        doc(
            "news/e/",
            "2021年春季招聘会成功举办",
            "2021-04-02",
            "news",
            &["就业创业"],
            "本次招聘会提供岗位300个，咨询热线１２３４５。",
        ),
        doc(
            "news/f/",
            "招聘信息发布",
            "2019-06-01",
            "news",
            &["就业创业"],
            "社区发布招聘信息，举办小型会议。",
        ),
        doc(
            "reports/g/",
            "2021年政府信息公开工作年度报告",
            "2022-01-15",
            "report",
            &[],
            "2021年，街道办理依申请公开12件。",
        ),
        doc(
            "pages/h/",
            "关于我们",
            "",
            "page",
            &[],
            "Hello World. 明德街道办事处 contact us.",
        ),
    ]
}
