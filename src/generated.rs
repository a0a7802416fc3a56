//! The pages the generator makes itself rather than from one Markdown file: the home page, the
//! catalog and its domains, the news lists and archives, the reports index, 404, search, the
//! site map and the redirects of old URLs. Each knows its template, its URL ([`Generated::url`],
//! the only place a generated page's URL is made), its path and its context. Long lists (news,
//! a domain's documents) are split into pages by one paginator ([`page_count`], [`page_of`],
//! `Paginator`).

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::{Site, normalize_alias};
use crate::render::{self, NamedLink, Summary, Theme};
use crate::t;

/// A page the generator makes itself rather than from one Markdown file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Generated {
    /// The home page.
    Home,
    /// 基层政务公开标准目录.
    Catalog,
    /// One page (from 1) of a domain of the catalog (index into `site.config.domains`): its
    /// documents, `items_per_page` a page.
    Domain(usize, usize),
    /// The same domain's documents that are in force (`catalog/<slug>/effective/`).
    DomainEffective(usize),
    /// One page of the news list, numbered from 1.
    NewsList(usize),
    /// The news of one year (`news/2021/`): the archive by year.
    NewsYear(i32),
    /// The annual reports index.
    Reports,
    /// `404.html`.
    NotFound,
    /// The search page.
    Search,
    /// 网站地图: the human-readable site map (`sitemap/`).
    Sitemap,
    /// A redirect from an old URL (`aliases:`) to content page `page`.
    Alias {
        /// Index of the page redirected to.
        page: usize,
        /// The alias, normalised ([`normalize_alias`]).
        alias: String,
    },
}

impl Generated {
    /// The theme template it is rendered with.
    pub fn template(&self) -> &'static str {
        match self {
            Generated::Home => "index.html",
            Generated::Catalog => "catalog.html",
            Generated::Domain(..) => "domain.html",
            Generated::DomainEffective(_) => "domain_effective.html",
            Generated::NewsList(_) => "news_list.html",
            Generated::NewsYear(_) => "news_year.html",
            Generated::Reports => "reports.html",
            Generated::NotFound => "404.html",
            Generated::Search => "search.html",
            Generated::Sitemap => "sitemap.html",
            Generated::Alias { .. } => "redirect.html",
        }
    }

    /// What an editor calls it, for messages.
    pub fn label(&self, site: &Site) -> String {
        match self {
            Generated::Home => t!("generated.home"),
            Generated::Catalog => t!("generated.catalog"),
            Generated::Domain(d, 1) => {
                t!("generated.domain", name = site.config.domains[*d].name)
            }
            Generated::Domain(d, n) => {
                t!(
                    "generated.domain-page",
                    name = site.config.domains[*d].name,
                    n
                )
            }
            Generated::DomainEffective(d) => {
                t!(
                    "generated.domain-effective",
                    name = site.config.domains[*d].name
                )
            }
            Generated::NewsList(n) => t!("generated.news-list", n),
            Generated::NewsYear(y) => t!("generated.news-year", year = y),
            Generated::Reports => t!("generated.reports"),
            Generated::NotFound => t!("generated.not-found"),
            Generated::Search => t!("generated.search"),
            Generated::Sitemap => t!("generated.sitemap"),
            Generated::Alias { alias, .. } => t!("generated.alias", alias),
        }
    }

    /// Its URL relative to the site's base path (`catalog/social-assistance/page/2/`; the home
    /// page's is empty): the only place a generated page's URL is made.
    pub fn url(&self, site: &Site) -> String {
        let slug = |d: usize| &site.config.domains[d].slug;
        match self {
            Generated::Home => String::new(),
            Generated::Catalog => "catalog/".into(),
            Generated::Domain(d, 1) => format!("catalog/{}/", slug(*d)),
            Generated::Domain(d, n) => format!("catalog/{}/page/{n}/", slug(*d)),
            Generated::DomainEffective(d) => format!("catalog/{}/effective/", slug(*d)),
            Generated::NewsList(1) => "news/".into(),
            Generated::NewsList(n) => format!("news/page/{n}/"),
            Generated::NewsYear(y) => format!("news/{y}/"),
            Generated::Reports => "reports/".into(),
            Generated::NotFound => "404.html".into(),
            Generated::Search => "search/".into(),
            Generated::Sitemap => "sitemap/".into(),
            Generated::Alias { alias, .. } => alias.clone(),
        }
    }

    /// Its URL under the base path (`/yangyuan/catalog/`), for links.
    pub fn href(&self, site: &Site) -> String {
        site.href(&self.url(site))
    }

    /// Its path in the output folder.
    pub fn output(&self, site: &Site) -> String {
        let url = self.url(site);
        if url.is_empty() || url.ends_with('/') {
            format!("{url}index.html")
        } else {
            url
        }
    }
}

