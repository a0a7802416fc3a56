//! Security fixes of issue 14 that are not about output paths: `base_url` (in `site.yaml` and
//! `--base-url`) is validated and normalised, a duplicate key in `site.yaml` is located, and
//! attachment names that need escaping are percent-encoded in links.

use crate::common::{Site, text};

/// `_base` with its `base_url` line (line 5 of site.yaml) set to `value` (YAML as written).
fn with_base_url(value: &str) -> Site {
    let site = Site::fixture("_base");
    let path = site.root().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    let line = yaml.lines().nth(4).unwrap();
    assert!(line.starts_with("base_url:"), "{line}");
    std::fs::write(&path, yaml.replace(line, &format!("base_url: {value}"))).unwrap();
    site
}

#[test]
fn a_bad_base_url_is_an_error_on_its_line() {
    for (value, why) in [
        (r#"'https://www.example.gov.cn/a"b/'"#, "字符"),
        (r#""https://www.example.gov.cn/a b/""#, "字符"),
        (r#""https://www.example.gov.cn/<b>/""#, "字符"),
        (r#""https://www.example.gov.cn:99999/sub/""#, "端口"),
        (r#""//www.example.gov.cn/sub/""#, "https://"),
        (r#""ftp://www.example.gov.cn/sub/""#, "协议"),
        (r#""https:///sub/""#, "主机名"),
    ] {
        let site = with_base_url(value);
        let out = site.portal(&["build"]);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(1), "{value}: {t}");
        assert!(
            t.contains("content/site.yaml:5") && t.contains("base_url 不是有效的网址："),
            "{value}: {t}"
        );
        assert!(t.contains(why), "{value}: {t}");
        assert!(
            t.contains("应写成 https://www.example.gov.cn/yangyuan/"),
            "{value}: {t}"
        );
        assert!(!site.root().join("public").exists(), "{value}: written");
    }
}

#[test]
fn an_international_host_is_written_in_punycode() {
    let site = with_base_url(r#""https://杨园街道.中国:443/sub""#);
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://xn--fcs769ay0yvxg.xn--fiqs8s/sub/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("杨园街道.中国"), "{sitemap}");
}

#[test]
fn a_bad_base_url_flag_is_an_error() {
    let site = Site::fixture("_base");
    for bad in ["http://127.0.0.1:99999/x/", "//host/", "http://h/a\"b/"] {
        let out = site.portal(&["build", "--base-url", bad]);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(1), "{bad}: {t}");
        assert!(
            t.contains("--base-url") && t.contains("base_url 不是有效的网址："),
            "{t}"
        );
        assert!(!site.root().join("public").exists(), "{bad}: written");
    }
    // A good one is normalised: the trailing slash added.
    let out = site.portal(&["build", "--base-url", "http://127.0.0.1:8000/other"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>http://127.0.0.1:8000/other/</loc>")
    );
}

#[test]
fn a_duplicate_key_in_site_yaml_is_reported_on_its_line() {
    let site = Site::fixture("_base");
    let path = site.root().join("content/site.yaml");
    let mut yaml = std::fs::read_to_string(&path).unwrap();
    let line = yaml.lines().count() + 1;
    yaml.push_str("title: 又一个标题\n");
    std::fs::write(&path, yaml).unwrap();
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains(&format!("content/site.yaml:{line}")),
        "line {line}: {t}"
    );
    assert!(t.contains("键 title 写了两次"), "{t}");
    assert!(!t.contains("site.yaml:1:1"), "{t}");
}

/// Attachment names holding `#`, `?`, `%` or a space are percent-encoded in every link the
/// build writes (body links and the attachment list), and the files are copied with their names.
#[test]
fn attachment_names_are_percent_encoded_in_links() {
    let site = Site::fixture("sec-attach-misc-names");
    // `?` cannot be in a file name on every system git checks out on: made here.
    site.write("content/files/c?d.pdf", "pdf c?d\n");
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let html = site.read("items/elderly-care/files/index.html");
    for (name, href) in [
        ("a#b.pdf", "/sub/files/a%23b.pdf"),
        ("c?d.pdf", "/sub/files/c%3Fd.pdf"),
        ("50%.pdf", "/sub/files/50%25.pdf"),
        ("a b.pdf", "/sub/files/a%20b.pdf"),
    ] {
        // Twice: the body link and the attachment list.
        let quoted = [format!("href=\"{href}\""), format!("href={href}>")];
        let count: usize = quoted
            .iter()
            .map(|q| html.matches(q.as_str()).count())
            .sum();
        assert_eq!(count, 2, "{href} in:\n{html}");
        let copied = site.root().join("public/files").join(name);
        assert_eq!(
            std::fs::read_to_string(&copied).unwrap(),
            format!("pdf {}\n", name.trim_end_matches(".pdf")),
            "{name}"
        );
    }
    for raw in [
        "files/a#b.pdf",
        "files/c?d.pdf",
        "files/50%.pdf\"",
        "files/a b.pdf",
    ] {
        assert!(!html.contains(&format!("/sub/{raw}")), "{raw} unencoded");
    }
    // `portal check` finds every link (it decodes them against the output).
    let out = site.portal(&["check"]);
    let t = text(&out);
    assert!(!t.contains("a%23b") && !t.contains("c%3Fd"), "{t}");
}
