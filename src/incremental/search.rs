//! The search index of the preview: the documents of the last good build, written beside the
//! preview folder and moved in, off the path between a save and the reload.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::markdown::Rendered;
use crate::search::{IndexOptions, SearchDoc};

/// The input of the search index, before the page texts are copied in.
pub struct SearchJob {
    pub(super) docs: Vec<SearchDoc>,
    pub(super) bodies: Vec<Arc<Rendered>>,
    /// The site's synonyms and catalog order.
    pub(super) options: IndexOptions,
}

impl SearchJob {
    /// The site's index options (synonyms of `site.yaml`, catalog order of the domains).
    pub fn options(&self) -> &IndexOptions {
        &self.options
    }

    /// The search documents, texts and headings filled in.
    pub fn into_docs(self) -> Vec<SearchDoc> {
        self.docs
            .into_iter()
            .zip(self.bodies)
            .map(|(mut d, b)| {
                d.headings = b.headings.iter().map(|h| h.text.clone()).collect();
                d.body = b.text.clone();
                d
            })
            .collect()
    }
}

/// A search index written beside the output folder, not yet moved into it.
#[derive(Debug)]
pub struct FreshIndex {
    dir: PathBuf,
}

/// Writes the search index of `docs` into a fresh folder beside `output` (the index writer wants
/// an empty one). Slow on a large site; [`FreshIndex::install`] is quick.
pub fn prepare_search_index(docs: &[SearchDoc], output: &Path) -> io::Result<FreshIndex> {
    prepare_search_index_with(docs, &IndexOptions::default(), output)
}

/// [`prepare_search_index`] with the site's options.
pub fn prepare_search_index_with(
    docs: &[SearchDoc],
    options: &IndexOptions,
    output: &Path,
) -> io::Result<FreshIndex> {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = output
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.search-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    crate::search::write_index_with(docs, &dir, options)?;
    Ok(FreshIndex { dir })
}

impl FreshIndex {
    /// Moves the index into `output/search/` entry by entry, replacing the previous index and
    /// leaving the search page (`index.html`) alone.
    pub fn install(self, output: &Path) -> io::Result<()> {
        let dest = output.join("search");
        std::fs::create_dir_all(&dest)?;
        let mut names = BTreeSet::new();
        for e in std::fs::read_dir(&self.dir)? {
            let e = e?;
            let target = dest.join(e.file_name());
            if target.is_dir() {
                std::fs::remove_dir_all(&target)?;
            }
            std::fs::rename(e.path(), &target)?;
            names.insert(e.file_name());
        }
        for e in std::fs::read_dir(&dest)? {
            let e = e?;
            if e.file_name() == "index.html" || names.contains(&e.file_name()) {
                continue;
            }
            if e.file_type()?.is_dir() {
                std::fs::remove_dir_all(e.path())?;
            } else {
                std::fs::remove_file(e.path())?;
            }
        }
        std::fs::remove_dir_all(&self.dir)
    }
}