/// Pages of a list of `len` entries, `per` a page (at least one, which says the list is empty).
pub fn page_count(len: usize, per: usize) -> usize {
    len.div_ceil(per.max(1)).max(1)
}

/// The entries of `list` on page `n` (from 1), `per` a page.
pub fn page_of(list: &[usize], per: usize, n: usize) -> &[usize] {
    let per = per.max(1);
    let start = (n.saturating_sub(1) * per).min(list.len());
    &list[start..(start + per).min(list.len())]
}

/// Pages of domain `d`'s document list.
pub fn domain_page_count(site: &Site, d: usize) -> usize {
    page_count(site.domain_items[d].len(), site.config.items_per_page)
}

/// Every page of domain `d`'s document list.
pub fn domain_pages(site: &Site, d: usize) -> impl Iterator<Item = Generated> + use<> {
    (1..=domain_page_count(site, d)).map(move |n| Generated::Domain(d, n))
}

/// Every generated page of the site, in the order a build writes them.
pub fn generated_pages(site: &Site) -> Vec<Generated> {
    let mut out = vec![Generated::Home, Generated::Catalog];
    out.extend((0..site.config.domains.len()).flat_map(|d| domain_pages(site, d)));
    out.extend((0..site.config.domains.len()).map(Generated::DomainEffective));
    out.extend((1..=news_page_count(site)).map(Generated::NewsList));
    out.extend(news_years(site).into_iter().map(Generated::NewsYear));
    out.extend([
        Generated::Reports,
        Generated::NotFound,
        Generated::Search,
        Generated::Sitemap,
    ]);
    out.extend((0..site.pages.len()).flat_map(|i| aliases_of(site, i)));
    out
}

/// The redirect pages of content page `i`.
pub fn aliases_of(site: &Site, i: usize) -> Vec<Generated> {
    site.pages[i]
        .meta()
        .aliases
        .iter()
        .map(|a| Generated::Alias {
            page: i,
            alias: normalize_alias(a),
        })
        .collect()
}

/// The years that have news, newest first.
pub fn news_years(site: &Site) -> Vec<i32> {
    // `site.news` is newest first, undated last (`Page::newest_first_key`): the years are found
    // by jumping from each year's first item to the next year's, not by reading every item —
    // every news list page asks, and reading all news there made the list pages quadratic
    // (issue 13: 3,000 list pages × 60,000 news at 200,000 pages).
    let year = |i: usize| site.pages[i].date().map(|d| d.year);
    let mut years = Vec::new();
    let mut rest = &site.news[..];
    while let Some(y) = rest.first().and_then(|&i| year(i)) {
        years.push(y);
        rest = &rest[rest.partition_point(|&i| year(i).is_some_and(|z| z >= y))..];
    }
    years
}

/// The year archive links every news listing shows.
fn year_links(site: &Site, current: Option<i32>) -> Vec<PageLink> {
    news_years(site)
        .into_iter()
        .map(|y| PageLink {
            number: y as usize,
            url: Generated::NewsYear(y).href(site),
            current: current == Some(y),
        })
        .collect()
}

/// Pages of the news list (at least one, which says there is no news yet).
pub fn news_page_count(site: &Site) -> usize {
    page_count(site.news.len(), site.config.news_per_page)
}

/// The news (page indexes) on news list page `n` (from 1).
pub fn news_page(site: &Site, n: usize) -> &[usize] {
    page_of(&site.news, site.config.news_per_page, n)
}

/// Domain `d` of the catalog: its name and the URL of its (first) page.
pub fn domain_link(site: &Site, d: usize) -> NamedLink {
    NamedLink {
        name: site.config.domains[d].name.clone(),
        url: Generated::Domain(d, 1).href(site),
    }
}

