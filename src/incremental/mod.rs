//! Incremental rebuilds, for the preview server.
//!
//! A [`Session`] keeps every parsed source, the resolved site, the theme and, per page, the files
//! it wrote and where its links point. After a save it re-reads only the files that changed,
//! rebuilds the model from the cached sources (the model stage is cheap next to reading and
//! rendering), and renders only what can show the change: the page itself, the pages related to
//! it or linking to it (when its URL appeared, vanished or moved), and the listings it is on
//! (home, news list pages, its domains, the reports index). A change of the theme, of
//! `site.yaml`, or of what every page shows (the navigation) renders everything again.
//!
//! Output goes straight into the preview folder, each file replaced atomically; a full render
//! goes through a staging folder like `portal build`. A failed update writes nothing: the preview
//! keeps the last good output, and the next update starts from it again.

mod changes;
mod full;
mod plan;
mod search;
mod summaries;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::links::{LinkPath, link_path};
use crate::load::{self, SharedParsed, SitePaths};
use crate::markdown::Rendered;
use crate::model::{ModelOptions, Site};
use crate::pipeline;
use crate::render::{Globals, Theme};
use crate::site_config::SiteConfig;
use crate::timings::{Timing, Timings};

use changes::CountReaders;
pub use search::{FreshIndex, SearchJob, prepare_search_index, prepare_search_index_with};

/// What a [`Session`] builds, and where.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// Site root (holds `content/` and `themes/`).
    pub root: PathBuf,
    /// The folder the site is written to (the preview's own, never `public/`).
    pub output: PathBuf,
    /// Serve under this origin (`http://127.0.0.1:1111`) instead of `base_url`'s, keeping its
    /// sub-path, so that the preview's absolute links lead back to the preview.
    pub origin: Option<String>,
    /// Include drafts.
    pub drafts: bool,
}

/// How much an update rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateKind {
    /// Nothing that is part of the site changed (an editor's temporary file, another theme).
    Unchanged,
    /// Only the pages that show the change were rendered.
    Pages,
    /// Everything was rendered.
    Full,
}

/// What a successful update did.
#[derive(Debug)]
pub struct Update {
    /// How much was rendered.
    pub kind: UpdateKind,
    /// HTML pages rendered (content and generated).
    pub rendered: usize,
    /// Output files removed (pages that vanished or moved).
    pub removed: usize,
    /// Warnings: all of them after a full render, else those about the changed files and the
    /// pages rendered.
    pub warnings: Diagnostics,
    /// Wall time.
    pub elapsed: Duration,
    /// Source paths (`news/a.md`) of the content pages rendered: every page after a full
    /// render. The preview checks these again for the findings panel.
    pub pages: Vec<String>,
    /// Where the wall time went, phase by phase in order (`read`, `model`, `plan`, `render`,
    /// `outputs`, `write`, `swap`; `full` for a whole render): for benchmarks and traces.
    pub phases: Vec<Timing>,
}

/// Size and modification time: enough to tell whether a rescan must read a file again.
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

fn parse(rel: &str, path: &Path, shown: &Path) -> SharedParsed {
    load::shared(load::load_one(rel, path, shown))
}

struct FileState {
    stamp: Stamp,
    parsed: SharedParsed,
}

/// What one content page wrote and what it links to.
struct PageState {
    /// Output files, the redirect pages of its aliases included.
    files: Vec<String>,
    /// Content paths its links point at (`items/a/b.md`, `files/x.pdf`), resolved or not.
    links_to: Vec<String>,
    /// The rendered body without its HTML, for the search index.
    body: Arc<Rendered>,
}

impl PageState {
    fn new(site: &Site, i: usize, files: Vec<String>, mut body: Rendered) -> PageState {
        let rel = &site.pages[i].source.rel;
        let mut links_to: Vec<String> = body
            .links
            .iter()
            .filter_map(|l| match link_path(rel, &l.dest) {
                LinkPath::Content { path, .. } => Some(path),
                _ => None,
            })
            .collect();
        // Attachments show their size: a changed file renders the page again.
        links_to.extend(
            site.pages[i]
                .meta()
                .attachments
                .iter()
                .map(|a| crate::model::normalize_content_path(&a.file).to_string()),
        );
        links_to.sort_unstable();
        links_to.dedup();
        body.html = String::new();
        PageState {
            files,
            links_to,
            body: Arc::new(body),
        }
    }
}

