//! Typed reading of a YAML mapping, with every fault located and explained.
//!
//! Front matter and `site.yaml` are parsed into a `serde_yaml::Mapping` first and then read key by
//! key here, instead of through `#[derive(Deserialize)]`: serde stops at the first fault and
//! cannot say which line a key is on, while an editor needs every fault of a file at once, each
//! with its line, the key, what was expected and what was found.

use crate::t;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::date::{Date, DateError};
use crate::diagnostic::Diagnostic;

/// Finds the line of a key path in YAML source text (block or flow style).
///
/// This is a line scanner, not a parser: it is only used to point editors at the right line, so
/// a near miss costs a less precise message, never a wrong result.
#[derive(Debug, Clone)]
pub struct KeyLines {
    /// The YAML text, whole: one allocation a page (its lines, one `String` each, were ~1 KiB
    /// a page held for the whole build; issue 13).
    text: Box<str>,
    /// File line of the first line of the YAML text (1-based).
    first_line: usize,
}

impl KeyLines {
    /// `text` is the YAML; its first line is line `first_line` of the file.
    pub fn new(text: &str, first_line: usize) -> Self {
        KeyLines {
            text: text.into(),
            first_line,
        }
    }

    /// The front matter's YAML text, as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file line of `path` (e.g. `["applications", "granted", "natural_person"]`).
    pub fn line_of(&self, path: &[&str]) -> Option<usize> {
        let mut start = 0usize;
        let mut parent_indent: Option<usize> = None;
        let mut found = None;
        for (depth, seg) in path.iter().enumerate() {
            let mut hit = None;
            for (i, line) in self.text.lines().enumerate().skip(start) {
                let indent = line.len() - line.trim_start().len();
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                // Leaving the parent's block ends the search (except on the parent's own line,
                // where a flow mapping may hold the key).
                if depth > 0 && i > start && parent_indent.is_some_and(|p| indent <= p) {
                    break;
                }
                if has_key(line, seg) {
                    hit = Some((i, indent));
                    break;
                }
            }
            let (i, indent) = hit?;
            start = i;
            parent_indent = Some(indent);
            found = Some(i);
        }
        found.map(|i| i + self.first_line)
    }

    /// The lines from file line `from` on, with their file line numbers.
    pub fn lines_from(&self, from: usize) -> impl Iterator<Item = (usize, &str)> {
        let skip = from.saturating_sub(self.first_line);
        self.text
            .lines()
            .enumerate()
            .skip(skip)
            .map(move |(i, l)| (i + self.first_line, l))
    }
}

/// True if `line` holds `key:` as a mapping key (block or inside a flow mapping).
fn has_key(line: &str, key: &str) -> bool {
    let mut rest = line;
    while let Some(pos) = rest.find(key) {
        let before = rest[..pos].chars().next_back();
        let after = rest[pos + key.len()..].trim_start_matches([' ', '"', '\'']);
        let boundary_before = matches!(before, None | Some(' ' | '{' | ',' | '-' | '"' | '\''));
        if boundary_before && after.starts_with(':') {
            return true;
        }
        rest = &rest[pos + key.len()..];
    }
    false
}

/// A list of texts as editors write it: one text, or a list of texts (numbers read as text when
/// `numbers`). `None` if `v` is neither; else the texts and the items that are not texts.
pub fn text_list(v: &Value, numbers: bool) -> Option<(Vec<String>, Vec<&Value>)> {
    match v {
        Value::String(s) => Some((vec![s.trim().to_string()], Vec::new())),
        Value::Sequence(seq) => {
            let (mut out, mut bad) = (Vec::new(), Vec::new());
            for item in seq {
                match item {
                    Value::String(s) => out.push(s.trim().to_string()),
                    Value::Number(n) if numbers => out.push(n.to_string()),
                    other => bad.push(other),
                }
            }
            Some((out, bad))
        }
        _ => None,
    }
}

/// Describes a YAML value for "found: …" messages.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => t!("yaml-fields.text-1"),
        Value::Bool(b) => t!("yaml-fields.text-2", b),
        Value::Number(n) => t!("yaml-fields.text-3", n),
        Value::String(s) => t!("yaml-fields.text-4", s),
        Value::Sequence(_) => t!("yaml-fields.text-5"),
        Value::Mapping(_) => t!("yaml-fields.text-6"),
        Value::Tagged(t) => t!("yaml-fields.text-7", tag = t.tag),
    }
}

