//! The 基层政务公开标准目录 as data: per domain, `content/catalog/<slug>.yaml` lists its 公开事项
//! (一级/二级/三级事项, 公开内容, 公开依据, 公开时限, 公开主体, 公开渠道和载体, 公开对象, 公开方式,
//! 公开层级); documents name their 事项 with `matter: <slug>/<id>`.
//!
//! Loading ([`load`], with [`file`], [`matter`], [`deadline`] and the working-day [`workdays`]) belongs to
//! the load stage and filing documents ([`resolve_matter`]) to the model; [`view`] (the domain
//! page's table) and [`export`] (`catalog.json`, `catalog.csv`) are the render stage of the same
//! concept and only read the resolved [`crate::model::Site`].

pub mod deadline;
pub mod export;
pub mod file;
pub mod matter;
pub mod view;
pub mod workdays;

use crate::t;
use std::collections::HashMap;

use serde_yaml::Value;

use crate::diagnostic::Diagnostic;
use crate::load::Source;
use crate::load::{SitePaths, read_text};
use crate::page::Kind;
use crate::site_config::SiteConfig;
use crate::yaml_fields::KeyLines;

pub use matter::Matter;

/// Every domain's 事项.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// All 事项, domain by domain in `site.domains` order, each in file order.
    pub matters: Vec<Matter>,
    /// Per domain (index of `site.domains`): its 事项 (indexes into `matters`).
    pub by_domain: Vec<Vec<usize>>,
    /// Per domain: whether it has a catalog file.
    pub has_file: Vec<bool>,
    /// Per domain: the catalog file's `source:` note (where the rows come from).
    pub sources: Vec<String>,
    /// Per domain: the catalog file, for messages.
    pub files: Vec<Option<std::path::PathBuf>>,
    by_id: HashMap<String, usize>,
}

impl Catalog {
    /// The 事项 with full id `slug/id`.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.by_id.get(id.trim().trim_matches('/')).copied()
    }

    /// `id（一级 › 二级）` of each 事项 of domain `d`, for messages.
    pub fn listing(&self, d: usize) -> String {
        let ids: Vec<String> = self
            .by_domain
            .get(d)
            .into_iter()
            .flatten()
            .map(|&i| format!("{}（{}）", self.matters[i].id, self.matters[i].title()))
            .collect();
        if ids.is_empty() {
            "（该领域没有目录文件 content/catalog/<领域>.yaml）".into()
        } else {
            ids.join("、")
        }
    }
}

