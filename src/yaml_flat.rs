//! Front matter of the plainest shape read without the YAML library: one `key: value` per line,
//! each value a double-quoted string without escapes, a list of such strings, a date, a slug or
//! a plain run of Chinese text. That is what scaffolding writes and nearly every editor keeps,
//! and the YAML library spends ~90,000 instructions on each (5 % of a build, issue 13). The
//! mapping returned is the one `serde_yaml` builds for the same text (a test compares the two
//! on every front matter of the example site and on many edge cases); anything else — a
//! comment, an escape, a number, a nested key, a duplicate key, an odd character — returns
//! `None` and goes to the YAML library, which also says what is wrong with it.

use serde_yaml::{Mapping, Value};

/// The mapping of `yaml` when every line has the plainest shape, else `None`.
pub fn parse(yaml: &str) -> Option<Mapping> {
    let mut map = Mapping::new();
    for line in yaml.split('\n') {
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once(": ")?;
        if !is_key(key) {
            return None;
        }
        let value = if let Some(list) = value.strip_prefix('[') {
            Value::Sequence(list_of_quoted(list)?)
        } else if let Some(rest) = value.strip_prefix('"') {
            let (s, after) = quoted(rest)?;
            if !after.is_empty() {
                return None;
            }
            Value::String(s.to_string())
        } else {
            Value::String(plain(value)?.to_string())
        };
        // A duplicate key is an error the YAML library words.
        if map.insert(Value::String(key.to_string()), value).is_some() {
            return None;
        }
    }
    Some(map)
}

/// A key YAML reads as this very string: lower-case ASCII letters, digits and `_`, starting
/// with a letter or `_`, and not a word YAML reads as something else.
fn is_key(key: &str) -> bool {
    key.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !special_word(key)
}

/// Words a plain scalar resolves to null, a boolean or a number.
fn special_word(s: &str) -> bool {
    matches!(s, "null" | "true" | "false") || s.parse::<f64>().is_ok()
}

/// Characters YAML takes as they are inside a quoted or plain scalar (its printable set,
/// without the ones it treats as breaks or byte-order marks).
fn printable(c: char) -> bool {
    matches!(c, '\t' | ' '..='~')
        || (c >= '\u{A0}'
            && !matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
            ))
}

/// A double-quoted string without escapes (`s` starts after the opening quote): its text and
/// what follows the closing quote.
fn quoted(s: &str) -> Option<(&str, &str)> {
    let end = s.find(['"', '\\'])?;
    if s.as_bytes()[end] != b'"' || !s[..end].chars().all(printable) {
        return None;
    }
    Some((&s[..end], &s[end + 1..]))
}

/// `"a", b]` (after the `[`): the strings of a one-line flow list of quoted or [`plain`] strings.
fn list_of_quoted(mut s: &str) -> Option<Vec<Value>> {
    let mut items = Vec::new();
    if s == "]" {
        return Some(items);
    }
    loop {
        let (item, after) = match s.strip_prefix('"') {
            Some(q) => quoted(q)?,
            None => {
                let end = s.find([',', ']'])?;
                (plain(&s[..end])?, &s[end..])
            }
        };
        items.push(Value::String(item.to_string()));
        if after == "]" {
            return Some(items);
        }
        s = after.strip_prefix(", ")?;
    }
}

