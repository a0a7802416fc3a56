//! Renamed pages: a URL the published site had (its `sitemap.xml`, by default the previous
//! build's `public/sitemap.xml`) that the new build no longer writes and no alias covers. Links
//! and bookmarks to it would break; the fix is an `aliases:` entry on the page that moved.

use crate::t;
use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::{Site, normalize_alias};

/// The `<loc>` paths of a sitemap, as site-relative URLs under `base_path` (`news/a/`).
fn sitemap_paths(xml: &str, base_path: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .map(|loc| loc.replace("&amp;", "&"))
        .filter_map(|loc| {
            // Drop scheme and host: what stays is the path under the base path.
            let path = loc
                .strip_prefix("https://")
                .or_else(|| loc.strip_prefix("http://"))
                .map_or(loc.as_str(), |r| r.find('/').map_or("/", |i| &r[i..]));
            path.strip_prefix(base_path).map(str::to_string)
        })
        .collect()
}

/// Every URL the new build writes a page at (pages, their aliases, generated listings), as
/// site-relative paths.
fn written(site: &Site) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = ["", "catalog/", "news/", "reports/", "search/", "sitemap/"]
        .into_iter()
        .map(String::from)
        .collect();
    for g in crate::generated::generated_pages(site) {
        out.insert(g.url(site));
    }
    for p in &site.pages {
        out.insert(p.url.clone());
        out.extend(p.meta().aliases.iter().map(|a| normalize_alias(a)));
    }
    out
}

/// One warning per URL of `previous` (a sitemap file) that the site no longer has.
pub(crate) fn check_renamed(site: &Site, previous: &Path, shown: &Path) -> Vec<Diagnostic> {
    let Ok(xml) = std::fs::read_to_string(previous) else {
        return Vec::new();
    };
    let now = written(site);
    let base = site.config.base_path();
    sitemap_paths(&xml, &base)
        .into_iter()
        .filter(|u| !now.contains(u))
        .map(|u| {
            Diagnostic::warning("link/renamed", t!("link.renamed", base, u))
                .file(shown)
                .found(format!("{base}{u}"))
                .expected(t!("link.renamed.expected"))
                .hint(t!("link.renamed.hint", u))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_locs_become_paths_under_the_base_path() {
        let xml = "<urlset><url><loc>https://x.gov.cn/yy/</loc></url><url><loc>https://x.gov.cn/yy/news/a/</loc><lastmod>2021-01-01</lastmod></url><url><loc>https://x.gov.cn/other/</loc></url></urlset>";
        assert_eq!(sitemap_paths(xml, "/yy/"), ["", "news/a/"]);
    }
}
