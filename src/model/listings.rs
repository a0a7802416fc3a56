//! The site's listings (news, items, reports and standalone pages in order, each domain's and
//! each 事项's documents): sorted once from all pages, and kept sorted after an edit by moving
//! only the edited pages ([`relisted`]), which gives exactly what sorting again would.

use std::cmp::Ordering;
use std::sync::Arc;

use super::Site;
use crate::page::{Kind, Page};

/// The order of news, items and each domain's and 事项's documents: newest first.
fn newest_first(pages: &[Arc<Page>], a: usize, b: usize) -> Ordering {
    pages[a]
        .newest_first_key()
        .cmp(&pages[b].newest_first_key())
}

/// The order of the reports: newest year first, then newest first.
fn reports_order(pages: &[Arc<Page>], a: usize, b: usize) -> Ordering {
    let key = |i: usize| {
        (
            std::cmp::Reverse(pages[i].report.as_ref().map(|r| r.year)),
            pages[i].newest_first_key(),
        )
    };
    key(a).cmp(&key(b))
}

/// Where page `i` stands in `list`, a listing of pages of `kind` (sorted in that kind's order):
/// found by halving, not by reading the list from the start (that made rendering every page's
/// neighbours quadratic: 0.8 G instructions at 50,000 pages). A list in any other order is
/// read from the start.
pub(super) fn position(pages: &[Arc<Page>], list: &[usize], kind: Kind, i: usize) -> Option<usize> {
    let order = if kind == Kind::Report {
        reports_order
    } else {
        newest_first
    };
    match list.binary_search_by(|&j| order(pages, j, i)) {
        Ok(k) if list[k] == i => Some(k),
        _ => list.iter().position(|&j| j == i),
    }
}

/// The listings of a site, as [`Site`] holds them.
pub(super) struct Listings {
    pub news: Vec<usize>,
    pub items: Vec<usize>,
    pub reports: Vec<usize>,
    pub standalone: Vec<usize>,
    pub domain_items: Vec<Vec<usize>>,
    pub matter_docs: Vec<Vec<usize>>,
}

/// Every listing of `pages`, sorted (`domains` and `matters`: how many the catalog has).
pub(super) fn sorted(pages: &[Arc<Page>], domains: usize, matters: usize) -> Listings {
    let of_kind =
        |k: Kind| -> Vec<usize> { (0..pages.len()).filter(|&i| pages[i].kind == k).collect() };
    // Stable sorts, in parallel (they were a serial stretch of the build, issue 13): the
    // order is `sort_by`'s. Each key is read once: comparing pages in place chased two
    // pointers a side into pages scattered in memory (4× the share of the CPU at 50,000 pages
    // that it had at 10,000).
    use rayon::prelude::*;
    let mut news = of_kind(Kind::News);
    news.par_sort_by_cached_key(|&i| pages[i].newest_first_key());
    let mut items = of_kind(Kind::Item);
    items.par_sort_by_cached_key(|&i| pages[i].newest_first_key());
    let mut reports = of_kind(Kind::Report);
    reports.sort_by(|&a, &b| reports_order(pages, a, b));
    let mut standalone = of_kind(Kind::Page);
    standalone.sort_by(|&a, &b| pages[a].source.rel.cmp(&pages[b].source.rel));
    let mut domain_items = vec![Vec::new(); domains];
    for &i in &items {
        for &d in &pages[i].domains {
            domain_items[d].push(i);
        }
    }
    let mut matter_docs = vec![Vec::new(); matters];
    for (i, p) in pages.iter().enumerate() {
        if let Some(m) = p.matter {
            matter_docs[m].push(i);
        }
    }
    // `items` is sorted: the domains' lists are too; the 事项's hold news as well.
    for list in &mut matter_docs {
        list.sort_by(|&a, &b| newest_first(pages, a, b));
    }
    Listings {
        news,
        items,
        reports,
        standalone,
        domain_items,
        matter_docs,
    }
}

