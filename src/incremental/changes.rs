//! Rendering only what shows a change: which content pages and listings (the plan), rendering
//! them in memory, and writing them out once nothing failed.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::Value;

use super::summaries::SummaryCache;
use super::{Built, PageState, Session, Update, UpdateKind};
use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::generated::{self, Generated};
use crate::markdown::Rendered;
use crate::model::Site;
use crate::output;
use crate::page::Kind;
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
    templates: BTreeSet<String>,
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

/// What an update renders.
struct Plan {
    /// Content pages of the new site.
    pages: BTreeSet<usize>,
    /// Listings and other generated pages.
    generated: Vec<Generated>,
    /// The kinds of the changed pages whose front matter or URL changed, or that came or went:
    /// the registered outputs (feeds, site map, open data) show only what the front matter
    /// says, so a body edit affects none of them.
    meta_kinds: BTreeSet<Kind>,
    /// A page appeared, vanished, moved or changed its date.
    sitemap: bool,
}

/// Whether the page at `rel` is in both sites with the same URL, kind and front matter: only
/// its body changed, and what other pages, the listings, the outputs and the globals show of a
/// page (title, URL, date, 索引号, summary, links between pages, counts) all comes from those.
fn body_only(old: &Site, site: &Site, rel: &str) -> bool {
    let page = |s: &Site| {
        s.by_rel
            .get(rel)
            .map(|&i| std::sync::Arc::clone(&s.pages[i]))
    };
    match (page(old), page(site)) {
        (Some(a), Some(b)) => {
            // The YAML text, not the parsed map: the loader keeps only the `date` key of a page
            // that cannot be a report (issue 13), so the map would miss a title edit.
            a.url == b.url
                && a.kind == b.kind
                && a.source.key_lines.text() == b.source.key_lines.text()
        }
        _ => false,
    }
}

/// Whether the globals (the navigation, the counts of items, news and each domain's documents
/// and 事项) stay as they were after the page at `rel` changed: it is in both sites, of the same
/// kind, filed under the same domains and 事项, and not a standalone page (the navigation
/// shows some by title).
fn keeps_globals(old: &Site, site: &Site, rel: &str) -> bool {
    let (Some(&i), Some(&j)) = (old.by_rel.get(rel), site.by_rel.get(rel)) else {
        return false;
    };
    let (a, b) = (&old.pages[i], &site.pages[j]);
    a.kind == b.kind && a.kind != Kind::Page && a.domains == b.domains && a.matter == b.matter
}

