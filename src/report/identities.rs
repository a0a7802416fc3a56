//! The 勾稽关系 (accounting identities) of domain reference §1.6: A1–A5, and soft table-1 checks.
//!
//! The 总计 column of A1, A2 and A4 is not checked on its own: when A3 holds in every row and the
//! identity holds in the six applicant columns, it holds in 总计 too, so a failure there would
//! only repeat an A3 error or an applicant-column error already reported.

use crate::t;
use std::path::Path;

use super::active::ActiveDisclosure;
use super::data::{AppRow, Applicant, Outcome, ReportData, ReviewGroup};
use super::{KeyLines, line_of};
use crate::diagnostic::Diagnostic;

/// `applications.<row>.<col>`
fn cell_key(row: AppRow, a: Applicant) -> String {
    format!("applications.{}.{}", row.key(), a.key())
}

/// Points a diagnostic at the first of `cells` (3-part key paths) written in the file, else at
/// the first one's row, else at the table.
fn locate(d: Diagnostic, file: &Path, lines: KeyLines, cells: &[[&str; 3]]) -> Diagnostic {
    let hit = cells.iter().find_map(|c| lines(c).map(|l| (l, c)));
    let (line, cell) = match hit {
        Some((l, c)) => (Some(l), c),
        None => (line_of(lines, &cells[0]), &cells[0]),
    };
    d.file(file).line(line).key(cell.join("."))
}

