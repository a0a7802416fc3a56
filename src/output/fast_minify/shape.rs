//! Tags minified once per shape: the page-specific values minify-html writes as they are put
//! back into the minified shape.

use memchr::memchr;

use super::{SEEN_MAX, name_len};
use crate::fx::FxMap;

/// Whether minify-html writes the value of `attr` of `tag` unchanged and unquoted whenever the
/// value is [`plain`]: no case folding, default value, trimming or collapsing for it (its
/// table in minify-html says so for these).
fn templatable(tag: &[u8], attr: &[u8]) -> bool {
    matches!(
        (tag, attr),
        (b"a" | b"link", b"href") | (b"time", b"datetime") | (b"meta", b"content") | (_, b"id")
    )
}

/// Bytes a value minify-html writes as it is, unquoted, must not hold: whitespace, what an
/// unquoted value must encode (`"'=<>` and backtick) and `&`.
static NOT_PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let bad = b"\t\n\x0B\x0C\r \"'=<>`&";
    let mut i = 0;
    while i < bad.len() {
        t[bad[i] as usize] = true;
        i += 1;
    }
    t
};

/// A value minify-html writes as it is, unquoted: not empty, none of [`NOT_PLAIN`].
fn plain(value: &[u8]) -> bool {
    !value.is_empty() && !value.iter().any(|b| NOT_PLAIN[usize::from(*b)])
}

/// The placeholders that stand for the values of a tag's shape: U+E000 + k for the k-th value
/// (private-use characters, three bytes `EE 80 80+k`). A tag holding any byte 0xEE
/// (U+E000–U+EFFF) is not templated, so in a shape every 0xEE byte starts a placeholder, and
/// its number says which value goes there: minify-html sorts attributes by name, so the
/// values do not come back in the order of the source.
const HOLE: &[u8] = "\u{E000}".as_bytes();

/// The placeholder of value `k`.
fn hole(k: usize) -> [u8; 3] {
    [HOLE[0], HOLE[1], HOLE[2] + k as u8]
}

/// The number of the placeholder at `at` in a minified shape (`at` is a 0xEE byte).
fn hole_at(min: &[u8], at: usize) -> Option<usize> {
    match min.get(at..at + 3)? {
        [a, b, c]
            if *a == HOLE[0]
                && *b == HOLE[1]
                && (HOLE[2]..HOLE[2] + MAX_HOLES as u8).contains(c) =>
        {
            Some(usize::from(c - HOLE[2]))
        }
        _ => None,
    }
}

/// The values a shape may have (a tag with more is minified itself).
const MAX_HOLES: usize = 8;

/// A start tag whose page-specific values (`href` of a link, `id`, …) minify-html writes as
/// they are: minified once per shape, the values put back in. `None`: minify the tag itself.
///
/// The shape is the tag with each such value replaced by a placeholder; minify-html orders
/// attributes by name and writes a plain value unquoted, so the minified shape with the values
/// put back is what it writes for the tag (the minifier tests compare the two on whole sites).
pub(super) fn by_shape(
    src: &[u8],
    map: &mut FxMap<Vec<u8>, Vec<u8>>,
    key: &mut Vec<u8>,
    out: &mut Vec<u8>,
) -> Option<()> {
    if memchr(HOLE[0], src).is_some() {
        return None;
    }
    let name_len = name_len(src.get(1..)?);
    let tag = &src[1..1 + name_len];
    let mut values = [(0usize, 0usize); MAX_HOLES];
    let mut holes = 0;
    key.clear();
    key.push(0); // shapes apart from tags
    key.extend_from_slice(&src[..1 + name_len]);
    let mut i = 1 + name_len;
    loop {
        match src.get(i)? {
            b'>' if i + 1 == src.len() => break,
            b' ' => i += 1,
            _ => return None,
        }
        let attr_len = src[i..]
            .iter()
            .position(|b| !(b.is_ascii_lowercase() || *b == b'-'))?;
        let attr = &src[i..i + attr_len];
        if attr.is_empty() || !src[i + attr_len..].starts_with(b"=\"") {
            return None;
        }
        let v0 = i + attr_len + 2;
        let v1 = v0 + memchr(b'"', &src[v0..])?;
        key.extend_from_slice(&src[i - 1..v0]);
        if templatable(tag, attr) && plain(&src[v0..v1]) && holes < MAX_HOLES {
            key.extend_from_slice(&hole(holes));
            values[holes] = (v0, v1);
            holes += 1;
        } else {
            key.extend_from_slice(&src[v0..v1]);
        }
        key.push(b'"');
        i = v1 + 1;
    }
    if holes == 0 {
        return None;
    }
    key.push(b'>');
    let shape = match map.get(key.as_slice()) {
        Some(shape) => shape,
        None => {
            let min = minify_html::minify(&key[1..], &crate::output::minify_cfg());
            // One tag, each value in it once, unquoted.
            let mut seen = [false; MAX_HOLES];
            let each_once = memchr::memchr_iter(HOLE[0], &min).all(|at| {
                hole_at(&min, at)
                    .is_some_and(|k| k < holes && !std::mem::replace(&mut seen[k], true))
                    && at > 0
                    && !matches!(min[at - 1], b'"' | b'\'')
                    && min.get(at + HOLE.len()) != Some(&b'"')
            });
            if !each_once
                || seen[..holes].iter().any(|s| !s)
                || min.first() != Some(&b'<')
                || min.last() != Some(&b'>')
                || memchr(b'<', &min[1..]).is_some()
            {
                return None;
            }
            if map.len() >= SEEN_MAX {
                map.clear();
            }
            map.entry(key.clone()).or_insert(min)
        }
    };
    let mut from = 0;
    for at in memchr::memchr_iter(HOLE[0], shape) {
        let (v0, v1) = values[hole_at(shape, at)?];
        out.extend_from_slice(&shape[from..at]);
        out.extend_from_slice(&src[v0..v1]);
        from = at + HOLE.len();
    }
    out.extend_from_slice(&shape[from..]);
    Some(())
}
