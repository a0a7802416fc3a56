//! Query evaluation and ranking: the Rust twin of `search.js` (used by tests and benchmarks).
//!
//! 1. The query is split into groups (`parse_query`): each CJK run, word, number or measure,
//!    each with its alternatives (the query's own text, then its synonyms).
//! 2. score(d) = Σ over the distinct query terms t in d of idf(t) × w(t, d), summed in the
//!    order the terms first appear; idf is round(1000 × BM25 idf) and w the quantized BM25F
//!    weight (1–2047) stored in the posting, so scores are exact integers.
//! 3. A document matches a group *fully* when it holds every term of one alternative; its
//!    *tier* for that alternative is the field where the last of the terms first appears
//!    (0 title, 1 headings, 2 summary, 3 body, 4 keywords), the lowest over alternatives.
//!    Exact hits match every group fully (tier = the highest over groups). Partial hits hold
//!    ⌈2k/3⌉ of the bigrams of each group (or match it fully) without being exact; when
//!    there is neither, every document holding any term is a partial hit.
//! 4. Exact hits come first, by (kind named in the query first, tier, score descending, id);
//!    then partial hits by (kind named first, score descending, id). Ids are newest first.
//!    Filters (kind, domain, year) keep only the documents of the facet.

use super::query::{QueryGroup, parse_query, query_terms};
use super::tokenize::normalize;
use super::verify::{doc_texts, holds_query, needs_check};
use super::{Index, IndexStats, NF, PAGE_SIZE, shard_of, term_hash};

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
    /// The BM25F score.
    pub score: u64,
    /// Where the query is complete: 0 title, 1 headings, 2 summary, 3 body, 4 keywords;
    /// 5 for a partial hit.
    pub tier: u8,
}

/// The results of a query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchResults {
    /// Every hit: the exact ones first, then the partial ones.
    pub hits: Vec<SearchHit>,
    /// How many of `hits` (the first ones) contain every part of the query.
    pub exact: usize,
    /// The synonym phrases the query was expanded with (shown as 已包含：…).
    pub expanded: Vec<String>,
}

/// At most this many documents are loaded to check candidates for one page of results (the
/// page's own entries, and as many again to replace candidates that fail).
pub(crate) const CHECK_LIMIT: usize = 2 * PAGE_SIZE;

/// The tier of a partial hit.
pub(crate) const PARTIAL: u8 = NF as u8;

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
    /// scores, same order) once every exact candidate is checked (see [`super::verify`]). A
    /// query without terms lists the filtered documents newest first (score 0), or nothing
    /// without filters.
    pub fn search(&self, query: &str, filters: &Filters) -> SearchResults {
        let mut r = self.ranked(query, filters);
        let n = r.cand.len();
        r.check(self, n, usize::MAX, &mut |_| {});
        r.results()
    }

    /// The candidates of a query, before any is checked.
    pub(crate) fn ranked(&self, query: &str, filters: &Filters) -> Ranked {
        let mask = self.filter_mask(filters);
        let allowed = |id: usize| mask.as_ref().is_none_or(|m| m[id]);
        let groups = parse_query(query, &self.synonyms);
        let hit = |id: usize, score: u64, tier: u8| SearchHit {
            id: id as u32,
            url: self.doc(id as u32).url.clone(),
            score,
            tier,
        };
        let n = self.len();
        let expanded = groups
            .iter()
            .flat_map(|g| g.alts.iter().skip(1).map(|a| a.phrase.clone()))
            .collect();
        if groups.is_empty() {
            let hits: Vec<SearchHit> = if mask.is_some() {
                (0..n)
                    .filter(|&i| allowed(i))
                    .map(|i| hit(i, 0, 0))
                    .collect()
            } else {
                Vec::new()
            };
            return Ranked {
                free: vec![Vec::new(); n],
                cand: hits,
                ..Ranked::default()
            };
        }
        let terms = query_terms(&groups);
        let mut score = vec![0u64; n];
        for t in &terms {
            if let Some(term) = self.find(t) {
                let idf = u64::from(term.idf);
                for (doc, p) in self.postings(term) {
                    score[doc as usize] += idf * u64::from(p >> NF);
                }
            }
        }
        // Per document: the tier of the exact match so far (u8::MAX: not exact), and whether
        // it is a partial match of every group so far.
        let mut tier = vec![0u8; n];
        let mut part = vec![true; n];
        let mut cnt = vec![0u16; n];
        let mut own = vec![0u16; n];
        let mut low = vec![0u8; n];
        let mut best = vec![u8::MAX; n];
        // Per document and group: matched by an alternative that needs no check.
        let mut free = vec![vec![false; groups.len()]; n];
        for (gi, g) in groups.iter().enumerate() {
            best.iter_mut().for_each(|b| *b = u8::MAX);
            for (ai, alt) in g.alts.iter().enumerate() {
                cnt.iter_mut().for_each(|c| *c = 0);
                low.iter_mut().for_each(|l| *l = 0);
                for t in &alt.terms {
                    if let Some(term) = self.find(t) {
                        for (doc, p) in self.postings(term) {
                            let d = doc as usize;
                            cnt[d] += 1;
                            low[d] = low[d].max(lowest_field(p));
                        }
                    }
                }
                let k = alt.terms.len();
                let checked = needs_check(alt);
                for d in 0..n {
                    if usize::from(cnt[d]) == k {
                        best[d] = best[d].min(low[d]);
                        free[d][gi] |= !checked;
                    }
                }
                if ai == 0 {
                    own.copy_from_slice(&cnt);
                }
            }
            for d in 0..n {
                tier[d] = tier[d].max(best[d]);
                part[d] &= best[d] != u8::MAX || usize::from(own[d]) >= g.need;
            }
        }
        let boost = self.kind_boost(&groups);
        let mut exact: Vec<SearchHit> = Vec::new();
        let mut partial: Vec<SearchHit> = Vec::new();
        for d in 0..n {
            if score[d] == 0 || !allowed(d) {
                continue;
            }
            if tier[d] != u8::MAX {
                exact.push(hit(d, score[d], tier[d]));
            } else if part[d] {
                partial.push(hit(d, score[d], PARTIAL));
            }
        }
        if exact.is_empty() && partial.is_empty() {
            partial = (0..n)
                .filter(|&d| score[d] > 0 && allowed(d))
                .map(|d| hit(d, score[d], PARTIAL))
                .collect();
        }
        let lifted: Vec<bool> = (0..n as u32).map(|id| boost[self.kind_of(id)]).collect();
        let key = |h: &SearchHit| {
            (
                !lifted[h.id as usize],
                h.tier,
                std::cmp::Reverse(h.score),
                h.id,
            )
        };
        exact.sort_by_key(key);
        partial.sort_by_key(key);
        Ranked {
            groups,
            free,
            lifted,
            cand: exact,
            rest: partial,
            expanded,
            ..Ranked::default()
        }
    }
}

