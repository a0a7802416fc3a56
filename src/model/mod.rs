//! The second stage: the loaded sources resolved into a consistent [`Site`] — kinds, URLs,
//! domains, defaults, cross-file rules (unique 索引号 and URLs, related pages, attachments) and
//! the annual reports' tables.
//!
//! Everything `portal build` rejects is decided here (or in the loader), so `portal check`
//! reuses exactly the same rules.

mod links;
mod listings;
mod reports;
mod reresolve;
mod resolve;
mod unique;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::diagnostic::Diagnostics;
use crate::load::{Loaded, Source};
use crate::page::{Kind, Page};
use crate::site_config::SiteConfig;

pub use resolve::normalize_alias;

/// The resolved site: what the renderer renders and the checker checks.
#[derive(Debug)]
pub struct Site {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// All pages (drafts only with `--drafts`), sorted by source path. Shared, so that the
    /// preview's next site ([`Site::reresolve`]) copies pointers, not pages.
    pub pages: Vec<Arc<Page>>,
    /// Source path (`news/x.md`) → page index (shared like the pages).
    pub by_rel: Arc<HashMap<String, usize>>,
    /// Attachments under `files/`.
    pub assets: BTreeSet<String>,
    /// Their sizes in bytes.
    pub asset_sizes: HashMap<String, u64>,
    /// News, newest first.
    pub news: Vec<usize>,
    /// Catalog items, newest first (the catalog's feed).
    pub items: Vec<usize>,
    /// Reports, newest year first.
    pub reports: Vec<usize>,
    /// Standalone pages, by title.
    pub standalone: Vec<usize>,
    /// Per domain (index of `config.domains`): its items, newest first.
    pub domain_items: Vec<Vec<usize>>,
    /// Per 事项 (index of `config.catalog.matters`): the items and news filed under it, newest
    /// first.
    pub matter_docs: Vec<Vec<usize>>,
    /// The `content/` folder the site was read from, where images are measured (their width
    /// and height go into the page); `None`: images are rendered without them.
    pub content_dir: Option<std::path::PathBuf>,
    /// Where each page stood in its 上一篇/下一篇 list when first asked ([`Site::position_in`]):
    /// a hint, checked on use: the listings are public fields, and a caller that changes one
    /// after the first question gets a search, never a wrong place.
    places: std::sync::OnceLock<Vec<u32>>,
}

/// Options of the model stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelOptions {
    /// Keep `draft: true` pages.
    pub drafts: bool,
}

impl Site {
    /// Builds the site from what was loaded. Returns the site (if `site.yaml` could be read) and
    /// the findings; the caller decides whether errors stop it.
    ///
    /// The whole front-matter mapping of a page that is not a report is emptied once the model
    /// is resolved: its typed keys are in `meta` and its lines in `key_lines`, only reports read
    /// the mapping again (their tables), and on a large site the mappings are megabytes that
    /// the rest of a build would carry for nothing.
    pub fn build(loaded: Loaded, opts: ModelOptions) -> (Option<Site>, Diagnostics) {
        let (mut site, diags) = Site::build_shared(
            loaded.config,
            loaded.sources,
            loaded.assets,
            loaded.asset_sizes,
            loaded.diagnostics,
            opts,
        );
        // In parallel: freeing 50,000 front matters on one thread was a serial stretch (issue 13).
        use rayon::prelude::*;
        let pages = site
            .as_mut()
            .map(|s| s.pages.as_mut_slice())
            .unwrap_or_default();
        pages.par_iter_mut().with_max_len(64).for_each(|p| {
            // A build's sources come from its own load and are not shared, so `get_mut`
            // succeeds; the preview server's shared sources go through `build_shared` and keep
            // their front matter.
            if let Some(p) = Arc::get_mut(p)
                && p.kind != Kind::Report
                && let Some(src) = Arc::get_mut(&mut p.source)
            {
                src.front_matter = serde_yaml::Mapping::new();
            }
        });
        (site, diags)
    }

