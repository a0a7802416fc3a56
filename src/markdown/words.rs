//! A body's plain text, its whitespace collapsed as it is built.

/// Bytes that can start a whitespace character: ASCII whitespace and the lead bytes 0xC2,
/// 0xE1–0xE3.
static WHITESPACE_LEAD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b, 0x09..=0x0D | 0x20 | 0xC2 | 0xE1..=0xE3);
        b += 1;
    }
    t
};

/// The length of the whitespace character (`char::is_whitespace`) at byte `i` of `t`, 0 if
/// there is none: only ASCII bytes and the lead bytes 0xC2, 0xE1–0xE3 can start one, so
/// Chinese text is skipped byte by byte without decoding.
fn whitespace_len(t: &str, i: usize) -> usize {
    match t.as_bytes()[i] {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 | 0xE1..=0xE3 => t[i..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

/// Builds plain text with its whitespace collapsed on the way: words joined by one space, none
/// at either end (what `split_whitespace` and `join(" ")` make of the whole, without a second
/// pass).
#[derive(Default)]
pub(super) struct Words {
    /// Whitespace was seen since the last word.
    space: bool,
}

impl Words {
    /// Appends `t` to `buf`.
    pub(super) fn push(&mut self, buf: &mut String, t: &str) {
        let bytes = t.as_bytes();
        let (mut i, mut start) = (0, 0);
        loop {
            while i < bytes.len() && !WHITESPACE_LEAD[usize::from(bytes[i])] {
                i += 1;
            }
            if i == bytes.len() {
                break;
            }
            let ws = whitespace_len(t, i);
            if ws == 0 {
                i += 1;
                continue;
            }
            if start < i {
                self.word(buf, &t[start..i]);
            }
            self.space = true;
            i += ws;
            start = i;
        }
        if start < bytes.len() {
            self.word(buf, &t[start..]);
        }
    }

    fn word(&mut self, buf: &mut String, w: &str) {
        if self.space && !buf.is_empty() {
            buf.push(' ');
        }
        self.space = false;
        buf.push_str(w);
    }

    /// A break between words.
    pub(super) fn space(&mut self) {
        self.space = true;
    }
}
