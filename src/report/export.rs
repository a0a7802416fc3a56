//! Open data: the tables as JSON and CSV (documented in `docs/report-json-schema.md`).

use std::path::Path;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::active::ActiveDisclosure;
use super::data::{
    AppRow, Applicant, Applications, Cells, Outcome, Outcomes, RESULTS_LABEL, ReportData,
    ReviewGroup, ReviewLitigation,
};
use super::html::Table;

/// The value of `schema` in every JSON document.
pub(crate) const SCHEMA: &str = "portal.report/1";

struct CellsSer<'a>(&'a Cells);

impl Serialize for CellsSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(7))?;
        for a in Applicant::ALL {
            m.serialize_entry(a.key(), &self.0[a.index()])?;
        }
        m.end()
    }
}

struct AppsSer<'a>(&'a Applications);

impl Serialize for AppsSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.rows.len()))?;
        for (row, cells) in &self.0.rows {
            m.serialize_entry(row.key(), &CellsSer(cells))?;
        }
        m.end()
    }
}

struct OutcomesSer<'a>(&'a Outcomes);

impl Serialize for OutcomesSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        for o in Outcome::ALL {
            m.serialize_entry(o.key(), &self.0[o.index()])?;
        }
        m.end()
    }
}

struct ReviewSer<'a>(&'a ReviewLitigation);

impl Serialize for ReviewSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        for g in ReviewGroup::ALL {
            m.serialize_entry(g.key(), &OutcomesSer(self.0.group(g)))?;
        }
        m.end()
    }
}

/// The JSON document; field order is the order written.
#[derive(serde::Serialize)]
struct Doc<'a> {
    schema: &'static str,
    year: i32,
    format: &'static str,
    active_disclosure: &'a ActiveDisclosure,
    applications: AppsSer<'a>,
    review_litigation: ReviewSer<'a>,
}

