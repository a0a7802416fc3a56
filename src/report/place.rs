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
        if tag.len() == 3 && tag[..2].eq_ignore_ascii_case(b"h2") && matches!(tag[2], b'>' | b' ' | b'\t' | b'\n' | b'\r') {
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
    let end = rest.find("</h2").or_else(|| rest.find("</H2")).unwrap_or(rest.len());
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
            edits.push(Edit { start: at, end: at, t });
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
