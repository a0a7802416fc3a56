//! Building the in-memory index: document order, per-document term counting (in parallel),
//! inversion into posting lists (in parallel, by groups of terms), BM25F weights.

use rayon::prelude::*;

use super::IndexOptions;
use super::facets::Facets;
use super::query::normalize_synonyms;
use super::records::Records;
use super::stream::Docs;
use super::tokenize::{Piece, scan};
use super::write::encode_record;
use super::{B, FIELD_WEIGHTS, K1, NF, SearchDoc, term_hash};
use crate::fx::FxMap;

/// The index of a set of documents, in memory. [`Index::write`] writes it for the browser;
/// [`Index::search`] answers queries exactly as `search.js` does.
pub struct Index<'a> {
    /// The documents (borrowed, or their metadata and a spill file of their entries).
    pub(crate) docs: Docs<'a>,
    /// Document id → position in `docs`. Ids follow date (newest first), then URL.
    pub(crate) order: Vec<u32>,
    /// Average field lengths in tokens (title, headings, summary, body, keywords).
    pub(crate) avg_len: [f64; NF],
    /// Sorted by (hash, UTF-8 bytes of the term): a term shard is a contiguous range.
    pub(crate) terms: Vec<Term>,
    /// The texts of all terms, back to back.
    text: String,
    /// The posting lists, by inversion group.
    lists: Vec<Lists>,
    pub(crate) facets: Facets,
    /// Normalized synonym groups (the default table and the site's).
    pub(crate) synonyms: Vec<Vec<String>>,
    /// For an index built by [`super::IndexBuilder`]: the encoded term records, on disk
    /// (`terms`, `text` and `lists` are then empty).
    pub(crate) records: Option<Records>,
}

/// One term and where its text and postings are.
pub(crate) struct Term {
    pub(crate) hash: u32,
    /// round(1000 × BM25 idf), at least 1.
    pub(crate) idf: u32,
    /// Number of postings (document frequency).
    pub(crate) len: u32,
    start: u32,
    text_start: u32,
    text_len: u16,
    group: u16,
}

/// Posting lists of one inversion group: document ids (ascending within a list) and payloads
/// (`weight << 5 | field mask`, see [`payload`]).
#[derive(Default)]
struct Lists {
    docs: Vec<u32>,
    w: Vec<u16>,
}

/// The inversion runs in 2^GROUP_BITS independent groups of terms (in parallel).
pub(crate) const GROUP_BITS: u32 = 5;
pub(crate) const GROUPS: usize = 1 << GROUP_BITS;

/// CJK terms are packed into a `u64`: a unigram is its code point, a bigram sets bit 42.
pub(crate) const BIGRAM_BIT: u64 = 1 << 42;

pub(crate) fn cjk_key(p: Piece<'_>) -> Option<u64> {
    match p {
        Piece::Uni(c) => Some(c as u64),
        Piece::Bi(a, b) => Some(BIGRAM_BIT | (a as u64) << 21 | b as u64),
        _ => None,
    }
}

/// The UTF-8 text of a CJK key, in a small buffer.
pub(crate) fn key_utf8(key: u64, buf: &mut [u8; 8]) -> &str {
    std::str::from_utf8(key_bytes(key, buf)).unwrap_or("")
}

/// The UTF-8 bytes of a CJK key, in a small buffer (what [`key_utf8`] checks and returns: the
/// tokenizer hashes them for every distinct term of every page, and needs no `&str`).
pub(crate) fn key_bytes(key: u64, buf: &mut [u8; 8]) -> &[u8] {
    let ch = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    let n = if key & BIGRAM_BIT != 0 {
        let n = ch(key >> 21).encode_utf8(&mut buf[..]).len();
        n + ch(key).encode_utf8(&mut buf[n..]).len()
    } else {
        ch(key).encode_utf8(&mut buf[..]).len()
    };
    &buf[..n]
}

/// Per-field term counts saturate at 15 in the packed entries (4 bits each): with k1 = 1.2
/// the weight of 15 occurrences is already within 8 % of the limit.
const TF_BITS: u32 = 4;
pub(crate) const TF_MAX: u8 = (1 << TF_BITS) - 1;

