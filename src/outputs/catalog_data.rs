//! `catalog.json` and `catalog.csv`: the open data of the catalog (every item and filed news
//! with its metadata and 事项), when the site has catalog files (docs/catalog-data.md).

use super::{Change, Output};
use crate::page::Kind;

/// The registry entry.
pub(super) const OUTPUT: Output = Output {
    name: "catalog-data",
    render: |site| {
        if !site.config.catalog.has_file.contains(&true) {
            return Vec::new();
        }
        vec![
            (
                "catalog.json".into(),
                crate::catalog::export::to_json(site).into_bytes(),
            ),
            (
                "catalog.csv".into(),
                crate::catalog::export::to_csv(site).into_bytes(),
            ),
        ]
    },
    affected_by: |c: &Change| super::kinds_in(c, &[Kind::Item, Kind::News]),
};
