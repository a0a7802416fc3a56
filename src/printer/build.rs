//! `portal build`'s findings in the three formats, with the build's summary: what was written, or
//! that nothing was. (`human` is the blocks of [`super::write_blocks`] on stderr and the summary
//! line on stdout, printed by the command.)

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{JSON_VERSION, JsonFinding, github_annotation, json_findings, slash};
use crate::diagnostic::Diagnostics;

/// How a build ended, for the printer.
#[derive(Debug)]
pub struct BuildOutcome<'a> {
    /// Every finding (warnings of a good build; errors and warnings of a failed one).
    pub diagnostics: &'a Diagnostics,
    /// What was written; `None` when the build failed and wrote nothing.
    pub written: Option<Written<'a>>,
}

/// What a successful build wrote.
#[derive(Debug, Clone, Copy)]
pub struct Written<'a> {
    /// HTML pages.
    pub pages: usize,
    /// Other files.
    pub files: usize,
    /// The output folder.
    pub output: &'a Path,
    /// Wall time, in milliseconds.
    pub elapsed_ms: u128,
}

/// The closing line of a build, as `portal build` prints it.
pub fn summary_line(outcome: &BuildOutcome<'_>) -> String {
    let ds = outcome.diagnostics;
    match &outcome.written {
        Some(w) => crate::t!(
            "cmd.build.line",
            pages = w.pages,
            files = w.files,
            target = w.output.display(),
            ms = w.elapsed_ms,
            warnings = ds.warning_count()
        ),
        None => crate::t!(
            "cmd.failed-nothing-written",
            errors = ds.error_count(),
            warnings = ds.warning_count()
        ),
    }
}

#[derive(Serialize)]
struct JsonSummary {
    ok: bool,
    errors: usize,
    warnings: usize,
    pages: Option<usize>,
    files: Option<usize>,
    output: Option<String>,
    elapsed_ms: Option<u128>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    command: &'static str,
    summary: JsonSummary,
    findings: Vec<JsonFinding<'a>>,
}

/// Prints the outcome as one JSON object: `summary` (`ok`, counts, and what was written, `null`
/// after a failure) and `findings` shaped as `portal check`'s.
pub fn write_json(outcome: &BuildOutcome<'_>, w: &mut dyn Write) -> io::Result<()> {
    let ds = outcome.diagnostics;
    let written = outcome.written.as_ref();
    let out = JsonReport {
        version: JSON_VERSION,
        command: "build",
        summary: JsonSummary {
            ok: written.is_some(),
            errors: ds.error_count(),
            warnings: ds.warning_count(),
            pages: written.map(|x| x.pages),
            files: written.map(|x| x.files),
            output: written.map(|x| slash(x.output)),
            elapsed_ms: written.map(|x| x.elapsed_ms),
        },
        findings: json_findings(ds),
    };
    serde_json::to_writer_pretty(&mut *w, &out).map_err(io::Error::other)?;
    writeln!(w)
}

/// Prints one workflow annotation per finding, then the summary line.
pub fn write_github(outcome: &BuildOutcome<'_>, w: &mut dyn Write) -> io::Result<()> {
    for d in outcome.diagnostics.iter() {
        writeln!(w, "{}", github_annotation(d))?;
    }
    writeln!(w, "{}", summary_line(outcome))
}
