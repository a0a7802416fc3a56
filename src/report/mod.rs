//! 政府信息公开工作年度报告: the three national statistical tables as data.
//!
//! # Design: data, not Markdown tables
//!
//! An annual report's body is Markdown, but its three tables (表一 主动公开政府信息情况,
//! 表二 收到和处理政府信息公开申请情况, 表三 政府信息公开行政复议、行政诉讼情况) are written as
//! data in the front matter (`active_disclosure`, `applications`, `review_litigation`; see
//! `content-format.md`). A Markdown table could not express the national layout (the header cell
//! spanning 3×3, 三、本年度办理结果 spanning 22 rows), and a table typed by hand is where the
//! errors of real reports come from: a 总计 that is not the sum of its row, 上年结转 that does not
//! match last year's 结转下年度, a blank cell that might mean 0. As data the site can
//!
//! * render every report in the same verbatim national layout, accessibly ([`table_html`],
//!   [`place_tables`]);
//! * compute the totals an editor leaves out and check every 勾稽关系 at build time ([`parse`],
//!   [`reconcile`]), including across years (A4) and against the figures the prose quotes
//!   ([`narrative`], A7);
//! * chart and compare the years ([`comparison_html`]) and publish them as open data
//!   ([`to_json`], [`to_csv`], [`all_years_csv`]).
//!
//! The module is split by job: `data` (typed tables, labels, keys), `parse` (front matter →
//! tables, rule `report/type` and `report/A6`), `identities` (A1–A5), `narrative` (A7), `html`
//! (the national layout), `place` (putting tables into the body), `charts` and `export`.
//!
//! Rule ids: `report/A1` … `report/A7` (the identities of domain reference §1.6) and `report/type`
//! (wrong type, unknown key, bad `format`), plus the soft table-1 warnings `report/table1`.

mod active;
mod cell;
mod charts;
mod data;
mod export;
mod html;
mod identities;
pub mod labels;
mod narrative;
mod parse;
mod place;
pub mod skeleton;
mod structure;
pub use structure::{SECTIONS, check_structure};

#[cfg(test)]
mod fixtures;

use std::path::Path;

pub use active::{
    Active2019, Active2021, ActiveDisclosure, DocCounts, Docs2019, Fees2019, Items2019,
    Procurement2019,
};
pub use data::{
    AppRow, Applicant, Applications, Cells, Format, IDENTITY_NOTE, Outcome, Outcomes,
    RESULTS_LABEL, ReportData, ResultGroup, ReviewGroup, ReviewLitigation,
};
pub use html::Table;

use crate::diagnostic::Diagnostic;

/// Line lookup of a key path in the file, e.g. `&["applications","granted","natural_person"]` ->
/// `Some(line)` (1-based, absolute in the file). Provided by the caller.
pub type KeyLines<'a> = &'a dyn Fn(&[&str]) -> Option<usize>;

/// The line of `path`, or of its nearest enclosing key that has one.
pub(crate) fn line_of(lines: KeyLines, path: &[&str]) -> Option<usize> {
    (1..=path.len()).rev().find_map(|n| lines(&path[..n]))
}

/// Parses `year`, `format`, `active_disclosure`, `applications`, `review_litigation` out of the
/// whole front-matter mapping (other keys are not looked at).
///
/// Returns `None` when the report has no table data at all (a report without tables still
/// builds), or when `year`/`format` are unusable (reported). Wrong types (`report/type`, error),
/// unknown table/row/column keys (`report/type`, warning with the list of valid keys), negative or
/// fractional counts (`report/A6`, error) and null/blank cells (`report/A6`, warning, counted as 0)
/// are reported with file, line and key path. A table left out entirely is a warning and shows
/// as zeros.
///
/// Totals left out (a row's `total`, the `total_processed` row, a table-3 group's `total`) are
/// computed; totals given are kept as given, and [`reconcile`] checks them (A3, A2, A5), so call
/// both.
pub fn parse(
    fm: &serde_yaml::Mapping,
    file: &Path,
    lines: KeyLines,
) -> (Option<ReportData>, Vec<Diagnostic>) {
    parse::parse(fm, file, lines)
}

/// Checks the identities A1, A2, A3, A5 (errors) and the soft table-1 checks (warnings,
/// `report/table1`); A4 when `previous` (last year's report in the site, with its file) is given
/// and is of the year before. One error per failing (identity, column) — or (identity, row) for
/// A3 and (identity, group) for A5. Cells `parse` already reported as unusable are not checked
/// again.
pub fn reconcile(
    r: &ReportData,
    file: &Path,
    lines: KeyLines,
    previous: Option<(&ReportData, &Path)>,
) -> Vec<Diagnostic> {
    identities::reconcile(r, file, lines, previous)
}

/// A7 warnings: numbers the body Markdown quotes next to the table's own words
/// (新收政府信息公开申请8件, 上年结转0件, 结转下年度继续办理0件, 行政许可(类事项)514件,
/// 行政处罚459, 被申请行政复议0件, 行政诉讼0件, 予以公开信息3件 …) must equal the table.
/// `body_first_line` is the file line of the body's first line.
pub fn narrative(
    body_markdown: &str,
    r: &ReportData,
    file: &Path,
    body_first_line: usize,
) -> Vec<Diagnostic> {
    narrative::check(body_markdown, r, file, body_first_line)
}

/// Replaces the marker comments `<!-- table: active_disclosure -->`, `<!-- table: applications -->`,
/// `<!-- table: review_litigation -->` in the rendered body HTML by the tables (a marker alone in
/// a `<p>` replaces the paragraph; only the first marker of a name is used). A table whose marker
/// is missing goes at the end of the section whose `<h2>` text starts with 二、 / 三、 / 四、
/// (before the next `<h2`), or at the end of the body if there is no such heading. Unknown marker
/// names are left alone.
pub fn place_tables(body_html: &str, r: &ReportData) -> String {
    place::place_tables(body_html, r)
}

/// One table in the national layout, as an accessible, horizontally scrollable HTML fragment.
pub fn table_html(r: &ReportData, t: Table) -> String {
    html::table_html(r, t)
}

/// The reports index comparison: a year-over-year HTML table plus two inline SVG charts (no
/// JS), each with a text alternative. Returns an empty string when fewer than two reports are
/// given. Input sorted by year ascending; `urls` are the reports' page URLs.
pub fn comparison_html(reports: &[(&ReportData, &str)]) -> String {
    charts::comparison_html(reports)
}

/// The report's tables as JSON (schema `portal.report/1`, documented in
/// `docs/report-json-schema.md`), computed totals included.
pub fn to_json(r: &ReportData) -> String {
    export::to_json(r)
}

/// Reads JSON written by [`to_json`]; any finding of the front-matter rules is an error here.
pub fn from_json(s: &str) -> Result<ReportData, String> {
    export::from_json(s)
}

/// The report's tables as CSV: UTF-8 with BOM, CRLF, one line per table row with Chinese labels
/// (see `docs/report-json-schema.md`).
pub fn to_csv(r: &ReportData) -> String {
    export::to_csv(&[r])
}

/// All years in one CSV, in the same layout as [`to_csv`]: one line per (year, table, row).
pub fn all_years_csv(reports: &[&ReportData]) -> String {
    export::to_csv(reports)
}
