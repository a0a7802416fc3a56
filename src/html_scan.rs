//! A small HTML tag scanner, shared by the sanitizer's audit of raw HTML an editor wrote, the
//! nesting-depth guard before minification, and the output check (the built pages).
//!
//! It is not a parser: it only finds tags and their attributes, which is all the checks need, and
//! it never allocates per tag, so that scanning ten thousand pages stays well under a second.
//! Comments, `<!DOCTYPE>` and the raw text of `<script>`/`<style>` are skipped so that markup-like
//! text inside them is not mistaken for tags.

/// One attribute of a tag, borrowed from the scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attr<'a> {
    /// The name as written (compare with `eq_ignore_ascii_case`).
    pub(crate) name: &'a str,
    /// The raw value, entities not decoded; `None` for a bare attribute (`download`).
    pub(crate) value: Option<&'a str>,
    /// Byte offset of the value (or of the name, for a bare attribute) in the scanned text.
    pub(crate) at: usize,
}

/// One start or end tag.
#[derive(Debug)]
pub(crate) struct Tag<'a, 'b> {
    /// Tag name as written (compare with `eq_ignore_ascii_case`).
    pub(crate) name: &'a str,
    /// `</name>`.
    pub(crate) closing: bool,
    /// Byte offset of the `<`.
    pub(crate) at: usize,
    /// Its attributes (empty for end tags).
    pub(crate) attrs: &'b [Attr<'a>],
    /// Written `<name … />`.
    pub(crate) self_closing: bool,
}

impl<'a> Tag<'a, '_> {
    /// True if the tag is `name` (ASCII case-insensitive).
    pub(crate) fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The attribute `name`, if present.
    pub(crate) fn attr(&self, name: &str) -> Option<&Attr<'a>> {
        self.attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

/// Calls `f` for every tag of `html`, in order.
pub(crate) fn scan_tags<'a>(html: &'a str, mut f: impl FnMut(&Tag<'a, '_>)) {
    let b = html.as_bytes();
    let mut attrs: Vec<Attr<'a>> = Vec::new();
    let mut i = 0;
    while let Some(rel) = memchr(b'<', &b[i..]) {
        let lt = i + rel;
        let rest = &b[lt + 1..];
        if rest.starts_with(b"!--") {
            i = find(b, lt + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if matches!(rest.first(), Some(b'!' | b'?')) {
            i = memchr(b'>', &b[lt..]).map_or(b.len(), |e| lt + e + 1);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_end = name_start
            + b[name_start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
        if name_end == name_start || !b[name_start].is_ascii_alphabetic() {
            i = lt + 1;
            continue;
        }
        let name = &html[name_start..name_end];
        attrs.clear();
        let end = if closing {
            memchr(b'>', &b[name_end..]).map_or(b.len(), |e| name_end + e + 1)
        } else {
            read_attrs(html, name_end, &mut attrs)
        };
        let self_closing = !closing && end >= 2 && b[end - 1] == b'>' && b[end - 2] == b'/';
        f(&Tag {
            name,
            closing,
            at: lt,
            attrs: &attrs,
            self_closing,
        });
        i = end;
        if !closing && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style")) {
            // Raw text: skip to the matching end tag.
            i = find_ci(b, i, name.as_bytes()).unwrap_or(b.len());
        }
    }
}

/// Reads attributes from `pos` (just after the tag name) to the closing `>`; returns the offset
/// after it.
fn read_attrs<'a>(html: &'a str, mut pos: usize, attrs: &mut Vec<Attr<'a>>) -> usize {
    let b = html.as_bytes();
    loop {
        while pos < b.len() && (b[pos].is_ascii_whitespace() || b[pos] == b'/') {
            pos += 1;
        }
        if pos >= b.len() {
            return b.len();
        }
        if b[pos] == b'>' {
            return pos + 1;
        }
        let name_start = pos;
        while pos < b.len()
            && !b[pos].is_ascii_whitespace()
            && !matches!(b[pos], b'=' | b'>' | b'/')
        {
            pos += 1;
        }
        let name = &html[name_start..pos];
        let mut p = pos;
        while p < b.len() && b[p].is_ascii_whitespace() {
            p += 1;
        }
        if p < b.len() && b[p] == b'=' {
            p += 1;
            while p < b.len() && b[p].is_ascii_whitespace() {
                p += 1;
            }
            let (value, at, next) = match b.get(p) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr(q, &b[p + 1..]).map_or(b.len(), |e| p + 1 + e);
                    (&html[p + 1..end], p + 1, (end + 1).min(b.len()))
                }
                _ => {
                    let len = b[p..]
                        .iter()
                        .take_while(|c| !c.is_ascii_whitespace() && **c != b'>')
                        .count();
                    (&html[p..p + len], p, p + len)
                }
            };
            attrs.push(Attr {
                name,
                value: Some(value),
                at,
            });
            pos = next;
        } else {
            if !name.is_empty() {
                attrs.push(Attr {
                    name,
                    value: None,
                    at: name_start,
                });
            }
            pos = pos.max(name_start + 1);
        }
    }
}

