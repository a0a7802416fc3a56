//! Sharding and the file formats (see `docs/search.md`).
//!
//! ```text
//! manifest.json          counts, scoring constants, shard scheme, facets
//! terms/<n>.bin          term shards; n = top `bits` bits of termHash(term)
//! docs/<n>.json          documents n·k … n·k+k−1: [url, title, date, kind index,
//!                        [domain indexes], summary, text, [keywords]]; for excerpts and the
//!                        check of phrases (`verify.rs`)
//! facets/{k,d,y}<i>.bin  the ids of the i-th kind, domain, year
//! ```
//!
//! Binary files use unsigned LEB128 varints. A term shard is `varint count` followed by
//! `count` records sorted by (hash, term bytes):
//! `varint len, term (UTF-8), varint df, varint idf, varint n_bytes, postings`
//! where the postings (n_bytes long) are `df` × (`varint (id delta << 3 | first field)`,
//! `u8 weight`); the first delta is the id itself, the first field is where the term first
//! appears in the document (0 title, 1 headings, 2 summary, 3 body, 4 keywords). A facet file is
//! `varint count` followed by `count` id deltas; `facets/docs.bin` gives each document's
//! kind, year and domains (for the per-filter counts).
//! `fold.txt` is the 繁→简 folding table (pairs of characters, one pair a line).
//!
//! Shards are encoded and written one by one (in parallel), so the whole index is never held
//! in memory twice.

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::build::{Index, Term};
use super::facets::Facet;
use super::tokenize::{T2S, T2S_FIRST, T2S_LAST, is_foldable};
use super::{
    B, FIELD_NAMES, FIELD_WEIGHTS, FOLD_FILE, FORMAT_VERSION, IndexStats, K1, NF, PAGE_SIZE,
    SUMMARY_CAP_CHARS, TEXT_CAP_CHARS, shard_of,
};

/// The per-document facet file (kind, year, domains of each document).
pub(crate) const DOC_FACETS_FILE: &str = "facets/docs.bin";

/// Target size of a term shard: the client fetches one shard per query term.
pub(crate) const TERM_SHARD_TARGET: usize = 8 * 1024;
/// At most 2^12 = 4096 term shards.
pub(crate) const MAX_SHARD_BITS: u32 = 12;
/// Target size of a document shard: the client fetches the shards of one page of results
/// (up to [`PAGE_SIZE`] shards), so these are kept small.
pub(crate) const DOC_SHARD_TARGET: usize = 4 * 1024;

/// Shards written as one piece of parallel work: rayon's default pieces left one thread a
/// long last run while the other waited (issue 13).
const SHARDS_PER_JOB: usize = 16;

