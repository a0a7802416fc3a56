//! The three tables in the national layout (domain reference §1.3–§1.5), as accessible HTML.

pub(crate) use crate::escape::html as esc;
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
            let span = if j + 1 == b.columns.len() {
                last_span
            } else {
                1
            };
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
                        let n = AppRow::rows(format)
                            .filter(|r| r.group() == Some(g))
                            .count();
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
    th(
        s,
        ReviewGroup::LitigationAfterReview.label(),
        "colgroup",
        5,
        1,
    );
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

#[cfg(test)]
mod tests {
    use super::super::data::{AppRow, Format};
    use super::super::fixtures::{report_2019, seed};
    use super::{Table, table_html};

    /// The rows of a table: per `<tr>`, its cells as (tag, attributes, text).
    fn rows(html: &str) -> Vec<Vec<(String, String, String)>> {
        let mut out = Vec::new();
        for tr in html.split("<tr>").skip(1) {
            let tr = tr.split("</tr>").next().unwrap();
            let mut cells = Vec::new();
            let mut rest = tr;
            while let Some(i) = rest.find('<') {
                let tag = &rest[i + 1..i + 3];
                let open_end = rest[i..].find('>').unwrap() + i;
                let close = rest.find(&format!("</{tag}>")).unwrap();
                let attrs = rest[i + 3..open_end].trim().to_string();
                cells.push((
                    tag.to_string(),
                    attrs,
                    rest[open_end + 1..close].to_string(),
                ));
                rest = &rest[close + 5..];
            }
            out.push(cells);
        }
        out
    }

    /// The `<td>` texts of the row whose last `<th>` is `label`.
    fn data_row(html: &str, label: &str) -> Vec<String> {
        rows(html)
            .into_iter()
            .find(|r| {
                r.iter()
                    .rev()
                    .find(|c| c.0 == "th")
                    .is_some_and(|c| c.2 == label)
            })
            .unwrap_or_else(|| panic!("no row {label}"))
            .into_iter()
            .filter(|c| c.0 == "td")
            .map(|c| c.2)
            .collect()
    }

    #[test]
    fn applications_table_every_cell_in_place() {
        let r = seed();
        let html = table_html(&r, Table::Applications);
        assert_eq!(
            data_row(&html, "（一）予以公开"),
            ["3", "0", "0", "0", "0", "0", "3"]
        );
        assert_eq!(
            data_row(&html, "1.本机关不掌握相关政府信息"),
            ["3", "0", "0", "0", "0", "0", "3"]
        );
        assert_eq!(
            data_row(&html, "3.补正后申请内容仍不明确"),
            ["2", "0", "0", "0", "0", "0", "2"]
        );
        assert_eq!(
            data_row(&html, "（七）总计"),
            ["8", "0", "0", "0", "0", "0", "8"]
        );
        for (row, cells) in &r.applications.rows {
            let want: Vec<String> = cells.iter().map(u64::to_string).collect();
            assert_eq!(data_row(&html, row.label()), want, "{row:?}");
        }
        // Header and spans as in the national template.
        let rs = rows(&html);
        assert_eq!(rs[0][0].1, "colspan=\"3\" rowspan=\"3\" scope=\"colgroup\"");
        assert_eq!(
            rs[0][0].2,
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        );
        assert_eq!(
            rs[0][1],
            (
                "th".into(),
                "colspan=\"7\" scope=\"colgroup\"".into(),
                "申请人情况".into()
            )
        );
        assert_eq!(
            rs[1]
                .iter()
                .map(|c| (c.1.as_str(), c.2.as_str()))
                .collect::<Vec<_>>(),
            [
                ("rowspan=\"2\" scope=\"col\"", "自然人"),
                ("colspan=\"5\" scope=\"colgroup\"", "法人或其他组织"),
                ("rowspan=\"2\" scope=\"col\"", "总计"),
            ]
        );
        assert_eq!(
            rs[2].iter().map(|c| c.2.as_str()).collect::<Vec<_>>(),
            [
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "其他"
            ]
        );
        assert_eq!(rs[3][0].1, "colspan=\"3\" scope=\"row\"");
        assert_eq!(
            (rs[5][0].1.as_str(), rs[5][0].2.as_str()),
            ("rowspan=\"22\" scope=\"rowgroup\"", "三、本年度办理结果")
        );
        assert_eq!(rs[5][1].1, "colspan=\"2\" scope=\"row\"");
        for (group, span) in [
            ("（三）不予公开", 8),
            ("（四）无法提供", 3),
            ("（五）不予处理", 5),
            ("（六）其他处理", 3),
        ] {
            let cell = rs.iter().flatten().find(|c| c.2 == group).unwrap();
            assert_eq!(cell.1, format!("rowspan=\"{span}\" scope=\"rowgroup\""));
        }
        assert_eq!(rs.len(), 3 + 25);
        assert!(html.starts_with("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"report-2021-applications-caption\" tabindex=\"0\">"));
        assert!(html.contains("<caption id=\"report-2021-applications-caption\">表二 收到和处理政府信息公开申请情况</caption>"));
    }

