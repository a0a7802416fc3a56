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
    /// Their sizes in bytes.
    pub asset_sizes: HashMap<String, u64>,
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
            loaded.asset_sizes,
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
        asset_sizes: HashMap<String, u64>,
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
        link_successions(&mut pages, &by_rel, &mut diags);
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
                asset_sizes,
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

    /// Reports with tables, by year ascending, with their URLs.
    pub fn reports_with_data(&self) -> Vec<(&crate::report::ReportData, String)> {
        let mut with_data: Vec<(&crate::report::ReportData, String)> = self
            .reports
            .iter()
            .filter_map(|&i| {
                self.pages[i]
                    .report
                    .as_ref()
                    .map(|r| (r, self.href(&self.pages[i].url)))
            })
            .collect();
        with_data.sort_by_key(|(r, _)| r.year);
        with_data
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
        Some(k) => {
            match Kind::parse(k) {
                Some(k) => k,
                None => {
                    diags.push(
                    Diagnostic::error("front-matter/value", "未知的页面类型 kind")
                        .file(&src.file)
                        .line(src.key_lines.line_of(&["kind"]))
                        .key("kind")
                        .expected("report（年度报告）、news（工作动态）、item（公开事项）或 page（单页）")
                        .found(format!("\"{k}\"")),
                );
                    ok = false;
                    folder_kind
                }
            }
        }
    };
    let m = &src.meta;
    if kind.needs_date() && m.date.is_none() && src.front_matter.get("date").is_none() {
        diags.push(
            Diagnostic::error("front-matter/missing", format!("{}缺少公开日期", kind.label()))
                .file(&src.file)
                .line(1)
                .key("date")
                .expected("`date: YYYY-MM-DD`，即在网站公开的日期")
                .found("没有这个键")
                .hint("按国家网站检查规则，没有日期的信息算作“不更新”；请加上一行，例如 `date: 2022-01-13`"),
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
                format!("{}缺少索引号", kind.label()),
            )
            .file(&src.file)
            .line(src.key_lines.line_of(&["index_no"]).unwrap_or(1))
            .key("index_no")
            .expected(format!("`index_no: \"{}/YYYY-NNNNN\"`", config.org_code))
            .found("没有填写")
            .hint("用 `portal new item \"标题\"` 新建文件，会自动填好下一个可用的索引号"),
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
        // The Chinese name (社会救助) or a known alias (医疗卫生) is what an editor sees on the
        // catalog: it names the domain as surely as the slug does.
        let by_slug = config.domains.iter().position(|d| &d.slug == w);
        let by_name = || {
            let dom = config.domain(w)?;
            config.domains.iter().position(|d| d.slug == dom.slug)
        };
        match by_slug.or_else(|| if from_folder { None } else { by_name() }) {
            Some(i) => domains.push(i),
            None => {
                let by_name = config.domain(w);
                let mut d = if from_folder {
                    Diagnostic::error(
                        "domain/unknown",
                        format!("文件夹 items/{w}/ 不是 site.yaml 中的领域"),
                    )
                    .file(&src.file)
                    .line(1)
                } else {
                    Diagnostic::error("domain/unknown", "未知的领域 domain")
                        .file(&src.file)
                        .line(src.key_lines.line_of(&["domain"]))
                        .key("domain")
                };
                d = d
                    .expected(format!("以下之一：{}", valid()))
                    .found(format!("\"{w}\""));
                d = match by_name {
                    Some(dom) => d.hint(format!("写领域的英文代码：`domain: {}`", dom.slug)),
                    None => d.hint("写 content/site.yaml 的 `domains:` 中列出的领域代码（slug）；确属新领域时，先在 site.yaml 中添加它，见 docs/编辑指南.md 的“新增领域”"),
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
                "公开事项必须属于至少一个领域",
            )
            .file(&src.file)
            .line(1)
            .key("domain")
            .expected(format!(
                "放在 items/<领域代码>/ 文件夹下，或写 `domain: <领域代码>`，领域代码为以下之一：{}",
                valid()
            ))
            .found("没有领域"),
        );
        ok = false;
    }

    for a in &m.attachments {
        let path = normalize_content_path(&a.file);
        if !assets.contains(path) {
            diags.push(
                Diagnostic::error("attachment/missing", "附件不在 content/files/ 文件夹中")
                    .file(&src.file)
                    .line(src.key_lines.line_of(&["attachments"]))
                    .key("attachments")
                    .expected("content/files/ 下的一个文件")
                    .found(format!("\"{}\"", a.file))
                    .hint("把文件复制到 content/files/，并从 content 文件夹写起它的路径：`file: files/文件名.pdf`"),
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
                    format!("网址 /{url} 由网站自动生成的栏目使用"),
                )
                .file(&src.file)
                .line(src.key_lines.line_of(&["slug"]).unwrap_or(1))
                .key("slug")
                .found(first.to_string())
                .hint(format!(
                    "给这个页面另起一个 `slug:`；保留的名称：{}",
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
        replaces: Vec::new(),
        replaced_by: Vec::new(),
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
        let Some(&first) = seen.get(no) else {
            seen.insert(no, i);
            continue;
        };
        // The file just added is the one to change: the one published later (by 公开日期,
        // then by path), not the one residents may already have cited.
        let (published, added) =
            if (pages[first].date(), &pages[first].source.rel) <= (p.date(), &p.source.rel) {
                (&pages[first], p)
            } else {
                (p, &pages[first])
            };
        let shown = published.source.file.display();
        let mut d = Diagnostic::error(
            "index-no/duplicate",
            format!("索引号 {no} 已被 {shown} 使用"),
        )
        .file(&added.source.file)
        .line(added.source.key_lines.line_of(&["index_no"]))
        .key("index_no")
        .expected("其他文件都没有用过的索引号")
        .found(format!("\"{no}\"，已用于 {shown}"));
        d = match next_free_index_no(pages, no) {
            Some(next) => d.hint(format!(
                "改为下一个可用的索引号 `index_no: \"{next}\"`；`portal new` 新建文件时会自动填写"
            )),
            None => d.hint("改为该年度最大的流水号加一；`portal new` 新建文件时会自动填写"),
        };
        diags.push(d);
    }
}

/// The next free 索引号 in the series of `no` (`org/YYYY-NNNNN`): the highest serial of that
/// prefix and year plus one, as wide as the others.
fn next_free_index_no(pages: &[Page], no: &str) -> Option<String> {
    let (series, serial) = no.rsplit_once('-')?;
    let width = serial.len();
    let prefix = format!("{series}-");
    let max = pages
        .iter()
        .filter_map(|p| {
            p.meta()
                .index_no
                .as_deref()?
                .strip_prefix(&prefix)?
                .parse::<u64>()
                .ok()
        })
        .max()?;
    Some(format!("{prefix}{:0width$}", max + 1))
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
                        format!("本文件与 {} 对应同一个网址 /{u}", other.file.display()),
                    )
                    .file(&p.source.file)
                    .line(p.source.key_lines.line_of(&[key]).unwrap_or(1))
                    .key(key)
                    .hint(if n == 0 {
                        "给其中一个文件改名，或另写一个 `slug:`"
                    } else {
                        "删去这个旧网址：它属于另一个页面"
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

/// `replaces:` and `repealed_by:` link a successor and its predecessor both ways, whichever
/// side wrote it.
fn link_successions(pages: &mut [Page], by_rel: &HashMap<String, usize>, diags: &mut Diagnostics) {
    // (successor, predecessor)
    let mut edges = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        for (key, list) in [
            ("replaces", &p.meta().replaces),
            ("repealed_by", &p.meta().repealed_by),
        ] {
            for r in list {
                match by_rel.get(normalize_content_path(r)) {
                    Some(&j) if j != i => {
                        edges.push(if key == "replaces" { (i, j) } else { (j, i) })
                    }
                    Some(_) => {}
                    None => diags.push(
                        Diagnostic::error("related/missing", format!("{key} 中的文件不存在"))
                            .file(&p.source.file)
                            .line(p.source.key_lines.line_of(&[key]))
                            .key(key)
                            .expected(
                                "content/ 下的文件路径，例如 items/social-assistance/old-rule.md",
                            )
                            .found(format!("\"{r}\"")),
                    ),
                }
            }
        }
    }
    for (new, old) in edges {
        pages[new].replaces.push(old);
        pages[old].replaced_by.push(new);
    }
    for p in pages.iter_mut() {
        for list in [&mut p.replaces, &mut p.replaced_by] {
            list.sort_unstable();
            list.dedup();
        }
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
                    Diagnostic::error("related/missing", "related 中的相关文件不存在")
                        .file(&p.source.file)
                        .line(p.source.key_lines.line_of(&["related"]))
                        .key("related")
                        .expected("content/ 下的文件路径，例如 items/social-assistance/dibao.md")
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
        if src.front_matter.get("year").is_some() {
            // An annual report: the template's sections, and tables as data.
            diags.extend(crate::report::check_structure(
                &src.body,
                src.body_first_line,
                data.is_some() || !ds.is_empty(),
                &src.file,
                lines(&["year"]),
            ));
        }
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
    let mut by_year: HashMap<i32, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        let Some(r) = &p.report else { continue };
        if let Some(&first) = by_year.get(&r.year) {
            let other = pages[first].source.file.display();
            diags.push(
                Diagnostic::error(
                    "report/duplicate-year",
                    format!("{} 年度的报告有两份：本文件和 {other}", r.year),
                )
                .file(&p.source.file)
                .line(p.source.key_lines.line_of(&["year"]))
                .key("year")
                .expected(format!("每个年度只有一份年度报告；{other} 已是 {} 年度的报告", r.year))
                .found(r.year.to_string())
                .hint("核对 `year:`（报告所述的年度，不是发布年份）；同一年度的更正稿请直接修改原文件"),
            );
        } else {
            by_year.insert(r.year, i);
        }
    }
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
