//! Reading the three tables out of a report's front matter (the data contract of
//! `content-format.md`, "Annual reports: the three national tables as data").

use crate::t;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::KeyLines;
use super::active::{ActiveDisclosure, parse_active};
use super::cell::{Cx, is_blank, show};
use super::data::{
    AppRow, Applicant, Applications, Cells, Format, Outcome, ReportData, ReviewGroup,
    ReviewLitigation,
};
use super::labels::{Localized, localize};
use crate::diagnostic::Diagnostic;

const TABLES: [&str; 3] = ["active_disclosure", "applications", "review_litigation"];

/// Reads `year`, `format` and the three tables; see [`super::parse`].
pub(super) fn parse(
    fm: &Mapping,
    file: &Path,
    lines: KeyLines,
) -> (Option<ReportData>, Vec<Diagnostic>) {
    // The national Chinese labels stand for the contract's keys; line lookups go through the
    // keys as written. Which labels table 1 has depends on the format, read below.
    let localized: OnceCell<Localized> = OnceCell::new();
    let written_lines = |path: &[&str]| match localized.get() {
        Some(loc) => {
            let w = loc.as_written(path);
            let refs: Vec<&str> = w.iter().map(String::as_str).collect();
            lines(&refs)
        }
        None => lines(path),
    };
    let probe = localize(fm, Format::F2021);
    let present = TABLES.map(|t| probe.tables.get(t).is_some_and(|v| !v.is_null()));
    if !present.iter().any(|p| *p) {
        return (None, Vec::new());
    }
    let mut cx = Cx {
        file,
        lines: &written_lines,
        diags: Vec::new(),
        invalid: BTreeSet::new(),
    };

    let year = match fm.get("year") {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|y| (1990..=2999).contains(&y)) => {
            n.as_i64().unwrap_or_default() as i32
        }
        Some(v) => {
            cx.type_error(
                &["year"],
                &t!("report.parse.type_error"),
                &t!("report.parse.type_error-2"),
                v,
            );
            return (None, cx.diags);
        }
        None => {
            let d =
                Diagnostic::error("report/type", t!("report.type")).hint(t!("report.type.hint"));
            cx.push(d, &[]);
            return (None, cx.diags);
        }
    };

    let format = match fm.get("format") {
        None => {
            let f = if year >= 2021 {
                Format::F2021
            } else {
                Format::F2019
            };
            let d = Diagnostic::warning("report/type", t!("report.type-2", f = f.as_str()))
                .hint(t!("report.type.hint-2", f = f.as_str()));
            cx.push(d, &["year"]);
            f
        }
        Some(v) => {
            let text = match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            match text.as_deref().and_then(Format::from_str_opt) {
                Some(f) => f,
                None => {
                    let d = Diagnostic::error("report/type", t!("report.type-3"))
                        .expected(t!("report.type.expected"))
                        .found(show(v));
                    cx.push(d, &["format"]);
                    return (None, cx.diags);
                }
            }
        }
    };

    let _ = localized.set(localize(fm, format));
    let fm = &localized.get().map(|l| &l.tables).unwrap_or(&probe.tables);
    for (t, p) in TABLES.iter().zip(present) {
        if !p {
            let d = Diagnostic::warning("report/type", t!("report.type-4", t))
                .hint(t!("report.type.hint-3", t));
            cx.push(d, &[]);
        }
    }

    let active = match fm.get("active_disclosure").filter(|v| !v.is_null()) {
        Some(v) => parse_active(&mut cx, v, format),
        None => ActiveDisclosure::zeros(format),
    };
    let applications = parse_applications(&mut cx, fm.get("applications"), format);
    let review = parse_review(&mut cx, fm.get("review_litigation"));
    let data = ReportData {
        year,
        format,
        active,
        applications,
        review,
        invalid: cx.invalid,
    };
    (Some(data), cx.diags)
}

fn other_format(format: Format) -> Format {
    match format {
        Format::F2019 => Format::F2021,
        Format::F2021 => Format::F2019,
    }
}

/// Reads the cells of a row mapping; `None` for a cell left out (or a blank total, computed).
fn read_row<const N: usize>(
    cx: &mut Cx,
    rm: &Mapping,
    path: [&str; 2],
    what: &str,
    cols: [(&str, &str); N],
) -> [Option<u64>; N] {
    let keys = cols.map(|c| c.0);
    cx.check_keys(rm, &path, &keys, None);
    let mut out = [None; N];
    for (j, (k, label)) in cols.iter().enumerate() {
        let Some(cv) = rm.get(*k) else { continue };
        let cpath = [path[0], path[1], k];
        if j == N - 1 && is_blank(cv) {
            let d = Diagnostic::warning("report/A6", t!("report.A6", what))
                .found(show(cv))
                .hint(t!("report.A6.hint"));
            cx.push(d, &cpath);
            continue;
        }
        out[j] = Some(cx.count(cv, &cpath, &t!("report.where-column", what, label)));
    }
    out
}