/// Packs a CJK term key (43 bits) and its five field counts (20 bits) into one `u64`.
pub(crate) fn pack(key: u64, tf: [u8; NF]) -> u64 {
    let mut e = key << (NF as u32 * TF_BITS);
    for (f, &c) in tf.iter().enumerate() {
        e |= u64::from(c.min(TF_MAX)) << (f as u32 * TF_BITS);
    }
    e
}

pub(crate) fn unpack(e: u64) -> (u64, [u8; NF]) {
    let tf = std::array::from_fn(|f| ((e >> (f as u32 * TF_BITS)) as u8) & TF_MAX);
    (e >> (NF as u32 * TF_BITS), tf)
}

/// The inversion group of a CJK key (any good mix of the key will do).
pub(crate) fn key_group(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - GROUP_BITS)) as usize
}

pub(crate) fn text_group(s: &str) -> usize {
    super::records::hash_group(term_hash(s.as_bytes()), GROUP_BITS)
}

/// The entries of one inversion group for the documents of a chunk, in document order.
#[derive(Default)]
struct GroupBuf {
    /// Packed CJK entries; document i of the chunk ends at `cjk_ends[i]`.
    cjk: Vec<u64>,
    cjk_ends: Vec<u32>,
    /// Words and numbers with their field counts; document i ends at `text_ends[i]`.
    text: Vec<(Box<str>, [u8; NF])>,
    text_ends: Vec<u32>,
}

/// Yields (document, item) of a chunk's group, given the first id and the end of each document.
fn by_doc<'c, T>(
    first: u32,
    items: &'c [T],
    ends: &'c [u32],
) -> impl Iterator<Item = (u32, &'c T)> + 'c {
    ends.iter().enumerate().flat_map(move |(i, &end)| {
        let start = if i == 0 { 0 } else { ends[i - 1] as usize };
        items[start..end as usize]
            .iter()
            .map(move |x| (first + i as u32, x))
    })
}

/// The terms of a run of consecutive documents, by inversion group.
struct ChunkTerms {
    first: u32,
    groups: Vec<GroupBuf>,
    /// Field lengths of each document of the chunk.
    lens: Vec<[u32; NF]>,
}

/// Longer words and numbers are not indexed (they count for the field length only).
pub(crate) const MAX_TERM_BYTES: usize = 64;

/// Documents per parallel task of the tokenizing pass.
const CHUNK: usize = 128;

/// Per-thread scratch space of the pass over the documents.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Counts of BMP unigrams, indexed by code point (the hot path), and which are in use.
    pub(crate) uni: Vec<[u8; NF]>,
    pub(crate) uni_used: Vec<u16>,
    /// Counts of bigrams and non-BMP unigrams.
    pub(crate) cjk: FxMap<u64, [u8; NF]>,
    /// Counts of words and numbers (Fx, not SipHash: the order of a document's terms does not
    /// reach the index, which sorts them).
    pub(crate) text: FxMap<String, [u8; NF]>,
    buf: String,
}

impl Scratch {
    /// Tokenizes the documents `first..` (`ixs` are their positions in `docs`).
    fn chunk(&mut self, first: u32, ixs: &[u32], docs: &[SearchDoc]) -> ChunkTerms {
        let mut out = ChunkTerms {
            first,
            groups: (0..GROUPS).map(|_| GroupBuf::default()).collect(),
            lens: Vec::with_capacity(ixs.len()),
        };
        for &ix in ixs {
            self.add(&docs[ix as usize], &mut out);
        }
        out
    }

    /// Counts the terms of one document into the chunk's groups.
    fn add(&mut self, d: &SearchDoc, out: &mut ChunkTerms) {
        let lens = self.count(d);
        let unigrams = self
            .uni_used
            .drain(..)
            .map(|c| (u64::from(c), std::mem::take(&mut self.uni[usize::from(c)])));
        for (key, tf) in unigrams.chain(self.cjk.drain()) {
            out.groups[key_group(key)].cjk.push(pack(key, tf));
        }
        for (s, tf) in self.text.drain() {
            out.groups[text_group(&s)]
                .text
                .push((s.into_boxed_str(), tf));
        }
        for g in &mut out.groups {
            g.cjk_ends.push(g.cjk.len() as u32);
            g.text_ends.push(g.text.len() as u32);
        }
        out.lens.push(lens);
    }

