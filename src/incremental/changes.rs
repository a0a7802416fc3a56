//! Rendering only what shows a change: which content pages and listings (the plan), rendering
//! them in memory, and writing them out once nothing failed.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::Value;

use super::plan::{Plan, body_only, keeps_globals, plan};
use super::summaries::SummaryCache;
use super::{PageState, Session, Update, UpdateKind};
use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::generated::{self, Generated};
use crate::markdown::Rendered;
use crate::model::Site;
use crate::output;
use crate::pipeline::{self, OutFile};
use crate::render::{self, Globals, Theme};
use crate::site_config::SiteConfig;
use crate::t;

/// Which generated pages show item and news counts (`site.domains[].count`, `site.item_count`,
/// `site.news_count`), found by reading the theme's templates: adding or removing a page changes
/// the counts, and only these must be rendered again then.
#[derive(Debug, Default)]
pub(super) struct CountReaders {
    /// A content template, a partial or the base template reads them: every page shows them.
    everywhere: bool,
    /// Generated-page templates that read them.
    pub(super) templates: BTreeSet<String>,
}

pub(super) fn count_readers(root: &Path, config: &SiteConfig) -> CountReaders {
    const LISTINGS: &[&str] = &[
        "index.html",
        "catalog.html",
        "domain.html",
        "domain_effective.html",
        "news_list.html",
        "news_year.html",
        "reports.html",
        "404.html",
        "search.html",
        "sitemap.html",
    ];
    let dir = root.join("themes").join(&config.theme).join("templates");
    let mut out = CountReaders::default();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        out.everywhere = true;
        return out;
    };
    // The files `Theme::load` reads.
    let templates = entries.flatten().filter(|e| {
        e.path()
            .extension()
            .is_some_and(|x| x == "html" || x == "xml")
    });
    for e in templates {
        let name = e.file_name().to_string_lossy().into_owned();
        // A template that cannot be read is assumed to read everything: a wasted render at worst.
        let mentions = std::fs::read_to_string(e.path()).map_or(true, |t| t.contains("count"));
        if !mentions {
            continue;
        }
        if LISTINGS.contains(&name.as_str()) {
            out.templates.insert(name);
        } else {
            out.everywhere = true;
        }
    }
    out
}

/// The globals split into what every page shows (`base_path`, `site` without counts, `nav`) and
/// the item and news counts, which only some listings show.
fn split_counts(g: &Globals) -> (Value, Value) {
    let mut site = g.site.clone();
    let mut counts = Vec::new();
    if let Some(obj) = site.as_object_mut() {
        counts.push(obj.remove("item_count").unwrap_or_default());
        counts.push(obj.remove("news_count").unwrap_or_default());
        if let Some(Value::Array(domains)) = obj.get_mut("domains") {
            for d in domains {
                // `count` and the catalog's 事项 tallies change as documents come and go.
                for key in ["count", "matters_with_docs", "matter_docs"] {
                    counts.push(
                        d.as_object_mut()
                            .and_then(|o| o.remove(key))
                            .unwrap_or_default(),
                    );
                }
            }
        }
    }
    let layout = serde_json::json!({ "base_path": g.base_path, "site": site, "nav": g.nav });
    (layout, Value::Array(counts))
}

/// The files to write, and the new state of each content page rendered.
type Rendition = (Vec<(String, Vec<u8>)>, Vec<(String, PageState)>);

/// The bytes of a rendered file: HTML minified as `portal build` writes it.
fn bytes(file: OutFile) -> Vec<u8> {
    match file {
        OutFile::Html(html) => output::minify(&html),
        OutFile::Data(bytes) => bytes,
    }
}

/// A content page rendered for an update, with its redirect pages.
struct RenderedPage {
    i: usize,
    files: Vec<(String, Vec<u8>)>,
    body: Rendered,
    diagnostics: Vec<Diagnostic>,
}