struct Checker<'a> {
    r: &'a ReportData,
    file: &'a Path,
    lines: KeyLines<'a>,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn valid(&self, keys: &[String]) -> bool {
        keys.iter().all(|k| !self.r.invalid.contains(k))
    }

    fn cell(&self, row: AppRow, a: Applicant) -> u64 {
        self.r.applications.cell(row, a)
    }

    /// A1: 一 + 二 = （七）总计 + 四, per applicant column.
    fn a1(&mut self) {
        use AppRow::{
            CarriedForward as CF, CarriedOver as CO, NewReceived as NR, TotalProcessed as TP,
        };
        for a in Applicant::SIX {
            if !self.valid(&[NR, CO, TP, CF].map(|r| cell_key(r, a))) {
                continue;
            }
            let (nr, co, tp, cf) = (
                self.cell(NR, a),
                self.cell(CO, a),
                self.cell(TP, a),
                self.cell(CF, a),
            );
            if nr + co == tp + cf {
                continue;
            }
            let d = Diagnostic::error(
                "report/A1",
                t!("report.A1", label = a.label(), nr, co, tp, cf),
            )
            .expected(t!("report.A1.expected", sum = nr + co))
            .found(t!("report.A1.found", sum = tp + cf))
            .hint(t!("report.A1.hint"));
            let cells = [TP, CF, NR, CO].map(|r| ["applications", r.key(), a.key()]);
            self.out.push(locate(d, self.file, self.lines, &cells));
        }
    }

    /// A2: （七）总计 = the sum of （一）…（六）, per applicant column.
    fn a2(&mut self) {
        let format = self.r.format;
        for a in Applicant::SIX {
            let mut keys: Vec<String> = AppRow::results(format).map(|r| cell_key(r, a)).collect();
            keys.push(cell_key(AppRow::TotalProcessed, a));
            if !self.valid(&keys) {
                continue;
            }
            let sum: u64 = AppRow::results(format).map(|r| self.cell(r, a)).sum();
            let tp = self.cell(AppRow::TotalProcessed, a);
            if sum == tp {
                continue;
            }
            let d = Diagnostic::error("report/A2", t!("report.A2", label = a.label(), sum, tp))
                .expected(sum.to_string())
                .found(tp.to_string())
                .hint(t!("report.A2.hint"));
            let cells = [["applications", "total_processed", a.key()]];
            self.out.push(locate(d, self.file, self.lines, &cells));
        }
    }

    /// A3: 总计 = the sum of the six applicant columns, per row.
    fn a3(&mut self) {
        for (row, c) in &self.r.applications.rows {
            let keys: Vec<String> = Applicant::ALL.iter().map(|a| cell_key(*row, *a)).collect();
            if !self.valid(&keys) {
                continue;
            }
            let t = Applicant::Total.index();
            let sum: u64 = c[..t].iter().sum();
            if sum == c[t] {
                continue;
            }
            let d = Diagnostic::error("report/A3", t!("report.A3", label = row.full_label()))
                .expected(t!("report.A3.expected", sum))
                .found(c[t].to_string())
                .hint(t!("report.A3.hint"));
            let cells = [["applications", row.key(), "total"]];
            self.out.push(locate(d, self.file, self.lines, &cells));
        }
    }

    /// A5: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计, per group of table 3.
    fn a5(&mut self) {
        for g in ReviewGroup::ALL {
            let keys: Vec<String> = Outcome::ALL
                .iter()
                .map(|o| format!("review_litigation.{}.{}", g.key(), o.key()))
                .collect();
            if !self.valid(&keys) {
                continue;
            }
            let c = self.r.review.group(g);
            let sum: u64 = c[..4].iter().sum();
            if sum == c[4] {
                continue;
            }
            let d = Diagnostic::error("report/A5", t!("report.A5", label = g.full_label()))
                .expected(t!("report.A5.expected", sum))
                .found(c[4].to_string())
                .hint(t!("report.A5.hint"));
            let cells = [["review_litigation", g.key(), "total"]];
            self.out.push(locate(d, self.file, self.lines, &cells));
        }
    }

    /// A4: this year's 上年结转 = last year's 结转下年度继续办理, per applicant column.
    fn a4(&mut self, prev: &ReportData, prev_file: &Path) {
        for a in Applicant::SIX {
            let here = cell_key(AppRow::CarriedOver, a);
            let there = cell_key(AppRow::CarriedForward, a);
            if self.r.invalid.contains(&here) || prev.invalid.contains(&there) {
                continue;
            }
            let co = self.cell(AppRow::CarriedOver, a);
            let cf = prev.applications.cell(AppRow::CarriedForward, a);
            if co == cf {
                continue;
            }
            let d = Diagnostic::error(
                "report/A4",
                t!(
                    "report.A4",
                    label = a.label(),
                    co,
                    year = prev.year,
                    prev_file = prev_file.display(),
                    cf
                ),
            )
            .expected(t!(
                "report.A4.expected",
                cf,
                prev_file = prev_file.display()
            ))
            .found(co.to_string())
            .hint(t!("report.A4.hint"));
            let cells = [["applications", "carried_over", a.key()]];
            self.out.push(locate(d, self.file, self.lines, &cells));
        }
    }

    /// Soft checks of table 1 (warnings): 2019 对外公开总数量 ≥ 本年新公开数量; 2021 现行有效件数
    /// = last year's + 本年制发 − 本年废止 (approximate: rules get amended).
    fn table1(&mut self, prev: Option<&ReportData>) {
        match (&self.r.active, prev.map(|p| &p.active)) {
            (ActiveDisclosure::F2019(a), _) => {
                for (key, label, d) in [
                    ("rules", "规章", a.rules),
                    ("normative_documents", "规范性文件", a.normative_documents),
                ] {
                    if d.total_public >= d.published {
                        continue;
                    }
                    let diag = Diagnostic::warning("report/table1", t!("report.table1", label))
                        .expected(format!("≥ {}", d.published))
                        .found(d.total_public.to_string());
                    let cells = [["active_disclosure", key, "total_public"]];
                    self.out.push(locate(diag, self.file, self.lines, &cells));
                }
            }
            (ActiveDisclosure::F2021(a), Some(ActiveDisclosure::F2021(p))) => {
                for (key, label, d, pd) in [
                    ("rules", "规章", a.rules, p.rules),
                    (
                        "normative_documents",
                        "行政规范性文件",
                        a.normative_documents,
                        p.normative_documents,
                    ),
                ] {
                    let want = pd.in_force as i128 + d.issued as i128 - d.repealed as i128;
                    if want == d.in_force as i128 {
                        continue;
                    }
                    let diag = Diagnostic::warning(
                        "report/table1",
                        t!(
                            "report.table1-2",
                            label,
                            in_force = pd.in_force,
                            issued = d.issued,
                            repealed = d.repealed
                        ),
                    )
                    .expected(want.to_string())
                    .found(d.in_force.to_string())
                    .hint(t!("report.table1.hint"));
                    let cells = [["active_disclosure", key, "in_force"]];
                    self.out.push(locate(diag, self.file, self.lines, &cells));
                }
            }
            _ => {}
        }
    }
}

