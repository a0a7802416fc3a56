//! Everything into a staging folder: content pages in parallel, generated pages, the registered
//! outputs ([`crate::outputs`]), attachments and the theme's static files, and the search index.

use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use super::OutFile;
use super::page::render_page_from;
use super::search_doc::{search_doc_owned, search_options};
use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::generated::{Generated, generated_pages, render_generated};
use crate::markdown::Rendered;
use crate::model::Site;
use crate::output::{Claimant, Staging};
use crate::render::Theme;
use crate::t;
use crate::timings::{Timing, Timings};

/// Renders and writes everything into `staging`, search index included. Returns (pages, other
/// files, findings). `site` keeps its pages' Markdown bodies; `portal build` uses
/// [`write_site_freeing`].
pub fn write_site(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    root: &Path,
) -> Result<(usize, usize, Vec<Diagnostic>)> {
    let out = write_all(site, theme, staging, root, &WriteOptions::build())?;
    Ok((out.pages, out.files, out.diagnostics))
}

/// [`write_site`], with the pages' Markdown bodies taken out of `site` and each freed as soon
/// as its page is rendered (issue 13: nothing per page outlives its own write but what the
/// listings need). `site` is left without them: a caller that renders again loads it again.
/// The bytes written are [`write_site`]'s; the result carries the phase timings too.
pub fn write_site_freeing(
    site: &mut Site,
    theme: &Theme,
    staging: &Staging,
    root: &Path,
) -> Result<SiteOutput> {
    let bodies: Vec<Option<String>> = site
        .pages
        .iter_mut()
        // A source shared elsewhere keeps its body (and the page reads it from there).
        .map(|p| {
            std::sync::Arc::get_mut(p)
                .and_then(|p| std::sync::Arc::get_mut(&mut p.source))
                // A body the loader left on disk is read again as its page is rendered.
                .filter(|s| !s.body_on_disk)
                .map(|s| std::mem::take(&mut s.body))
        })
        .collect();
    write_pages(site, theme, staging, root, &WriteOptions::build(), bodies)
}

/// What [`write_all`] wrote, with what a caller needs to update the output later page by page.
#[derive(Debug)]
pub struct SiteOutput {
    /// HTML pages written.
    pub pages: usize,
    /// Other files written or copied.
    pub files: usize,
    /// Findings of rendering (broken links, template errors).
    pub diagnostics: Vec<Diagnostic>,
    /// Per registered output ([`crate::outputs::REGISTRY`]): the files it wrote.
    pub outputs: Vec<(&'static str, Vec<String>)>,
    /// Per content page (same index as `site.pages`): the files it wrote, and its rendered body
    /// with the HTML dropped (the text, headings and links are what later updates need). When
    /// [`write_all`] wrote the search index, the bodies went into it and are empty here; so they
    /// are when [`WriteOptions::inspect`] saw them.
    pub records: Vec<PageRecord>,
    /// How long each phase of the write took (`portal build --timings`).
    pub timings: Vec<Timing>,
}

/// What one content page wrote, and its rendered body.
#[derive(Debug, Clone)]
pub struct PageRecord {
    /// Output paths relative to the output folder (`news/x/index.html`, `reports/2021/tables.json`).
    pub files: Vec<String>,
    /// The body, `html` emptied.
    pub body: Rendered,
}

/// A look at each content page as it is produced: its index, the Markdown it was rendered from
/// and its rendered body, HTML included (`portal check` runs its per-page rules there instead of
/// rendering every body a second time, and on the Markdown read again for the page when the
/// loader left it on disk).
pub type Inspect<'a> = &'a (dyn Fn(usize, &str, &Rendered) + Sync);

/// What [`write_all`] does besides writing the site.
#[derive(Clone, Copy, Default)]
pub struct WriteOptions<'a> {
    /// Write the search index too (the preview server writes it later, off the path between a
    /// save and the reload; a visiting staging area never gets one).
    pub search: bool,
    /// Called with each content page's Markdown and body as it is rendered. The records then
    /// keep no body ([`PageRecord::body`] is empty): the caller has seen each (issue 13: `portal
    /// check` held every page's text and links there until the last page was rendered).
    pub inspect: Option<Inspect<'a>>,
}

impl WriteOptions<'_> {
    /// What `portal build` writes: everything, search index included.
    pub fn build() -> Self {
        WriteOptions {
            search: true,
            inspect: None,
        }
    }
}

