//! The fast path on hand-written HTML: what it writes, and what it leaves to ammonia.

use super::*;
use crate::site_config::HtmlConfig;

fn site() -> Policy {
    Policy::new(&HtmlConfig::default(), "https://www.example.gov.cn/sub/")
}

#[test]
fn references_void_tags_and_checkboxes_are_written_as_ammonia_does() {
    let p = site();
    for html in [
        "<p>a &amp; b &quot;c&quot; &#x27;d&#39;\u{a0}e &gt; f<br />\ng</p>\n<hr />\n",
        "<p><img src=\"/sub/files/a.png\" alt=\"&quot;图&quot; &amp; \u{a0}\" title=\"t&#39;\" width=\"1\" height=\"2\" /></p>\n",
        "<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n是</li>\n<li><input disabled=\"\" type=\"checkbox\"/>\n否</li>\n</ul>\n",
        "<div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th style=\"text-align: center\">甲</th><th style=\"text-align: right\">乙</th></tr></thead><tbody>\n<tr><td style=\"text-align: left\">1</td><td>2</td></tr>\n</tbody></table>\n</div>\n",
        "<p><a href=\"https://x.cn/?a=1&amp;b=%22\" title=\"&lt;t&gt;\">x</a> <a href=\"mailto:a@b.cn\">m</a></p>\n",
    ] {
        assert_eq!(p.reserialize(html), Some(p.clean(html)), "{html}");
    }
}

#[test]
fn anything_unusual_is_left_to_ammonia() {
    let p = site();
    for html in [
        // unknown or unsafe elements and attributes, comments, raw text
        "<script>alert(1)</script>",
        "<p onclick=\"x\">a</p>",
        "<p><b>b</b></p>",
        "<!-- c -->",
        "<P>a</P>",
        "<h2 data-x=\"1\">a</h2>",
        "<h2 id=\"a\" id=\"b\">a</h2>",
        "<td style=\"color: red\">a</td>",
        "<p>a<br/ >b</p>",
        // addresses ammonia drops, resources from other hosts
        "<a href=\"javascript:alert(1)\">a</a>",
        "<a href=\"data:text/html,x\">a</a>",
        "<a href=\"foo:bar\">a</a>",
        "<a href=\"http://[::1\">a</a>",
        "<img src=\"https://evil.example/p.gif\" alt=\"\" />",
        "<img src=\"//evil.example/p.gif\" alt=\"\" />",
        // trees html5ever builds otherwise
        "<p><a href=\"/a\">x<a href=\"/b\">y</a></a></p>",
        "<p>a<div>b</div></p>",
        "<h2>a<h3>b</h3></h2>",
        "<em><p>a</p></em>",
        "<li>a</li>",
        "<table><tr><td>a</td></tr></table>",
        "<table><tbody>x<tr><td>a</td></tr></tbody></table>",
        "<pre>\na</pre>",
        "<p>a</em></p>",
        "<p>a",
        "<p>a</p></p>",
        "<br></br>",
        "<div/>",
        // text the parser changes
        "<p>a\r\nb</p>",
        "<p>a\0b</p>",
        "<p>a &copy; b</p>",
        "<p>a & b</p>",
        "<p title=\"a\rb\">a</p>",
        // checkboxes ammonia completes in an order of its own
        "<input type=\"checkbox\" />",
        "<input disabled=\"\" type=\"text\" />",
    ] {
        assert_eq!(p.reserialize(html), None, "{html}");
    }
}

#[test]
fn a_policy_missing_an_element_of_the_fast_path_never_takes_it() {
    let mut p = site();
    p.generated = false;
    assert_eq!(p.reserialize("<p>a</p>"), None);
    assert_eq!(p.clean_generated("<p>a</p>"), "<p>a</p>");
}

#[test]
fn the_element_table_and_the_list_agree() {
    for e in ELEMENTS {
        assert_eq!(element(e.as_bytes()), Some(*e));
    }
    assert_eq!(element(b"script"), None);
    assert_eq!(element(b"P"), None);
}
