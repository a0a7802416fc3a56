//! Reading one cell or one mapping of a table out of YAML, with the findings that go with it:
//! wrong types and unknown keys (`report/type`), negative, fractional and blank values (`report/A6`).

use crate::t;
use std::collections::BTreeSet;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::data::{Format, Num};
use super::{KeyLines, line_of};
use crate::diagnostic::Diagnostic;

/// What a cell may hold.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Domain {
    /// A non-negative whole number.
    Count,
    /// A whole number that may be negative (本年增/减).
    Signed,
    /// A non-negative amount in 万元, decimals allowed.
    WanYuan,
}

/// Collects findings while reading one report.
pub(super) struct Cx<'a> {
    pub(super) file: &'a Path,
    pub(super) lines: KeyLines<'a>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) invalid: BTreeSet<String>,
}

/// How a YAML value looks, for `found:`.
pub(super) fn show(v: &Value) -> String {
    match v {
        Value::Null => t!("report.cell.text-1"),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(t) => format!("a value tagged {}", t.tag),
    }
}

pub(super) fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

impl<'a> Cx<'a> {
    fn at(&self, d: Diagnostic, path: &[&str]) -> Diagnostic {
        d.file(self.file)
            .line(line_of(self.lines, path))
            .key(path.join("."))
    }

    pub(super) fn push(&mut self, d: Diagnostic, path: &[&str]) {
        let d = self.at(d, path);
        self.diags.push(d);
    }

    pub(super) fn type_error(&mut self, path: &[&str], what: &str, expected: &str, v: &Value) {
        let d = Diagnostic::error("report/type", t!("report.type-5", what))
            .expected(expected)
            .found(show(v));
        self.push(d, path);
    }

    /// The value as a mapping; `None` (after an error) for anything else.
    pub(super) fn mapping<'v>(
        &mut self,
        v: &'v Value,
        path: &[&str],
        what: &str,
    ) -> Option<&'v Mapping> {
        match v {
            Value::Mapping(m) => Some(m),
            _ => {
                self.type_error(path, what, &t!("report.cell.type_error"), v);
                None
            }
        }
    }

    /// Warns about keys of `m` that are not in `valid`, naming the valid ones.
    pub(super) fn check_keys(
        &mut self,
        m: &Mapping,
        path: &[&str],
        valid: &[&str],
        other: Option<(Format, &[&str])>,
    ) {
        for k in m.keys() {
            let name = match k {
                Value::String(s) => s.clone(),
                other => show(other),
            };
            if valid.contains(&name.as_str()) {
                continue;
            }
            let mut p = path.to_vec();
            p.push(&name);
            // An error, not a warning: a cell under a key nobody reads would be published as 0.
            let mut d = Diagnostic::error(
                "report/type",
                t!("report.type-6", name, path = path.join(".")),
            )
            .expected(t!("report.type.expected-2", valid = valid.join(", ")))
            .found(name.clone())
            .hint(t!("report.type.hint-4"));
            if let Some((f, keys)) = other
                && keys.contains(&name.as_str())
            {
                d = d.hint(t!("report.type.hint-5", name, f = f.as_str()));
            }
            self.push(d, &p);
        }
    }

    /// Reads one cell. Blank cells are a warning and count as 0; unusable values are an error,
    /// count as 0 and are remembered as invalid.
    pub(super) fn cell(&mut self, v: &Value, path: &[&str], what: &str, domain: Domain) -> Num {
        let zero = if domain == Domain::WanYuan {
            Num::Dec(0.0)
        } else {
            Num::Int(0)
        };
        let key = path.join(".");
        if is_blank(v) {
            let d = Diagnostic::warning("report/A6", t!("report.A6-4", what))
                .found(show(v))
                .hint(t!("report.A6.hint-4"));
            self.push(d, path);
            return zero;
        }
        let bad = |cx: &mut Self, d: Diagnostic| {
            cx.push(d, path);
            cx.invalid.insert(key.clone());
            zero
        };
        let Value::Number(n) = v else {
            let mut d = Diagnostic::error("report/type", t!("report.type-7", what))
                .expected(if domain == Domain::WanYuan {
                    t!("report.cell.text-2")
                } else {
                    t!("report.cell.text-3")
                })
                .found(show(v));
            if let Value::String(s) = v {
                // Full-width digits (４９８) and units (498件, 0.092万元) are what an editor
                // copies from a Word table: say which number to write.
                let halfwidth: String = s
                    .trim()
                    .chars()
                    .map(|c| match c {
                        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                        '．' => '.',
                        other => other,
                    })
                    .collect();
                let number: String = halfwidth
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
                    .collect();
                if number.parse::<f64>().is_ok() {
                    let why = if halfwidth != s.trim() {
                        t!("report.cell.text-4")
                    } else if number != halfwidth {
                        t!("report.cell.text-5")
                    } else {
                        t!("report.cell.text-6")
                    };
                    d = d.hint(t!("report.type.hint-6", why, number));
                }
            }
            return bad(self, d);
        };
        let f = n.as_f64().unwrap_or(f64::NAN);
        if !f.is_finite() {
            let d = Diagnostic::error("report/A6", t!("report.A6-5", what))
                .expected(t!("report.A6.expected"))
                .found(n.to_string());
            return bad(self, d);
        }
        if f < 0.0 && domain != Domain::Signed {
            let d = Diagnostic::error("report/A6", t!("report.A6-6", what))
                .expected(t!("report.A6.expected-2"))
                .found(n.to_string());
            return bad(self, d);
        }
        if domain == Domain::WanYuan {
            return Num::Dec(f);
        }
        if let Some(i) = n.as_i64() {
            return Num::Int(i);
        }
        if f.fract() != 0.0 || f.abs() > 9.0e15 {
            let d = Diagnostic::error("report/A6", t!("report.A6-7", what))
                .expected(t!("report.A6.expected-3"))
                .found(n.to_string());
            return bad(self, d);
        }
        Num::Int(f as i64)
    }

    pub(super) fn count(&mut self, v: &Value, path: &[&str], what: &str) -> u64 {
        match self.cell(v, path, what, Domain::Count) {
            Num::Int(i) => i.max(0) as u64,
            Num::Dec(_) => 0,
        }
    }
}