    /// Counts the terms of one document, field by field, into the scratch tables; returns the
    /// field lengths.
    pub(crate) fn count(&mut self, d: &SearchDoc) -> [u32; NF] {
        let mut lens = [0u32; NF];
        let headings = d
            .headings
            .iter()
            .chain(&d.domains)
            .chain(std::iter::once(&d.kind_label));
        let fields: [Vec<&str>; NF] = [
            vec![&d.title],
            headings.map(String::as_str).collect(),
            vec![&d.summary],
            vec![&d.body],
            d.keywords.iter().map(String::as_str).collect(),
        ];
        if self.uni.is_empty() {
            self.uni = vec![[0; NF]; 0x10000];
        }
        let (uni, uni_used, cjk, text) = (
            &mut self.uni,
            &mut self.uni_used,
            &mut self.cjk,
            &mut self.text,
        );
        for (f, parts) in fields.iter().enumerate() {
            for part in parts {
                scan(part, &mut self.buf, |p, _| {
                    lens[f] += 1;
                    let slot = match cjk_key(p) {
                        Some(k) if k < 0x10000 => {
                            let slot = &mut uni[k as usize];
                            if *slot == [0; NF] {
                                uni_used.push(k as u16);
                            }
                            slot
                        }
                        Some(k) => cjk.entry(k).or_insert([0; NF]),
                        None => {
                            let (Piece::Word(s) | Piece::Num(s)) = p else {
                                return;
                            };
                            if s.len() > MAX_TERM_BYTES {
                                return;
                            }
                            if !text.contains_key(s) {
                                text.insert(s.to_string(), [0; NF]);
                            }
                            text.get_mut(s).expect("just inserted")
                        }
                    };
                    slot[f] = slot[f].saturating_add(1);
                });
            }
        }
        lens
    }
}

/// W_f / (1 − b + b · len_f / avg_len_f) for each field (0 for a field no document has).
pub(crate) fn norms(lens: [u32; NF], avg: [f64; NF]) -> [f64; NF] {
    std::array::from_fn(|f| {
        if avg[f] > 0.0 {
            FIELD_WEIGHTS[f] / (1.0 - B + B * f64::from(lens[f]) / avg[f])
        } else {
            0.0
        }
    })
}

/// Largest quantized term weight (one byte in the term shards).
pub(crate) const MAX_WEIGHT: u16 = 255;

/// The posting payload from the field counts and the document's [`norms`]:
/// `weight << 5 | mask`, where weight = round(255 × tf̃ / (k1 + tf̃)) (at least 1) and bit f
/// of the mask says the term is in field f (title, headings, summary, body, keywords).
fn payload(tf: [u8; NF], norms: &[f64; NF]) -> u16 {
    let t: f64 = tf.iter().zip(norms).map(|(&c, n)| f64::from(c) * n).sum();
    let w = round_non_negative(f64::from(MAX_WEIGHT) * t / (K1 + t))
        .clamp(1.0, f64::from(MAX_WEIGHT)) as u16;
    let mask = tf
        .iter()
        .enumerate()
        .fold(0u16, |m, (f, &c)| if c > 0 { m | 1 << f } else { m });
    w << NF | mask
}

/// `x.round()` for 0 ≤ x < 2^52, without the call into libm that `round` is on x86-64 (once
/// per posting: 1 % of a build). `x - trunc(x)` is exact there, so halves go up as `round`'s do.
#[inline]
fn round_non_negative(x: f64) -> f64 {
    let t = (x as u64) as f64;
    if x - t >= 0.5 { t + 1.0 } else { t }
}

