//! Checking that an exact candidate really holds the query's phrases (issue 15).
//!
//! The term index tells which documents hold every bigram of a phrase, not whether the bigrams
//! are adjacent: 便民服务站 has all its bigrams in a page with 便民服务中心 and 养老服务站. So a
//! candidate whose match rests on a phrase of three or more CJK characters is checked against
//! the text of its document entry (`docs/<n>.json`, which the browser fetches anyway to show
//! the result): title, summary, body text, kind label, domains, keywords. A candidate that
//! fails goes to the partial hits. `search.js` checks the same texts with the same rule
//! (`needsCheck`, `docTexts`, `verify`).

use super::SearchDoc;
use super::query::{Alt, QueryGroup};
use super::tokenize::{contains_phrase, normalize};
use super::write::{stored_summary, stored_text};

/// Whether matching `alt` by its terms may differ from holding its phrase: a CJK phrase of
/// two or more bigrams (or one bigram repeated, 哈哈哈). A single bigram or unigram, a word,
/// a number or a measure is its own term, so the postings are exact for it.
pub(crate) fn needs_check(alt: &Alt) -> bool {
    alt.terms.len() != 1 || alt.terms[0] != alt.phrase
}

/// The normalized texts of a document entry, as the browser has them.
pub(crate) fn doc_texts(d: &SearchDoc) -> Vec<String> {
    let mut out = vec![
        normalize(&d.title),
        normalize(&stored_summary(&d.summary)),
        normalize(&stored_text(&d.body)),
        normalize(&d.kind_label),
    ];
    out.extend(d.domains.iter().map(|s| normalize(s)));
    out.extend(d.keywords.iter().map(|s| normalize(s)));
    out
}

/// Whether a candidate holds the query: for every group, either an alternative that needs no
/// check matched by its terms (`free[g]`), or the phrase of one that does is in one of `texts`.
pub(crate) fn holds_query(groups: &[QueryGroup], free: &[bool], texts: &[String]) -> bool {
    groups.iter().zip(free).all(|(g, &ok)| {
        ok || g
            .alts
            .iter()
            .any(|a| needs_check(a) && texts.iter().any(|t| contains_phrase(t, &a.phrase)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse_query;

    #[test]
    fn only_multi_bigram_phrases_need_a_check() {
        let need = |q: &str| {
            parse_query(q, &[])
                .iter()
                .map(|g| needs_check(&g.alts[0]))
                .collect::<Vec<_>>()
        };
        assert_eq!(need("养老"), [false]);
        assert_eq!(need("老"), [false]);
        assert_eq!(need("养老服务"), [true]);
        assert_eq!(need("哈哈哈"), [true]);
        assert_eq!(need("2021年 PM2.5"), [false, false]);
    }

    #[test]
    fn adjacent_bigrams_only() {
        let g = parse_query("便民服务站", &[]);
        let texts = vec![normalize("便民服务中心和养老服务站")];
        assert!(!holds_query(&g, &[false], &texts));
        let texts = vec![normalize("新建便民服务站三处")];
        assert!(holds_query(&g, &[false], &texts));
    }
}
