//! Building the index one document at a time, in bounded memory (issue 13).
//!
//! [`IndexBuilder::add`] takes each page's [`SearchDoc`] as soon as it is rendered (from any
//! thread), tokenizes it at once into its packed term entries ([`DocTerms`]: 8 bytes per
//! distinct CJK term, sorted by inversion group), appends the text part of its document entry
//! (summary, excerpt text, keywords, as JSON) to an unlinked spill file, and drops the text.
//! Ids follow date, known only when every document is in: [`IndexBuilder::finish`] sorts the
//! documents, inverts the entries group by group, and the document shards re-read their entries
//! from the spill file by offset. The bytes written are those of [`super::write_index_with`]
//! over the same documents (when no two documents share a URL, as in a site).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use super::build::{
    GROUPS, Group, Index, Scratch, field_norms, invert, key_group, key_utf8, pack, text_group,
    unpack,
};
use super::write::{stored_summary, stored_text};
use super::{IndexOptions, IndexStats, NF, SearchDoc};

/// The term entries of one document, before its id is known.
pub(crate) struct DocTerms {
    /// Packed CJK entries (key and field counts), by inversion group.
    pub(crate) cjk: Box<[u64]>,
    /// The end of each group's entries in `cjk`.
    pub(crate) cjk_ends: [u32; GROUPS],
    /// Words and numbers with their field counts, by inversion group.
    pub(crate) text: Box<[(Box<str>, [u8; NF])]>,
    /// The end of each group's entries in `text`.
    pub(crate) text_ends: [u32; GROUPS],
    /// Field lengths in tokens.
    pub(crate) lens: [u32; NF],
}

impl DocTerms {
    /// The CJK entries of inversion group `g`.
    fn cjk_of(&self, g: usize) -> &[u64] {
        let start = if g == 0 { 0 } else { self.cjk_ends[g - 1] };
        &self.cjk[start as usize..self.cjk_ends[g] as usize]
    }

    /// The words and numbers of inversion group `g`.
    fn text_of(&self, g: usize) -> &[(Box<str>, [u8; NF])] {
        let start = if g == 0 { 0 } else { self.text_ends[g - 1] };
        &self.text[start as usize..self.text_ends[g] as usize]
    }
}

impl Scratch {
    /// The terms of one document on their own, sorted by inversion group (for
    /// [`super::IndexBuilder`], which learns the document's id only at the end).
    pub(crate) fn doc_terms(&mut self, d: &SearchDoc) -> DocTerms {
        let lens = self.count(d);
        let unigrams = self
            .uni_used
            .drain(..)
            .map(|c| (u64::from(c), std::mem::take(&mut self.uni[usize::from(c)])));
        let entries: Vec<(u64, [u8; NF])> = unigrams.chain(self.cjk.drain()).collect();
        // A counting sort by group: group g is cjk[ends[g - 1]..ends[g]].
        let mut ends = [0u32; GROUPS];
        for &(k, _) in &entries {
            ends[key_group(k)] += 1;
        }
        let mut at = [0u32; GROUPS];
        let mut sum = 0;
        for g in 0..GROUPS {
            at[g] = sum;
            sum += ends[g];
            ends[g] = sum;
        }
        let mut cjk = vec![0u64; entries.len()];
        for (k, tf) in entries {
            let slot = &mut at[key_group(k)];
            cjk[*slot as usize] = pack(k, tf);
            *slot += 1;
        }
        let mut text: Vec<(u8, Box<str>, [u8; NF])> = self
            .text
            .drain()
            .map(|(s, tf)| (text_group(&s) as u8, s.into_boxed_str(), tf))
            .collect();
        text.sort_unstable_by_key(|e| e.0);
        let mut text_ends = [0u32; GROUPS];
        for (g, end) in text_ends.iter_mut().enumerate() {
            *end = text.partition_point(|e| usize::from(e.0) <= g) as u32;
        }
        DocTerms {
            cjk: cjk.into_boxed_slice(),
            cjk_ends: ends,
            text_ends,
            text: text.into_iter().map(|(_, s, tf)| (s, tf)).collect(),
            lens,
        }
    }
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
                String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
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
    let tail = (
        stored_summary(&d.summary),
        stored_text(&d.body),
        &d.keywords,
    );
    let json = serde_json::to_string(&tail).expect("strings serialize");
    json[1..json.len() - 1].to_string()
}

/// An open spill file, unlinked as soon as it is created (removed on drop where unlinking an
/// open file is not possible).
pub(crate) struct Spill {
    file: File,
    path: Option<PathBuf>,
}

