//! YAML parser errors told as what the editor did. The parser says `did not find expected key`;
//! the editor needs to hear that line 5 is indented with a Tab, or that its quote is never closed.

use crate::t;

/// The Chinese message and hint for a YAML syntax error `msg` (the parser's words, location
/// removed) found at 1-based `line` of `yaml` (the YAML text whose first line is `first_line`
/// in the file).
pub fn explain(msg: &str, yaml: &str, first_line: usize, line: usize) -> (String, String) {
    let text_of = |n: usize| -> &str {
        n.checked_sub(first_line)
            .and_then(|i| yaml.lines().nth(i))
            .unwrap_or("")
    };
    let here = text_of(line);
    let before = text_of(line.saturating_sub(1));
    // A Tab in the indentation is the most common cause of every message below.
    for (n, l) in [(line, here), (line.saturating_sub(1), before)] {
        let indent: String = l.chars().take_while(|c| c.is_whitespace()).collect();
        if indent.contains('\t') {
            return (t!("yaml-message.text-1", n), t!("yaml-message.text-2"));
        }
    }
    // An open quote runs on to the end of the text, so the parser stops far below it: look up
    // from the error line for the nearest line whose quote never closes.
    for n in (first_line..=line).rev() {
        if let Some(q) = unbalanced_quote(text_of(n)) {
            return (
                t!("yaml-message.text-3", n, q),
                t!("yaml-message.text-4", q),
            );
        }
    }
    if msg.contains("mapping values are not allowed") {
        return (t!("yaml-message.text-5", line), t!("yaml-message.text-6"));
    }
    if msg.contains("did not find expected ',' or ']'")
        || msg.contains("did not find expected ',' or '}'")
    {
        return (t!("yaml-message.text-7", line), t!("yaml-message.text-8"));
    }
    if msg.contains("found character that cannot start any token") {
        let first = here.trim_start().trim_start_matches("- ");
        let after_colon = first
            .split_once(": ")
            .map_or(first, |(_, v)| v)
            .trim_start();
        let c = after_colon.chars().next().unwrap_or(' ');
        return (
            t!("yaml-message.text-9", line, c),
            t!("yaml-message.text-10"),
        );
    }
    if msg.contains("did not find expected key")
        || msg.contains("did not find expected <document start>")
        || msg.contains("did not find expected '-' indicator")
        || msg.contains("block sequence entries are not allowed")
    {
        return (t!("yaml-message.text-11", line), t!("yaml-message.text-12"));
    }
    if msg.contains("duplicate entry") || msg.contains("duplicate key") {
        let key = msg
            .split("key ")
            .nth(1)
            .map(|k| k.trim_matches(|c| c == '"' || c == '`'))
            .unwrap_or("");
        return (
            t!("yaml-message.text-13", line, key),
            t!("yaml-message.text-14"),
        );
    }
    if msg.contains("end of stream") || msg.contains("unexpected end") {
        return (t!("yaml-message.text-15"), t!("yaml-message.text-16"));
    }
    if msg.contains("recursion limit exceeded") {
        return (t!("yaml-message.text-17", line), t!("yaml-message.text-18"));
    }
    (t!("yaml-message.text-19", msg), t!("yaml-message.text-20"))
}

/// The quote character left open on this line, if any: a value that starts with a quote but
/// never closes it.
fn unbalanced_quote(line: &str) -> Option<String> {
    let value = line
        .trim_start()
        .trim_start_matches("- ")
        .split_once(": ")
        .map_or(line.trim_start(), |(_, v)| v)
        .trim();
    let (q, name) = match value.chars().next()? {
        '"' => ('"', t!("yaml-message.text-21")),
        '\'' => ('\'', t!("yaml-message.text-22")),
        _ => return None,
    };
    let rest = &value[1..];
    let closed = if q == '"' {
        // A backslash escapes the next character inside double quotes.
        let mut escaped = false;
        rest.chars().any(|c| {
            let end = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            end
        })
    } else {
        rest.contains('\'')
    };
    (!closed).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(yaml: &str) -> (String, String) {
        let e = serde_yaml::from_str::<serde_yaml::Value>(yaml).unwrap_err();
        let line = e.location().map_or(1, |l| l.line());
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        explain(&msg, yaml, 1, line)
    }

    #[test]
    fn a_tab_is_named_as_a_tab() {
        let (m, h) = parse_err("title: a\ndomains:\n\t- x\n");
        assert!(m.contains("制表符（Tab）"), "{m}");
        assert!(m.starts_with("第 3 行"), "{m}");
        assert!(h.contains("空格"));
    }

    #[test]
    fn an_open_quote_is_named() {
        let (m, _) = parse_err("title: \"关于低保的通知\ndate: 2021-01-01\n");
        assert!(m.contains("英文双引号") && m.contains("没有成对"), "{m}");
    }

    #[test]
    fn a_colon_in_a_value_is_explained() {
        let (m, h) = parse_err("title: 通知: 第二批\n");
        assert!(m.contains("冒号"), "{m}");
        assert!(h.contains("双引号"), "{h}");
    }

    #[test]
    fn bad_indentation_is_explained() {
        let (m, _) = parse_err("title: a\n  date: 2021-01-01\nsummary: b\n");
        assert!(m.contains("缩进") || m.contains("冒号"), "{m}");
    }

    #[test]
    fn special_first_characters_need_quotes() {
        let (m, h) = parse_err("summary: @所有居民\n");
        assert!(m.contains("`@`"), "{m}");
        assert!(h.contains("双引号"));
    }

    #[test]
    fn unclosed_brackets_are_explained() {
        let (m, _) = parse_err("keywords: [低保, 救助\ndate: 2021-01-01\n");
        assert!(m.contains("括号") || m.contains("缩进"), "{m}");
    }
}
