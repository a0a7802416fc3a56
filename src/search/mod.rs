//! Chinese full-text search that works on any static host (issue 6).
//!
//! Whitespace tokenizers (elasticlunr in Zola and mdBook, tinysearch) find nothing in Chinese, so
//! portal builds its own compact, sharded index:
//!
//! * [`tokenize`]: CJK character unigrams + bigrams, lowercased Latin words, digit runs; full-width
//!   ASCII folded to half-width; every punctuation mark is a separator.
//! * [`Index::build`]: BM25F over four fields (title > headings, summary > body); each posting
//!   carries a precomputed, quantized term weight, so the browser needs no field lengths.
//! * [`Index::write`] / [`write_index`]: a small `manifest.json`, term shards keyed by a hash of
//!   the term (binary, delta-encoded), document shards (metadata and excerpt text, fetched for
//!   the results shown only) and facet lists.
//! * [`Index::search`]: the exact query algorithm of `themes/default/static/search.js`, in Rust,
//!   for tests and benchmarks (integer scores, so both sides agree bit for bit).
//!
//! The design, file formats and measured numbers are in `docs/search.md`.

mod build;
mod facets;
mod query;
pub(crate) mod rank;
mod records;
mod stream;
mod tokenize;
mod verify;
mod write;

#[cfg(test)]
mod stream_tests;
#[cfg(test)]
pub(crate) mod test_corpus;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use build::Index;
pub use rank::{Filters, SearchHit, SearchResults};
pub use stream::{IndexBuilder, StreamedIndex};
pub use tokenize::{Token, TokenKind, tokenize};
pub use tokenize::{contains_phrase, normalize};

/// One searchable page, built by the pipeline from the model (no rendered HTML needed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchDoc {
    /// Site-relative URL, no leading slash, e.g. `news/2021-03-01-chunfeng/`.
    pub url: String,
    /// The page title (the strongest field).
    pub title: String,
    /// `YYYY-MM-DD`; gives the year facet and the order of equal-scoring results (newest first).
    pub date: Option<String>,
    /// `news`, `item`, `report` or `page`.
    pub kind: String,
    /// The label of the kind shown to readers: 工作动态, 公开事项, 年度报告, 页面.
    pub kind_label: String,
    /// Domain names, e.g. 社会救助 (a facet, and searchable like a heading).
    pub domains: Vec<String>,
    /// Heading texts.
    pub headings: Vec<String>,
    /// Front-matter keywords (关键词): searchable, but ranked below visible text.
    pub keywords: Vec<String>,
    /// Front-matter summary (may be empty).
    pub summary: String,
    /// Plain text of the body, Markdown stripped.
    pub body: String,
}

impl SearchDoc {
    /// Everything a resident can find the page by, whole and normalized, one field a line: the
    /// ground truth that relevance tests and the benchmark compare the index's answers with.
    pub fn searchable_text(&self) -> String {
        let mut s = vec![
            self.title.as_str(),
            self.summary.as_str(),
            self.body.as_str(),
            self.kind_label.as_str(),
        ];
        s.extend(self.headings.iter().map(String::as_str));
        s.extend(self.domains.iter().map(String::as_str));
        s.extend(self.keywords.iter().map(String::as_str));
        normalize(&s.join("\n"))
    }
}

/// What [`write_index`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndexStats {
    /// Documents indexed.
    pub docs: usize,
    /// Distinct terms (unigrams, bigrams, words, numbers).
    pub terms: usize,
    /// Term shards (`terms/<n>.bin`).
    pub shards: usize,
    /// Every file written, manifest included (term, document and facet shards).
    pub files: usize,
    /// Bytes of all files written.
    pub bytes: u64,
    /// The largest term shard, in bytes.
    pub largest_shard_bytes: u64,
    /// Bytes of `manifest.json`.
    pub manifest_bytes: u64,
    /// Documents per document shard (`docs/<n>.json`: metadata and excerpt text).
    pub docs_per_shard: usize,
}

/// Builds the index of `docs` and writes it under `out_dir` (created if missing; nothing in it
/// is deleted, so pass a fresh directory, normally `<staging>/search/`).
///
/// The same `docs` give the same bytes, whatever their order and whatever the thread count.
pub fn write_index(docs: &[SearchDoc], out_dir: &std::path::Path) -> std::io::Result<IndexStats> {
    Index::build(docs).write(out_dir)
}

