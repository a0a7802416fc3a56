//! The stages every command shares — load → model → render → write — as one pipeline: `portal
//! build` writes what it returns, `portal check` inspects each page as it is produced (into a
//! visiting staging area), and the preview server's incremental rebuild renders exactly what a
//! full build renders, only less of it. The commands sit above it; it never calls up into them.
//!
//! - [`load_site`]: read `content/`, apply a `--base-url` override, resolve the model;
//! - [`render_page`]: one content page (its HTML, a report's data files, its findings);
//! - [`write_all`]: every page, generated page, registered output and copied file, into a
//!   [`Staging`] folder ([`stage`], then [`publish`]).

mod page;
mod search_doc;
mod write;

use std::path::Path;

use crate::diagnostic::{Diagnostics, Error, Result};
use crate::load::{self, SitePaths};
use crate::model::{ModelOptions, Site};
use crate::output::Staging;
use crate::t;

pub use page::{
    PageOutput, broken_link_warning, link_warnings, render_body, render_page,
    render_page_inspecting, root_relative_warnings,
};
pub use search_doc::{search_doc, search_options};
pub use write::{
    Inspect, PageRecord, SiteOutput, WriteOptions, write_all, write_site, write_site_freeing,
};

/// Loads and resolves the site (the stages `build`, `check` and `serve` share).
pub fn load_site(root: &Path, base_url: Option<&str>, drafts: bool) -> (Option<Site>, Diagnostics) {
    site_from(load::load(&SitePaths::new(root)), root, base_url, drafts)
}

/// [`load_site`] for `portal build`: unless all of them fit [`load::KEPT_BODIES_BUDGET`], the
/// pages' bodies stay on disk until [`write_site_freeing`] or [`write_all`] renders them
/// ([`load::load_lean`]).
pub fn load_site_lean(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
) -> (Option<Site>, Diagnostics) {
    load_site_lean_within(root, base_url, drafts, load::KEPT_BODIES_BUDGET)
}

/// [`load_site_lean`] keeping at most `budget` bytes of bodies ([`load::load_lean_within`]).
pub fn load_site_lean_within(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    budget: usize,
) -> (Option<Site>, Diagnostics) {
    site_from(
        load::load_lean_within(&SitePaths::new(root), budget),
        root,
        base_url,
        drafts,
    )
}

/// Drops the Markdown bodies `site` still holds (a report's, which the model reads): each is read
/// again from its file when its page is rendered, as [`load_site_lean`] left the others (`portal
/// check` renders every page once, after the model is built). A page shared elsewhere keeps
/// its body.
pub fn leave_bodies_on_disk(site: &mut Site) {
    for p in &mut site.pages {
        if let Some(src) = std::sync::Arc::get_mut(p)
            .and_then(|p| std::sync::Arc::get_mut(&mut p.source))
            .filter(|s| !s.body_on_disk)
        {
            load::leave_body_on_disk(src);
        }
    }
}

fn site_from(
    mut loaded: load::Loaded,
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
) -> (Option<Site>, Diagnostics) {
    let paths = SitePaths::new(root);
    if let (Some(cfg), Some(url)) = (loaded.config.as_mut(), base_url) {
        cfg.base_url = url.to_string();
    }
    let (mut site, diags) = Site::build(loaded, ModelOptions { drafts });
    if let Some(s) = site.as_mut() {
        s.content_dir = Some(paths.content);
    }
    (site, diags)
}

/// Drops `value` on a thread of its own. A build's site, theme and page records are freed piece
/// by piece (tens of thousands of strings: ~10–20 ms at 10,000 pages, on one core, issue 13);
/// the command need not wait for that before it reports and exits.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("portal-drop".into())
        .spawn(move || drop(value));
    // Without a thread the value was dropped with the closure that could not run.
    let _ = spawned;
}

/// A staging folder beside `target`; the error names the folder.
pub fn stage(target: &Path) -> Result<Staging> {
    Staging::new(target)
        .map_err(|e| Error::io(t!("pipeline.stage-failed", folder = target.display()), e))
}

/// Swaps `staging` in as `target`; the error names the folder.
pub fn publish(staging: Staging, target: &Path) -> Result<()> {
    staging
        .commit()
        .map_err(|e| Error::io(t!("pipeline.publish-failed", folder = target.display()), e))
}

/// A file of the output, as rendered.
#[derive(Debug, Clone)]
pub enum OutFile {
    /// An HTML page, minified when written.
    Html(String),
    /// Anything else, written as it is.
    Data(Vec<u8>),
}
