//! One source resolved into a [`Page`]: its kind, domains, 事项, URL and defaults, each rule of
//! a page by itself in a function of its own. A rule that returns `false` (or an error) keeps
//! the page out of the site; the date-order rules only report.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::normalize_content_path;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::front_matter::{Disclosure, Validity};
use crate::load::Source;
use crate::page::{Kind, Page, RESERVED, url_of};
use crate::site_config::SiteConfig;
use crate::t;

/// Resolves `src`, or reports why it cannot be published (`None`).
pub(super) fn resolve_page(
    src: Arc<Source>,
    config: &SiteConfig,
    assets: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Option<Page> {
    let mut ok = true;
    let kind = match page_kind(&src) {
        Ok(k) => k,
        Err((folder_kind, d)) => {
            diags.push(d);
            ok = false;
            folder_kind
        }
    };
    ok &= keep(diags, date_present(&src, kind));
    diags.extend(written_not_after_date(&src));
    ok &= keep(diags, index_no_present(&src, kind, config));
    let (wanted, from_folder) = wanted_domains(&src, kind);
    let (domains, unknown) = resolve_domains(&src, config, &wanted, from_folder);
    ok &= unknown.is_empty();
    diags.extend(unknown);
    let mut matter_diags = Vec::new();
    let matter = crate::catalog::resolve_matter(&src, kind, &domains, config, &mut matter_diags);
    diags.extend(matter_diags);
    diags.extend(formed_not_after_date(&src));
    ok &= keep(diags, domain_present(&src, kind, config, &wanted));
    let missing = missing_attachments(&src, assets);
    ok &= missing.is_empty();
    diags.extend(missing);
    let url = url_of(&src, kind);
    ok &= keep(diags, url_not_reserved(&src, kind, &url));
    ok &= keep(diags, url_valid(&src, &url));
    let bad_aliases = invalid_aliases(&src);
    ok &= bad_aliases.is_empty();
    diags.extend(bad_aliases);

    if !ok {
        return None;
    }
    let m = &src.meta;
    Some(Page {
        publisher: m
            .publisher
            .clone()
            .unwrap_or_else(|| config.organization.clone()),
        validity: m.validity.unwrap_or(Validity::Effective),
        disclosure: m.disclosure.unwrap_or(Disclosure::Proactive),
        kind,
        url,
        domains,
        related: Vec::new(),
        replaces: Vec::new(),
        replaced_by: Vec::new(),
        report: None,
        matter,
        source: src,
    })
}

/// Reports `fault`, if any; true when there was none (the page can be kept).
fn keep(diags: &mut Diagnostics, fault: Option<Diagnostic>) -> bool {
    match fault {
        Some(d) => {
            diags.push(d);
            false
        }
        None => true,
    }
}

/// The page's kind: `kind:` if given, else its folder's. An unknown `kind:` is an error (with
/// the folder's kind to go on with).
fn page_kind(src: &Source) -> Result<Kind, (Kind, Diagnostic)> {
    let folder_kind = Kind::from_rel(&src.rel);
    let Some(k) = &src.meta.kind else {
        return Ok(folder_kind);
    };
    Kind::parse(k).ok_or_else(|| {
        (
            folder_kind,
            Diagnostic::error("front-matter/value", t!("front-matter.unknown-kind"))
                .file(&src.file)
                .line(src.key_lines.line_of(&["kind"]))
                .key("kind")
                .expected(t!("front-matter.unknown-kind.expected"))
                .found(format!("\"{k}\"")),
        )
    })
}

/// A kind that is dated (news, items, reports) has a 公开日期.
fn date_present(src: &Source, kind: Kind) -> Option<Diagnostic> {
    if !kind.needs_date() || src.meta.date.is_some() || src.date_key {
        return None;
    }
    Some(
        Diagnostic::error(
            "front-matter/missing",
            t!("front-matter.missing-date", kind = kind.label()),
        )
        .file(&src.file)
        .line(1)
        .key("date")
        .expected(t!("front-matter.missing-date.expected"))
        .found(t!("front-matter.missing-date.found"))
        .hint(t!("front-matter.missing-date.hint")),
    )
}

/// A document cannot be published before it was written: such a date pair is a typo or a
/// backdated 公开日期, both of which the build must not publish.
fn written_not_after_date(src: &Source) -> Option<Diagnostic> {
    let (written, date) = (src.meta.written?, src.meta.date?);
    (written > date).then(|| {
        Diagnostic::error("date/written-after-date", t!("date.written-after-date"))
            .file(&src.file)
            .line(src.key_lines.line_of(&["written"]))
            .key("written")
            .expected(t!("date.written-after-date.expected", date))
            .found(written.to_string())
            .hint(t!("date.written-after-date.hint"))
    })
}

/// 信息形成日期 (`formed`) is not after 公开日期.
fn formed_not_after_date(src: &Source) -> Option<Diagnostic> {
    let (formed, date) = (src.meta.formed?, src.meta.date?);
    (formed > date).then(|| {
        Diagnostic::error("date/formed-after-date", t!("date.formed-after-date"))
            .file(&src.file)
            .line(src.key_lines.line_of(&["formed"]))
            .key("formed")
            .expected(t!("date.formed-after-date.expected", date))
            .found(formed.to_string())
            .hint(t!("date.formed-after-date.hint"))
    })
}

/// A kind that needs a 索引号 (items, reports) has one.
fn index_no_present(src: &Source, kind: Kind, config: &SiteConfig) -> Option<Diagnostic> {
    if !kind.needs_index_no() || src.meta.index_no.as_deref().is_some_and(|n| !n.is_empty()) {
        return None;
    }
    Some(
        Diagnostic::error(
            "front-matter/missing",
            t!("front-matter.missing-index-no", kind = kind.label()),
        )
        .file(&src.file)
        .line(src.key_lines.line_of(&["index_no"]).unwrap_or(1))
        .key("index_no")
        .expected(format!("`index_no: \"{}/YYYY-NNNNN\"`", config.org_code))
        .found(t!("front-matter.missing-index-no.found"))
        .hint(t!("front-matter.missing-index-no.hint")),
    )
}

/// The domains a page asks for: from the front matter, else from the folder for items
/// (`items/<slug>/…`). The flag says they came from the folder.
fn wanted_domains(src: &Source, kind: Kind) -> (Vec<String>, bool) {
    let from_folder = kind == Kind::Item && src.meta.domains.is_empty();
    if !from_folder {
        return (src.meta.domains.clone(), false);
    }
    let segs: Vec<&str> = src.rel.split('/').collect();
    if segs.len() >= 3 && segs[0] == "items" {
        (vec![segs[1].to_string()], true)
    } else {
        (Vec::new(), true)
    }
}

/// The domains of `site.yaml`, for messages: `slug (name), …`.
fn valid_domains(config: &SiteConfig) -> String {
    config
        .domains
        .iter()
        .map(|d| format!("{} ({})", d.slug, d.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The indexes of the `wanted` domains (sorted, once each), and an error per unknown one.
fn resolve_domains(
    src: &Source,
    config: &SiteConfig,
    wanted: &[String],
    from_folder: bool,
) -> (Vec<usize>, Vec<Diagnostic>) {
    let mut domains = Vec::new();
    let mut faults = Vec::new();
    for w in wanted {
        // The Chinese name (社会救助) or a known alias (医疗卫生) is what an editor sees on the
        // catalog: it names the domain as surely as the slug does.
        let by_slug = config.domains.iter().position(|d| &d.slug == w);
        let by_name = || {
            let dom = config.domain(w)?;
            config.domains.iter().position(|d| d.slug == dom.slug)
        };
        match by_slug.or_else(|| if from_folder { None } else { by_name() }) {
            Some(i) => domains.push(i),
            None => faults.push(unknown_domain(src, config, w, from_folder)),
        }
    }
    domains.sort_unstable();
    domains.dedup();
    (domains, faults)
}

/// The error for a domain `w` that `site.yaml` does not list.
fn unknown_domain(src: &Source, config: &SiteConfig, w: &str, from_folder: bool) -> Diagnostic {
    let by_name = config.domain(w);
    let mut d = if from_folder {
        Diagnostic::error("domain/unknown", t!("domain.unknown-folder", folder = w))
            .file(&src.file)
            .line(1)
    } else {
        Diagnostic::error("domain/unknown", t!("domain.unknown"))
            .file(&src.file)
            .line(src.key_lines.line_of(&["domain"]))
            .key("domain")
    };
    d = d
        .expected(t!(
            "domain.unknown.expected",
            domains = valid_domains(config)
        ))
        .found(format!("\"{w}\""));
    match by_name {
        Some(dom) => d.hint(t!("domain.unknown.hint-slug", slug = dom.slug)),
        None => d.hint(t!("domain.unknown.hint")),
    }
}

/// An item belongs to at least one domain.
fn domain_present(
    src: &Source,
    kind: Kind,
    config: &SiteConfig,
    wanted: &[String],
) -> Option<Diagnostic> {
    if kind != Kind::Item || !wanted.is_empty() {
        return None;
    }
    Some(
        Diagnostic::error("domain/missing", t!("domain.missing"))
            .file(&src.file)
            .line(1)
            .key("domain")
            .expected(t!(
                "domain.missing.expected",
                domains = valid_domains(config)
            ))
            .found(t!("domain.missing.found")),
    )
}

/// An error per attachment that is not a file under `content/files/`.
fn missing_attachments(src: &Source, assets: &BTreeSet<String>) -> Vec<Diagnostic> {
    src.meta
        .attachments
        .iter()
        .filter(|a| !assets.contains(normalize_content_path(&a.file)))
        .map(|a| {
            Diagnostic::error("attachment/missing", t!("attachment.missing"))
                .file(&src.file)
                .line(src.key_lines.line_of(&["attachments"]))
                .key("attachments")
                .expected(t!("attachment.missing.expected"))
                .found(format!("\"{}\"", a.file))
                .hint(t!("attachment.missing.hint"))
        })
        .collect()
}

/// A standalone page's URL does not take a section the generator makes (`/news/`, `/catalog/` …).
fn url_not_reserved(src: &Source, kind: Kind, url: &str) -> Option<Diagnostic> {
    if kind != Kind::Page {
        return None;
    }
    let first = url.split('/').next().unwrap_or("");
    RESERVED.contains(&first).then(|| {
        Diagnostic::error("url/reserved", t!("url.reserved", url))
            .file(&src.file)
            .line(src.key_lines.line_of(&["slug"]).unwrap_or(1))
            .key("slug")
            .found(first.to_string())
            .hint(t!("url.reserved.hint", reserved = RESERVED.join(", ")))
    })
}

/// `slug:` makes one segment of a URL: no separators, dots alone, control characters, `?`, `#`
/// or spaces.
fn url_valid(src: &Source, url: &str) -> Option<Diagnostic> {
    let m = &src.meta;
    let slug_bad = m.slug.as_deref().is_some_and(|s| {
        let s = s.trim_matches('/');
        s.is_empty()
            || s == "."
            || s == ".."
            || s.contains(['/', '\\'])
            || s.chars().any(char::is_control)
    });
    let url_bad = url.contains("//") || url.contains("..") || url.contains(['?', '#', ' ']);
    (slug_bad || url_bad).then(|| {
        Diagnostic::error("url/invalid", t!("url.invalid"))
            .file(&src.file)
            .line(src.key_lines.line_of(&["slug"]).unwrap_or(1))
            .key("slug")
            .expected(t!("url.invalid.expected"))
            .found(m.slug.clone().unwrap_or_else(|| url.to_string()))
            .hint(t!("url.invalid.hint"))
    })
}

/// An error per `aliases:` entry that cannot be an output path.
fn invalid_aliases(src: &Source) -> Vec<Diagnostic> {
    src.meta
        .aliases
        .iter()
        .filter_map(|a| {
            let why = alias_fault(a)?;
            Some(
                Diagnostic::error(
                    "alias/invalid",
                    t!("alias.invalid", alias = format!("{a:?}"), why),
                )
                .file(&src.file)
                .line(src.key_lines.line_of(&["aliases"]))
                .key("aliases")
                .expected(t!("alias.invalid.expected"))
                .found(format!("{a:?}"))
                .hint(t!("alias.invalid.hint")),
            )
        })
        .collect()
}

/// Why an alias cannot be an output path (`..`, control characters, `?`/`#` …), if it cannot.
fn alias_fault(a: &str) -> Option<String> {
    if a.contains(['?', '#']) {
        return Some(t!("alias.invalid.query"));
    }
    if a.contains("://") || a.trim().starts_with("//") {
        return Some(t!("alias.invalid.external"));
    }
    let out = normalize_alias(a);
    // The home page ("/") is a valid path; whether it is free is the output's claim check.
    if out.is_empty() {
        return None;
    }
    crate::safe_path::normalize(&out)
        .err()
        .map(|e| e.to_string())
}

/// An alias as a site-relative directory URL (`old/path/` or `old.html`).
pub fn normalize_alias(a: &str) -> String {
    let a = a.trim().trim_start_matches('/');
    if a.ends_with(".html") || a.ends_with('/') || a.is_empty() {
        a.to_string()
    } else {
        format!("{a}/")
    }
}
