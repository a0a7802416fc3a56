//! Building the in-memory index: document order, per-document term counting (in parallel),
//! inversion into posting lists, BM25F weights, facets.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::tokenize::{Piece, scan};
use super::{B, FIELD_WEIGHTS, K1, SearchDoc, term_hash};

/// The index of a set of documents, in memory. [`Index::write`] writes it for the browser;
/// [`Index::search`] answers queries exactly as `search.js` does.
pub struct Index<'a> {
    pub(crate) docs: &'a [SearchDoc],
    /// Document id → position in `docs`. Ids follow date (newest first), then URL.
    pub(crate) order: Vec<u32>,
    /// Average field lengths in tokens (title, headings, summary, body).
    pub(crate) avg_len: [f64; 4],
    /// Sorted by (hash, UTF-8 bytes of the term): a term shard is a contiguous range.
    pub(crate) terms: Vec<Term>,
    /// Document ids of all posting lists, each list ascending.
    pub(crate) post_docs: Vec<u32>,
    /// The quantized BM25F weight (1–255) of each posting.
    pub(crate) post_w: Vec<u8>,
    pub(crate) facets: Facets,
}

/// One term and where its postings are.
pub(crate) struct Term {
    pub(crate) text: Box<str>,
    pub(crate) hash: u32,
    /// round(1000 × BM25 idf), at least 1.
    pub(crate) idf: u32,
    pub(crate) start: u32,
    pub(crate) len: u32,
}

/// One value of a facet and its documents.
pub(crate) struct Facet {
    pub(crate) value: String,
    pub(crate) label: String,
    /// Ascending document ids.
    pub(crate) ids: Vec<u32>,
}

/// The filters offered: kind, domain, year.
pub(crate) struct Facets {
    pub(crate) kinds: Vec<Facet>,
    pub(crate) domains: Vec<Facet>,
    pub(crate) years: Vec<Facet>,
}

/// Top bits of the term hash that split the inversion into independent groups.
const GROUP_BITS: u32 = 6;
const GROUPS: usize = 1 << GROUP_BITS;

/// A fast, deterministic hasher for integer keys (FxHash).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7cc1_b727_220a_95);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// CJK terms are packed into a `u64`: a unigram is its code point, a bigram sets bit 42.
const BIGRAM_BIT: u64 = 1 << 42;

fn cjk_key(p: Piece<'_>) -> Option<u64> {
    match p {
        Piece::Uni(c) => Some(c as u64),
        Piece::Bi(a, b) => Some(BIGRAM_BIT | (a as u64) << 21 | b as u64),
        _ => None,
    }
}

fn key_chars(key: u64) -> (char, Option<char>) {
    let ch = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    if key & BIGRAM_BIT != 0 { (ch(key >> 21), Some(ch(key))) } else { (ch(key), None) }
}

fn key_hash(key: u64) -> u32 {
    let (a, b) = key_chars(key);
    let mut buf = [0u8; 8];
    let n = a.encode_utf8(&mut buf).len();
    let m = b.map_or(0, |b| b.encode_utf8(&mut buf[n..]).len());
    term_hash(&buf[..n + m])
}

fn key_text(key: u64) -> Box<str> {
    let (a, b) = key_chars(key);
    let mut s = String::with_capacity(8);
    s.push(a);
    if let Some(b) = b {
        s.push(b);
    }
    s.into_boxed_str()
}

/// A CJK posting before inversion: term, document, term count per field (saturating at 255).
struct Entry {
    key: u64,
    doc: u32,
    tf: [u8; 4],
}

/// A word or number posting before inversion.
struct TextEntry {
    text: Box<str>,
    doc: u32,
    tf: [u8; 4],
}

/// What the parallel pass over the documents collects (in document order).
struct Acc {
    cjk: Vec<Vec<Entry>>,
    text: Vec<Vec<TextEntry>>,
    lens: Vec<[u32; 4]>,
    scratch_cjk: FxMap<u64, [u8; 4]>,
    scratch_text: HashMap<String, [u8; 4]>,
    buf: String,
}

impl Acc {
    fn new() -> Acc {
        Acc {
            cjk: (0..GROUPS).map(|_| Vec::new()).collect(),
            text: (0..GROUPS).map(|_| Vec::new()).collect(),
            lens: Vec::new(),
            scratch_cjk: FxMap::default(),
            scratch_text: HashMap::new(),
            buf: String::new(),
        }
    }