/// The state of the last good output.
struct Built {
    site: Site,
    theme: Theme,
    globals: Globals,
    count_readers: CountReaders,
    pages: HashMap<String, PageState>,
    /// Per registered output, the files it wrote.
    outputs: HashMap<&'static str, Vec<String>>,
    /// The listing views of the pages, as the listings rendered so far made them.
    summaries: summaries::SummaryCache,
}

/// A site kept in memory between builds of the preview.
pub struct Session {
    opts: SessionOptions,
    paths: SitePaths,
    config: Option<SiteConfig>,
    config_diags: Vec<Diagnostic>,
    files: BTreeMap<String, FileState>,
    assets: BTreeMap<String, Stamp>,
    walk_diags: Vec<Diagnostic>,
    /// The next build renders everything (first build, theme or `site.yaml` changed).
    full_pending: bool,
    /// Content paths (`news/a.md`, `files/x.pdf`) changed since the last good build.
    dirty: BTreeSet<String>,
    built: Option<Built>,
    /// The phases of the update under way.
    laps: Timings,
}

/// What a path in a change notification is.
enum Touched {
    Markdown(String),
    Asset(String),
    Config,
    Theme,
    /// A folder appeared, vanished or moved: list `content/` again.
    Rescan,
    Ignored,
}

impl Session {
    /// Reads the site (nothing is rendered yet: call [`Session::update`]).
    pub fn new(mut opts: SessionOptions) -> Session {
        // Change notifications carry absolute paths; compare them with absolute paths.
        opts.root = std::fs::canonicalize(&opts.root).unwrap_or(opts.root);
        let paths = SitePaths::new(&opts.root);
        let mut s = Session {
            opts,
            paths,
            config: None,
            config_diags: Vec::new(),
            files: BTreeMap::new(),
            assets: BTreeMap::new(),
            walk_diags: Vec::new(),
            full_pending: true,
            dirty: BTreeSet::new(),
            built: None,
            laps: Timings::start(),
        };
        s.reload_config();
        s.rescan();
        s
    }

    /// The folder the site is written to.
    pub fn output(&self) -> &Path {
        &self.opts.output
    }

    /// The site root, made absolute.
    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The sub-path the site lives under (`/yangyuan/`), from `site.yaml`; `/` while it cannot
    /// be read.
    pub fn base_path(&self) -> String {
        self.config
            .as_ref()
            .map_or_else(|| "/".to_string(), SiteConfig::base_path)
    }

    /// Brings the output up to date after the files at `changed` (absolute paths; files or
    /// folders, created, modified or removed) changed. With no paths, renders what is pending
    /// (everything, the first time).
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update> {
        let started = Instant::now();
        self.laps = Timings::start();
        let mut relevant = changed.is_empty();
        let mut rescan = false;
        for path in changed {
            match self.classify(path) {
                Touched::Markdown(rel) => self.reread(rel),
                Touched::Asset(rel) => {
                    let st = stamp(&self.paths.content.join(&rel));
                    match st {
                        Some(_) => self.assets.insert(rel.clone(), st),
                        None => self.assets.remove(&rel),
                    };
                    self.dirty.insert(rel);
                }
                Touched::Config => {
                    self.reload_config();
                    self.full_pending = true;
                }
                Touched::Theme => self.full_pending = true,
                Touched::Rescan => rescan = true,
                Touched::Ignored => continue,
            }
            relevant = true;
        }
        if rescan {
            self.rescan();
        }
        // A folder event whose listing found nothing new, say.
        let nothing_new = self.dirty.is_empty() && !self.full_pending && self.built.is_some();
        if !relevant || nothing_new {
            return Ok(Update {
                kind: UpdateKind::Unchanged,
                rendered: 0,
                removed: 0,
                warnings: Diagnostics::default(),
                elapsed: started.elapsed(),
                pages: Vec::new(),
                phases: self.laps.take(),
            });
        }
        self.laps.lap("read");
        let (site, diags) = match self.reresolved() {
            Some(fast) => fast,
            None => self.model(),
        };
        self.laps.lap("model");
        let site = match site {
            Some(s) if !diags.has_errors() => s,
            _ => return Err(Error::Content(diags)),
        };
        // An alias claims a URL that a listing, an asset or another page may own: only the full
        // render checks every claim (as `portal build` does), so an edited page with aliases
        // takes it. Aliases are rare; the pages without them keep the fast path.
        let claims_urls = self
            .dirty
            .iter()
            .filter_map(|r| site.by_rel.get(r))
            .any(|&i| !site.pages[i].meta().aliases.is_empty());
        if self.full_pending || self.built.is_none() || claims_urls {
            return self.render_all(site, diags, started);
        }
        self.render_changes(site, diags, started)
    }

