//! A page of the model: one Markdown source with its kind, URL and resolved metadata.

use std::sync::Arc;

use crate::date::Date;
use crate::front_matter::{Disclosure, Meta, Validity};
use crate::load::Source;

/// What a page is; decides its URL, template and required keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 政府信息公开工作年度报告
    Report,
    /// 工作动态
    News,
    /// 公开事项 (filed in the catalog)
    Item,
    /// A standalone page (信息公开指南 …)
    Page,
}

impl Kind {
    /// The kind a folder implies: the first path segment under `content/`.
    pub fn from_rel(rel: &str) -> Kind {
        match rel.split('/').next() {
            Some("reports") => Kind::Report,
            Some("news") => Kind::News,
            Some("items") => Kind::Item,
            _ => Kind::Page,
        }
    }

    /// Parses a `kind:` override.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "report" => Some(Kind::Report),
            "news" => Some(Kind::News),
            "item" => Some(Kind::Item),
            "page" => Some(Kind::Page),
            _ => None,
        }
    }

    /// Machine name (`news`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::News => "news",
            Kind::Item => "item",
            Kind::Page => "page",
        }
    }

    /// Chinese label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Report => "年度报告",
            Kind::News => "工作动态",
            Kind::Item => "公开事项",
            Kind::Page => "页面",
        }
    }

    /// Does this kind need `date`?
    pub fn needs_date(self) -> bool {
        !matches!(self, Kind::Page)
    }

    /// Does this kind need `index_no`?
    pub fn needs_index_no(self) -> bool {
        matches!(self, Kind::Report | Kind::Item)
    }
}

/// A page of the site, resolved against `site.yaml` and the other pages.
#[derive(Debug, Clone)]
pub struct Page {
    /// The parsed file (shared with the preview server's cache of sources).
    pub source: Arc<Source>,
    /// Its kind.
    pub kind: Kind,
    /// Site-relative URL path without leading slash, ending in `/`: `news/2021-03-01-x/`.
    pub url: String,
    /// Indexes into `SiteConfig::domains`.
    pub domains: Vec<usize>,
    /// 发布机构 (the site's organization unless given).
    pub publisher: String,
    /// 有效性, defaulted.
    pub validity: Validity,
    /// 公开方式, defaulted.
    pub disclosure: Disclosure,
    /// Indexes of related pages (both directions, deduplicated, sorted).
    pub related: Vec<usize>,
    /// Indexes of the documents this one replaces (`replaces:`, or their `repealed_by:`).
    pub replaces: Vec<usize>,
    /// Indexes of the documents that replaced this one (the other direction).
    pub replaced_by: Vec<usize>,
    /// The annual report's tables, for reports that carry them (boxed: inline they made every
    /// page 360 bytes larger, 17 MB at 50,000 pages; issue 13).
    pub report: Option<Box<crate::report::ReportData>>,
    /// Its 事项 in the catalog (index into `site.config.catalog.matters`).
    pub matter: Option<usize>,
}

impl Page {
    /// The contract keys.
    pub fn meta(&self) -> &Meta {
        &self.source.meta
    }

    /// 公开日期.
    pub fn date(&self) -> Option<Date> {
        self.source.meta.date
    }

    /// Sort key: newest first; items of one day by 索引号, then by title and path so ties are
    /// deterministic.
    pub fn newest_first_key(&self) -> (std::cmp::Reverse<Option<Date>>, &str, &str, &str) {
        (
            std::cmp::Reverse(self.date()),
            self.source.meta.index_no.as_deref().unwrap_or(""),
            self.source.meta.title.as_str(),
            self.source.rel.as_str(),
        )
    }
}

/// The last URL segment of a source: its `slug:` or its file stem.
pub fn slug_of(src: &Source) -> String {
    if let Some(s) = &src.meta.slug {
        return s.trim_matches('/').to_string();
    }
    let name = src.rel.rsplit('/').next().unwrap_or(&src.rel);
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

/// The URL of a source of kind `kind`.
pub fn url_of(src: &Source, kind: Kind) -> String {
    let slug = slug_of(src);
    match kind {
        Kind::News => format!("news/{slug}/"),
        Kind::Report => format!("reports/{slug}/"),
        Kind::Item => {
            // Keep the folders below items/ so that items/<domain>/x.md lands in its domain.
            let mut segs: Vec<&str> = src.rel.split('/').collect();
            segs.pop();
            if segs.first() == Some(&"items") {
                segs.remove(0);
            }
            let mut url = String::from("items/");
            for s in segs {
                url.push_str(s);
                url.push('/');
            }
            url.push_str(&slug);
            url.push('/');
            url
        }
        Kind::Page => format!("{slug}/"),
    }
}

/// Top-level URL segments the generator writes itself; a page may not take them.
pub const RESERVED: &[&str] = &[
    "catalog",
    "news",
    "reports",
    "items",
    "search",
    "static",
    "files",
    "404.html",
    "sitemap.xml",
    "sitemap",
];