/// The pages that show the changed files `dirty`: the changed pages themselves, the pages
/// related to them (before and after), the pages linking to a page or file that appeared,
/// vanished or moved, and the listings whose entries changed.
fn plan(built: &Built, site: &Site, dirty: &BTreeSet<String>, counts_changed: bool) -> Plan {
    let old = &built.site;
    let mut pages = BTreeSet::new();
    let mut moved: BTreeSet<&str> = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut meta_kinds = BTreeSet::new();
    // The changed pages whose entries in listings may have changed (not only their body).
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    let mut sitemap = false;
    let mut filed: BTreeSet<usize> = BTreeSet::new();
    // The years of the changed news, before and after: their archives list them.
    let mut news_years: BTreeSet<i32> = BTreeSet::new();
    for rel in dirty.iter().map(String::as_str) {
        if rel.starts_with("files/") {
            if old.assets.contains(rel) != site.assets.contains(rel)
                || old.asset_sizes.get(rel) != site.asset_sizes.get(rel)
            {
                moved.insert(rel);
            }
            continue;
        }
        let before = old.by_rel.get(rel).map(|&i| &old.pages[i]);
        let now = site.by_rel.get(rel).map(|&i| (i, &site.pages[i]));
        // Only its body changed: what other pages, the listings and the outputs show of a page
        // (title, URL, date, 索引号, summary, links between pages) all comes from its front
        // matter, so the page alone is rendered again.
        if let Some((i, _)) = now
            && body_only(old, site, rel)
        {
            pages.insert(i);
            continue;
        }
        listed.insert(rel);
        if let Some(p) = before {
            kinds.insert(p.kind);
            // Its old neighbours linked to it as 上一篇/下一篇.
            let oi = old.by_rel[rel];
            let near = crate::render::neighbour_pages(old, oi).into_iter();
            let near = near.map(|j| &old.pages[j].source.rel);
            pages.extend(near.filter_map(|r| site.by_rel.get(r).copied()));
            let rels = p
                .related
                .iter()
                .chain(&p.replaces)
                .chain(&p.replaced_by)
                .map(|&j| &old.pages[j].source.rel);
            pages.extend(rels.filter_map(|r| site.by_rel.get(r).copied()));
        }
        // A document filed under a 事项 shows on its domain's catalog table.
        let matter_domains = before
            .and_then(|p| p.matter.map(|m| old.config.catalog.matters[m].domain))
            .into_iter()
            .chain(now.and_then(|(_, p)| p.matter.map(|m| site.config.catalog.matters[m].domain)));
        filed.extend(matter_domains);
        if let Some((i, p)) = now {
            kinds.insert(p.kind);
            pages.insert(i);
            pages.extend(crate::render::neighbour_pages(site, i));
            pages.extend(
                p.related
                    .iter()
                    .chain(&p.replaces)
                    .chain(&p.replaced_by)
                    .copied(),
            );
        }
        meta_kinds.extend(
            before
                .into_iter()
                .chain(now.map(|(_, p)| p))
                .map(|p| p.kind),
        );
        let dated_news = before.into_iter().chain(now.map(|(_, p)| p));
        news_years.extend(
            dated_news
                .filter(|p| p.kind == Kind::News)
                .filter_map(|p| p.date().map(|d| d.year)),
        );
        if before.map(|p| &p.url) != now.map(|(_, p)| &p.url) {
            moved.insert(rel);
        }
        sitemap |= before.map(|p| (&p.url, p.date())) != now.map(|(_, p)| (&p.url, p.date()));
    }
    if !moved.is_empty() {
        for (rel, state) in &built.pages {
            if state.links_to.iter().any(|t| moved.contains(t.as_str())) {
                pages.extend(site.by_rel.get(rel).copied());
            }
        }
    }

    // A listing changes when its entries, their order or one of them changed. When the new
    // site was resolved again page by page, a page has the same index in both: the lists are
    // compared as numbers, not by reading every page's path (issue 13: milliseconds at 50,000
    // pages).
    let same_indexes = std::sync::Arc::ptr_eq(&old.by_rel, &site.by_rel);
    let listed_at: Vec<usize> = listed
        .iter()
        .filter_map(|r| site.by_rel.get(*r).copied())
        .collect();
    let list_changed = |a: &[usize], b: &[usize]| {
        if same_indexes {
            return a != b || listed_at.iter().any(|i| a.contains(i));
        }
        a.len() != b.len()
            || a.iter().zip(b).any(|(&i, &j)| {
                let rel = &old.pages[i].source.rel;
                rel != &site.pages[j].source.rel || listed.contains(rel.as_str())
            })
    };
    // The site map lists the standalone pages and reports by title (its counts are below).
    let mut generated = Vec::new();
    if !listed.is_empty() {
        generated.push(Generated::Home);
    }
    if kinds.contains(&Kind::Page) || kinds.contains(&Kind::Report) {
        generated.push(Generated::Sitemap);
    }
    if kinds.contains(&Kind::Report) {
        generated.push(Generated::Reports);
    }
    let domains = 0..site.config.domains.len();
    // Body edits alone change no listing: none is compared entry by entry.
    let lists = !listed.is_empty();
    // The pages of a domain whose entries changed; every page of it when its length changed
    // (each shows the count and the page numbers) or a 事项 filed in it changed (each shows
    // the catalog table with the documents filed under it).
    let per = site.config.items_per_page;
    for d in domains.clone() {
        let (a, b) = (&old.domain_items[d], &site.domain_items[d]);
        if filed.contains(&d) || a.len() != b.len() {
            generated.extend(generated::domain_pages(site, d));
        } else if lists {
            generated.extend(generated::domain_pages(site, d).filter(|g| match g {
                Generated::Domain(_, n) => list_changed(
                    generated::page_of(a, per, *n),
                    generated::page_of(b, per, *n),
                ),
                _ => false,
            }));
        }
    }
    // The site map lists every page of every domain.
    sitemap |= domains
        .clone()
        .any(|d| generated::domain_page_count(old, d) != generated::domain_page_count(site, d));
    let (old_news, new_news) = (
        generated::news_page_count(old),
        generated::news_page_count(site),
    );
    generated.extend(
        (1..=new_news)
            .filter(|&n| {
                old_news != new_news
                    || (lists
                        && list_changed(
                            generated::news_page(old, n),
                            generated::news_page(site, n),
                        ))
            })
            .map(Generated::NewsList),
    );
    // The archives of the changed news' years; every list page and archive when the years
    // changed (each shows the links to the years).
    if kinds.contains(&Kind::News) {
        let years = generated::news_years(site);
        if years != generated::news_years(old) {
            generated.extend((1..=new_news).map(Generated::NewsList));
            generated.extend(years.into_iter().map(Generated::NewsYear));
        } else {
            generated.extend(news_years.into_iter().map(Generated::NewsYear));
        }
    }
    if counts_changed {
        let readers = &built.count_readers.templates;
        let singles = [
            Generated::Home,
            Generated::Catalog,
            Generated::Reports,
            Generated::NotFound,
            Generated::Search,
            Generated::Sitemap,
        ];
        let all = singles
            .into_iter()
            .chain(
                domains
                    .clone()
                    .flat_map(|d| generated::domain_pages(site, d)),
            )
            .chain(domains.map(Generated::DomainEffective));
        generated.extend(all.filter(|g| readers.contains(g.template())));
    }
    // A domain's in-force view shows what its page shows, filtered.
    let effective: Vec<Generated> = generated
        .iter()
        .filter_map(|g| match g {
            Generated::Domain(d, _) => Some(Generated::DomainEffective(*d)),
            _ => None,
        })
        .collect();
    generated.extend(effective);
    generated.sort();
    generated.dedup();
    Plan {
        pages,
        generated,
        meta_kinds,
        sitemap,
    }
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
    // is left alone: reading it back costs far less than replacing it.
    writes
        .par_iter()
        .filter(|(rel, bytes)| {
            crate::safe_path::inside(dir, rel)
                .ok()
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
