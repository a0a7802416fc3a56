//! Rules on a page's metadata that the build does not enforce: the shape of its 索引号 and how it
//! agrees with the site and the 公开日期, and dates that lie in the future.
//!
//! They stay out of the model on purpose: a 索引号 of another organ is legitimate on some sites
//! (so only a warning), and "the future" depends on the day of the check, which a reproducible
//! build must not.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::page::Page;
use crate::t;

/// The recommended shape of a 索引号 (reference §3): warn-only, since real sites use others.
///
/// `^[0-9A-Z][0-9A-Z-]{7,19}/\d{4}-\d{5,6}$`, written out so the crate needs no regex engine.
pub(crate) fn index_no_format_ok(no: &str) -> bool {
    let Some((org, rest)) = no.split_once('/') else {
        return false;
    };
    let org_ok = org.len() >= 8
        && org.len() <= 20
        && org
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && org
            .bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == b'-');
    let Some((year, serial)) = rest.split_once('-') else {
        return false;
    };
    org_ok
        && year.len() == 4
        && year.bytes().all(|c| c.is_ascii_digit())
        && (5..=6).contains(&serial.len())
        && serial.bytes().all(|c| c.is_ascii_digit())
}

/// The year part of a 索引号 (`737546075/2022-01884` → 2022), where it has one.
pub(crate) fn index_no_year(no: &str) -> Option<i32> {
    let rest = no.rsplit_once('/')?.1;
    let year = rest.get(..4)?;
    year.bytes()
        .all(|c| c.is_ascii_digit())
        .then(|| year.parse().ok())?
}

/// `s` with full-width digits, slash and dashes as their ASCII forms.
fn halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '／' => '/',
            '－' | '—' => '-',
            other => other,
        })
        .collect()
}

/// The metadata rules of page `p`.
pub(crate) fn check_page(site: &Site, p: &Page, as_of: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let m = p.meta();
    let file = &p.source.file;
    let line = |key: &str| p.source.key_lines.line_of(&[key]);
    if let Some(no) = m.index_no.as_deref().filter(|n| !n.is_empty()) {
        let org_code = site.config.org_code.as_str();
        if !index_no_format_ok(no) {
            out.push(
                Diagnostic::warning("index-no/format", t!("index-no.format"))
                    .file(file)
                    .line(line("index_no"))
                    .key("index_no")
                    .expected(t!("index-no.format.expected", org_code))
                    .found(format!("\"{no}\""))
                    .hint(
                        if no.contains(['／', '－', '—'])
                            || no.chars().any(|c| ('０'..='９').contains(&c))
                        {
                            t!("index-no.format.full-width", fixed = halfwidth(no))
                        } else {
                            t!("index-no.format.hint")
                        },
                    ),
            );
        }
        // A page of another 发布机构 carries that organ's code, which the site does not know.
        let own_publisher = m
            .publisher
            .as_deref()
            .is_none_or(|pb| pb == site.config.organization);
        let org = no.split_once('/').map_or(no, |(o, _)| o);
        if own_publisher && !org_code.is_empty() && org != org_code {
            out.push(
                Diagnostic::warning("index-no/org-code", t!("index-no.org-code"))
                    .file(file)
                    .line(line("index_no"))
                    .key("index_no")
                    .expected(format!("{org_code}/…"))
                    .found(format!("\"{no}\""))
                    .hint(t!("index-no.org-code.hint", org_code)),
            );
        }
        if let (Some(y), Some(d)) = (index_no_year(no), m.date)
            && y != d.year
        {
            out.push(
                Diagnostic::warning("index-no/year", t!("index-no.year"))
                    .file(file)
                    .line(line("index_no"))
                    .key("index_no")
                    .expected(t!("index-no.year.expected", org, year = d.year, d))
                    .found(format!("\"{no}\""))
                    .hint(t!("index-no.year.hint")),
            );
        }
    }
    for (key, label, date) in [
        ("date", "公开日期", m.date),
        ("written", "成文日期", m.written),
    ] {
        if let Some(d) = date.filter(|d| *d > as_of) {
            out.push(
                Diagnostic::error("date/future", t!("date.future", label, as_of))
                    .file(file)
                    .line(line(key))
                    .key(key)
                    .expected(t!("date.future.expected", as_of))
                    .found(d.to_string())
                    .hint(t!("date.future.hint")),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_no_shapes_of_the_reference() {
        for ok in [
            "737546075/2022-01884",
            "0142768-8/2021-00001",
            "11441700007280420Y/2021-00050",
            "001008003013022/2021-184383",
        ] {
            assert!(index_no_format_ok(ok), "{ok}");
        }
        for bad in [
            "QZ04117-222-2020-00008",
            "zfb/2023-00238",
            "737546075/22-01884",
            "737546075/2022-1884",
            "737546075/2022-0188411",
            "7375/2022-01884",
        ] {
            assert!(!index_no_format_ok(bad), "{bad}");
        }
    }

    #[test]
    fn index_no_year_is_read_leniently() {
        assert_eq!(index_no_year("737546075/2022-01884"), Some(2022));
        assert_eq!(index_no_year("zfb/2023-00238"), Some(2023));
        assert_eq!(index_no_year("QZ04117-222-2020-00008"), None);
    }
}
