//! The three tables in the national layout (domain reference §1.3–§1.5), as accessible HTML.

use std::fmt::Write;

use super::data::{
    AppRow, Applicant, IDENTITY_NOTE, Outcome, RESULTS_LABEL, ReportData, ReviewGroup,
};

/// One of the three tables of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    /// 表一 主动公开政府信息情况 (`active_disclosure`)
    Active,
    /// 表二 收到和处理政府信息公开申请情况 (`applications`)
    Applications,
    /// 表三 政府信息公开行政复议、行政诉讼情况 (`review_litigation`)
    Review,
}

impl Table {
    /// The three tables in report order.
    pub const ALL: [Table; 3] = [Table::Active, Table::Applications, Table::Review];

    /// The front-matter key, which is also the marker name: `<!-- table: applications -->`.
    pub fn key(self) -> &'static str {
        match self {
            Table::Active => "active_disclosure",
            Table::Applications => "applications",
            Table::Review => "review_litigation",
        }
    }

    /// The caption, e.g. `表二 收到和处理政府信息公开申请情况`.
    pub fn caption(self) -> &'static str {
        match self {
            Table::Active => "表一 主动公开政府信息情况",
            Table::Applications => "表二 收到和处理政府信息公开申请情况",
            Table::Review => "表三 政府信息公开行政复议、行政诉讼情况",
        }
    }

    /// The start of the text of the report section (`<h2>`) the table belongs to.
    pub fn section_prefix(self) -> &'static str {
        match self {
            Table::Active => "二、",
            Table::Applications => "三、",
            Table::Review => "四、",
        }
    }

    /// The table named by a marker or key.
    pub fn from_key(key: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `<th>` with optional spans; `scope` is one of col, row, colgroup, rowgroup.
fn th(s: &mut String, text: &str, scope: &str, colspan: usize, rowspan: usize) {
    s.push_str("<th");
    if colspan > 1 {
        let _ = write!(s, " colspan=\"{colspan}\"");
    }
    if rowspan > 1 {
        let _ = write!(s, " rowspan=\"{rowspan}\"");
    }
    let _ = write!(s, " scope=\"{scope}\">{}</th>", esc(text));
}

fn td(s: &mut String, text: &str, colspan: usize) {
    if colspan > 1 {
        let _ = write!(s, "<td colspan=\"{colspan}\">{}</td>", esc(text));
    } else {
        let _ = write!(s, "<td>{}</td>", esc(text));
    }
}

/// The `id` of a table's wrapper; the caption's is this plus `-caption`.
pub(crate) fn table_id(r: &ReportData, t: Table) -> String {
    format!("report-{}-{}", r.year, t.key().replace('_', "-"))
}

/// See [`super::table_html`].
pub(super) fn table_html(r: &ReportData, t: Table) -> String {
    let id = table_id(r, t);
    let mut s = String::new();
    let _ = write!(
        s,
        "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"{id}-caption\" tabindex=\"0\">\n\
         <table class=\"report-table report-table-{}\" id=\"{id}\">\n<caption id=\"{id}-caption\">{}</caption>\n",
        t.key().replace('_', "-"),
        esc(t.caption())
    );
    match t {
        Table::Active => active(&mut s, r),
        Table::Applications => applications(&mut s, r),
        Table::Review => review(&mut s, r),
    }
    s.push_str("</table>\n</div>\n");
    s
}

/// Table 1: one `<tbody>` per block (第二十条第(x)项), each with its 信息内容 header row. Four
/// columns; a block with fewer value columns lets its last one span the rest.
fn active(s: &mut String, r: &ReportData) {
    const WIDTH: usize = 4;
    for b in r.active.blocks() {
        let last_span = WIDTH - b.columns.len();
        s.push_str("<tbody>\n<tr>");
        th(s, b.title, "rowgroup", WIDTH, 1);
        s.push_str("</tr>\n<tr>");
        th(s, "信息内容", "col", 1, 1);
        for (j, c) in b.columns.iter().enumerate() {
            let span = if j + 1 == b.columns.len() { last_span } else { 1 };
            th(s, c, "col", span, 1);
        }
        s.push_str("</tr>\n");
        for (_, label, values) in &b.rows {
            s.push_str("<tr>");
            th(s, label, "row", 1, 1);
            for (j, v) in values.iter().enumerate() {
                let span = if j + 1 == values.len() { last_span } else { 1 };
                td(s, &v.to_string(), span);
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody>\n");
    }
}

/// Table 2: the header block (3×3 note, 申请人情况, 自然人 / 法人或其他组织 / 总计) and the
/// rows with 三、本年度办理结果 spanning the result rows.
fn applications(s: &mut String, r: &ReportData) {
    let format = r.format;
    s.push_str("<thead>\n<tr>");
    th(s, IDENTITY_NOTE, "colgroup", 3, 3);
    th(s, "申请人情况", "colgroup", 7, 1);
    s.push_str("</tr>\n<tr>");
    th(s, Applicant::NaturalPerson.label(), "col", 1, 2);
    th(s, "法人或其他组织", "colgroup", 5, 1);
    th(s, Applicant::Total.label(), "col", 1, 2);
    s.push_str("</tr>\n<tr>");
    for a in &Applicant::SIX[1..] {
        th(s, a.label(), "col", 1, 1);
    }
    s.push_str("</tr>\n</thead>\n<tbody>\n");

    let in_results = |row: AppRow| row.is_result() || row == AppRow::TotalProcessed;
    let results_span = AppRow::rows(format).filter(|r| in_results(*r)).count();
    let mut results_open = false;
    let mut prev_group = None;
    for (row, cells) in &r.applications.rows {
        s.push_str("<tr>");
        if !in_results(*row) {
            th(s, row.label(), "row", 3, 1);
        } else {
            if !results_open {
                th(s, RESULTS_LABEL, "rowgroup", 1, results_span);
                results_open = true;
            }
            match row.group() {
                None => th(s, row.label(), "row", 2, 1),
                Some(g) => {
                    if prev_group != Some(g) {
                        let n = AppRow::rows(format).filter(|r| r.group() == Some(g)).count();
                        th(s, g.label(), "rowgroup", 1, n);
                    }
                    th(s, row.label(), "row", 1, 1);
                }
            }
        }
        prev_group = row.group();
        for v in cells {
            td(s, &v.to_string(), 1);
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n");
}

/// Table 3: 行政复议 (5) | 行政诉讼 (10: 未经复议直接起诉 5, 复议后起诉 5), one data row. As in
/// the real reports, the five 行政复议 labels span the second and third header rows.
fn review(s: &mut String, r: &ReportData) {
    s.push_str("<thead>\n<tr>");
    th(s, ReviewGroup::Review.label(), "colgroup", 5, 1);
    th(s, "行政诉讼", "colgroup", 10, 1);
    s.push_str("</tr>\n<tr>");
    for o in Outcome::ALL {
        th(s, o.label(), "col", 1, 2);
    }
    th(s, ReviewGroup::LitigationDirect.label(), "colgroup", 5, 1);
    th(s, ReviewGroup::LitigationAfterReview.label(), "colgroup", 5, 1);
    s.push_str("</tr>\n<tr>");
    for _ in 0..2 {
        for o in Outcome::ALL {
            th(s, o.label(), "col", 1, 1);
        }
    }
    s.push_str("</tr>\n</thead>\n<tbody>\n<tr>");
    for g in ReviewGroup::ALL {
        for v in r.review.group(g) {
            td(s, &v.to_string(), 1);
        }
    }
    s.push_str("</tr>\n</tbody>\n");
}
