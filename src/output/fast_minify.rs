//! A one-pass HTML minifier for the pages portal writes, byte for byte what minify-html writes
//! (a test compares the two on every page of the example site and of a corpus sample) without
//! building a tree of the page: the whitespace rules of minify-html (collapse, drop
//! whitespace-only text, trim, per parent element) and comment removal are applied here in one
//! pass; what minify-html rewrites inside a start tag (attribute order, quotes, defaults, CSS of
//! a `style`) or in text with an entity is done by minify-html itself on that tag or text alone,
//! and remembered per thread — a theme's tags repeat on every page. A tag whose page-specific
//! parts are plain values minify-html writes as they are (a link's `href`, an `id`, a `datetime`,
//! a `<meta>`'s `content`) is minified once per shape, those values replaced by a placeholder,
//! and the values put back (`by_shape`).
//!
//! It handles the well-formed HTML that the theme and the sanitizer produce. Anything else (a
//! `<style>` element, SVG or MathML, an unclosed or misnested element, an upper-case tag, a stray
//! `<`, a legacy doctype) returns [`Unsupported`] and the caller minifies the whole page with
//! minify-html.

use std::cell::RefCell;

use crate::fx::FxMap;

/// The page needs the full minifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported;

/// How the text directly inside an element is minified (minify-html's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rule {
    collapse: bool,
    destroy_whole: bool,
    trim: bool,
}

const CONTENT: Rule = Rule {
    collapse: true,
    destroy_whole: false,
    trim: true,
};
const FORMATTING: Rule = Rule {
    collapse: true,
    destroy_whole: false,
    trim: false,
};
const LAYOUT: Rule = Rule {
    collapse: true,
    destroy_whole: true,
    trim: true,
};
const SENSITIVE: Rule = Rule {
    collapse: false,
    destroy_whole: false,
    trim: false,
};
const DEFAULT: Rule = FORMATTING;
const ROOT: Rule = LAYOUT;

/// minify-html's whitespace rule for the content of the HTML element `name`.
fn rule_of(name: &[u8], in_pre: bool) -> Rule {
    if in_pre {
        return SENSITIVE;
    }
    match name {
        b"address" | b"audio" | b"button" | b"canvas" | b"caption" | b"figcaption" | b"h1"
        | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" | b"legend" | b"meter" | b"object" | b"option"
        | b"p" | b"summary" | b"video" | b"dd" | b"details" | b"dt" | b"iframe" | b"label"
        | b"li" | b"noscript" | b"output" | b"progress" | b"slot" | b"td" | b"template" | b"th" => {
            CONTENT
        }
        b"article" | b"aside" | b"blockquote" | b"body" | b"colgroup" | b"datalist" | b"dialog"
        | b"div" | b"dl" | b"fieldset" | b"figure" | b"footer" | b"form" | b"head" | b"header"
        | b"hgroup" | b"html" | b"main" | b"map" | b"menu" | b"nav" | b"ol" | b"optgroup"
        | b"picture" | b"section" | b"select" | b"table" | b"tbody" | b"tfoot" | b"thead"
        | b"tr" | b"ul" => LAYOUT,
        b"textarea" | b"code" | b"pre" => SENSITIVE,
        _ => DEFAULT,
    }
}

fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
    )
}

/// Elements whose content is text up to their end tag (copied as it is; a script trimmed).
fn is_raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script" | b"title" | b"textarea" | b"xmp" | b"noembed" | b"noframes"
    )
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [c, rest @ ..] = s
        && is_ws(*c)
    {
        s = rest;
    }
    while let [rest @ .., c] = s
        && is_ws(*c)
    {
        s = rest;
    }
    s
}

/// An open element: where its name is in the input, and the state of its content.
struct Frame {
    name: (usize, usize),
    rule: Rule,
    in_pre: bool,
    seen_text_or_element: bool,
}

