//! Addresses as a browser reads them: entities decoded, ignored characters dropped, the scheme
//! and the host found.

/// Decodes character references as a browser does in an attribute (numeric ones with or
/// without `;`, and the named ones used to hide a scheme), then drops ASCII whitespace and
/// control characters, which browsers ignore in a scheme.
pub fn normalize_url(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .bytes()
                .take_while(|b| {
                    if hex {
                        b.is_ascii_hexdigit()
                    } else {
                        b.is_ascii_digit()
                    }
                })
                .count();
            if len > 0 {
                let code = u32::from_str_radix(&digits[..len.min(8)], if hex { 16 } else { 10 })
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                out.push(code);
                let consumed = (num.len() - digits.len()) + 1 + len;
                rest = &rest[consumed.min(rest.len())..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
        }
        let named = [
            ("colon;", ':'),
            ("Tab;", '\t'),
            ("NewLine;", '\n'),
            ("amp;", '&'),
            ("lpar;", '('),
            ("rpar;", ')'),
            ("sol;", '/'),
            ("bsol;", '\\'),
            ("period;", '.'),
            ("quot;", '"'),
            ("apos;", '\''),
            ("lt;", '<'),
            ("gt;", '>'),
        ];
        match named.iter().find(|(n, _)| rest.starts_with(n)) {
            Some((n, c)) => {
                out.push(*c);
                rest = &rest[n.len()..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out.chars().filter(|c| *c > ' ' && *c != '\u{7f}').collect()
}

/// The scheme of an address, lowercased (`None` for a relative address).
pub fn scheme_of(url: &str) -> Option<String> {
    let n = normalize_url(url);
    let colon = n.find(':')?;
    let scheme = &n[..colon];
    let first = scheme.chars().next()?;
    (first.is_ascii_alphabetic()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

/// The host of an absolute or protocol-relative address if it is not one of `hosts`.
pub(super) fn offsite(url: &str, hosts: &[String]) -> Option<String> {
    let n = normalize_url(url).replace('\\', "/");
    let lower = n.to_ascii_lowercase();
    let absolute = if lower.starts_with("//") {
        format!("https:{n}")
    } else if lower.starts_with("http:") || lower.starts_with("https:") {
        n
    } else {
        return None;
    };
    let host = ammonia::Url::parse(&absolute)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_else(|| "（无法识别的主机）".to_string());
    let bare = host.trim_end_matches('.');
    (!hosts.iter().any(|h| h == bare)).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::super::Policy;
    use crate::site_config::HtmlConfig;

    fn site() -> Policy {
        Policy::new(&HtmlConfig::default(), "https://www.example.gov.cn/sub/")
    }

    #[test]
    fn script_urls_are_found_however_written() {
        let p = site();
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#106avascript:alert(1)",
            "javascript&colon;alert(1)",
            "java&Tab;script:alert(1)",
            "&#0000106;avascript:x",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
        ] {
            let d = p.audit_url(url, false).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(d.rule, "markdown/unsafe-url", "{url}");
            assert!(d.is_error());
        }
        for url in [
            "../a.md",
            "/sub/x/",
            "https://www.gov.cn/",
            "mailto:a@b.cn",
            "tel:123",
            "#top",
            "a/b:c",
        ] {
            assert!(p.audit_url(url, false).is_none(), "{url}");
        }
    }

    #[test]
    fn foreign_resources_are_errors_own_host_is_not() {
        let p = site();
        for url in [
            "http://tracker.example.com/p.gif",
            "//tracker.example.com/p.gif",
            "\\\\tracker.example.com/p.gif",
            "HTTPS://Tracker.Example.com/x",
        ] {
            assert_eq!(
                p.audit_url(url, true).unwrap().rule,
                "markdown/external-resource",
                "{url}"
            );
        }
        assert!(
            p.audit_url("https://www.example.gov.cn/sub/files/a.png", true)
                .is_none()
        );
        assert!(p.audit_url("../files/a.png", true).is_none());
        assert!(
            p.audit_url("https://www.gov.cn/", false).is_none(),
            "a link is not a resource"
        );
    }
}
