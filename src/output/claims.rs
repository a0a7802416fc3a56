//! Every output path is claimed once. A page, an alias, a generated page, an attachment, a
//! theme asset and the search index each claim the paths they write; two claims on one path
//! (an alias onto the home page), or a file where another claim needs a folder (an alias onto
//! `static/style.css/`), is an error naming both claimants — never a silent overwrite.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::diagnostic::Diagnostic;
use crate::t;

/// Who writes an output path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Claimant {
    /// A page the generator makes itself (`首页`, `网站地图 sitemap.xml` …).
    Generated(String),
    /// A file copied from the site (an attachment under `content/files/`, a theme asset).
    Copied(PathBuf),
    /// A content page, through its own URL (`key` = `slug`) or an alias (`key` = `aliases`).
    Page {
        /// The Markdown file.
        file: PathBuf,
        /// Line of the key that made the path, if known.
        line: Option<usize>,
        /// `slug` or `aliases`.
        key: &'static str,
    },
}

impl std::fmt::Display for Claimant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Claimant::Generated(what) => f.write_str(&t!("claim.generated", what)),
            Claimant::Copied(p) => f.write_str(&t!("claim.copied", file = p.display())),
            Claimant::Page { file, key, .. } if *key == "aliases" => {
                f.write_str(&t!("claim.aliases", file = file.display()))
            }
            Claimant::Page { file, .. } => f.write_str(&t!("claim.page", file = file.display())),
        }
    }
}

/// The claims of one build, collected from its worker threads.
#[derive(Debug, Default)]
pub struct Claims {
    paths: Mutex<Vec<(String, Claimant)>>,
}

impl Claims {
    /// Records that `by` writes `path` (relative to the output folder).
    pub fn claim(&self, path: &str, by: Claimant) {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), by));
    }

    /// The conflicts among all claims so far, as errors, in a stable order.
    pub fn conflicts(&self) -> Vec<Diagnostic> {
        let paths = std::mem::take(&mut *self.paths.lock().unwrap_or_else(|e| e.into_inner()));
        conflicts(paths)
    }
}

/// The conflicts among `claims`: a path claimed twice, and a path claimed as a file while
/// another claim writes below it. Two content pages on one URL are left to the model, which
/// reports them earlier with their own hint.
pub fn conflicts(claims: Vec<(String, Claimant)>) -> Vec<Diagnostic> {
    let mut by_path: BTreeMap<String, Vec<Claimant>> = BTreeMap::new();
    for (path, by) in claims {
        by_path.entry(path).or_default().push(by);
    }
    let mut out = Vec::new();
    for (path, list) in &mut by_path {
        list.sort();
        list.dedup();
        for pair in list.windows(2) {
            if let [a, b] = pair
                && !(matches!(a, Claimant::Page { .. }) && matches!(b, Claimant::Page { .. }))
            {
                out.push(conflict(path, a, b, false));
            }
        }
    }
    for (path, list) in &by_path {
        if path.ends_with('/') {
            // A whole folder (the search index's): nothing else may write inside it.
            let inside = by_path
                .range::<str, _>((
                    std::ops::Bound::Excluded(path.as_str()),
                    std::ops::Bound::Unbounded,
                ))
                .take_while(|(p, _)| p.starts_with(path.as_str()));
            for (p, other) in inside {
                out.push(conflict(p, &list[0], &other[0], false));
            }
        } else if let Some((_, other)) = by_path
            // A file at `p` and anything at `p/…`: the keys from `p/` up to `p0` ('0' follows '/').
            .range(format!("{path}/")..format!("{path}0"))
            .next()
        {
            out.push(conflict(path, &list[0], &other[0], true));
        }
    }
    out
}

/// One conflict, located on the claimant an editor can change (an alias before a page, a page
/// before a generated file).
fn conflict(path: &str, a: &Claimant, b: &Claimant, folder: bool) -> Diagnostic {
    let (blamed, other) = if b > a { (b, a) } else { (a, b) };
    let message = if folder {
        t!("output.claimed-twice-folder", path, blamed, other)
    } else {
        t!("output.claimed-twice", path, blamed, other)
    };
    let mut d = Diagnostic::error("output/claimed-twice", message)
        .found(format!("/{path}"))
        .expected(t!("output.claimed-twice.expected"));
    d = match blamed {
        Claimant::Page { file, line, key } => {
            d.file(file)
                .line(*line)
                .key(*key)
                .hint(if *key == "aliases" {
                    t!("output.claimed-twice.hint-alias")
                } else {
                    t!("output.claimed-twice.hint-slug")
                })
        }
        Claimant::Copied(file) => d.file(file).hint(t!("output.claimed-twice.hint-file")),
        Claimant::Generated(_) => d.hint(t!("output.claimed-twice.hint-generated")),
    };
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alias(file: &str) -> Claimant {
        Claimant::Page {
            file: file.into(),
            line: Some(4),
            key: "aliases",
        }
    }

    #[test]
    fn an_alias_onto_a_generated_page_is_blamed_on_the_alias() {
        let ds = conflicts(vec![
            ("index.html".into(), Claimant::Generated("首页".into())),
            ("index.html".into(), alias("content/news/a.md")),
        ]);
        assert_eq!(ds.len(), 1);
        let d = &ds[0];
        assert_eq!(
            d.file.as_deref(),
            Some(std::path::Path::new("content/news/a.md"))
        );
        assert_eq!((d.line, d.key.as_deref()), (Some(4), Some("aliases")));
        assert!(d.message.contains("首页"), "{}", d.message);
    }

    #[test]
    fn a_file_where_a_folder_is_needed_is_a_conflict() {
        let ds = conflicts(vec![
            (
                "static/style.css".into(),
                Claimant::Copied("themes/default/static/style.css".into()),
            ),
            ("static/style.css-x".into(), alias("content/a.md")),
            ("static/style.css/index.html".into(), alias("content/b.md")),
        ]);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert!(ds[0].message.contains("文件夹"));
        assert_eq!(
            ds[0].file.as_deref(),
            Some(std::path::Path::new("content/b.md"))
        );
    }

    #[test]
    fn nothing_may_write_inside_a_claimed_folder() {
        let ds = conflicts(vec![
            (
                "search/terms/".into(),
                Claimant::Generated("搜索索引".into()),
            ),
            ("search/terms/index.html".into(), alias("content/c.md")),
            (
                "search/index.html".into(),
                Claimant::Generated("search.html".into()),
            ),
        ]);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(ds[0].key.as_deref(), Some("aliases"));
    }

    #[test]
    fn distinct_paths_and_page_pairs_are_not_reported_here() {
        let page = |f: &str| Claimant::Page {
            file: f.into(),
            line: None,
            key: "slug",
        };
        assert!(
            conflicts(vec![
                ("a/index.html".into(), page("content/a.md")),
                ("a/index.html".into(), page("content/b.md")),
                ("b/index.html".into(), Claimant::Generated("x".into())),
            ])
            .is_empty()
        );
    }
}
