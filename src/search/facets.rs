//! The filters offered on the search page: kind, domain, year.

use std::collections::BTreeMap;

use super::SearchDoc;

/// One value of a facet and its documents.
pub(crate) struct Facet {
    pub(crate) value: String,
    pub(crate) label: String,
    /// Ascending document ids.
    pub(crate) ids: Vec<u32>,
}

/// The filters offered: kind, domain, year.
pub(crate) struct Facets {
    /// news, item, report, page first (in that order), then any other kind by value.
    pub(crate) kinds: Vec<Facet>,
    /// In catalog order (the `domain_order` given), then by name.
    pub(crate) domains: Vec<Facet>,
    /// Newest first; the label is `2021年`.
    pub(crate) years: Vec<Facet>,
    /// Document id → index of its kind in `kinds`.
    pub(crate) kind_index: Vec<u8>,
}

type ByValue = BTreeMap<String, (String, Vec<u32>)>;

fn add(map: &mut ByValue, value: &str, label: &str, id: u32) {
    map.entry(value.to_string())
        .or_insert_with(|| (label.to_string(), Vec::new()))
        .1
        .push(id);
}

fn list(map: ByValue) -> Vec<Facet> {
    map.into_iter()
        .map(|(value, (label, ids))| Facet { value, label, ids })
        .collect()
}

impl Facets {
    /// The facets of the documents `order` (document id → position in `docs`).
    pub(crate) fn build(docs: &[SearchDoc], order: &[u32], domain_order: &[String]) -> Facets {
        let (mut kinds, mut domains, mut years) = (ByValue::new(), ByValue::new(), ByValue::new());
        for (id, &ix) in order.iter().enumerate() {
            let (id, d) = (id as u32, &docs[ix as usize]);
            let label = if d.kind_label.is_empty() {
                &d.kind
            } else {
                &d.kind_label
            };
            add(&mut kinds, &d.kind, label, id);
            let mut seen: Vec<&str> = Vec::new();
            for dom in &d.domains {
                if !seen.contains(&dom.as_str()) {
                    seen.push(dom);
                    add(&mut domains, dom, dom, id);
                }
            }
            let year = d.date.as_deref().and_then(|s| s.get(..4));
            if let Some(y) = year.filter(|y| y.bytes().all(|b| b.is_ascii_digit())) {
                add(&mut years, y, &format!("{y}年"), id);
            }
        }
        const KIND_ORDER: [&str; 4] = ["news", "item", "report", "page"];
        let rank = |v: &str| {
            KIND_ORDER
                .iter()
                .position(|k| *k == v)
                .unwrap_or(KIND_ORDER.len())
        };
        let mut kinds = list(kinds);
        kinds.sort_by(|a, b| (rank(&a.value), &a.value).cmp(&(rank(&b.value), &b.value)));
        let mut domains = list(domains);
        let pos = |v: &str| {
            domain_order
                .iter()
                .position(|d| d == v)
                .unwrap_or(domain_order.len())
        };
        domains.sort_by(|a, b| (pos(&a.value), &a.value).cmp(&(pos(&b.value), &b.value)));
        let mut years = list(years);
        years.reverse();
        let mut kind_index = vec![0u8; order.len()];
        for (i, k) in kinds.iter().enumerate() {
            for &id in &k.ids {
                kind_index[id as usize] = i.min(255) as u8;
            }
        }
        Facets {
            kinds,
            domains,
            years,
            kind_index,
        }
    }
}
