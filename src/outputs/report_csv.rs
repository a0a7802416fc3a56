//! `reports/all-years.csv`: the three tables of every annual report with data, one CSV.

use super::{Change, Output};
use crate::page::Kind;

/// Where the tables of every year go.
pub const ALL_YEARS_CSV: &str = "reports/all-years.csv";

/// The registry entry.
pub(super) const OUTPUT: Output = Output {
    name: "report-csv",
    render: |site| {
        let with_data = site.reports_with_data();
        let all: Vec<&crate::report::ReportData> = with_data.iter().map(|(r, _)| *r).collect();
        if all.is_empty() {
            return Vec::new();
        }
        vec![(
            ALL_YEARS_CSV.to_string(),
            crate::report::all_years_csv(&all).into_bytes(),
        )]
    },
    affected_by: |c: &Change| super::kinds_in(c, &[Kind::Report]),
};