/// `list` without the pages of `moved`, which are put back where `order` places them, each as
/// many times as `member` says (0: not listed).
fn reinsert(
    list: &mut Vec<usize>,
    moved: &[usize],
    member: impl Fn(usize) -> usize,
    order: impl Fn(usize, usize) -> Ordering,
) {
    list.retain(|j| !moved.contains(j));
    for &i in moved {
        for _ in 0..member(i) {
            let at = list.partition_point(|&j| order(j, i) == Ordering::Less);
            list.insert(at, i);
        }
    }
}

/// The listings of `old` after the pages `moved` (indexes, the same in both) changed their
/// sort keys, domains or 事项 (but not their kind or source path): `pages` are the new pages.
pub(super) fn relisted(old: &Site, pages: &[Arc<Page>], moved: &[usize]) -> Listings {
    let kind_is = |k: Kind| move |i: usize| usize::from(pages[i].kind == k);
    let mut news = old.news.clone();
    let mut items = old.items.clone();
    let mut reports = old.reports.clone();
    let mut domain_items = old.domain_items.clone();
    let mut matter_docs = old.matter_docs.clone();
    let newest = |a: usize, b: usize| newest_first(pages, a, b);
    reinsert(&mut news, moved, kind_is(Kind::News), newest);
    reinsert(&mut items, moved, kind_is(Kind::Item), newest);
    reinsert(&mut reports, moved, kind_is(Kind::Report), |a, b| {
        reports_order(pages, a, b)
    });
    // The domains and 事项 the moved pages were or are filed under.
    let filed = |s: &[Arc<Page>], i: usize| -> (Vec<usize>, Option<usize>) {
        let p = &s[i];
        let domains = if p.kind == Kind::Item {
            p.domains.clone()
        } else {
            Vec::new()
        };
        (domains, p.matter)
    };
    let mut domains: Vec<usize> = Vec::new();
    let mut matters: Vec<usize> = Vec::new();
    for &i in moved {
        for s in [&old.pages[..], pages] {
            let (d, m) = filed(s, i);
            domains.extend(d);
            matters.extend(m);
        }
    }
    domains.sort_unstable();
    domains.dedup();
    matters.sort_unstable();
    matters.dedup();
    for d in domains {
        let member = |i: usize| {
            let p = &pages[i];
            if p.kind == Kind::Item {
                p.domains.iter().filter(|&&e| e == d).count()
            } else {
                0
            }
        };
        reinsert(&mut domain_items[d], moved, member, newest);
    }
    for m in matters {
        let member = |i: usize| usize::from(pages[i].matter == Some(m));
        reinsert(&mut matter_docs[m], moved, member, newest);
    }
    Listings {
        news,
        items,
        reports,
        standalone: old.standalone.clone(),
        domain_items,
        matter_docs,
    }
}

#[cfg(test)]
mod tests {
    use crate::load::{SitePaths, load};
    use crate::model::{ModelOptions, Site};

    #[test]
    fn every_listed_page_is_found_where_it_stands() {
        let loaded = load(&SitePaths::new(std::path::Path::new(env!(
            "CARGO_MANIFEST_DIR"
        ))));
        let (site, _) = Site::build(loaded, ModelOptions::default());
        let site = site.expect("the example builds");
        let lists = [&site.news, &site.items, &site.reports];
        let mut seen = 0;
        for list in lists.into_iter().chain(&site.domain_items) {
            for (k, &i) in list.iter().enumerate() {
                assert_eq!(site.position_in(list, i), Some(k), "{}", site.pages[i].url);
                seen += 1;
            }
        }
        assert!(seen > 20, "{seen}");
        // A page that is not in the list is not found there.
        assert_eq!(site.position_in(&site.news[1..], site.news[0]), None);
        // The places remembered at the first question do not outlive a change of a listing (a
        // public field).
        let mut site = site;
        site.news.rotate_left(1);
        let news = site.news.clone();
        for (k, &i) in news.iter().enumerate() {
            assert_eq!(site.position_in(&news, i), Some(k));
        }
    }
}