/// Appends `v` as an unsigned LEB128 varint (byte by byte: once per posting, and copying
/// from a buffer called `memcpy` for a byte or two).
#[inline]
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes `v` as an unsigned LEB128 varint at the start of `buf`; returns its length.
#[inline]
fn varint_into(buf: &mut [u8; 10], mut v: u64) -> usize {
    let mut n = 0;
    while v >= 0x80 {
        buf[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    buf[n] = v as u8;
    n + 1
}

/// The varint of a posting: the id delta and the first field of the payload's mask.
pub(crate) fn posting_head(delta: impl Into<u64>, payload: u16) -> u64 {
    let mask = u64::from(payload) & ((1 << NF) - 1);
    delta.into() << 3 | u64::from((mask | 1 << NF).trailing_zeros())
}

/// Reads a varint at `*at` (the tests decode shards with it).
#[cfg(test)]
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

/// Appends a term record (`varint len, term, varint df, varint idf, varint n_bytes,
/// postings`); `postings` are (document id, payload), ids ascending.
pub(crate) fn encode_record(
    text: &str,
    df: u32,
    idf: u32,
    postings: impl IntoIterator<Item = (u32, u16)>,
    out: &mut Vec<u8>,
) {
    put_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
    put_varint(out, u64::from(df));
    put_varint(out, u64::from(idf));
    // The postings are written once and their length put in front of them (moving a few
    // hundred bytes), instead of a first pass over them for the length only; the length's
    // varint is built on the stack (this runs once per term of the site).
    let at = out.len();
    let mut prev = 0;
    for (doc, p) in postings {
        put_varint(out, posting_head(doc - prev, p));
        out.push((p >> NF) as u8);
        prev = doc;
    }
    let mut len = [0u8; 10];
    let n = varint_into(&mut len, (out.len() - at) as u64);
    out.splice(at..at, len[..n].iter().copied());
}

/// Body text as stored in the document shards: white space collapsed, at most
/// [`TEXT_CAP_CHARS`] characters. The phrase bonus looks at this text only.
pub(crate) fn stored_text(body: &str) -> String {
    let mut out = String::new();
    collapse_into(body, TEXT_CAP_CHARS, &mut out);
    out
}

/// Summary as stored in the document shards.
pub(crate) fn stored_summary(summary: &str) -> String {
    let mut out = String::new();
    collapse_into(summary, SUMMARY_CAP_CHARS, &mut out);
    out
}

/// Appends to `out` the JSON string of [`stored_summary`] and of [`stored_text`] (`"…","…"`),
/// as serde_json writes them, without either in a string of its own.
pub(crate) fn push_stored_json(summary: &str, body: &str, out: &mut String) {
    push_json_with(out, |o| collapse_into(summary, SUMMARY_CAP_CHARS, o));
    out.push(',');
    push_json_with(out, |o| collapse_into(body, TEXT_CAP_CHARS, o));
}

/// Appends `s` as a JSON string, byte for byte as serde_json writes it.
pub(crate) fn push_json_str(out: &mut String, s: &str) {
    push_json_with(out, |o| o.push_str(s));
}

/// Appends the text `write` appends, as a JSON string: quoted as it is when nothing in it needs
/// escaping (the common case, tested a block of bytes at a time), else escaped by serde_json.
fn push_json_with(out: &mut String, write: impl FnOnce(&mut String)) {
    out.push('"');
    let start = out.len();
    write(out);
    let needs_escape = out.as_bytes()[start..].chunks(32).any(|c| {
        c.iter()
            .fold(false, |a, &b| a | (b < 0x20) | (b == b'"') | (b == b'\\'))
    });
    if needs_escape {
        let raw = out.split_off(start);
        out.pop();
        out.push_str(&serde_json::to_string(&raw).expect("strings serialize"));
    } else {
        out.push('"');
    }
}

/// Appends `s` to `out` with each run of white space made one space, trimmed, and at most
/// `cap` characters.
fn collapse_into(s: &str, cap: usize, out: &mut String) {
    let b = s.as_bytes();
    out.reserve(s.len().min(cap * 3));
    let (mut n, mut space) = (0, false);
    // The run of kept characters not yet copied (copied whole, not character by character);
    // characters are measured and tested for white space on their UTF-8 bytes, not decoded.
    let (mut start, mut end) = (None, 0);
    let mut i = 0;
    while i < b.len() {
        let len = utf8_len(b[i]);
        if is_whitespace_at(&b[i..]) {
            if let Some(st) = start.take() {
                out.push_str(&s[st..end]);
            }
            space = n > 0;
            i += len;
            continue;
        }
        if space {
            if n + 1 >= cap {
                break;
            }
            out.push(' ');
            n += 1;
            space = false;
        }
        if n >= cap {
            break;
        }
        start.get_or_insert(i);
        i += len;
        end = i;
        n += 1;
    }
    if let Some(st) = start {
        out.push_str(&s[st..end]);
    }
}

/// The length of the UTF-8 character that starts with `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..0x80 => 1,
        0x80..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// Whether the character at the start of `b` is [`char::is_whitespace`], from its bytes.
fn is_whitespace_at(b: &[u8]) -> bool {
    match b {
        [0x09..=0x0D | b' ', ..] => true,
        [0xC2, 0x85 | 0xA0, ..] => true, // U+0085, U+00A0
        [0xE1, 0x9A, 0x80, ..] => true,  // U+1680
        [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..] => true, // U+2000–200A, 2028, 2029, 202F
        [0xE2, 0x81, 0x9F, ..] => true,  // U+205F
        [0xE3, 0x80, 0x80, ..] => true,  // U+3000
        _ => false,
    }
}

/// How the files are laid out; decided from the data, stored in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    shard_bits: u32,
    docs_per_shard: usize,
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    doc_count: usize,
    page_size: usize,
    fields: [&'a str; NF],
    scoring: Scoring,
    terms: TermSpec,
    docs: DocSpec,
    kinds: Vec<FacetSpec<'a>>,
    domains: Vec<FacetSpec<'a>>,
    years: Vec<FacetSpec<'a>>,
    doc_facets: &'static str,
    synonyms: &'a [Vec<String>],
    fold: FoldSpec,
}

/// Where the folding table is, and which characters it folds (a bitmap over
/// `first`…`last`, bit i = byte i/8, bit i%8, base64) so the browser loads the table only
/// for text with a traditional character.
#[derive(Serialize)]
struct FoldSpec {
    file: &'static str,
    first: u32,
    last: u32,
    bits: String,
}

fn fold_spec() -> FoldSpec {
    let n = (T2S_LAST - T2S_FIRST + 1) as usize;
    let mut bits = vec![0u8; n.div_ceil(8)];
    for i in 0..n {
        let c = char::from_u32(T2S_FIRST + i as u32).unwrap_or(' ');
        if is_foldable(c) {
            bits[i / 8] |= 1 << (i % 8);
        }
    }
    FoldSpec {
        file: FOLD_FILE,
        first: T2S_FIRST,
        last: T2S_LAST,
        bits: base64(&bits),
    }
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let v = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                out.push(A[(v >> shift & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[derive(Serialize)]
struct Scoring {
    k1: f64,
    b: f64,
    weights: [f64; NF],
    avg_len: [f64; NF],
    text_cap: usize,
}

#[derive(Serialize)]
struct TermSpec {
    path: &'static str,
    shards: usize,
    bits: u32,
    count: usize,
    hash: &'static str,
}

#[derive(Serialize)]
struct DocSpec {
    path: &'static str,
    shards: usize,
    per_shard: usize,
}

#[derive(Serialize)]
struct FacetSpec<'a> {
    value: &'a str,
    label: &'a str,
    count: usize,
    /// `facets/<p><i>.bin`; not in the manifest (the browser derives it from the position).
    #[serde(skip)]
    file: String,
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

/// The manifest entries of a facet (prefix `p`: k, d or y).
fn facet_specs(list: &[Facet], p: char) -> Vec<FacetSpec<'_>> {
    let mut out = Vec::with_capacity(list.len());
    for (i, f) in list.iter().enumerate() {
        out.push(FacetSpec {
            value: &f.value,
            label: &f.label,
            count: f.ids.len(),
            file: format!("facets/{p}{i}.bin"),
        });
    }
    out
}

/// Writes `bytes` to `dir/rel` and returns the length.
fn put(dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<u64> {
    fs::write(dir.join(rel), bytes)?;
    Ok(bytes.len() as u64)
}

impl Index<'_> {
    /// `facets/docs.bin`: varint count, then for each document (by id) varint kind index,
    /// varint year index + 1 (0: undated), varint number of domains, varint domain indexes.
    fn doc_facets(&self) -> Vec<u8> {
        let n = self.len();
        let f = &self.facets;
        let mut year = vec![0u32; n];
        for (i, y) in f.years.iter().enumerate() {
            for &id in &y.ids {
                year[id as usize] = i as u32 + 1;
            }
        }
        let mut doms: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, d) in f.domains.iter().enumerate() {
            for &id in &d.ids {
                doms[id as usize].push(i as u32);
            }
        }
        let mut out = Vec::with_capacity(n * 4 + 4);
        put_varint(&mut out, n as u64);
        for id in 0..n {
            put_varint(&mut out, f.kind_index[id] as u64);
            put_varint(&mut out, u64::from(year[id]));
            put_varint(&mut out, doms[id].len() as u64);
            for &d in &doms[id] {
                put_varint(&mut out, u64::from(d));
            }
        }
        out
    }

    /// The head of a document's entry in its shard: `[url,title,date,kind,[domains]]`, JSON.
    fn doc_head(&self, id: u32) -> String {
        let d = self.doc(id);
        let kind = self
            .facets
            .kinds
            .iter()
            .position(|f| f.value == d.kind)
            .unwrap_or(0);
        let mut doms: Vec<usize> = Vec::new();
        for name in &d.domains {
            if let Some(i) = self.facets.domains.iter().position(|f| &f.value == name)
                && !doms.contains(&i)
            {
                doms.push(i);
            }
        }
        let date = d.date.as_deref().unwrap_or("");
        let head = (&d.url, &d.title, date, kind, doms);
        serde_json::to_string(&head).expect("strings serialize")
    }

    /// The entry of a document in its shard, as JSON: `[url, title, date, kind, [domains],
    /// summary, text, [keywords]]` (the head and the [`super::stream::entry_tail`]).
    fn doc_json(&self, id: u32) -> io::Result<String> {
        let mut head = self.doc_head(id);
        let tail = self.docs.tail(self.order[id as usize] as usize)?;
        head.pop();
        head.push(',');
        head.push_str(&tail);
        head.push(']');
        Ok(head)
    }

    /// The length of [`Index::doc_json`].
    fn doc_json_len(&self, id: u32) -> usize {
        self.doc_head(id).len() + 1 + self.docs.tail_len(self.order[id as usize] as usize)
    }

    /// The encoded size of a term record, in `buf` (encoded to be measured: the format has one
    /// home, [`encode_record`]; an index built in memory, the preview's, is measured this way).
    fn record_len(&self, t: &Term, buf: &mut Vec<u8>) -> usize {
        buf.clear();
        self.encode_term(t, buf);
        buf.len()
    }

    fn encode_term(&self, t: &Term, out: &mut Vec<u8>) {
        encode_record(self.term_text(t), t.len, t.idf, self.postings(t), out);
    }

    /// Decides the layout: enough term shards for about [`TERM_SHARD_TARGET`] bytes each, and
    /// as many documents per document shard as fit [`DOC_SHARD_TARGET`] on average.
    fn layout(&self) -> (Layout, Vec<usize>) {
        let sizes: Vec<usize> = self
            .terms
            .par_iter()
            .map_init(Vec::new, |buf, t| self.record_len(t, buf))
            .collect();
        let term_bytes = match &self.records {
            Some(r) => r.total() as usize,
            None => sizes.iter().sum(),
        };
        // The entries are serialized here for their size only, and again shard by shard when
        // written, so they are never all held at once.
        let doc_bytes: usize = (0..self.len() as u32)
            .into_par_iter()
            .map(|id| self.doc_json_len(id) + 2)
            .sum();
        let mut bits = 0;
        while bits < MAX_SHARD_BITS && term_bytes > TERM_SHARD_TARGET << bits {
            bits += 1;
        }
        let n = self.len().max(1);
        let per = (DOC_SHARD_TARGET * n / doc_bytes.max(1)).clamp(1, 256);
        (
            Layout {
                shard_bits: bits,
                docs_per_shard: per,
            },
            sizes,
        )
    }

    /// Writes the index under `out_dir` (created if missing). The manifest is written last, so
    /// an interrupted write leaves no usable half-index.
    pub fn write(&self, out_dir: &Path) -> io::Result<IndexStats> {
        for d in ["terms", "docs", "facets"] {
            fs::create_dir_all(out_dir.join(d))?;
        }
        let (layout, sizes) = self.layout();
        let bits = layout.shard_bits;
        let n_shards = 1usize << bits;
        // Terms are sorted by hash: shard s is a contiguous range.
        let hashes: Vec<u32>;
        let hashes = match &self.records {
            Some(r) => &r.hashes,
            None => {
                hashes = self.terms.iter().map(|t| t.hash).collect();
                &hashes
            }
        };
        let bounds: Vec<usize> = (0..=n_shards as u64)
            .map(|s| {
                if s == n_shards as u64 {
                    hashes.len()
                } else {
                    hashes.partition_point(|&h| u64::from(shard_of(h, bits)) < s)
                }
            })
            .collect();
        let term_files: Vec<u64> = (0..n_shards)
            .into_par_iter()
            .with_max_len(SHARDS_PER_JOB)
            .map(|s| {
                let (a, b) = (bounds[s], bounds[s + 1]);
                let mut out = Vec::new();
                put_varint(&mut out, (b - a) as u64);
                match &self.records {
                    Some(r) => r.read_into(a, b, &mut out)?,
                    None => {
                        out.reserve(sizes[a..b].iter().sum::<usize>());
                        for t in &self.terms[a..b] {
                            self.encode_term(t, &mut out);
                        }
                    }
                }
                put(out_dir, &format!("terms/{s}.bin"), &out)
            })
            .collect::<io::Result<_>>()?;
        let per = layout.docs_per_shard;
        let n_docs = self.len().div_ceil(per);
        let doc_files: Vec<u64> = (0..n_docs)
            .into_par_iter()
            .with_max_len(SHARDS_PER_JOB)
            .map(|s| {
                let ids = (s * per) as u32..((s + 1) * per).min(self.len()) as u32;
                let mut out = Vec::with_capacity(per * 2048);
                out.push(b'[');
                for id in ids {
                    if out.len() > 1 {
                        out.extend_from_slice(b",\n");
                    }
                    out.extend_from_slice(self.doc_json(id)?.as_bytes());
                }
                out.extend_from_slice(b"]\n");
                put(out_dir, &format!("docs/{s}.json"), &out)
            })
            .collect::<io::Result<_>>()?;
        let f = &self.facets;
        let (kinds, domains, years) = (
            facet_specs(&f.kinds, 'k'),
            facet_specs(&f.domains, 'd'),
            facet_specs(&f.years, 'y'),
        );
        let mut facet_bytes = 0;
        let lists = f
            .kinds
            .iter()
            .zip(&kinds)
            .chain(f.domains.iter().zip(&domains))
            .chain(f.years.iter().zip(&years));
        let mut facet_files = 0;
        for (facet, spec) in lists {
            facet_bytes += put(out_dir, &spec.file, &encode_ids(&facet.ids))?;
            facet_files += 1;
        }
        facet_bytes += put(out_dir, DOC_FACETS_FILE, &self.doc_facets())?;
        facet_bytes += put(out_dir, FOLD_FILE, T2S.as_bytes())?;
        facet_files += 2;
        let manifest = Manifest {
            version: FORMAT_VERSION,
            doc_count: self.len(),
            page_size: PAGE_SIZE,
            fields: FIELD_NAMES,
            scoring: Scoring {
                k1: K1,
                b: B,
                weights: FIELD_WEIGHTS,
                avg_len: self.avg_len,
                text_cap: TEXT_CAP_CHARS,
            },
            terms: TermSpec {
                path: "terms/",
                shards: n_shards,
                bits,
                count: self.term_count(),
                hash: "fnv1a32+fmix32",
            },
            docs: DocSpec {
                path: "docs/",
                shards: n_docs,
                per_shard: per,
            },
            kinds,
            domains,
            years,
            doc_facets: DOC_FACETS_FILE,
            synonyms: &self.synonyms,
            fold: fold_spec(),
        };
        let mut json = serde_json::to_vec(&manifest).expect("manifest serializes");
        json.push(b'\n');
        let manifest_bytes = put(out_dir, "manifest.json", &json)?;
        let term_bytes: u64 = term_files.iter().sum();
        Ok(IndexStats {
            docs: self.len(),
            terms: self.term_count(),
            shards: n_shards,
            files: n_shards + n_docs + facet_files + 1,
            bytes: term_bytes + doc_files.iter().sum::<u64>() + facet_bytes + manifest_bytes,
            largest_shard_bytes: term_files.iter().copied().max().unwrap_or(0),
            manifest_bytes,
            docs_per_shard: per,
        })
    }
}

#[cfg(test)]
mod collapse_tests;
