//! The sanitizer's fast path for HTML that pulldown-cmark wrote: the bytes [`Policy::clean`]
//! would publish, without building a DOM.
//!
//! [`Policy::clean`] parses a body with html5ever, filters the tree and serializes it again —
//! about half of a page body's rendering time. HTML that pulldown-cmark wrote for a body with no
//! raw HTML is a small, regular language; for it, ammonia's work reduces to a re-serialization:
//! void elements lose their ` /` (`<br />` → `<br>`), character references are decoded and
//! written again as html5ever writes them (`&quot;` in text → `"`, `&#x27;` → `'`, U+00A0 →
//! `&nbsp;`, `"` `<` `>` `&` escaped in attributes), and a table cell's
//! `style="text-align: center"` becomes `style="text-align:center"`.
//!
//! [`Policy::reserialize`] reads such HTML with a strict scanner and writes those bytes. It
//! accepts only a fixed set of elements and attributes, each of which the policy allows; a tree
//! html5ever would build exactly as written (every end tag closes the element opened last, no
//! block inside a paragraph, heading or inline element, no link inside a link, tables made of
//! table parts with only whitespace between them, no line feed right after `<pre>`); and
//! addresses ammonia keeps unchanged. On anything else — an unknown element or attribute, a
//! comment, a character reference it does not know, a carriage return or NUL, an address
//! ammonia would drop — it answers `None`, and [`Policy::clean_generated`] runs ammonia.
//!
//! # Why the fast path publishes nothing unsafe
//! - **No script, no handler, no foreign element:** every start tag written is one of
//!   [`ELEMENTS`] (none of which runs code or holds raw text), every attribute one of the fixed
//!   names of [`attr_kind`] (no `on…`, no `style` other than the three `text-align` values, no
//!   `srcdoc`/`formaction`). A tag or attribute name outside these lists is not written
//!   differently — the whole body goes to ammonia.
//! - **No markup from text:** text and attribute values are decoded and written again with
//!   html5ever's escaping (`&` `<` `>` everywhere, `"` in attributes), so no text can open a tag
//!   or close an attribute; a `&` not starting one of the six references pulldown-cmark and
//!   [`crate::escape::html`] write sends the body to ammonia.
//! - **No `javascript:`/`data:` address and no foreign-host resource:** `href` and `src` pass
//!   the very tests ammonia applies ([`url_kept`]: the `url` crate's parse, the scheme
//!   allow-list, relative addresses kept) and `src` the policy's host filter (the attribute
//!   filter [`Policy::new`] gives ammonia); an address either would drop sends the body to
//!   ammonia, which drops it.
//! - **Same bytes as ammonia:** the tests compare this path with [`Policy::clean`] byte for byte
//!   on every page of the example site, of a corpus sample and on a set of tricky bodies.

use std::borrow::Cow;

use super::url::offsite;
use super::{Policy, URL_SCHEMES};

/// The elements the fast path writes: what pulldown-cmark writes under the contract's options,
/// plus the table wrapper and sized image [`crate::markdown`] adds.
pub(super) const ELEMENTS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "ol",
    "ul",
    "li",
    "em",
    "strong",
    "del",
    "sub",
    "sup",
    "a",
    "img",
    "br",
    "hr",
    "input",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];

/// Every `(element, attribute)` the fast path may write (`*`: on any element of [`ELEMENTS`]);
/// the fast path is off for a policy that does not allow all of them. (`type` of `<input>` is
/// not on the allow-list: ammonia drops it and appends `type="checkbox"`, and so does the fast
/// path.)
pub(super) const ATTRIBUTES: &[(&str, &str)] = &[
    ("*", "id"),
    ("*", "class"),
    ("*", "title"),
    ("*", "tabindex"),
    ("a", "href"),
    ("img", "src"),
    ("img", "alt"),
    ("img", "width"),
    ("img", "height"),
    ("ol", "start"),
    ("th", "style"),
    ("td", "style"),
    ("input", "disabled"),
    ("input", "checked"),
];

/// What an attribute of the fast path is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AttrKind {
    /// Written as it is.
    Plain,
    /// An address ammonia checks (`href`, `src`).
    Url,
    /// A resource address: also checked against the site's hosts (`src`).
    Resource,
    /// A table cell's alignment.
    Style,
    /// `type` of a task list's checkbox: not allowed, ammonia drops it, then appends
    /// `type="checkbox"` as the last attribute.
    InputType,
    /// `disabled` of a task list's checkbox (ammonia sets it to ``).
    InputDisabled,
}

