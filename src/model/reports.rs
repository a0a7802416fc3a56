//! The annual reports (年度报告) of the model: their tables as data, checked and reconciled.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::page::{Kind, Page};
use crate::t;

/// Parses each annual report's tables, checks its structure and narrative, and reconciles it
/// with the previous year's; two reports of one year are an error.
pub(super) fn attach_reports(pages: &mut [Page], diags: &mut Diagnostics) {
    // Each report on its own (in parallel: ~1,000 reports at 10,000 pages were a serial
    // stretch of the build, issue 13); the findings kept in the pages' order.
    use rayon::prelude::*;
    let found: Vec<Diagnostics> = pages
        .par_iter_mut()
        .with_max_len(8)
        .map(|p| {
            let mut found = Diagnostics::default();
            if p.kind == Kind::Report {
                attach_one(p, &mut found);
            }
            found
        })
        .collect();
    for f in found {
        diags.extend(f.0);
    }
    reconcile_all(pages.iter(), diags);
}

/// Parses the tables of report `p` and checks its structure and narrative (what concerns it
/// alone).
pub(super) fn attach_one(p: &mut Page, diags: &mut Diagnostics) {
    let src = &p.source;
    let lines = |path: &[&str]| src.key_lines.line_of(path);
    let (data, ds) = crate::report::parse(&src.front_matter, &src.file, &lines);
    if src.front_matter.get("year").is_some() {
        // An annual report: the template's sections, and tables as data.
        diags.extend(crate::report::check_structure(
            &src.body,
            src.body_first_line,
            data.is_some() || !ds.is_empty(),
            &src.file,
            lines(&["year"]),
        ));
    }
    diags.extend(ds);
    if let Some(r) = &data {
        diags.extend(crate::report::narrative(
            &src.body,
            r,
            &src.file,
            src.body_first_line,
        ));
    }
    p.report = data.map(Box::new);
}

/// The rules between the reports of the site (`pages`, in their order): one report a year, each
/// reconciled with last year's.
pub(super) fn reconcile_all<'a>(pages: impl Iterator<Item = &'a Page>, diags: &mut Diagnostics) {
    let pages: Vec<&Page> = pages.filter(|p| p.report.is_some()).collect();
    // Reconcile each report, with last year's when the site has it (A4).
    let mut by_year: HashMap<i32, usize> = HashMap::new();
    for (i, p) in pages.iter().copied().enumerate() {
        let Some(r) = &p.report else { continue };
        if let Some(&first) = by_year.get(&r.year) {
            let other = pages[first].source.file.display();
            diags.push(
                Diagnostic::error(
                    "report/duplicate-year",
                    t!("report.duplicate-year", year = r.year, other),
                )
                .file(&p.source.file)
                .line(p.source.key_lines.line_of(&["year"]))
                .key("year")
                .expected(t!("report.duplicate-year.expected", year = r.year, other))
                .found(r.year.to_string())
                .hint(t!("report.duplicate-year.hint")),
            );
        } else {
            by_year.insert(r.year, i);
        }
    }
    for p in pages.iter().copied() {
        let Some(r) = &p.report else { continue };
        let prev = by_year.get(&(r.year - 1)).and_then(|&j| {
            pages[j]
                .report
                .as_ref()
                .map(|pr| (&**pr, pages[j].source.file.as_path()))
        });
        let lines = |path: &[&str]| p.source.key_lines.line_of(path);
        diags.extend(crate::report::reconcile(r, &p.source.file, &lines, prev));
    }
}
