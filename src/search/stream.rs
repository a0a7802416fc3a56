//! Building the index one document at a time, in bounded memory (issue 13).
//!
//! [`IndexBuilder::add`] takes each page's [`SearchDoc`] as soon as it is rendered (from any
//! thread), tokenizes it at once and appends its term entries (8 bytes per distinct CJK term,
//! words and numbers with their counts) to the spill file of each term's inversion group, and
//! the text part of its document entry (summary, excerpt text, keywords, as JSON) to another
//! unlinked spill file; it keeps only the document's metadata and field lengths. Ids follow
//! date, known only when every document is in: [`IndexBuilder::finish`] sorts the documents,
//! then inverts the groups one by one from their files into encoded term records, also on disk
//! (`records.rs`), and the document shards re-read their entries from the spill file by
//! offset. The bytes written are those of [`super::write_index_with`] over the same documents
//! (when no two documents share a URL, as in a site).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use super::build::{BIGRAM_BIT, GROUP_BITS, Index, Scratch, field_norms, pack};
use super::records::{GroupSpill, hash_group, invert_groups, put_block};
use super::write::{push_json_str, push_stored_json};
use super::{
    FNV_BASIS, IndexOptions, IndexStats, NF, SearchDoc, TEXT_CAP_CHARS, fmix32, fnv_char, term_hash,
};

/// A tokenizing thread's tables and buffers.
#[derive(Default)]
struct Worker {
    scratch: Scratch,
    /// A document's packed CJK entries and its words, by inversion group (a bucket per group
    /// instead of one list sorted by group: the sort was 3 % of a build, issue 13).
    cjk: Vec<Vec<u64>>,
    text: Vec<Vec<(String, [u8; NF])>>,
    /// The blocks of the batch, by group.
    bufs: Vec<Vec<u8>>,
}

impl Worker {
    /// Tokenizes document `doc` (numbered as added), appends its entries to the buffers of the
    /// `1 << bits` groups and returns its field lengths.
    fn add(&mut self, doc: u32, d: &SearchDoc, bits: u32) -> [u32; NF] {
        let s = &mut self.scratch;
        let lens = s.count(d);
        if self.bufs.is_empty() {
            self.bufs = vec![Vec::new(); 1 << bits];
            self.cjk = vec![Vec::new(); 1 << bits];
            self.text = vec![Vec::new(); 1 << bits];
        }
        let unigrams = s
            .uni_used
            .drain(..)
            .map(|c| (u64::from(c), std::mem::take(&mut s.uni[usize::from(c)])));
        for (k, tf) in unigrams.chain(s.cjk.drain()) {
            self.cjk[hash_group(key_hash(k), bits)].push(pack(k, tf));
        }
        for (w, tf) in s.text.drain() {
            self.text[hash_group(term_hash(w.as_bytes()), bits)].push((w, tf));
        }
        for (g, buf) in self.bufs.iter_mut().enumerate() {
            let (cjk, text) = (&mut self.cjk[g], &mut self.text[g]);
            if !cjk.is_empty() || !text.is_empty() {
                put_block(buf, doc, cjk, text);
                cjk.clear();
                text.clear();
            }
        }
        lens
    }
}

/// The inversion groups of an index of `docs` documents, as a power of two: 32 below 25,000
/// documents, 64 below 200,000, 128 from there, twice as many for each doubling after that, at
/// most 256. A group's entries, postings and records are held while it is inverted: at 200,000
/// pages 32 groups peaked ~90 MB higher than 128 (0.96–1.01 GiB against 0.88–0.90 GiB), for
/// 10 % more CPU (more, smaller blocks per document). At 50,000 pages 64 groups inverted in 7 %
/// less time than 32 and peaked 10–25 MB lower (each group's copy in id order is half as
/// large); at 10,000 they took 12 % longer, and at 200,000 pages 256 took 17 % longer than 128
/// (issue 13).
pub(crate) fn group_bits_for(docs: usize) -> u32 {
    if docs < 25_000 {
        return GROUP_BITS;
    }
    let doublings = (docs / 50_000).max(1).ilog2();
    (GROUP_BITS + doublings).clamp(GROUP_BITS + 1, 8)
}

