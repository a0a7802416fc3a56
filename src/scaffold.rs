//! `portal new`: a new content file in the right folder, its front matter filled in.
//!
//! What an editor would otherwise look up by hand is filled in: today's date, the next free
//! 索引号 of the year, the domain's slug, and for an annual report the three statistical tables
//! with every row at zero and the six section headings of the national template. The 发布机构
//! is left out (written as a comment): the model defaults it to `site.yaml`'s organization, so
//! a renamed organization is changed in one place, and only a page published by someone else
//! says so.
//!
//! A file is never overwritten.

use crate::t;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::date::Date;
use crate::diagnostic::Diagnostics;
use crate::load::{self, SitePaths};
use crate::page::{Kind, RESERVED};
use crate::site_config::SiteConfig;

/// What to create.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// Site root (holds `content/`).
    pub root: PathBuf,
    /// News, item, report or page.
    pub kind: Kind,
    /// The title.
    pub title: String,
    /// Domain slug, name or alias: required for an item, optional for news.
    pub domain: Option<String>,
    /// 公开日期; today (China time) if not given.
    pub date: Option<Date>,
    /// The ASCII part of the file name (and so of the URL); derived from the title if not given.
    pub slug: Option<String>,
    /// 所属事项 (`social-assistance/dibao-guide`): written as `matter:`; gives the domain when
    /// `domain` is not given.
    pub matter: Option<String>,
}

/// What was created.
#[derive(Debug, Clone)]
pub struct Created {
    /// The new file: the root joined with `content/…`.
    pub path: PathBuf,
    /// The 索引号 given to it (items and reports).
    pub index_no: Option<String>,
}