/// Minifies `html` into `out` (cleared first), or says it needs the full minifier.
pub fn minify_into(html: &[u8], out: &mut Vec<u8>) -> Result<(), Unsupported> {
    out.clear();
    // The two characters minify-html writes as (shorter) entities.
    // ≪ and ≫ (E2 89 AA, E2 89 AB): one search for their first two bytes, not two scans.
    if memchr::memmem::find_iter(html, b"\xE2\x89")
        .any(|k| matches!(html.get(k + 2), Some(0xAA | 0xAB)))
    {
        return Err(Unsupported);
    }
    out.reserve(html.len());
    let mut stack: Vec<Frame> = Vec::with_capacity(32);
    stack.push(Frame {
        name: (0, 0),
        rule: ROOT,
        in_pre: false,
        seen_text_or_element: false,
    });
    // The last text node of the current element, minified, not yet written: it is trimmed at
    // its end if nothing but comments follows it before the end tag.
    let mut pending: Vec<u8> = Vec::with_capacity(256);
    let mut i = 0;
    let n = html.len();
    while i < n {
        let next = memchr(b'<', &html[i..]).map_or(n, |k| i + k);
        if next > i {
            let top = stack.last_mut().ok_or(Unsupported)?;
            emit(&mut pending, out)?;
            text(&html[i..next], top, &mut pending);
        }
        if next >= n {
            break;
        }
        i = next;
        let rest = &html[i..];
        if rest.starts_with(b"<!--") {
            let end = find(&rest[4..], b"-->").ok_or(Unsupported)?;
            i += 4 + end + 3;
            continue;
        }
        if rest.starts_with(b"<!") {
            // Only the HTML5 doctype, at the start.
            let end = memchr(b'>', rest).ok_or(Unsupported)?;
            if !rest[..end + 1].eq_ignore_ascii_case(b"<!doctype html>") || !pending.is_empty() {
                return Err(Unsupported);
            }
            out.extend_from_slice(b"<!doctype html>");
            i += end + 1;
            continue;
        }
        if let Some(after) = rest.strip_prefix(b"</") {
            let len = name_len(after);
            let end = memchr(b'>', after).ok_or(Unsupported)?;
            if len == 0 || trim(&after[len..end]) != b"" {
                return Err(Unsupported);
            }
            let name = &after[..len];
            let top = stack.pop().ok_or(Unsupported)?;
            if stack.is_empty() || &html[top.name.0..top.name.1] != name {
                return Err(Unsupported);
            }
            close(&top, &mut pending, out)?;
            out.extend_from_slice(b"</");
            out.extend_from_slice(name);
            out.push(b'>');
            i += 2 + end + 1;
            continue;
        }
        // A start tag.
        let after = &rest[1..];
        let len = name_len(after);
        if len == 0 {
            return Err(Unsupported);
        }
        let name_at = (i + 1, i + 1 + len);
        let name = &html[name_at.0..name_at.1];
        if matches!(name, b"style" | b"svg" | b"math" | b"plaintext") {
            return Err(Unsupported);
        }
        let parent = stack.last_mut().ok_or(Unsupported)?;
        parent.seen_text_or_element = true;
        let in_pre = parent.in_pre;
        emit(&mut pending, out)?;
        let tag_end = tag_len(&html[i..], len)?;
        let self_closing = html[i + tag_end - 2] == b'/';
        minified(Piece::Tag, &html[i..i + tag_end], out)?;
        i += tag_end;
        if is_void(name) || self_closing {
            continue;
        }
        if is_raw_text(name) {
            let end = find_end_tag(&html[i..], name).ok_or(Unsupported)?;
            let body = &html[i..i + end];
            if name == b"script" {
                out.extend_from_slice(trim(body));
            } else if memchr(b'&', body).is_some() {
                minified(Piece::Rcdata(name), body, out)?;
            } else {
                out.extend_from_slice(body);
            }
            out.extend_from_slice(b"</");
            out.extend_from_slice(name);
            out.push(b'>');
            let close_end = memchr(b'>', &html[i + end..]).ok_or(Unsupported)?;
            i += end + close_end + 1;
            continue;
        }
        let in_pre = in_pre || name == b"pre";
        stack.push(Frame {
            name: name_at,
            rule: rule_of(name, in_pre),
            in_pre,
            seen_text_or_element: false,
        });
    }
    if stack.len() != 1 {
        return Err(Unsupported);
    }
    close(&stack[0], &mut pending, out)?;
    Ok(())
}

/// The end of an element's content: its last text node, trimmed if the rule says so.
fn close(frame: &Frame, pending: &mut Vec<u8>, out: &mut Vec<u8>) -> Result<(), Unsupported> {
    if frame.rule.trim {
        let keep = trim_end(pending).len();
        pending.truncate(keep);
    }
    emit(pending, out)
}