/// Renders the plan in memory (so that a failure writes nothing); findings go to `warnings`.
/// The listings take their entries from `summaries` (which follows `site`).
fn render_plan(
    theme: &Theme,
    site: &Site,
    plan: &Plan,
    summaries: &SummaryCache,
    warnings: &mut Diagnostics,
) -> Rendition {
    let cached = |i: usize| summaries.get(site, i);
    let pages: Vec<RenderedPage> = plan
        .pages
        .par_iter()
        .map(|&i| {
            let out = pipeline::render_page(site, theme, i);
            let mut diagnostics = out.diagnostics;
            let mut files: Vec<(String, Vec<u8>)> = out
                .files
                .into_iter()
                .map(|(rel, f)| (rel, bytes(f)))
                .collect();
            for g in generated::aliases_of(site, i) {
                match generated::render_generated(site, theme, &g) {
                    Ok(html) => files.push((g.output(site), bytes(OutFile::Html(html)))),
                    Err(d) => diagnostics.push(d),
                }
            }
            RenderedPage {
                i,
                files,
                body: out.body,
                diagnostics,
            }
        })
        .collect();
    let generated: Vec<_> = plan
        .generated
        .par_iter()
        .map(|g| {
            generated::render_generated_with(site, theme, g, Some(&cached))
                .map(|html| (g.output(site), bytes(OutFile::Html(html))))
        })
        .collect();
    let mut writes = Vec::new();
    let mut states = Vec::with_capacity(pages.len());
    for RenderedPage {
        i,
        files,
        body,
        diagnostics,
    } in pages
    {
        warnings.extend(diagnostics);
        let rels = files.iter().map(|(rel, _)| rel.clone()).collect();
        writes.extend(files);
        states.push((
            site.pages[i].source.rel.clone(),
            PageState::new(site, i, rels, body),
        ));
    }
    for g in generated {
        match g {
            Ok(file) => writes.push(file),
            Err(d) => warnings.push(d),
        }
    }
    (writes, states)
}

impl Session {
    /// Renders only what shows the files in `self.dirty` (everything, if what every page shows
    /// changed).
    pub(super) fn render_changes(
        &mut self,
        site: Site,
        diags: Diagnostics,
        started: Instant,
    ) -> Result<Update> {
        let built = self
            .built
            .as_mut()
            .expect("render_changes follows a full render");
        // Edits that change no count and no standalone page leave the globals as they were
        // (computing them reads every page).
        let globals =
            if self.dirty.iter().all(|rel| {
                body_only(&built.site, &site, rel) || keeps_globals(&built.site, &site, rel)
            }) {
                built.globals.clone()
            } else {
                render::globals(&site)
            };
        let (layout, counts) = split_counts(&globals);
        let (old_layout, old_counts) = split_counts(&built.globals);
        let counts_changed = counts != old_counts;
        if layout != old_layout || (counts_changed && built.count_readers.everywhere) {
            return self.render_all(site, diags, started);
        }
        // Unconditionally: a failed update may have left other values in the theme.
        built.theme.set_globals(&globals);
        let plan = plan(built, &site, &self.dirty, counts_changed);
        self.laps.lap("plan");

        // The findings about the changed files, and those of the pages rendered.
        let shown: BTreeSet<PathBuf> = self
            .dirty
            .iter()
            .map(|r| self.paths.display(&self.paths.content.join(r)))
            .collect();
        let mut warnings = Diagnostics::default();
        warnings.extend(
            diags
                .into_iter()
                .filter(|d| d.file.as_ref().is_none_or(|f| shown.contains(f))),
        );
        built.summaries.follow(&site);
        // The registered outputs this edit affects are made while the pages render: the site
        // map of a date edit costs as much as the pages.
        let change = crate::outputs::Change {
            kinds: plan.meta_kinds.clone(),
            listed: plan.sitemap,
        };
        let ((mut writes, states), affected) = rayon::join(
            || render_plan(&built.theme, &site, &plan, &built.summaries, &mut warnings),
            || crate::outputs::render_affected(&site, &change),
        );
        self.laps.lap("render");
        warnings.sort();
        if warnings.has_errors() {
            return Err(Error::Content(warnings));
        }

        let old = &built.site;
        let mut removes: BTreeSet<String> = BTreeSet::new();
        // The outputs are written again, and what they no longer make (the all-years CSV once
        // no report has tables) removed.
        let mut output_paths = Vec::new();
        for (output, produced) in affected {
            let paths: Vec<String> = produced.iter().map(|(rel, _)| rel.clone()).collect();
            if let Some(before) = built.outputs.get(output.name) {
                removes.extend(before.iter().filter(|p| !paths.contains(p)).cloned());
            }
            writes.extend(produced);
            output_paths.push((output.name, paths));
        }
        self.laps.lap("outputs");
        let news_pages = generated::news_page_count(&site) + 1..=generated::news_page_count(old);
        removes.extend(news_pages.map(|n| Generated::NewsList(n).output(old)));
        for d in 0..site.config.domains.len() {
            let gone =
                generated::domain_page_count(&site, d) + 1..=generated::domain_page_count(old, d);
            removes.extend(gone.map(|n| Generated::Domain(d, n).output(old)));
        }
        let years_now = generated::news_years(&site);
        removes.extend(
            generated::news_years(old)
                .into_iter()
                .filter(|y| !years_now.contains(y))
                .map(|y| Generated::NewsYear(y).output(old)),
        );
        // What the pages rendered or gone wrote before and no longer write (an old slug, a
        // removed alias).
        let gone = self.dirty.iter().filter(|r| !site.by_rel.contains_key(*r));
        for rel in gone.chain(states.iter().map(|(r, _)| r)) {
            removes.extend(
                built
                    .pages
                    .get(rel)
                    .into_iter()
                    .flat_map(|st| st.files.iter().cloned()),
            );
        }
        for (rel, _) in &writes {
            removes.remove(rel);
        }
        let removed = write_out(
            &self.opts.output,
            &self.paths.content,
            &writes,
            &removes,
            &self.dirty,
            &site,
        )?;
        self.laps.lap("write");

        let rendered = states.len() + plan.generated.len();
        let rendered_pages: Vec<String> = states.iter().map(|(r, _)| r.clone()).collect();
        for rel in self.dirty.iter().filter(|r| !site.by_rel.contains_key(*r)) {
            built.pages.remove(rel);
        }
        built.pages.extend(states);
        built.outputs.extend(output_paths);
        built.globals = globals;
        let old_site = std::mem::replace(&mut built.site, site);
        // Freeing ten thousand pages takes milliseconds: not on the way to the reload.
        std::thread::spawn(move || drop(old_site));
        self.dirty.clear();
        Ok(Update {
            kind: UpdateKind::Pages,
            rendered,
            removed,
            warnings,
            elapsed: started.elapsed(),
            pages: rendered_pages,
            phases: {
                self.laps.lap("swap");
                self.laps.take()
            },
        })
    }
}

