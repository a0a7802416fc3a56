//! The cross-file rules of uniqueness: one 索引号 per document, one page per URL.

use std::borrow::Cow;
use std::collections::HashMap;

use super::normalize_alias;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Source;
use crate::page::Page;
use crate::t;

/// Every 索引号 used once: the later of two files with the same one gets the error, with the
/// next free number.
pub(super) fn check_unique_index_no(pages: &[Page], diags: &mut Diagnostics) {
    // A hash map: 索引号 share long prefixes, which makes ordered comparisons slow on big sites.
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let Some(no) = p.meta().index_no.as_deref() else {
            continue;
        };
        let Some(&first) = seen.get(no) else {
            seen.insert(no, i);
            continue;
        };
        // The file just added is the one to change: the one published later (by 公开日期,
        // then by path), not the one residents may already have cited.
        let (published, added) =
            if (pages[first].date(), &pages[first].source.rel) <= (p.date(), &p.source.rel) {
                (&pages[first], p)
            } else {
                (p, &pages[first])
            };
        let shown = published.source.file.display();
        let mut d = Diagnostic::error("index-no/duplicate", t!("index-no.duplicate", no, shown))
            .file(&added.source.file)
            .line(added.source.key_lines.line_of(&["index_no"]))
            .key("index_no")
            .expected(t!("index-no.duplicate.expected"))
            .found(t!("index-no.duplicate.found", no, shown));
        d = match next_free_index_no(pages, no) {
            Some(next) => d.hint(t!("index-no.duplicate.hint-next", next)),
            None => d.hint(t!("index-no.duplicate.hint")),
        };
        diags.push(d);
    }
}

/// The next free 索引号 in the series of `no` (`org/YYYY-NNNNN`): the highest serial of that
/// prefix and year plus one, as wide as the others.
fn next_free_index_no(pages: &[Page], no: &str) -> Option<String> {
    let (series, serial) = no.rsplit_once('-')?;
    let width = serial.len();
    let prefix = format!("{series}-");
    let max = pages
        .iter()
        .filter_map(|p| {
            p.meta()
                .index_no
                .as_deref()?
                .strip_prefix(&prefix)?
                .parse::<u64>()
                .ok()
        })
        .max()?;
    Some(format!("{prefix}{:0width$}", max + 1))
}

/// Every URL (a page's own and its aliases) made by one page only.
pub(super) fn check_unique_urls(pages: &[Page], diags: &mut Diagnostics) {
    // Borrowed page URLs in a hash map: this runs on every rebuild of the preview.
    let mut seen: HashMap<Cow<'_, str>, &Source> = HashMap::with_capacity(pages.len());
    for p in pages {
        let aliases = p
            .meta()
            .aliases
            .iter()
            .map(|a| Cow::Owned(normalize_alias(a)));
        for (n, u) in std::iter::once(Cow::Borrowed(p.url.as_str()))
            .chain(aliases)
            .enumerate()
        {
            // The first URL is the page's own (from its name or `slug:`), the rest its aliases.
            let key = if n == 0 { "slug" } else { "aliases" };
            if let Some(other) = seen.get(&u) {
                diags.push(
                    Diagnostic::error(
                        "url/duplicate",
                        t!("url.duplicate", other = other.file.display(), url = u),
                    )
                    .file(&p.source.file)
                    .line(p.source.key_lines.line_of(&[key]).unwrap_or(1))
                    .key(key)
                    .hint(if n == 0 {
                        t!("url.duplicate.hint-slug")
                    } else {
                        t!("url.duplicate.hint-alias")
                    }),
                );
            } else {
                seen.insert(u, &*p.source);
            }
        }
    }
}