    /// Counts the terms of one document, field by field.
    fn add(&mut self, id: u32, d: &SearchDoc) {
        let mut lens = [0u32; 4];
        let headings = d.headings.iter().chain(&d.domains).chain(std::iter::once(&d.kind_label));
        let fields: [Vec<&str>; 4] =
            [vec![&d.title], headings.map(String::as_str).collect(), vec![&d.summary], vec![&d.body]];
        let (cjk, text) = (&mut self.scratch_cjk, &mut self.scratch_text);
        for (f, parts) in fields.iter().enumerate() {
            for part in parts {
                scan(part, &mut self.buf, |p, _| {
                    lens[f] += 1;
                    let slot = match cjk_key(p) {
                        Some(k) => cjk.entry(k).or_insert([0; 4]),
                        None => {
                            let (Piece::Word(s) | Piece::Num(s)) = p else { return };
                            if !text.contains_key(s) {
                                text.insert(s.to_string(), [0; 4]);
                            }
                            text.get_mut(s).expect("just inserted")
                        }
                    };
                    slot[f] = slot[f].saturating_add(1);
                });
            }
        }
        for (key, tf) in cjk.drain() {
            let g = (key_hash(key) >> (32 - GROUP_BITS)) as usize;
            self.cjk[g].push(Entry { key, doc: id, tf });
        }
        for (s, tf) in text.drain() {
            let g = (term_hash(s.as_bytes()) >> (32 - GROUP_BITS)) as usize;
            self.text[g].push(TextEntry { text: s.into_boxed_str(), doc: id, tf });
        }
        self.lens.push(lens);
    }

    /// Appends `other`, which holds the documents right after those of `self`.
    fn append(mut self, mut other: Acc) -> Acc {
        for (a, b) in self.cjk.iter_mut().zip(&mut other.cjk) {
            a.append(b);
        }
        for (a, b) in self.text.iter_mut().zip(&mut other.text) {
            a.append(b);
        }
        self.lens.append(&mut other.lens);
        self
    }
}

/// The quantized BM25F term weight: 255 × tf̃ / (k1 + tf̃), with
/// tf̃ = Σ_f w_f · tf_f / (1 − b + b · len_f / avg_len_f). At least 1.
pub(crate) fn weight(tf: [u8; 4], lens: [u32; 4], avg: [f64; 4]) -> u8 {
    let mut t = 0.0;
    for f in 0..4 {
        if tf[f] > 0 && avg[f] > 0.0 {
            t += FIELD_WEIGHTS[f] * f64::from(tf[f]) / (1.0 - B + B * f64::from(lens[f]) / avg[f]);
        }
    }
    (255.0 * t / (K1 + t)).round().clamp(1.0, 255.0) as u8
}

/// round(1000 × ln(1 + (N − df + 0.5) / (df + 0.5))), at least 1.
pub(crate) fn idf_milli(n: usize, df: usize) -> u32 {
    let (n, df) = (n as f64, df as f64);
    let x = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    ((x * 1000.0).round() as u32).max(1)
}

/// The posting lists of one hash group.
struct Group {
    terms: Vec<Term>,
    docs: Vec<u32>,
    w: Vec<u8>,
}

/// Inverts the entries of one group (already in document order) into posting lists.
fn invert<K: Eq + std::hash::Hash + Copy>(
    keys: impl Iterator<Item = (K, u32, [u8; 4])> + Clone,
    text_of: impl Fn(K) -> (Box<str>, u32),
    n_docs: usize,
    lens: &[[u32; 4]],
    avg: [f64; 4],
    out: &mut Group,
) {
    let mut ids: FxMap<K, u32> = FxMap::default();
    let mut firsts: Vec<K> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let mut tid: Vec<u32> = Vec::new();
    for (k, _, _) in keys.clone() {
        let t = *ids.entry(k).or_insert_with(|| {
            firsts.push(k);
            counts.push(0);
            (firsts.len() - 1) as u32
        });
        counts[t as usize] += 1;
        tid.push(t);
    }
    let base = out.docs.len();
    let mut next: Vec<usize> = Vec::with_capacity(counts.len());
    let mut at = base;
    for (k, &c) in firsts.iter().zip(&counts) {
        let (text, hash) = text_of(*k);
        out.terms.push(Term { text, hash, idf: idf_milli(n_docs, c as usize), start: at as u32, len: c });
        next.push(at);
        at += c as usize;
    }
    out.docs.resize(at, 0);
    out.w.resize(at, 0);
    for ((_, doc, tf), t) in keys.zip(tid) {
        let p = &mut next[t as usize];
        out.docs[*p] = doc;
        out.w[*p] = weight(tf, lens[doc as usize], avg);
        *p += 1;
    }
}

fn facet_list(map: BTreeMap<String, (String, Vec<u32>)>) -> Vec<Facet> {
    map.into_iter().map(|(value, (label, ids))| Facet { value, label, ids }).collect()
}

