//! `portal build`: the [`crate::pipeline`] from `content/` into a staging folder, swapped in as
//! the output folder on success.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::timings::{Timing, Timings};

use crate::diagnostic::{Diagnostics, Error, Result};
use crate::pipeline::{load_site_lean, publish, stage, write_site_freeing};
use crate::render::Theme;

/// Options of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (holds `content/` and `themes/`).
    pub root: PathBuf,
    /// Output folder (default `<root>/public`).
    pub output: Option<PathBuf>,
    /// Overrides `site.yaml`'s `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Replace an existing output folder even if it does not look like a previous output of
    /// portal ([`crate::output::check_target`]).
    pub force: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// HTML pages written.
    pub pages: usize,
    /// Other files written or copied.
    pub files: usize,
    /// Warnings.
    pub diagnostics: Diagnostics,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall and CPU time of each phase, in order (`portal build --timings`): `load`, `theme`,
    /// `generated` (listings, domain pages, archives, aliases), `outputs`, `copy` (attachments
    /// and the theme's files), `pages` (every content page rendered, written and tokenized for
    /// search, in parallel), `search-index` (the index assembled and written), `publish`.
    pub timings: Vec<Timing>,
}

/// Builds the site into its output folder.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let mut timings = Timings::start();
    let target = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"));
    // Before anything is read or written: an output over the sources would replace them.
    crate::output::check_target(&opts.root, &target, opts.force)
        .map_err(|d| Error::Content(Diagnostics(vec![d])))?;
    let (site, mut diags) = load_site_lean(&opts.root, opts.base_url.as_deref(), opts.drafts);
    let mut site = match site {
        Some(s) if !diags.has_errors() => s,
        _ => return Err(Error::Content(diags)),
    };
    timings.lap("load");
    let theme = match Theme::load(&opts.root, &site) {
        Ok(t) => t,
        Err(ds) => {
            diags.extend(ds);
            return Err(Error::Content(diags));
        }
    };
    let staging = stage(&target)?;
    timings.lap("theme");
    let written = write_site_freeing(&mut site, &theme, &staging, &opts.root)?;
    timings.extend(written.timings);
    diags.extend(written.diagnostics);
    diags.sort();
    if diags.has_errors() {
        return Err(Error::Content(diags));
    }
    publish(staging, &target)?;
    timings.lap("publish");
    crate::pipeline::drop_in_background((site, theme, written.records, written.outputs));
    Ok(BuildReport {
        pages: written.pages,
        files: written.files,
        diagnostics: diags,
        elapsed: started.elapsed(),
        timings: timings.into_vec(),
    })
}
