//! The listing view of each page ([`crate::render::summary`]) as a template value, kept between
//! updates: a front-matter edit of one news renders its year's archive again, thousands of
//! entries of which only the edited one changed (issue 13: at 50,000 pages making the entries
//! was most of an update).

use std::sync::{Arc, OnceLock};

use crate::model::Site;
use crate::page::Page;

/// Per page index, its summary once a listing needed it, with the page it was made from.
#[derive(Default)]
pub(super) struct SummaryCache {
    entries: Vec<OnceLock<(Arc<Page>, tera::Value)>>,
}

impl SummaryCache {
    /// Keeps the entries whose page `site` still has at the same index (the same shared page:
    /// a summary reads only its page and `site.yaml`, and a change of `site.yaml` renders
    /// everything with a new cache); forgets the others.
    pub(super) fn follow(&mut self, site: &Site) {
        self.entries.resize_with(site.pages.len(), OnceLock::new);
        for (entry, page) in self.entries.iter_mut().zip(&site.pages) {
            if entry.get().is_some_and(|(p, _)| !Arc::ptr_eq(p, page)) {
                entry.take();
            }
        }
    }

    /// The summary of page `i` of `site` (the site [`SummaryCache::follow`] was last given).
    pub(super) fn get(&self, site: &Site, i: usize) -> tera::Value {
        let (_, value) = self.entries[i].get_or_init(|| {
            (
                Arc::clone(&site.pages[i]),
                tera::Value::from_serializable(&crate::render::summary(site, i)),
            )
        });
        value.clone()
    }
}
