use super::collapse_into;

/// The definition: whitespace runs become one space (none at the ends), at most `cap`
/// characters.
fn reference(s: &str, cap: usize) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    words
        .join(" ")
        .chars()
        .take(cap)
        .collect::<String>()
        .trim_end()
        .to_string()
}

#[test]
fn white_space_is_told_from_its_bytes_as_char_is_whitespace_tells_it() {
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let mut buf = [0; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        assert_eq!(super::is_whitespace_at(bytes), c.is_whitespace(), "{c:?}");
        assert_eq!(super::utf8_len(bytes[0]), bytes.len(), "{c:?}");
    }
}

#[test]
fn collapse_copies_runs_and_stops_at_the_cap() {
    let texts = [
        "",
        "   ",
        "杨园街道",
        "  杨园 \n\t 街道  ",
        "a\u{3000}b\u{a0}c",
        "政府信息公开 工作年度报告 2021",
        "一二三四五 六七八九十",
        "\u{85}x\u{1680}y\u{2000}z\u{200a}\u{2028}\u{2029}w\u{202f}\u{205f}v\u{3000}“引号”\u{200b}",
        "😀 emoji\r\n\x0b\x0c end ",
    ];
    for t in texts {
        for cap in [0, 1, 2, 4, 5, 6, 7, 8, 100] {
            let mut out = String::from("前");
            collapse_into(t, cap, &mut out);
            assert_eq!(out, format!("前{}", reference(t, cap)), "{t:?} cap {cap}");
        }
    }
}
