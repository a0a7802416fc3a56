//! `sitemap.xml`: every page with its 公开日期 (`<lastmod>`), under the site's origin and
//! sub-path.

use super::{Change, Output};
use crate::model::Site;

/// The registry entry.
pub(super) const OUTPUT: Output = Output {
    name: "sitemap",
    render: |site| vec![("sitemap.xml".to_string(), sitemap(site).into_bytes())],
    affected_by: |c: &Change| c.listed,
};

/// `scheme://host[:port]` of the site, without the sub-path.
pub fn origin(site: &Site) -> String {
    let origin = site.config.base_url.trim_end_matches('/');
    origin
        .strip_suffix(site.config.base_path().trim_end_matches('/'))
        .unwrap_or(origin)
        .to_string()
}

/// The text of `sitemap.xml`.
pub fn sitemap(site: &Site) -> String {
    // Escaping is per character: the origin and base path are escaped once, each URL after
    // them alone, and everything goes into one string (the preview writes the site map again
    // after every date edit: at 50,000 pages a URL's formatting was most of the update).
    let prefix = crate::escape::html(&format!("{}{}", origin(site), site.config.base_path()));
    let mut s = String::with_capacity(100 * (site.pages.len() + 8));
    s.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for rel in ["", "catalog/", "news/", "reports/"] {
        push_url(&mut s, &prefix, rel, None);
    }
    for d in 0..site.config.domains.len() {
        for g in crate::generated::domain_pages(site, d) {
            push_url(&mut s, &prefix, &g.url(site), None);
        }
    }
    // The pages' entries in chunks on the worker threads (a date edit's preview waits for them).
    use rayon::prelude::*;
    let chunks: Vec<String> = site
        .pages
        .par_chunks(4096)
        .map(|pages| {
            let mut c = String::with_capacity(100 * pages.len());
            for p in pages {
                push_url(&mut c, &prefix, &p.url, p.date());
            }
            c
        })
        .collect();
    for c in chunks {
        s.push_str(&c);
    }
    s.push_str("</urlset>\n");
    s
}

/// Appends the entry of the URL `rel` (under `prefix`, escaped) with its `lastmod`.
fn push_url(s: &mut String, prefix: &str, rel: &str, lastmod: Option<crate::date::Date>) {
    s.push_str("  <url><loc>");
    s.push_str(prefix);
    if rel
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        s.push_str(&crate::escape::html(rel));
    } else {
        s.push_str(rel);
    }
    s.push_str("</loc>");
    if let Some(d) = lastmod {
        s.push_str("<lastmod>");
        push_date(s, d);
        s.push_str("</lastmod>");
    }
    s.push_str("</url>\n");
}

/// Appends `d` as its `Display` writes it (`2024-03-05`), without the formatting machinery for
/// the common years: the site map writes one per page.
fn push_date(s: &mut String, d: crate::date::Date) {
    if !(0..=9999).contains(&d.year) || d.month > 99 || d.day > 99 {
        use std::fmt::Write as _;
        let _ = write!(s, "{d}");
        return;
    }
    let digits = |s: &mut String, n: u32, width: u32| {
        for k in (0..width).rev() {
            s.push(char::from(b'0' + (n / 10u32.pow(k) % 10) as u8));
        }
    };
    digits(s, d.year as u32, 4);
    s.push('-');
    digits(s, d.month, 2);
    s.push('-');
    digits(s, d.day, 2);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    /// The site map as it was written before it was built in one string: the example site's
    /// must not differ by a byte.
    fn reference(site: &Site) -> String {
        let origin = origin(site);
        let mut urls: Vec<(String, String)> = ["", "catalog/", "news/", "reports/"]
            .iter()
            .map(|u| (site.href(u), String::new()))
            .collect();
        for d in 0..site.config.domains.len() {
            let pages = crate::generated::domain_pages(site, d);
            urls.extend(pages.map(|g| (g.href(site), String::new())));
        }
        for p in &site.pages {
            urls.push((
                site.href(&p.url),
                p.date().map(|d| d.to_string()).unwrap_or_default(),
            ));
        }
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (u, lastmod) in urls {
            s.push_str("  <url><loc>");
            s.push_str(&crate::escape::html(&format!("{origin}{u}")));
            s.push_str("</loc>");
            if !lastmod.is_empty() {
                s.push_str(&format!("<lastmod>{lastmod}</lastmod>"));
            }
            s.push_str("</url>\n");
        }
        s.push_str("</urlset>\n");
        s
    }

    #[test]
    fn the_example_sites_map_is_what_it_was() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::load::load(&crate::load::SitePaths::new(root));
        let (site, _) = Site::build(loaded, crate::model::ModelOptions::default());
        let mut site = site.expect("the example site builds");
        let text = sitemap(&site);
        assert!(text.contains("<lastmod>"), "{text}");
        assert_eq!(text, reference(&site));
        // A base URL with characters to escape.
        site.config.base_url = "https://example.gov.cn/a&b/".into();
        assert_eq!(sitemap(&site), reference(&site));
    }

    #[test]
    fn a_lastmod_date_reads_as_the_date_displays() {
        for (year, month, day) in [(2024, 3, 5), (1999, 12, 31), (7, 1, 1), (12345, 6, 7)] {
            let d = Date { year, month, day };
            let mut s = String::new();
            push_date(&mut s, d);
            assert_eq!(s, d.to_string());
        }
    }
}