/// The kind of `attr` on `tag`, `None` when the fast path does not know it.
fn attr_kind(tag: &str, attr: &str) -> Option<AttrKind> {
    Some(match (tag, attr) {
        (_, "id" | "class" | "title" | "tabindex") => AttrKind::Plain,
        ("a", "href") => AttrKind::Url,
        ("img", "src") => AttrKind::Resource,
        ("img", "alt" | "width" | "height") | ("ol", "start") | ("input", "checked") => {
            AttrKind::Plain
        }
        ("th" | "td", "style") => AttrKind::Style,
        ("input", "type") => AttrKind::InputType,
        ("input", "disabled") => AttrKind::InputDisabled,
        _ => return None,
    })
}

/// Elements html5ever writes without an end tag.
fn is_void(tag: &str) -> bool {
    matches!(tag, "br" | "hr" | "img" | "input")
}

/// Elements that may hold only phrasing content in the fast path (a block start tag inside
/// them makes html5ever close or restructure them).
fn phrasing_only(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "em"
            | "strong"
            | "del"
            | "sub"
            | "sup"
            | "a"
            | "code"
    )
}

/// Phrasing elements (allowed inside [`phrasing_only`] ones).
fn is_phrasing(tag: &str) -> bool {
    matches!(
        tag,
        "em" | "strong" | "del" | "sub" | "sup" | "a" | "code" | "img" | "br" | "input"
    )
}

/// Whether ammonia keeps the address `value` of a URL attribute as it is: its own test (the
/// `url` crate's parse; an absolute address needs an allowed scheme, a relative one is kept;
/// one that does not parse is dropped).
fn url_kept(value: &str) -> bool {
    match url::Url::parse(value) {
        Ok(u) => URL_SCHEMES.contains(&u.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// The decoded text of a character reference at the start of `s` (which starts with `&`), and
/// its length: only the references pulldown-cmark and [`crate::escape::html`] write.
fn reference(s: &[u8]) -> Option<(&'static str, usize)> {
    const REFS: &[(&[u8], &str)] = &[
        (b"&amp;", "&"),
        (b"&lt;", "<"),
        (b"&gt;", ">"),
        (b"&quot;", "\""),
        (b"&#39;", "'"),
        (b"&#x27;", "'"),
    ];
    REFS.iter()
        .find(|(r, _)| s.starts_with(r))
        .map(|(r, d)| (*d, r.len()))
}

/// Writes decoded `text` as html5ever's serializer does (`attr`: inside a double-quoted
/// attribute).
fn write_escaped(out: &mut String, text: &str, attr: bool) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if attr => "&quot;",
            0xC2 if text.as_bytes().get(i + 1) == Some(&0xA0) => "&nbsp;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(rep);
        start = if b == 0xC2 { i + 2 } else { i + 1 };
    }
    out.push_str(&text[start..]);
}

/// Bytes of text the scanner looks at: `<` `&` `>`, the lead byte of U+00A0, CR and NUL.
static TEXT_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'<' as usize] = true;
    t[b'&' as usize] = true;
    t[b'>' as usize] = true;
    t[0xC2] = true;
    t[b'\r' as usize] = true;
    t[0] = true;
    t
};

/// The element of [`ELEMENTS`] named `name`.
fn element(name: &[u8]) -> Option<&'static str> {
    let found = element_named(name);
    // The policy checks its allow-list against `ELEMENTS`: an element written here must be
    // there too (every page of the sanitizer tests passes through this check).
    debug_assert!(found.is_none_or(|e| ELEMENTS.contains(&e)), "{found:?}");
    found
}

fn element_named(name: &[u8]) -> Option<&'static str> {
    Some(match name {
        b"p" => "p",
        b"h1" => "h1",
        b"h2" => "h2",
        b"h3" => "h3",
        b"h4" => "h4",
        b"h5" => "h5",
        b"h6" => "h6",
        b"blockquote" => "blockquote",
        b"pre" => "pre",
        b"code" => "code",
        b"ol" => "ol",
        b"ul" => "ul",
        b"li" => "li",
        b"em" => "em",
        b"strong" => "strong",
        b"del" => "del",
        b"sub" => "sub",
        b"sup" => "sup",
        b"a" => "a",
        b"img" => "img",
        b"br" => "br",
        b"hr" => "hr",
        b"input" => "input",
        b"div" => "div",
        b"table" => "table",
        b"thead" => "thead",
        b"tbody" => "tbody",
        b"tr" => "tr",
        b"th" => "th",
        b"td" => "td",
        _ => return None,
    })
}

