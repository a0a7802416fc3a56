//! Detectors for Markdown that renders differently from what a Chinese editor meant. They work on
//! text that pulldown-cmark left literal, so they only fire where the damage is real.

/// An emphasis that CommonMark does not accept because punctuation sits on the wrong side of a
/// delimiter: `**注意：**正文` shows the asterisks instead of bold text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EmphasisPitfall {
    /// Byte offset of the first delimiter run that fails (the opener, else the closer).
    pub(crate) at: usize,
    /// Length of that run in bytes (all delimiters are ASCII).
    pub(crate) len: usize,
    /// The text as written, from the opener to one character past the closer.
    pub(crate) found: String,
    /// The same text with the punctuation moved outside the delimiters.
    pub(crate) fix: String,
}

/// Punctuation in the sense of CommonMark's flanking rules, including the full-width and CJK
/// punctuation of Chinese text (`：，。、“”《》（）` …).
pub(crate) fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x00A1..=0x00BF | 0x2010..=0x2027 | 0x2030..=0x205E | 0x3000..=0x303F
            | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// A maximal run of one delimiter character.
#[derive(Debug, Clone, Copy)]
struct Run {
    at: usize,
    len: usize,
    ch: u8,
}

fn runs(text: &str) -> Vec<Run> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'*' || b[i] == b'_' {
            let ch = b[i];
            let len = b[i..].iter().take_while(|&&c| c == ch).count();
            out.push(Run { at: i, len, ch });
            i += len;
        } else {
            i += 1;
        }
    }
    out
}

/// Finds pairs of literal `*`/`_` runs in `text` (text that the Markdown parser did not turn
/// into emphasis) where punctuation inside the delimiters next to a letter outside is what
/// stopped them from pairing.
pub(crate) fn emphasis_pitfalls(text: &str) -> Vec<EmphasisPitfall> {
    let before = |at: usize| text[..at].chars().next_back();
    let after = |at: usize| text[at..].chars().next();
    let mut out = Vec::new();
    let mut opener: Option<Run> = None;
    for run in runs(text) {
        if run.len > 3 {
            opener = None;
            continue;
        }
        let prev = before(run.at);
        let next = after(run.at + run.len);
        if let Some(o) = opener.filter(|o| o.ch == run.ch && o.len == run.len)
            && prev.is_some_and(|c| !c.is_whitespace())
        {
            let o_prev = before(o.at);
            let o_next = after(o.at + o.len);
            let opener_fails =
                o_next.is_some_and(is_punct) && o_prev.is_some_and(char::is_alphanumeric);
            let closer_fails =
                prev.is_some_and(is_punct) && next.is_some_and(char::is_alphanumeric);
            if opener_fails || closer_fails {
                out.push(pitfall(text, o, run, opener_fails, closer_fails));
            }
            opener = None;
            continue;
        }
        if next.is_some_and(|c| !c.is_whitespace()) {
            opener = Some(run);
        }
    }
    out
}

fn pitfall(text: &str, o: Run, c: Run, opener_fails: bool, closer_fails: bool) -> EmphasisPitfall {
    let delim = &text[o.at..o.at + o.len];
    let inner = &text[o.at + o.len..c.at];
    // A few characters of context after the closer make the message easy to find in the file.
    let after = &text[c.at + c.len..];
    let tail_end = c.at
        + c.len
        + after
            .chars()
            .take_while(|&ch| ch != '\n')
            .take(4)
            .map(char::len_utf8)
            .sum::<usize>();
    let tail = &text[c.at + c.len..tail_end];
    let head_start = o.at - text[..o.at].chars().next_back().map_or(0, char::len_utf8);
    let head = &text[head_start..o.at];
    let mut core = inner;
    let mut lead = "";
    let mut trail = "";
    if opener_fails {
        let n = core.len() - core.trim_start_matches(is_punct).len();
        lead = &core[..n];
        core = &core[n..];
    }
    if closer_fails {
        let keep = core.trim_end_matches(is_punct).len();
        trail = &core[keep..];
        core = &core[..keep];
    }
    let (found, fix) = if opener_fails {
        (
            format!("{head}{delim}{inner}{delim}{tail}"),
            format!("{head}{lead}{delim}{core}{delim}{trail}{tail}"),
        )
    } else {
        (
            format!("{delim}{inner}{delim}{tail}"),
            format!("{delim}{core}{delim}{trail}{tail}"),
        )
    };
    let at = if opener_fails { o.at } else { c.at };
    EmphasisPitfall {
        at,
        len: c.len,
        found,
        fix,
    }
}

