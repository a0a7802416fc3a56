//! The search index entry of a content page, from its rendered body.

use crate::markdown::Rendered;
use crate::model::Site;

/// The search index entry of content page `i`, taking the text and headings of its rendered
/// body rather than copying them (the same entry as [`search_doc`]).
pub(super) fn search_doc_owned(site: &Site, i: usize, body: Rendered) -> crate::search::SearchDoc {
    let mut doc = search_doc(site, i, &Rendered::default());
    doc.headings = body.headings.into_iter().map(|h| h.text).collect();
    doc.body = body.text;
    doc
}

/// What the site adds to its search index: the synonyms of `site.yaml` and the catalog order.
pub fn search_options(config: &crate::site_config::SiteConfig) -> crate::search::IndexOptions {
    crate::search::IndexOptions {
        synonyms: config.search.synonyms.clone(),
        domain_order: config.domains.iter().map(|d| d.name.clone()).collect(),
    }
}

/// The search index entry of content page `i`, from its rendered body.
pub fn search_doc(site: &Site, i: usize, body: &Rendered) -> crate::search::SearchDoc {
    let p = &site.pages[i];
    let m = p.meta();
    crate::search::SearchDoc {
        url: p.url.clone(),
        title: m.title.clone(),
        date: m.date.map(|d| d.to_string()),
        kind: p.kind.name().to_string(),
        kind_label: p.kind.label().to_string(),
        domains: site.domain_names(p),
        headings: body.headings.iter().map(|h| h.text.clone()).collect(),
        // Keywords (关键词) are searchable but rank below visible text.
        keywords: m.keywords.clone(),
        summary: m.summary.clone().unwrap_or_default(),
        body: body.text.clone(),
    }
}