impl Spill {
    fn create(dir: &Path) -> io::Result<Spill> {
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
    meta: SearchDoc,
    terms: DocTerms,
    entry: (u64, u32),
}

struct State {
    spill: BufWriter<File>,
    spill_file: Spill,
    at: u64,
    docs: Vec<Pending>,
    error: Option<io::Error>,
}

/// Builds a search index from documents given one at a time, from any thread, holding no
/// document's text once it is added (see the module documentation).
pub struct IndexBuilder {
    options: IndexOptions,
    scratch: Mutex<Vec<Scratch>>,
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
    /// A builder with the site's options, spilling document entries to an unlinked file in
    /// `spill_dir` (which must exist).
    pub fn new(spill_dir: &Path, options: &IndexOptions) -> io::Result<IndexBuilder> {
        let spill_file = Spill::create(spill_dir)?;
        let spill = BufWriter::with_capacity(256 * 1024, spill_file.file.try_clone()?);
        Ok(IndexBuilder {
            options: options.clone(),
            scratch: Mutex::new(Vec::new()),
            batch: Mutex::new(Vec::new()),
            state: Mutex::new(State {
                spill,
                spill_file,
                at: 0,
                docs: Vec::new(),
                error: None,
            }),
        })
    }

    /// Adds a document; `seq` (its page number) orders documents that share date, URL and title.
    /// A failed write to the spill file is reported by [`IndexBuilder::finish`].
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
        let mut scratch = self.scratch.lock().unwrap().pop().unwrap_or_default();
        let done: Vec<(Pending, String)> = batch
            .into_iter()
            .map(|(seq, doc)| {
                let terms = scratch.doc_terms(&doc);
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
                    meta,
                    terms,
                    entry,
                };
                (p, tail)
            })
            .collect();
        self.scratch.lock().unwrap().push(scratch);
        let mut st = self.state.lock().unwrap();
        for (mut p, tail) in done {
            p.entry.0 = st.at;
            if let Err(e) = st.spill.write_all(tail.as_bytes()) {
                st.error.get_or_insert(e);
            }
            st.at += tail.len() as u64;
            st.docs.push(p);
        }
    }

    /// Number of documents added.
    pub fn len(&self) -> usize {
        self.state.lock().unwrap().docs.len() + self.batch.lock().unwrap().len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Assigns the ids and inverts the entries into posting lists.
    pub fn finish(self) -> io::Result<StreamedIndex> {
        let last = std::mem::take(&mut *self.batch.lock().unwrap());
        self.tokenize(last);
        let st = self.state.into_inner().unwrap();
        if let Some(e) = st.error {
            return Err(e);
        }
        let State {
            mut spill,
            spill_file,
            mut docs,
            ..
        } = st;
        spill.flush()?;
        drop(spill);
        docs.par_sort_unstable_by(|x, y| {
            (y.meta.date.cmp(&x.meta.date))
                .then_with(|| x.meta.url.cmp(&y.meta.url))
                .then_with(|| x.meta.title.cmp(&y.meta.title))
                .then(x.seq.cmp(&y.seq))
        });
        let n = docs.len();
        let mut metas = Vec::with_capacity(n);
        let mut entries = Vec::with_capacity(n);
        let mut terms = Vec::with_capacity(n);
        for d in docs {
            metas.push(d.meta);
            entries.push(d.entry);
            terms.push(d.terms);
        }
        let (avg, norms) = field_norms(terms.iter().map(|t| t.lens), n);
        let groups: Vec<Group> = (0..GROUPS)
            .into_par_iter()
            .map(|g| {
                let mut out = Group::default();
                let cjk = || {
                    terms.iter().enumerate().flat_map(move |(id, t)| {
                        t.cjk_of(g).iter().map(move |&e| {
                            let (k, tf) = unpack(e);
                            (id as u32, k, tf)
                        })
                    })
                };
                invert(
                    cjk,
                    |k, s| s.push_str(key_utf8(k, &mut [0; 8])),
                    &norms,
                    &mut out,
                );
                let text = || {
                    terms.iter().enumerate().flat_map(move |(id, t)| {
                        t.text_of(g)
                            .iter()
                            .map(move |(s, tf)| (id as u32, &**s, *tf))
                    })
                };
                invert(text, |t: &str, s| s.push_str(t), &norms, &mut out);
                out
            })
            .collect();
        drop(terms);
        let docs = Docs::Spilled {
            metas,
            entries,
            file: spill_file,
        };
        let order = (0..n as u32).collect();
        Ok(StreamedIndex(Index::assemble(
            docs,
            order,
            avg,
            groups,
            &self.options,
        )))
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
