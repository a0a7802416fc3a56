//! The columns (栏目) under the national inspection rules (reference §4): 空白栏目 (a column with
//! nothing in it) and 栏目不更新 (news not updated within two weeks, a catalog domain within six
//! months), and whether their count reaches the 单项否决 veto (≥ 5 of either).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::t;

/// The veto threshold of 《政府网站与政务新媒体检查指标》: 5 columns not updated, or 5 blank.
pub const VETO_THRESHOLD: usize = 5;

/// What kind of column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// 工作动态 (动态、要闻类: two weeks).
    News,
    /// A catalog domain (通知公告、政策文件类: six months).
    Domain,
}

/// How a column fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnState {
    /// Updated in time.
    Ok,
    /// Nothing published (空白栏目).
    Blank,
    /// Not updated in time (栏目不更新).
    NotUpdated,
}

/// One column and its freshness.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// News or catalog domain.
    pub kind: ColumnKind,
    /// `news`, or the domain's slug.
    pub slug: String,
    /// 工作动态, or the domain's name.
    pub name: String,
    /// Pages in it.
    pub items: usize,
    /// Date of its newest page (`YYYY-MM-DD`).
    pub newest: Option<String>,
    /// Days from the newest page to the as-of date.
    pub age_days: Option<i64>,
    /// The allowed age (`site.yaml` → `check:`).
    pub max_age_days: i64,
    /// The verdict.
    pub state: ColumnState,
}

/// Every column, and the counts against the veto.
#[derive(Debug, Clone, Serialize)]
pub struct Columns {
    /// News first, then the domains in catalog order.
    pub columns: Vec<Column>,
    /// Columns not updated in time.
    pub not_updated: usize,
    /// Blank columns.
    pub blank: usize,
    /// The veto threshold (5).
    pub veto_threshold: usize,
    /// `not_updated >= veto_threshold`: 栏目不更新 veto.
    pub not_updated_veto: bool,
    /// `blank >= veto_threshold`: 空白栏目 veto.
    pub blank_veto: bool,
}

