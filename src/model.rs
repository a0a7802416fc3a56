//! The second stage: the loaded sources resolved into a consistent [`Site`] — kinds, URLs,
//! domains, defaults, cross-file rules (unique 索引号 and URLs, related pages, attachments) and
//! the annual reports' tables.
//!
//! Everything `portal build` rejects is decided here (or in the loader), so `portal check`
//! reuses exactly the same rules.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::front_matter::{Disclosure, Validity};
use crate::load::{Loaded, Source};
use crate::page::{Kind, Page, RESERVED, url_of};
use crate::site_config::SiteConfig;

/// The resolved site: what the renderer renders and the checker checks.
#[derive(Debug)]
pub struct Site {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// All pages (drafts only with `--drafts`), sorted by source path.
    pub pages: Vec<Page>,
    /// Source path (`news/x.md`) → page index.
    pub by_rel: HashMap<String, usize>,
    /// Attachments under `files/`.
    pub assets: BTreeSet<String>,
    /// News, newest first.
    pub news: Vec<usize>,
    /// Reports, newest year first.
    pub reports: Vec<usize>,
    /// Standalone pages, by title.
    pub standalone: Vec<usize>,
    /// Per domain (index of `config.domains`): its items, newest first.
    pub domain_items: Vec<Vec<usize>>,
    /// Per 事项 (index of `config.catalog.matters`): the items and news filed under it, newest
    /// first.
    pub matter_docs: Vec<Vec<usize>>,
}

/// Options of the model stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelOptions {
    /// Keep `draft: true` pages.
    pub drafts: bool,
}

impl Site {
    /// Builds the site from what was loaded. Returns the site (if `site.yaml` could be read) and
    /// the findings; the caller decides whether errors stop it.
    ///
    /// The whole front-matter mapping of a page that is not a report is emptied once the model
    /// is resolved: its typed keys are in `meta` and its lines in `key_lines`, only reports read
    /// the mapping again (their tables), and on a large site the mappings are megabytes that
    /// the rest of a build would carry for nothing.
    pub fn build(loaded: Loaded, opts: ModelOptions) -> (Option<Site>, Diagnostics) {
        let sources = loaded.sources.into_iter().map(Arc::new).collect();
        let (mut site, diags) = Site::build_shared(
            loaded.config,
            sources,
            loaded.assets,
            loaded.diagnostics,
            opts,
        );
        for p in site.iter_mut().flat_map(|s| s.pages.iter_mut()) {
            // The sources were made above and are not shared, so `get_mut` succeeds; the
            // preview server's shared sources go through `build_shared` and keep theirs.
            if p.kind != Kind::Report
                && let Some(src) = Arc::get_mut(&mut p.source)
            {
                src.front_matter = serde_yaml::Mapping::new();
            }
        }
        (site, diags)
    }