/// The quantized BM25F term weight: round(255 × tf̃ / (k1 + tf̃)), at least 1, with
/// tf̃ = Σ_f w_f · tf_f / (1 − b + b · len_f / avg_len_f).
#[cfg(test)]
#[test]
fn round_non_negative_is_round() {
    let mut xs = vec![
        0.0,
        0.5,
        1.5,
        2.5,
        0.499_999_999_999_999_94,
        254.5,
        255.0,
        1e15 + 0.5,
    ];
    xs.extend((0..20_000).map(|i| f64::from(i) * 0.012_75));
    xs.extend((0..1000).map(|i| f64::from(i) + 0.5));
    xs.extend((0..1000).map(|i| f64::from(i) + 0.5 - f64::EPSILON * f64::from(i)));
    for x in xs {
        assert_eq!(round_non_negative(x), x.round(), "{x}");
    }
}

#[cfg(test)]
pub(crate) fn weight(tf: [u8; NF], lens: [u32; NF], avg: [f64; NF]) -> u16 {
    payload(tf, &norms(lens, avg)) >> NF
}

/// round(1000 × ln(1 + (N − df + 0.5) / (df + 0.5))), at least 1.
pub(crate) fn idf_milli(n: usize, df: usize) -> u32 {
    let (n, df) = (n as f64, df as f64);
    let x = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    ((x * 1000.0).round() as u32).max(1)
}

/// The average field lengths of `n` documents and each document's [`norms`], in the order given.
pub(crate) fn field_norms(
    lens: impl Iterator<Item = [u32; NF]> + Clone,
    n: usize,
) -> ([f64; NF], Vec<[f64; NF]>) {
    let mut avg = [0.0f64; NF];
    for l in lens.clone() {
        for (a, &x) in avg.iter_mut().zip(&l) {
            *a += f64::from(x);
        }
    }
    for a in &mut avg {
        *a /= n.max(1) as f64;
    }
    (avg, lens.map(|l| norms(l, avg)).collect())
}

/// What the inversion of one group produces.
#[derive(Default)]
pub(crate) struct Group {
    terms: Vec<Term>,
    text: String,
    lists: Lists,
}

impl Group {
    /// Appends the group's term records to `out`, sorted by (hash, text) and encoded as in the
    /// term shards; returns each one's hash and length, in that order.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) -> (Vec<u32>, Vec<u32>) {
        let text =
            |t: &Term| &self.text.as_bytes()[t.text_start as usize..][..usize::from(t.text_len)];
        let mut order: Vec<&Term> = self.terms.iter().collect();
        order.sort_unstable_by(|a, b| (a.hash, text(a)).cmp(&(b.hash, text(b))));
        let (mut hashes, mut lens) = (
            Vec::with_capacity(order.len()),
            Vec::with_capacity(order.len()),
        );
        for t in order {
            let start = out.len();
            let r = t.start as usize..(t.start + t.len) as usize;
            let postings = self.lists.docs[r.clone()]
                .iter()
                .copied()
                .zip(self.lists.w[r].iter().copied());
            let word = std::str::from_utf8(text(t)).unwrap_or_default();
            encode_record(word, t.len, t.idf, postings, out);
            hashes.push(t.hash);
            lens.push((out.len() - start) as u32);
        }
        (hashes, lens)
    }
}

