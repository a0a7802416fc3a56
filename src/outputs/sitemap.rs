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
    let origin = origin(site);
    let mut urls: Vec<(String, String)> = vec![
        (site.href(""), String::new()),
        (site.href("catalog/"), String::new()),
        (site.href("news/"), String::new()),
        (site.href("reports/"), String::new()),
    ];
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