/// See [`super::to_json`].
pub(super) fn to_json(r: &ReportData) -> String {
    let doc = Doc {
        schema: SCHEMA,
        year: r.year,
        format: r.format.as_str(),
        active_disclosure: &r.active,
        applications: AppsSer(&r.applications),
        review_litigation: ReviewSer(&r.review),
    };
    // Serializing plain maps of numbers and strings cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// See [`super::from_json`]. The document uses the keys of the front matter, so it is read by the
/// same parser, strictly: any finding is an error.
pub(super) fn from_json(s: &str) -> Result<ReportData, String> {
    let v: serde_yaml::Value = serde_json::from_str(s).map_err(|e| format!("invalid JSON: {e}"))?;
    let m = v.as_mapping().ok_or("the JSON document is not an object")?;
    match m.get("schema").and_then(|v| v.as_str()) {
        Some(SCHEMA) => {}
        other => return Err(format!("unknown schema {other:?}; expected \"{SCHEMA}\"")),
    }
    let (data, diags) = super::parse::parse(m, Path::new("<json>"), &|_| None);
    if !diags.is_empty() {
        let msgs: Vec<String> = diags.iter().map(ToString::to_string).collect();
        return Err(msgs.join("\n"));
    }
    data.ok_or_else(|| "the JSON document has no tables".to_string())
}

/// Every value column of every layout, in output order; a CSV has those its reports use.
const COLUMNS: [&str; 24] = [
    // Table 1, 2021 format.
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额（单位：万元）",
    // Table 1, 2019 format.
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "处理决定数量",
    "采购项目数量",
    "采购总金额",
    // Table 2.
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    // Table 3.
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    // Tables 2 and 3.
    "总计",
];

/// One CSV line: a table row of one report.
struct Line {
    year: i32,
    format: &'static str,
    table: Table,
    group: String,
    item: &'static str,
    code: String,
    values: Vec<(&'static str, String)>,
}

fn lines(r: &ReportData) -> Vec<Line> {
    let line = |table, group: String, item, code: String, values| Line {
        year: r.year,
        format: r.format.as_str(),
        table,
        group,
        item,
        code,
        values,
    };
    let mut out = Vec::new();
    for b in r.active.blocks() {
        for (key, label, values) in &b.rows {
            let values = b
                .columns
                .iter()
                .zip(values)
                .map(|(c, v)| (*c, v.to_string()))
                .collect();
            out.push(line(
                Table::Active,
                b.title.to_string(),
                *label,
                format!("active_disclosure.{key}"),
                values,
            ));
        }
    }
    for (row, cells) in &r.applications.rows {
        let group = match (
            row.is_result() || *row == AppRow::TotalProcessed,
            row.group(),
        ) {
            (false, _) => String::new(),
            (true, None) => RESULTS_LABEL.to_string(),
            (true, Some(g)) => format!("{RESULTS_LABEL} {}", g.label()),
        };
        let values = Applicant::ALL
            .iter()
            .map(|a| (a.label(), cells[a.index()].to_string()))
            .collect();
        out.push(line(
            Table::Applications,
            group,
            row.label(),
            format!("applications.{}", row.key()),
            values,
        ));
    }
    for g in ReviewGroup::ALL {
        let group = if g == ReviewGroup::Review {
            ""
        } else {
            "行政诉讼"
        };
        let c = r.review.group(g);
        let values = Outcome::ALL
            .iter()
            .map(|o| (o.label(), c[o.index()].to_string()))
            .collect();
        out.push(line(
            Table::Review,
            group.to_string(),
            g.label(),
            format!("review_litigation.{}", g.key()),
            values,
        ));
    }
    out
}

/// A CSV field, quoted when it needs to be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The CSV of one or more reports: UTF-8 with BOM, CRLF line ends, a header line, then one line
/// per (year, table, row) with the value columns the reports use; a column a row does not have is
/// empty.
pub(super) fn to_csv(reports: &[&ReportData]) -> String {
    let all: Vec<Line> = reports.iter().flat_map(|r| lines(r)).collect();
    let used: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| all.iter().any(|l| l.values.iter().any(|(k, _)| k == c)))
        .collect();
    let mut s = String::from("\u{feff}");
    let mut header = vec!["年度", "格式", "表格", "分组", "项目", "代码"];
    header.extend(&used);
    s.push_str(
        &header
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    s.push_str("\r\n");
    for l in &all {
        let mut fields = vec![
            l.year.to_string(),
            l.format.to_string(),
            l.table.caption().to_string(),
            l.group.clone(),
            l.item.to_string(),
            l.code.clone(),
        ];
        for c in &used {
            fields.push(
                l.values
                    .iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            );
        }
        s.push_str(
            &fields
                .iter()
                .map(|f| field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        s.push_str("\r\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::data::ReportData;
    use super::super::fixtures::{report_2019, seed};
    use super::{from_json, to_csv, to_json};

    #[test]
    fn json_round_trip_equals_the_source() {
        for r in [seed(), report_2019()] {
            let json = to_json(&r);
            assert_eq!(from_json(&json).unwrap(), r, "{json}");
            assert!(json.starts_with("{\n  \"schema\": \"portal.report/1\",\n  \"year\": "));
        }
        let json = to_json(&report_2019());
        assert!(json.contains("\"amount_wan_yuan\": 0.092"));
        assert!(json.contains("\"change\": -1"));
        // Computed totals are in the file.
        assert!(to_json(&seed()).contains("\"total_processed\": {\n      \"natural_person\": 8,"));
    }

    #[test]
    fn from_json_rejects_other_documents() {
        assert!(from_json("[]").is_err());
        assert!(
            from_json("{\"schema\": \"other/1\"}")
                .unwrap_err()
                .contains("unknown schema")
        );
        let bad = to_json(&seed()).replace("\"licensing\": 514", "\"licensing\": -514");
        assert!(from_json(&bad).unwrap_err().contains("report/A6"));
    }

    #[test]
    fn csv_has_bom_labels_and_one_line_per_row() {
        let csv = to_csv(&[&seed()]);
        assert!(csv.starts_with("\u{feff}年度,格式,表格,分组,项目,代码,本年制发件数,"));
        assert_eq!(csv.lines().count(), 1 + 6 + 25 + 3);
        assert!(csv.contains(
            "2021,2021,表二 收到和处理政府信息公开申请情况,三、本年度办理结果,（一）予以公开,applications.granted,,,,,,3,0,0,0,0,0,,,,,3\r\n"
        ));
        assert!(csv.contains(",第二十条第（五）项,行政许可,active_disclosure.licensing,,,,514,"));
        assert!(
            !csv.contains("采购总金额"),
            "2019 columns only when a 2019 report is in"
        );
    }

    #[test]
    fn all_years_csv_joins_formats() {
        let (a, b): (ReportData, ReportData) = (report_2019(), seed());
        let csv = to_csv(&[&a, &b]);
        assert_eq!(csv.lines().count(), 1 + (8 + 23 + 3) + (6 + 25 + 3));
        let header = csv.lines().next().unwrap();
        assert!(
            header.contains("本年制发件数")
                && header.contains("采购总金额")
                && header.ends_with(",总计")
        );
        assert!(csv.contains(",政府集中采购,active_disclosure.procurement,"));
        assert!(csv.contains(
            "2019,2019,表二 收到和处理政府信息公开申请情况,三、本年度办理结果,（六）其他处理,"
        ));
        assert_eq!(super::field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
