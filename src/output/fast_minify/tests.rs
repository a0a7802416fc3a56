use super::*;

#[test]
fn values_of_a_shape_go_back_to_their_own_attributes_whatever_the_order() {
    // minify-html sorts attributes by name: `id` written before `href` comes back after it.
    for page in [
        "<p><a id=\"x1\" href=\"/y/1/\">一</a><a id=\"x2\" href=\"/y/2/\">二</a></p>",
        "<p><a href=\"/y/3/\" id=\"x3\">三</a><a href=\"/y/4/\" id=\"x4\">四</a></p>",
        "<p><time id=\"t1\" datetime=\"2021-01-01\">元旦</time><time id=\"t2\" datetime=\"2021-10-01\">国庆</time></p>",
    ] {
        let out = min(page).unwrap();
        assert!(
            out.contains("id=x1") || out.contains("id=x3") || out.contains("id=t1"),
            "{out}"
        );
    }
}

#[test]
fn a_run_without_white_space_ends_at_the_first_white_space_byte() {
    for t in [
        &b""[..],
        b"abc",
        b"ab cd",
        b"ab\ncd",
        b"ab\tcd",
        b"ab\rcd ef",
        b"ab\x0ccd\n",
        "二十四个字节以上的一段中文\t在此".as_bytes(),
        "二十四个字节以上的一段中文\r在此 后".as_bytes(),
        "二十四个字节以上的一段中文，没有空白".as_bytes(),
        "二十四个字节以上的一段中文\x0c在此".as_bytes(),
        "二十四个字节以上的一段中文 在此\r".as_bytes(),
        "杨园街道\r\n办事处".as_bytes(),
        b" lead",
    ] {
        let reference = t.iter().position(|&b| is_ws(b)).unwrap_or(t.len());
        assert_eq!(non_ws_run(t), reference, "{:?}", String::from_utf8_lossy(t));
    }
}

#[test]
fn a_start_tag_ends_at_its_first_unquoted_bracket() {
    let len = |t: &str| tag_len(t.as_bytes(), name_len(&t.as_bytes()[1..]));
    assert_eq!(len("<a>rest"), Ok(3));
    assert_eq!(len("<a href=\"x>y\" title='<b>'>z"), Ok(26));
    assert_eq!(len("<img alt=\"\" src=x.png>"), Ok(22));
    assert_eq!(len("<a b<c>"), Err(Unsupported));
    assert_eq!(len("<a href=\"x"), Err(Unsupported));
    assert_eq!(len("<a href='x'"), Err(Unsupported));
    assert_eq!(len("<a"), Err(Unsupported));
}

/// The one-pass result, checked to be minify-html's bytes.
fn min(s: &str) -> Result<String, Unsupported> {
    let mut out = Vec::new();
    minify_into(s.as_bytes(), &mut out)?;
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&crate::output::minify_full(s)),
        "{s}"
    );
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn whitespace_follows_the_parent_element() {
    assert_eq!(
        min("<!DOCTYPE html>\n<html>\n<head>\n  <title> 标题 </title>\n</head>\n<body>\n  <div>\n    <p>\n  a  <b> b </b>\n c </p>\n  </div>\n<pre> x\n  y </pre>\n</body>\n</html>\n")
            .unwrap(),
        "<!doctype html><html><head><title> 标题 </title></head><body><div><p>a <b> b </b> c</p></div><pre> x\n  y </pre></body></html>"
    );
}

#[test]
fn comments_go_and_split_text() {
    assert_eq!(
        min("<p> a <!-- x --> b <!-- y --> </p>").unwrap(),
        "<p>a  b </p>"
    );
    assert_eq!(
        min("<ul>\n<!-- x -->\n<li>1</li>\n</ul>").unwrap(),
        "<ul><li>1</li></ul>"
    );
}

#[test]
fn tags_entities_and_raw_text_as_minify_html_writes_them() {
    min("<a\n   href=\"x y\"\n   class='c  d'  >t &amp; &lt;u&gt; &#x2F;</a><br/><input type=\"text\" disabled=\"\"><script>\n if (a<b) {}\n</script><title>a &amp; b</title>")
        .unwrap();
    // Twice: the second time from what this thread remembers.
    let table = "<table><tr><td style=\"text-align: center\">1</td></tr></table>";
    assert_eq!(min(table), min(table));
}