/// 事项 `m` of the 标准目录: its title (一级 › 二级 › 三级) and the URL of its documents'
/// section on its domain's page.
pub fn matter_link(site: &Site, m: usize) -> NamedLink {
    let matter = &site.config.catalog.matters[m];
    NamedLink {
        name: matter.title(),
        url: format!(
            "{}#{}",
            Generated::Domain(matter.domain, 1).href(site),
            crate::catalog::view::anchor(&matter.id)
        ),
    }
}

/// Renders a generated page to HTML.
pub fn render_generated(
    site: &Site,
    theme: &Theme,
    g: &Generated,
) -> std::result::Result<String, Diagnostic> {
    render_generated_with(site, theme, g, None)
}

/// Page `i`'s listing view ([`render::summary`]) as a template value: the preview keeps them
/// between updates, since a listing of thousands (a year's news) spent most of its render
/// making them.
pub type SummaryValue<'a> = &'a (dyn Fn(usize) -> tera::Value + Sync);

/// [`render_generated`], the listings' entries taken from `cached` when given.
pub fn render_generated_with(
    site: &Site,
    theme: &Theme,
    g: &Generated,
    cached: Option<SummaryValue<'_>>,
) -> std::result::Result<String, Diagnostic> {
    let summaries = |ids: &[usize]| -> tera::Value {
        match cached {
            Some(value) => tera::Value::from(ids.iter().map(|&i| value(i)).collect::<Vec<_>>()),
            None => tera::Value::from_serializable(
                &ids.iter()
                    .map(|&i| render::summary(site, i))
                    .collect::<Vec<Summary>>(),
            ),
        }
    };
    let mut ctx = tera::Context::new();
    // The page's own address; a redirect page's is its target, and 404.html has none.
    let canonical = match g {
        Generated::Alias { page, .. } => render::canonical(site, &site.pages[*page].url),
        Generated::NotFound => String::new(),
        other => render::canonical(site, &other.url(site)),
    };
    ctx.insert("canonical", &canonical);
    match g {
        Generated::Home => {
            ctx.insert_value(
                "latest_news",
                summaries(&site.news[..site.news.len().min(8)]),
            );
            ctx.insert(
                "latest_report",
                &site.reports.first().map(|&i| render::summary(site, i)),
            );
            ctx.insert_value("pages", summaries(&site.standalone));
        }
        Generated::Catalog | Generated::NotFound | Generated::Search => {}
        Generated::Sitemap => {
            ctx.insert_value("pages", summaries(&site.standalone));
            ctx.insert_value("reports", summaries(&site.reports));
        }
        Generated::DomainEffective(d) => {
            ctx.insert("domain", &domain_link(site, *d));
            let effective: Vec<usize> = site.domain_items[*d]
                .iter()
                .copied()
                .filter(|&i| site.pages[i].validity == crate::front_matter::Validity::Effective)
                .collect();
            ctx.insert_value("items", summaries(&effective));
            ctx.insert("all_count", &site.domain_items[*d].len());
        }
        Generated::Domain(d, n) => {
            let (d, n) = (*d, *n);
            let dom = &site.config.domains[d];
            let all = &site.domain_items[d];
            ctx.insert("domain", &domain_link(site, d));
            ctx.insert("description", dom.description.as_deref().unwrap_or(""));
            ctx.insert_value(
                "items",
                summaries(page_of(all, site.config.items_per_page, n)),
            );
            ctx.insert("all_count", &all.len());
            ctx.insert("catalog", &crate::catalog::view::domain_table(site, d));
            let total = domain_page_count(site, d);
            let paginator = Paginator::new(n, total, |m| Generated::Domain(d, m).href(site));
            ctx.insert("paginator", &paginator);
        }
        Generated::NewsList(n) => {
            let n = *n;
            let total = news_page_count(site);
            ctx.insert_value("items", summaries(news_page(site, n)));
            ctx.insert("years", &year_links(site, None));
            let paginator = Paginator::new(n, total, |m| Generated::NewsList(m).href(site));
            ctx.insert("paginator", &paginator);
        }
        Generated::NewsYear(y) => {
            let ids: Vec<usize> = site
                .news
                .iter()
                .copied()
                .filter(|&i| site.pages[i].date().map(|d| d.year) == Some(*y))
                .collect();
            ctx.insert("year", y);
            ctx.insert_value("items", summaries(&ids));
            ctx.insert("years", &year_links(site, Some(*y)));
        }
        Generated::Reports => {
            let with_data = site.reports_with_data();
            let pairs: Vec<(&crate::report::ReportData, &str)> =
                with_data.iter().map(|(r, u)| (*r, u.as_str())).collect();
            ctx.insert_value("reports", summaries(&site.reports));
            ctx.insert("comparison", &crate::report::comparison_html(&pairs));
            ctx.insert(
                "all_years_csv",
                &if with_data.is_empty() {
                    String::new()
                } else {
                    site.href(crate::outputs::ALL_YEARS_CSV)
                },
            );
        }
        Generated::Alias { page, .. } => {
            let p = &site.pages[*page];
            ctx.insert("target", &site.href(&p.url));
            ctx.insert("title", &p.meta().title);
        }
    }
    theme.render(g.template(), &ctx, None)
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

/// Where page `current` of `total` stands among its siblings: what the templates show as
/// 上一页 / 1 … 4 5 6 7 8 … 120 / 下一页.
#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    /// The current page's own address.
    current_url: String,
    prev_url: Option<String>,
    next_url: Option<String>,
    /// The page numbers shown: the first, the last and [`PAGER_WINDOW`] on each side of the
    /// current one, in order; a gap between two of them is an entry with `gap` set.
    pages: Vec<PagerEntry>,
}