fn parse_applications(cx: &mut Cx, v: Option<&Value>, format: Format) -> Applications {
    let mut apps = Applications::zeros(format);
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return apps;
    };
    let Some(m) = cx.mapping(v, &["applications"], &t!("report.table2")) else {
        return apps;
    };
    let valid: Vec<&str> = AppRow::rows(format).map(AppRow::key).collect();
    let other: Vec<&str> = AppRow::all()
        .filter(|r| !r.in_format(format))
        .map(AppRow::key)
        .collect();
    cx.check_keys(
        m,
        &["applications"],
        &valid,
        Some((other_format(format), &other)),
    );
    let cols = Applicant::ALL.map(|a| (a.key(), a.label()));

    let mut given: BTreeMap<AppRow, [Option<u64>; 7]> = BTreeMap::new();
    for row in AppRow::rows(format) {
        let Some(rv) = m.get(row.key()) else { continue };
        let path = ["applications", row.key()];
        let what = t!("report.table2-row", label = row.full_label());
        if rv.is_null() {
            let d = Diagnostic::warning("report/A6", t!("report.A6-2", what))
                .hint(t!("report.A6.hint-2"));
            cx.push(d, &path);
            continue;
        }
        let Some(rm) = cx.mapping(rv, &path, &what) else {
            for a in Applicant::ALL {
                cx.invalid
                    .insert(format!("applications.{}.{}", row.key(), a.key()));
            }
            given.insert(row, [None; 7]);
            continue;
        };
        given.insert(row, read_row(cx, rm, path, &what, cols));
    }

    let total = Applicant::Total.index();
    let fill = |g: &[Option<u64>; 7]| -> Cells {
        let mut c: Cells = g.map(|x| x.unwrap_or(0));
        c[total] = g[total].unwrap_or_else(|| c[..total].iter().sum());
        c
    };
    for row in AppRow::rows(format).filter(|r| *r != AppRow::TotalProcessed) {
        if let Some(g) = given.get(&row) {
            apps.rows.insert(row, fill(g));
        }
    }
    let processed = match given.get(&AppRow::TotalProcessed) {
        Some(g) => fill(g),
        None => {
            // Left out: computed column by column (identity A2); a column summing an unusable
            // cell is itself unusable.
            let mut c: Cells = [0; 7];
            for a in Applicant::SIX {
                for r in AppRow::results(format) {
                    c[a.index()] += apps.cell(r, a);
                    if cx
                        .invalid
                        .contains(&format!("applications.{}.{}", r.key(), a.key()))
                    {
                        cx.invalid
                            .insert(format!("applications.total_processed.{}", a.key()));
                    }
                }
            }
            c[total] = c[..total].iter().sum();
            c
        }
    };
    apps.rows.insert(AppRow::TotalProcessed, processed);
    apps
}