    #[test]
    fn active_table_2021_blocks() {
        let html = table_html(&seed(), Table::Active);
        for block in [
            "第二十条第（一）项",
            "第二十条第（五）项",
            "第二十条第（六）项",
            "第二十条第（八）项",
        ] {
            assert!(
                html.contains(&format!(
                    "<th colspan=\"4\" scope=\"rowgroup\">{block}</th>"
                )),
                "{block}"
            );
        }
        assert_eq!(html.matches("<th scope=\"col\">信息内容</th>").count(), 4);
        assert!(html.contains("<th scope=\"col\">现行有效件数</th>"));
        assert!(html.contains("<th colspan=\"3\" scope=\"col\">本年收费金额（单位：万元）</th>"));
        assert_eq!(data_row(&html, "规章"), ["0", "0", "0"]);
        assert_eq!(data_row(&html, "行政规范性文件"), ["0", "0", "0"]);
        assert_eq!(data_row(&html, "行政许可"), ["514"]);
        assert_eq!(data_row(&html, "行政处罚"), ["459"]);
        assert_eq!(data_row(&html, "行政强制"), ["0"]);
        assert_eq!(data_row(&html, "行政事业性收费"), ["0"]);
        assert!(html.contains("<td colspan=\"3\">514</td>"));
    }

    #[test]
    fn review_table_layout() {
        let mut r = seed();
        r.review.litigation_after_review = [1, 0, 0, 2, 3];
        let html = table_html(&r, Table::Review);
        let rs = rows(&html);
        let texts = |i: usize| rs[i].iter().map(|c| c.2.clone()).collect::<Vec<_>>();
        assert_eq!(texts(0), ["行政复议", "行政诉讼"]);
        assert_eq!(rs[0][0].1, "colspan=\"5\" scope=\"colgroup\"");
        assert_eq!(rs[0][1].1, "colspan=\"10\" scope=\"colgroup\"");
        assert_eq!(
            texts(1),
            [
                "结果维持",
                "结果纠正",
                "其他结果",
                "尚未审结",
                "总计",
                "未经复议直接起诉",
                "复议后起诉"
            ]
        );
        assert_eq!(rs[1][5].1, "colspan=\"5\" scope=\"colgroup\"");
        assert_eq!(texts(2).len(), 10);
        assert_eq!(
            texts(3),
            [
                "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "0", "0", "2", "3"
            ]
        );
    }

    #[test]
    fn format_2019_tables() {
        let r = report_2019();
        let html = table_html(&r, Table::Active);
        assert!(html.contains("<th scope=\"row\">其他对外管理服务事项</th>"));
        assert!(html.contains("<th scope=\"row\">政府集中采购</th>"));
        assert!(html.contains("<th scope=\"col\">上一年项目数量</th>"));
        assert!(html.contains("<th colspan=\"4\" scope=\"rowgroup\">第二十条第（九）项</th>"));
        assert_eq!(data_row(&html, "行政许可"), ["12", "-1", "430"]);
        assert_eq!(data_row(&html, "政府集中采购"), ["2", "0.092"]);
        assert!(html.contains("<td colspan=\"2\">0.092</td>"));
        let html = table_html(&r, Table::Applications);
        assert!(html.contains("<th rowspan=\"20\" scope=\"rowgroup\">三、本年度办理结果</th>"));
        assert!(html.contains("<th colspan=\"2\" scope=\"row\">（六）其他处理</th>"));
        assert!(!html.contains("3.其他"));
        assert_eq!(
            data_row(&html, "（六）其他处理"),
            ["1", "0", "0", "0", "0", "0", "1"]
        );
        assert_eq!(rows(&html).len(), 3 + 23);
        assert_eq!(r.format, Format::F2019);
        assert!(r.applications.rows.contains_key(&AppRow::OtherHandling));
    }

    #[test]
    fn output_is_deterministic_and_escaped() {
        let r = seed();
        assert_eq!(
            table_html(&r, Table::Applications),
            table_html(&r, Table::Applications)
        );
        assert_eq!(
            super::esc("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }
}
