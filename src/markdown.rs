//! Markdown to HTML, with what Chinese content needs: no stray spaces at line breaks between
//! Chinese characters, heading ids that keep Chinese, links to `.md` files rewritten to page URLs
//! under the site's sub-path, and the plain text and headings for search and checks.
//!
//! Every body is bounded and made safe here, before anything downstream sees it: nesting deeper
//! than [`crate::sanitize::MAX_DEPTH`] is refused, what the editor wrote is audited and the HTML
//! is sanitized by [`crate::sanitize::Policy`]; the findings travel in [`Rendered::diagnostics`].

use crate::t;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostic::Diagnostic;
use crate::html_scan::{self, Nesting};
use crate::sanitize::{MAX_DEPTH, Policy};

/// Where a link in Markdown points, as decided by the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another page (index into the site's pages), with its URL and an optional anchor.
    Page {
        /// Page index.
        index: usize,
        /// Absolute URL path of the page (with base path).
        url: String,
        /// The `#…` part, without `#`.
        anchor: Option<String>,
    },
    /// A file under `files/`, with its absolute URL path.
    Asset(String),
    /// An anchor on the same page.
    SelfAnchor(String),
    /// `http(s)://…`
    External(String),
    /// `mailto:`, `tel:` and other schemes: left as written.
    Other,
    /// Resolves to nothing.
    Broken(String),
}

/// Resolves link destinations written in a page (implemented by the model).
pub trait LinkResolver {
    /// Resolves `dest` as written in the page whose source path is `from_rel`.
    fn resolve(&self, from_rel: &str, dest: &str) -> LinkTarget;

    /// The width and height in pixels of the image `dest` links to, when it is a local file
    /// whose header says so; `None` (the default) renders the image without them.
    fn image_size(&self, _from_rel: &str, _dest: &str) -> Option<(u32, u32)> {
        None
    }
}

/// A link found in the body, for the checker.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// File line.
    pub line: usize,
    /// As written.
    pub dest: String,
    /// Resolution.
    pub target: LinkTarget,
    /// An image (`![]()`) rather than a link.
    pub image: bool,
    /// For images: the alt text.
    pub alt: String,
}

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Its text.
    pub text: String,
    /// Its id (anchor).
    pub id: String,
    /// File line.
    pub line: usize,
}

/// The rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Plain text (for search and excerpts).
    pub text: String,
    /// Every link and image.
    pub links: Vec<LinkRef>,
    /// Unsafe HTML, unsafe addresses, unclosed elements and too deep nesting, located by line
    /// and column (the file is set by the caller, which knows it).
    pub diagnostics: Vec<Diagnostic>,
}

/// A heading being collected: its tag parts, where its start event sits, and its line.
type OpenHeading<'a> = (
    HeadingLevel,
    Option<CowStr<'a>>,
    Vec<CowStr<'a>>,
    Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    usize,
    usize,
);

/// pulldown-cmark options of the contract.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// True for Han characters, kana, CJK and full-width punctuation and Chinese quotes, where a
/// line break must not become a space.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x2FFFF | 0x2018..=0x201D | 0x2014 | 0x2026)
}

/// The id of a heading: Chinese and other letters and digits kept, ASCII lowercased, spaces
/// become `-`, punctuation dropped (`一、总体情况` → `一总体情况`).
pub fn heading_id(text: &str) -> String {
    let text = text.trim();
    let mut id = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            // (`extend` with a one-character iterator reserved space for every character.)
            for l in c.to_lowercase() {
                id.push(l);
            }
        } else if (c == '-' || c == '_' || c.is_whitespace())
            && !id.ends_with('-')
            && !id.is_empty()
        {
            id.push(if c == '_' { '_' } else { '-' });
        }
    }
    id.truncate(id.trim_end_matches('-').len());
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

/// Renders `body` (whose first line is file line `first_line`) of the page `from_rel` under the
/// built-in HTML allow-list.
pub fn render(
    body: &str,
    first_line: usize,
    from_rel: &str,
    resolver: &dyn LinkResolver,
) -> Rendered {
    render_with(body, first_line, from_rel, resolver, Policy::builtin())
}

/// Pieces of a body's text joined into one string, each remembering the body range it came
/// from: scanners work on the joined text and map a finding back to its line.
#[derive(Debug, Default)]
pub(crate) struct Joined {
    /// The pieces, joined.
    pub(crate) text: String,
    /// (offset in `text`, body range of that piece)
    pieces: Vec<(usize, Range<usize>)>,
}

impl Joined {
    /// Appends `t`, which stands at `range` of the body.
    pub(crate) fn push(&mut self, t: &str, range: Range<usize>) {
        self.pieces.push((self.text.len(), range));
        self.text.push_str(t);
    }

    /// Body offset of `pos` in the joined text.
    pub(crate) fn body_offset(&self, pos: usize) -> usize {
        let i = self
            .pieces
            .partition_point(|(start, _)| *start <= pos)
            .saturating_sub(1);
        self.pieces.get(i).map_or(0, |(start, range)| {
            (range.start + pos - start).min(range.end)
        })
    }
}

