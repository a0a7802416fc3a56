//! `robots.txt`: everything may be crawled, and the sitemap is named with its absolute URL.
//! Under a sub-path (`/yangyuan/robots.txt`) crawlers do not read it by themselves: the host's
//! own `robots.txt` can point to this sitemap (docs/content.md).

use super::Output;

/// The registry entry.
pub(super) const OUTPUT: Output = Output {
    name: "robots",
    render: |site| {
        let text = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}{}\n",
            super::origin(site),
            site.href("sitemap.xml")
        );
        vec![("robots.txt".to_string(), text.into_bytes())]
    },
    affected_by: |_| false,
};
