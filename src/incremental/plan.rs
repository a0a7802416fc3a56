//! The plan of an update: which content pages and listings show the changed files, and so
//! are rendered again.

use std::collections::BTreeSet;

use super::Built;
use crate::generated::{self, Generated};
use crate::model::Site;
use crate::page::Kind;

/// What an update renders.
pub(super) struct Plan {
    /// Content pages of the new site.
    pub(super) pages: BTreeSet<usize>,
    /// Listings and other generated pages.
    pub(super) generated: Vec<Generated>,
    /// The kinds of the changed pages whose front matter or URL changed, or that came or went:
    /// the registered outputs (feeds, site map, open data) show only what the front matter
    /// says, so a body edit affects none of them.
    pub(super) meta_kinds: BTreeSet<Kind>,
    /// A page appeared, vanished, moved or changed its date.
    pub(super) sitemap: bool,
}

/// Whether the page at `rel` is in both sites with the same URL, kind and front matter: only
/// its body changed, and what other pages, the listings, the outputs and the globals show of a
/// page (title, URL, date, 索引号, summary, links between pages, counts) all comes from those.
pub(super) fn body_only(old: &Site, site: &Site, rel: &str) -> bool {
    let page = |s: &Site| {
        s.by_rel
            .get(rel)
            .map(|&i| std::sync::Arc::clone(&s.pages[i]))
    };
    match (page(old), page(site)) {
        (Some(a), Some(b)) => {
            // The YAML text, not the parsed map: the loader keeps no map for a page that cannot
            // be a report (issue 13), so the map would miss a title edit.
            a.url == b.url
                && a.kind == b.kind
                && a.source.key_lines.text() == b.source.key_lines.text()
        }
        _ => false,
    }
}

/// Whether the globals (the navigation, the counts of items, news and each domain's documents
/// and 事项) stay as they were after the page at `rel` changed: it is in both sites, of the same
/// kind, filed under the same domains and 事项, and not a standalone page (the navigation
/// shows some by title).
pub(super) fn keeps_globals(old: &Site, site: &Site, rel: &str) -> bool {
    let (Some(&i), Some(&j)) = (old.by_rel.get(rel), site.by_rel.get(rel)) else {
        return false;
    };
    let (a, b) = (&old.pages[i], &site.pages[j]);
    a.kind == b.kind && a.kind != Kind::Page && a.domains == b.domains && a.matter == b.matter
}