/// File line and column (in characters) of a body offset.
struct Lines<'a> {
    body: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl Lines<'_> {
    fn line(&self, at: usize) -> usize {
        self.first_line + self.starts.partition_point(|&s| s <= at) - 1
    }

    fn column(&self, at: usize) -> usize {
        let at = at.min(self.body.len());
        let idx = self.starts.partition_point(|&s| s <= at) - 1;
        self.body
            .get(self.starts[idx]..at)
            .map_or(1, |s| s.chars().count() + 1)
    }

    fn locate(&self, d: Diagnostic, at: usize) -> Diagnostic {
        d.line(self.line(at)).column(self.column(at))
    }
}

/// Renders `body` like [`render`], under the allow-list `policy` (the site's).
pub fn render_with(
    body: &str,
    first_line: usize,
    from_rel: &str,
    resolver: &dyn LinkResolver,
    policy: &Policy,
) -> Rendered {
    let (mut out, html) = render_unsanitized(body, first_line, from_rel, resolver, policy);
    if let Some(html) = html {
        out.html = if html.editor_html {
            policy.clean(&html.html)
        } else {
            // No raw HTML of the editor's: pulldown-cmark's own HTML, which the sanitizer's
            // fast path re-serializes (or hands to ammonia when it is unusual).
            policy.clean_generated(&html.html)
        };
    }
    out
}

/// A body's HTML before the sanitizer.
pub(crate) struct Unsanitized {
    /// As pulldown-cmark wrote it (with the table wrappers and sized images added here).
    pub(crate) html: String,
    /// The editor wrote raw HTML (`Event::Html`/`Event::InlineHtml`).
    pub(crate) editor_html: bool,
}

/// Everything of [`render_with`] but the sanitizer: the rendered body without its HTML, and
/// the HTML to sanitize (`None` when the body was refused and `html` already holds the notice).
pub(crate) fn render_unsanitized(
    body: &str,
    first_line: usize,
    from_rel: &str,
    resolver: &dyn LinkResolver,
    policy: &Policy,
) -> (Rendered, Option<Unsanitized>) {
    let lines = Lines {
        body,
        starts: std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1))
            .collect(),
        first_line,
    };
    let line_of = |offset: usize| lines.line(offset);

    let mut out = Rendered::default();
    let mut raw = Joined::default();
    let mut raw_nesting = Nesting::default();
    let mut depth = 0usize;
    let mut too_deep = false;
    // One event per ~14 bytes of the bench corpus' bodies (~23 in the example's): growing the
    // vector from empty was ~1 % of a build's instructions (issue 13).
    let mut events: Vec<Event<'_>> = Vec::with_capacity(body.len() / 12 + 16);
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<OpenHeading<'_>> = None;
    let mut image_alt: Option<usize> = None;
    let mut image_size: Option<(u32, u32)> = None;
    let mut text_buf = Words::default();

    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        // The deepest point of this event: Markdown containers plus raw HTML elements open.
        let mut deepest = raw_nesting.depth();
        match &ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                html_scan::scan_tags(h, |t| {
                    raw_nesting.tag_owned(t);
                    deepest = deepest.max(raw_nesting.depth());
                });
                raw.push(h, range.clone());
            }
            _ => {}
        }
        if depth + deepest > MAX_DEPTH {
            out.diagnostics
                .push(too_deep_error(depth + deepest, line_of(range.start)));
            too_deep = true;
            break;
        }
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                for (name, value) in &attrs {
                    let name = name.to_ascii_lowercase();
                    let value = value.as_deref().unwrap_or("");
                    if let Some(d) = policy.audit_attr("h1", &name, value, true) {
                        out.diagnostics.push(lines.locate(d, range.start));
                    }
                }
                heading = Some((
                    level,
                    id,
                    classes,
                    attrs,
                    events.len(),
                    line_of(range.start),
                ));
                events.push(Event::Text(CowStr::Borrowed(""))); // placeholder for the start tag
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((lvl, id, classes, attrs, at, line)) = heading.take() {
                    let text = inline_text(&events[at + 1..]);
                    let base = id
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| heading_id(&text));
                    let n = used_ids.entry(base.clone()).or_insert(0);
                    let unique = if *n == 0 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    };
                    *n += 1;
                    used_ids.entry(unique.clone()).or_insert(1);
                    out.headings.push(Heading {
                        level: lvl as u8,
                        text: text.clone(),
                        id: unique.clone(),
                        line,
                    });
                    events[at] = Event::Start(Tag::Heading {
                        level: lvl,
                        id: Some(CowStr::from(unique)),
                        classes,
                        attrs,
                    });
                    text_buf.push(&mut out.text, &text);
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let image = matches!(tag, Tag::Image { .. });
                let (Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) = tag
                else {
                    unreachable!("matched above")
                };
                let line = line_of(range.start);
                if let Some(d) = policy.audit_url(&dest_url, image) {
                    out.diagnostics.push(lines.locate(d, range.start));
                }
                let dest = rewrite(
                    &mut out, resolver, from_rel, &dest_url, link_type, line, image,
                );
                if image {
                    image_alt = Some(events.len());
                    image_size = match out.links.last().map(|l| &l.target) {
                        Some(LinkTarget::Asset(_)) => resolver.image_size(from_rel, &dest_url),
                        _ => None,
                    };
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    }));
                } else {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                if let (Some(at), Some(l)) = (image_alt.take(), out.links.last_mut()) {
                    l.alt = inline_text(&events[at + 1..]);
                    if let (
                        Some((w, h)),
                        Event::Start(Tag::Image {
                            dest_url, title, ..
                        }),
                    ) = (image_size.take(), &events[at])
                    {
                        // The tag pulldown-cmark writes, with the size: the browser keeps the
                        // image's place while it loads (no layout shift).
                        let title = if title.is_empty() {
                            String::new()
                        } else {
                            format!(" title=\"{}\"", crate::escape::html(title))
                        };
                        let tag = format!(
                            "<img src=\"{}\" alt=\"{}\"{title} width=\"{w}\" height=\"{h}\" />",
                            crate::escape::html(dest_url),
                            crate::escape::html(&l.alt)
                        );
                        events.truncate(at);
                        events.push(Event::InlineHtml(CowStr::from(tag)));
                        continue;
                    }
                }
                events.push(ev);
            }
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\">",
                )));
                events.push(ev);
            }
            Event::End(TagEnd::Table) => {
                events.push(ev);
                events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if heading.is_none() {
                    text_buf.push(&mut out.text, t);
                }
                events.push(ev);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                text_buf.space();
                events.push(ev);
            }
            other => events.push(other),
        }
    }

    if too_deep {
        // Nothing of it is rendered: the build fails on the error, and the preview shows it.
        out.html = "<p>（正文嵌套过深，未能显示。）</p>\n".to_string();
        out.links.clear();
        return (out, None);
    }
    for f in policy.audit_html(&raw.text) {
        let d = lines.locate(f.diagnostic, raw.body_offset(f.at));
        out.diagnostics.push(d);
    }
    let events = drop_cjk_soft_breaks(events);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let editor_html = !raw.pieces.is_empty();
    (out, Some(Unsanitized { html, editor_html }))
}

