//! Tokenizing for the index and for queries, and the normalized text of the phrase bonus.
//!
//! Each character is first *folded* (full-width ASCII U+FF01–U+FF5E → U+0021–U+007E, the
//! ideographic space U+3000 → space), then classified:
//!
//! * CJK: Han (U+3400–U+4DBF, U+4E00–U+9FFF, U+F900–U+FAFF, U+20000–U+3FFFF, 々 〇), kana,
//!   Hangul syllables. A run of CJK characters gives one unigram per character and one bigram
//!   per adjacent pair: 养老服务 → 养 养老 老 老服 服 服务 务.
//! * Letter: ASCII letters and the Latin, Greek and Cyrillic letter blocks. A run is one word,
//!   lowercased: `Hello` → `hello`.
//! * Digit: `0`–`9` (after folding, so `１２３４５` → `12345`). A run is one number token;
//!   `2021年` → `2021` + `年`; letters and digits split: `5G` → `5` + `g`.
//! * Everything else (white space, all punctuation, full-width or not, symbols) separates.
//!
//! `themes/default/static/search.js` implements the same rules (`fold`, `classOf`, `runs`);
//! keep both in step.

use std::ops::Range;

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    /// One CJK character.
    Unigram,
    /// Two adjacent CJK characters.
    Bigram,
    /// A run of letters, lowercased.
    Word,
    /// A run of digits.
    Number,
}

/// One token of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalized text that is indexed and looked up.
    pub text: String,
    /// Unigram, bigram, word or number.
    pub kind: TokenKind,
    /// Byte range in the original text.
    pub start: usize,
    /// End of the byte range in the original text (exclusive).
    pub end: usize,
}

/// Splits `text` into search tokens, in order of their start (a bigram follows the unigram it
/// starts with). See the module documentation for the rules.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut buf = String::new();
    scan(text, &mut buf, |piece, r| {
        let (text, kind) = match piece {
            Piece::Uni(c) => (c.to_string(), TokenKind::Unigram),
            Piece::Bi(a, b) => ([a, b].iter().collect(), TokenKind::Bigram),
            Piece::Word(w) => (w.to_string(), TokenKind::Word),
            Piece::Num(n) => (n.to_string(), TokenKind::Number),
        };
        out.push(Token {
            text,
            kind,
            start: r.start,
            end: r.end,
        });
    });
    out
}

/// The class of a folded character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Separator: white space, punctuation, symbols, unsupported scripts.
    Sep,
    /// Han, kana, Hangul.
    Cjk,
    /// Latin, Greek, Cyrillic letters.
    Letter,
    /// ASCII digits.
    Digit,
}

/// Full-width ASCII → ASCII, ideographic space → space; anything else unchanged.
#[inline]
pub(crate) fn fold(c: char) -> char {
    let u = c as u32;
    match u {
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// The class of a folded character.
#[inline]
pub(crate) fn class_of(c: char) -> Class {
    let u = c as u32;
    match u {
        0x30..=0x39 => Class::Digit,
        0x41..=0x5A | 0x61..=0x7A => Class::Letter,
        0..=0x7F => Class::Sep,
        0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF
        | 0x3005
        | 0x3007
        | 0x3041..=0x3096
        | 0x309D..=0x309F
        | 0x30A1..=0x30FA
        | 0x30FC..=0x30FF
        | 0x31F0..=0x31FF
        | 0xAC00..=0xD7A3
        | 0xFF66..=0xFF9F => Class::Cjk,
        0xC0..=0xD6
        | 0xD8..=0xF6
        | 0xF8..=0x24F
        | 0x300..=0x36F
        | 0x370..=0x37D
        | 0x37F..=0x386
        | 0x388..=0x3FF
        | 0x400..=0x4FF
        | 0x1E00..=0x1EFF => Class::Letter,
        _ => Class::Sep,
    }
}

/// Appends the lowercase of a folded letter.
#[inline]
fn push_lower(buf: &mut String, c: char) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
    } else {
        buf.extend(c.to_lowercase());
    }
}

/// Calls `f(class, byte range)` for each maximal run of non-separator characters of one class.
pub(crate) fn for_each_run(text: &str, mut f: impl FnMut(Class, Range<usize>)) {
    let mut cur = Class::Sep;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let k = class_of(fold(c));
        if k != cur {
            if cur != Class::Sep {
                f(cur, start..i);
            }
            cur = k;
            start = i;
        }
    }
    if cur != Class::Sep {
        f(cur, start..text.len());
    }
}

