//! Queries: the groups of a query (each CJK run, word, number or measure) with their synonym
//! alternatives, and the terms they look up. `search.js` has the same `parseQuery`.

use super::tokenize::{
    Class, Run, alnum_text, class_of, fold, for_each_run, normalize, unit_after,
};

/// One way to match a part of a query: the query's own text, or a synonym's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alt {
    /// The normalized phrase (`最低生活保障`).
    pub(crate) phrase: String,
    /// Its terms: the unigram of a one-character CJK run, the distinct bigrams of a longer one,
    /// or the word, number or measure.
    pub(crate) terms: Vec<String>,
}

/// One part of a query: a CJK run, a word, a number or a measure, with its synonyms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryGroup {
    /// The query's own text first, then its expansions by the synonym table.
    pub(crate) alts: Vec<Alt>,
    /// How many of the first alternative's terms a *partial* match must contain: ⌈2k/3⌉ of k
    /// bigrams (so 养老服务 partially matches 养老…服务), otherwise all.
    pub(crate) need: usize,
}

impl QueryGroup {
    /// The group's own terms (those of its first alternative).
    #[cfg(test)]
    pub(crate) fn terms(&self) -> &[String] {
        &self.alts[0].terms
    }
}

/// At most this many synonym expansions of one part of a query.
pub(crate) const MAX_ALTS: usize = 8;

fn cjk_terms(chars: &[char]) -> Vec<String> {
    if chars.len() == 1 {
        return vec![chars[0].to_string()];
    }
    let mut v: Vec<String> = Vec::new();
    for w in chars.windows(2) {
        let t: String = w.iter().collect();
        if !v.contains(&t) {
            v.push(t);
        }
    }
    v
}

/// Normalizes a synonym table: every term folded like a query, empty ones and groups of fewer
/// than two distinct terms dropped.
pub(crate) fn normalize_synonyms(groups: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for g in groups {
        let mut terms: Vec<String> = Vec::new();
        for t in g {
            let n = normalize(t);
            if !n.is_empty() && !terms.contains(&n) {
                terms.push(n);
            }
        }
        if terms.len() >= 2 {
            out.push(terms);
        }
    }
    out
}

/// Splits a query into groups. A document matches a query exactly when, for every group, it
/// holds all the terms of one alternative. `synonyms` are normalized groups of equivalent
/// terms ([`normalize_synonyms`]): a CJK run containing one of them also matches the run with
/// it replaced by each other term of its group.
pub(crate) fn parse_query(query: &str, synonyms: &[Vec<String>]) -> Vec<QueryGroup> {
    let mut groups = Vec::new();
    let mut skip_unit_at: Option<usize> = None;
    let mut buf = String::new();
    for_each_run(query, |run, r| {
        let s = &query[r.clone()];
        match run {
            Run::Alnum => {
                let numeric = alnum_text(s, &mut buf);
                let mut phrase = buf.clone();
                if numeric && let Some((u, len)) = unit_after(query, r.end) {
                    phrase.push(u);
                    // A one-character run that is just the unit adds nothing.
                    let rest = &query[r.end + len..];
                    if rest
                        .chars()
                        .next()
                        .is_none_or(|c| class_of(fold(c)) != Class::Cjk)
                    {
                        skip_unit_at = Some(r.end);
                    }
                }
                groups.push(QueryGroup {
                    alts: vec![Alt {
                        terms: vec![phrase.clone()],
                        phrase,
                    }],
                    need: 1,
                });
            }
            Run::Cjk => {
                if skip_unit_at == Some(r.start) {
                    return;
                }
                let chars: Vec<char> = s.chars().map(fold).collect();
                let phrase: String = chars.iter().collect();
                let terms = cjk_terms(&chars);
                let k = terms.len();
                let need = if k > 1 { (2 * k).div_ceil(3) } else { 1 };
                let mut alts = vec![Alt { phrase, terms }];
                for g in synonyms {
                    for m in g.iter().filter(|m| m.chars().count() >= 2) {
                        if !alts[0].phrase.contains(m.as_str()) {
                            continue;
                        }
                        // Not to a part of the matched term (基本养老金 ↛ 养老金): that would widen it.
                        for o in g.iter().filter(|o| *o != m && !m.contains(o.as_str())) {
                            let p = alts[0].phrase.replace(m.as_str(), o);
                            if alts.len() <= MAX_ALTS && !alts.iter().any(|a| a.phrase == p) {
                                let cs: Vec<char> = p.chars().collect();
                                alts.push(Alt {
                                    terms: cjk_terms(&cs),
                                    phrase: p,
                                });
                            }
                        }
                    }
                }
                groups.push(QueryGroup { alts, need });
            }
        }
    });
    groups
}

/// The distinct terms of `groups` (every alternative), in order of first appearance (the order
/// scores are summed in).
pub(crate) fn query_terms(groups: &[QueryGroup]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for g in groups {
        for a in &g.alts {
            for t in &a.terms {
                if !out.contains(t) {
                    out.push(t.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(q: &str) -> Vec<Vec<String>> {
        parse_query(q, &[])
            .iter()
            .map(|g| g.terms().to_vec())
            .collect()
    }

    #[test]
    fn query_groups() {
        let g = parse_query("养老服务", &[]);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].terms(), ["养老", "老服", "服务"]);
        assert_eq!(g[0].need, 2);
        assert_eq!(terms("2021年"), [vec!["2021年"]]);
        assert_eq!(
            terms("2021年度报告"),
            [vec!["2021年"], vec!["年度", "度报", "报告"]]
        );
        assert_eq!(terms("第199期"), [vec!["第"], vec!["199期"]]);
        assert_eq!(terms("PM2.5"), [vec!["pm2.5"]]);
        assert_eq!(query_terms(&parse_query("哈哈哈 哈哈", &[])), ["哈哈"]);
        assert!(parse_query(" ，。 ", &[]).is_empty());
    }

    #[test]
    fn synonyms_expand_query_runs() {
        let syn = normalize_synonyms(&[
            vec!["低保".into(), "最低生活保障".into()],
            vec!["年报".into(), "年度报告".into()],
            vec!["x".into()],
        ]);
        assert_eq!(syn.len(), 2);
        let g = parse_query("低保申请", &syn);
        let p: Vec<&str> = g[0].alts.iter().map(|a| a.phrase.as_str()).collect();
        assert_eq!(p, ["低保申请", "最低生活保障申请"]);
        let g = parse_query("最低生活保障", &syn);
        assert_eq!(g[0].alts[1].phrase, "低保");
        assert_eq!(g[0].alts[1].terms, ["低保"]);
        let g = parse_query("養老", &syn);
        assert_eq!(g[0].alts.len(), 1);
    }
}