    /// [`Site::build`] from sources shared with a cache (the preview server's), so that
    /// rebuilding the model after a save copies no text. `diagnostics` are the loader's findings.
    pub fn build_shared(
        config: Option<SiteConfig>,
        sources: Vec<Arc<Source>>,
        assets: Vec<String>,
        diagnostics: Diagnostics,
        opts: ModelOptions,
    ) -> (Option<Site>, Diagnostics) {
        let mut diags = diagnostics;
        let Some(config) = config else {
            return (None, diags);
        };
        let assets: BTreeSet<String> = assets.into_iter().collect();
        let mut pages = Vec::new();
        for src in sources {
            if src.meta.draft && !opts.drafts {
                continue;
            }
            if let Some(p) = resolve_page(src, &config, &assets, &mut diags) {
                pages.push(p);
            }
        }
        pages.sort_by(|a, b| a.source.rel.cmp(&b.source.rel));
        let by_rel: HashMap<String, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.rel.clone(), i))
            .collect();

        check_unique_index_no(&pages, &mut diags);
        check_unique_urls(&pages, &mut diags);
        link_related(&mut pages, &by_rel, &mut diags);
        attach_reports(&mut pages, &mut diags);

        let mut news: Vec<usize> = (0..pages.len())
            .filter(|&i| pages[i].kind == Kind::News)
            .collect();
        news.sort_by(|&a, &b| {
            pages[a]
                .newest_first_key()
                .cmp(&pages[b].newest_first_key())
        });
        let mut reports: Vec<usize> = (0..pages.len())
            .filter(|&i| pages[i].kind == Kind::Report)
            .collect();
        reports.sort_by(|&a, &b| {
            let ya = pages[a].report.as_ref().map(|r| r.year);
            let yb = pages[b].report.as_ref().map(|r| r.year);
            (std::cmp::Reverse(ya), pages[a].newest_first_key())
                .cmp(&(std::cmp::Reverse(yb), pages[b].newest_first_key()))
        });
        let mut standalone: Vec<usize> = (0..pages.len())
            .filter(|&i| pages[i].kind == Kind::Page)
            .collect();
        standalone.sort_by(|&a, &b| pages[a].source.rel.cmp(&pages[b].source.rel));
        let mut domain_items = vec![Vec::new(); config.domains.len()];
        for (i, p) in pages.iter().enumerate() {
            if p.kind == Kind::Item {
                for &d in &p.domains {
                    domain_items[d].push(i);
                }
            }
        }
        for list in &mut domain_items {
            list.sort_by(|&a, &b| {
                pages[a]
                    .newest_first_key()
                    .cmp(&pages[b].newest_first_key())
            });
        }
        let mut matter_docs = vec![Vec::new(); config.catalog.matters.len()];
        for (i, p) in pages.iter().enumerate() {
            if let Some(m) = p.matter {
                matter_docs[m].push(i);
            }
        }
        for list in &mut matter_docs {
            list.sort_by(|&a, &b| {
                pages[a]
                    .newest_first_key()
                    .cmp(&pages[b].newest_first_key())
            });
        }
        diags.sort();
        (
            Some(Site {
                config,
                pages,
                by_rel,
                assets,
                news,
                reports,
                standalone,
                domain_items,
                matter_docs,
            }),
            diags,
        )
    }

    /// The absolute URL path of a site-relative path, under the base path (`/yangyuan/news/x/`).
    pub fn href(&self, rel_url: &str) -> String {
        format!("{}{}", self.config.base_path(), rel_url)
    }

    /// Resolves a content path as editors write it in `related:` or links (`items/a/b.md`,
    /// `/items/a/b.md`, `content/items/a/b.md`) to a page index.
    pub fn page_by_content_path(&self, path: &str) -> Option<usize> {
        self.by_rel.get(normalize_content_path(path)).copied()
    }
}

/// Strips the leading `/` or `content/` editors may write.
pub fn normalize_content_path(path: &str) -> &str {
    let p = path.trim().trim_start_matches('/');
    p.strip_prefix("content/").unwrap_or(p)
}

