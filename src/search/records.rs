//! The streamed index's term entries on disk, and their inversion one group at a time (issue 13).
//!
//! [`super::IndexBuilder`] appends each document's term entries to one spill file per
//! inversion group as the document is tokenized ([`GroupSpill`]); a term's group is the top
//! bits of its hash ([`hash_group`]), so each group is a contiguous run of the term shards.
//! [`invert_groups`] then reads the groups back one by one (in parallel), inverts each into
//! posting lists, encodes its term records in shard order into a second unlinked file and frees
//! it, keeping only each term's hash and record length ([`Records`]). The term shards are cut
//! from those files once every group is done. So the build holds at most one group's entries
//! and postings per thread, never all of them.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use rayon::prelude::*;

use super::NF;
use super::build::{Group, invert, key_utf8, unpack};
use super::stream::Spill;

/// The inversion group of a term when there are `1 << bits` groups: the top `bits` bits of its
/// hash, like the shards.
pub(crate) fn hash_group(hash: u32, bits: u32) -> usize {
    (hash >> (32 - bits)) as usize
}

/// The spill files of the term entries, one per group, being written.
pub(crate) struct GroupSpill {
    files: Vec<(BufWriter<File>, Spill, u64)>,
}

impl GroupSpill {
    /// One unlinked file for each of `groups` groups in `dir`.
    pub(crate) fn create(dir: &Path, groups: usize) -> io::Result<GroupSpill> {
        let mut files = Vec::with_capacity(groups);
        for _ in 0..groups {
            let spill = Spill::create(dir)?;
            let w = BufWriter::with_capacity(64 * 1024, spill.file.try_clone()?);
            files.push((w, spill, 0));
        }
        Ok(GroupSpill { files })
    }

    /// Appends each group's blocks (as [`put_block`] wrote them into `bufs[g]`) and empties
    /// the buffers.
    pub(crate) fn append(&mut self, bufs: &mut [Vec<u8>]) -> io::Result<()> {
        for ((w, _, len), buf) in self.files.iter_mut().zip(bufs) {
            if !buf.is_empty() {
                w.write_all(buf)?;
                *len += buf.len() as u64;
                buf.clear();
            }
        }
        Ok(())
    }

    /// The files, flushed, with their lengths.
    fn finish(self) -> io::Result<Vec<(Spill, u64)>> {
        let mut out = Vec::with_capacity(self.files.len());
        for (mut w, spill, len) in self.files {
            w.flush()?;
            out.push((spill, len));
        }
        Ok(out)
    }
}

/// One document's entries of one group, appended to `out`:
/// `u32 doc, u32 n_cjk, u32 n_text`, `n_cjk` packed CJK entries (`u64`), then `n_text` ×
/// (`u8 len`, the word's bytes, the field counts); little-endian.
pub(crate) fn put_block(out: &mut Vec<u8>, doc: u32, cjk: &[u64], text: &[(String, [u8; NF])]) {
    out.extend_from_slice(&doc.to_le_bytes());
    out.extend_from_slice(&(cjk.len() as u32).to_le_bytes());
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    for e in cjk {
        out.extend_from_slice(&e.to_le_bytes());
    }
    for (s, tf) in text {
        // Words are at most MAX_TERM_BYTES (64) bytes long.
        out.push(s.len() as u8);
        out.extend_from_slice(s.as_bytes());
        out.extend_from_slice(tf);
    }
}

fn bad(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("搜索索引的临时文件已损坏：{what}"),
    )
}

fn u32_at(buf: &[u8], at: usize) -> io::Result<u32> {
    buf.get(at..at + 4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("four bytes")))
        .ok_or_else(|| bad("记录被截断"))
}

/// A block read back: the document id and where its CJK and text entries are in the buffer.
struct Block {
    id: u32,
    cjk: usize,
    n_cjk: u32,
    text: usize,
    n_text: u32,
}