/// The pages that show the changed files `dirty`: the changed pages themselves, the pages
/// related to them (before and after), the pages linking to a page or file that appeared,
/// vanished or moved, and the listings whose entries changed.
pub(super) fn plan(
    built: &Built,
    site: &Site,
    dirty: &BTreeSet<String>,
    counts_changed: bool,
) -> Plan {
    let old = &built.site;
    let mut pages = BTreeSet::new();
    let mut moved: BTreeSet<&str> = BTreeSet::new();
    // The kinds of the changed pages that are not body-only edits (before and after).
    let mut kinds = BTreeSet::new();
    // The changed pages whose entries in listings may have changed (not only their body).
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    let mut sitemap = false;
    let mut filed: BTreeSet<usize> = BTreeSet::new();
    // The years of the changed news, before and after: their archives list them.
    let mut news_years: BTreeSet<i32> = BTreeSet::new();
    for rel in dirty.iter().map(String::as_str) {
        if rel.starts_with("files/") {
            if old.assets.contains(rel) != site.assets.contains(rel)
                || old.asset_sizes.get(rel) != site.asset_sizes.get(rel)
            {
                moved.insert(rel);
            }
            continue;
        }
        let before = old.by_rel.get(rel).map(|&i| &old.pages[i]);
        let now = site.by_rel.get(rel).map(|&i| (i, &site.pages[i]));
        // Only its body changed: what other pages, the listings and the outputs show of a page
        // (title, URL, date, 索引号, summary, links between pages) all comes from its front
        // matter, so the page alone is rendered again.
        if let Some((i, _)) = now
            && body_only(old, site, rel)
        {
            pages.insert(i);
            continue;
        }
        listed.insert(rel);
        if let Some(p) = before {
            kinds.insert(p.kind);
            // Its old neighbours linked to it as 上一篇/下一篇.
            let oi = old.by_rel[rel];
            let near = crate::render::neighbour_pages(old, oi).into_iter();
            let near = near.map(|j| &old.pages[j].source.rel);
            pages.extend(near.filter_map(|r| site.by_rel.get(r).copied()));
            let rels = p
                .related
                .iter()
                .chain(&p.replaces)
                .chain(&p.replaced_by)
                .map(|&j| &old.pages[j].source.rel);
            pages.extend(rels.filter_map(|r| site.by_rel.get(r).copied()));
        }
        // A document filed under a 事项 shows on its domain's catalog table.
        let matter_domains = before
            .and_then(|p| p.matter.map(|m| old.config.catalog.matters[m].domain))
            .into_iter()
            .chain(now.and_then(|(_, p)| p.matter.map(|m| site.config.catalog.matters[m].domain)));
        filed.extend(matter_domains);
        if let Some((i, p)) = now {
            kinds.insert(p.kind);
            pages.insert(i);
            pages.extend(crate::render::neighbour_pages(site, i));
            pages.extend(
                p.related
                    .iter()
                    .chain(&p.replaces)
                    .chain(&p.replaced_by)
                    .copied(),
            );
        }
        let dated_news = before.into_iter().chain(now.map(|(_, p)| p));
        news_years.extend(
            dated_news
                .filter(|p| p.kind == Kind::News)
                .filter_map(|p| p.date().map(|d| d.year)),
        );
        if before.map(|p| &p.url) != now.map(|(_, p)| &p.url) {
            moved.insert(rel);
        }
        sitemap |= before.map(|p| (&p.url, p.date())) != now.map(|(_, p)| (&p.url, p.date()));
    }
    if !moved.is_empty() {
        for (rel, state) in &built.pages {
            if state.links_to.iter().any(|t| moved.contains(t.as_str())) {
                pages.extend(site.by_rel.get(rel).copied());
            }
        }
    }

    // A listing changes when its entries, their order or one of them changed. When the new
    // site was resolved again page by page, a page has the same index in both: the lists are
    // compared as numbers, not by reading every page's path (issue 13: milliseconds at 50,000
    // pages).
    let same_indexes = std::sync::Arc::ptr_eq(&old.by_rel, &site.by_rel);
    let listed_at: Vec<usize> = listed
        .iter()
        .filter_map(|r| site.by_rel.get(*r).copied())
        .collect();
    let list_changed = |a: &[usize], b: &[usize]| {
        if same_indexes {
            return a != b || listed_at.iter().any(|i| a.contains(i));
        }
        a.len() != b.len()
            || a.iter().zip(b).any(|(&i, &j)| {
                let rel = &old.pages[i].source.rel;
                rel != &site.pages[j].source.rel || listed.contains(rel.as_str())
            })
    };
    // The site map lists the standalone pages and reports by title (its counts are below).
    let mut generated = Vec::new();
    if !listed.is_empty() {
        generated.push(Generated::Home);
    }
    if kinds.contains(&Kind::Page) || kinds.contains(&Kind::Report) {
        generated.push(Generated::Sitemap);
    }
    if kinds.contains(&Kind::Report) {
        generated.push(Generated::Reports);
    }
    let domains = 0..site.config.domains.len();
    // Body edits alone change no listing: none is compared entry by entry.
    let lists = !listed.is_empty();
    // The pages of a domain whose entries changed; every page of it when its length changed
    // (each shows the count and the page numbers) or a 事项 filed in it changed (each shows
    // the catalog table with the documents filed under it).
    let per = site.config.items_per_page;
    for d in domains.clone() {
        let (a, b) = (&old.domain_items[d], &site.domain_items[d]);
        if filed.contains(&d) || a.len() != b.len() {
            generated.extend(generated::domain_pages(site, d));
        } else if lists {
            generated.extend(generated::domain_pages(site, d).filter(|g| match g {
                Generated::Domain(_, n) => list_changed(
                    generated::page_of(a, per, *n),
                    generated::page_of(b, per, *n),
                ),
                _ => false,
            }));
        }
    }
    // The site map lists every page of every domain.
    sitemap |= domains
        .clone()
        .any(|d| generated::domain_page_count(old, d) != generated::domain_page_count(site, d));
    let (old_news, new_news) = (
        generated::news_page_count(old),
        generated::news_page_count(site),
    );
    generated.extend(
        (1..=new_news)
            .filter(|&n| {
                old_news != new_news
                    || (lists
                        && list_changed(
                            generated::news_page(old, n),
                            generated::news_page(site, n),
                        ))
            })
            .map(Generated::NewsList),
    );
    // The archives of the changed news' years; every list page and archive when the years
    // changed (each shows the links to the years).
    if kinds.contains(&Kind::News) {
        let years = generated::news_years(site);
        if years != generated::news_years(old) {
            generated.extend((1..=new_news).map(Generated::NewsList));
            generated.extend(years.into_iter().map(Generated::NewsYear));
        } else {
            generated.extend(news_years.into_iter().map(Generated::NewsYear));
        }
    }
    if counts_changed {
        let readers = &built.count_readers.templates;
        let singles = [
            Generated::Home,
            Generated::Catalog,
            Generated::Reports,
            Generated::NotFound,
            Generated::Search,
            Generated::Sitemap,
        ];
        let all = singles
            .into_iter()
            .chain(
                domains
                    .clone()
                    .flat_map(|d| generated::domain_pages(site, d)),
            )
            .chain(domains.map(Generated::DomainEffective));
        generated.extend(all.filter(|g| readers.contains(g.template())));
    }
    // A domain's in-force view shows what its page shows, filtered.
    let effective: Vec<Generated> = generated
        .iter()
        .filter_map(|g| match g {
            Generated::Domain(d, _) => Some(Generated::DomainEffective(*d)),
            _ => None,
        })
        .collect();
    generated.extend(effective);
    generated.sort();
    generated.dedup();
    Plan {
        pages,
        generated,
        meta_kinds: kinds,
        sitemap,
    }
}
