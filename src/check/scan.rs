//! What the check keeps of each content page once its body is rendered: the findings of the
//! per-page rules, and the little the site-wide rules read later (its links, its anchors).
//!
//! A check holds this for every page until the last one is rendered, so it is kept compact (issue
//! 13: `portal check` must not need more memory than `portal build`): no HTML, no text, no
//! Markdown — what a later rule would have read from the Markdown (does the line of a link say
//! that its target is repealed?) is decided here, while the body is at hand.

use std::collections::HashSet;

use crate::diagnostic::Diagnostic;
use crate::markdown::{LinkRef, LinkTarget, Rendered};
use crate::model::Site;

/// One content page rendered, with what the site-wide rules need of it.
#[derive(Debug, Default)]
pub(crate) struct PageScan {
    /// The body's links and images, in order.
    pub(crate) links: Box<[ScanLink]>,
    /// Every `id` in the body: heading anchors, footnotes, raw HTML.
    pub(crate) anchors: Anchors,
    /// Findings of the per-page rules.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl PageScan {
    /// A page whose body could not be read: only `d` to report.
    pub(crate) fn unreadable(d: Diagnostic) -> Self {
        PageScan {
            diagnostics: vec![d],
            ..PageScan::default()
        }
    }
}

/// A link of the body, as the site-wide rules read it.
#[derive(Debug)]
pub(crate) struct ScanLink {
    /// File line.
    pub(crate) line: u32,
    /// As written; left empty for a link to a page without an anchor (no rule shows it).
    pub(crate) dest: Box<str>,
    /// Where it points.
    pub(crate) target: ScanTarget,
}

/// [`LinkTarget`], without what the site gives back (a page's URL).
#[derive(Debug)]
pub(crate) enum ScanTarget {
    /// Another page (index into the site's pages), with an optional anchor.
    Page {
        /// Page index.
        index: u32,
        /// The `#…` part, without `#`.
        anchor: Option<Box<str>>,
        /// The link's line says the target's validity (`（已废止）`): for an effective item, a
        /// link to an item no longer in force that tells the reader so.
        validity_noted: bool,
    },
    /// A file under `files/`, with its absolute URL path.
    Asset(Box<str>),
    /// An anchor on the same page.
    SelfAnchor(Box<str>),
    /// `http(s)://…`
    External(Box<str>),
    /// `mailto:`, `tel:` and other schemes.
    Other,
    /// Resolves to nothing, and why.
    Broken(Box<str>),
}

impl ScanLink {
    /// `l`, found in content page `i` whose Markdown is `markdown`.
    fn new(site: &Site, i: usize, markdown: &str, l: &LinkRef) -> Self {
        let boxed = |s: &str| Box::<str>::from(s);
        let mut dest = boxed(&l.dest);
        let target = match &l.target {
            LinkTarget::Page { index, anchor, .. } => {
                if anchor.is_none() {
                    dest = Box::default();
                }
                ScanTarget::Page {
                    index: *index as u32,
                    anchor: anchor.as_deref().map(boxed),
                    validity_noted: super::rules_links::validity_noted(
                        site, i, markdown, l.line, *index,
                    ),
                }
            }
            LinkTarget::Asset(url) => ScanTarget::Asset(boxed(url)),
            LinkTarget::SelfAnchor(a) => ScanTarget::SelfAnchor(boxed(a)),
            LinkTarget::External(url) => ScanTarget::External(boxed(url)),
            LinkTarget::Other => ScanTarget::Other,
            LinkTarget::Broken(why) => ScanTarget::Broken(boxed(why)),
        };
        ScanLink {
            line: l.line as u32,
            dest,
            target,
        }
    }

    /// File line.
    pub(crate) fn line(&self) -> usize {
        self.line as usize
    }
}

/// The links of a rendered body, kept compact.
pub(crate) fn links(site: &Site, i: usize, markdown: &str, body: &Rendered) -> Box<[ScanLink]> {
    body.links
        .iter()
        .map(|l| ScanLink::new(site, i, markdown, l))
        .collect()
}

/// The `id`s of one body in one string: its headings' first, in order (as many as it has
/// headings), then the others, each once.
#[derive(Debug, Default)]
pub(crate) struct Anchors {
    text: Box<str>,
    /// Where each id ends in `text`.
    ends: Box<[u32]>,
    /// How many of them are the headings'.
    headings: u32,
}

impl Anchors {
    /// The headings' ids of `body`, then the other `ids` (in the order found).
    pub(crate) fn new(body: &Rendered, ids: &[String]) -> Self {
        let mut text = String::new();
        let mut ends = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for h in &body.headings {
            text.push_str(&h.id);
            ends.push(text.len() as u32);
            seen.insert(&h.id);
        }
        let headings = ends.len() as u32;
        for id in ids {
            if seen.insert(id) {
                text.push_str(id);
                ends.push(text.len() as u32);
            }
        }
        Anchors {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            headings,
        }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(s, e)| &self.text[s as usize..e as usize])
    }

    /// True if `id` is one of them.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.iter().any(|a| a == id)
    }

    /// The ids of the headings, in order.
    pub(crate) fn headings(&self) -> impl Iterator<Item = &str> {
        self.iter().take(self.headings as usize)
    }

    /// True if the body has no heading.
    pub(crate) fn no_headings(&self) -> bool {
        self.headings == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Heading;

    #[test]
    fn anchors_keep_headings_first_and_every_id_once() {
        let heading = |id: &str| Heading {
            level: 2,
            text: id.to_string(),
            id: id.to_string(),
            line: 1,
        };
        let body = Rendered {
            headings: vec![
                heading("办理流程"),
                heading("申请材料"),
                heading("办理流程"),
            ],
            ..Rendered::default()
        };
        let ids = ["fn-1", "办理流程", "fn-1", "a"].map(String::from);
        let a = Anchors::new(&body, &ids);
        assert_eq!(
            a.headings().collect::<Vec<_>>(),
            ["办理流程", "申请材料", "办理流程"]
        );
        assert_eq!(a.iter().count(), 5);
        for id in ["办理流程", "申请材料", "fn-1", "a"] {
            assert!(a.contains(id), "{id}");
        }
        assert!(!a.contains("办理"));
        assert!(!a.contains(""));
        assert!(!a.no_headings());
        let none = Anchors::new(&Rendered::default(), &["x".to_string()]);
        assert!(none.no_headings());
        assert_eq!(none.headings().count(), 0);
        assert!(none.contains("x"));
    }
}