/// A plain scalar YAML reads as this very string: a date (`2021-03-01`), a slug
/// (`social-assistance`, `household-registration/migration`), or text with a non-ASCII
/// character in it that starts with a letter or digit and holds no character YAML gives a
/// meaning to in a plain scalar (`:`, `#`, quotes, …).
fn plain(v: &str) -> Option<&str> {
    let b = v.as_bytes();
    let date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    let slug = b.first().is_some_and(u8::is_ascii_lowercase)
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'/'))
        && !special_word(v);
    // With a non-ASCII character in it, a plain scalar cannot be null, a boolean or a number.
    let text = v
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || (!c.is_ascii() && printable(c)))
        && !v.is_ascii()
        && !v.ends_with([' ', '\t'])
        && v.chars().all(|c| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/' | '(' | ')')
            } else {
                printable(c)
            }
        });
    (date || slug || text).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast reading, where it answers, is the YAML library's, keys in the same order.
    fn same_as_library(yaml: &str) -> bool {
        let Some(fast) = parse(yaml) else {
            return false;
        };
        let slow: Value = serde_yaml::from_str(yaml).unwrap_or_else(|e| {
            panic!("the fast path accepted what the library refuses: {yaml:?}: {e}")
        });
        let slow = match slow {
            Value::Mapping(m) => m,
            Value::Null => Mapping::new(),
            other => panic!("not a mapping: {other:?}"),
        };
        assert_eq!(fast, slow, "{yaml:?}");
        let keys = |m: &Mapping| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&fast), keys(&slow), "{yaml:?}");
        true
    }

    #[test]
    fn plain_front_matter_reads_as_the_yaml_library_reads_it() {
        for yaml in [
            "title: \"明德街道燃气安全整治办理情况公开\"\ndate: 2024-07-19\ndomain: work-safety\npublisher: \"明德街道社会事务科\"\nindex_no: \"737546076/2024-00199\"\nkeywords: [\"办事指南\", \"名单公示\"]\n",
            "title: 杨园街道2021年政府信息公开工作年度报告\nkind: annual-report\n",
            "title: 关于（2021）第3号 文件的说明 - 附件.pdf\n",
            "keywords: []\n",
            "keywords: [财政预算, 财政决算, \"预决算 公开\", social-assistance, 2021-03-01]\n",
            "matter: household-registration/migration\n",
            "title: \"  spaces kept  \"\n",
            "title: \"a # not a comment\"\n",
            "title: \"tab\there\"\n",
            "_x: y-2\n",
            "draft: yes\nx: no\ny: on\n",
            "title: \u{3000}标题\n",
            "title: 2021年行政许可和行政处罚“双公开”情况\nkeywords: [12345市民热线, 2021年, PM2.5监测]\n",
            "",
            "\n",
        ] {
            assert!(same_as_library(yaml), "{yaml:?} took the slow path");
        }
    }

    #[test]
    fn anything_else_goes_to_the_yaml_library() {
        for yaml in [
            "title: \"a\\\"b\"\n", // an escape
            "title: 'single'\n",   // single quotes
            "year: 2021\n",        // a number
            "draft: true\n",       // a boolean
            "domain: null\n",      // null
            "domain: nan\n",       // a float word
            "domain: inf\n",
            "x: 1e5\n",
            "title: 标题 # 注释\n", // a comment
            "title: 标题:副标题\n", // a colon
            "title: 标题 \n",       // trailing space
            "title: \"a\" \n",
            "title:\n",     // null by omission
            "a: b\na: c\n", // duplicate key
            "a:\n  b: c\n", // nesting
            "- a\n",        // a list
            "# comment\n",
            "Title: x\n", // upper case key
            "true: x\n",
            "date: 2021-3-1\n", // not a full date
            "date: 2021-03-01T10:00\n",
            "keywords: [\"a\",\"b\"]\n", // other spacing
            "keywords: [\"a\", \"b\"] \n",
            "keywords: [a,b]\n",
            "keywords: [a , b]\n",
            "keywords: [标题: 副标题]\n",
            "keywords: [true, x]\n",
            "title: \"\u{feff}x\"\n",
            "title: \"a\u{2028}b\"\n",
            "domain: -x\n",
            "domain: Social\n",
        ] {
            assert!(parse(yaml).is_none(), "{yaml:?} took the fast path");
        }
    }

    /// Every front matter under `root` compared with the library's: (read fast, all).
    fn compare_tree(root: &std::path::Path) -> (usize, usize) {
        let (mut fast, mut all) = (0, 0);
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let Ok(split) = crate::front_matter::split(&text, entry.path()) else {
                continue;
            };
            all += 1;
            if same_as_library(split.yaml) {
                fast += 1;
            }
        }
        (fast, all)
    }

    #[test]
    fn every_front_matter_of_the_example_reads_the_same() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (fast, all) = compare_tree(&content);
        assert!(all > 20, "{all} files");
        // The example's pages are mostly written the plain way; the fast path must take them.
        assert!(fast * 2 > all, "{fast} of {all} read fast");
    }

    /// Opt-in, over a generated corpus: `PORTAL_YAML_CORPUS=/path/to/c10000 cargo test --lib
    /// yaml_flat -- --ignored` (every front matter compared with the YAML library's).
    #[test]
    #[ignore = "needs a corpus from shared/bench/gen_corpus.py in PORTAL_YAML_CORPUS"]
    fn every_front_matter_of_a_corpus_reads_the_same() {
        let root = std::env::var("PORTAL_YAML_CORPUS").expect("PORTAL_YAML_CORPUS");
        let (fast, all) = compare_tree(std::path::Path::new(&root));
        eprintln!("{fast} of {all} read fast");
        assert!(all > 0);
    }
}