/// A query's hits while its exact candidates are being checked, in the order `search.js`
/// checks them: candidates in rank order, in rounds (see [`Ranked::check`]).
#[derive(Default)]
pub(crate) struct Ranked {
    groups: Vec<QueryGroup>,
    /// Per document and group: matched without a check.
    free: Vec<Vec<bool>>,
    /// Per document: its kind is named by the query.
    lifted: Vec<bool>,
    /// The exact candidates, in rank order.
    cand: Vec<SearchHit>,
    /// The partial hits, in rank order.
    rest: Vec<SearchHit>,
    expanded: Vec<String>,
    /// Candidates checked so far (a prefix of `cand`).
    pub(crate) checked: usize,
    /// The candidates found to hold the query, in rank order.
    good: Vec<SearchHit>,
    /// The candidates that do not (now partial hits).
    bad: Vec<SearchHit>,
    /// Exact hits shown by [`Ranked::next_page`] so far.
    shown_good: usize,
    /// Partial hits shown by [`Ranked::next_page`] so far.
    shown_other: Vec<u32>,
}

impl Ranked {
    /// Checks candidates in rounds until `want` hold the query, all are checked, or `limit`
    /// documents were loaded. A round takes the next `min(want − good, limit − loaded)`
    /// candidates; `load(id)` is called for each one that needs its document entry.
    pub(crate) fn check(
        &mut self,
        index: &Index<'_>,
        want: usize,
        limit: usize,
        load: &mut dyn FnMut(u32),
    ) {
        let mut loaded = 0;
        while self.good.len() < want && self.checked < self.cand.len() && loaded < limit {
            let take = (want - self.good.len()).min(limit - loaded);
            let end = (self.checked + take).min(self.cand.len());
            for i in self.checked..end {
                let h = self.cand[i].clone();
                let free = &self.free[h.id as usize];
                let ok = if free.iter().all(|&f| f) {
                    true
                } else {
                    loaded += 1;
                    load(h.id);
                    holds_query(&self.groups, free, &doc_texts(index.doc(h.id)))
                };
                if ok {
                    self.good.push(h);
                } else {
                    self.bad.push(SearchHit { tier: PARTIAL, ..h });
                }
            }
            self.checked = end;
        }
    }

    /// Whether every candidate has been checked.
    pub(crate) fn done(&self) -> bool {
        self.checked >= self.cand.len()
    }