impl std::fmt::Debug for WriteOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteOptions")
            .field("search", &self.search)
            .field("inspect", &self.inspect.is_some())
            .finish()
    }
}

/// Renders and writes everything into `staging`, as `opts` says.
pub fn write_all(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    root: &Path,
    opts: &WriteOptions<'_>,
) -> Result<SiteOutput> {
    write_pages(
        site,
        theme,
        staging,
        root,
        opts,
        vec![None; site.pages.len()],
    )
}

/// [`write_all`], with each page's Markdown body either given (`Some`: taken out of the site,
/// freed once the page is rendered) or read from the site (`None`).
fn write_pages(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    root: &Path,
    opts: &WriteOptions<'_>,
    bodies: Vec<Option<String>>,
) -> Result<SiteOutput> {
    let mut timings = Timings::start();
    let search = opts.search;
    let diags = Mutex::new(Vec::new());
    let io_err = Mutex::new(None::<Error>);
    let write = |rel: &str, file: &OutFile, by: Claimant| {
        staging.claim(rel, by);
        let written = match file {
            OutFile::Html(html) => staging.write_html(rel, html),
            OutFile::Data(bytes) => staging.write(rel, bytes),
        };
        if let Err(e) = written {
            io_err
                .lock()
                .unwrap()
                .get_or_insert(Error::io(t!("pipeline.write-failed", rel), e));
        }
    };

    // The search index only needs each body's text and headings: when it is written here, they
    // move into its documents as each page is rendered instead of being kept in the records
    // and copied later, so the full build never holds every page's text twice.
    let index_search = search && !staging.is_visiting();
    // Each document is tokenized as its page is rendered and its text dropped (issue 13); the
    // spill file of its entries goes beside the staging folder, unlinked at once.
    let spill_dir = staging.dir.parent().unwrap_or(Path::new("."));
    let index = if index_search {
        let options = search_options(&site.config);
        let builder = crate::search::IndexBuilder::for_docs(spill_dir, &options, site.pages.len())
            .map_err(|e| Error::io(t!("pipeline.search-index-failed"), e))?;
        Some(builder)
    } else {
        None
    };

    // Everything but the content pages first: listings, domain pages, archives and alias pages
    // (in parallel: at 10k pages they are a tenth of the build's CPU time), the registered
    // outputs, attachments and the theme's files. `portal check` then finds the theme's links to
    // them resolved as each content page comes, and keeps none of them (issue 13).
    let generated = generated_pages(site);
    generated.par_iter().with_max_len(1).for_each(|g| {
        let by = match g {
            Generated::Alias { page, .. } => page_claimant(site, *page, "aliases"),
            other => Claimant::Generated(other.label(site)),
        };
        match render_generated(site, theme, g) {
            Ok(html) => write(&g.output(site), &OutFile::Html(html), by),
            Err(d) => diags.lock().unwrap().push(d),
        }
    });
    timings.lap("generated");
    let mut files = 0usize;
    let mut outputs = Vec::new();
    for (output, produced) in crate::outputs::render_all(site) {
        let mut paths = Vec::with_capacity(produced.len());
        for (rel, bytes) in produced {
            let by = Claimant::Generated(t!("pipeline.output-file", rel, output = output.name));
            write(&rel, &OutFile::Data(bytes), by);
            paths.push(rel);
            files += 1;
        }
        outputs.push((output.name, paths));
    }
    timings.lap("outputs");

    // Attachments are the ones the loader listed (links out of the site already refused there).
    let content = root.join("content");
    let copy_failed = |from: &Path, e: std::io::Error| {
        io_err.lock().unwrap().get_or_insert(Error::io(
            t!("pipeline.copy-failed", from = from.display()),
            e,
        ));
    };
    for rel in &site.assets {
        let from = content.join(rel);
        staging.claim(rel, Claimant::Copied(Path::new("content").join(rel)));
        match staging.copy_file(&from, rel) {
            Ok(()) => files += 1,
            Err(e) => copy_failed(&from, e),
        }
    }
    match staging.copy_tree(&theme.static_dir, "static", root) {
        Ok(n) => files += n,
        Err(e) => copy_failed(&theme.static_dir, e),
    }
    timings.lap("copy");
    // Content pages, in parallel; each page's files are written as soon as it is rendered.
    let paths = crate::load::SitePaths::new(root);
    // Small pieces of work: rayon's default splitting left one thread a last run of hundreds
    // of pages while the other waited (45 ms of a 10k build on one core, issue 13).
    let records: Vec<PageRecord> = bodies
        .into_par_iter()
        .enumerate()
        .with_max_len(PAGES_PER_JOB)
        .map(|(i, taken)| {
            let src = &site.pages[i].source;
            // The body taken out of the site, or the page's own (held, or read again from
            // its file: `load::body_of`, the one place a page's body is taken from).
            let markdown = match taken {
                Some(body) => std::borrow::Cow::Owned(body),
                None => match crate::load::body_of(src, &paths) {
                    Ok(body) => body,
                    Err(d) => {
                        // The build fails on this error; nothing of the page is written.
                        diags.lock().unwrap().push(d);
                        return PageRecord {
                            files: Vec::new(),
                            body: Rendered::default(),
                        };
                    }
                },
            };
            let markdown = markdown.as_ref();
            let out = match opts.inspect {
                Some(inspect) => {
                    render_page_from(site, theme, i, Some(markdown), |b| inspect(i, markdown, b))
                }
                None => render_page_from(site, theme, i, Some(markdown), |_| {}),
            };
            for (rel, file) in &out.files {
                write(rel, file, page_claimant(site, i, "slug"));
            }
            if !out.diagnostics.is_empty() {
                diags.lock().unwrap().extend(out.diagnostics);
            }
            let files = out.files.into_iter().map(|(rel, _)| rel).collect();
            if let Some(index) = &index {
                index.add(i as u32, search_doc_owned(site, i, out.body));
                PageRecord {
                    files,
                    body: Rendered::default(),
                }
            } else if opts.inspect.is_some() {
                PageRecord {
                    files,
                    body: Rendered::default(),
                }
            } else {
                PageRecord {
                    files,
                    body: out.body,
                }
            }
        })
        .collect();
    timings.lap("pages");
    let pages = site.pages.len() + generated.len();
    if index_search {
        // The index's own folders and manifest: nothing else may write there.
        for rel in SEARCH_INDEX_PATHS {
            staging.claim(rel, Claimant::Generated(t!("pipeline.search-index")));
        }
    }
    // The search index is data for search.js, not pages: `portal check` (a visiting staging
    // area) reads none of it, and it is the costliest part of the output. It is inverted and
    // written while the claims are checked for conflicts (that check alone was a serial
    // stretch of ~20 ms at 10,000 pages, issue 13); after a conflict it goes away unused with
    // the staging folder.
    let (conflicts, indexed) = rayon::join(
        || staging.conflicts(),
        || {
            index.map(|index| {
                let ix = index.finish()?;
                ix.write(&staging.dir.join("search"))
            })
        },
    );
    if !conflicts.is_empty() {
        // A conflicting write may also have failed ("Is a directory"): the conflict says why.
        let mut ds = Diagnostics::default();
        ds.extend(diags.into_inner().unwrap());
        ds.extend(conflicts);
        return Err(Error::Content(ds));
    }
    if let Some(stats) = indexed {
        let stats = stats.map_err(|e| Error::io(t!("pipeline.search-index-failed"), e))?;
        files += stats.files;
        timings.lap("search-index");
    }

    if let Some(e) = io_err.into_inner().unwrap() {
        return Err(e);
    }
    Ok(SiteOutput {
        pages,
        files,
        diagnostics: diags.into_inner().unwrap(),
        outputs,
        records,
        timings: timings.into_vec(),
    })
}