fn parse_review(cx: &mut Cx, v: Option<&Value>) -> ReviewLitigation {
    let mut out = ReviewLitigation::default();
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return out;
    };
    let Some(m) = cx.mapping(v, &["review_litigation"], &t!("report.table3")) else {
        return out;
    };
    let keys = ReviewGroup::ALL.map(ReviewGroup::key);
    cx.check_keys(m, &["review_litigation"], &keys, None);
    let cols = Outcome::ALL.map(|o| (o.key(), o.label()));
    for g in ReviewGroup::ALL {
        let Some(gv) = m.get(g.key()) else { continue };
        let path = ["review_litigation", g.key()];
        let what = t!("report.table3-group", label = g.full_label());
        if gv.is_null() {
            let d = Diagnostic::warning("report/A6", t!("report.A6-3", what))
                .hint(t!("report.A6.hint-3"));
            cx.push(d, &path);
            continue;
        }
        let Some(gm) = cx.mapping(gv, &path, &what) else {
            for o in Outcome::ALL {
                cx.invalid
                    .insert(format!("review_litigation.{}.{}", g.key(), o.key()));
            }
            continue;
        };
        let cells = read_row(cx, gm, path, &what, cols);
        let t = Outcome::Total.index();
        let mut c = cells.map(|x| x.unwrap_or(0));
        c[t] = cells[t].unwrap_or_else(|| c[..t].iter().sum());
        *out.group_mut(g) = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::data::{AppRow, Format};
    use super::super::fixtures::{REPORT_2019, SEED_MD, parse_md, report_2019};
    use crate::diagnostic::Severity;

    fn seed_with(from: &str, to: &str) -> String {
        assert!(SEED_MD.contains(from), "{from}");
        SEED_MD.replacen(from, to, 1)
    }

    #[test]
    fn no_tables_is_none_without_findings() {
        let (data, diags) = parse_md("---\ntitle: 2021年报告\nyear: 2021\n---\n");
        assert!(data.is_none() && diags.is_empty());
    }

    #[test]
    fn wrong_type_is_an_error_with_a_hint() {
        let (data, diags) = parse_md(&seed_with(
            "granted: { natural_person: 3 }",
            "granted: { natural_person: \"3\" }",
        ));
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!(
            (d.rule, d.severity, d.line),
            ("report/type", Severity::Error, Some(18))
        );
        assert_eq!(d.found.as_deref(), Some("\"3\""));
        assert!(d.hint.as_deref().unwrap().contains("写成 3"));
        assert!(
            data.unwrap()
                .invalid
                .contains("applications.granted.natural_person")
        );
    }

    #[test]
    fn unknown_keys_are_errors_listing_the_valid_ones() {
        let md = seed_with(
            "granted: { natural_person: 3 }",
            "grantd: { natural_person: 3 }\n  other_handling: {}\n  granted: { natural_person: 3, robots: 1 }",
        );
        let (_, diags) = parse_md(&md);
        let rules: Vec<_> = diags
            .iter()
            .map(|d| (d.rule, d.severity, d.found.as_deref().unwrap()))
            .collect();
        assert_eq!(
            rules,
            [
                ("report/type", Severity::Error, "grantd"),
                ("report/type", Severity::Error, "other_handling"),
                ("report/type", Severity::Error, "robots"),
            ]
        );
        assert!(
            diags[0]
                .expected
                .as_deref()
                .unwrap()
                .contains("new_received, carried_over, granted,")
        );
        assert_eq!(diags[0].line, Some(18));
        assert!(diags[1].hint.as_deref().unwrap().contains("\"2019\" 格式"));
        assert!(
            diags[2]
                .expected
                .as_deref()
                .unwrap()
                .contains("natural_person")
        );
    }

    /// Issue 9: full-width digits and units copied from Word get the number to write.
    #[test]
    fn full_width_digits_and_units_get_the_number_to_write() {
        for (written, why) in [("４９８", "全角数字"), ("498件", "单位"), ("\"3\"", "引号")]
        {
            let (_, diags) = parse_md(&seed_with(
                "granted: { natural_person: 3 }",
                &format!("granted: {{ natural_person: {written} }}"),
            ));
            let hint = diags[0].hint.as_deref().unwrap_or_default();
            assert!(hint.contains(why), "{written}: {hint}");
            let number = if written == "\"3\"" {
                "写成 3"
            } else {
                "写成 498"
            };
            assert!(hint.contains(number), "{written}: {hint}");
        }
    }

    /// Issue 9: the labels of the printed template are read as the keys they stand for, and a
    /// fault under a Chinese key is still reported on its line.
    #[test]
    fn national_labels_are_keys() {
        let md = seed_with(
            "granted: { natural_person: 3 }",
            "（一）予以公开: { 自然人: 3 }",
        );
        let (data, diags) = parse_md(&md);
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(
            data.unwrap().applications.row(AppRow::Granted),
            [3, 0, 0, 0, 0, 0, 3]
        );
        let (_, diags) = parse_md(&seed_with(
            "granted: { natural_person: 3 }",
            "予以公开: { 自然人: \"3\" }",
        ));
        assert_eq!((diags[0].rule, diags[0].line), ("report/type", Some(18)));
    }

    #[test]
    fn bad_format_and_missing_year_stop_the_tables() {
        let (data, diags) = parse_md(&seed_with("format: \"2021\"", "format: \"2020\""));
        assert!(data.is_none());
        assert_eq!((diags[0].rule, diags[0].line), ("report/type", Some(7)));
        let (data, diags) = parse_md(&seed_with("year: 2021\n", ""));
        assert!(data.is_none());
        assert_eq!(diags[0].rule, "report/type");
        // `format` left out: assumed from the year, with a warning.
        let (data, diags) = parse_md(&seed_with("format: \"2021\"\n", ""));
        assert_eq!(data.unwrap().format, Format::F2021);
        assert_eq!(diags[0].severity, Severity::Warning);
    }

    #[test]
    fn blank_total_is_computed_and_blank_row_is_zero() {
        let md = seed_with(
            "granted: { natural_person: 3 }",
            "granted: { natural_person: 3, total: }\n  partially_granted:",
        );
        let (data, diags) = parse_md(&md);
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert!(
            diags
                .iter()
                .all(|d| d.rule == "report/A6" && d.severity == Severity::Warning)
        );
        let r = data.unwrap();
        assert_eq!(r.applications.row(AppRow::Granted), [3, 0, 0, 0, 0, 0, 3]);
        assert_eq!(r.applications.row(AppRow::PartiallyGranted), [0; 7]);
    }

    #[test]
    fn format_2019_has_its_rows() {
        let r = report_2019();
        assert_eq!(r.format, Format::F2019);
        assert_eq!(r.applications.rows.len(), 23);
        assert!(r.applications.rows.contains_key(&AppRow::OtherHandling));
        assert!(!r.applications.rows.contains_key(&AppRow::OtherOther));
        // （七）总计 computed with (六)其他处理 as one row: 2 + 1 + 1 + 1.
        assert_eq!(
            r.applications.row(AppRow::TotalProcessed),
            [4, 1, 0, 0, 0, 0, 5]
        );
        assert_eq!(r.review.review, [1, 0, 0, 0, 1]);
        let (_, diags) = super::super::fixtures::check_md(REPORT_2019, None);
        assert!(diags.is_empty(), "{diags:#?}");
    }
}