    /// Every hit in the current order: checked exact hits, unchecked candidates, partial hits.
    pub(crate) fn hits(&self) -> Vec<SearchHit> {
        let mut rest: Vec<SearchHit> = self.rest.iter().chain(&self.bad).cloned().collect();
        let lifted = &self.lifted;
        rest.sort_by_key(|h| {
            (
                !lifted[h.id as usize],
                h.tier,
                std::cmp::Reverse(h.score),
                h.id,
            )
        });
        let mut out = self.good.clone();
        out.extend_from_slice(&self.cand[self.checked..]);
        out.extend(rest);
        out
    }

    /// The next page of results as the search page shows it (`search.js` `next`): checks
    /// candidates until a page of exact hits is known, loading at most [`CHECK_LIMIT`]
    /// documents; returns the checked exact hits not yet shown, and when they run out, partial
    /// hits: while candidates remain unchecked, those that failed the check (in the order
    /// checked), then the partial hits in rank order (skipping those shown). Nothing unchecked
    /// is ever shown; the page may be short (even empty), the next call goes on checking.
    pub(crate) fn next_page(
        &mut self,
        index: &Index<'_>,
        load: &mut dyn FnMut(u32),
    ) -> Vec<SearchHit> {
        self.check(index, self.shown_good + PAGE_SIZE, CHECK_LIMIT, load);
        let end = (self.shown_good + PAGE_SIZE).min(self.good.len());
        let mut page = self.good[self.shown_good..end].to_vec();
        self.shown_good = end;
        if page.len() < PAGE_SIZE && self.shown_good == self.good.len() {
            let pool = if self.done() {
                self.hits().split_off(self.good.len())
            } else {
                self.bad.clone()
            };
            for h in pool {
                if page.len() >= PAGE_SIZE {
                    break;
                }
                if !self.shown_other.contains(&h.id) {
                    self.shown_other.push(h.id);
                    page.push(h);
                }
            }
        }
        page
    }

    /// Checked exact hits so far.
    #[cfg(test)]
    pub(crate) fn exact(&self) -> usize {
        self.good.len()
    }

    fn results(&self) -> SearchResults {
        SearchResults {
            hits: self.hits(),
            exact: self.good.len(),
            expanded: self.expanded.clone(),
        }
    }
}

/// The first field (0 title … 4 keywords) holding the term, from a posting payload.
fn lowest_field(payload: u16) -> u8 {
    ((payload & ((1 << NF) - 1)) | 1 << NF).trailing_zeros() as u8
}

impl Index<'_> {
    /// The kind index (in the manifest's list) of a document.
    pub(crate) fn kind_of(&self, id: u32) -> usize {
        self.facets.kind_index[id as usize] as usize
    }

    /// For each kind of the manifest: whether the query names it (its label, e.g. 年度报告, or
    /// through a synonym, 年报, is in one of the query's phrases).
    fn kind_boost(&self, groups: &[QueryGroup]) -> Vec<bool> {
        self.facets
            .kinds
            .iter()
            .map(|k| {
                let label = normalize(&k.label);
                !label.is_empty()
                    && groups
                        .iter()
                        .any(|g| g.alts.iter().any(|a| a.phrase.contains(label.as_str())))
            })
            .collect()
    }

    /// The files (relative to the index directory) the browser fetches to show the first page
    /// of results of `query`: the manifest, the folding table when the query has a traditional
    /// character, the term shards of the query's terms, the facet lists of the filters, and the
    /// document shards of the first page's hits. `stats` is what [`Index::write`] returned.
    pub fn query_files(&self, query: &str, filters: &Filters, stats: &IndexStats) -> Vec<String> {
        let mut files = vec!["manifest.json".to_string()];
        let mut add = |f: String| {
            if !files.contains(&f) {
                files.push(f);
            }
        };
        if query.chars().any(super::tokenize::is_foldable) {
            add(super::FOLD_FILE.to_string());
        }
        let bits = stats.shards.trailing_zeros();
        let groups = parse_query(query, &self.synonyms);
        for (i, named) in self.kind_boost(&groups).into_iter().enumerate() {
            if named {
                add(format!("facets/k{i}.bin"));
            }
        }
        for t in query_terms(&groups) {
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
        let per = stats.docs_per_shard;
        let mut r = self.ranked(query, filters);
        let mut checked = Vec::new();
        let page = r.next_page(self, &mut |id| checked.push(id));
        for id in checked.into_iter().chain(page.iter().map(|h| h.id)) {
            add(format!("docs/{}.json", id as usize / per));
        }
        files
    }
}