/// Content pages rendered as one piece of parallel work: small, so that both cores stay busy
/// until the last page, and large enough that splitting costs nothing measurable.
const PAGES_PER_JOB: usize = 4;

/// Paths under the output that the search index writes (its shard folders and manifest).
const SEARCH_INDEX_PATHS: &[&str] = &[
    "search/manifest.json",
    "search/terms/",
    "search/docs/",
    "search/facets/",
];

/// Content page `i` as the claimant of a path it writes through `key` (`slug` or `aliases`).
fn page_claimant(site: &Site, i: usize, key: &'static str) -> Claimant {
    let src = &site.pages[i].source;
    Claimant::Page {
        file: src.file.clone(),
        line: src.key_lines.line_of(&[key]),
        key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `dir`, relative path and bytes, sorted.
    fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let mut out: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn freeing_bodies_writes_the_same_bytes_and_leaves_no_body() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _) = crate::pipeline::load_site(root, None, false);
        let mut site = site.expect("the example site loads");
        let theme = Theme::load(root, &site).expect("theme loads");
        let tmp = tempfile::tempdir().unwrap();
        let kept = Staging::new(&tmp.path().join("kept")).unwrap();
        let freed = Staging::new(&tmp.path().join("freed")).unwrap();
        let a = write_site(&site, &theme, &kept, root).unwrap();
        assert!(site.pages.iter().any(|p| !p.source.body.is_empty()));
        let b = write_site_freeing(&mut site, &theme, &freed, root).unwrap();
        let b = (b.pages, b.files, b.diagnostics);
        assert_eq!((a.0, a.1), (b.0, b.1));
        assert_eq!(a.2.len(), b.2.len());
        assert!(site.pages.iter().all(|p| p.source.body.is_empty()));
        let (ka, fa) = (files(&kept.dir), files(&freed.dir));
        assert!(ka.len() > 10);
        assert_eq!(ka.len(), fa.len());
        for ((pa, ba), (pb, bb)) in ka.iter().zip(&fa) {
            assert_eq!(pa, pb);
            assert!(ba == bb, "{} differs", pa.display());
        }
    }

    #[test]
    fn inspect_sees_each_markdown_read_again_and_the_records_keep_no_body() {
        // `portal check` loads lean and runs its Markdown rules in `inspect`.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (full, _) = crate::pipeline::load_site(root, None, false);
        let full = full.expect("the example site loads");
        let (lean, _) = crate::pipeline::load_site_lean_within(root, None, false, 0);
        let lean = lean.expect("the example site loads lean");
        let theme = Theme::load(root, &lean).expect("theme loads");
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::new(&tmp.path().join("public")).unwrap();
        let seen = Mutex::new(vec![None; lean.pages.len()]);
        let inspect = |i: usize, markdown: &str, body: &Rendered| {
            seen.lock().unwrap()[i] = Some((markdown.to_string(), body.links.len()));
        };
        let opts = WriteOptions {
            search: false,
            inspect: Some(&inspect),
        };
        let out = write_all(&lean, &theme, &staging, root, &opts).unwrap();
        let seen = seen.into_inner().unwrap();
        assert!(lean.pages.iter().filter(|p| p.source.body_on_disk).count() > 10);
        for (i, p) in full.pages.iter().enumerate() {
            let (markdown, links) = seen[i].as_ref().expect("every page inspected");
            assert_eq!(markdown, &p.source.body, "{}", p.source.rel);
            assert_eq!(*links, full.render_body(i).links.len());
        }
        assert!(seen.iter().flatten().any(|(_, links)| *links > 0));
        assert!(out.records.iter().all(|r| r.body.links.is_empty()
            && r.body.headings.is_empty()
            && r.body.text.is_empty()));
    }

    #[test]
    fn bodies_left_on_disk_by_the_loader_give_the_same_bytes() {
        // A site whose bodies do not all fit the loader's budget (here: none) has the bodies of
        // all but the reports read again as each page is rendered.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _) = crate::pipeline::load_site(root, None, false);
        let site = site.expect("the example site loads");
        let (lean, _) = crate::pipeline::load_site_lean_within(root, None, false, 0);
        let mut lean = lean.expect("the example site loads lean");
        let on_disk = lean.pages.iter().filter(|p| p.source.body_on_disk).count();
        assert!(on_disk > 10, "only {on_disk} bodies left on disk");
        assert!(
            lean.pages
                .iter()
                .all(|p| !p.source.body_on_disk || p.source.body.is_empty())
        );
        let theme = Theme::load(root, &site).expect("theme loads");
        let tmp = tempfile::tempdir().unwrap();
        let kept = Staging::new(&tmp.path().join("kept")).unwrap();
        let reread = Staging::new(&tmp.path().join("reread")).unwrap();
        write_site(&site, &theme, &kept, root).unwrap();
        let out = write_site_freeing(&mut lean, &theme, &reread, root).unwrap();
        assert!(out.diagnostics.iter().all(|d| !d.is_error()));
        let (ka, fa) = (files(&kept.dir), files(&reread.dir));
        assert_eq!(ka.len(), fa.len());
        for ((pa, ba), (pb, bb)) in ka.iter().zip(&fa) {
            assert_eq!(pa, pb);
            assert!(ba == bb, "{} differs", pa.display());
        }
    }
}
