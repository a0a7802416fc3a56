//! Sharding and the file formats (see `docs/search.md`).
//!
//! ```text
//! manifest.json        counts, scoring constants, shard scheme, facets
//! terms/<n>.bin        term shards; n = top `bits` bits of termHash(term)
//! meta/<n>.json        [url, title, date, kind index, [domain indexes], summary] for ids n·k…
//! text/<n>.json        ["body text", …] for ids n·k…, for excerpts and the phrase bonus
//! facets/{k,d,y}<i>.bin  the ids of the i-th kind, domain, year
//! ```
//!
//! Binary files use unsigned LEB128 varints. A term shard is `varint count` followed by
//! `count` records sorted by (hash, term bytes):
//! `varint len, term (UTF-8), varint df, varint idf, varint n_bytes, postings`
//! where the postings (n_bytes long) are `df` × (`varint id delta`, `u8 weight`); the first
//! delta is the id itself. A facet file is `varint count` followed by `count` id deltas.

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::build::{Facet, Index, Term};
use super::{
    B, FIELD_NAMES, FIELD_WEIGHTS, FORMAT_VERSION, IndexStats, K1, PAGE_SIZE, SUMMARY_CAP_CHARS, TEXT_CAP_CHARS,
    shard_of,
};

/// Target size of a term shard: the client fetches one shard per query term.
pub(crate) const TERM_SHARD_TARGET: usize = 8 * 1024;
/// At most 2^12 = 4096 term shards.
pub(crate) const MAX_SHARD_BITS: u32 = 12;
/// Target size of a metadata shard and of a text shard: the client fetches the shards of one
/// page of results, so these are kept small.
pub(crate) const META_SHARD_TARGET: usize = 1024;
pub(crate) const TEXT_SHARD_TARGET: usize = 4 * 1024;

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*at` (tests and benchmarks decode with it).
pub(crate) fn get_varint(buf: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *buf.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// Body text as stored in the text shards: white space collapsed, at most
/// [`TEXT_CAP_CHARS`] characters. The phrase bonus looks at this text only.
pub(crate) fn stored_text(body: &str) -> String {
    collapse(body, TEXT_CAP_CHARS)
}

/// Summary as stored in the metadata shards.
pub(crate) fn stored_summary(summary: &str) -> String {
    collapse(summary, SUMMARY_CAP_CHARS)
}

fn collapse(s: &str, cap: usize) -> String {
    let mut out = String::with_capacity(s.len().min(cap * 3));
    let mut n = 0;
    for w in s.split_whitespace() {
        if n >= cap {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            n += 1;
        }
        for c in w.chars() {
            if n >= cap {
                break;
            }
            out.push(c);
            n += 1;
        }
    }
    out
}

/// How the files are laid out; decided from the data, stored in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) shard_bits: u32,
    pub(crate) meta_per_shard: usize,
    pub(crate) text_per_shard: usize,
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    docs: usize,
    page_size: usize,
    fields: [&'a str; 4],
    scoring: Scoring,
    terms: ShardSpec,
    meta: ShardSpec,
    text: ShardSpec,
    kinds: Vec<FacetSpec<'a>>,
    domains: Vec<FacetSpec<'a>>,
    years: Vec<FacetSpec<'a>>,
}

#[derive(Serialize)]
struct Scoring {
    k1: f64,
    b: f64,
    weights: [f64; 4],
    avg_len: [f64; 4],
    text_cap: usize,
}

#[derive(Serialize)]
struct ShardSpec {
    path: &'static str,
    shards: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    bits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_shard: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hash: Option<&'static str>,
}

#[derive(Serialize)]
struct FacetSpec<'a> {
    value: &'a str,
    label: &'a str,
    count: usize,
    file: String,
}

fn encode_term(index: &Index<'_>, t: &Term, out: &mut Vec<u8>) {
    let mut post = Vec::with_capacity(t.len as usize * 2);
    let mut prev = 0u32;
    for (i, (doc, w)) in index.postings(t).enumerate() {
        put_varint(&mut post, u64::from(if i == 0 { doc } else { doc - prev }));
        post.push(w);
        prev = doc;
    }
    put_varint(out, t.text.len() as u64);
    out.extend_from_slice(t.text.as_bytes());
    put_varint(out, u64::from(t.len));
    put_varint(out, u64::from(t.idf));
    put_varint(out, post.len() as u64);
    out.extend_from_slice(&post);
}

fn encode_ids(ids: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 2 + 4);
    put_varint(&mut out, ids.len() as u64);
    let mut prev = 0;
    for (i, &id) in ids.iter().enumerate() {
        put_varint(&mut out, u64::from(if i == 0 { id } else { id - prev }));
        prev = id;
    }
    out
}

/// The first term of each shard, as an index into `terms` (plus the end).
fn shard_bounds(terms: &[Term], bits: u32) -> Vec<usize> {
    let n = 1usize << bits;
    let mut bounds = Vec::with_capacity(n + 1);
    for s in 0..n as u32 {
        bounds.push(terms.partition_point(|t| shard_of(t.hash, bits) < s));
    }
    bounds.push(terms.len());
    bounds
}

fn json_array(items: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.iter().map(|s| s.len() + 1).sum::<usize>() + 2);
    out.push(b'[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(b"]\n");
    out
}

impl Index<'_> {
    /// The metadata entry of a document, as JSON.
    fn meta_json(&self, id: u32) -> String {
        let d = self.doc(id);
        let kind = self.facets.kinds.iter().position(|f| f.value == d.kind).unwrap_or(0);
        let mut doms: Vec<usize> = Vec::new();
        for name in &d.domains {
            if let Some(i) = self.facets.domains.iter().position(|f| &f.value == name)
                && !doms.contains(&i)
            {
                doms.push(i);
            }
        }
        let date = d.date.as_deref().unwrap_or("");
        serde_json::to_string(&(&d.url, &d.title, date, kind, doms, stored_summary(&d.summary)))
            .expect("strings serialize")
    }

    /// Decides the layout: enough term shards for about [`TERM_SHARD_TARGET`] bytes each, and
    /// as many documents per meta/text shard as fit their targets on average.
    fn layout(&self, term_bytes: usize, meta_bytes: usize, text_bytes: usize) -> Layout {
        let mut bits = 0;
        while bits < MAX_SHARD_BITS && term_bytes > TERM_SHARD_TARGET << bits {
            bits += 1;
        }
        let n = self.len().max(1);
        let per = |total: usize, target: usize| (target * n / total.max(1)).clamp(1, 256);
        Layout { shard_bits: bits, meta_per_shard: per(meta_bytes, META_SHARD_TARGET), text_per_shard: per(text_bytes, TEXT_SHARD_TARGET) }
    }

    /// Encodes every file of the index: (path relative to the index directory, bytes).
    pub(crate) fn files(&self) -> (Layout, Vec<(String, Vec<u8>)>) {
        let records: Vec<Vec<u8>> = self
            .terms
            .par_iter()
            .map(|t| {
                let mut v = Vec::new();
                encode_term(self, t, &mut v);
                v
            })
            .collect();
        let ids: Vec<u32> = (0..self.len() as u32).collect();
        let metas: Vec<String> = ids.par_iter().map(|&id| self.meta_json(id)).collect();
        let texts: Vec<String> = ids
            .par_iter()
            .map(|&id| serde_json::to_string(&stored_text(&self.doc(id).body)).expect("strings serialize"))
            .collect();
        let sum = |v: &[String]| v.iter().map(String::len).sum::<usize>();
        let term_bytes = records.iter().map(Vec::len).sum();
        let layout = self.layout(term_bytes, sum(&metas), sum(&texts));

        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let bounds = shard_bounds(&self.terms, layout.shard_bits);
        for (s, w) in bounds.windows(2).enumerate() {
            let mut out = Vec::new();
            put_varint(&mut out, (w[1] - w[0]) as u64);
            for r in &records[w[0]..w[1]] {
                out.extend_from_slice(r);
            }
            files.push((format!("terms/{s}.bin"), out));
        }
        drop(records);
        for (s, chunk) in metas.chunks(layout.meta_per_shard).enumerate() {
            files.push((format!("meta/{s}.json"), json_array(chunk)));
        }
        for (s, chunk) in texts.chunks(layout.text_per_shard).enumerate() {
            files.push((format!("text/{s}.json"), json_array(chunk)));
        }
        let facets = |list: &[Facet], p: char, files: &mut Vec<(String, Vec<u8>)>| -> Vec<_> {
            let specs: Vec<FacetSpec<'_>> = list
                .iter()
                .enumerate()
                .map(|(i, f)| FacetSpec { value: &f.value, label: &f.label, count: f.ids.len(), file: format!("facets/{p}{i}.bin") })
                .collect();
            for (f, spec) in list.iter().zip(&specs) {
                files.push((spec.file.clone(), encode_ids(&f.ids)));
            }
            specs
        };
        let kinds = facets(&self.facets.kinds, 'k', &mut files);
        let domains = facets(&self.facets.domains, 'd', &mut files);
        let years = facets(&self.facets.years, 'y', &mut files);
        let n_terms = 1usize << layout.shard_bits;
        let spec = |path, shards| ShardSpec { path, shards, bits: None, count: None, per_shard: None, hash: None };
        let manifest = Manifest {
            version: FORMAT_VERSION,
            docs: self.len(),
            page_size: PAGE_SIZE,
            fields: FIELD_NAMES,
            scoring: Scoring { k1: K1, b: B, weights: FIELD_WEIGHTS, avg_len: self.avg_len, text_cap: TEXT_CAP_CHARS },
            terms: ShardSpec {
                bits: Some(layout.shard_bits),
                count: Some(self.terms.len()),
                hash: Some("fnv1a32+fmix32"),
                ..spec("terms/", n_terms)
            },
            meta: ShardSpec { per_shard: Some(layout.meta_per_shard), ..spec("meta/", self.len().div_ceil(layout.meta_per_shard)) },
            text: ShardSpec { per_shard: Some(layout.text_per_shard), ..spec("text/", self.len().div_ceil(layout.text_per_shard)) },
            kinds,
            domains,
            years,
        };
        let mut json = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
        json.push(b'\n');
        files.push(("manifest.json".to_string(), json));
        (layout, files)
    }

    /// Writes the index under `out_dir` (created if missing). The manifest is written last, so
    /// an interrupted write leaves no usable half-index.
    pub fn write(&self, out_dir: &Path) -> io::Result<IndexStats> {
        let (layout, files) = self.files();
        for d in ["terms", "meta", "text", "facets"] {
            fs::create_dir_all(out_dir.join(d))?;
        }
        let (manifest, rest) = files.split_last().expect("the manifest is always there");
        rest.par_iter().try_for_each(|(rel, bytes)| fs::write(out_dir.join(rel), bytes))?;
        fs::write(out_dir.join(&manifest.0), &manifest.1)?;
        let term_sizes = files.iter().filter(|(p, _)| p.starts_with("terms/")).map(|(_, b)| b.len() as u64);
        Ok(IndexStats {
            docs: self.len(),
            terms: self.terms.len(),
            shards: 1 << layout.shard_bits,
            files: files.len(),
            bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
            largest_shard_bytes: term_sizes.max().unwrap_or(0),
            manifest_bytes: manifest.1.len() as u64,
            docs_per_meta_shard: layout.meta_per_shard,
            docs_per_text_shard: layout.text_per_shard,
        })
    }
}