/// Writes the text node `pending` (empties it); one with an entity as minify-html writes it.
fn emit(pending: &mut Vec<u8>, out: &mut Vec<u8>) -> Result<(), Unsupported> {
    // Most calls (at every tag) have no text waiting.
    if pending.is_empty() {
        return Ok(());
    }
    if memchr(b'&', pending).is_some() {
        minified(Piece::Text, pending, out)?;
    } else {
        out.extend_from_slice(pending);
    }
    pending.clear();
    Ok(())
}

/// A piece of a page that minify-html minifies on its own.
#[derive(Clone, Copy)]
enum Piece<'a> {
    /// A start tag (`<a href="x">`).
    Tag,
    /// Text between tags, its whitespace already minified.
    Text,
    /// The text of a `<title>` or `<textarea>`.
    Rcdata(&'a [u8]),
}

/// What minify-html made of each tag or text seen on one thread, and the buffer its keys are
/// built in.
#[derive(Default)]
struct Seen {
    map: FxMap<Vec<u8>, Vec<u8>>,
    key: Vec<u8>,
    /// The buffer a tag's shape is built in ([`by_shape`]).
    shape: Vec<u8>,
}

thread_local! {
    /// What minify-html made of each tag or text seen on this thread.
    static SEEN: RefCell<Seen> = RefCell::new(Seen::default());
}

/// Entries of [`SEEN`] before it is emptied (well under a MiB per thread).
const SEEN_MAX: usize = 4096;

/// Appends the start (`lt` = `<`) or end (`</`) tag of the element `piece` is minified inside:
/// `<code>` for text, the element itself for raw text, nothing for a tag.
fn context_tag(piece: Piece<'_>, lt: &[u8], key: &mut Vec<u8>) {
    let name: &[u8] = match piece {
        Piece::Tag => return,
        Piece::Text => b"code",
        Piece::Rcdata(name) => name,
    };
    key.extend_from_slice(lt);
    key.extend_from_slice(name);
    key.push(b'>');
}

/// Appends what minify-html writes for `src` (a [`Piece`]) to `out`.
fn minified(piece: Piece<'_>, src: &[u8], out: &mut Vec<u8>) -> Result<(), Unsupported> {
    SEEN.with_borrow_mut(|Seen { map, key, shape }| {
        // A tag is its own key (most are the theme's, seen on every page); other pieces are
        // keyed in the context minify-html needs, built in the thread's buffer: a hit costs no
        // allocation.
        let is_tag = matches!(piece, Piece::Tag);
        key.clear();
        let mut open = 0;
        if !is_tag {
            context_tag(piece, b"<", key);
            open = key.len();
            key.extend_from_slice(src);
            context_tag(piece, b"</", key);
        }
        if let Some(m) = map.get(if is_tag { src } else { key.as_slice() }) {
            out.extend_from_slice(m);
            return Ok(());
        }
        if is_tag {
            if by_shape(src, map, shape, out).is_some() {
                return Ok(());
            }
            key.extend_from_slice(src);
        }
        let close = key.len() - open - src.len();
        let full = minify_html::minify(key, &super::minify_cfg());
        let inner = full
            .strip_prefix(&key[..open])
            .and_then(|r| r.strip_suffix(&key[key.len() - close..]))
            .ok_or(Unsupported)?;
        // A tag must stay one tag.
        if matches!(piece, Piece::Tag)
            && (inner.first() != Some(&b'<')
                || inner.last() != Some(&b'>')
                || memchr(b'<', &inner[1..]).is_some())
        {
            return Err(Unsupported);
        }
        out.extend_from_slice(inner);
        if map.len() >= SEEN_MAX {
            map.clear();
        }
        map.insert(key.clone(), inner.to_vec());
        Ok(())
    })
}

fn trim_end(s: &[u8]) -> &[u8] {
    let mut e = s.len();
    while e > 0 && is_ws(s[e - 1]) {
        e -= 1;
    }
    &s[..e]
}