impl<'a> Index<'a> {
    /// Indexes `docs` (tokenizing in parallel with rayon).
    pub fn build(docs: &'a [SearchDoc]) -> Index<'a> {
        let mut order: Vec<u32> = (0..docs.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&docs[a as usize], &docs[b as usize]);
            (y.date.cmp(&x.date))
                .then_with(|| x.url.cmp(&y.url))
                .then_with(|| x.title.cmp(&y.title))
                .then_with(|| x.body.cmp(&y.body))
                .then(a.cmp(&b))
        });
        let acc = order
            .par_iter()
            .enumerate()
            .fold(Acc::new, |mut acc, (id, &ix)| {
                acc.add(id as u32, &docs[ix as usize]);
                acc
            })
            .reduce(Acc::new, Acc::append);
        let n = docs.len();
        let mut avg = [0.0f64; 4];
        for l in &acc.lens {
            for f in 0..4 {
                avg[f] += f64::from(l[f]);
            }
        }
        for a in &mut avg {
            *a /= n.max(1) as f64;
        }
        let lens = &acc.lens;
        let groups: Vec<Group> = acc
            .cjk
            .into_par_iter()
            .zip(acc.text.into_par_iter())
            .map(|(cjk, text)| {
                let mut g = Group { terms: Vec::new(), docs: Vec::new(), w: Vec::new() };
                let it = cjk.iter().map(|e| (e.key, e.doc, e.tf));
                invert(it, |k| (key_text(k), key_hash(k)), n, lens, avg, &mut g);
                drop(cjk);
                let it = text.iter().map(|e| (&*e.text, e.doc, e.tf));
                invert(it, |s: &str| (s.into(), term_hash(s.as_bytes())), n, lens, avg, &mut g);
                g
            })
            .collect();
        let total: usize = groups.iter().map(|g| g.docs.len()).sum();
        let mut post_docs = Vec::with_capacity(total);
        let mut post_w = Vec::with_capacity(total);
        let mut terms = Vec::new();
        for g in groups {
            let base = post_docs.len() as u32;
            post_docs.extend_from_slice(&g.docs);
            post_w.extend_from_slice(&g.w);
            terms.extend(g.terms.into_iter().map(|t| Term { start: t.start + base, ..t }));
        }
        terms.par_sort_unstable_by(|a, b| (a.hash, a.text.as_bytes()).cmp(&(b.hash, b.text.as_bytes())));
        // The pass over the documents keeps document order; make sure of it.
        for t in &terms {
            let r = t.start as usize..(t.start + t.len) as usize;
            debug_assert!(post_docs[r].windows(2).all(|w| w[0] < w[1]), "postings out of order");
        }
        let facets = Self::facets(docs, &order);
        Index { docs, order, avg_len: avg, terms, post_docs, post_w, facets }
    }

    fn facets(docs: &[SearchDoc], order: &[u32]) -> Facets {
        let mut kinds: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
        let mut domains: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
        let mut years: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
        for (id, &ix) in order.iter().enumerate() {
            let (id, d) = (id as u32, &docs[ix as usize]);
            let label = if d.kind_label.is_empty() { &d.kind } else { &d.kind_label };
            kinds.entry(d.kind.clone()).or_insert_with(|| (label.clone(), Vec::new())).1.push(id);
            let mut seen: Vec<&str> = Vec::new();
            for dom in &d.domains {
                if !seen.contains(&dom.as_str()) {
                    seen.push(dom);
                    domains.entry(dom.clone()).or_insert_with(|| (dom.clone(), Vec::new())).1.push(id);
                }
            }
            if let Some(y) = d.date.as_deref().and_then(|s| s.get(..4)).filter(|y| y.bytes().all(|b| b.is_ascii_digit())) {
                years.entry(y.to_string()).or_insert_with(|| (y.to_string(), Vec::new())).1.push(id);
            }
        }
        const KIND_ORDER: [&str; 4] = ["news", "item", "report", "page"];
        let mut kinds = facet_list(kinds);
        kinds.sort_by_key(|f| (KIND_ORDER.iter().position(|k| *k == f.value).unwrap_or(KIND_ORDER.len()), f.value.clone()));
        let mut domains = facet_list(domains);
        domains.sort_by(|a, b| b.ids.len().cmp(&a.ids.len()).then_with(|| a.value.cmp(&b.value)));
        let mut years = facet_list(years);
        years.reverse();
        Facets { kinds, domains, years }
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Number of distinct terms.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The document with id `id` (ids are assigned newest first).
    pub fn doc(&self, id: u32) -> &'a SearchDoc {
        &self.docs[self.order[id as usize] as usize]
    }

    /// The term `text` (already normalized, as produced by [`super::tokenize`]).
    pub(crate) fn find(&self, text: &str) -> Option<&Term> {
        let key = (term_hash(text.as_bytes()), text.as_bytes());
        self.terms.binary_search_by(|t| (t.hash, t.text.as_bytes()).cmp(&key)).ok().map(|i| &self.terms[i])
    }

    /// The postings of a term: (document id, weight).
    pub(crate) fn postings(&self, t: &Term) -> impl Iterator<Item = (u32, u8)> + '_ {
        let r = t.start as usize..(t.start + t.len) as usize;
        self.post_docs[r.clone()].iter().copied().zip(self.post_w[r].iter().copied())
    }
}