/// HTML whitespace (what html5ever keeps in a table without foster-parenting it).
fn is_html_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0C)
}

/// Table parts: only whitespace text between them, and a fixed parent for each.
fn table_part(tag: &str) -> bool {
    matches!(tag, "table" | "thead" | "tbody" | "tr")
}

/// A strict scanner over generated HTML, writing what ammonia would write.
struct Scanner<'a> {
    src: &'a str,
    pos: usize,
    out: String,
    stack: Vec<&'static str>,
    /// Open elements that may hold only phrasing content.
    phrasing_only: usize,
    /// Open `<a>` elements.
    links: usize,
}

impl<'a> Scanner<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    /// Text up to the next `<`: decoded and written again; `None` if it is not plain.
    fn text(&mut self) -> Option<()> {
        let bytes = self.bytes();
        if self.stack.last().is_some_and(|t| table_part(t)) {
            // Between table parts: whitespace only (html5ever moves anything else out).
            let end =
                memchr::memchr(b'<', &bytes[self.pos..]).map_or(bytes.len(), |k| self.pos + k);
            if !bytes[self.pos..end].iter().all(|b| is_html_space(*b)) {
                return None;
            }
            self.out.push_str(&self.src[self.pos..end]);
            self.pos = end;
            return Some(());
        }
        let mut start = self.pos;
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            if !TEXT_SPECIAL[usize::from(b)] {
                self.pos += 1;
                continue;
            }
            match b {
                b'<' => break,
                b'&' => {
                    self.out.push_str(&self.src[start..self.pos]);
                    let (decoded, len) = reference(&bytes[self.pos..])?;
                    write_escaped(&mut self.out, decoded, false);
                    self.pos += len;
                    start = self.pos;
                }
                b'>' => {
                    self.out.push_str(&self.src[start..self.pos]);
                    self.out.push_str("&gt;");
                    self.pos += 1;
                    start = self.pos;
                }
                0xC2 if bytes.get(self.pos + 1) == Some(&0xA0) => {
                    self.out.push_str(&self.src[start..self.pos]);
                    self.out.push_str("&nbsp;");
                    self.pos += 2;
                    start = self.pos;
                }
                0xC2 => self.pos += 1,
                _ => return None, // CR, NUL
            }
        }
        self.out.push_str(&self.src[start..self.pos]);
        Some(())
    }

    /// The element name at the current position, one of [`ELEMENTS`].
    fn name(&mut self) -> Option<&'static str> {
        let bytes = self.bytes();
        let start = self.pos;
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_alphanumeric() {
            self.pos += 1;
        }
        element(&bytes[start..self.pos])
    }

    /// An attribute value up to its closing `"`, decoded.
    fn value(&mut self) -> Option<Cow<'a, str>> {
        let bytes = self.bytes();
        let start = self.pos;
        let mut decoded: Option<String> = None;
        let mut plain_from = start;
        loop {
            let b = *bytes.get(self.pos)?;
            match b {
                b'"' => break,
                b'&' => {
                    let (d, len) = reference(&bytes[self.pos..])?;
                    let s = decoded.get_or_insert_with(String::new);
                    s.push_str(&self.src[plain_from..self.pos]);
                    s.push_str(d);
                    self.pos += len;
                    plain_from = self.pos;
                }
                b'\r' | 0 => return None,
                _ => self.pos += 1,
            }
        }
        let value = match decoded {
            Some(mut s) => {
                s.push_str(&self.src[plain_from..self.pos]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&self.src[start..self.pos]),
        };
        self.pos += 1; // the closing quote
        Some(value)
    }

    /// A start tag after its `<`.
    fn start_tag(&mut self, policy: &Policy) -> Option<()> {
        let tag = self.name()?;
        let parent = self.stack.last().copied();
        // The tree html5ever builds must be the tree as written.
        if self.phrasing_only > 0 && !is_phrasing(tag) {
            return None;
        }
        if tag == "a" && self.links > 0 {
            return None;
        }
        let parent_ok = match tag {
            "li" => matches!(parent, Some("ul" | "ol")),
            "thead" | "tbody" => parent == Some("table"),
            "tr" => matches!(parent, Some("thead" | "tbody")),
            "th" | "td" => parent == Some("tr"),
            _ => !parent.is_some_and(table_part),
        };
        if !parent_ok {
            return None;
        }
        self.out.push('<');
        self.out.push_str(tag);
        let bytes = self.bytes();
        let mut seen: [&str; 8] = [""; 8];
        let mut n_seen = 0;
        let (mut input_type, mut input_disabled) = (false, false);
        let self_closing = loop {
            match bytes.get(self.pos)? {
                b'>' => {
                    self.pos += 1;
                    break false;
                }
                b'/' if bytes.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    break true;
                }
                b' ' if bytes.get(self.pos + 1) == Some(&b'/') => {
                    self.pos += 1;
                    continue;
                }
                b' ' => self.pos += 1,
                _ => return None,
            }
            let start = self.pos;
            while self.pos < bytes.len()
                && (bytes[self.pos].is_ascii_lowercase() || bytes[self.pos] == b'-')
            {
                self.pos += 1;
            }
            let name = &self.src[start..self.pos];
            if !bytes[self.pos..].starts_with(b"=\"") {
                return None;
            }
            self.pos += 2;
            let kind = attr_kind(tag, name)?;
            if seen[..n_seen].contains(&name) || n_seen == seen.len() {
                return None; // html5ever keeps the first of two; ammonia decides then
            }
            seen[n_seen] = name;
            n_seen += 1;
            let value = self.value()?;
            let value: &str = match kind {
                AttrKind::Plain => &value,
                AttrKind::Url if url_kept(&value) => &value,
                AttrKind::Resource
                    if url_kept(&value) && offsite(&value, &policy.hosts).is_none() =>
                {
                    &value
                }
                AttrKind::Style => match &*value {
                    "text-align: left" => "text-align:left",
                    "text-align: center" => "text-align:center",
                    "text-align: right" => "text-align:right",
                    _ => return None,
                },
                AttrKind::InputType if value == "checkbox" => {
                    input_type = true;
                    continue;
                }
                AttrKind::InputDisabled if value.is_empty() => {
                    input_disabled = true;
                    &value
                }
                _ => return None,
            };
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            write_escaped(&mut self.out, value, true);
            self.out.push('"');
        };
        if tag == "input" {
            if !(input_type && input_disabled) {
                return None; // ammonia would add them, in an order of its own
            }
            self.out.push_str(" type=\"checkbox\"");
        }
        self.out.push('>');
        if is_void(tag) {
            return Some(());
        }
        if self_closing {
            return None;
        }
        if tag == "pre" && bytes.get(self.pos) == Some(&b'\n') {
            return None; // html5ever drops a line feed right after `<pre>`
        }
        self.stack.push(tag);
        if phrasing_only(tag) {
            self.phrasing_only += 1;
        }
        if tag == "a" {
            self.links += 1;
        }
        Some(())
    }

    /// An end tag after its `</`: it must close the element opened last.
    fn end_tag(&mut self) -> Option<()> {
        let tag = self.name()?;
        if self.bytes().get(self.pos) != Some(&b'>') || self.stack.pop() != Some(tag) {
            return None;
        }
        self.pos += 1;
        if phrasing_only(tag) {
            self.phrasing_only -= 1;
        }
        if tag == "a" {
            self.links -= 1;
        }
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        Some(())
    }
}