    fn classify(&self, path: &Path) -> Touched {
        let Ok(rel) = path.strip_prefix(&self.paths.content) else {
            let themes = self.opts.root.join("themes");
            return match (path.strip_prefix(&themes), &self.config) {
                (Ok(inner), Some(c)) if !inner.starts_with(&c.theme) => Touched::Ignored,
                (Ok(inner), _) if load::is_ignored(&inner.to_string_lossy().replace('\\', "/")) => {
                    Touched::Ignored
                }
                (Ok(_), _) => Touched::Theme,
                (Err(_), _) => Touched::Ignored,
            };
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.is_empty() {
            return Touched::Rescan;
        }
        if load::is_ignored(&rel) {
            return Touched::Ignored;
        }
        // The catalog files are read with site.yaml: a change reloads both.
        if rel == "site.yaml" || (rel.starts_with("catalog/") && !path.is_dir()) {
            return Touched::Config;
        }
        // A link that leads out of the site is the walk's to refuse, with its error.
        if path.is_dir()
            || (path.exists() && !crate::safe_path::resolves_inside(path, &self.opts.root))
        {
            return Touched::Rescan;
        }
        let under = format!("{rel}/");
        let first_md = self.files.range(under.clone()..).next().map(|(k, _)| k);
        let first_asset = self.assets.range(under.clone()..).next().map(|(k, _)| k);
        if first_md
            .into_iter()
            .chain(first_asset)
            .any(|k| k.starts_with(&under))
        {
            // A folder we had files in vanished or moved.
            return Touched::Rescan;
        }
        if rel.starts_with("files/") {
            Touched::Asset(rel)
        } else if rel.ends_with(".md") {
            Touched::Markdown(rel)
        } else {
            Touched::Ignored
        }
    }

    fn reload_config(&mut self) {
        let (config, diags) = load::load_config(&self.paths);
        self.config = config.map(|mut c| {
            if let Some(origin) = &self.opts.origin {
                c.base_url = format!("{}{}", origin.trim_end_matches('/'), c.base_path());
            }
            c
        });
        self.config_diags = diags;
    }

    fn reread(&mut self, rel: String) {
        let path = self.paths.content.join(&rel);
        match stamp(&path) {
            None => {
                self.files.remove(&rel);
            }
            st => {
                let parsed = parse(&rel, &path, &self.paths.display(&path));
                self.files
                    .insert(rel.clone(), FileState { stamp: st, parsed });
            }
        }
        self.dirty.insert(rel);
    }

    /// Lists `content/` again; reads the Markdown files that are new or whose size or time
    /// changed, forgets the ones that are gone.
    fn rescan(&mut self) {
        let walked = load::walk(&self.paths);
        self.walk_diags = walked.diagnostics;

        let assets: BTreeMap<String, Stamp> = walked
            .assets
            .into_iter()
            .map(|a| {
                let st = stamp(&self.paths.content.join(&a));
                (a, st)
            })
            .collect();
        for (a, st) in &assets {
            if self.assets.get(a) != Some(st) {
                self.dirty.insert(a.clone());
            }
        }
        for a in self.assets.keys().filter(|a| !assets.contains_key(*a)) {
            self.dirty.insert(a.clone());
        }
        self.assets = assets;

        let present: BTreeSet<&str> = walked
            .markdown
            .iter()
            .map(|(rel, _)| rel.as_str())
            .collect();
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|k| !present.contains(k.as_str()))
            .cloned()
            .collect();
        for rel in gone {
            self.files.remove(&rel);
            self.dirty.insert(rel);
        }
        let read: Vec<(String, FileState)> = walked
            .markdown
            .par_iter()
            .filter_map(|(rel, path)| {
                let st = stamp(path);
                if self
                    .files
                    .get(rel)
                    .is_some_and(|f| f.stamp == st && st.is_some())
                {
                    return None;
                }
                Some((
                    rel.clone(),
                    FileState {
                        stamp: st,
                        parsed: parse(rel, path, &self.paths.display(path)),
                    },
                ))
            })
            .collect();
        for (rel, f) in read {
            self.dirty.insert(rel.clone());
            self.files.insert(rel, f);
        }
    }

