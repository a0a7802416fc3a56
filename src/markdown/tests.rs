//! Unit tests of the Markdown stage.

use super::*;

struct NoLinks;
impl LinkResolver for NoLinks {
    fn resolve(&self, _from: &str, dest: &str) -> LinkTarget {
        if dest == "other.md" {
            LinkTarget::Page {
                index: 1,
                url: "/sub/other/".into(),
                anchor: None,
            }
        } else {
            LinkTarget::Broken("no".into())
        }
    }
}

fn html(md: &str) -> String {
    render(md, 1, "pages/a.md", &NoLinks).html
}

#[test]
fn cjk_soft_break_is_dropped() {
    assert_eq!(html("杨园街道\n政务公开"), "<p>杨园街道政务公开</p>\n");
    assert_eq!(html("句号。\n“引号”"), "<p>句号。“引号”</p>\n");
}

#[test]
fn latin_soft_break_is_kept() {
    assert_eq!(html("hello\nworld"), "<p>hello\nworld</p>\n");
    assert_eq!(html("中文\nword"), "<p>中文\nword</p>\n");
}

#[test]
fn cjk_soft_break_around_emphasis() {
    assert_eq!(
        html("一个**重点**\n内容"),
        "<p>一个<strong>重点</strong>内容</p>\n"
    );
}

#[test]
fn chinese_heading_ids_are_kept_and_deduplicated() {
    assert_eq!(heading_id("一、总体情况"), "一总体情况");
    assert_eq!(heading_id("（一）总体概述"), "一总体概述");
    assert_eq!(heading_id("Hello World 2021"), "hello-world-2021");
    assert_eq!(heading_id("！！"), "section");
    let r = render(
        "## 办理流程\n\n## 办理流程\n\n### 材料 {#cailiao}\n",
        5,
        "a.md",
        &NoLinks,
    );
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["办理流程", "办理流程-1", "cailiao"]);
    assert_eq!(r.headings[1].line, 7);
    assert!(r.html.contains("<h2 id=\"办理流程-1\">"));
}

#[test]
fn links_are_rewritten_and_recorded_with_lines() {
    let r = render(
        "见[其他](other.md)。\n\n[坏](nope.md)\n",
        10,
        "a.md",
        &NoLinks,
    );
    assert!(r.html.contains("href=\"/sub/other/\""));
    assert_eq!(r.links.len(), 2);
    assert_eq!(r.links[1].line, 12);
    assert!(matches!(r.links[1].target, LinkTarget::Broken(_)));
}

#[test]
fn plain_text_and_tables() {
    let r = render(
        "# 标题\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n",
        1,
        "a.md",
        &NoLinks,
    );
    assert!(
        r.html
            .contains("<div class=\"table-wrap\" tabindex=\"0\"><table>")
    );
    assert!(r.text.contains('甲') && r.text.contains('2'));
}

#[test]
fn plain_text_collapses_whitespace_as_split_whitespace_does() {
    let pieces = [
        "  甲\u{3000}乙 ",
        "\t",
        "丙\u{a0}丁\u{85}戊\u{2028}己\u{200b}庚\u{feff}",
        "x\u{b}y\u{1680}z",
        "",
        "  ",
        "末",
    ];
    let mut words = Words::default();
    let mut built = String::new();
    let mut whole = String::new();
    for p in pieces {
        words.push(&mut built, p);
        whole.push_str(p);
        words.space();
        whole.push(' ');
    }
    assert_eq!(
        built,
        whole.split_whitespace().collect::<Vec<_>>().join(" ")
    );
}
