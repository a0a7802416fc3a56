//! Tests of the output check: candidates, their places and the links they resolve to.

use super::produced::Candidate;
use super::*;
use std::sync::Arc;

#[test]
fn candidates_are_located_by_line_and_character_column() {
    // At the value; columns count characters, go on along a long line and restart after
    // a newline.
    let page = "<p>政务 <a href=\"/a/\">甲</a><a href=\"/b/\">乙</a>\n  <img src=\"/c.png\">\n\n<a title=\"x\" href=\"/d/\">";
    let found = extract(page);
    let at: Vec<(u32, u32, &str)> = found.iter().map(|c| (c.line, c.column, c.value)).collect();
    let expected = |needle: &str| {
        let offset = page.find(needle).unwrap();
        let before = &page[..offset];
        let line = before.matches('\n').count() as u32 + 1;
        let start = before.rfind('\n').map_or(0, |n| n + 1);
        (line, page[start..offset].chars().count() as u32 + 1)
    };
    assert_eq!(at.len(), 4, "{at:?}");
    for (c, needle) in at.iter().zip(["/a/\"", "/b/\"", "/c.png", "/d/\""]) {
        assert_eq!((c.0, c.1), expected(needle), "{needle} in {at:?}");
    }
}

#[test]
fn candidates_of_different_pages_share_their_strings() {
    // Every page repeats the theme's links: the check keeps one copy of each.
    let interner = Interner::default();
    let page = "<a href=\"/sub/news/\">工作动态</a>\n<img src=\"/sub/a.png?x=1&y=2\">";
    let a = interned(page, &interner);
    let b = interned(page, &interner);
    assert_eq!(a, b);
    assert_eq!(a.len(), 2);
    for (x, y) in a.iter().zip(&b) {
        assert!(Arc::ptr_eq(&x.value, &y.value));
        assert!(Arc::ptr_eq(&x.attr, &y.attr));
    }
    assert!(a[1].raw_ampersand);
}

/// The candidates of `text`, every one kept.
fn interned(text: &str, interner: &Interner) -> Vec<Candidate> {
    extract(text).iter().map(|c| c.intern(interner)).collect()
}

fn scan_html(
    text: &str,
    rel: &str,
    base_path: &str,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<HtmlFinding> {
    resolve(
        &interned(text, &Interner::default()),
        rel,
        base_path,
        exists,
    )
}

fn exists(rel: &str) -> bool {
    [
        "index.html",
        "news/index.html",
        "static/style.css",
        "items/a/x/index.html",
        "files/f.pdf",
    ]
    .contains(
        &if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        }
        .as_str(),
    ) || rel == "news"
}

#[test]
fn internal_links_resolve_under_the_base_path() {
    let html = r##"<a href="/sub/news/">n</a><a href="/sub/">h</a><a href="/sub">h</a><link href="/sub/static/style.css"><a href="/sub/files/f.pdf#p=2">f</a><a href="#main">m</a><a href="https://x.cn/">x</a><a href="mailto:a@b.cn">m</a>"##;
    assert!(scan_html(html, "items/a/x/index.html", "/sub/", &exists).is_empty());
}

#[test]
fn broken_and_outside_links_are_found() {
    let html = "<a href=\"/sub/nope/\">n</a>\n<img src=\"/static/x.png\" alt=\"\"><a href=\"../../../../../x\">u</a>";
    let got = scan_html(html, "items/a/x/index.html", "/sub/", &exists);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].broken.as_deref().unwrap().contains("不存在"));
    assert!(got[1].broken.as_deref().unwrap().contains("子路径"));
    assert!(got[2].broken.as_deref().unwrap().contains("根目录"));
}

#[test]
fn relative_links_and_refresh_targets() {
    let ok = "<a href=\"../../../news/\">n</a><meta http-equiv=\"refresh\" content=\"0; url=/sub/news/\">";
    assert!(scan_html(ok, "items/a/x/index.html", "/sub/", &exists).is_empty());
    let bad = "<meta http-equiv=\"refresh\" content=\"0; url=/sub/gone/\">";
    assert_eq!(scan_html(bad, "old/index.html", "/sub/", &exists).len(), 1);
}

#[test]
fn raw_ampersand_in_attributes_but_not_text() {
    let html =
        "<a href=\"/sub/news/?a=1&copy_id=2\">A & B</a><a href=\"/sub/news/?a=1&amp;b=2\">ok</a>";
    let got = scan_html(html, "index.html", "/sub/", &exists);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].broken, None);
    assert_eq!(got[0].value, "/sub/news/?a=1&copy_id=2");
}

#[test]
fn links_wait_for_their_file_and_only_those_never_produced_are_kept() {
    // The check holds a link until the last page only if its file never comes (issue 13).
    let interner = Interner::default();
    let mut p = ProducedSoFar::default();
    p.add("news/index.html", true);
    p.add("static/a.css", false);
    let page = "<a href=\"/sub/news/\">动态</a><link href=\"../../static/a.css\">\
                <a href=\"/sub/later/\">后来</a><a href=\"/sub/never\">无</a>\n\
                <a href=\"/sub/bare\">甲</a><a href=\"/sub/\">首页</a>\
                <img alt=\"\" src=\"/sub/news/?a=1&b=2\"><a href=\"/elsewhere/\">外</a>";
    p.add_page("items/x/index.html", &extract(page), "/sub/", &interner);
    for later in ["later/index.html", "bare/index.html", "index.html"] {
        p.add(later, true);
    }
    let files = p.files();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, "items/x/index.html");
    let kept: Vec<&str> = files[0].1.iter().map(|c| &*c.value).collect();
    assert_eq!(kept, ["/sub/never", "/sub/news/?a=1&b=2", "/elsewhere/"]);
    assert_eq!(p.html_files, 5);
}

#[test]
fn strings_no_candidate_holds_are_dropped_in_time() {
    let interner = Interner::default();
    let kept = interner.get("/sub/kept/");
    for i in 0..5000 {
        drop(interner.get(&format!("/sub/{i}/")));
    }
    assert!(interner.len() < 2100, "{}", interner.len());
    assert!(Arc::ptr_eq(&interner.get("/sub/kept/"), &kept));
}