/// One text node inside `frame`, minified into `into`.
fn text(mut t: &[u8], frame: &mut Frame, into: &mut Vec<u8>) {
    let rule = frame.rule;
    if !frame.seen_text_or_element {
        frame.seen_text_or_element = true;
        if rule.trim {
            while let [c, rest @ ..] = t
                && is_ws(*c)
            {
                t = rest;
            }
        }
    }
    if rule.destroy_whole && t.iter().all(|&c| is_ws(c)) {
        return;
    }
    if !rule.collapse {
        into.extend_from_slice(t);
        return;
    }
    // Runs of other bytes are copied whole (a CJK paragraph is one run); each run of
    // whitespace becomes one space.
    while let Some(&c) = t.first() {
        let run = if is_ws(c) {
            t.iter().position(|&b| !is_ws(b)).unwrap_or(t.len())
        } else {
            non_ws_run(t)
        };
        if is_ws(c) {
            into.push(b' ');
        } else {
            into.extend_from_slice(&t[..run]);
        }
        t = &t[run..];
    }
}

/// Length of the run of bytes other than white space at the start of `t`, found with SIMD
/// searches (a page's text is mostly such runs; testing byte by byte was most of the
/// minifier's own time, issue 13).
fn non_ws_run(t: &[u8]) -> usize {
    // The first bytes one by one: most of a theme's runs are short, and a SIMD search costs a
    // call.
    let head = t.len().min(24);
    if let Some(k) = t[..head].iter().position(|&b| is_ws(b)) {
        return k;
    }
    let rest = &t[head..];
    let end = memchr::memchr3(b' ', b'\n', b'\t', rest).unwrap_or(rest.len());
    // The two rarer white-space bytes are looked for only before that: one after it cannot
    // end the run sooner.
    head + memchr::memchr2(b'\r', 0x0c, &rest[..end]).unwrap_or(end)
}

/// Length of the lower-case tag name at the start of `s` (0 if there is none).
fn name_len(s: &[u8]) -> usize {
    if !s.first().is_some_and(|c| c.is_ascii_lowercase()) {
        return 0;
    }
    s.iter()
        .position(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'))
        .unwrap_or(s.len())
}

/// Length of the start tag at the start of `s` (name of `len` bytes), quoted attribute values
/// skipped; an unterminated tag or a `<` inside it is [`Unsupported`].
fn tag_len(s: &[u8], len: usize) -> Result<usize, Unsupported> {
    // From quote to quote with SIMD searches rather than byte by byte (the scan of tags was a
    // seventh of the minifier's time).
    let mut i = 1 + len;
    loop {
        let k = memchr3(b'>', b'"', b'\'', s.get(i..).ok_or(Unsupported)?).ok_or(Unsupported)?;
        if memchr(b'<', &s[i..i + k]).is_some() {
            return Err(Unsupported);
        }
        i += k;
        match s[i] {
            b'>' => return Ok(i + 1),
            q => i += memchr(q, &s[i + 1..]).ok_or(Unsupported)? + 2,
        }
    }
}

/// Offset in `s` of the end tag `</name` (any case), the end of a raw-text element.
fn find_end_tag(s: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = find(&s[from..], b"</") {
        let at = from + k;
        let cand = &s[at + 2..];
        if cand.len() >= name.len()
            && cand[..name.len()].eq_ignore_ascii_case(name)
            && cand
                .get(name.len())
                .is_some_and(|&c| c == b'>' || c == b'/' || is_ws(c))
        {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// The first `c` in `s`. Most searches here end within a few bytes (the `>` of a tag, the next
/// tag after one), where a SIMD search costs more in its call and set-up than it saves: the
/// first [`HEAD`] bytes are looked at one by one.
fn memchr(c: u8, s: &[u8]) -> Option<usize> {
    let head = s.len().min(HEAD);
    if let Some(k) = s[..head].iter().position(|&b| b == c) {
        return Some(k);
    }
    memchr::memchr(c, &s[head..]).map(|k| head + k)
}

/// [`memchr`] for any of three bytes.
fn memchr3(a: u8, b: u8, c: u8, s: &[u8]) -> Option<usize> {
    let head = s.len().min(HEAD);
    if let Some(k) = s[..head].iter().position(|&x| x == a || x == b || x == c) {
        return Some(k);
    }
    memchr::memchr3(a, b, c, &s[head..]).map(|k| head + k)
}

/// Bytes looked at one by one before a SIMD search.
const HEAD: usize = 16;

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

mod shape;
use shape::by_shape;

#[cfg(test)]
mod tests;