/// The blocks of a group's file, checked (lengths, UTF-8), copied into a new buffer in
/// document id order, with where each one is in it.
///
/// The postings are made in id order, and the ids are not the order of adding: reading the
/// blocks where they lie in the file jumped through a group's whole file four times (two
/// passes for the CJK entries, two for the words). Past the caches (a group is ~9 MB at
/// 50,000 pages) that made the inversion grow 7× for 5× the pages (issue 13); one copy in id
/// order makes each later pass a straight read.
fn blocks(buf: &[u8], ids: &[u32]) -> io::Result<(Vec<u8>, Vec<Block>)> {
    // (id, start, end) of each block in `buf`, and its entry counts.
    let mut found: Vec<(u32, usize, usize, u32, u32)> = Vec::new();
    let mut at = 0;
    while at < buf.len() {
        let doc = u32_at(buf, at)? as usize;
        let (n_cjk, n_text) = (u32_at(buf, at + 4)?, u32_at(buf, at + 8)?);
        let id = *ids.get(doc).ok_or_else(|| bad("文档编号越界"))?;
        let mut p = at + 12 + n_cjk as usize * 8;
        for _ in 0..n_text {
            let len = usize::from(*buf.get(p).ok_or_else(|| bad("记录被截断"))?);
            let word = buf
                .get(p + 1..p + 1 + len)
                .ok_or_else(|| bad("记录被截断"))?;
            std::str::from_utf8(word).map_err(|_| bad("词不是 UTF-8"))?;
            p += 1 + len + NF;
        }
        if p > buf.len() {
            return Err(bad("记录被截断"));
        }
        found.push((id, at, p, n_cjk, n_text));
        at = p;
    }
    // Sorted by id rather than placed at each id: a table as large as the documents, per group
    // being inverted, raised the peak at 200,000 pages (and a table of indexes by id, tried
    // in sessions 8 and 9, was no faster: docs/benchmarks.md).
    found.sort_unstable_by_key(|b| b.0);
    if found.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(bad("文档重复"));
    }
    let mut sorted = Vec::with_capacity(buf.len());
    let blocks = found
        .into_iter()
        .map(|(id, start, end, n_cjk, n_text)| {
            let cjk = sorted.len() + 12;
            sorted.extend_from_slice(&buf[start..end]);
            Block {
                id,
                cjk,
                n_cjk,
                text: cjk + n_cjk as usize * 8,
                n_text,
            }
        })
        .collect();
    Ok((sorted, blocks))
}

fn cjk_entries<'b>(buf: &'b [u8], b: &Block) -> impl Iterator<Item = (u32, u64, [u8; NF])> + 'b {
    let id = b.id;
    buf[b.cjk..b.cjk + b.n_cjk as usize * 8]
        .chunks_exact(8)
        .map(move |c| {
            let (k, tf) = unpack(u64::from_le_bytes(c.try_into().expect("eight bytes")));
            (id, k, tf)
        })
}

fn text_entries<'b>(buf: &'b [u8], b: &Block) -> impl Iterator<Item = (u32, &'b str, [u8; NF])> {
    let (id, mut p) = (b.id, b.text);
    (0..b.n_text).map(move |_| {
        let len = usize::from(buf[p]);
        // Checked by `blocks`.
        let s = std::str::from_utf8(&buf[p + 1..p + 1 + len]).unwrap_or_default();
        let tf: [u8; NF] = buf[p + 1 + len..p + 1 + len + NF]
            .try_into()
            .expect("NF bytes");
        p += 1 + len + NF;
        (id, s, tf)
    })
}

/// The encoded term records of every group, on disk, in shard order.
pub(crate) struct Records {
    /// Each group's file of records and its length.
    files: Vec<(Spill, u64)>,
    /// Each term's hash, in record order (sorted by hash, then text).
    pub(crate) hashes: Vec<u32>,
    /// The end of each term's record in the concatenation of the files.
    ends: Vec<u64>,
}

impl Records {
    /// Number of terms.
    pub(crate) fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Bytes of all records.
    pub(crate) fn total(&self) -> u64 {
        self.ends.last().copied().unwrap_or(0)
    }

    /// Appends the records of terms `a..b`, back to back, to `out`.
    pub(crate) fn read_into(&self, a: usize, b: usize, out: &mut Vec<u8>) -> io::Result<()> {
        let at = |i: usize| if i == 0 { 0 } else { self.ends[i - 1] };
        let (start, end) = (at(a), at(b));
        let first = out.len();
        out.resize(first + (end - start) as usize, 0);
        let mut base = 0u64;
        for (file, len) in &self.files {
            let (lo, hi) = (start.max(base), end.min(base + len));
            if lo < hi {
                let dst = &mut out[first + (lo - start) as usize..first + (hi - start) as usize];
                file.file.read_exact_at(dst, lo - base)?;
            }
            base += len;
        }
        Ok(())
    }
}

/// One group inverted: its file of records (and length), each record's hash and length.
type Inverted = ((Spill, u64), Vec<u32>, Vec<u32>);