/// Removes `removes`, writes `writes`, and copies or removes the changed attachments among
/// `dirty`. Returns how many files were removed.
fn write_out(
    dir: &Path,
    content: &Path,
    writes: &[(String, Vec<u8>)],
    removes: &BTreeSet<String>,
    dirty: &BTreeSet<String>,
    site: &Site,
) -> Result<usize> {
    let fail = |what: &str, e: io::Error| {
        Error::io(t!("incremental.io-failed", folder = dir.display(), what), e)
    };
    let mut removed = 0;
    for rel in removes {
        removed += usize::from(
            output::remove_pruning(dir, rel)
                .map_err(|e| fail(&t!("incremental.remove-old-file"), e))?,
        );
    }
    // A file whose bytes did not change (a neighbour's page, the home page after a body edit)
    // is left alone: reading it back costs far less than replacing it, and a file of another
    // length is not read at all.
    writes
        .par_iter()
        .filter(|(rel, bytes)| {
            crate::safe_path::inside(dir, rel)
                .ok()
                .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() == bytes.len() as u64))
                .and_then(|p| std::fs::read(p).ok())
                .is_none_or(|old| old != *bytes)
        })
        .try_for_each(|(rel, bytes)| output::write_atomic(dir, rel, bytes))
        .map_err(|e| fail(&t!("incremental.write"), e))?;
    for rel in dirty.iter().filter(|r| r.starts_with("files/")) {
        if site.assets.contains(rel) {
            let bytes = std::fs::read(content.join(rel))
                .map_err(|e| Error::io(t!("incremental.read-failed", rel), e))?;
            output::write_atomic(dir, rel, &bytes)
                .map_err(|e| fail(&t!("incremental.copy-attachment"), e))?;
        } else {
            removed += usize::from(
                output::remove_pruning(dir, rel)
                    .map_err(|e| fail(&t!("incremental.remove-old-attachment"), e))?,
            );
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn a_file_is_replaced_only_when_its_bytes_change() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, _) = crate::pipeline::load_site(root, None, false);
        let site = site.expect("the example loads");
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        for name in ["same.html", "same-length.html", "longer.html"] {
            std::fs::write(d.join(name), b"abc").unwrap();
        }
        let inode = |name: &str| std::fs::metadata(d.join(name)).unwrap().ino();
        let before: Vec<u64> = ["same.html", "same-length.html", "longer.html"]
            .map(inode)
            .to_vec();
        let writes: Vec<(String, Vec<u8>)> = [
            ("same.html", "abc"),
            ("same-length.html", "abd"),
            ("longer.html", "abcd"),
            ("new.html", "x"),
        ]
        .iter()
        .map(|(n, b)| (n.to_string(), b.as_bytes().to_vec()))
        .collect();
        let none = BTreeSet::new();
        write_out(d, &root.join("content"), &writes, &none, &none, &site).unwrap();
        // The unchanged file is the very file it was; the others were replaced.
        assert_eq!(inode("same.html"), before[0]);
        assert_ne!(inode("same-length.html"), before[1]);
        assert_ne!(inode("longer.html"), before[2]);
        for (name, bytes) in &writes {
            assert_eq!(&std::fs::read(d.join(name)).unwrap(), bytes, "{name}");
        }
    }
}