/// [`term_hash`] of a CJK key's UTF-8 text: the FNV-1a steps taken over each character's
/// UTF-8 bytes as computed from its code point (encoding the key into a buffer first was 1.7 %
/// of a build's instructions: once per distinct term of every page, issue 13).
fn key_hash(key: u64) -> u32 {
    let char_at = |shift: u32| ((key >> shift) & 0x1F_FFFF) as u32;
    let mut h = FNV_BASIS;
    if key & BIGRAM_BIT != 0 {
        h = fnv_char(h, char_at(21));
    }
    fmix32(fnv_char(h, char_at(0)))
}

/// The documents of an index: borrowed whole, or their metadata in memory and the rest of their
/// document entries in a spill file.
pub(crate) enum Docs<'a> {
    /// Documents given whole ([`Index::build`]).
    Borrowed(&'a [SearchDoc]),
    /// Documents streamed through [`IndexBuilder`], in id order.
    Spilled {
        /// URL, title, date, kind, domains (the text fields are empty).
        metas: Vec<SearchDoc>,
        /// Offset and length of each document's [`entry_tail`] in `file`.
        entries: Vec<(u64, u32)>,
        /// The spill file.
        file: Spill,
    },
}

impl Docs<'_> {
    /// The documents (for [`Docs::Spilled`], their metadata only).
    pub(crate) fn metas(&self) -> &[SearchDoc] {
        match self {
            Docs::Borrowed(d) => d,
            Docs::Spilled { metas, .. } => metas,
        }
    }

    /// The [`entry_tail`] of the document at `pos`.
    pub(crate) fn tail(&self, pos: usize) -> io::Result<String> {
        match self {
            Docs::Borrowed(d) => Ok(entry_tail(&d[pos])),
            Docs::Spilled { entries, file, .. } => {
                let (at, len) = entries[pos];
                let mut buf = vec![0; len as usize];
                std::os::unix::fs::FileExt::read_exact_at(&file.file, &mut buf, at)?;
                crate::utf8::into_string(buf)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
            }
        }
    }

    /// The length of [`Docs::tail`] of the document at `pos`.
    pub(crate) fn tail_len(&self, pos: usize) -> usize {
        match self {
            Docs::Borrowed(d) => entry_tail(&d[pos]).len(),
            Docs::Spilled { entries, .. } => entries[pos].1 as usize,
        }
    }
}

/// The text part of a document's entry in its shard: `summary,text,[keywords]` as JSON (the
/// entry is `[url,title,date,kind,[domains],` + this + `]`).
pub(crate) fn entry_tail(d: &SearchDoc) -> String {
    // Written here rather than by serde_json over collapsed copies: 3.6 % of a build's
    // instructions went to the copies and to escaping text that needs none (issue 13).
    let mut out = String::with_capacity(d.body.len().min(TEXT_CAP_CHARS * 3) + 256);
    push_stored_json(&d.summary, &d.body, &mut out);
    out.push_str(",[");
    for (k, w) in d.keywords.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_json_str(&mut out, w);
    }
    out.push(']');
    out
}

/// An open spill file, unlinked as soon as it is created (removed on drop where unlinking an
/// open file is not possible).
pub(crate) struct Spill {
    pub(crate) file: File,
    path: Option<PathBuf>,
}

impl Spill {
    /// A new spill file in `dir`.
    pub(crate) fn create(dir: &Path) -> io::Result<Spill> {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".portal-search-spill-{}-{n}", std::process::id()));
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        let path = std::fs::remove_file(&path).err().map(|_| path);
        Ok(Spill { file, path })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// A document added, waiting for its id.
struct Pending {
    /// Its position among the pages: the last tie-break of the order.
    seq: u32,
    /// Its number in the order of adding (in the blocks of the group files).
    added: u32,
    meta: SearchDoc,
    lens: [u32; NF],
    entry: (u64, u32),
}

struct State {
    spill: BufWriter<File>,
    spill_file: Spill,
    at: u64,
    groups: GroupSpill,
    docs: Vec<Pending>,
    error: Option<io::Error>,
}

