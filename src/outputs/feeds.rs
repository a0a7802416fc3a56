//! Atom feeds (RFC 4287) for those who follow the portal in a reader: 工作动态
//! (`news/feed.xml`), all 公开事项 (`catalog/feed.xml`), each domain's
//! (`catalog/<slug>/feed.xml`) and the annual reports (`reports/feed.xml`). Absolute URLs from
//! `base_url`; a document that is no longer effective says so in its title and a category.

use super::{Change, Output};
use crate::escape::html as esc;
use crate::front_matter::Validity;
use crate::generated::Generated;
use crate::model::Site;
use crate::page::Kind;

/// Entries per feed: readers want what is new.
const ENTRIES: usize = 50;

/// The registry entry.
pub(super) const OUTPUT: Output = Output {
    name: "feeds",
    render,
    affected_by: |c: &Change| super::kinds_in(c, &[Kind::News, Kind::Item, Kind::Report]),
};

/// One feed: where it goes, its page, its name, its entries (page indexes, newest first).
struct Feed<'a> {
    path: String,
    page: String,
    name: String,
    entries: &'a [usize],
}

/// The feeds of a site: the paths a page's `<link rel=alternate>` points to are [`path_of`]'s.
fn render(site: &Site) -> super::Files {
    let mut feeds = vec![
        Feed {
            path: path_of("news/"),
            page: "news/".into(),
            name: "工作动态".into(),
            entries: &site.news,
        },
        Feed {
            path: path_of("catalog/"),
            page: "catalog/".into(),
            name: "公开事项".into(),
            // Sorted by the model already: sorting every item here again cost more than the
            // rest of a preview update (issue 13).
            entries: &site.items,
        },
        Feed {
            path: path_of("reports/"),
            page: "reports/".into(),
            name: "政府信息公开工作年度报告".into(),
            entries: &site.reports,
        },
    ];
    for (d, dom) in site.config.domains.iter().enumerate() {
        let page = Generated::Domain(d, 1).url(site);
        feeds.push(Feed {
            path: path_of(&page),
            page,
            name: format!("{}领域公开事项", dom.name),
            entries: &site.domain_items[d],
        });
    }
    feeds
        .iter()
        .map(|f| (f.path.clone(), atom(site, f).into_bytes()))
        .collect()
}

/// The feed of the listing page at `page` (`news/`, `catalog/<slug>/`).
pub fn path_of(page: &str) -> String {
    format!("{page}feed.xml")
}

/// A date as Atom wants it, at midnight China time (公开日期 are days).
fn stamp(d: crate::date::Date) -> String {
    format!("{d}T00:00:00+08:00")
}

fn atom(site: &Site, f: &Feed<'_>) -> String {
    let origin = super::origin(site);
    let abs = |rel: &str| format!("{origin}{}", site.href(rel));
    let entries: Vec<usize> = f.entries.iter().copied().take(ENTRIES).collect();
    // The newest entry's day: deterministic, unlike the time of the build.
    let updated = entries
        .iter()
        .filter_map(|&i| site.pages[i].date())
        .max()
        .map_or_else(|| "2000-01-01T00:00:00+08:00".to_string(), stamp);
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    s.push_str(&format!(
        "  <title>{}：{}</title>\n  <id>{}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        esc(&site.config.title),
        esc(&f.name),
        esc(&abs(&f.path)),
        esc(&abs(&f.path)),
        esc(&abs(&f.page)),
        esc(&site.config.organization),
    ));
    for i in entries {
        let p = &site.pages[i];
        let m = p.meta();
        let url = abs(&p.url);
        let when = p.date().map_or_else(|| updated.clone(), stamp);
        let mark = match p.validity {
            Validity::Effective => String::new(),
            v => format!("【已{}】", v.label()),
        };
        s.push_str(&format!(
            "  <entry>\n    <title>{mark}{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <published>{when}</published>\n    <updated>{when}</updated>\n    <author><name>{}</name></author>\n",
            esc(&m.title),
            esc(&url),
            esc(&url),
            esc(&p.publisher),
        ));
        if let Some(no) = m.index_no.as_deref().filter(|n| !n.is_empty()) {
            s.push_str(&format!(
                "    <category term=\"{}\" label=\"索引号\"/>\n",
                esc(no)
            ));
        }
        if p.validity != Validity::Effective {
            s.push_str(&format!(
                "    <category term=\"{}\" label=\"有效性\"/>\n",
                p.validity.label()
            ));
        }
        if let Some(summary) = m.summary.as_deref().filter(|t| !t.is_empty()) {
            s.push_str(&format!("    <summary>{}</summary>\n", esc(summary)));
        }
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}
