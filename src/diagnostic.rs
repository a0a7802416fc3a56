//! Typed findings about the content: every error and warning an editor sees.
//!
//! All layers (loader, model, report, render, check) report through [`Diagnostic`], so that
//! `portal build` and `portal check` print the same message for the same fault, and so that a run
//! can collect every problem before it stops.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::t;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops `portal build` (exit code 1); the previous `public/` is kept.
    Error,
    /// Printed, but the build goes on (unless `--strict` in `portal check`).
    Warning,
}

/// One finding: where it is, what is wrong, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable rule id such as `front-matter/type` or `report/A1`.
    pub rule: &'static str,
    /// The file, relative to the site root where possible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The front-matter key (or table cell) concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What was expected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What was found instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// What the editor can do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error with a rule id and message.
    pub fn error(rule: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, rule, message)
    }

    /// A new warning with a rule id and message.
    pub fn warning(rule: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, rule, message)
    }

    fn new(severity: Severity, rule: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            rule,
            file: None,
            line: None,
            column: None,
            key: None,
            message: message.into(),
            expected: None,
            found: None,
            hint: None,
        }
    }

    /// Sets the file.
    pub fn file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Sets the line (1-based); `None` keeps it unknown.
    pub fn line(mut self, line: impl Into<Option<usize>>) -> Self {
        self.line = line.into();
        self
    }

    /// Sets the column (1-based).
    pub fn column(mut self, column: impl Into<Option<usize>>) -> Self {
        self.column = column.into();
        self
    }

    /// Sets the key.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Sets what was found.
    pub fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the editor's guide explains this rule and its fix: `docs/编辑指南.md#<rule>`, the
    /// rule id with `/` as `-` (every rule has its section; a test holds the guide to it).
    pub fn guide(&self) -> String {
        format!("docs/编辑指南.md#{}", self.rule.replace('/', "-"))
    }

    /// `file:line:column`, as far as known.
    pub fn location(&self) -> String {
        let mut s = match &self.file {
            Some(f) => f.display().to_string(),
            None => String::new(),
        };
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}[{}]", self.rule)?;
        let loc = self.location();
        if !loc.is_empty() {
            write!(f, ": {loc}")?;
        }
        if let Some(k) = &self.key {
            write!(f, ": {}", t!("diagnostic.key", key = k))?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(e) = &self.expected {
            write!(f, "\n  {}", t!("diagnostic.expected", value = e))?;
        }
        if let Some(fd) = &self.found {
            write!(f, "\n  {}", t!("diagnostic.found", value = fd))?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  {}", t!("diagnostic.hint", value = h))?;
        }
        write!(f, "\n  {}", t!("diagnostic.guide", value = self.guide()))?;
        Ok(())
    }
}

/// The findings of one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds many findings.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// True if any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Sorts by file, line, column, then rule, so output is deterministic whatever the
    /// order parallel loading finished in.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, a.rule, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, b.rule, &b.message))
        });
        self.0.dedup();
    }

    /// Iterates over the findings.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Errors that stop a run: the content is faulty (with all findings), or the machine failed us.
#[derive(Debug)]
pub enum Error {
    /// The content has errors; every finding of the run is attached.
    Content(Diagnostics),
    /// An I/O failure outside the content (writing the output, say).
    Io {
        /// What we were doing.
        context: String,
        /// The OS error.
        source: std::io::Error,
    },
}

impl Error {
    /// Wraps an I/O error with what we were doing.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(ds) => {
                for d in ds.iter() {
                    writeln!(f, "{d}")?;
                }
                let (errors, warnings) = (ds.error_count(), ds.warning_count());
                write!(f, "{}", t!("summary.counts", errors, warnings))
            }
            Error::Io { context, source } => {
                write!(f, "{context}: {}", crate::messages::io_error(source))
            }
        }
    }
}

impl std::error::Error for Error {}

/// Result type of the library.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_key_and_hint() {
        let d = Diagnostic::error("front-matter/type", "wrong type")
            .file("content/news/a.md")
            .line(3)
            .column(7)
            .key("date")
            .expected("YYYY-MM-DD")
            .found("\"2021-13-01\"")
            .hint("fix it");
        let s = d.to_string();
        assert!(s.starts_with("error[front-matter/type]: content/news/a.md:3:7: 键 `date`"));
        assert!(s.contains("应为：YYYY-MM-DD"));
        assert!(s.contains("提示：fix it"));
    }
}