/// Elements that never have content or an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
];

/// Elements whose start tag closes an open element of the same group (`<li>` after `<li>`), as
/// HTML parsers do, so that a list without `</li>` does not count as nested.
const IMPLIED_END: &[&[&str]] = &[
    &["li"],
    &["dt", "dd"],
    &["td", "th"],
    &["tr"],
    &["thead", "tbody", "tfoot"],
    &["option"],
    &["p"],
];

/// The open elements of some HTML, fed tag by tag: how deep it nests.
///
/// An approximation of an HTML parser's stack of open elements that never underestimates a
/// well-formed document: void and self-closed elements do not count, an end tag closes up to
/// its matching start tag (a stray end tag is ignored), and the usual implied end tags are
/// honoured. Used to refuse or skip what would nest deeper than a recursive consumer (the
/// minifier) can take.
#[derive(Debug, Default)]
pub(crate) struct Nesting<'a> {
    open: Vec<std::borrow::Cow<'a, str>>,
    max: usize,
}

impl<'a> Nesting<'a> {
    /// Feeds a tag whose name lives as long as the tracker.
    pub(crate) fn tag(&mut self, t: &Tag<'a, '_>) {
        self.apply(t, || std::borrow::Cow::Borrowed(t.name));
    }

    /// Feeds a tag of text that does not outlive this call (its name is copied).
    pub(crate) fn tag_owned(&mut self, t: &Tag<'_, '_>) {
        self.apply(t, || std::borrow::Cow::Owned(t.name.to_string()));
    }

    fn apply(&mut self, t: &Tag<'_, '_>, name: impl FnOnce() -> std::borrow::Cow<'a, str>) {
        if t.closing {
            if let Some(i) = self
                .open
                .iter()
                .rposition(|o| o.eq_ignore_ascii_case(t.name))
            {
                self.open.truncate(i);
            }
            return;
        }
        if t.self_closing || VOID.iter().any(|v| t.is(v)) {
            return;
        }
        if let Some(top) = self.open.last()
            && IMPLIED_END
                .iter()
                .any(|g| g.iter().any(|n| t.is(n)) && g.iter().any(|n| top.eq_ignore_ascii_case(n)))
        {
            self.open.pop();
        }
        self.open.push(name());
        self.max = self.max.max(self.open.len());
    }

    /// Elements open now.
    pub(crate) fn depth(&self) -> usize {
        self.open.len()
    }

    /// The deepest it has been.
    pub(crate) fn max_depth(&self) -> usize {
        self.max
    }
}