/// Inverts one group; `entries()` yields its `expected` (document, key, field counts) in
/// document order and `text_of(key, s)` appends the term's text to `s`.
pub(crate) fn invert<K, I>(
    entries: impl Fn() -> I,
    text_of: impl Fn(K, &mut String),
    norms: &[[f64; NF]],
    out: &mut Group,
    expected: usize,
) where
    K: Eq + std::hash::Hash + Copy,
    I: Iterator<Item = (u32, K, [u8; NF])>,
{
    let n_docs = norms.len();
    let mut ids: FxMap<K, u32> = FxMap::default();
    let mut firsts: Vec<K> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    // Sized once: grown by doubling it was copied ~20 times a group, up to megabytes each time
    // at 50,000 pages.
    let mut tid: Vec<u32> = Vec::with_capacity(expected);
    // `for_each` (internal iteration) keeps the nested iterators of the entries out of the loop.
    entries().for_each(|(_, k, _)| {
        let t = *ids.entry(k).or_insert_with(|| {
            firsts.push(k);
            counts.push(0);
            (firsts.len() - 1) as u32
        });
        counts[t as usize] += 1;
        tid.push(t);
    });
    drop(ids);
    let mut next: Vec<usize> = Vec::with_capacity(counts.len());
    let mut at = out.lists.docs.len();
    // Exact sizes: the groups are all held until assembled, so growth slack would add up.
    out.terms.reserve_exact(firsts.len());
    for (&k, &c) in firsts.iter().zip(&counts) {
        let start = out.text.len();
        text_of(k, &mut out.text);
        let end = out.text.len();
        out.terms.push(Term {
            hash: term_hash(&out.text.as_bytes()[start..]),
            idf: idf_milli(n_docs, c as usize),
            len: c,
            start: at as u32,
            text_start: start as u32,
            text_len: (end - start) as u16,
            group: 0,
        });
        next.push(at);
        at += c as usize;
    }
    out.text.shrink_to_fit();
    out.lists.docs.reserve_exact(at - out.lists.docs.len());
    out.lists.w.reserve_exact(at - out.lists.w.len());
    out.lists.docs.resize(at, 0);
    out.lists.w.resize(at, 0);
    let mut tids = tid.into_iter();
    // The entries come document by document, and most terms of a document share a few field
    // counts (once in the body, …): their payloads are remembered per document instead of
    // computed again (the floating-point payload was 3 % of a build, issue 13).
    let mut memo = [(u32::MAX, u64::MAX, 0u16); 64];
    entries().for_each(|(doc, _, tf)| {
        let t = tids.next().expect("the same entries twice");
        let p = &mut next[t as usize];
        out.lists.docs[*p] = doc;
        let key = tf.iter().fold(0u64, |k, &c| k << 8 | u64::from(c));
        let slot = &mut memo[(key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize];
        if slot.0 != doc || slot.1 != key {
            *slot = (doc, key, payload(tf, &norms[doc as usize]));
        }
        out.lists.w[*p] = slot.2;
        *p += 1;
    });
}

impl<'a> Index<'a> {
    /// Indexes `docs` (tokenizing and inverting in parallel with rayon).
    pub fn build(docs: &'a [SearchDoc]) -> Index<'a> {
        Index::build_with(docs, &IndexOptions::default())
    }

    /// Indexes `docs` with the site's options (synonyms, catalog order of the domains).
    pub fn build_with(docs: &'a [SearchDoc], options: &IndexOptions) -> Index<'a> {
        let mut order: Vec<u32> = (0..docs.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&docs[a as usize], &docs[b as usize]);
            (y.date.cmp(&x.date))
                .then_with(|| x.url.cmp(&y.url))
                .then_with(|| x.title.cmp(&y.title))
                .then_with(|| x.body.cmp(&y.body))
                .then(a.cmp(&b))
        });
        let chunks: Vec<ChunkTerms> = order
            .par_chunks(CHUNK)
            .enumerate()
            .map_init(Scratch::default, |s, (c, ixs)| {
                s.chunk((c * CHUNK) as u32, ixs, docs)
            })
            .collect();
        let (avg, norms) = field_norms(chunks.iter().flat_map(|c| &c.lens).copied(), docs.len());
        // Each group's buffers are moved out of the chunks and freed as soon as the group is
        // inverted, so the term entries and the posting lists are never both held in full.
        let mut per_group: Vec<Vec<(u32, GroupBuf)>> = (0..GROUPS)
            .map(|_| Vec::with_capacity(chunks.len()))
            .collect();
        for c in chunks {
            for (g, b) in c.groups.into_iter().enumerate() {
                per_group[g].push((c.first, b));
            }
        }
        let groups: Vec<Group> = per_group
            .into_par_iter()
            .map(|bufs| {
                let mut out = Group::default();
                let cjk = || {
                    bufs.iter().flat_map(|(first, b)| {
                        by_doc(*first, &b.cjk, &b.cjk_ends).map(|(d, &e)| {
                            let (k, tf) = unpack(e);
                            (d, k, tf)
                        })
                    })
                };
                invert(
                    cjk,
                    |k, s| s.push_str(key_utf8(k, &mut [0; 8])),
                    &norms,
                    &mut out,
                    bufs.iter().map(|(_, b)| b.cjk.len()).sum(),
                );
                let text = || {
                    bufs.iter().flat_map(|(first, b)| {
                        by_doc(*first, &b.text, &b.text_ends).map(|(d, (s, tf))| (d, &**s, *tf))
                    })
                };
                let n_text = bufs.iter().map(|(_, b)| b.text.len()).sum();
                invert(text, |t: &str, s| s.push_str(t), &norms, &mut out, n_text);
                drop(bufs);
                out
            })
            .collect();
        Index::assemble(Docs::Borrowed(docs), order, avg, groups, options)
    }

    /// The index from the inverted groups: the terms of all groups sorted by (hash, text), the
    /// facets and the synonyms.
    pub(crate) fn assemble(
        docs: Docs<'a>,
        order: Vec<u32>,
        avg: [f64; NF],
        groups: Vec<Group>,
        options: &IndexOptions,
    ) -> Index<'a> {
        let mut text = String::with_capacity(groups.iter().map(|g| g.text.len()).sum());
        let mut terms = Vec::with_capacity(groups.iter().map(|g| g.terms.len()).sum());
        let mut lists = Vec::with_capacity(GROUPS);
        // Each group's terms and text are freed once copied, so at most one group is held twice.
        for (gi, g) in groups.into_iter().enumerate() {
            let base = text.len() as u32;
            text.push_str(&g.text);
            terms.extend(g.terms.into_iter().map(|t| Term {
                text_start: t.text_start + base,
                group: gi as u16,
                ..t
            }));
            lists.push(g.lists);
        }
        let key = |t: &Term| {
            (
                t.hash,
                &text.as_bytes()[t.text_start as usize..][..usize::from(t.text_len)],
            )
        };
        terms.par_sort_unstable_by(|a, b| key(a).cmp(&key(b)));
        let facets = Facets::build(docs.metas(), &order, &options.domain_order);
        let synonyms = normalize_synonyms(&options.all_synonyms());
        let index = Index {
            docs,
            order,
            avg_len: avg,
            terms,
            text,
            lists,
            facets,
            synonyms,
            records: None,
        };
        // The pass over the documents keeps document order; make sure of it in debug builds.
        if cfg!(debug_assertions) {
            for t in &index.terms {
                let ids: Vec<u32> = index.postings(t).map(|p| p.0).collect();
                assert!(ids.windows(2).all(|w| w[0] < w[1]), "postings out of order");
            }
        }
        index
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
        self.records.as_ref().map_or(self.terms.len(), Records::len)
    }

    /// The document with id `id` (ids are assigned newest first). An index built by
    /// [`super::IndexBuilder`] holds only the metadata (URL, title, date, kind, domains).
    pub fn doc(&self, id: u32) -> &SearchDoc {
        &self.docs.metas()[self.order[id as usize] as usize]
    }

    /// The text of a term.
    pub(crate) fn term_text(&self, t: &Term) -> &str {
        &self.text[t.text_start as usize..][..usize::from(t.text_len)]
    }

    /// The term `text` (already normalized, as produced by [`super::tokenize`]).
    pub(crate) fn find(&self, text: &str) -> Option<&Term> {
        let key = (term_hash(text.as_bytes()), text.as_bytes());
        self.terms
            .binary_search_by(|t| (t.hash, self.term_text(t).as_bytes()).cmp(&key))
            .ok()
            .map(|i| &self.terms[i])
    }

    /// The postings of a term: (document id, payload), ids ascending.
    pub(crate) fn postings(&self, t: &Term) -> impl Iterator<Item = (u32, u16)> + '_ {
        let l = &self.lists[usize::from(t.group)];
        let r = t.start as usize..(t.start + t.len) as usize;
        l.docs[r.clone()]
            .iter()
            .copied()
            .zip(l.w[r].iter().copied())
    }
}
