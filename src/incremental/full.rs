//! The full render of the preview: everything into a staging folder, swapped in like `portal
//! build`, and the state the next incremental update starts from.

use std::time::Instant;

use super::summaries::SummaryCache;
use super::{Built, PageState, Session, Update, UpdateKind, changes::count_readers};
use crate::diagnostic::{Diagnostics, Error, Result};
use crate::generated::aliases_of;
use crate::model::Site;
use crate::pipeline::{self, WriteOptions};
use crate::render::{self, Theme};

impl Session {
    /// Renders everything into a staging folder and swaps it in, like `portal build` (the search
    /// index excepted: see [`Session::search_job`]).
    pub(super) fn render_all(
        &mut self,
        site: Site,
        mut diags: Diagnostics,
        started: Instant,
    ) -> Result<Update> {
        let theme = match Theme::load(&self.opts.root, &site) {
            Ok(t) => t,
            Err(ds) => {
                diags.extend(ds);
                return Err(Error::Content(diags));
            }
        };
        let target = &self.opts.output;
        let staging = pipeline::stage(target)?;
        let out = pipeline::write_all(
            &site,
            &theme,
            &staging,
            &self.opts.root,
            &WriteOptions::default(),
        )?;
        diags.extend(out.diagnostics);
        diags.sort();
        if diags.has_errors() {
            return Err(Error::Content(diags));
        }
        pipeline::publish(staging, target)?;
        let pages = out
            .records
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let mut files = r.files;
                files.extend(aliases_of(&site, i).iter().map(|g| g.output(&site)));
                (
                    site.pages[i].source.rel.clone(),
                    PageState::new(&site, i, files, r.body),
                )
            })
            .collect();
        let outputs = out.outputs.into_iter().collect();
        let built = Built {
            outputs,
            summaries: SummaryCache::default(),
            globals: render::globals(&site),
            count_readers: count_readers(&self.opts.root, &site.config),
            theme,
            site,
            pages,
        };
        let rendered_pages = built
            .site
            .pages
            .iter()
            .map(|p| p.source.rel.clone())
            .collect();
        self.built = Some(built);
        self.full_pending = false;
        self.dirty.clear();
        Ok(Update {
            kind: UpdateKind::Full,
            rendered: out.pages,
            removed: 0,
            warnings: diags,
            elapsed: started.elapsed(),
            pages: rendered_pages,
            phases: {
                self.laps.lap("full");
                self.laps.take()
            },
        })
    }
}
