//! The links between pages that front matter declares: `related:`, and `replaces:` /
//! `repealed_by:` (successor and predecessor), each made both ways.

use std::collections::HashMap;

use super::normalize_content_path;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::page::Page;
use crate::t;

/// `replaces:` and `repealed_by:` link a successor and its predecessor both ways, whichever
/// side wrote it.
pub(super) fn link_successions(
    pages: &mut [Page],
    by_rel: &HashMap<String, usize>,
    diags: &mut Diagnostics,
) {
    // (successor, predecessor)
    let mut edges = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        for (key, list) in [
            ("replaces", &p.meta().replaces),
            ("repealed_by", &p.meta().repealed_by),
        ] {
            for r in list {
                match by_rel.get(normalize_content_path(r)) {
                    Some(&j) if j != i => {
                        edges.push(if key == "replaces" { (i, j) } else { (j, i) })
                    }
                    Some(_) => {}
                    None => diags.push(
                        Diagnostic::error("related/missing", t!("related.missing-listed", key))
                            .file(&p.source.file)
                            .line(p.source.key_lines.line_of(&[key]))
                            .key(key)
                            .expected(t!("related.missing-listed.expected"))
                            .found(format!("\"{r}\"")),
                    ),
                }
            }
        }
    }
    for (new, old) in edges {
        pages[new].replaces.push(old);
        pages[old].replaced_by.push(new);
    }
    for p in pages.iter_mut() {
        for list in [&mut p.replaces, &mut p.replaced_by] {
            list.sort_unstable();
            list.dedup();
        }
    }
}

/// `related:` links two pages both ways, whichever side wrote it.
pub(super) fn link_related(
    pages: &mut [Page],
    by_rel: &HashMap<String, usize>,
    diags: &mut Diagnostics,
) {
    let mut edges = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        for r in &p.meta().related {
            match by_rel.get(normalize_content_path(r)) {
                Some(&j) if j != i => edges.push((i, j)),
                Some(_) => {}
                None => diags.push(
                    Diagnostic::error("related/missing", t!("related.missing-related"))
                        .file(&p.source.file)
                        .line(p.source.key_lines.line_of(&["related"]))
                        .key("related")
                        .expected(t!("related.missing-related.expected"))
                        .found(format!("\"{r}\"")),
                ),
            }
        }
    }
    for (i, j) in edges {
        pages[i].related.push(j);
        pages[j].related.push(i);
    }
    for p in pages.iter_mut() {
        p.related.sort_unstable();
        p.related.dedup();
    }
}