    /// [`Site::build`] from sources shared with a cache (the preview server's), so that
    /// rebuilding the model after a save copies no text. `diagnostics` are the loader's findings.
    pub fn build_shared(
        config: Option<SiteConfig>,
        sources: Vec<Arc<Source>>,
        assets: Vec<String>,
        asset_sizes: HashMap<String, u64>,
        diagnostics: Diagnostics,
        opts: ModelOptions,
    ) -> (Option<Site>, Diagnostics) {
        let mut diags = diagnostics;
        let Some(config) = config else {
            return (None, diags);
        };
        let assets: BTreeSet<String> = assets.into_iter().collect();
        // In parallel: at 10,000 pages this was a serial stretch of the build (issue 13). Each
        // page's findings come back in the sources' order, as the serial loop gave them.
        use rayon::prelude::*;
        // (No `filter`: an indexed collect writes each result in place on its own thread.)
        let resolved: Vec<(Option<Page>, Diagnostics)> = sources
            .into_par_iter()
            .with_max_len(64)
            .map(|src| {
                let mut found = Diagnostics::default();
                let page = (!src.meta.draft || opts.drafts)
                    .then(|| resolve::resolve_page(src, &config, &assets, &mut found))
                    .flatten();
                (page, found)
            })
            .collect();
        let mut pages = Vec::with_capacity(resolved.len());
        for (page, found) in resolved {
            diags.extend(found.0);
            pages.extend(page);
        }
        pages.sort_by(|a, b| a.source.rel.cmp(&b.source.rel));
        let by_rel: HashMap<String, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.rel.clone(), i))
            .collect();

        unique::check_unique_index_no(&pages, &mut diags);
        unique::check_unique_urls(&pages, &mut diags);
        links::link_related(&mut pages, &by_rel, &mut diags);
        links::link_successions(&mut pages, &by_rel, &mut diags);
        reports::attach_reports(&mut pages, &mut diags);

        diags.sort();
        let pages: Vec<Arc<Page>> = pages.into_par_iter().map(Arc::new).collect();
        let listings = listings::sorted(&pages, config.domains.len(), config.catalog.matters.len());
        let site = Site::with_listings(
            config,
            pages,
            Arc::new(by_rel),
            assets,
            asset_sizes,
            listings,
        );
        (Some(site), diags)
    }

    /// The site of `pages` with the listings `l` (made for them).
    fn with_listings(
        config: SiteConfig,
        pages: Vec<Arc<Page>>,
        by_rel: Arc<HashMap<String, usize>>,
        assets: BTreeSet<String>,
        asset_sizes: HashMap<String, u64>,
        l: listings::Listings,
    ) -> Site {
        Site {
            config,
            pages,
            by_rel,
            assets,
            asset_sizes,
            news: l.news,
            items: l.items,
            reports: l.reports,
            standalone: l.standalone,
            domain_items: l.domain_items,
            matter_docs: l.matter_docs,
            content_dir: None,
            places: std::sync::OnceLock::new(),
        }
    }

    /// Where page `i` stands in `list`, one of this site's listings of pages of its kind.
    pub fn position_in(&self, list: &[usize], i: usize) -> Option<usize> {
        // Every page renders its neighbours: halving the list compares pages scattered in
        // memory (~2 % of a build's CPU at 10,000 pages); the places are read once instead.
        let places = self.places.get_or_init(|| {
            let mut at = vec![u32::MAX; self.pages.len()];
            // The first domain's list last: an item's 上一篇/下一篇 are those of its first domain.
            let lists = [&self.news, &self.reports]
                .into_iter()
                .chain(self.domain_items.iter().rev());
            for l in lists {
                for (k, &j) in l.iter().enumerate() {
                    at[j] = k as u32;
                }
            }
            at
        });
        match places.get(i).map(|&k| k as usize) {
            Some(k) if list.get(k) == Some(&i) => Some(k),
            _ => listings::position(&self.pages, list, self.pages[i].kind, i),
        }
    }

    /// The absolute URL path of a site-relative path, under the base path (`/yangyuan/news/x/`).
    pub fn href(&self, rel_url: &str) -> String {
        let mut out = String::with_capacity(self.config.base_url.len() + rel_url.len());
        crate::site_config::push_base_path(&self.config.base_url, &mut out);
        out.push_str(rel_url);
        out
    }

    /// The names of the domains page `p` is filed under, in its order.
    pub fn domain_names(&self, p: &Page) -> Vec<String> {
        p.domains
            .iter()
            .map(|&d| self.config.domains[d].name.clone())
            .collect()
    }

    /// Reports with tables, by year ascending, with their URLs.
    pub fn reports_with_data(&self) -> Vec<(&crate::report::ReportData, String)> {
        let mut with_data: Vec<(&crate::report::ReportData, String)> = self
            .reports
            .iter()
            .filter_map(|&i| {
                self.pages[i]
                    .report
                    .as_ref()
                    .map(|r| (&**r, self.href(&self.pages[i].url)))
            })
            .collect();
        with_data.sort_by_key(|(r, _)| r.year);
        with_data
    }

    /// Resolves a content path as editors write it in `related:` or links (`items/a/b.md`,
    /// `/items/a/b.md`, `content/items/a/b.md`) to a page index.
    pub fn page_by_content_path(&self, path: &str) -> Option<usize> {
        self.by_rel.get(normalize_content_path(path)).copied()
    }
}

/// Strips the leading `/` or `content/` editors may write.
pub fn normalize_content_path(path: &str) -> &str {
    let p = path.trim().trim_start_matches('/');
    p.strip_prefix("content/").unwrap_or(p)
}
