//! Putting the tables into the rendered body: at their marker comments, else at the end of
//! their section.

use super::data::ReportData;
use super::html::{Table, table_html};

/// An edit of the body: replace `start..end` (empty for an insertion) by table `t`.
struct Edit {
    start: usize,
    end: usize,
    t: Table,
}

/// The markers `<!-- table: NAME -->` of known tables, first one of each name only. A marker that
/// is the whole content of a `<p>` takes the paragraph with it.
fn markers(html: &str) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    let mut pos = 0;
    while let Some(open) = html[pos..].find("<!--").map(|i| i + pos) {
        let Some(close) = html[open + 4..].find("-->").map(|i| i + open + 4) else {
            break;
        };
        pos = close + 3;
        let inner = html[open + 4..close].trim();
        let Some(name) = inner.strip_prefix("table:") else {
            continue;
        };
        let Some(t) = Table::from_key(name.trim()) else {
            continue;
        };
        if out.iter().any(|e| e.t == t) {
            continue;
        }
        let (mut start, mut end) = (open, pos);
        let before = html[..start].trim_end();
        let after = html[end..].trim_start();
        if before.ends_with("<p>") && after.starts_with("</p>") {
            start = before.len() - 3;
            end = html.len() - after.len() + 4;
        }
        out.push(Edit { start, end, t });
    }
    out
}

/// Byte offsets of the `<h2` tags.
fn h2_starts(html: &str) -> Vec<usize> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = html[pos..].find('<').map(|i| i + pos) {
        pos = i + 1;
        let tag = &bytes[i + 1..bytes.len().min(i + 4)];
        if tag.len() == 3
            && tag[..2].eq_ignore_ascii_case(b"h2")
            && matches!(tag[2], b'>' | b' ' | b'\t' | b'\n' | b'\r')
        {
            out.push(i);
        }
    }
    out
}

/// The text of the heading that starts at `at` (tags stripped, trimmed, anchor signs dropped).
fn heading_text(html: &str, at: usize) -> String {
    let rest = &html[at..];
    let Some(gt) = rest.find('>') else {
        return String::new();
    };
    let end = rest
        .find("</h2")
        .or_else(|| rest.find("</H2"))
        .unwrap_or(rest.len());
    let inner = &rest[(gt + 1).min(end)..end];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '#' | '¶' | '§'))
        .to_string()
}

/// Where a table without a marker goes: before the `<h2` that follows its section's heading, or
/// at the end of the body.
fn fallback(html: &str, h2s: &[usize], t: Table) -> usize {
    let found = h2s
        .iter()
        .position(|&at| heading_text(html, at).starts_with(t.section_prefix()));
    match found {
        Some(i) => h2s.get(i + 1).copied().unwrap_or(html.len()),
        None => html.len(),
    }
}

/// See [`super::place_tables`].
pub(super) fn place_tables(body: &str, r: &ReportData) -> String {
    let mut edits = markers(body);
    let h2s = h2_starts(body);
    for t in Table::ALL {
        if !edits.iter().any(|e| e.t == t) {
            let at = fallback(body, &h2s, t);
            edits.push(Edit {
                start: at,
                end: at,
                t,
            });
        }
    }
    edits.sort_by_key(|e| (e.start, e.t));
    let mut out = String::with_capacity(body.len() + 16 * 1024);
    let mut pos = 0;
    for e in edits {
        out.push_str(&body[pos..e.start]);
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&table_html(r, e.t));
        pos = e.end;
    }
    out.push_str(&body[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::seed;
    use super::super::html::{Table, table_html};
    use super::place_tables;

    /// Where each table's wrapper starts, in `Table::ALL` order.
    fn positions(html: &str) -> Vec<usize> {
        ["active-disclosure", "applications", "review-litigation"]
            .iter()
            .map(|k| {
                let needle = format!("aria-labelledby=\"report-2021-{k}-caption\"");
                assert_eq!(html.matches(&needle).count(), 1, "{k}");
                html.find(&needle).unwrap()
            })
            .collect()
    }

    #[test]
    fn markers_are_replaced() {
        let r = seed();
        let body = "<h2>二、主动公开政府信息情况</h2>\n<p>全年办理行政许可类事项514件</p>\n<!-- table: active_disclosure -->\n\
                    <h2>三、收到和处理政府信息公开申请情况</h2>\n<p><!-- table: applications --></p>\n<p>后文</p>\n\
                    <h2>四、政府信息公开行政复议、行政诉讼情况</h2>\n<!--table:review_litigation-->\n<!-- table: nonsense -->\n\
                    <!-- table: applications -->\n";
        let out = place_tables(body, &r);
        assert!(!out.contains("<!-- table: active_disclosure -->"));
        assert!(!out.contains("<p><!-- table: applications --></p>") && !out.contains("<p><div"));
        assert!(
            out.contains("<!-- table: nonsense -->"),
            "unknown markers are left alone"
        );
        assert!(
            out.ends_with("<!-- table: applications -->\n"),
            "only the first marker of a name is used"
        );
        let p = positions(&out);
        assert!(out.find("514件</p>").unwrap() < p[0] && p[0] < out.find("<h2>三、").unwrap());
        assert!(p[1] < out.find("<p>后文</p>").unwrap());
        assert!(out.find("<h2>四、").unwrap() < p[2]);
        assert!(out.contains(&table_html(&r, Table::Applications)));
    }

    #[test]
    fn missing_markers_go_to_the_end_of_their_section() {
        let r = seed();
        let body = "<h2 id=\"一总体情况\">一、总体情况</h2>\n<p>概述</p>\n<h2 id=\"二\"><a href=\"#二\">二、主动公开政府信息情况</a></h2>\n<p>表前</p>\n\
                    <h2>三、收到和处理政府信息公开申请情况</h2>\n<p>三的文字</p>\n<h2>四、政府信息公开行政复议、行政诉讼情况</h2>\n<p>四的文字</p>\n\
                    <h2>五、存在的主要问题及改进情况</h2>\n<p>五</p>\n";
        let out = place_tables(body, &r);
        let p = positions(&out);
        let at = |s: &str| out.find(s).unwrap();
        assert!(at("<p>表前</p>") < p[0] && p[0] < at("<h2>三、"));
        assert!(at("<p>三的文字</p>") < p[1] && p[1] < at("<h2>四、"));
        assert!(at("<p>四的文字</p>") < p[2] && p[2] < at("<h2>五、"));
    }

    #[test]
    fn no_headings_puts_the_tables_at_the_end_in_order() {
        let r = seed();
        let out = place_tables("<p>正文</p>", &r);
        let p = positions(&out);
        assert!(out.starts_with("<p>正文</p>\n<div"));
        assert!(p[0] < p[1] && p[1] < p[2]);
        assert!(out.ends_with("</table>\n</div>\n"));
        // The last section keeps its table too when there is no next heading.
        let out = place_tables("<h2>四、复议诉讼</h2>\n<p>x</p>\n", &r);
        assert!(positions(&out)[2] > out.find("<p>x</p>").unwrap());
    }
}