    /// The model from the cached sources (shared, not copied).
    fn model(&self) -> (Option<Site>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(self.config_diags.iter().cloned());
        diagnostics.extend(self.walk_diags.iter().cloned());
        let mut sources = Vec::with_capacity(self.files.len());
        for f in self.files.values() {
            match &f.parsed {
                Ok((src, warnings)) => {
                    diagnostics.extend(warnings.iter().cloned());
                    sources.push(Arc::clone(src));
                }
                Err(ds) => diagnostics.extend(ds.iter().cloned()),
            }
        }
        let assets = self.assets.keys().cloned().collect();
        let sizes = self
            .assets
            .iter()
            .map(|(a, st)| (a.clone(), st.map_or(0, |(_, len)| len)))
            .collect();
        let (mut site, diagnostics) = Site::build_shared(
            self.config.clone(),
            sources,
            assets,
            sizes,
            diagnostics,
            ModelOptions {
                drafts: self.opts.drafts,
            },
        );
        if let Some(s) = site.as_mut() {
            s.content_dir = Some(self.paths.content.clone());
        }
        (site, diagnostics)
    }

    /// The model after an edit of pages the last good build has, resolved again page by page
    /// against its site ([`Site::reresolve`]); `None` when that does not apply (a file came,
    /// went or failed to parse, an attachment, the theme or `site.yaml` changed, or the edit may
    /// change a cross-page rule), and [`Session::model`] rebuilds the whole model.
    fn reresolved(&self) -> Option<(Option<Site>, Diagnostics)> {
        let built = self.built.as_ref().filter(|_| !self.full_pending)?;
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(self.config_diags.iter().cloned());
        diagnostics.extend(self.walk_diags.iter().cloned());
        let mut edited = Vec::with_capacity(self.dirty.len());
        for rel in &self.dirty {
            let Ok((src, warnings)) = &self.files.get(rel)?.parsed else {
                return None;
            };
            diagnostics.extend(warnings.iter().cloned());
            edited.push(Arc::clone(src));
        }
        // The findings of the other files that name no file: `model` would report them too.
        for (rel, f) in &self.files {
            if let Ok((_, warnings)) = &f.parsed
                && warnings.iter().any(|d| d.file.is_none())
                && !self.dirty.contains(rel)
            {
                diagnostics.extend(warnings.iter().filter(|d| d.file.is_none()).cloned());
            }
        }
        let opts = ModelOptions {
            drafts: self.opts.drafts,
        };
        let site = built.site.reresolve(&edited, opts, &mut diagnostics)?;
        Some((Some(site), diagnostics))
    }

    /// What `portal check` finds on each of the content pages `rels` of the latest good build
    /// (its per-page rules: metadata, 索引号, links, images, Markdown pitfalls), by the page's
    /// URL path under the base path (`/yangyuan/news/a/`), judged on `as_of`.
    pub fn findings(
        &self,
        rels: &[String],
        as_of: crate::date::Date,
    ) -> Vec<(String, Vec<Diagnostic>)> {
        let Some(built) = &self.built else {
            return Vec::new();
        };
        let site = &built.site;
        rels.par_iter()
            .filter_map(|rel| site.by_rel.get(rel).copied())
            .map(|i| {
                let url = site.href(&site.pages[i].url);
                (
                    url,
                    crate::check::page_findings(site, i, &self.paths, as_of),
                )
            })
            .collect()
    }

    /// What the search index needs, taken from the last good build (cheap: the bodies are
    /// shared); `None` before the first good build. Turn it into documents with
    /// [`SearchJob::into_docs`] on another thread.
    pub fn search_job(&self) -> Option<SearchJob> {
        let built = self.built.as_ref()?;
        let empty = Rendered::default();
        let mut docs = Vec::with_capacity(built.site.pages.len());
        let mut bodies = Vec::with_capacity(built.site.pages.len());
        for (i, p) in built.site.pages.iter().enumerate() {
            let body = built.pages.get(&p.source.rel)?;
            docs.push(pipeline::search_doc(&built.site, i, &empty));
            bodies.push(Arc::clone(&body.body));
        }
        Some(SearchJob {
            docs,
            bodies,
            options: pipeline::search_options(&built.site.config),
        })
    }
}