/// How deep the elements of `html` nest (see [`Nesting`]).
pub(crate) fn max_depth(html: &str) -> usize {
    let mut n = Nesting::default();
    scan_tags(html, |t| n.tag(t));
    n.max_depth()
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Finds `</name` (ASCII case-insensitive) from `from`; returns the offset of the `<`.
fn find_ci(hay: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(rel) = memchr(b'<', hay.get(i..)?) {
        let lt = i + rel;
        let tail = &hay[lt + 1..];
        if tail.first() == Some(&b'/')
            && tail.len() > name.len()
            && tail[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return Some(lt);
        }
        i = lt + 1;
    }
    None
}

/// Offsets of `&` in `value` that do not start a character reference (`&amp;`, `&#38;`, `&#x26;`).
///
/// minify-html decodes such an ampersand as the start of an entity where it can (`&copy_id=2`
/// becomes `©_id=2`), so a template or raw HTML must write `&amp;`.
pub(crate) fn raw_ampersands(value: &str) -> impl Iterator<Item = usize> + '_ {
    value
        .match_indices('&')
        .map(|(i, _)| i)
        .filter(move |&i| !starts_reference(&value[i + 1..]))
}

fn starts_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let len = match b.first() {
        Some(b'#') => {
            let (prefix, digits) = match b.get(1) {
                Some(b'x' | b'X') => (
                    2,
                    b[2..].iter().take_while(|c| c.is_ascii_hexdigit()).count(),
                ),
                _ => (1, b[1..].iter().take_while(|c| c.is_ascii_digit()).count()),
            };
            if digits == 0 {
                return false;
            }
            prefix + digits
        }
        Some(c) if c.is_ascii_alphabetic() => {
            b.iter().take_while(|c| c.is_ascii_alphanumeric()).count()
        }
        _ => return false,
    };
    b.get(len) == Some(&b';')
}

/// Decodes the character references that appear in URLs and attribute values.
pub(crate) fn unescape(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains('&') {
        return std::borrow::Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan_tags(html, |t| {
            let attrs: Vec<String> = t
                .attrs
                .iter()
                .map(|a| format!("{}={}", a.name, a.value.unwrap_or("·")))
                .collect();
            out.push(format!(
                "{}{}[{}]",
                if t.closing { "/" } else { "" },
                t.name,
                attrs.join(",")
            ));
        });
        out
    }

    #[test]
    fn finds_tags_and_attributes_in_all_quotings() {
        let got =
            tags(r#"<a href="/x/" title='y z' data-n=3 download>t</a><IMG src=/a.png alt="">"#);
        assert_eq!(
            got,
            [
                "a[href=/x/,title=y z,data-n=3,download=·]",
                "/a[]",
                "IMG[src=/a.png,alt=]"
            ]
        );
    }

    #[test]
    fn skips_comments_doctype_and_script_text() {
        let got = tags(
            "<!DOCTYPE html><!-- <a href=x> --><script>if (a<b) { x = '<a href=y>'; }</script><p>",
        );
        assert_eq!(got, ["script[]", "/script[]", "p[]"]);
        assert_eq!(tags("a < b and 1<2"), Vec::<String>::new());
    }

    #[test]
    fn nesting_depth_counts_open_elements_only() {
        assert_eq!(max_depth("<p>a</p><p>b</p>"), 1);
        assert_eq!(
            max_depth("<div><div><img src=x><br/><span/></div></div>"),
            2
        );
        assert_eq!(max_depth("<ul><li>a<li>b<li>c</ul>"), 2);
        assert_eq!(max_depth("<div></span></div><div>"), 1);
        assert_eq!(max_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(max_depth("<!-- <div><div> --><script>'<div>'</script>"), 1);
        assert_eq!(max_depth(&"<blockquote>\n".repeat(300)), 300);
    }

    #[test]
    fn raw_ampersands_are_found() {
        let found: Vec<usize> =
            raw_ampersands("?a=1&b=2&amp;c&#38;&#x26;&copy_id=3&#;& ").collect();
        assert_eq!(found, [4, 25, 35, 38]);
        assert_eq!(raw_ampersands("&copy;").count(), 0);
        assert_eq!(raw_ampersands("&#xZZ;").count(), 1);
    }

    #[test]
    fn unescapes_references() {
        assert_eq!(unescape("/a?b=1&amp;c=2"), "/a?b=1&c=2");
        assert_eq!(unescape("&#x2F;x&#47;&lt;&bogus;&"), "/x/<&bogus;&");
    }
}