/// Builds a search index from documents given one at a time, from any thread, holding no
/// document's text or terms once it is added (see the module documentation).
pub struct IndexBuilder {
    options: IndexOptions,
    /// There are `1 << group_bits` inversion groups ([`group_bits_for`]).
    group_bits: u32,
    spill_dir: PathBuf,
    workers: Mutex<Vec<Worker>>,
    /// The number of the next document tokenized.
    added: AtomicU32,
    /// Documents added and not yet tokenized.
    batch: Mutex<Vec<(u32, SearchDoc)>>,
    state: Mutex<State>,
}

/// Documents tokenized together (their texts are what the builder holds at most, besides the
/// one batch each thread is tokenizing).
const BATCH: usize = 32;

impl std::fmt::Debug for IndexBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexBuilder").finish_non_exhaustive()
    }
}

impl IndexBuilder {
    /// A builder with the site's options, spilling document entries and term entries to
    /// unlinked files in `spill_dir` (which must exist).
    pub fn new(spill_dir: &Path, options: &IndexOptions) -> io::Result<IndexBuilder> {
        IndexBuilder::for_docs(spill_dir, options, 0)
    }

    /// [`IndexBuilder::new`] for about `expected` documents: a larger index is inverted in
    /// more, smaller groups ([`group_bits_for`]), so that the two being inverted at a time
    /// stay small. The bytes written do not depend on it.
    pub fn for_docs(
        spill_dir: &Path,
        options: &IndexOptions,
        expected: usize,
    ) -> io::Result<IndexBuilder> {
        let group_bits = group_bits_for(expected);
        let spill_file = Spill::create(spill_dir)?;
        let spill = BufWriter::with_capacity(256 * 1024, spill_file.file.try_clone()?);
        Ok(IndexBuilder {
            options: options.clone(),
            group_bits,
            spill_dir: spill_dir.to_path_buf(),
            workers: Mutex::new(Vec::new()),
            added: AtomicU32::new(0),
            batch: Mutex::new(Vec::new()),
            state: Mutex::new(State {
                spill,
                spill_file,
                at: 0,
                groups: GroupSpill::create(spill_dir, 1 << group_bits)?,
                docs: Vec::new(),
                error: None,
            }),
        })
    }

    /// Adds a document; `seq` (its page number) orders documents that share date, URL and title.
    /// A failed write to a spill file is reported by [`IndexBuilder::finish`].
    ///
    /// Documents wait in a small batch ([`BATCH`]) and are tokenized batch by batch, so the
    /// tokenizer's tables stay in the cache between documents (tokenizing each document between
    /// two pages' rendering cost ~15 % more CPU).
    pub fn add(&self, seq: u32, doc: SearchDoc) {
        let full = {
            let mut batch = self.batch.lock().unwrap();
            batch.push((seq, doc));
            (batch.len() >= BATCH).then(|| std::mem::take(&mut *batch))
        };
        if let Some(batch) = full {
            self.tokenize(batch);
        }
    }

    /// Tokenizes a batch of documents, spills their entries and drops their text.
    fn tokenize(&self, batch: Vec<(u32, SearchDoc)>) {
        if batch.is_empty() {
            return;
        }
        let mut w = self.workers.lock().unwrap().pop().unwrap_or_default();
        let first = self.added.fetch_add(batch.len() as u32, Ordering::Relaxed);
        let done: Vec<(Pending, String)> = batch
            .into_iter()
            .zip(first..)
            .map(|((seq, doc), added)| {
                let lens = w.add(added, &doc, self.group_bits);
                let tail = entry_tail(&doc);
                let meta = SearchDoc {
                    url: doc.url,
                    title: doc.title,
                    date: doc.date,
                    kind: doc.kind,
                    kind_label: doc.kind_label,
                    domains: doc.domains,
                    ..SearchDoc::default()
                };
                let entry = (0, tail.len() as u32);
                let p = Pending {
                    seq,
                    added,
                    meta,
                    lens,
                    entry,
                };
                (p, tail)
            })
            .collect();
        let mut st = self.state.lock().unwrap();
        if let Err(e) = st.groups.append(&mut w.bufs) {
            st.error.get_or_insert(e);
        }
        for (mut p, tail) in done {
            p.entry.0 = st.at;
            if let Err(e) = st.spill.write_all(tail.as_bytes()) {
                st.error.get_or_insert(e);
            }
            st.at += tail.len() as u64;
            st.docs.push(p);
        }
        drop(st);
        self.workers.lock().unwrap().push(w);
    }

