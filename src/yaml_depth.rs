//! A guard before any YAML parser: nesting deeper than [`MAX_YAML_DEPTH`] is refused by one
//! linear scan of the text, with the line where it happens.

use crate::t;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// How deep YAML may nest (indentation, `- ` items and `[`/`{` flow collections together).
/// Front matter needs three or four levels; the YAML parser takes quadratic time on deep flow
/// nesting (100,000 `[` kept it busy for 46 s), so deeper input is refused before parsing.
pub const MAX_YAML_DEPTH: usize = 64;

/// Refuses YAML nesting deeper than [`MAX_YAML_DEPTH`], scanning the text once, before any YAML
/// parser sees it. `first_line` is the file line of the text's first line; `rule` the rule id
/// of the caller (`front-matter/too-deep`, `site/too-deep`).
///
/// A scanner, not a parser: quoted text, comments and block scalars (`|`, `>`) are skipped, and
/// a bracket counts only where it can open a collection.
pub fn too_deep(
    yaml: &str,
    first_line: usize,
    file: &Path,
    rule: &'static str,
) -> Option<Diagnostic> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    let mut block_scalar: Option<usize> = None;
    for (i, line) in yaml.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim();
        if let Some(b) = block_scalar {
            if trimmed.is_empty() || indent > b {
                continue;
            }
            block_scalar = None;
        }
        let mut depth_here = 0;
        let mut rest = &line[indent..];
        if quote.is_none() && flow == 0 {
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            while indents.last().is_some_and(|&top| top > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            // Compact nested items on one line: `- - - x`.
            let mut items = 0;
            while let Some(r) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("? ")) {
                items += 1;
                rest = r.trim_start_matches(' ');
            }
            if rest == "-" {
                items += 1;
            }
            depth_here = indents.len() + items;
        }
        let mut prev = ' ';
        let mut chars = rest.chars().peekable();
        let mut content_end = ' ';
        while let Some(c) = chars.next() {
            match quote {
                Some('"') => {
                    if c == '\\' {
                        chars.next();
                    } else if c == '"' {
                        quote = None;
                    }
                }
                Some(_) => {
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            quote = None;
                        }
                    }
                }
                None => {
                    let at_token =
                        flow > 0 || matches!(prev, ' ' | ':' | '-' | '[' | '{' | ',' | '?');
                    match c {
                        '#' if prev == ' ' => break,
                        '"' | '\'' if at_token => quote = Some(c),
                        '[' | '{' if at_token => {
                            flow += 1;
                            depth_here = depth_here.max(indents.len() + flow);
                        }
                        ']' | '}' if flow > 0 => flow -= 1,
                        _ => {}
                    }
                    if !c.is_whitespace() {
                        content_end = c;
                    }
                }
            }
            if !c.is_whitespace() {
                prev = c;
            } else {
                prev = ' ';
            }
        }
        if depth_here > MAX_YAML_DEPTH {
            return Some(
                Diagnostic::error(rule, t!("yaml-depth", depth_here))
                    .file(file)
                    .line(first_line + i)
                    .found(t!("yaml-depth.found", depth_here))
                    .expected(t!("yaml-depth.expected", MAX_YAML_DEPTH))
                    .hint(t!("yaml-depth.hint")),
            );
        }
        // `key: |` or `- >-` starts a block scalar: its more indented lines are text.
        let stripped = trimmed.split(" #").next().unwrap_or("").trim_end();
        let ind = stripped.trim_end_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
        if quote.is_none()
            && flow == 0
            && matches!(content_end, '|' | '>' | '+' | '-' | '0'..='9')
            && (ind.ends_with(" |") || ind.ends_with(" >") || ind == "|" || ind == ">")
        {
            block_scalar = Some(indent);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_yaml_is_refused_before_parsing() {
        let f = Path::new("content/a.md");
        let deep = |yaml: &str| too_deep(yaml, 2, f, "front-matter/too-deep");
        let ordinary = "title: a\ndomains: [x, y]\napplications:\n  granted:\n    natural_person: {a: [1, 2]}\n  - - x\n";
        assert!(deep(ordinary).is_none());
        let brackets = format!("title: t\nx: {}\n", "[".repeat(100_000));
        let d = deep(&brackets).unwrap();
        assert_eq!((d.rule, d.line), ("front-matter/too-deep", Some(3)));
        assert!(d.message.contains("嵌套过深"));
        assert!(deep(&format!("x: {}\n", "{a: ".repeat(65))).is_some());
        let indented: String = (0..70)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        assert_eq!(deep(&indented).unwrap().line, Some(2 + 64));
        assert!(deep(&format!("x:\n  {}y\n", "- ".repeat(70))).is_some());
        // Brackets in quotes, comments and block scalars are text.
        let text = format!(
            "title: \"{0}\"\nt2: '{0}'\n# {0}\nbody: |\n  {0}\n  more\nsummary: >-\n  {0}\nlast: a[b\n",
            "[".repeat(100)
        );
        assert!(deep(&text).is_none(), "{:?}", deep(&text));
    }
}
