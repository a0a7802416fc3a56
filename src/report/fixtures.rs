//! Test fixtures: the real 2021 report of 杨园街道 (the seed) as a content file, and helpers.

use std::path::Path;

use super::data::ReportData;
use crate::diagnostic::Diagnostic;

/// The seed as a content file: front matter with the 2021 figures, and the body as Markdown with
/// table markers.
pub(crate) const SEED_MD: &str = include_str!("testdata/yangyuan-2021.md");

/// The seed text verbatim (the text of the published page, tables included).
pub(crate) const SEED_RAW: &str = include_str!("testdata/seed-000.txt");

/// A 2019-format report (试行格式), with every table-1 row.
pub(crate) const REPORT_2019: &str = "---
title: 2019年政府信息公开工作年度报告
year: 2019
format: \"2019\"
active_disclosure:
  rules: { made: 0, published: 0, total_public: 0 }
  normative_documents: { made: 2, published: 2, total_public: 5 }
  licensing: { last_year: 12, change: -1, decisions: 430 }
  other_services: { last_year: 3, change: 0, decisions: 17 }
  punishment: { last_year: 2, change: 1, decisions: 388 }
  coercion: { last_year: 0, change: 0, decisions: 0 }
  fees: { last_year: 1, change: 0 }
  procurement: { items: 2, amount_wan_yuan: 0.092 }
applications:
  new_received: { natural_person: 5, commercial: 1 }
  carried_over: {}
  granted: { natural_person: 2 }
  partially_granted: { commercial: 1 }
  unable_not_held: { natural_person: 1 }
  other_handling: { natural_person: 1 }
  carried_forward: { natural_person: 1 }
review_litigation:
  review: { maintained: 1 }
  litigation_direct: {}
  litigation_after_review: {}
---

## 一、总体情况

2019年新收政府信息公开申请6件。
";

/// Splits a content file into (front-matter YAML, body, file line of the YAML's first line,
/// file line of the body's first line).
pub(crate) fn split(md: &str) -> (&str, &str, usize, usize) {
    let rest = md.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("end of front matter");
    let yaml = &rest[..end + 1];
    let body = &rest[end + 5..];
    let body_line = 1 + 1 + yaml.lines().count() + 1;
    (yaml, body, 2, body_line)
}

/// A key-line lookup for YAML text (block mappings by indentation; the last keys may sit in a flow
/// mapping on their parent's line).
pub(crate) fn key_lines(yaml: &str, first_line: usize) -> impl Fn(&[&str]) -> Option<usize> + '_ {
    move |path: &[&str]| {
        let mut idx = 0;
        let mut parent_indent: isize = -1;
        for (i, line) in yaml.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = (line.len() - trimmed.len()) as isize;
            if idx > 0 && indent <= parent_indent {
                return None;
            }
            if !trimmed.starts_with(&format!("{}:", path[idx])) {
                continue;
            }
            if idx + 1 == path.len() {
                return Some(first_line + i);
            }
            let rest = &trimmed[path[idx].len() + 1..];
            if rest.contains('{')
                && path[idx + 1..]
                    .iter()
                    .all(|k| rest.contains(&format!("{k}:")))
            {
                return Some(first_line + i);
            }
            parent_indent = indent;
            idx += 1;
        }
        None
    }
}

/// Parses a content file's front matter with [`super::parse`].
pub(crate) fn parse_md(md: &str) -> (Option<ReportData>, Vec<Diagnostic>) {
    let (yaml, _, first, _) = split(md);
    let fm: serde_yaml::Mapping = serde_yaml::from_str(yaml).expect("YAML");
    super::parse(
        &fm,
        Path::new("content/reports/2021.md"),
        &key_lines(yaml, first),
    )
}

/// Parses and reconciles a content file: all findings.
pub(crate) fn check_md(
    md: &str,
    previous: Option<(&ReportData, &Path)>,
) -> (Option<ReportData>, Vec<Diagnostic>) {
    let (yaml, _, first, _) = split(md);
    let (data, mut diags) = parse_md(md);
    if let Some(r) = &data {
        diags.extend(super::reconcile(
            r,
            Path::new("content/reports/2021.md"),
            &key_lines(yaml, first),
            previous,
        ));
    }
    (data, diags)
}

/// The seed's tables.
pub(crate) fn seed() -> ReportData {
    let (data, diags) = parse_md(SEED_MD);
    assert!(diags.is_empty(), "{diags:#?}");
    data.expect("tables")
}

/// The 2019 fixture's tables.
pub(crate) fn report_2019() -> ReportData {
    let (data, diags) = parse_md(REPORT_2019);
    assert!(diags.is_empty(), "{diags:#?}");
    data.expect("tables")
}
