//! The catalog held to the code: both languages, Chinese texts, and every call site.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;

fn zh() -> Table {
    parse(ZH).expect("src/messages/zh.yaml parses as `id: text` lines")
}

fn en() -> Table {
    parse(EN).expect("src/messages/en.yaml parses as `id: text` lines")
}

#[test]
fn both_languages_have_the_same_ids() {
    let (zh, en) = (zh(), en());
    let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    assert!(only_zh.is_empty(), "ids without English: {only_zh:?}");
    assert!(only_en.is_empty(), "ids without Chinese: {only_en:?}");
}

/// Chinese: a Han character, or no word at all (a text of placeholders and Chinese punctuation
/// such as `《{title}》`).
fn is_chinese(text: &str) -> bool {
    if text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        return true;
    }
    let mut words = text.to_string();
    for name in placeholders(text) {
        words = words.replace(&format!("{{{name}}}"), "");
    }
    !words.chars().any(|c| c.is_ascii_alphabetic())
}

#[test]
fn every_chinese_text_is_chinese() {
    assert!(is_chinese("《{title}》"));
    assert!(!is_chinese("《{title}》 (index number {n})"));
    assert!(!is_chinese("portal new：{error}"));
    let bad: Vec<_> = zh()
        .into_iter()
        .filter(|(_, text)| !is_chinese(text))
        .collect();
    assert!(bad.is_empty(), "zh texts without Chinese: {bad:?}");
}

#[test]
fn both_languages_use_the_same_placeholders() {
    let en = en();
    for (id, text) in zh() {
        let mut a = placeholders(&text);
        let mut b = placeholders(&en[&id]);
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "placeholders of `{id}` differ between zh and en");
    }
}

#[test]
fn ids_are_stable_ascii() {
    for id in zh().keys() {
        assert!(
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c)),
            "id `{id}`: ASCII letters (as in the rule ids), digits, `-`, `.`, `_` only"
        );
    }
}

#[test]
fn fill_puts_in_arguments_and_keeps_other_braces() {
    let n = 3;
    assert_eq!(
        fill("{n} 个错误，{m} 个警告", &[("n", &n), ("m", &"0")]),
        "3 个错误，0 个警告"
    );
    assert_eq!(fill("{\"a\": 1} {{x}", &[("x", &1)]), "{\"a\": 1} {1");
    assert_eq!(fill("{ 9 }", &[]), "{ 9 }");
}

#[test]
fn a_missing_argument_stays_visible() {
    let s = fill("缺少键 `{key}`，见 {guide}", &[("key", &"title")]);
    assert_eq!(s, "缺少键 `title`，见 {guide}");
    // An unknown id shows itself and its arguments, never an empty text.
    let s = render_in(Lang::Zh, "no.such.id", &[("key", &"title")]);
    assert_eq!(s, "no.such.id key=title");
}

#[test]
fn render_in_english_and_chinese() {
    let n = 2;
    let zh = render_in(
        Lang::Zh,
        "summary.counts",
        &[("errors", &n), ("warnings", &0)],
    );
    let en = render_in(
        Lang::En,
        "summary.counts",
        &[("errors", &n), ("warnings", &0)],
    );
    assert_eq!(zh, "2 个错误，0 个警告");
    assert_eq!(en, "2 error(s), 0 warning(s)");
}

#[test]
fn lang_parses_flag_and_environment_values() {
    assert_eq!(Lang::parse("en"), Some(Lang::En));
    assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
    assert_eq!(Lang::parse("fr"), None);
}

/// A `t!` call found in the source: its id and argument names.
#[derive(Debug)]
struct Call {
    at: String,
    id: String,
    args: BTreeSet<String>,
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every `t!(…)` call of `src/` (outside comments and this module).
/// Every `.rs` file of `src/` that says things (the catalog's own code renders texts through
/// `t!` too, in `io.rs`; its docs and tests only show examples), as its path under `src/` and
/// its code with comments blanked.
fn scanned_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|f| *f != src.join("messages/mod.rs") && *f != src.join("messages/tests.rs"))
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            let rel = f.strip_prefix(&src).unwrap().display().to_string();
            (rel, strip_comments(&text))
        })
        .collect()
}

