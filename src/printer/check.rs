//! `portal check`'s report in the three formats: the findings as every command prints them, then
//! the check's own summary (columns and their veto counts, external links, timings). The JSON
//! shape is documented in docs/check.md.

use std::io::{self, Write};

use serde::Serialize;

use super::{
    JSON_VERSION, JsonFinding, Paint, github_annotation, json_findings, slash, write_findings_human,
};
use crate::check::{CheckReport, Column, ColumnState, ExternalLink, Timing};
use crate::t;

/// Prints findings grouped by file, then the summary. `color`: ANSI colours (only for a
/// terminal); `timings`: the phase timings after the summary.
pub fn write_human(
    report: &CheckReport,
    w: &mut dyn Write,
    color: bool,
    timings: bool,
) -> io::Result<()> {
    let paint = Paint { on: color };
    write_findings_human(&report.diagnostics, w, &paint)?;
    write_summary(report, w, &paint)?;
    if timings {
        writeln!(w, "{}", super::timings_line(&report.timings))?;
    }
    Ok(())
}

fn write_summary(report: &CheckReport, w: &mut dyn Write, paint: &Paint) -> io::Result<()> {
    let (errors, warnings) = (report.errors(), report.warnings());
    writeln!(
        w,
        "{}",
        t!(
            "printer.check-head",
            as_of = report.as_of,
            pages = report.pages,
            html = report.html_files
        )
    )?;
    let counts = t!("printer.check-counts", errors, warnings);
    let counts = if errors > 0 {
        paint.wrap("1;31", &counts)
    } else if warnings > 0 {
        paint.wrap("1;33", &counts)
    } else {
        paint.wrap("1;32", &counts)
    };
    writeln!(w, "  {counts}")?;
    if let Some(c) = &report.columns {
        let names = |state: ColumnState| -> String {
            let v: Vec<&str> = c
                .columns
                .iter()
                .filter(|x| x.state == state)
                .map(|x| x.name.as_str())
                .collect();
            if v.is_empty() {
                String::new()
            } else {
                t!(
                    "printer.column-names",
                    names = v.join(&t!("printer.list-separator"))
                )
            }
        };
        writeln!(
            w,
            "  {}",
            t!(
                "printer.columns",
                total = c.columns.len(),
                not_updated = c.not_updated,
                not_updated_names = names(ColumnState::NotUpdated),
                blank = c.blank,
                blank_names = names(ColumnState::Blank)
            )
        )?;
        let verdict = |n: usize, veto: bool| {
            if veto {
                paint.wrap(
                    "1;31",
                    &t!("printer.veto-reached", n, threshold = c.veto_threshold),
                )
            } else {
                t!("printer.veto-not-reached", n, threshold = c.veto_threshold)
            }
        };
        writeln!(
            w,
            "  {}",
            t!(
                "printer.veto",
                not_updated = verdict(c.not_updated, c.not_updated_veto),
                blank = verdict(c.blank, c.blank_veto)
            )
        )?;
    }
    let n = report.external_links.len();
    if n > 0 {
        let state = if report.external_checked {
            t!("printer.external-checked")
        } else if let Some(note) = &report.external_note {
            note.clone()
        } else {
            t!("printer.external-unchecked")
        };
        writeln!(w, "  {}", t!("printer.external-links", n, state))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonColumnsSummary {
    total: usize,
    not_updated: usize,
    blank: usize,
    veto_threshold: usize,
    not_updated_veto: bool,
    blank_veto: bool,
    veto: bool,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    errors: usize,
    warnings: usize,
    pages: usize,
    html_files: usize,
    columns: Option<JsonColumnsSummary>,
    external_links: usize,
    external_checked: bool,
    external_note: Option<&'a str>,
    timings: &'a [Timing],
}

#[derive(Serialize)]
struct JsonExternal<'a> {
    file: String,
    line: usize,
    url: &'a str,
    status: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    as_of: String,
    summary: JsonSummary<'a>,
    columns: &'a [Column],
    findings: Vec<JsonFinding<'a>>,
    external_links: Vec<JsonExternal<'a>>,
}

/// Prints the report as one JSON object (see docs/check.md); every finding key is present, `null`
/// when unknown.
pub fn write_json(report: &CheckReport, w: &mut dyn Write) -> io::Result<()> {
    let columns = report.columns.as_ref();
    let findings = json_findings(&report.diagnostics);
    let external_links = report
        .external_links
        .iter()
        .map(|l: &ExternalLink| JsonExternal {
            file: slash(&l.file),
            line: l.line,
            url: &l.url,
            status: l.status.as_deref(),
        })
        .collect();
    let out = JsonReport {
        version: JSON_VERSION,
        as_of: report.as_of.to_string(),
        summary: JsonSummary {
            errors: report.errors(),
            warnings: report.warnings(),
            pages: report.pages,
            html_files: report.html_files,
            columns: columns.map(|c| JsonColumnsSummary {
                total: c.columns.len(),
                not_updated: c.not_updated,
                blank: c.blank,
                veto_threshold: c.veto_threshold,
                not_updated_veto: c.not_updated_veto,
                blank_veto: c.blank_veto,
                veto: c.not_updated_veto || c.blank_veto,
            }),
            external_links: report.external_links.len(),
            external_checked: report.external_checked,
            external_note: report.external_note.as_deref(),
            timings: &report.timings,
        },
        columns: columns.map_or(&[], |c| c.columns.as_slice()),
        findings,
        external_links,
    };
    serde_json::to_writer_pretty(&mut *w, &out).map_err(io::Error::other)?;
    writeln!(w)
}

/// Prints one workflow annotation per finding, then a plain summary line.
pub fn write_github(report: &CheckReport, w: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics.iter() {
        writeln!(w, "{}", github_annotation(d))?;
    }
    let mut summary = t!(
        "printer.github-summary",
        as_of = report.as_of,
        errors = report.errors(),
        warnings = report.warnings()
    );
    if let Some(c) = &report.columns {
        summary.push_str(&format!(
            "; columns not updated {}, blank {} (veto at {}: {})",
            c.not_updated,
            c.blank,
            c.veto_threshold,
            if c.not_updated_veto || c.blank_veto {
                "VETO"
            } else {
                "no veto"
            }
        ));
    }
    if !report.external_links.is_empty() {
        summary.push_str(&format!(
            "; {} external link(s)",
            report.external_links.len()
        ));
    }
    writeln!(w, "{summary}")
}