/// A token without an owned string (the indexer's hot path).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece<'a> {
    /// One CJK character.
    Uni(char),
    /// Two adjacent CJK characters.
    Bi(char, char),
    /// A lowercased word.
    Word(&'a str),
    /// A digit run.
    Num(&'a str),
}

/// Calls `f` for every token of `text`, in order; `buf` is scratch space for words.
pub(crate) fn scan(text: &str, buf: &mut String, mut f: impl FnMut(Piece<'_>, Range<usize>)) {
    for_each_run(text, |class, r| {
        let s = &text[r.clone()];
        match class {
            Class::Cjk => {
                // CJK characters are never changed by folding.
                let mut prev: Option<(char, usize)> = None;
                for (i, c) in s.char_indices() {
                    let (cs, ce) = (r.start + i, r.start + i + c.len_utf8());
                    if let Some((p, ps)) = prev {
                        f(Piece::Bi(p, c), ps..ce);
                    }
                    f(Piece::Uni(c), cs..ce);
                    prev = Some((c, cs));
                }
            }
            Class::Letter => {
                buf.clear();
                for c in s.chars() {
                    push_lower(buf, fold(c));
                }
                f(Piece::Word(buf), r);
            }
            Class::Digit => {
                buf.clear();
                buf.extend(s.chars().map(fold));
                f(Piece::Num(buf), r);
            }
            Class::Sep => {}
        }
    });
}

/// One part of a query: a CJK run, a word or a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryGroup {
    /// The terms looked up: the unigram of a one-character CJK run, the distinct bigrams of a
    /// longer one, or the word or number.
    pub(crate) terms: Vec<String>,
    /// How many of `terms` a document must contain to match the group: ⌈2k/3⌉ of k bigrams
    /// (so 养老服务 matches 养老…服务 without 老服), otherwise 1.
    pub(crate) need: usize,
}

/// Splits a query into groups. A document matches a query (strictly) when it matches every
/// group. Unigrams are looked up only for one-character CJK runs: the bigrams of a longer run
/// find every document that contains it, with much smaller posting lists.
pub(crate) fn parse_query(query: &str) -> Vec<QueryGroup> {
    let mut groups = Vec::new();
    for_each_run(query, |class, r| {
        let s = &query[r];
        let terms: Vec<String> = match class {
            Class::Cjk => {
                let chars: Vec<char> = s.chars().collect();
                if chars.len() == 1 {
                    vec![chars[0].to_string()]
                } else {
                    let mut v: Vec<String> = Vec::new();
                    for w in chars.windows(2) {
                        let t: String = w.iter().collect();
                        if !v.contains(&t) {
                            v.push(t);
                        }
                    }
                    v
                }
            }
            Class::Letter => {
                let mut b = String::new();
                for c in s.chars() {
                    push_lower(&mut b, fold(c));
                }
                vec![b]
            }
            Class::Digit => vec![s.chars().map(fold).collect()],
            Class::Sep => return,
        };
        let k = terms.len();
        let need = if class == Class::Cjk && k > 1 {
            (2 * k).div_ceil(3)
        } else {
            1
        };
        groups.push(QueryGroup { terms, need });
    });
    groups
}

/// The distinct terms of `groups`, in order of first appearance (the order scores are summed in).
pub(crate) fn query_terms(groups: &[QueryGroup]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for g in groups {
        for t in &g.terms {
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
    }
    out
}

/// Text normalized for the phrase bonus: folded, letters lowercased, each run of separators
/// replaced by one space, trimmed.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let c = fold(c);
        match class_of(c) {
            Class::Sep => pending_space = !out.is_empty(),
            k => {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                if k == Class::Letter {
                    push_lower(&mut out, c);
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Whether the normalized `hay` contains the normalized `needle` as a phrase: anywhere inside
/// CJK text, but not inside a longer word or number (`12345` is not in `123456`).
pub(crate) fn contains_phrase(hay: &str, needle: &str) -> bool {
    let (Some(first), Some(last)) = (needle.chars().next(), needle.chars().next_back()) else {
        return false;
    };
    let (kf, kl) = (class_of(first), class_of(last));
    let word_like = |k: Class| matches!(k, Class::Letter | Class::Digit);
    let mut from = 0;
    while let Some(off) = hay[from..].find(needle) {
        let at = from + off;
        let end = at + needle.len();
        let before_ok = !word_like(kf)
            || hay[..at]
                .chars()
                .next_back()
                .is_none_or(|c| class_of(c) != kf);
        let after_ok =
            !word_like(kl) || hay[end..].chars().next().is_none_or(|c| class_of(c) != kl);
        if before_ok && after_ok {
            return true;
        }
        from = at + first.len_utf8();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<(String, TokenKind)> {
        tokenize(s).into_iter().map(|t| (t.text, t.kind)).collect()
    }

    fn of_kind(s: &str, k: TokenKind) -> Vec<String> {
        tokenize(s)
            .into_iter()
            .filter(|t| t.kind == k)
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn chinese_unigrams_and_bigrams() {
        assert_eq!(
            of_kind("养老服务", TokenKind::Unigram),
            ["养", "老", "服", "务"]
        );
        assert_eq!(
            of_kind("养老服务", TokenKind::Bigram),
            ["养老", "老服", "服务"]
        );
        let all: Vec<String> = texts("养老服务").into_iter().map(|t| t.0).collect();
        assert_eq!(all, ["养", "养老", "老", "老服", "服", "服务", "务"]);
        let t = tokenize("养老");
        assert_eq!(t[1].text, "养老");
        assert_eq!((t[1].start, t[1].end), (0, 6));
    }

    #[test]
    fn latin_words_are_lowercased() {
        assert_eq!(
            texts("Hello World"),
            [
                ("hello".to_string(), TokenKind::Word),
                ("world".to_string(), TokenKind::Word)
            ]
        );
        assert_eq!(of_kind("Ärger ÉCOLE", TokenKind::Word), ["ärger", "école"]);
    }

    #[test]
    fn digits_runs_and_split_from_han() {
        assert_eq!(texts("12345"), [("12345".to_string(), TokenKind::Number)]);
        assert_eq!(
            texts("2021年"),
            [
                ("2021".to_string(), TokenKind::Number),
                ("年".to_string(), TokenKind::Unigram)
            ]
        );
        let all: Vec<String> = texts("5G网络").into_iter().map(|t| t.0).collect();
        assert_eq!(all, ["5", "g", "网", "网络", "络"]);
    }

    #[test]
    fn punctuation_separates() {
        // No bigram across 、 or ，or ASCII punctuation.
        assert_eq!(
            of_kind("低保、养老，就业", TokenKind::Bigram),
            ["低保", "养老", "就业"]
        );
        assert_eq!(of_kind("a.b-c_d", TokenKind::Word), ["a", "b", "c", "d"]);
        assert_eq!(
            of_kind("《通知》“养老”（试行）【公示】", TokenKind::Bigram),
            ["通知", "养老", "试行", "公示"]
        );
        assert_eq!(
            of_kind("低保｡养老､就业・招聘", TokenKind::Bigram),
            ["低保", "养老", "就业", "招聘"]
        );
        assert!(tokenize("，。！？、；：… —— · ￥ ％ ＠ ＃").is_empty());
    }

    #[test]
    fn full_width_folds_to_half_width() {
        assert_eq!(
            texts("１２３４５"),
            [("12345".to_string(), TokenKind::Number)]
        );
        assert_eq!(texts("ＡＢＣ"), [("abc".to_string(), TokenKind::Word)]);
        assert_eq!(
            of_kind("Ｈｅｌｌｏ　Ｗｏｒｌｄ", TokenKind::Word),
            ["hello", "world"]
        );
        let t = tokenize("电话：０１０－１２３４５");
        let nums: Vec<&str> = t
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(nums, ["010", "12345"]);
        // Byte offsets point into the original (full-width) text.
        let n = t.iter().find(|t| t.text == "12345").unwrap();
        assert_eq!(&"电话：０１０－１２３４５"[n.start..n.end], "１２３４５");
    }

    #[test]
    fn query_groups() {
        let g = parse_query("养老服务");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].terms, ["养老", "老服", "服务"]);
        assert_eq!(g[0].need, 2);
        let g = parse_query("招聘会");
        assert_eq!((g[0].terms.len(), g[0].need), (2, 2));
        let g = parse_query("2021年");
        assert_eq!(
            g.iter().map(|g| g.terms.clone()).collect::<Vec<_>>(),
            [vec!["2021"], vec!["年"]]
        );
        assert_eq!(query_terms(&parse_query("哈哈哈 哈哈")), ["哈哈"]);
        assert!(parse_query(" ，。 ").is_empty());
    }

    #[test]
    fn phrase_normalization() {
        assert_eq!(
            normalize("  Hello，　World！养老 服务 "),
            "hello world 养老 服务"
        );
        assert_eq!(normalize("Ｈｅｌｌｏ２０２１年"), "hello2021年");
        assert_eq!(normalize("１２３４５热线"), "12345热线");
        assert!(contains_phrase(&normalize("拨打12345热线"), "12345"));
        assert!(!contains_phrase(&normalize("拨打123456热线"), "12345"));
        assert!(contains_phrase(&normalize("社区养老服务中心"), "养老服务"));
        assert!(!contains_phrase(&normalize("养老和服务"), "养老服务"));
        assert!(contains_phrase("hello world", "hello world"));
        assert!(!contains_phrase("ahello world", "hello"));
        assert!(contains_phrase("ahello hello", "hello"));
        assert!(!contains_phrase("abc", ""));
    }
}
