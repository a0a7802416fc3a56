//! Tokenizing for the index and for queries, and the normalized text of phrase checks.
//!
//! Each character is first *folded* ([`fold`]): full-width ASCII U+FF01–U+FF5E → U+0021–U+007E,
//! the ideographic space U+3000 → space, and a traditional character → its simplified form
//! (`t2s.txt`, generated from OpenCC by `examples/gen_fold_table.rs`). Then it is classified:
//!
//! * CJK: Han (U+3400–U+4DBF, U+4E00–U+9FFF, U+F900–U+FAFF, U+20000–U+3FFFF, 々 〇), kana,
//!   Hangul syllables. A run of CJK characters gives one unigram per character and one bigram
//!   per adjacent pair: 养老服务 → 养 养老 老 老服 服 服务 务.
//! * Letters and digits: ASCII letters and the Latin, Greek and Cyrillic letter blocks, `0`–`9`
//!   (after folding). A run of letters and digits is one token, lowercased and kept whole
//!   (`PM2.5` → `pm2.5`, `5G` → `5g`, `12345`); a `.` between two digits belongs to the run.
//!   A run of digits directly followed by a unit (年 月 日 号 元 万 … or `%`) also gives a
//!   *measure* token: `2021年` → `2021`, `2021年` (and the CJK run 年 as usual).
//! * Everything else (white space, all other punctuation, symbols) separates.
//!
//! `themes/default/static/search.js` implements the same rules (`fold`, `classOf`, `runs`);
//! keep both in step.

use std::ops::Range;
use std::sync::OnceLock;

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    /// One CJK character.
    Unigram,
    /// Two adjacent CJK characters.
    Bigram,
    /// A run of letters and digits with at least one letter, lowercased: `pm2.5`, `hello`.
    Word,
    /// A run of digits (`12345`, `2.5`), or a number with its unit (`2021年`, `50%`).
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
/// starts with, a measure follows its number). See the module documentation for the rules.
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

/// The 繁→简 folding table: pairs of characters, one pair a line (see `examples/gen_fold_table.rs`).
pub(crate) const T2S: &str = include_str!("t2s.txt");

/// First and last code point of the characters the table folds (and of their folded forms).
pub(crate) const T2S_FIRST: u32 = 0x4E00;
/// Last code point of the folding table's range.
pub(crate) const T2S_LAST: u32 = 0x9FFF;

fn t2s_table() -> &'static [u16] {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![0u16; (T2S_LAST - T2S_FIRST + 1) as usize];
        for line in T2S.lines() {
            let mut c = line.chars();
            if let (Some(a), Some(b)) = (c.next(), c.next()) {
                t[(a as u32 - T2S_FIRST) as usize] = (b as u32 - T2S_FIRST) as u16 + 1;
            }
        }
        t
    })
}

/// Full-width ASCII → ASCII, ideographic space → space, traditional → simplified; anything
/// else unchanged.
#[inline]
pub(crate) fn fold(c: char) -> char {
    t2s_in(t2s_table(), fold_width(c))
}

/// Full-width ASCII → ASCII, ideographic space → space (enough to classify a character: the
/// 繁→简 table maps CJK to CJK).
#[inline]
fn fold_width(c: char) -> char {
    let u = c as u32;
    match u {
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// The simplified form of `c` in `table` ([`t2s_table`]), or `c`.
#[inline]
fn t2s_in(table: &[u16], c: char) -> char {
    let u = c as u32;
    if !(T2S_FIRST..=T2S_LAST).contains(&u) {
        return c;
    }
    match table[(u - T2S_FIRST) as usize] {
        0 => c,
        s => char::from_u32(T2S_FIRST + u32::from(s) - 1).unwrap_or(c),
    }
}

/// Whether `c` is a traditional character that [`fold`] changes (the browser then loads the
/// folding table).
pub(crate) fn is_foldable(c: char) -> bool {
    (T2S_FIRST..=T2S_LAST).contains(&(c as u32)) && fold(c) != c
}

/// Whether a folded character is a unit that forms a measure with a number before it.
#[inline]
pub(crate) fn is_unit(c: char) -> bool {
    UNITS.contains(c)
}

/// Units of measures (`2021年`, `3.5万`, `50%`, `第5批` → `5批`).
pub(crate) const UNITS: &str = "年月日号元万亿岁期批届%";

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

/// `class_of(fold_width(c))`, for a character of the Basic Multilingual Plane from a table
/// made once (every character of every page is classified: the ranges took ~1 % of a build).
#[inline]
fn class_of_unfolded(c: char) -> Class {
    static TABLE: OnceLock<Box<[Class]>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..=0xFFFFu32)
            .map(|u| char::from_u32(u).map_or(Class::Sep, |c| class_of(fold_width(c))))
            .collect()
    });
    match table.get(c as usize) {
        Some(&k) => k,
        None => class_of(fold_width(c)),
    }
}

/// Appends the lowercase of a folded letter or digit.
#[inline]
fn push_lower(buf: &mut String, c: char) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
    } else {
        buf.extend(c.to_lowercase());
    }
}

/// The kind of a run of characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Run {
    /// CJK characters.
    Cjk,
    /// Letters and digits (with `.` between two digits).
    Alnum,
}

fn run_of(k: Class) -> Option<Run> {
    match k {
        Class::Cjk => Some(Run::Cjk),
        Class::Letter | Class::Digit => Some(Run::Alnum),
        Class::Sep => None,
    }
}

/// The run `c` (of class `class`) belongs to: its class's, or, for a `.` that follows a digit
/// of an alphanumeric run (`after_digit`) and comes before another digit, that run.
#[inline]
fn run_at(
    c: char,
    class: Class,
    after_digit: bool,
    next_is_digit: impl FnOnce() -> bool,
) -> Option<Run> {
    match run_of(class) {
        None if after_digit && fold_width(c) == '.' && next_is_digit() => Some(Run::Alnum),
        run => run,
    }
}