fn calls() -> Vec<Call> {
    let mut calls = Vec::new();
    for (rel, code) in scanned_sources() {
        let mut from = 0;
        while let Some(i) = code[from..].find("t!(") {
            let at = from + i;
            from = at + 3;
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let line = code[..at].matches('\n').count() + 1;
            let (id, args) = parse_call(&code[at + 3..]).unwrap_or_else(|| {
                panic!("src/{rel}:{line}: a t! call must start with a string literal id")
            });
            calls.push(Call {
                at: format!("src/{rel}:{line}"),
                id,
                args,
            });
        }
    }
    calls
}

/// The source with `//` comments blanked (string literals kept), so that doc examples do not
/// count as calls.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        if in_str {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
            out.push(c);
        } else if c == '\'' {
            // A char literal ('"', '\'') is copied whole; a lifetime is just the quote.
            out.push(c);
            let ahead: Vec<char> = chars.clone().take(3).collect();
            let n = match ahead.as_slice() {
                ['\\', _, '\'', ..] => 3,
                [x, '\'', ..] if *x != '\\' => 2,
                _ => 0,
            };
            for _ in 0..n {
                if let Some(x) = chars.next() {
                    out.push(x);
                }
            }
        } else if c == '/' && chars.peek() == Some(&'/') {
            for n in chars.by_ref() {
                if n == '\n' {
                    out.push('\n');
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `"id", a = x, b` (up to the closing parenthesis) → the id and `{a, b}`.
fn parse_call(s: &str) -> Option<(String, BTreeSet<String>)> {
    let s = s.trim_start();
    let s = s.strip_prefix('"')?;
    let end = s.find('"')?;
    let id = s[..end].to_string();
    let mut rest = &s[end + 1..];
    let mut args = BTreeSet::new();
    // Top-level commas split the arguments; each starts with its name.
    let mut depth = 0i32;
    let mut arg = String::new();
    let mut literal = Literal::default();
    let mut parts = Vec::new();
    for (i, c) in rest.char_indices() {
        if literal.feed(c) {
            arg.push(c);
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                arg.push(c);
            }
            ')' | ']' | '}' if depth == 0 => {
                parts.push(std::mem::take(&mut arg));
                rest = &rest[i..];
                break;
            }
            ')' | ']' | '}' => {
                depth -= 1;
                arg.push(c);
            }
            ',' if depth == 0 => parts.push(std::mem::take(&mut arg)),
            _ => arg.push(c),
        }
    }
    let _ = rest;
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let name: String = p
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // A name given twice would show only its first value.
        assert!(
            args.insert(name.clone()),
            "`{id}`: argument `{name}` given twice"
        );
    }
    Some((id, args))
}

#[test]
fn the_scanner_reads_calls() {
    let (id, args) = parse_call(r#""a.b", key = k.f(1, 2), n, s = format!("{x}")) + 1"#).unwrap();
    assert_eq!(id, "a.b");
    assert_eq!(
        args.into_iter().collect::<Vec<_>>(),
        vec!["key".to_string(), "n".into(), "s".into()]
    );
    assert!(!strip_comments("a // t!(\"x\")\nb").contains("t!"));
    assert!(strip_comments("let c = '\"'; t!(\"x\")").contains("t!(\"x\")"));
}

#[test]
fn every_call_names_a_catalog_id_with_its_placeholders() {
    let zh = zh();
    let en = en();
    let calls = calls();
    let mut problems = Vec::new();
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &calls {
        let Some(text) = zh.get(&c.id) else {
            problems.push(format!("{}: `{}` is not in the catalog", c.at, c.id));
            continue;
        };
        *used
            .entry(zh.get_key_value(&c.id).unwrap().0.as_str())
            .or_default() += 1;
        for (lang, text) in [("zh", text), ("en", en.get(&c.id).unwrap_or(text))] {
            let wanted: BTreeSet<String> =
                placeholders(text).into_iter().map(String::from).collect();
            if wanted != c.args {
                problems.push(format!(
                    "{}: `{}` ({lang}) uses {{{wanted:?}}}, the call passes {:?}",
                    c.at, c.id, c.args
                ));
            }
        }
    }
    for id in zh.keys() {
        if !used.contains_key(id.as_str()) {
            problems.push(format!("`{id}` is in the catalog but no t! call uses it"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Where a finding's text is given: a `Diagnostic`'s message, its hint, expectation or finding.
const FINDING_TEXT_CALLS: [&str; 5] = [
    "Diagnostic::error(",
    "Diagnostic::warning(",
    ".hint(",
    ".expected(",
    ".found(",
];

/// Whether `s` holds a Han character (the editors' Chinese).
fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Where a scan of Rust code stands with respect to string literals.
#[derive(Default)]
struct Literal {
    inside: bool,
    escaped: bool,
}

impl Literal {
    /// Reads `c`; true when it belongs to a string literal (its quotes included).
    fn feed(&mut self, c: char) -> bool {
        if self.inside {
            if self.escaped {
                self.escaped = false;
            } else if c == '\\' {
                self.escaped = true;
            } else if c == '"' {
                self.inside = false;
            }
            return true;
        }
        self.inside = c == '"';
        self.inside
    }
}

/// The text of the arguments of a call whose `(` was just read: up to the matching `)`, string
/// literals included whole.
fn call_arguments(s: &str) -> &str {
    let mut depth = 0i32;
    let mut literal = Literal::default();
    for (i, c) in s.char_indices() {
        if literal.feed(c) {
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return &s[..i],
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    s
}

/// The string literals of `code` (escapes left as written).
fn string_literals(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut escaped = false;
    for (i, c) in code.char_indices() {
        match start {
            Some(from) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    out.push(&code[from..i]);
                    start = None;
                }
            }
            None if c == '"' => start = Some(i + 1),
            None => {}
        }
    }
    out
}

/// The findings in `code` whose text is a literal with Chinese in it: `(line, call)` each.
fn literal_findings(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for call in FINDING_TEXT_CALLS {
        let mut from = 0;
        while let Some(i) = code[from..].find(call) {
            let at = from + i;
            from = at + call.len();
            let args = call_arguments(&code[from..]);
            if string_literals(args).into_iter().any(has_han) {
                let line = code[..at].matches('\n').count() + 1;
                let shown: String = args.chars().take(60).collect();
                found.push((line, format!("{call}{shown}")));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_guard_sees_literal_findings() {
    let code = "let d = Diagnostic::error(\"x/y\", format!(\"缺少 {k}\"))\n    .hint(t!(\"x.y.hint\"))\n    .found(if a { \"没有\" } else { \"\" });\nlet e = Diagnostic::warning(\"x/z\", t!(\"x.z\", k = f(\"a\")));";
    let found = literal_findings(code);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, 1);
    assert!(found[0].1.starts_with("Diagnostic::error("));
    assert_eq!(found[1].0, 3);
    assert!(found[1].1.starts_with(".found("));
}

/// A finding (a `Diagnostic`'s message, hint, expectation or finding) built from a string
/// literal with Chinese in it, anywhere in `src/` outside this catalog, is a text missing from
/// the catalog: `--lang en` would show it in Chinese. Unit tests (after a file's `#[cfg(test)]`)
/// build findings from literals as test data and are not scanned; the residents' page texts are
/// never findings, so no allow-list is needed.
#[test]
fn every_finding_text_is_in_the_catalog() {
    let mut problems = Vec::new();
    for (rel, code) in scanned_sources() {
        let code = code.split("#[cfg(test)]").next().unwrap_or("");
        for (line, call) in literal_findings(code) {
            problems.push(format!("src/{rel}:{line}: {call}"));
        }
    }
    assert!(
        problems.is_empty(),
        "findings whose text is a Chinese literal, not a t! id of the catalog (see src/messages/mod.rs):\n{}",
        problems.join("\n")
    );
}
