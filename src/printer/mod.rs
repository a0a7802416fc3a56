//! One printer of findings for every command (`portal build`, `portal check`): for people
//! (`human`), for programs (`json`, whose shape docs/check.md documents) and for GitHub Actions
//! (`github` workflow annotations). Each command adds its own summary ([`check`], [`build`]).

pub mod build;
pub mod check;

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::t;

/// Version of the JSON shape; raised on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// How findings are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// For people.
    #[default]
    Human,
    /// One JSON object.
    Json,
    /// GitHub Actions annotations.
    Github,
}

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

/// Prints findings grouped by file, a blank line after each group.
fn write_findings_human(ds: &Diagnostics, w: &mut dyn Write, paint: &Paint) -> io::Result<()> {
    let mut current: Option<Option<&Path>> = None;
    for d in ds.iter() {
        let file = d.file.as_deref();
        if current != Some(file) {
            if current.is_some() {
                writeln!(w)?;
            }
            let title = file.map_or_else(|| t!("printer.whole-site"), slash);
            writeln!(w, "{}", paint.wrap("1;4", &title))?;
            current = Some(file);
        }
        write_human_one(d, w, paint)?;
    }
    if current.is_some() {
        writeln!(w)?;
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
        writeln!(w, "{pad}{}", t!("diagnostic.expected", value = e))?;
    }
    if let Some(f) = &d.found {
        writeln!(w, "{pad}{}", t!("diagnostic.found", value = f))?;
    }
    if let Some(h) = &d.hint {
        // The label alone is coloured: the frame's text with an empty value is the label.
        let label = t!("diagnostic.hint", value = "");
        writeln!(w, "{pad}{}{h}", paint.wrap("32", &label))?;
    }
    writeln!(w, "{pad}{}", t!("diagnostic.guide", value = d.guide()))?;
    Ok(())
}

/// Prints findings one block each (`error[rule]: file:line: message`, then expected, found, hint
/// and guide), a blank line between them: what `portal build` prints on stderr.
pub fn write_blocks(ds: &Diagnostics, w: &mut dyn Write) -> io::Result<()> {
    for d in ds.iter() {
        writeln!(w, "{d}\n")?;
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

/// The findings as the JSON formats list them: every key present, `null` when unknown.
fn json_findings(ds: &Diagnostics) -> Vec<JsonFinding<'_>> {
    ds.iter()
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
        .collect()
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
    if let Some(v) = &d.expected {
        msg.push_str(&format!("\n{}", t!("diagnostic.expected", value = v)));
    }
    if let Some(v) = &d.found {
        msg.push_str(&format!("\n{}", t!("diagnostic.found", value = v)));
    }
    if let Some(v) = &d.hint {
        msg.push_str(&format!("\n{}", t!("diagnostic.hint", value = v)));
    }
    format!(
        "::{level} {}::{}",
        props.join(","),
        github_escape_data(&msg)
    )
}

/// The line of phase timings printed after the summary with `--timings`.
pub fn timings_line(timings: &[crate::timings::Timing]) -> String {
    crate::t!(
        "printer.timings",
        parts = crate::timings::parts(timings).join(&crate::t!("printer.timings-separator"))
    )
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