/// [`write_index`] with the site's options (synonyms of `site.yaml`, catalog order).
pub fn write_index_with(
    docs: &[SearchDoc],
    out_dir: &std::path::Path,
    options: &IndexOptions,
) -> std::io::Result<IndexStats> {
    Index::build_with(docs, options).write(out_dir)
}

/// What a site adds to the index: its synonyms and the order of its catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexOptions {
    /// Groups of equivalent terms from `site.yaml` (`search: { synonyms: [[低保, 最低生活保障]] }`),
    /// used besides the default theme's table.
    pub synonyms: Vec<Vec<String>>,
    /// Domain names in catalog order (the 领域 filter follows it); domains not listed come
    /// after, by name.
    pub domain_order: Vec<String>,
}

impl IndexOptions {
    /// The default table (`themes/default/search-synonyms.yaml`) followed by the site's groups.
    pub fn all_synonyms(&self) -> Vec<Vec<String>> {
        let mut out = default_synonyms();
        out.extend(self.synonyms.iter().cloned());
        out
    }
}

/// The synonym table shipped with the default theme (compiled in).
pub fn default_synonyms() -> Vec<Vec<String>> {
    serde_yaml::from_str(include_str!("../../themes/default/search-synonyms.yaml"))
        .unwrap_or_default()
}

/// Format version written to the manifest; `search.js` refuses other versions.
pub const FORMAT_VERSION: u32 = 3;

/// The folding table in the index directory (loaded by the browser for traditional text).
pub(crate) const FOLD_FILE: &str = "fold.txt";

/// Results per page.
pub const PAGE_SIZE: usize = 10;

/// BM25 saturation constant.
pub(crate) const K1: f64 = 1.2;
/// BM25 length normalization, the same for every field.
pub(crate) const B: f64 = 0.75;
/// Number of fields.
pub(crate) const NF: usize = 5;
/// Field weights: title, headings (with domain and kind labels), summary, body, keywords.
pub(crate) const FIELD_WEIGHTS: [f64; NF] = [5.0, 2.0, 2.0, 1.0, 1.0];
/// Field names, in the order of [`FIELD_WEIGHTS`] (for the manifest).
pub(crate) const FIELD_NAMES: [&str; NF] = ["title", "headings", "summary", "body", "keywords"];
/// Body text kept in the document shards (for excerpts), in characters.
pub(crate) const TEXT_CAP_CHARS: usize = 2000;
/// Summary kept in the document shards, in characters.
pub(crate) const SUMMARY_CAP_CHARS: usize = 160;

/// FNV-1a (32 bit) over the UTF-8 bytes, then the murmur3 finalizer for well-mixed top bits.
/// `search.js` computes the same (`termHash`).
pub(crate) fn term_hash(bytes: &[u8]) -> u32 {
    let mut h = FNV_BASIS;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    fmix32(h)
}

/// The FNV-1a prime.
const FNV_PRIME: u32 = 0x0100_0193;

/// The FNV-1a start state of [`term_hash`].
pub(crate) const FNV_BASIS: u32 = 0x811c_9dc5;

/// FNV-1a over the UTF-8 bytes of the code point `c`, from state `h`.
#[inline]
pub(crate) fn fnv_char(mut h: u32, c: u32) -> u32 {
    let mut step = |b: u32| h = (h ^ b).wrapping_mul(FNV_PRIME);
    match c {
        0..0x80 => step(c),
        0x80..0x800 => {
            step(0xC0 | c >> 6);
            step(0x80 | (c & 0x3F));
        }
        0x800..0x10000 => {
            step(0xE0 | c >> 12);
            step(0x80 | (c >> 6 & 0x3F));
            step(0x80 | (c & 0x3F));
        }
        _ => {
            step(0xF0 | c >> 18);
            step(0x80 | (c >> 12 & 0x3F));
            step(0x80 | (c >> 6 & 0x3F));
            step(0x80 | (c & 0x3F));
        }
    }
    h
}

/// The murmur3 32-bit finalizer.
pub(crate) fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

/// The term shard of a hash when there are `1 << bits` shards: the top `bits` bits.
pub(crate) fn shard_of(hash: u32, bits: u32) -> u32 {
    if bits == 0 { 0 } else { hash >> (32 - bits) }
}