/// Inverts the spilled groups (documents numbered as added; `ids[doc]` is the final id, and
/// `norms` are by id) and writes their term records to new unlinked files in `dir`.
pub(crate) fn invert_groups(
    spill: GroupSpill,
    ids: &[u32],
    norms: &[[f64; NF]],
    dir: &Path,
) -> io::Result<Records> {
    let groups = spill.finish()?;
    let n_groups = groups.len();
    let done: Vec<Inverted> = groups
        .into_par_iter()
        .with_max_len(1)
        .map(|(file, len)| {
            let mut raw = vec![0u8; len as usize];
            file.file.read_exact_at(&mut raw, 0)?;
            drop(file);
            let (buf, blocks) = blocks(&raw, ids)?;
            drop(raw);
            let mut group = Group::default();
            invert(
                || blocks.iter().flat_map(|b| cjk_entries(&buf, b)),
                |k, s| s.push_str(key_utf8(k, &mut [0; 8])),
                norms,
                &mut group,
                blocks.iter().map(|b| b.n_cjk as usize).sum(),
            );
            invert(
                || blocks.iter().flat_map(|b| text_entries(&buf, b)),
                |t: &str, s| s.push_str(t),
                norms,
                &mut group,
                blocks.iter().map(|b| b.n_text as usize).sum(),
            );
            drop((blocks, buf));
            let mut bytes = Vec::new();
            let (hashes, lens) = group.encode(&mut bytes);
            drop(group);
            let out = Spill::create(dir)?;
            out.file.write_all_at(&bytes, 0)?;
            Ok(((out, bytes.len() as u64), hashes, lens))
        })
        .collect::<io::Result<_>>()?;
    let n: usize = done.iter().map(|d| d.1.len()).sum();
    let mut records = Records {
        files: Vec::with_capacity(n_groups),
        hashes: Vec::with_capacity(n),
        ends: Vec::with_capacity(n),
    };
    let mut end = 0u64;
    for (file, hashes, lens) in done {
        records.files.push(file);
        records.hashes.extend(hashes);
        for l in lens {
            end += u64::from(l);
            records.ends.push(end);
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(w: &str, tf: [u8; NF]) -> (String, [u8; NF]) {
        (w.to_string(), tf)
    }

    #[test]
    fn blocks_read_back_in_id_order_with_their_entries() {
        let mut buf = Vec::new();
        // Documents 0 and 1 (as added) get ids 1 and 0.
        put_block(&mut buf, 0, &[7, 9], &[text("abc", [1, 0, 0, 2, 0])]);
        put_block(
            &mut buf,
            1,
            &[],
            &[text("x", [0; NF]), text("123", [0, 0, 0, 1, 0])],
        );
        let (buf, b) = blocks(&buf, &[1, 0]).unwrap();
        assert_eq!(b.iter().map(|b| b.id).collect::<Vec<_>>(), [0, 1]);
        let words: Vec<_> = text_entries(&buf, &b[0])
            .map(|(id, s, _)| (id, s))
            .collect();
        assert_eq!(words, [(0, "x"), (0, "123")]);
        assert_eq!(cjk_entries(&buf, &b[0]).count(), 0);
        let keys: Vec<_> = cjk_entries(&buf, &b[1]).map(|(id, k, _)| (id, k)).collect();
        assert_eq!(keys, [(1, unpack(7).0), (1, unpack(9).0)]);
        let (_, _, tf) = text_entries(&buf, &b[1]).next().unwrap();
        assert_eq!(tf, [1, 0, 0, 2, 0]);
    }

    #[test]
    fn a_damaged_spill_is_an_error_not_a_panic() {
        let mut buf = Vec::new();
        put_block(&mut buf, 0, &[7], &[text("abc", [1; NF])]);
        for cut in 1..buf.len() {
            assert!(blocks(&buf[..cut], &[0]).is_err(), "cut at {cut}");
        }
        // A document number past the documents, and a document twice.
        assert!(blocks(&buf, &[]).is_err());
        let twice = [buf.clone(), buf.clone()].concat();
        assert!(blocks(&twice, &[0]).is_err());
        // A word that is not UTF-8.
        let mut bad = buf.clone();
        let at = bad.len() - NF - 3;
        bad[at] = 0xFF;
        let e = blocks(&bad, &[0]).err().unwrap();
        assert!(e.to_string().contains("UTF-8"));
        assert!(blocks(&[], &[]).unwrap().1.is_empty());
    }
}