/// One entry of a paginator's page numbers.
#[derive(Serialize)]
struct PagerEntry {
    number: usize,
    url: String,
    current: bool,
    /// Stands for the numbers left out here (shown as “…”).
    gap: bool,
}

/// Page numbers shown on each side of the current one. Listing every number made each list page
/// grow with the site and the whole set quadratic (issue 13: 3,000 news list pages of 3,000
/// links each at 200,000 pages).
const PAGER_WINDOW: usize = 2;

impl Paginator {
    /// Page `current` of `total`; `url` gives page `m`'s address.
    fn new(current: usize, total: usize, url: impl Fn(usize) -> String) -> Paginator {
        let near =
            current.saturating_sub(PAGER_WINDOW).max(1)..=(current + PAGER_WINDOW).min(total);
        let mut numbers: Vec<usize> = std::iter::once(1)
            .chain(near)
            .chain(std::iter::once(total))
            .filter(|&m| m >= 1 && m <= total)
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut pages = Vec::with_capacity(numbers.len() + 2);
        let mut last = 0;
        for m in numbers {
            if m == last + 2 {
                // One number left out: show it rather than a gap of one.
                pages.push(PagerEntry::link(m - 1, url(m - 1), false));
            } else if m > last + 2 {
                pages.push(PagerEntry {
                    number: 0,
                    url: String::new(),
                    current: false,
                    gap: true,
                });
            }
            pages.push(PagerEntry::link(m, url(m), m == current));
            last = m;
        }
        Paginator {
            current,
            total,
            current_url: url(current),
            prev_url: (current > 1).then(|| url(current - 1)),
            next_url: (current < total).then(|| url(current + 1)),
            pages,
        }
    }
}

impl PagerEntry {
    fn link(number: usize, url: String, current: bool) -> Self {
        PagerEntry {
            number,
            url,
            current,
            gap: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers a paginator shows, `0` for a gap.
    fn shown(current: usize, total: usize) -> Vec<usize> {
        let p = Paginator::new(current, total, |m| format!("/news/page/{m}/"));
        assert_eq!(p.current_url, format!("/news/page/{current}/"));
        for e in &p.pages {
            assert_eq!(e.current, e.number == current && !e.gap);
            if !e.gap {
                assert_eq!(e.url, format!("/news/page/{}/", e.number));
            }
        }
        p.pages
            .iter()
            .map(|e| if e.gap { 0 } else { e.number })
            .collect()
    }

    #[test]
    fn a_paginator_shows_the_ends_and_a_window_around_the_current_page() {
        assert_eq!(shown(1, 1), [1]);
        assert_eq!(shown(4, 7), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(shown(1, 10), [1, 2, 3, 0, 10]);
        assert_eq!(shown(5, 10), [1, 2, 3, 4, 5, 6, 7, 0, 10]);
        assert_eq!(shown(6, 120), [1, 0, 4, 5, 6, 7, 8, 0, 120]);
        assert_eq!(shown(120, 120), [1, 0, 118, 119, 120]);
        // However long the list, a page shows at most nine entries.
        assert!((1..=3000).all(|c| shown(c, 3000).len() <= 9));
    }
}
