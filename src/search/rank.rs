//! Query evaluation and scoring: the Rust twin of `search.js` (used by tests and benchmarks).
//!
//! 1. The query is split into groups (see `parse_query`): each CJK run, word and number.
//! 2. score(d) = Σ over the distinct query terms t in d of idf(t) × w(t, d), summed in the
//!    order the terms first appear in the query; idf is round(1000 × BM25 idf) and w the
//!    quantized BM25F weight (1–255) stored in the posting, so scores are exact integers.
//! 3. A document matches strictly when, for every group, it holds at least `need` of the
//!    group's terms. If no document matches strictly, every document holding any term matches
//!    (`exact = false`). Filters (kind, domain, year) keep only the documents of the facet.
//! 4. Hits are sorted by score (descending), then id (ascending: newer first).
//! 5. Phrase bonus, per page of [`PAGE_SIZE`] hits (the client fetches the title and text of
//!    a page): score × (4 + 2·[title contains the query] + [text contains the query]), then
//!    the page is sorted again the same way. "Contains" compares `normalize`d strings and
//!    does not match inside a longer word or number.

use super::tokenize::{contains_phrase, normalize, parse_query, query_terms};
use super::write::stored_text;
use super::{Index, IndexStats, PAGE_SIZE, shard_of, term_hash};

/// Facet filters of a query; `None` means any. Values are those of the manifest: kind values
/// (`news`), domain names (社会救助), years (`2021`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Keep only documents of this kind.
    pub kind: Option<String>,
    /// Keep only documents of this domain.
    pub domain: Option<String>,
    /// Keep only documents dated in this year.
    pub year: Option<String>,
}

impl Filters {
    fn is_empty(&self) -> bool {
        self.kind.is_none() && self.domain.is_none() && self.year.is_none()
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Document id (position in the newest-first order of the index).
    pub id: u32,
    /// Site-relative URL of the page.
    pub url: String,
    /// Final score: the BM25F score times the phrase factor (4–7).
    pub score: u64,
}

/// The results of a query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchResults {
    /// Every hit, best first.
    pub hits: Vec<SearchHit>,
    /// False when no document matched every part of the query and the hits are partial matches.
    pub exact: bool,
}

impl Index<'_> {
    /// The ids allowed by `filters`, as a mask; `None` when there are no filters.
    fn filter_mask(&self, filters: &Filters) -> Option<Vec<bool>> {
        if filters.is_empty() {
            return None;
        }
        let mut mask = vec![true; self.len()];
        let lists = [
            (&filters.kind, &self.facets.kinds),
            (&filters.domain, &self.facets.domains),
            (&filters.year, &self.facets.years),
        ];
        for (want, facets) in lists {
            let Some(want) = want else { continue };
            let mut keep = vec![false; self.len()];
            if let Some(f) = facets.iter().find(|f| &f.value == want) {
                for &id in &f.ids {
                    keep[id as usize] = true;
                }
            }
            for (m, k) in mask.iter_mut().zip(keep) {
                *m &= k;
            }
        }
        Some(mask)
    }

    /// Runs `query` with `filters`, exactly as `search.js` does (same matching, same integer
    /// scores, same order). A query without terms lists the filtered documents newest first
    /// (score 0), or nothing without filters.
    pub fn search(&self, query: &str, filters: &Filters) -> SearchResults {
        let mask = self.filter_mask(filters);
        let allowed = |id: usize| mask.as_ref().is_none_or(|m| m[id]);
        let groups = parse_query(query);
        let hit = |id: usize, score: u64| SearchHit {
            id: id as u32,
            url: self.doc(id as u32).url.clone(),
            score,
        };
        if groups.is_empty() {
            let hits = if mask.is_some() {
                (0..self.len())
                    .filter(|&i| allowed(i))
                    .map(|i| hit(i, 0))
                    .collect()
            } else {
                Vec::new()
            };
            return SearchResults { hits, exact: true };
        }
        let terms = query_terms(&groups);
        let n = self.len();
        let mut score = vec![0u64; n];
        for t in &terms {
            if let Some(term) = self.find(t) {
                let idf = u64::from(term.idf);
                for (doc, w) in self.postings(term) {
                    score[doc as usize] += idf * u64::from(w);
                }
            }
        }
        let mut strict = vec![true; n];
        let mut count = vec![0u16; n];
        for g in &groups {
            count.iter_mut().for_each(|c| *c = 0);
            for t in &g.terms {
                if let Some(term) = self.find(t) {
                    for (doc, _) in self.postings(term) {
                        count[doc as usize] += 1;
                    }
                }
            }
            for (s, &c) in strict.iter_mut().zip(&count) {
                *s &= usize::from(c) >= g.need;
            }
        }
        let mut ids: Vec<usize> = (0..n)
            .filter(|&i| strict[i] && score[i] > 0 && allowed(i))
            .collect();
        let exact = !ids.is_empty();
        if !exact {
            ids = (0..n).filter(|&i| score[i] > 0 && allowed(i)).collect();
        }
        let mut hits: Vec<SearchHit> = ids.into_iter().map(|i| hit(i, score[i])).collect();
        sort_hits(&mut hits);
        let phrase = normalize(query);
        for page in hits.chunks_mut(PAGE_SIZE) {
            for h in page.iter_mut() {
                h.score *= self.phrase_factor(h.id, &phrase);
            }
            sort_hits(page);
        }
        SearchResults { hits, exact }
    }

    /// 4 + 2 if the title contains the normalized query + 1 if the stored text does.
    fn phrase_factor(&self, id: u32, phrase: &str) -> u64 {
        let d = self.doc(id);
        let title = contains_phrase(&normalize(&d.title), phrase);
        let text = contains_phrase(&normalize(&stored_text(&d.body)), phrase);
        4 + 2 * u64::from(title) + u64::from(text)
    }

    /// The files (relative to the index directory) the browser fetches to show the first page
    /// of results of `query`: the manifest, the term shards of the query's terms, the facet
    /// lists of the filters, and the document shards of the first page's hits. `stats`
    /// is what [`Index::write`] returned (it carries the layout).
    pub fn query_files(&self, query: &str, filters: &Filters, stats: &IndexStats) -> Vec<String> {
        let mut files = vec!["manifest.json".to_string()];
        let mut add = |f: String| {
            if !files.contains(&f) {
                files.push(f);
            }
        };
        let bits = stats.shards.trailing_zeros();
        for t in query_terms(&parse_query(query)) {
            add(format!(
                "terms/{}.bin",
                shard_of(term_hash(t.as_bytes()), bits)
            ));
        }
        let lists = [
            (&filters.kind, &self.facets.kinds, 'k'),
            (&filters.domain, &self.facets.domains, 'd'),
            (&filters.year, &self.facets.years, 'y'),
        ];
        for (want, facets, p) in lists {
            if let Some(i) = want
                .as_ref()
                .and_then(|w| facets.iter().position(|f| &f.value == w))
            {
                add(format!("facets/{p}{i}.bin"));
            }
        }
        let res = self.search(query, filters);
        for h in res.hits.iter().take(PAGE_SIZE) {
            add(format!(
                "docs/{}.json",
                h.id as usize / stats.docs_per_shard
            ));
        }
        files
    }
}

/// Score descending, then id ascending.
fn sort_hits(hits: &mut [SearchHit]) {
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
}