/// Why nothing was created.
#[derive(Debug)]
pub enum NewError {
    /// `content/site.yaml` cannot be read; its findings.
    Config(Diagnostics),
    /// The title is empty.
    EmptyTitle,
    /// An item needs `--domain`.
    MissingDomain {
        /// The catalog: (slug, name).
        valid: Vec<(String, String)>,
    },
    /// The domain is not in the catalog.
    UnknownDomain {
        /// As given.
        given: String,
        /// The catalog: (slug, name).
        valid: Vec<(String, String)>,
    },
    /// Only news and items are filed under a domain.
    DomainNotAllowed(Kind),
    /// `--matter` is not a 事项 of the catalog (or not of `--domain`).
    UnknownMatter {
        /// As given.
        given: String,
        /// The 事项 it could have been, as a list for the message.
        listing: String,
    },
    /// The slug is not one URL segment of ASCII letters, digits, `-` and `_`, or is reserved.
    BadSlug {
        /// As given.
        slug: String,
        /// Why.
        why: String,
    },
    /// `--slug` names a file that exists.
    Exists(PathBuf),
    /// Reading or writing failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

impl fmt::Display for NewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, valid: &[(String, String)]| -> fmt::Result {
            writeln!(f, "{}", t!("new.domains-available"))?;
            for (slug, name) in valid {
                writeln!(f, "  {slug:<36} {name}")?;
            }
            Ok(())
        };
        match self {
            NewError::Config(ds) => {
                writeln!(f, "{}", t!("new.config-unreadable"))?;
                for d in ds.iter() {
                    writeln!(f, "{d}")?;
                }
                Ok(())
            }
            NewError::EmptyTitle => write!(f, "{}", t!("new.empty-title")),
            NewError::MissingDomain { valid } => {
                writeln!(f, "{}", t!("new.missing-domain"))?;
                list(f, valid)
            }
            NewError::UnknownDomain { given, valid } => {
                writeln!(f, "{}", t!("new.unknown-domain", given))?;
                list(f, valid)
            }
            NewError::DomainNotAllowed(kind) => {
                write!(f, "{}", t!("new.domain-not-allowed", kind = kind.label()))
            }
            NewError::UnknownMatter { given, listing } => {
                write!(f, "{}", t!("new.unknown-matter", given, listing))
            }
            NewError::BadSlug { slug, why } => write!(f, "{}", t!("new.bad-slug", slug, why)),

            NewError::Exists(path) => {
                write!(f, "{}", t!("new.exists", path = path.display()))
            }
            NewError::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for NewError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NewError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Creates the file and returns where.
pub fn create(opts: &NewOptions) -> Result<Created, NewError> {
    let title = opts.title.trim();
    if title.is_empty() {
        return Err(NewError::EmptyTitle);
    }
    let paths = SitePaths::new(&opts.root);
    let loaded = load::load(&paths);
    let Some(config) = loaded.config else {
        let site_yaml = paths.display(&paths.content.join("site.yaml"));
        let ds = loaded
            .diagnostics
            .into_iter()
            .filter(|d| d.file.as_deref() == Some(site_yaml.as_path()));
        return Err(NewError::Config(Diagnostics(ds.collect())));
    };
    let date = opts.date.unwrap_or_else(Date::today);
    let matter = match opts.matter.as_deref().map(str::trim) {
        None => None,
        Some(given) => {
            let cat = &config.catalog;
            let wanted = opts.domain.as_deref().and_then(|g| {
                config
                    .domains
                    .iter()
                    .position(|d| config.domain(g) == Some(d))
            });
            match cat.find(given) {
                Some(i) if wanted.is_none_or(|w| w == cat.matters[i].domain) => Some(i),
                _ => {
                    let slug = given.split('/').next().unwrap_or_default();
                    let d = wanted.or_else(|| config.domains.iter().position(|d| d.slug == slug));
                    let listing = match d {
                        Some(d) => cat.listing(d),
                        None => cat
                            .matters
                            .iter()
                            .map(|m| m.id.clone())
                            .collect::<Vec<_>>()
                            .join("、"),
                    };
                    return Err(NewError::UnknownMatter {
                        given: given.to_string(),
                        listing,
                    });
                }
            }
        }
    };
    let matter_domain = matter.map(|i| {
        config.domains[config.catalog.matters[i].domain]
            .slug
            .clone()
    });
    let domain = resolve_domain(
        &config,
        opts.kind,
        opts.domain.as_deref().or(matter_domain.as_deref()),
    )?;
    if let Some(slug) = &opts.slug {
        check_slug(slug, opts.kind)?;
    }

    let index_no = if opts.kind.needs_index_no() {
        let mut used: Vec<String> = loaded
            .sources
            .iter()
            .filter_map(|s| s.meta.index_no.clone())
            .collect();
        // Files that do not parse still hold their numbers: a new page must not take one.
        let parsed: std::collections::HashSet<&str> =
            loaded.sources.iter().map(|s| s.rel.as_str()).collect();
        for (rel, path) in load::walk(&paths).markdown {
            if !parsed.contains(rel.as_str()) {
                used.extend(
                    std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| index_no_line(&t)),
                );
            }
        }
        Some(next_index_no(
            &config.org_code,
            date.year,
            used.iter().map(String::as_str),
        ))
    } else {
        None
    };

    let folder = match (opts.kind, &domain) {
        (Kind::News, _) => "news".to_string(),
        (Kind::Item, Some(d)) => format!("items/{d}"),
        (Kind::Item, None) => unreachable!("resolve_domain requires a domain for items"),
        (Kind::Report, _) => "reports".to_string(),
        (Kind::Page, _) => "pages".to_string(),
    };
    let dir = paths.content.join(&folder);
    std::fs::create_dir_all(&dir).map_err(|source| NewError::Io {
        path: dir.clone(),
        source,
    })?;
    let text = file_text(
        &config,
        opts.kind,
        title,
        date,
        index_no.as_deref(),
        domain.as_deref(),
        matter.map(|i| config.catalog.matters[i].id.as_str()),
    );
    let path = write_new(&dir, opts.kind, date, title, opts.slug.as_deref(), &text)?;
    Ok(Created { path, index_no })
}

fn resolve_domain(
    config: &SiteConfig,
    kind: Kind,
    given: Option<&str>,
) -> Result<Option<String>, NewError> {
    let valid = || {
        config
            .domains
            .iter()
            .map(|d| (d.slug.clone(), d.name.clone()))
            .collect::<Vec<_>>()
    };
    match (kind, given) {
        (Kind::Item, None) => Err(NewError::MissingDomain { valid: valid() }),
        (Kind::Report | Kind::Page, Some(_)) => Err(NewError::DomainNotAllowed(kind)),
        (_, None) => Ok(None),
        (_, Some(g)) => match config.domain(g.trim()) {
            Some(d) => Ok(Some(d.slug.clone())),
            None => Err(NewError::UnknownDomain {
                given: g.to_string(),
                valid: valid(),
            }),
        },
    }
}

fn check_slug(slug: &str, kind: Kind) -> Result<(), NewError> {
    let bad = |why: &str| {
        Err(NewError::BadSlug {
            slug: slug.to_string(),
            why: why.to_string(),
        })
    };
    if slug.is_empty()
        || !slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return bad(&t!("new.slug-chars"));
    }
    if slug.len() > MAX_SLUG {
        return bad(&t!("new.slug-too-long", len = slug.len(), max = MAX_SLUG));
    }
    if kind == Kind::Page && RESERVED.contains(&slug) {
        return bad(&t!(
            "new.slug-reserved",
            slug,
            reserved = RESERVED.join(", ")
        ));
    }
    Ok(())
}