fn resolve_page(
    src: Arc<Source>,
    config: &SiteConfig,
    assets: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Option<Page> {
    let mut ok = true;
    let folder_kind = Kind::from_rel(&src.rel);
    let kind = match &src.meta.kind {
        None => folder_kind,
        Some(k) => match Kind::parse(k) {
            Some(k) => k,
            None => {
                diags.push(
                    Diagnostic::error("front-matter/value", "unknown kind")
                        .file(&src.file)
                        .line(src.key_lines.line_of(&["kind"]))
                        .key("kind")
                        .expected("report, news, item or page")
                        .found(format!("\"{k}\"")),
                );
                ok = false;
                folder_kind
            }
        },
    };
    let m = &src.meta;
    if kind.needs_date() && m.date.is_none() && src.front_matter.get("date").is_none() {
        diags.push(
            Diagnostic::error("front-matter/missing", format!("a {} needs a 公开日期", kind.label()))
                .file(&src.file)
                .line(1)
                .key("date")
                .expected("`date: YYYY-MM-DD`, the day it is published")
                .found("no such key")
                .hint("an undated item counts as “not updated” under the national inspection rules; add `date: 2022-01-13`"),
        );
        ok = false;
    }
    // A document cannot be published before it was written: such a date pair is a typo or a
    // backdated 公开日期, both of which the build must not publish.
    if let (Some(written), Some(date)) = (m.written, m.date)
        && written > date
    {
        diags.push(
            Diagnostic::error("date/written-after-date", "成文日期晚于公开日期")
                .file(&src.file)
                .line(src.key_lines.line_of(&["written"]))
                .key("written")
                .expected(format!("不晚于公开日期 {date} 的成文日期"))
                .found(written.to_string())
                .hint("核对两个日期：`written` 是文件签发（成文）的日期，`date` 是在网站公开的日期，公开不会早于成文"),
        );
    }
    if kind.needs_index_no() && m.index_no.as_deref().is_none_or(str::is_empty) {
        diags.push(
            Diagnostic::error(
                "front-matter/missing",
                format!("a {} needs a 索引号", kind.label()),
            )
            .file(&src.file)
            .line(src.key_lines.line_of(&["index_no"]).unwrap_or(1))
            .key("index_no")
            .expected(format!("`index_no: \"{}/YYYY-NNNNN\"`", config.org_code))
            .found("no value")
            .hint("`portal new item` fills in the next free 索引号 for you"),
        );
        ok = false;
    }

    // Domains: from the front matter, else from the folder for items.
    let mut domains = Vec::new();
    let from_folder = kind == Kind::Item && m.domains.is_empty();
    let wanted: Vec<String> = if from_folder {
        let segs: Vec<&str> = src.rel.split('/').collect();
        if segs.len() >= 3 && segs[0] == "items" {
            vec![segs[1].to_string()]
        } else {
            Vec::new()
        }
    } else {
        m.domains.clone()
    };
    let valid = || {
        config
            .domains
            .iter()
            .map(|d| format!("{} ({})", d.slug, d.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for w in &wanted {
        match config.domains.iter().position(|d| &d.slug == w) {
            Some(i) => domains.push(i),
            None => {
                let by_name = config.domain(w);
                let mut d = if from_folder {
                    Diagnostic::error(
                        "domain/unknown",
                        format!("the folder items/{w}/ is not a domain of site.yaml"),
                    )
                    .file(&src.file)
                    .line(1)
                } else {
                    Diagnostic::error("domain/unknown", "unknown domain")
                        .file(&src.file)
                        .line(src.key_lines.line_of(&["domain"]))
                        .key("domain")
                };
                d = d
                    .expected(format!("one of: {}", valid()))
                    .found(format!("\"{w}\""));
                d = match by_name {
                    Some(dom) => d.hint(format!("write the slug: `domain: {}`", dom.slug)),
                    None => d.hint("use a slug listed under `domains:` in content/site.yaml, or add the domain there"),
                };
                diags.push(d);
                ok = false;
            }
        }
    }
    domains.sort_unstable();
    domains.dedup();
    let mut matter_diags = Vec::new();
    let matter = crate::catalog::resolve_matter(&src, kind, &domains, config, &mut matter_diags);
    diags.extend(matter_diags);
    if let (Some(formed), Some(date)) = (m.formed, m.date)
        && formed > date
    {
        diags.push(
            Diagnostic::error("date/formed-after-date", "信息形成日期晚于公开日期")
                .file(&src.file)
                .line(src.key_lines.line_of(&["formed"]))
                .key("formed")
                .expected(format!("不晚于公开日期 {date} 的日期"))
                .found(formed.to_string())
                .hint("`formed` 是信息形成或变更（公开时限起算）的日期，`date` 是在网站公开的日期"),
        );
    }
    if kind == Kind::Item && wanted.is_empty() {
        diags.push(
            Diagnostic::error(
                "domain/missing",
                "a 公开事项 must belong to at least one domain",
            )
            .file(&src.file)
            .line(1)
            .key("domain")
            .expected(format!(
                "a file under items/<domain>/ or `domain: <slug>`, one of: {}",
                valid()
            ))
            .found("no domain"),
        );
        ok = false;
    }

    for a in &m.attachments {
        let path = normalize_content_path(&a.file);
        if !assets.contains(path) {
            diags.push(
                Diagnostic::error("attachment/missing", "the attachment is not in content/files/")
                    .file(&src.file)
                    .line(src.key_lines.line_of(&["attachments"]))
                    .key("attachments")
                    .expected("a file under content/files/")
                    .found(format!("\"{}\"", a.file))
                    .hint("copy the file into content/files/ and write its path from the content folder: `file: files/…`"),
            );
            ok = false;
        }
    }

    let url = url_of(&src, kind);
    if kind == Kind::Page {
        let first = url.split('/').next().unwrap_or("");
        if RESERVED.contains(&first) {
            diags.push(
                Diagnostic::error(
                    "url/reserved",
                    format!("the URL /{url} is used by the generator itself"),
                )
                .file(&src.file)
                .line(src.key_lines.line_of(&["slug"]).unwrap_or(1))
                .key("slug")
                .found(first.to_string())
                .hint(format!(
                    "give the page another `slug:`; reserved: {}",
                    RESERVED.join(", ")
                )),
            );
            ok = false;
        }
    }
    let slug_bad = m.slug.as_deref().is_some_and(|s| {
        let s = s.trim_matches('/');
        s.is_empty()
            || s == "."
            || s == ".."
            || s.contains(['/', '\\'])
            || s.chars().any(char::is_control)
    });
    if slug_bad || url.contains("//") || url.contains("..") || url.contains(['?', '#', ' ']) {
        diags.push(
            Diagnostic::error("url/invalid", "slug 生成的网址无效")
                .file(&src.file)
                .line(src.key_lines.line_of(&["slug"]).unwrap_or(1))
                .key("slug")
                .expected("网址中的一段：字母、数字、连字符，不含 / . 空格 ? #")
                .found(m.slug.clone().unwrap_or_else(|| url.clone()))
                .hint("slug 是网址的最后一段，例如 `slug: 2021-report`"),
        );
        ok = false;
    }
    for a in &m.aliases {
        if let Some(why) = alias_fault(a) {
            diags.push(
                Diagnostic::error("alias/invalid", format!("旧网址 {a:?} 无效：{why}"))
                    .file(&src.file)
                    .line(src.key_lines.line_of(&["aliases"]))
                    .key("aliases")
                    .expected(
                        "站点内的旧网址，从站点根写起，例如 `/news/old-title/` 或 `/old/page.html`",
                    )
                    .found(format!("{a:?}"))
                    .hint("旧网址不能含 `..`、反斜杠、? # 或控制字符，也不能指向站点之外"),
            );
            ok = false;
        }
    }

    if !ok {
        return None;
    }
    Some(Page {
        publisher: m
            .publisher
            .clone()
            .unwrap_or_else(|| config.organization.clone()),
        validity: m.validity.unwrap_or(Validity::Effective),
        disclosure: m.disclosure.unwrap_or(Disclosure::Proactive),
        source: src,
        kind,
        url,
        domains,
        related: Vec::new(),
        report: None,
        matter,
    })
}

fn check_unique_index_no(pages: &[Page], diags: &mut Diagnostics) {
    // A hash map: 索引号 share long prefixes, which makes ordered comparisons slow on big sites.
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let Some(no) = p.meta().index_no.as_deref() else {
            continue;
        };
        if let Some(&first) = seen.get(no) {
            let other = &pages[first].source;
            diags.push(
                Diagnostic::error("index-no/duplicate", format!("the 索引号 {no} is also used by {}", other.file.display()))
                    .file(&p.source.file)
                    .line(p.source.key_lines.line_of(&["index_no"]))
                    .key("index_no")
                    .expected("a 索引号 used by no other file")
                    .found(format!("\"{no}\", already in {}", other.file.display()))
                    .hint("`portal new` gives the next free number; or take the highest serial of that year plus one"),
            );
        } else {
            seen.insert(no, i);
        }
    }
}

fn check_unique_urls(pages: &[Page], diags: &mut Diagnostics) {
    // Borrowed page URLs in a hash map: this runs on every rebuild of the preview.
    let mut seen: HashMap<Cow<'_, str>, &Source> = HashMap::with_capacity(pages.len());
    for p in pages {
        let aliases = p
            .meta()
            .aliases
            .iter()
            .map(|a| Cow::Owned(normalize_alias(a)));
        for (n, u) in std::iter::once(Cow::Borrowed(p.url.as_str()))
            .chain(aliases)
            .enumerate()
        {
            // The first URL is the page's own (from its name or `slug:`), the rest its aliases.
            let key = if n == 0 { "slug" } else { "aliases" };
            if let Some(other) = seen.get(&u) {
                diags.push(
                    Diagnostic::error(
                        "url/duplicate",
                        format!(
                            "this file and {} both map to the URL /{u}",
                            other.file.display()
                        ),
                    )
                    .file(&p.source.file)
                    .line(p.source.key_lines.line_of(&[key]).unwrap_or(1))
                    .key(key)
                    .hint(if n == 0 {
                        "rename one of the files or give it another `slug:`"
                    } else {
                        "remove this alias: the URL belongs to another page"
                    }),
                );
            } else {
                seen.insert(u, &*p.source);
            }
        }
    }
}

/// Why an alias cannot be an output path (`..`, control characters, `?`/`#` …), if it cannot.
fn alias_fault(a: &str) -> Option<String> {
    if a.contains(['?', '#']) {
        return Some("含有 ? 或 #，不是一个页面的路径".into());
    }
    if a.contains("://") || a.trim().starts_with("//") {
        return Some("是另一个网站的地址，旧网址只能是本站内的路径".into());
    }
    let out = normalize_alias(a);
    // The home page ("/") is a valid path; whether it is free is the output's claim check.
    if out.is_empty() {
        return None;
    }
    crate::safe_path::normalize(&out)
        .err()
        .map(|e| e.to_string())
}

/// An alias as a site-relative directory URL (`old/path/` or `old.html`).
pub fn normalize_alias(a: &str) -> String {
    let a = a.trim().trim_start_matches('/');
    if a.ends_with(".html") || a.ends_with('/') || a.is_empty() {
        a.to_string()
    } else {
        format!("{a}/")
    }
}

fn link_related(pages: &mut [Page], by_rel: &HashMap<String, usize>, diags: &mut Diagnostics) {
    let mut edges = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        for r in &p.meta().related {
            match by_rel.get(normalize_content_path(r)) {
                Some(&j) if j != i => edges.push((i, j)),
                Some(_) => {}
                None => diags.push(
                    Diagnostic::error("related/missing", "a related file does not exist")
                        .file(&p.source.file)
                        .line(p.source.key_lines.line_of(&["related"]))
                        .key("related")
                        .expected("a path under content/, e.g. items/social-assistance/dibao.md")
                        .found(format!("\"{r}\"")),
                ),
            }
        }
    }
    for (i, j) in edges {
        pages[i].related.push(j);
        pages[j].related.push(i);
    }
    for p in pages.iter_mut() {
        p.related.sort_unstable();
        p.related.dedup();
    }
}

fn attach_reports(pages: &mut [Page], diags: &mut Diagnostics) {
    for p in pages.iter_mut().filter(|p| p.kind == Kind::Report) {
        let src = &p.source;
        let lines = |path: &[&str]| src.key_lines.line_of(path);
        let (data, ds) = crate::report::parse(&src.front_matter, &src.file, &lines);
        diags.extend(ds);
        if let Some(r) = &data {
            diags.extend(crate::report::narrative(
                &src.body,
                r,
                &src.file,
                src.body_first_line,
            ));
        }
        p.report = data;
    }
    // Reconcile each report, with last year's when the site has it (A4).
    let by_year: HashMap<i32, usize> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.report.as_ref().map(|r| (r.year, i)))
        .collect();
    for p in pages.iter() {
        let Some(r) = &p.report else { continue };
        let prev = by_year.get(&(r.year - 1)).and_then(|&j| {
            pages[j]
                .report
                .as_ref()
                .map(|pr| (pr, pages[j].source.file.as_path()))
        });
        let lines = |path: &[&str]| p.source.key_lines.line_of(path);
        diags.extend(crate::report::reconcile(r, &p.source.file, &lines, prev));
    }
}