/// Judges every column as of `as_of`; a domain's findings point at its line of `site.yaml`.
pub(crate) fn check_columns(site: &Site, as_of: Date) -> (Columns, Vec<Diagnostic>) {
    let cfg = &site.config.check;
    let site_file = PathBuf::from("content/site.yaml");
    let mut out = Vec::new();
    let mut columns = Vec::new();

    let judge = |newest: Option<Date>, items: usize, max: i64| -> (ColumnState, Option<i64>) {
        let age = newest.map(|d| as_of.days_since_epoch() - d.days_since_epoch());
        let state = match age {
            _ if items == 0 => ColumnState::Blank,
            Some(a) if a <= max => ColumnState::Ok,
            // An undated page counts as not updated (2015 普查: 未注明信息发布时间的视为不更新).
            _ => ColumnState::NotUpdated,
        };
        (state, age)
    };

    let newest_news = site.news.first().map(|&i| &site.pages[i]);
    let (state, age) = judge(
        newest_news.and_then(|p| p.date()),
        site.news.len(),
        cfg.news_max_age_days,
    );
    match (state, newest_news) {
        (ColumnState::Blank, _) => out.push(
            Diagnostic::warning("column/blank", t!("column.blank-news"))
                .file("content/news")
                .hint(t!("column.blank-news.hint", days = cfg.news_max_age_days)),
        ),
        (ColumnState::NotUpdated, Some(p)) => out.push(
            Diagnostic::warning(
                "column/not-updated",
                t!(
                    "column.not-updated-news",
                    age = age.unwrap_or_default(),
                    as_of,
                    days = cfg.news_max_age_days
                ),
            )
            .file(&p.source.file)
            .line(p.source.key_lines.line_of(&["date"]))
            .key("date")
            .expected(t!(
                "column.not-updated.expected",
                days = cfg.news_max_age_days
            ))
            .found(t!(
                "column.not-updated.found",
                file = p.source.file.display(),
                date = fmt_date(p.date())
            ))
            .hint(t!(
                "column.not-updated-news.hint",
                due = due(p.date(), cfg.news_max_age_days),
                days = cfg.news_max_age_days
            )),
        ),
        _ => {}
    }
    columns.push(Column {
        kind: ColumnKind::News,
        slug: "news".into(),
        name: "工作动态".into(),
        items: site.news.len(),
        newest: newest_news.and_then(|p| p.date()).map(|d| d.to_string()),
        age_days: age,
        max_age_days: cfg.news_max_age_days,
        state,
    });

    for (d, dom) in site.config.domains.iter().enumerate() {
        let items = &site.domain_items[d];
        let newest = items.first().map(|&i| &site.pages[i]);
        let (state, age) = judge(
            newest.and_then(|p| p.date()),
            items.len(),
            cfg.notice_max_age_days,
        );
        let line = dom.line;
        match (state, newest) {
            (ColumnState::Blank, _) => out.push(
                Diagnostic::warning("column/blank", t!("column.blank-domain", name = dom.name))
                    .file(&site_file)
                    .line(line)
                    .key(format!("domains.{}", dom.slug))
                    .hint(t!("column.blank-domain.hint", slug = dom.slug)),
            ),
            (ColumnState::NotUpdated, Some(p)) => out.push(
                Diagnostic::warning(
                    "column/not-updated",
                    t!(
                        "column.not-updated-domain",
                        name = dom.name,
                        age = age.unwrap_or_default(),
                        as_of,
                        days = cfg.notice_max_age_days
                    ),
                )
                .file(&site_file)
                .line(line)
                .key(format!("domains.{}", dom.slug))
                .expected(t!(
                    "column.not-updated.expected",
                    days = cfg.notice_max_age_days
                ))
                .found(t!(
                    "column.not-updated.found",
                    file = p.source.file.display(),
                    date = fmt_date(p.date())
                ))
                .hint(t!(
                    "column.not-updated-domain.hint",
                    due = due(p.date(), cfg.notice_max_age_days),
                    slug = dom.slug,
                    days = cfg.notice_max_age_days
                )),
            ),
            _ => {}
        }
        columns.push(Column {
            kind: ColumnKind::Domain,
            slug: dom.slug.clone(),
            name: dom.name.clone(),
            items: items.len(),
            newest: newest.and_then(|p| p.date()).map(|d| d.to_string()),
            age_days: age,
            max_age_days: cfg.notice_max_age_days,
            state,
        });
    }

    let not_updated = columns
        .iter()
        .filter(|c| c.state == ColumnState::NotUpdated)
        .count();
    let blank = columns
        .iter()
        .filter(|c| c.state == ColumnState::Blank)
        .count();
    let summary = Columns {
        not_updated,
        blank,
        veto_threshold: VETO_THRESHOLD,
        not_updated_veto: not_updated >= VETO_THRESHOLD,
        blank_veto: blank >= VETO_THRESHOLD,
        columns,
    };
    let names = |state: ColumnState| -> String {
        let v: Vec<&str> = summary
            .columns
            .iter()
            .filter(|c| c.state == state)
            .map(|c| c.name.as_str())
            .collect();
        v.join(&t!("printer.list-separator"))
    };
    if summary.not_updated_veto {
        out.push(veto(
            &site_file,
            "not-updated",
            t!(
                "column.veto-not-updated",
                count = not_updated,
                threshold = VETO_THRESHOLD
            ),
            names(ColumnState::NotUpdated),
        ));
    }
    if summary.blank_veto {
        out.push(veto(
            &site_file,
            "blank",
            t!(
                "column.veto-blank",
                count = blank,
                threshold = VETO_THRESHOLD
            ),
            names(ColumnState::Blank),
        ));
    }
    (summary, out)
}

fn veto(file: &Path, key: &str, message: String, names: String) -> Diagnostic {
    Diagnostic::error("column/veto", message)
        .file(file)
        .key(key)
        .found(names)
        .expected(t!("column.veto.expected", threshold = VETO_THRESHOLD))
        .hint(t!("column.veto.hint"))
}

/// The day by which the next publication was due: `newest` plus `max_age` days.
fn due(newest: Option<Date>, max_age: i64) -> String {
    newest.map_or_else(
        || t!("column.due-now"),
        |d| Date::from_days_since_epoch(d.days_since_epoch() + max_age).to_string(),
    )
}

fn fmt_date(d: Option<Date>) -> String {
    d.map_or_else(|| t!("column.no-date"), |d| d.to_string())
}