fn too_deep_error(depth: usize, line: usize) -> Diagnostic {
    Diagnostic::error("markdown/too-deep", t!("markdown.too-deep", depth))
        .line(line)
        .found(t!("markdown.too-deep.found", depth))
        .expected(t!("markdown.too-deep.expected", MAX_DEPTH))
        .hint(t!("markdown.too-deep.hint"))
}

/// The text of inline events (for heading ids and alt text).
fn inline_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

fn rewrite<'a>(
    out: &mut Rendered,
    resolver: &dyn LinkResolver,
    from_rel: &str,
    dest: &CowStr<'a>,
    link_type: LinkType,
    line: usize,
    image: bool,
) -> CowStr<'a> {
    if matches!(link_type, LinkType::Email) {
        return dest.clone();
    }
    let target = resolver.resolve(from_rel, dest);
    let new = match &target {
        LinkTarget::Page { url, anchor, .. } => match anchor {
            Some(a) => CowStr::from(format!("{url}#{a}")),
            None => CowStr::from(url.clone()),
        },
        LinkTarget::Asset(url) => CowStr::from(url.clone()),
        _ => dest.clone(),
    };
    out.links.push(LinkRef {
        line,
        dest: dest.to_string(),
        target,
        image,
        alt: String::new(),
    });
    new
}

/// Drops soft breaks between two CJK characters: Chrome renders them as a visible space.
fn drop_cjk_soft_breaks(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let dropped: Vec<usize> = (0..events.len())
        .filter(|&i| matches!(events[i], Event::SoftBreak))
        .filter(|&i| {
            let prev = events[..i].iter().rev().find_map(|e| match e {
                Event::Text(t) | Event::Code(t) => t.chars().next_back(),
                Event::Start(_) | Event::End(_) => None,
                _ => Some(' '),
            });
            let next = events[i + 1..].iter().find_map(|e| match e {
                Event::Text(t) | Event::Code(t) => t.chars().next(),
                Event::Start(_) | Event::End(_) => None,
                _ => Some(' '),
            });
            matches!((prev, next), (Some(a), Some(b)) if is_cjk(a) && is_cjk(b))
        })
        .collect();
    if !dropped.is_empty() {
        let mut i = 0;
        let mut next = dropped.iter().peekable();
        events.retain(|_| {
            let keep = next.peek() != Some(&&i);
            if !keep {
                next.next();
            }
            i += 1;
            keep
        });
    }
    events
}

mod words;
use words::Words;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod sanitize_tests;