impl Policy {
    /// Sanitizes HTML that pulldown-cmark wrote for a body without raw HTML: the same bytes as
    /// [`Policy::clean`], through [`Policy::reserialize`] when it can (see the module's
    /// documentation for why that is safe), through ammonia otherwise.
    pub fn clean_generated(&self, html: &str) -> String {
        self.reserialize(html).unwrap_or_else(|| self.clean(html))
    }

    /// What [`Policy::clean`] publishes for `html`, written without parsing it into a DOM;
    /// `None` when `html` is not in the small, regular subset where that is exact.
    pub fn reserialize(&self, html: &str) -> Option<String> {
        if !self.generated {
            return None;
        }
        let mut s = Scanner {
            src: html,
            pos: 0,
            out: String::with_capacity(html.len() + html.len() / 16),
            stack: Vec::new(),
            phrasing_only: 0,
            links: 0,
        };
        let bytes = html.as_bytes();
        while s.pos < bytes.len() {
            s.text()?;
            if s.pos >= bytes.len() {
                break;
            }
            s.pos += 1; // `<`
            if bytes.get(s.pos) == Some(&b'/') {
                s.pos += 1;
                s.end_tag()?;
            } else {
                s.start_tag(self)?;
            }
        }
        s.stack.is_empty().then_some(s.out)
    }
}

#[cfg(test)]
mod tests;