/// The `index_no:` value of a file's front matter, read line by line (for files that do not
/// parse).
fn index_no_line(text: &str) -> Option<String> {
    text.lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.trim_start().strip_prefix("index_no:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
}

/// The next free 索引号 of `org_code` in `year`: the highest serial used for them plus one, at
/// least five digits (`737546075/2026-00001` when there is none yet).
pub fn next_index_no<'a>(
    org_code: &str,
    year: i32,
    used: impl IntoIterator<Item = &'a str>,
) -> String {
    let prefix = format!("{org_code}/{year}-");
    let highest = used
        .into_iter()
        .filter_map(|n| n.trim().strip_prefix(prefix.as_str()))
        .filter(|serial| !serial.is_empty() && serial.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|serial| serial.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:05}", highest + 1)
}

/// The longest slug (and so file name stem, besides the date) `portal new` derives or accepts:
/// file systems refuse names past 255 bytes, and a URL that long helps no reader.
pub const MAX_SLUG: usize = 60;

/// The ASCII letters and digits of a title, lowercased, runs joined by `-`
/// (`2026年COVID-19 防控` → `2026-covid-19`), at most [`MAX_SLUG`] characters (cut after a
/// whole word where there is one); `None` if it has none. The title itself stays whole in the
/// front matter.
pub fn ascii_slug(title: &str) -> Option<String> {
    let mut slug = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let sep = usize::from(!slug.is_empty());
        if slug.len() + sep + word.len() > MAX_SLUG {
            if slug.is_empty() {
                slug.push_str(&word[..MAX_SLUG]);
            }
            break;
        }
        if sep == 1 {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug.make_ascii_lowercase();
    (!slug.is_empty()).then_some(slug)
}

/// Writes `text` into a file of `dir` named from the date (except pages, whose file name is their
/// top-level URL) and the slug, never replacing a file: a derived name that is taken gets `-2`,
/// `-3` …; a name the editor chose with `--slug` is an error instead, since they asked for that
/// URL.
/// The year an annual report is on: the year its title names (`2022年…年度报告` → 2022), else
/// the calendar year before its publication (reports are due by 1月31日 of the next year).
pub fn report_year(title: &str, date: Date) -> i32 {
    let chars: Vec<char> = title.chars().collect();
    chars
        .windows(5)
        .find_map(|w| {
            let digits: String = w[..4].iter().collect();
            (w[4] == '年' && w[..4].iter().all(char::is_ascii_digit))
                .then(|| digits.parse::<i32>().ok())
                .flatten()
                .filter(|y| (1990..=2999).contains(y))
        })
        .unwrap_or(date.year - 1)
}

fn write_new(
    dir: &Path,
    kind: Kind,
    date: Date,
    title: &str,
    slug: Option<&str>,
    text: &str,
) -> Result<PathBuf, NewError> {
    let dated = |stem: &str| {
        if kind == Kind::Page {
            stem.to_string()
        } else {
            format!("{date}-{stem}")
        }
    };
    let candidates: Box<dyn Iterator<Item = String>> = match (slug, ascii_slug(title)) {
        (Some(s), _) => Box::new(std::iter::once(dated(s))),
        // One report per year: the file and URL are the year (`reports/2022.md` →
        // `/reports/2022/`); a second one for the year is refused, not numbered.
        (None, _) if kind == Kind::Report => {
            let year = report_year(title, date).to_string();
            let path = dir.join(format!("{year}.md"));
            if path.exists() {
                return Err(NewError::Exists(path));
            }
            Box::new(std::iter::once(year))
        }
        (None, Some(s)) if !(kind == Kind::Page && RESERVED.contains(&s.as_str())) => Box::new(
            std::iter::once(dated(&s)).chain((2..).map(move |n| dated(&format!("{s}-{n}")))),
        ),
        _ => Box::new((1..).map(move |n| dated(&format!("{}-{n}", kind.name())))),
    };
    for stem in candidates {
        let path = dir.join(format!("{stem}.md"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(text.as_bytes())
                    .map_err(|source| NewError::Io {
                        path: path.clone(),
                        source,
                    })?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if slug.is_some() {
                    return Err(NewError::Exists(path));
                }
            }
            Err(source) => return Err(NewError::Io { path, source }),
        }
    }
    unreachable!("the candidate names never run out")
}

/// The whole file: front matter, and a body to start from.
fn file_text(
    config: &SiteConfig,
    kind: Kind,
    title: &str,
    date: Date,
    index_no: Option<&str>,
    domain: Option<&str>,
    matter: Option<&str>,
) -> String {
    // A JSON string is a valid YAML double-quoted scalar: quotes, colons and `#` are safe in it.
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| format!("\"{title}\""));
    let mut s = format!("---\ntitle: {quoted}\ndate: {date}\n");
    if let Some(n) = index_no {
        s.push_str(&format!("index_no: \"{n}\"\n"));
    }
    if kind == Kind::News
        && let Some(d) = domain
    {
        s.push_str(&format!("domain: {d}\n"));
    }
    if let Some(m) = matter {
        s.push_str(&format!("matter: {m}    # 所属事项（标准目录）\n"));
    }
    s.push_str(&format!(
        "# publisher: {}    # 发布机构：省略时为 site.yaml 的 organization\n",
        config.organization
    ));
    match kind {
        Kind::Item | Kind::Report => {
            s.push_str("# doc_no: \"\"    # 文号\n");
            s.push_str("# written: YYYY-MM-DD    # 成文日期\n");
            s.push_str(
                "validity: effective    # 有效性：effective 有效 / expired 失效 / repealed 废止\n",
            );
            s.push_str(
                "disclosure: proactive    # 公开方式：proactive 主动公开 / on_request 依申请公开\n",
            );
        }
        Kind::News | Kind::Page => {}
    }
    s.push_str("# summary: \"\"    # 摘要：用于列表和搜索\n# keywords: []    # 关键词\n");
    if kind == Kind::Item {
        s.push_str("# attachments:    # 附件：文件放在 content/files/ 下\n#   - { file: files/example.pdf, title: 附件名称 }\n");
    }
    if kind == Kind::Report {
        s.push_str(&crate::report::skeleton::tables(report_year(title, date)));
    }
    s.push_str("---\n\n");
    match kind {
        Kind::Report => s.push_str(&crate::report::skeleton::body()),
        _ => s.push_str("<!-- 在此撰写正文（Markdown）。链接本站其他页面时写它的 .md 文件的相对路径，如 [申请指南](../pages/apply.md)。 -->\n"),
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_index_no_takes_the_highest_of_the_org_and_year() {
        let used = [
            "737546075/2026-00007",
            "737546075/2026-00012",
            "737546075/2025-00099",
            "999999999/2026-00500",
            "737546075/2026-abc",
        ];
        assert_eq!(
            next_index_no("737546075", 2026, used),
            "737546075/2026-00013"
        );
        assert_eq!(
            next_index_no("737546075", 2027, used),
            "737546075/2027-00001"
        );
        assert_eq!(next_index_no("1", 2026, ["1/2026-99999"]), "1/2026-100000");
    }

    #[test]
    fn ascii_slugs() {
        assert_eq!(
            ascii_slug("2026年COVID-19 防控").as_deref(),
            Some("2026-covid-19")
        );
        assert_eq!(ascii_slug("最低生活保障"), None);
        // Long titles give a short slug, cut after a whole word.
        let long = "word ".repeat(60);
        let slug = ascii_slug(&long).unwrap();
        assert!(
            slug.len() <= MAX_SLUG && slug.len() > MAX_SLUG - 5,
            "{slug}"
        );
        assert!(
            slug.starts_with("word-word") && slug.ends_with("word"),
            "{slug}"
        );
        let one = "x".repeat(300);
        assert_eq!(ascii_slug(&one).unwrap(), "x".repeat(MAX_SLUG));
    }

    #[test]
    fn index_no_of_an_unparsable_file() {
        assert_eq!(
            index_no_line("---\ntitle: [oops\nindex_no: \"1/2026-00009\"\n---\n").as_deref(),
            Some("1/2026-00009")
        );
        assert_eq!(
            index_no_line("---\ntitle: x\n---\nindex_no: 1/2026-00009\n"),
            None
        );
    }
}
