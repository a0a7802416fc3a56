//! YAML parser errors told as what the editor did. The parser says `did not find expected key`;
//! the editor needs to hear that line 5 is indented with a Tab, or that its quote is never closed.

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
            return (
                format!("第 {n} 行用了制表符（Tab）缩进，YAML 只能用空格"),
                "把这一行开头的 Tab 删去，改用空格缩进（同一层的键左侧对齐，下一层多缩进两个空格）"
                    .into(),
            );
        }
    }
    // An open quote runs on to the end of the text, so the parser stops far below it: look up
    // from the error line for the nearest line whose quote never closes.
    for n in (first_line..=line).rev() {
        if let Some(q) = unbalanced_quote(text_of(n)) {
            return (
                format!("第 {n} 行的{q}没有成对"),
                format!(
                    "给这一行的值补上结尾的{q}；值里本身要用引号时，外面改用另一种引号（例如 'XX“YY”'）"
                ),
            );
        }
    }
    if msg.contains("mapping values are not allowed") {
        return (
            format!("第 {line} 行的值里有“冒号加空格”（: ），YAML 把它当成了新的键"),
            "把整个值放进英文双引号，例如 `title: \"关于…的通知: 第二批\"`，或把值里的冒号改为中文冒号“：”".into(),
        );
    }
    if msg.contains("did not find expected ',' or ']'")
        || msg.contains("did not find expected ',' or '}'")
    {
        return (
            format!("第 {line} 行的方括号 [ ] 或花括号 {{ }} 没有闭合，或其中某一项需要加引号"),
            "检查括号是否成对；列表项之间用英文逗号分隔，项里含有冒号、逗号或方括号时给它加英文双引号".into(),
        );
    }
    if msg.contains("found character that cannot start any token") {
        let first = here.trim_start().trim_start_matches("- ");
        let after_colon = first
            .split_once(": ")
            .map_or(first, |(_, v)| v)
            .trim_start();
        let c = after_colon.chars().next().unwrap_or(' ');
        return (
            format!("第 {line} 行的值以 YAML 的特殊字符 `{c}` 开头"),
            "给这个值加上英文双引号，例如 `summary: \"@所有居民：…\"`".into(),
        );
    }
    if msg.contains("did not find expected key")
        || msg.contains("did not find expected <document start>")
        || msg.contains("did not find expected '-' indicator")
        || msg.contains("block sequence entries are not allowed")
    {
        return (
            format!("第 {line} 行（或上一行）的缩进与同一层的其他键不一致"),
            "同一层的键必须左侧对齐；列表项 `- ` 要比它所属的键多缩进两个空格；值里以 [ { * & ! 开头或含有“: ”的文字要加英文双引号".into(),
        );
    }
    if msg.contains("duplicate entry") || msg.contains("duplicate key") {
        let key = msg
            .split("key ")
            .nth(1)
            .map(|k| k.trim_matches(|c| c == '"' || c == '`'))
            .unwrap_or("");
        return (
            format!("第 {line} 行的键 {key} 写了两次"),
            "每个键只能写一次：删去重复的一行，或把两处的内容合并".into(),
        );
    }
    if msg.contains("end of stream") || msg.contains("unexpected end") {
        return (
            "YAML 在文件结束前没有写完：有引号或括号没有闭合".into(),
            "从报错的行往上找，补上缺的结尾引号或括号".into(),
        );
    }
    if msg.contains("recursion limit exceeded") {
        return (
            format!("第 {line} 行附近的括号嵌套太深"),
            "front matter 只需要一两层嵌套：检查是否多写了 [ 或 {".into(),
        );
    }
    (
        format!("YAML 语法错误（{msg}）"),
        "检查这一行和上一行的引号与缩进；值里以 [ { * & ! 开头或含有“: ”的文字要加英文双引号"
            .into(),
    )
}

/// The quote character left open on this line, if any: a value that starts with a quote but
/// never closes it.
fn unbalanced_quote(line: &str) -> Option<&'static str> {
    let value = line
        .trim_start()
        .trim_start_matches("- ")
        .split_once(": ")
        .map_or(line.trim_start(), |(_, v)| v)
        .trim();
    let (q, name) = match value.chars().next()? {
        '"' => ('"', "英文双引号 \""),
        '\'' => ('\'', "英文单引号 '"),
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
