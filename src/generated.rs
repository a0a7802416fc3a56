//! The pages the generator makes itself rather than from one Markdown file: the home page, the
//! catalog and its domains, the news lists and archives, the reports index, 404, search, the
//! site map and the redirects of old URLs. Each knows its template, its path and its context.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::{Site, normalize_alias};
use crate::render::{self, NamedLink, Summary, Theme};

/// A page the generator makes itself rather than from one Markdown file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Generated {
    /// The home page.
    Home,
    /// 基层政务公开标准目录.
    Catalog,
    /// One domain of the catalog (index into `site.config.domains`).
    Domain(usize),
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
            Generated::Domain(_) => "domain.html",
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
            Generated::Home => "首页".into(),
            Generated::Catalog => "政务公开目录".into(),
            Generated::Domain(d) => format!("领域页「{}」", site.config.domains[*d].name),
            Generated::DomainEffective(d) => {
                format!("领域页「{}」现行有效文件", site.config.domains[*d].name)
            }
            Generated::NewsList(n) => format!("工作动态列表第 {n} 页"),
            Generated::NewsYear(y) => format!("{y} 年工作动态"),
            Generated::Reports => "年度报告列表".into(),
            Generated::NotFound => "404 页面".into(),
            Generated::Search => "搜索页".into(),
            Generated::Sitemap => "网站地图".into(),
            Generated::Alias { alias, .. } => format!("旧网址 /{alias}"),
        }
    }

    /// Its path in the output folder.
    pub fn output(&self, site: &Site) -> String {
        match self {
            Generated::Home => "index.html".into(),
            Generated::Catalog => "catalog/index.html".into(),
            Generated::Domain(d) => format!("catalog/{}/index.html", site.config.domains[*d].slug),
            Generated::DomainEffective(d) => {
                format!(
                    "catalog/{}/effective/index.html",
                    site.config.domains[*d].slug
                )
            }
            Generated::NewsList(1) => "news/index.html".into(),
            Generated::NewsList(n) => format!("news/page/{n}/index.html"),
            Generated::NewsYear(y) => format!("news/{y}/index.html"),
            Generated::Reports => "reports/index.html".into(),
            Generated::NotFound => "404.html".into(),
            Generated::Search => "search/index.html".into(),
            Generated::Sitemap => "sitemap/index.html".into(),
            Generated::Alias { alias, .. } if alias.ends_with(".html") => alias.clone(),
            Generated::Alias { alias, .. } => format!("{alias}index.html"),
        }
    }
}

/// Every generated page of the site, in the order a build writes them.
pub fn generated_pages(site: &Site) -> Vec<Generated> {
    let mut out = vec![Generated::Home, Generated::Catalog];
    out.extend((0..site.config.domains.len()).map(Generated::Domain));
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
    let mut years: Vec<i32> = site
        .news
        .iter()
        .filter_map(|&i| site.pages[i].date().map(|d| d.year))
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
}

/// The year archive links every news listing shows.
fn year_links(site: &Site, current: Option<i32>) -> Vec<PageLink> {
    news_years(site)
        .into_iter()
        .map(|y| PageLink {
            number: y as usize,
            url: site.href(&format!("news/{y}/")),
            current: current == Some(y),
        })
        .collect()
}

/// Pages of the news list (at least one, which says there is no news yet).
pub fn news_page_count(site: &Site) -> usize {
    site.news
        .len()
        .div_ceil(site.config.news_per_page.max(1))
        .max(1)
}

/// The news (page indexes) on news list page `n` (from 1).
pub fn news_page(site: &Site, n: usize) -> &[usize] {
    let per = site.config.news_per_page.max(1);
    let start = ((n - 1) * per).min(site.news.len());
    &site.news[start..(start + per).min(site.news.len())]
}

/// Domain `d` of the catalog: its name and the URL of its page.
fn domain_link(site: &Site, d: usize) -> NamedLink {
    let dom = &site.config.domains[d];
    NamedLink {
        name: dom.name.clone(),
        url: site.href(&format!("catalog/{}/", dom.slug)),
    }
}

/// Renders a generated page to HTML.
pub fn render_generated(
    site: &Site,
    theme: &Theme,
    g: &Generated,
) -> std::result::Result<String, Diagnostic> {
    let summaries =
        |ids: &[usize]| -> Vec<Summary> { ids.iter().map(|&i| render::summary(site, i)).collect() };
    let mut ctx = tera::Context::new();
    // The page's own address; a redirect page's is its target, and 404.html has none.
    let canonical = match g {
        Generated::Alias { page, .. } => render::canonical(site, &site.pages[*page].url),
        Generated::NotFound => String::new(),
        other => {
            let out = other.output(site);
            render::canonical(site, out.strip_suffix("index.html").unwrap_or(&out))
        }
    };
    ctx.insert("canonical", &canonical);
    match g {
        Generated::Home => {
            ctx.insert(
                "latest_news",
                &summaries(&site.news[..site.news.len().min(8)]),
            );
            ctx.insert(
                "latest_report",
                &site.reports.first().map(|&i| render::summary(site, i)),
            );
            ctx.insert("pages", &summaries(&site.standalone));
        }
        Generated::Catalog | Generated::NotFound | Generated::Search => {}
        Generated::Sitemap => {
            ctx.insert("pages", &summaries(&site.standalone));
            ctx.insert("reports", &summaries(&site.reports));
        }
        Generated::DomainEffective(d) => {
            ctx.insert("domain", &domain_link(site, *d));
            let effective: Vec<usize> = site.domain_items[*d]
                .iter()
                .copied()
                .filter(|&i| site.pages[i].validity == crate::front_matter::Validity::Effective)
                .collect();
            ctx.insert("items", &summaries(&effective));
            ctx.insert("all_count", &site.domain_items[*d].len());
        }
        Generated::Domain(d) => {
            let dom = &site.config.domains[*d];
            ctx.insert("domain", &domain_link(site, *d));
            ctx.insert("description", dom.description.as_deref().unwrap_or(""));
            ctx.insert("items", &summaries(&site.domain_items[*d]));
            ctx.insert("catalog", &crate::catalog::view::domain_table(site, *d));
        }
        Generated::NewsList(n) => {
            let n = *n;
            let total = news_page_count(site);
            let page_url = |m: usize| {
                if m == 1 {
                    site.href("news/")
                } else {
                    site.href(&format!("news/page/{m}/"))
                }
            };
            ctx.insert("items", &summaries(news_page(site, n)));
            ctx.insert("years", &year_links(site, None));
            ctx.insert(
                "paginator",
                &Paginator {
                    current: n,
                    total,
                    prev_url: (n > 1).then(|| page_url(n - 1)),
                    next_url: (n < total).then(|| page_url(n + 1)),
                    pages: (1..=total)
                        .map(|m| PageLink {
                            number: m,
                            url: page_url(m),
                            current: m == n,
                        })
                        .collect(),
                },
            );
        }
        Generated::NewsYear(y) => {
            let ids: Vec<usize> = site
                .news
                .iter()
                .copied()
                .filter(|&i| site.pages[i].date().map(|d| d.year) == Some(*y))
                .collect();
            ctx.insert("year", y);
            ctx.insert("items", &summaries(&ids));
            ctx.insert("years", &year_links(site, Some(*y)));
        }
        Generated::Reports => {
            let with_data = site.reports_with_data();
            let pairs: Vec<(&crate::report::ReportData, &str)> =
                with_data.iter().map(|(r, u)| (*r, u.as_str())).collect();
            ctx.insert("reports", &summaries(&site.reports));
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

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}
