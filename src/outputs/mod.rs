//! The output registry: every file of the site that is not a rendered page — `sitemap.xml`,
//! `robots.txt`, the Atom feeds, the reports' all-years CSV, the catalog's open data. Each is one
//! module with one [`Output`] entry in [`REGISTRY`]; the full build writes them all, the
//! preview's incremental rebuild writes those an edit affects and removes the files an output no
//! longer makes. Adding an output is one file and one line here.

mod catalog_data;
mod feeds;
mod report_csv;
mod robots;
mod sitemap;

use std::collections::BTreeSet;

pub use feeds::path_of as feed_of;
pub use report_csv::ALL_YEARS_CSV;
pub use sitemap::{origin, sitemap};

use crate::model::Site;
use crate::page::Kind;

/// What an edit changed, as the outputs need to know it.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// Kinds of the pages added, removed or edited.
    pub kinds: BTreeSet<Kind>,
    /// A page's URL or date changed, or a page came or went (what lists of URLs show).
    pub listed: bool,
}

/// Files an output makes: (path under the output folder, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// One output: its files for a site, and which changes call for it again.
#[derive(Debug)]
pub struct Output {
    /// What it is (claims and messages name it).
    pub name: &'static str,
    /// Its files (path under the output folder, bytes); none when the site has nothing for it.
    pub render: fn(&Site) -> Files,
    /// True if an update with this change must render it again. Changes to `site.yaml` and the
    /// theme render everything anyway.
    pub affected_by: fn(&Change) -> bool,
}

/// Every output, in the order a build writes them.
pub const REGISTRY: &[Output] = &[
    sitemap::OUTPUT,
    robots::OUTPUT,
    feeds::OUTPUT,
    report_csv::OUTPUT,
    catalog_data::OUTPUT,
];

/// Every output's files, by output.
pub fn render_all(site: &Site) -> Vec<(&'static Output, Files)> {
    REGISTRY.iter().map(|o| (o, (o.render)(site))).collect()
}

/// The files of the outputs that `change` affects, by output.
pub fn render_affected(site: &Site, change: &Change) -> Vec<(&'static Output, Files)> {
    REGISTRY
        .iter()
        .filter(|o| (o.affected_by)(change))
        .map(|o| (o, (o.render)(site)))
        .collect()
}

/// Lists of pages of one kind change whenever such a page does.
fn kinds_in(change: &Change, kinds: &[Kind]) -> bool {
    kinds.iter().any(|k| change.kinds.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_output_has_a_distinct_name_and_says_what_affects_it() {
        let names: BTreeSet<&str> = REGISTRY.iter().map(|o| o.name).collect();
        assert_eq!(names.len(), REGISTRY.len());
        let news = Change {
            kinds: [Kind::News].into(),
            listed: false,
        };
        let affected: Vec<&str> = REGISTRY
            .iter()
            .filter(|o| (o.affected_by)(&news))
            .map(|o| o.name)
            .collect();
        assert_eq!(affected, ["feeds", "catalog-data"]);
        let nothing = Change::default();
        assert!(REGISTRY.iter().all(|o| !(o.affected_by)(&nothing)));
    }
}