/// See [`super::reconcile`].
pub(super) fn reconcile(
    r: &ReportData,
    file: &Path,
    lines: KeyLines,
    previous: Option<(&ReportData, &Path)>,
) -> Vec<Diagnostic> {
    let mut c = Checker {
        r,
        file,
        lines,
        out: Vec::new(),
    };
    c.a1();
    c.a2();
    c.a3();
    c.a5();
    let previous = previous.filter(|(p, _)| p.year + 1 == r.year);
    if let Some((p, pf)) = previous {
        c.a4(p, pf);
    }
    c.table1(previous.map(|(p, _)| p));
    c.out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::data::{AppRow, Applicant, Format, ReportData};
    use super::super::fixtures::{SEED_MD, check_md, seed};
    use crate::diagnostic::{Diagnostic, Severity};

    /// The seed with one front-matter line replaced.
    fn altered(from: &str, to: &str) -> String {
        assert!(SEED_MD.contains(from), "{from}");
        SEED_MD.replacen(from, to, 1)
    }

    fn only(diags: &[Diagnostic]) -> &Diagnostic {
        assert_eq!(diags.len(), 1, "{diags:#?}");
        &diags[0]
    }

    #[test]
    fn seed_parses_and_reconciles_cleanly() {
        let (data, diags) = check_md(SEED_MD, None);
        assert!(diags.is_empty(), "{diags:#?}");
        let r = data.unwrap();
        assert_eq!((r.year, r.format), (2021, Format::F2021));
        assert_eq!(
            r.applications.row(AppRow::NewReceived),
            [8, 0, 0, 0, 0, 0, 8]
        );
        assert_eq!(r.applications.row(AppRow::Granted), [3, 0, 0, 0, 0, 0, 3]);
        // Left out in the file: computed.
        assert_eq!(
            r.applications.row(AppRow::TotalProcessed),
            [8, 0, 0, 0, 0, 0, 8]
        );
        assert_eq!(r.applications.rows.len(), 25);
        assert_eq!(r.active.licensing_decisions(), 514);
        assert_eq!(r.active.punishment_decisions(), 459);
        assert_eq!(r.review.review, [0; 5]);
    }

    #[test]
    fn a1_new_plus_carried_over() {
        let md = altered(
            "new_received: { natural_person: 8 }",
            "new_received: { natural_person: 9 }",
        );
        let (_, diags) = check_md(&md, None);
        let d = only(&diags);
        assert_eq!((d.rule, d.severity), ("report/A1", Severity::Error));
        assert!(d.message.contains("勾稽关系A1不成立"));
        assert!(d.message.contains("列“自然人”"), "{}", d.message);
        assert_eq!(d.expected.as_deref(), Some("9（一 + 二）"));
        assert_eq!(d.found.as_deref(), Some("8（（七）总计 + 四）"));
        // total_processed and carried_forward have no natural_person key: the new_received cell.
        assert_eq!(d.line, Some(16));
        assert_eq!(
            d.key.as_deref(),
            Some("applications.new_received.natural_person")
        );
        assert_eq!(
            d.file.as_deref(),
            Some(Path::new("content/reports/2021.md"))
        );
    }

    #[test]
    fn a2_total_processed_is_the_sum_of_the_results() {
        let md = altered(
            "granted: { natural_person: 3 }",
            "granted: { natural_person: 4 }\n  total_processed: { natural_person: 8 }",
        );
        let (_, diags) = check_md(&md, None);
        let d = only(&diags);
        assert_eq!(d.rule, "report/A2");
        assert!(d.message.contains("列“自然人”"));
        assert_eq!(
            (d.expected.as_deref(), d.found.as_deref()),
            (Some("9"), Some("8"))
        );
        assert_eq!(d.line, Some(19));
    }

    #[test]
    fn a3_row_total_given_is_checked() {
        let md = altered(
            "granted: { natural_person: 3 }",
            "granted: { natural_person: 3, total: 4 }",
        );
        let (_, diags) = check_md(&md, None);
        let d = only(&diags);
        assert_eq!(d.rule, "report/A3");
        assert!(
            d.message.contains("行“（一）予以公开”，列“总计”"),
            "{}",
            d.message
        );
        assert_eq!(d.found.as_deref(), Some("4"));
        assert_eq!(d.line, Some(18));
        assert_eq!(d.key.as_deref(), Some("applications.granted.total"));
    }

    #[test]
    fn a4_carried_over_equals_last_years_carried_forward() {
        let mut prev = ReportData::zeros(2020, Format::F2019);
        prev.applications
            .rows
            .insert(AppRow::CarriedForward, [1, 0, 0, 0, 0, 0, 1]);
        let prev_file = Path::new("content/reports/2020.md");
        let (_, diags) = check_md(SEED_MD, Some((&prev, prev_file)));
        let d = only(&diags);
        assert_eq!(d.rule, "report/A4");
        assert!(
            d.message.contains("content/reports/2020.md"),
            "{}",
            d.message
        );
        assert!(d.message.contains("列“自然人”"));
        assert_eq!(
            (d.expected.as_deref(), d.found.as_deref()),
            (Some("1（来自 content/reports/2020.md）"), Some("0"))
        );
        assert_eq!(d.line, Some(17));
        // Not the year before: no cross-year check.
        prev.year = 2019;
        assert!(check_md(SEED_MD, Some((&prev, prev_file))).1.is_empty());
    }

    #[test]
    fn a5_review_total() {
        let md = altered("  review: {}", "  review: { maintained: 1, total: 0 }");
        let (_, diags) = check_md(&md, None);
        let d = only(&diags);
        assert_eq!(d.rule, "report/A5");
        assert!(d.message.contains("“行政复议”，列“总计”"), "{}", d.message);
        assert_eq!(
            (d.expected.as_deref(), d.found.as_deref()),
            (
                Some("1（结果维持 + 结果纠正 + 其他结果 + 尚未审结）"),
                Some("0")
            )
        );
        assert_eq!(d.line, Some(23));
    }

    #[test]
    fn a6_negative_count_is_one_error() {
        let md = altered("carried_forward: {}", "carried_forward: { research: -1 }");
        let (_, diags) = check_md(&md, None);
        let d = only(&diags);
        assert_eq!((d.rule, d.severity), ("report/A6", Severity::Error));
        assert!(d.message.contains("列“科研机构”"), "{}", d.message);
        assert_eq!(d.found.as_deref(), Some("-1"));
        assert_eq!(d.line, Some(21));
    }

    #[test]
    fn a6_fraction_is_one_error_without_follow_up_identities() {
        let md = altered(
            "granted: { natural_person: 3 }",
            "granted: { natural_person: 2.5 }",
        );
        let (data, diags) = check_md(&md, None);
        let d = only(&diags);
        assert_eq!((d.rule, d.severity), ("report/A6", Severity::Error));
        assert_eq!(d.found.as_deref(), Some("2.5"));
        assert_eq!(
            data.unwrap()
                .applications
                .cell(AppRow::Granted, Applicant::NaturalPerson),
            0
        );
    }

    #[test]
    fn a6_blank_cell_is_a_warning_and_zero() {
        let md = altered("carried_over: {}", "carried_over: { natural_person: ~ }");
        let (data, diags) = check_md(&md, None);
        let d = only(&diags);
        assert_eq!((d.rule, d.severity), ("report/A6", Severity::Warning));
        assert_eq!(d.line, Some(17));
        assert_eq!(data.unwrap().applications.row(AppRow::CarriedOver), [0; 7]);
    }

    #[test]
    fn seed_tables_equal_fixture() {
        // The fixture module's helper agrees with check_md.
        assert_eq!(Some(seed()), check_md(SEED_MD, None).0);
    }
}
