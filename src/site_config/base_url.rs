//! `base_url`: the one address every link, canonical URL and sitemap entry is built on, so it is
//! checked and normalised before anything is built.

use crate::diagnostic::Diagnostic;
use crate::t;

/// The example every `base_url` message shows.
const BASE_URL_EXAMPLE: &str = "https://www.example.gov.cn/yangyuan/";

/// The finding for a `base_url` (or `--base-url`) that [`normalize_base_url`] refused: `why`
/// says how, `raw` is what was written. Callers add the file, line and key.
pub fn base_url_error(why: &str, raw: &str) -> Diagnostic {
    Diagnostic::error("site/base-url", t!("site.base-url", why))
        .expected(t!("site.base-url.expected"))
        .found(format!("\"{}\"", raw.escape_debug()))
        .hint(t!("site.base-url.hint", BASE_URL_EXAMPLE))
}

/// Characters that may not appear in a base URL as written: they would need escaping in HTML,
/// XML or a URL (`"`, `<`, a space…), and one written into every page's links must not.
fn needs_escaping(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '"' | '\'' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
        )
}

/// Checks a site's base URL and returns it normalised: `http` or `https`, a host (an
/// internationalised one in punycode, `xn--…`), a port only if not the scheme's default, and a
/// path of plain segments that ends with `/`. The error says, in Chinese, what is wrong.
pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(t!("site-config.base-url.text-1"));
    }
    if let Some(c) = s.chars().find(|&c| needs_escaping(c)) {
        return Err(t!("site-config.base-url.text-2", char = c.escape_debug()));
    }
    let lower = s.to_ascii_lowercase();
    if s.starts_with("//") {
        return Err(t!("site-config.base-url.text-3"));
    }
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(if s.contains("://") {
            t!("site-config.base-url.text-4")
        } else {
            t!("site-config.base-url.text-5")
        });
    }
    // The parser would take `https:///a/` for host `a`.
    let after_scheme = &s[s.find("://").map_or(0, |i| i + 3)..];
    if after_scheme.is_empty() || after_scheme.starts_with(['/', ':', '?', '#']) {
        return Err(t!("site-config.base-url.text-6"));
    }
    let url = url::Url::parse(s).map_err(|e| match e {
        url::ParseError::InvalidPort => t!("site-config.base-url.text-7").to_string(),
        url::ParseError::EmptyHost => t!("site-config.base-url.text-8").to_string(),
        url::ParseError::IdnaError | url::ParseError::InvalidDomainCharacter => {
            t!("site-config.base-url.text-9").to_string()
        }
        other => t!("site-config.base-url.text-10", other),
    })?;
    let host = match url.host_str() {
        Some(h) if !h.is_empty() => h,
        _ => return Err(t!("site-config.base-url.text-11")),
    };
    if url.port() == Some(0) {
        return Err(t!("site-config.base-url.text-12"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(t!("site-config.base-url.text-13"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(t!("site-config.base-url.text-14"));
    }
    // The path as written (the parser would percent-encode what it does not like).
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let mut segments = Vec::new();
    for seg in path.split('/').filter(|seg| !seg.is_empty()) {
        if seg == "." || seg == ".." {
            return Err(t!("site-config.base-url.text-15"));
        }
        if let Some(c) = seg
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
        {
            return Err(t!("site-config.base-url.text-16", char = c.escape_debug()));
        }
        segments.push(seg);
    }
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let mut out = format!("{}://{host}{port}/", url.scheme());
    for seg in segments {
        out.push_str(seg);
        out.push('/');
    }
    Ok(out)
}

/// The path part of a base URL, normalised to start and end with `/`.
pub fn base_path_of(base_url: &str) -> String {
    let mut out = String::new();
    push_base_path(base_url, &mut out);
    out
}

/// Appends [`base_path_of`] `base_url` to `out` (every link of every page starts with it: no
/// `String` of its own each time).
pub fn push_base_path(base_url: &str, out: &mut String) {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .map(|r| r.find('/').map(|i| &r[i..]).unwrap_or("/"))
        .unwrap_or(base_url);
    let rest = rest.split(['?', '#']).next().unwrap_or("/");
    let trimmed = rest.trim_matches('/');
    out.push('/');
    if !trimmed.is_empty() {
        out.push_str(trimmed);
        out.push('/');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_forms() {
        assert_eq!(
            base_path_of("https://www.example.gov.cn/yangyuan/"),
            "/yangyuan/"
        );
        assert_eq!(
            base_path_of("https://www.example.gov.cn/yangyuan"),
            "/yangyuan/"
        );
        assert_eq!(base_path_of("https://www.example.gov.cn"), "/");
        assert_eq!(base_path_of("/a/b"), "/a/b/");
        assert_eq!(base_path_of("/"), "/");
    }

    #[test]
    fn base_urls_are_checked_and_normalised() {
        let ok = |raw: &str| normalize_base_url(raw).unwrap();
        assert_eq!(
            ok("https://www.example.gov.cn/yangyuan"),
            "https://www.example.gov.cn/yangyuan/"
        );
        assert_eq!(
            ok("HTTPS://WWW.Example.gov.cn"),
            "https://www.example.gov.cn/"
        );
        assert_eq!(ok("https://x.gov.cn:443//a//b/"), "https://x.gov.cn/a/b/");
        assert_eq!(
            ok("http://127.0.0.1:8000/other/path/"),
            "http://127.0.0.1:8000/other/path/"
        );
        assert_eq!(
            ok("https://杨园街道.中国/yangyuan/"),
            "https://xn--fcs769ay0yvxg.xn--fiqs8s/yangyuan/"
        );
        for (bad, why) in [
            ("https://x.gov.cn/a\"b/", "字符"),
            ("https://x.gov.cn/a b/", "字符"),
            ("https://x.gov.cn/<script>/", "字符"),
            ("https://x.gov.cn:99999/", "端口"),
            ("https://x.gov.cn:0/", "端口"),
            ("//x.gov.cn/", "//"),
            ("/yangyuan/", "缺少"),
            ("ftp://x.gov.cn/", "协议"),
            ("https:///a/", "主机名"),
            ("https://u:p@x.gov.cn/", "用户名"),
            ("https://x.gov.cn/?a=1", "?"),
            ("https://x.gov.cn/../a/", ".."),
            ("https://x.gov.cn/杨园/", "路径"),
            ("", "空"),
        ] {
            let e = normalize_base_url(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