/// Reads keys of one mapping, collecting diagnostics.
pub struct Fields<'a> {
    map: &'a Mapping,
    file: PathBuf,
    lines: &'a KeyLines,
    /// Findings so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Reads `map`, which came from `file` with key lines `lines`.
    pub fn new(map: &'a Mapping, file: &Path, lines: &'a KeyLines) -> Self {
        Fields {
            map,
            file: file.to_path_buf(),
            lines,
            diagnostics: Vec::new(),
        }
    }

    /// The raw value of a key, if present.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// The line of a top-level key.
    pub fn line(&self, key: &str) -> Option<usize> {
        self.lines.line_of(&[key])
    }

    /// An error located at `key`.
    pub fn error_at(
        &self,
        rule: &'static str,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(rule, message)
            .file(&self.file)
            .line(self.line(key))
            .key(key)
    }

    fn type_error(&mut self, key: &str, expected: &str, found: &Value, hint: Option<&str>) {
        let mut d = self
            .error_at("front-matter/type", key, t!("yaml-fields"))
            .expected(expected)
            .found(describe(found));
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.diagnostics.push(d);
    }

    /// Reports a missing required key.
    pub fn missing(&mut self, key: &str, expected: &str, hint: &str) {
        self.diagnostics.push(
            Diagnostic::error("front-matter/missing", t!("front-matter.missing"))
                .file(&self.file)
                .line(1)
                .key(key)
                .expected(expected)
                .found(t!("front-matter.missing.found"))
                .hint(hint.to_string()),
        );
    }

    /// A string value; numbers are accepted and turned into text (a 文号 or code may look numeric).
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            other => {
                self.type_error(key, &t!("yaml-fields.type_error"), other, None);
                None
            }
        }
    }

    /// A required string.
    pub fn required_string(&mut self, key: &str, hint: &str) -> Option<String> {
        if self.get(key).is_none() {
            self.missing(key, &t!("yaml-fields.missing"), hint);
            return None;
        }
        let v = self.string(key);
        if matches!(v.as_deref(), Some("")) || (v.is_none() && self.get(key) == Some(&Value::Null))
        {
            self.diagnostics.push(
                self.error_at("front-matter/missing", key, t!("front-matter.missing-2"))
                    .expected(t!("front-matter.missing.expected"))
                    .found(t!("front-matter.missing.found-2"))
                    .hint(hint.to_string()),
            );
            return None;
        }
        v
    }

    /// A boolean.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.type_error(key, &t!("yaml-fields.type_error-2"), other, None);
                None
            }
        }
    }

    /// An integer.
    pub fn integer(&mut self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            other => {
                self.type_error(key, &t!("yaml-fields.type_error-3"), other, None);
                None
            }
        }
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, key: &str) -> Option<Date> {
        let v = self.get(key)?;
        let s = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Null => return None,
            other => {
                self.type_error(
                    key,
                    &t!("yaml-fields.type_error-4"),
                    other,
                    Some(&t!("yaml-fields.text-8")),
                );
                return None;
            }
        };
        match Date::parse(&s) {
            Ok(d) => Some(d),
            Err(e) => {
                let why = match e {
                    DateError::Shape => t!("yaml-fields.text-9"),
                    DateError::Impossible => t!("yaml-fields.text-10"),
                };
                self.diagnostics.push(
                    self.error_at("front-matter/date", key, why)
                        .expected(t!("front-matter.missing.expected-2"))
                        .found(format!("\"{s}\""))
                        .hint(t!("front-matter.missing.hint")),
                );
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.get(key).filter(|v| !v.is_null()) else {
            return Vec::new();
        };
        match text_list(v, true) {
            Some((out, bad)) => {
                for other in bad {
                    self.type_error(key, &t!("yaml-fields.type_error-5"), other, None);
                }
                out
            }
            None => {
                self.type_error(key, &t!("yaml-fields.type_error-6"), v, None);
                Vec::new()
            }
        }
    }

    /// One of a fixed set of words; `labels` pairs each accepted word with its Chinese label,
    /// and the Chinese label is accepted too.
    pub fn choice(&mut self, key: &str, labels: &[(&str, &str)]) -> Option<usize> {
        let s = match self.get(key)? {
            Value::String(s) => s.trim().to_string(),
            other => {
                let expected = choice_list(labels);
                self.type_error(key, &expected, other, None);
                return None;
            }
        };
        if let Some(i) = labels.iter().position(|(w, l)| *w == s || *l == s) {
            return Some(i);
        }
        self.diagnostics.push(
            self.error_at("front-matter/value", key, t!("front-matter.missing-3"))
                .expected(choice_list(labels))
                .found(format!("\"{s}\"")),
        );
        None
    }

    /// Warns about keys that are not in `known`, naming each.
    pub fn warn_unknown(&mut self, known: &[&str]) {
        for k in self.map.keys() {
            let name = match k {
                Value::String(s) => s.clone(),
                other => describe(other),
            };
            if !known.contains(&name.as_str()) {
                let hint = closest(&name, known)
                    .map(|c| t!("yaml-fields.text-11", c))
                    .unwrap_or_else(|| t!("yaml-fields.text-12", known = known.join(", ")));
                self.diagnostics.push(
                    Diagnostic::warning("front-matter/unknown-key", t!("front-matter.unknown-key"))
                        .file(&self.file)
                        .line(self.line(&name))
                        .key(name)
                        .hint(hint),
                );
            }
        }
    }
}

fn choice_list(labels: &[(&str, &str)]) -> String {
    labels
        .iter()
        .map(|(w, l)| format!("{w}（{l}）"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The known word closest to `word` by edit distance, if close enough to be a typo.
pub fn closest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lines_block_and_flow() {
        let text = "title: a\napplications:\n  new_received: { natural_person: 8 }\n  granted:\n    natural_person: 3\nreview:\n  granted: 1\n";
        let kl = KeyLines::new(text, 2);
        assert_eq!(kl.line_of(&["title"]), Some(2));
        assert_eq!(
            kl.line_of(&["applications", "new_received", "natural_person"]),
            Some(4)
        );
        assert_eq!(
            kl.line_of(&["applications", "granted", "natural_person"]),
            Some(6)
        );
        assert_eq!(kl.line_of(&["review", "granted"]), Some(8));
        assert_eq!(kl.line_of(&["nothing"]), None);
    }

    #[test]
    fn closest_suggests_typos() {
        assert_eq!(closest("titel", &["title", "date"]), Some("title"));
        assert_eq!(closest("zzzzzz", &["title", "date"]), None);
    }
}