    /// Number of documents added.
    pub fn len(&self) -> usize {
        self.state.lock().unwrap().docs.len() + self.batch.lock().unwrap().len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Assigns the ids and inverts the entries into term records, group by group (see the
    /// module documentation of `records.rs`).
    pub fn finish(self) -> io::Result<StreamedIndex> {
        let last = std::mem::take(&mut *self.batch.lock().unwrap());
        self.tokenize(last);
        drop(self.workers);
        let st = self.state.into_inner().unwrap();
        if let Some(e) = st.error {
            return Err(e);
        }
        let State {
            mut spill,
            spill_file,
            groups,
            mut docs,
            ..
        } = st;
        spill.flush()?;
        drop(spill);
        // The order is a total one (`seq` is unique): sorting positions instead of the
        // documents themselves (~300 bytes each) moves far less memory at 50,000 pages, and
        // each position's key is read once (comparing in place chased the date's and the
        // URL's pointers on every comparison).
        let mut order: Vec<u32> = (0..docs.len() as u32).collect();
        order.par_sort_by_cached_key(|&a| {
            let d = &docs[a as usize];
            let m = &d.meta;
            (
                std::cmp::Reverse(m.date.as_deref()),
                m.url.as_str(),
                m.title.as_str(),
                d.seq,
            )
        });
        let n = docs.len();
        let mut metas = Vec::with_capacity(n);
        let mut entries = Vec::with_capacity(n);
        let mut lens = Vec::with_capacity(n);
        let mut ids = vec![u32::MAX; n];
        // The documents put in that order in place, swap by swap (a second table of them, even
        // of `Option`s, raised the peak by ~60 MB at 200,000 pages).
        let mut dest = vec![0u32; n];
        for (new, &old) in order.iter().enumerate() {
            dest[old as usize] = new as u32;
        }
        drop(order);
        for i in 0..n {
            while dest[i] as usize != i {
                let j = dest[i] as usize;
                docs.swap(i, j);
                dest.swap(i, j);
            }
        }
        drop(dest);
        for (id, d) in docs.into_iter().enumerate() {
            metas.push(d.meta);
            entries.push(d.entry);
            lens.push(d.lens);
            *ids.get_mut(d.added as usize)
                .ok_or_else(|| io::Error::other("搜索索引的文档编号不连贯"))? = id as u32;
        }
        let (avg, norms) = field_norms(lens.into_iter(), n);
        let records = invert_groups(groups, &ids, &norms, &self.spill_dir)?;
        drop((ids, norms));
        let docs = Docs::Spilled {
            metas,
            entries,
            file: spill_file,
        };
        let order = (0..n as u32).collect();
        let mut index = Index::assemble(docs, order, avg, Vec::new(), &self.options);
        index.records = Some(records);
        Ok(StreamedIndex(index))
    }
}

/// An index built by [`IndexBuilder`], ready to be written.
pub struct StreamedIndex(Index<'static>);

impl StreamedIndex {
    /// Writes the index under `out_dir`, as [`Index::write`] does.
    pub fn write(&self, out_dir: &Path) -> io::Result<IndexStats> {
        self.0.write(out_dir)
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::super::build::{cjk_key, key_bytes};
    use super::super::term_hash;
    use super::super::tokenize::Piece;
    use super::key_hash;

    #[test]
    fn a_cjk_keys_hash_is_the_hash_of_its_utf8_text() {
        let chars = [
            'a',
            'é',
            '々',
            '〇',
            '养',
            '老',
            '鬱',
            '가',
            'ｱ',
            '\u{FFFF}',
            '𠀀',
            '\u{3FFFD}',
        ];
        for &a in &chars {
            let mut buf = [0; 8];
            let uni = cjk_key(Piece::Uni(a)).unwrap();
            assert_eq!(key_hash(uni), term_hash(key_bytes(uni, &mut buf)), "{a}");
            for &b in &chars {
                let bi = cjk_key(Piece::Bi(a, b)).unwrap();
                let text = format!("{a}{b}");
                assert_eq!(key_bytes(bi, &mut buf), text.as_bytes());
                assert_eq!(key_hash(bi), term_hash(text.as_bytes()), "{text}");
            }
        }
    }
}
