//! The preview's fast path: a site with a few pages edited, resolved again one by one against
//! the previous site instead of rebuilding the model of every page.
//!
//! It applies only when the edit cannot change what the cross-page rules decide: the pages
//! existed before and still resolve, with the same kind, URL, aliases, 索引号, `related:`,
//! `replaces:` and `repealed_by:`, and none is an annual report (whose tables are reconciled
//! with the other years'). The uniqueness rules and the links between pages then give what they
//! gave before (and the previous site had no error), so the related and succession links are
//! carried over; the listings are sorted again, since a date or title may have moved a page.

use std::sync::Arc;

use super::{ModelOptions, Site, resolve};
use crate::diagnostic::Diagnostics;
use crate::load::Source;
use crate::page::{Kind, Page};

impl Site {
    /// This site with the pages of `edited` (sources of pages it has, read again) resolved
    /// anew, their findings added to `diags`; `None` when the edit may change a cross-page
    /// rule's outcome, and [`Site::build_shared`] must decide.
    pub fn reresolve(
        &self,
        edited: &[Arc<Source>],
        opts: ModelOptions,
        diags: &mut Diagnostics,
    ) -> Option<Site> {
        let mut found = Diagnostics::default();
        let mut replaced = Vec::with_capacity(edited.len());
        // Whether a listing's order or membership may have changed (a body edit keeps them).
        let mut resort = false;
        for src in edited {
            let i = *self.by_rel.get(&src.rel)?;
            let old = &self.pages[i];
            if old.kind == Kind::Report || (src.meta.draft && !opts.drafts) {
                return None;
            }
            let mut page =
                resolve::resolve_page(Arc::clone(src), &self.config, &self.assets, &mut found)?;
            if !same_cross_page_keys(old, &page) {
                return None;
            }
            resort |= old.date() != page.date()
                || old.meta().title != page.meta().title
                || old.domains != page.domains
                || old.matter != page.matter;
            page.related.clone_from(&old.related);
            page.replaces.clone_from(&old.replaces);
            page.replaced_by.clone_from(&old.replaced_by);
            replaced.push((i, page));
        }
        // Pointers: the pages not edited are shared with the previous site.
        let mut pages = self.pages.clone();
        for (i, page) in replaced {
            pages[i] = Arc::new(page);
        }
        diags.extend(found);
        diags.sort();
        if resort {
            let mut site = Site::assemble(
                self.config.clone(),
                pages,
                self.by_rel.clone(),
                self.assets.clone(),
                self.asset_sizes.clone(),
            );
            site.content_dir.clone_from(&self.content_dir);
            return Some(site);
        }
        // The listings sort by kind, date, 索引号, title and path, and file by domain and
        // 事项: none of them changed.
        Some(Site {
            config: self.config.clone(),
            pages,
            by_rel: self.by_rel.clone(),
            assets: self.assets.clone(),
            asset_sizes: self.asset_sizes.clone(),
            news: self.news.clone(),
            reports: self.reports.clone(),
            standalone: self.standalone.clone(),
            domain_items: self.domain_items.clone(),
            matter_docs: self.matter_docs.clone(),
            content_dir: self.content_dir.clone(),
        })
    }
}

/// Whether `new` keeps everything of `old` the cross-page rules read (kinds, URLs, 索引号,
/// links to other pages).
fn same_cross_page_keys(old: &Page, new: &Page) -> bool {
    let (a, b) = (old.meta(), new.meta());
    old.kind == new.kind
        && new.kind != Kind::Report
        && old.url == new.url
        && a.aliases == b.aliases
        && a.index_no == b.index_no
        && a.related == b.related
        && a.replaces == b.replaces
        && a.repealed_by == b.repealed_by
}
