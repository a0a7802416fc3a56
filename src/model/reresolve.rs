//! The preview's fast path: a site with a few pages edited, resolved again one by one against
//! the previous site instead of rebuilding the model of every page.
//!
//! It applies only when the edit cannot change what the cross-page rules decide: the pages
//! existed before and still resolve, with the same kind, URL, aliases, 索引号, `related:`,
//! `replaces:` and `repealed_by:`. The uniqueness rules and the links between pages then give
//! what they gave before (and the previous site had no error), so the related and succession
//! links are carried over. An edited annual report's tables are parsed again, and the reports
//! reconciled with each other again (a handful of pages). The edited pages whose date, title,
//! domains or 事项 changed are moved to their new places in the listings
//! ([`listings::relisted`]); nothing is sorted again.

use std::sync::Arc;

use super::{ModelOptions, Site, listings, reports, resolve};
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
        // The edited pages whose place in a listing may have changed (a body edit keeps it).
        let mut moved = Vec::new();
        let mut reports_changed = false;
        for src in edited {
            let i = *self.by_rel.get(&src.rel)?;
            let old = &self.pages[i];
            if src.meta.draft && !opts.drafts {
                return None;
            }
            let mut page =
                resolve::resolve_page(Arc::clone(src), &self.config, &self.assets, &mut found)?;
            if !same_cross_page_keys(old, &page) {
                return None;
            }
            if page.kind == Kind::Report {
                reports::attach_one(&mut page, &mut found);
                reports_changed |= old.report.is_some() || page.report.is_some();
            }
            let year = |p: &Page| p.report.as_ref().map(|r| r.year);
            if old.newest_first_key() != page.newest_first_key()
                || year(old) != year(&page)
                || old.domains != page.domains
                || old.matter != page.matter
            {
                moved.push(i);
            }
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
        if reports_changed {
            reports::reconcile_all(pages.iter().map(|p| &**p), &mut found);
        }
        diags.extend(found);
        diags.sort();
        let listings = listings::relisted(self, &pages, &moved);
        let mut site = Site::with_listings(
            self.config.clone(),
            pages,
            self.by_rel.clone(),
            self.assets.clone(),
            self.asset_sizes.clone(),
            listings,
        );
        site.content_dir.clone_from(&self.content_dir);
        Some(site)
    }
}

/// Whether `new` keeps everything of `old` the cross-page rules read (kinds, URLs, 索引号,
/// links to other pages).
fn same_cross_page_keys(old: &Page, new: &Page) -> bool {
    let (a, b) = (old.meta(), new.meta());
    old.kind == new.kind
        && old.url == new.url
        && a.aliases == b.aliases
        && a.index_no == b.index_no
        && a.related == b.related
        && a.replaces == b.replaces
        && a.repealed_by == b.repealed_by
}