/// Reads `content/catalog/*.yaml` for the domains of `config`. A file whose name is not a
/// domain's slug is an error, as is every fault inside a file.
pub fn load(paths: &SitePaths, config: &SiteConfig) -> (Catalog, Vec<Diagnostic>) {
    let n = config.domains.len();
    let mut cat = Catalog {
        by_domain: vec![Vec::new(); n],
        has_file: vec![false; n],
        sources: vec![String::new(); n],
        files: vec![None; n],
        ..Catalog::default()
    };
    let mut diags = Vec::new();
    let dir = paths.content.join("catalog");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return (cat, diags);
    };
    let mut files: Vec<std::path::PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !crate::load::is_ignored(&name) && p.is_file()
        })
        .collect();
    files.sort();
    let mut per_domain: Vec<Vec<Matter>> = vec![Vec::new(); n];
    for path in files {
        let shown = paths.display(&path);
        // As the walk of content/ does: a link that leads out of the site is never read.
        if !crate::safe_path::resolves_inside(&path, &paths.root) {
            diags.push(
                Diagnostic::error("load/symlink-outside", t!("load.symlink-outside"))
                    .file(&shown)
                    .expected(t!("load.symlink-outside.expected-2"))
                    .hint(t!("load.symlink-outside.hint-2")),
            );
            continue;
        }
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let Some(slug) = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
        else {
            diags
                .push(Diagnostic::warning("catalog/not-yaml", t!("catalog.not-yaml")).file(&shown));
            continue;
        };
        let Some(d) = config.domains.iter().position(|x| x.slug == slug) else {
            let valid: Vec<&str> = config.domains.iter().map(|x| x.slug.as_str()).collect();
            diags.push(
                Diagnostic::error("catalog/unknown-domain", t!("catalog.unknown-domain", name))
                    .file(&shown)
                    .expected(t!(
                        "catalog.unknown-domain.expected",
                        valid = valid.join("、")
                    ))
                    .found(name.clone())
                    .hint(t!("catalog.unknown-domain.hint")),
            );
            continue;
        };
        if cat.has_file[d] {
            diags.push(
                Diagnostic::error("catalog/duplicate-file", t!("catalog.duplicate-file"))
                    .file(&shown),
            );
            continue;
        }
        cat.has_file[d] = true;
        cat.files[d] = Some(shown.clone());
        let text = match read_text(&path, &shown) {
            Ok(t) => t,
            Err(e) => {
                diags.push(e);
                continue;
            }
        };
        let colons = crate::front_matter::full_width_colons(&text, 1, &shown);
        if !colons.is_empty() {
            diags.extend(colons);
            continue;
        }
        let map = match serde_yaml::from_str::<Value>(&text) {
            Ok(Value::Mapping(m)) => m,
            Ok(other) => {
                diags.push(
                    Diagnostic::error("catalog/yaml", t!("catalog.yaml"))
                        .file(&shown)
                        .line(1)
                        .expected(t!("catalog.yaml.expected"))
                        .found(crate::yaml_fields::describe(&other)),
                );
                continue;
            }
            Err(e) => {
                let loc = e.location();
                diags.push(
                    Diagnostic::error(
                        "catalog/yaml",
                        t!(
                            "catalog.yaml-2",
                            error = e.to_string().split(" at line ").next().unwrap_or_default()
                        ),
                    )
                    .file(&shown)
                    .line(loc.as_ref().map(|l| l.line()))
                    .column(loc.as_ref().map(|l| l.column()))
                    .hint(t!("catalog.yaml.hint")),
                );
                continue;
            }
        };
        let lines = KeyLines::new(&text, 1);
        cat.sources[d] = map
            .get("source")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string();
        let (ms, ds) = file::read_file(&map, d, slug, &shown, &lines);
        diags.extend(ds);
        per_domain[d] = ms;
    }
    for (d, ms) in per_domain.into_iter().enumerate() {
        for m in ms {
            let i = cat.matters.len();
            cat.by_id.insert(m.id.clone(), i);
            cat.by_domain[d].push(i);
            cat.matters.push(m);
        }
    }
    (cat, diags)
}

/// Resolves a page's `matter:` against the catalog: the index of its 事项, or `None` (with an
/// error in `diags` when the id is unknown or belongs to a domain the page is not in).
pub fn resolve_matter(
    src: &Source,
    kind: Kind,
    domains: &[usize],
    config: &SiteConfig,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let wanted = src.meta.matter.as_deref()?.trim();
    let cat = &config.catalog;
    let line = src.key_lines.line_of(&["matter"]);
    let slug = wanted.split('/').next().unwrap_or_default();
    let dom = config.domains.iter().position(|d| d.slug == slug);
    let Some(i) = cat.find(wanted) else {
        let listing = match dom {
            Some(d) => cat.listing(d),
            None => {
                let first = domains.first().copied();
                first.map(|d| cat.listing(d)).unwrap_or_else(|| {
                    "写成 `<领域 slug>/<事项 id>`，领域见 site.yaml 的 domains".into()
                })
            }
        };
        diags.push(
            Diagnostic::error("matter/unknown", t!("matter.unknown", wanted))
                .file(&src.file)
                .line(line)
                .key("matter")
                .expected(t!("matter.unknown.expected", listing))
                .found(format!("\"{wanted}\""))
                .hint(t!("matter.unknown.hint")),
        );
        return None;
    };
    let md = cat.matters[i].domain;
    if kind == Kind::Item && !domains.contains(&md) {
        let names: Vec<&str> = domains
            .iter()
            .map(|&d| config.domains[d].slug.as_str())
            .collect();
        diags.push(
            Diagnostic::error("matter/domain", t!("matter.domain", wanted))
                .file(&src.file)
                .line(line)
                .key("matter")
                .expected(t!(
                    "matter.domain.expected",
                    domains = names.join("、"),
                    listing = domains.first().map(|&d| cat.listing(d)).unwrap_or_default()
                ))
                .found(format!("\"{wanted}\""))
                .hint(t!("matter.domain.hint", domain = config.domains[md].slug)),
        );
        return None;
    }
    Some(i)
}
