//! The three ways of printing a [`CheckReport`]: for people (`human`), for programs (`json`, whose
//! shape docs/check.md documents), and for GitHub Actions (`github` workflow annotations).

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{CheckReport, Column, ColumnState, ExternalLink, Timing};
use crate::diagnostic::{Diagnostic, Severity};

/// Version of the JSON shape; raised on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// A path with `/` separators on every platform.
fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Prints findings grouped by file, then the summary. `color`: ANSI colours (only for a
/// terminal); `timings`: the phase timings after the summary.
pub fn write_human(
    report: &CheckReport,
    w: &mut dyn Write,
    color: bool,
    timings: bool,
) -> io::Result<()> {
    let paint = Paint { on: color };
    let mut current: Option<Option<&Path>> = None;
    for d in report.diagnostics.iter() {
        let file = d.file.as_deref();
        if current != Some(file) {
            if current.is_some() {
                writeln!(w)?;
            }
            let title = file.map_or_else(|| "（整个站点）".to_string(), slash);
            writeln!(w, "{}", paint.wrap("1;4", &title))?;
            current = Some(file);
        }
        write_human_one(d, w, &paint)?;
    }
    if current.is_some() {
        writeln!(w)?;
    }
    write_summary(report, w, &paint)?;
    if timings {
        let parts: Vec<String> = report
            .timings
            .iter()
            .map(|t| format!("{} {:.0} ms", t.phase, t.ms))
            .collect();
        writeln!(w, "用时（timings）：{}", parts.join("，"))?;
    }
    Ok(())
}

fn write_human_one(d: &Diagnostic, w: &mut dyn Write, paint: &Paint) -> io::Result<()> {
    let pos = match (d.line, d.column) {
        (Some(l), Some(c)) => format!("{l}:{c}"),
        (Some(l), None) => format!("{l}"),
        _ => "-".to_string(),
    };
    let level = match d.severity {
        Severity::Error => paint.wrap("1;31", "error  "),
        Severity::Warning => paint.wrap("1;33", "warning"),
    };
    let key = d
        .key
        .as_deref()
        .map(|k| format!("[{k}] "))
        .unwrap_or_default();
    writeln!(
        w,
        "  {pos:>7}  {level}  {}  {key}{}",
        paint.wrap("36", d.rule),
        d.message
    )?;
    let pad = " ".repeat(20);
    if let Some(e) = &d.expected {
        writeln!(w, "{pad}应为：{e}")?;
    }
    if let Some(f) = &d.found {
        writeln!(w, "{pad}实际：{f}")?;
    }
    if let Some(h) = &d.hint {
        writeln!(w, "{pad}{}{h}", paint.wrap("32", "提示："))?;
    }
    writeln!(w, "{pad}说明：{}", d.guide())?;
    Ok(())
}

fn write_summary(report: &CheckReport, w: &mut dyn Write, paint: &Paint) -> io::Result<()> {
    let (errors, warnings) = (report.errors(), report.warnings());
    writeln!(
        w,
        "portal check（检查日期 {}）：{} 个页面，{} 个生成的 HTML 文件",
        report.as_of, report.pages, report.html_files
    )?;
    let counts = format!("{errors} 个错误（error），{warnings} 个警告（warning）");
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
                format!("（{}）", v.join("、"))
            }
        };
        writeln!(
            w,
            "  栏目：共 {} 个；未按时更新 {} 个{}；空白 {} 个{}",
            c.columns.len(),
            c.not_updated,
            names(ColumnState::NotUpdated),
            c.blank,
            names(ColumnState::Blank)
        )?;
        let verdict = |n: usize, veto: bool| {
            if veto {
                paint.wrap("1;31", &format!("{n} ≥ {}，达到单项否决", c.veto_threshold))
            } else {
                format!("{n} < {}，未达到", c.veto_threshold)
            }
        };
        writeln!(
            w,
            "  单项否决（veto）：栏目不更新 {}；空白栏目 {}",
            verdict(c.not_updated, c.not_updated_veto),
            verdict(c.blank, c.blank_veto)
        )?;
    }
    let n = report.external_links.len();
    if n > 0 {
        let state = if report.external_checked {
            "已检查".to_string()
        } else if let Some(note) = &report.external_note {
            note.clone()
        } else {
            "未检查；加 --external 发送 HEAD 请求检查".to_string()
        };
        writeln!(w, "  外部链接：{n} 个（{state}）")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    key: Option<&'a str>,
    message: &'a str,
    expected: Option<&'a str>,
    found: Option<&'a str>,
    hint: Option<&'a str>,
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
    let findings = report
        .diagnostics
        .iter()
        .map(|d| JsonFinding {
            rule: d.rule,
            severity: d.severity,
            file: d.file.as_deref().map(slash),
            line: d.line,
            column: d.column,
            key: d.key.as_deref(),
            message: &d.message,
            expected: d.expected.as_deref(),
            found: d.found.as_deref(),
            hint: d.hint.as_deref(),
        })
        .collect();
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

/// Escapes the message of a workflow command (GitHub's `escapeData`).
pub fn github_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command (GitHub's `escapeProperty`).
pub fn github_escape_property(s: &str) -> String {
    github_escape_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// One `::error …::message` / `::warning …::message` line.
pub fn github_annotation(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(f) = &d.file {
        props.push(format!("file={}", github_escape_property(&slash(f))));
        if let Some(l) = d.line {
            props.push(format!("line={l}"));
            if let Some(c) = d.column {
                props.push(format!("col={c}"));
            }
        }
    }
    props.push(format!("title={}", github_escape_property(d.rule)));
    let mut msg = d.message.clone();
    if let Some(k) = &d.key {
        msg = format!("[{k}] {msg}");
    }
    for (label, v) in [("应为", &d.expected), ("实际", &d.found), ("提示", &d.hint)] {
        if let Some(v) = v {
            msg.push_str(&format!("\n{label}：{v}"));
        }
    }
    format!(
        "::{level} {}::{}",
        props.join(","),
        github_escape_data(&msg)
    )
}

/// Prints one workflow annotation per finding, then a plain summary line.
pub fn write_github(report: &CheckReport, w: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics.iter() {
        writeln!(w, "{}", github_annotation(d))?;
    }
    let mut summary = format!(
        "portal check（截至 {}）：{} 个错误，{} 个警告",
        report.as_of,
        report.errors(),
        report.warnings()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping_follows_the_toolkit() {
        assert_eq!(github_escape_data("100%\r\nnext"), "100%25%0D%0Anext");
        assert_eq!(github_escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn annotation_has_location_title_and_escaped_message() {
        let d = Diagnostic::error("link/broken", "坏链接: 100%")
            .file("content/news/a,b.md")
            .line(3)
            .column(5)
            .hint("第二行");
        assert_eq!(
            github_annotation(&d),
            "::error file=content/news/a%2Cb.md,line=3,col=5,title=link/broken::坏链接: 100%25%0A提示：第二行"
        );
        let w = Diagnostic::warning("column/veto", "x");
        assert_eq!(github_annotation(&w), "::warning title=column/veto::x");
    }
}