#[test]
fn what_it_does_not_handle_falls_back() {
    for html in [
        "<style>p{}</style>",
        "<svg><g></g></svg>",
        "<div><p>x</div>",
        "<p>x",
        "<P>x</P>",
        "a < b",
        "<!DOCTYPE html PUBLIC \"x\">",
        "<p>\u{226A}</p>",
        "<p>a\u{226B}</p>",
        "<p>\u{2260}\u{226B}</p>",
    ] {
        let mut out = Vec::new();
        assert_eq!(
            minify_into(html.as_bytes(), &mut out),
            Err(Unsupported),
            "{html}"
        );
    }
}

#[test]
fn neighbours_of_the_two_entity_characters_are_minified_here() {
    // ≠ (E2 89 A0) and ≯ (E2 89 AF) share the first two bytes of ≪ ≫.
    assert!(min("<p>\u{2260} \u{226F}</p>").is_ok());
}

#[test]
fn tags_minified_by_shape_are_minify_htmls_bytes() {
    let tags = [
        "<a href=\"/sub/items/i000001/\">",
        "<a href=\"/sub/items/i000002/\" rel=\"next\">",
        "<a rel=\"prev\" href=\"/sub/a/#节-1\" id=\"x\">",
        "<a href=\"/a?x=1&amp;y=2\">",
        "<a href=\"/a b/\">",
        "<a href=\"\">",
        "<a href=\"/UPPER/Case/\" class=\" a  b \">",
        "<h2 id=\"一深入规范\">",
        "<h2 id=\"\">",
        "<h2 id=\"a'b\">",
        "<time datetime=\"2024-02-04\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<meta name=\"viewport\" content=\"width=device-width\">",
        "<meta name=\"Description\" content=\"明德街道（2023-00001）\">",
        "<meta name=\"Url\" content=\"https://www.example.gov.cn/x/\">",
        "<link rel=\"canonical\" href=\"https://www.example.gov.cn/x/\">",
        "<link rel=\"stylesheet\" href=\"/s.css\" media=\"print\">",
        "<div id=\"\u{E000}\">",
    ];
    // Twice: the second time from the remembered shape.
    for _ in 0..2 {
        for t in tags {
            let name = &t[1..t.find(' ').unwrap()];
            let html = if is_void(name.as_bytes()) {
                format!("<div>{t}x</div>")
            } else {
                format!("<div>{t}x</{name}></div>")
            };
            assert!(min(&html).is_ok(), "{html}");
        }
    }
}

#[test]
fn a_link_is_minified_by_shape_and_a_tag_with_a_placeholder_byte_is_not() {
    let mut map = FxMap::default();
    let (mut key, mut out) = (Vec::new(), Vec::new());
    for href in ["/sub/a/", "/sub/b/#节"] {
        out.clear();
        let tag = format!("<a href=\"{href}\" rel=\"next\">");
        assert_eq!(
            by_shape(tag.as_bytes(), &mut map, &mut key, &mut out),
            Some(())
        );
        assert_eq!(out, format!("<a href={href} rel=next>").into_bytes());
    }
    assert_eq!(map.len(), 1, "one shape for both links");
    let odd = "<a href=\"/\u{E001}/\">".as_bytes();
    assert_eq!(by_shape(odd, &mut map, &mut key, &mut out), None);
}

#[test]
fn the_short_scans_find_what_the_simd_searches_find() {
    for len in [0, 1, 15, 16, 17, 40] {
        for at in 0..=len {
            // `x` at `at` (none when at == len), `y` at the end.
            let mut s = vec![b'a'; len];
            if at < len {
                s[at] = b'x';
            }
            s.push(b'y');
            assert_eq!(memchr(b'x', &s), memchr::memchr(b'x', &s), "{len} {at}");
            assert_eq!(
                memchr3(b'x', b'y', b'z', &s),
                memchr::memchr3(b'x', b'y', b'z', &s),
                "{len} {at}"
            );
            assert_eq!(memchr(b'z', &s), None);
        }
    }
}