/// Calls `f(run, byte range)` for each maximal run of CJK characters or of letters and digits
/// (a `.` between two digits belongs to the run).
pub(crate) fn for_each_run(text: &str, mut f: impl FnMut(Run, Range<usize>)) {
    let mut cur: Option<Run> = None;
    let mut start = 0;
    let mut prev_digit = false;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let class = class_of_unfolded(c);
        let k = run_at(c, class, prev_digit && cur == Some(Run::Alnum), || {
            it.peek()
                .is_some_and(|&(_, n)| class_of_unfolded(n) == Class::Digit)
        });
        prev_digit = class == Class::Digit;
        if k != cur {
            if let Some(r) = cur {
                f(r, start..i);
            }
            cur = k;
            start = i;
        }
    }
    if let Some(r) = cur {
        f(r, start..text.len());
    }
}

/// A token without an owned string (the indexer's hot path).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece<'a> {
    /// One CJK character.
    Uni(char),
    /// Two adjacent CJK characters.
    Bi(char, char),
    /// A lowercased run of letters and digits.
    Word(&'a str),
    /// A number, or a number with its unit.
    Num(&'a str),
}

/// The folded, lowercased text of an alphanumeric run into `buf`; true when it is a number
/// (digits, possibly with decimal points).
pub(crate) fn alnum_text(s: &str, buf: &mut String) -> bool {
    buf.clear();
    let mut numeric = true;
    for c in s.chars() {
        let c = fold(c);
        numeric &= c == '.' || class_of(c) == Class::Digit;
        push_lower(buf, c);
    }
    numeric
}

/// The unit right after a numeric run ending at byte `end`, if any: (folded unit, its length).
pub(crate) fn unit_after(text: &str, end: usize) -> Option<(char, usize)> {
    let c = text[end..].chars().next()?;
    let f = fold(c);
    is_unit(f).then_some((f, c.len_utf8()))
}

/// Calls `f` for every token of `text`, in order; `buf` is scratch space for words.
///
/// The runs are those of [`for_each_run`], found in the same pass that gives a CJK character's
/// unigram and bigram (reading each character once: the tokenizer is the largest part of the
/// search index's cost, issue 13).
pub(crate) fn scan(text: &str, buf: &mut String, mut f: impl FnMut(Piece<'_>, Range<usize>)) {
    let table = t2s_table();
    // The previous character of the CJK run being read (folded), and where it starts.
    let mut prev_cjk: Option<(char, usize)> = None;
    // Where the run of letters and digits being read starts.
    let mut alnum: Option<usize> = None;
    let mut prev_digit = false;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let class = class_of_unfolded(c);
        let run = run_at(c, class, prev_digit && alnum.is_some(), || {
            it.peek()
                .is_some_and(|&(_, n)| class_of_unfolded(n) == Class::Digit)
        });
        prev_digit = class == Class::Digit;
        if run != Some(Run::Alnum)
            && let Some(start) = alnum.take()
        {
            alnum_pieces(text, start..i, buf, &mut f);
        }
        match run {
            Some(Run::Cjk) => {
                let c2 = t2s_in(table, c);
                let end = i + c.len_utf8();
                if let Some((p, ps)) = prev_cjk {
                    f(Piece::Bi(p, c2), ps..end);
                }
                f(Piece::Uni(c2), i..end);
                prev_cjk = Some((c2, i));
            }
            Some(Run::Alnum) => {
                prev_cjk = None;
                alnum.get_or_insert(i);
            }
            None => prev_cjk = None,
        }
    }
    if let Some(start) = alnum {
        alnum_pieces(text, start..text.len(), buf, &mut f);
    }
}

/// The pieces of the run of letters and digits at `r` of `text`: a word, or a number and its
/// measure.
fn alnum_pieces(
    text: &str,
    r: Range<usize>,
    buf: &mut String,
    f: &mut impl FnMut(Piece<'_>, Range<usize>),
) {
    if alnum_text(&text[r.clone()], buf) {
        f(Piece::Num(buf), r.clone());
        if let Some((u, len)) = unit_after(text, r.end) {
            buf.push(u);
            f(Piece::Num(buf), r.start..r.end + len);
        }
    } else {
        f(Piece::Word(buf), r);
    }
}

/// Text normalized for phrase checks: folded, letters lowercased, each run of separators
/// replaced by one space (a `.` between digits is kept), trimmed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_end = 0;
    for_each_run(text, |_, r| {
        if !out.is_empty() && r.start > last_end {
            out.push(' ');
        }
        last_end = r.end;
        for c in text[r].chars() {
            push_lower(&mut out, fold(c));
        }
    });
    out
}

/// Whether the normalized `hay` contains the normalized `needle` as a phrase: anywhere inside
/// CJK text, but not inside a longer word or number (`12345` is not in `123456`).
pub fn contains_phrase(hay: &str, needle: &str) -> bool {
    let (Some(first), Some(last)) = (needle.chars().next(), needle.chars().next_back()) else {
        return false;
    };
    let word_like = |c: char| matches!(class_of(c), Class::Letter | Class::Digit) || c == '.';
    let mut from = 0;
    while let Some(off) = hay[from..].find(needle) {
        let at = from + off;
        let end = at + needle.len();
        let before_ok =
            !word_like(first) || hay[..at].chars().next_back().is_none_or(|c| !word_like(c));
        let after_ok = !word_like(last) || hay[end..].chars().next().is_none_or(|c| !word_like(c));
        if before_ok && after_ok {
            return true;
        }
        from = at + first.len_utf8();
    }
    false
}

#[cfg(test)]
mod tests;