/// Bare `http://` and `https://` addresses in `text` (which is not inside a link): byte offset
/// and the address. They are not made into links (portal does not enable GFM autolinks).
pub(crate) fn bare_urls(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text[from..].find("http") {
        let at = from + rel;
        let rest = &text[at..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            from = at + 4;
            continue;
        };
        // `xhttp://` is part of a word, not an address.
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            from = at + scheme;
            continue;
        }
        let len: usize = rest
            .chars()
            .take_while(|&c| {
                !c.is_whitespace()
                    && !crate::markdown::is_cjk(c)
                    && !matches!(c, '<' | '>' | '"' | '\'' | '`')
            })
            .map(char::len_utf8)
            .sum();
        let url = rest[..len].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']']);
        if url.len() > scheme {
            out.push((at, url));
        }
        from = at + len.max(scheme);
    }
    out
}

/// The 0-based lines of `body` that start an indented code block holding Chinese text: a line
/// indented by 4 spaces or a Tab after a blank line (or at the start), outside fenced code and
/// not inside a list. Such a paragraph was pasted from Word with its first-line indent.
pub(crate) fn indented_paragraphs(body: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut fenced = false;
    let mut prev_blank = true;
    let mut in_list = false;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            prev_blank = false;
            continue;
        }
        if fenced {
            continue;
        }
        if t.is_empty() {
            prev_blank = true;
            continue;
        }
        let indent = line.len() - t.len();
        let indented =
            line.starts_with('\t') || line[..indent].chars().filter(|c| *c == ' ').count() >= 4;
        if indent == 0 {
            let list_item = t.starts_with("- ")
                || t.starts_with("* ")
                || t.starts_with("+ ")
                || t.split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            in_list = list_item || (in_list && !prev_blank);
        }
        let chinese = t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if indented && prev_blank && !in_list && chinese {
            out.push(i);
        }
        prev_blank = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_after_full_width_colon_is_found() {
        let p = emphasis_pitfalls("**注意：**正文");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].at, "**注意：".len());
        assert_eq!(p[0].found, "**注意：**正文");
        assert_eq!(p[0].fix, "**注意**：正文");
    }

    #[test]
    fn opening_before_quote_is_found() {
        let p = emphasis_pitfalls("这是*“引用”*的文字");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].at, "这是".len());
        assert_eq!(p[0].fix, "是“*引用*”的文字");
    }

    #[test]
    fn harmless_literals_are_ignored() {
        assert!(emphasis_pitfalls("**注意：** 正文").is_empty());
        assert!(emphasis_pitfalls("2 * 3 * 4").is_empty());
        assert!(emphasis_pitfalls("file_name_here").is_empty());
        assert!(emphasis_pitfalls("**未闭合的强调").is_empty());
        assert!(emphasis_pitfalls("**注意**：正文").is_empty());
    }

    #[test]
    fn punctuation_classes() {
        for c in [
            '：', '，', '。', '、', '“', '”', '《', '》', '（', '）', '…', '!', '.',
        ] {
            assert!(is_punct(c), "{c}");
        }
        for c in ['正', 'a', '1', ' '] {
            assert!(!is_punct(c), "{c}");
        }
    }

    #[test]
    fn word_indented_paragraphs_are_found_not_code_or_lists() {
        let body = "第一段。\n\n    从 Word 粘贴的第二段。\n\n```\n    代码里的缩进\n```\n\n- 列表\n\n    列表里的续行。\n\n    plain code\n";
        assert_eq!(indented_paragraphs(body), vec![2]);
        assert_eq!(indented_paragraphs("\t全角缩进的段落。\n"), vec![0]);
    }

    #[test]
    fn bare_urls_stop_at_cjk_and_trailing_punctuation() {
        let text = "详见https://www.gov.cn/zhengce/，或 http://example.gov.cn/a?b=1.";
        let got = bare_urls(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], ("详见".len(), "https://www.gov.cn/zhengce/"));
        assert_eq!(got[1].1, "http://example.gov.cn/a?b=1");
        assert!(bare_urls("the httpd server and http:// alone").is_empty());
    }
}
