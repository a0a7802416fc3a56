//! The 事项 of the 基层政务公开标准目录 (`content/catalog/*.yaml`) against the documents filed
//! under them: 空白事项, documents filed under no 事项, publication later than the 公开时限
//! (in working days with the holiday and 调休 calendar, or in calendar days), 公示期 shorter than
//! the 事项's, and 公开方式/公开对象 that contradict the 事项.

use crate::catalog::Matter;
use crate::catalog::deadline::{Trigger, Unit};
use crate::catalog::matter::{Audience, Mode};
use crate::catalog::workdays::{Calendar, weekday_label};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::front_matter::Disclosure;
use crate::model::Site;
use crate::page::{Kind, Page};
use crate::t;

/// Every finding of the catalog rules.
pub(crate) fn check(site: &Site) -> Vec<Diagnostic> {
    let cat = &site.config.catalog;
    let cal = Calendar::new(&site.config.holidays);
    let mut out = Vec::new();
    blank_matters(site, &mut out);
    for (i, p) in site.pages.iter().enumerate() {
        match p.matter {
            Some(m) => {
                let matter = &cat.matters[m];
                deadline(&cal, p, matter, &mut out);
                display_period(&cal, p, matter, &mut out);
                contradictions(p, matter, &mut out);
            }
            None => unfiled(site, i, &mut out),
        }
    }
    out
}

fn doc_name(p: &Page) -> String {
    match p.meta().index_no.as_deref() {
        Some(n) => t!("matter.doc-name-no", title = p.meta().title, n),
        None => t!("matter.doc-name", title = p.meta().title),
    }
}

fn matter_name(m: &Matter) -> String {
    t!("matter.matter-name", title = m.title(), id = m.id)
}

fn blank_matters(site: &Site, out: &mut Vec<Diagnostic>) {
    let cat = &site.config.catalog;
    for (d, ids) in cat.by_domain.iter().enumerate() {
        let proactive: Vec<usize> = ids
            .iter()
            .copied()
            // 公开方式 not seen in the real catalog: not known to be 主动, not judged.
            .filter(|&i| cat.matters[i].mode == Some(Mode::Proactive))
            .filter(|&i| cat.matters[i].not_applicable.is_empty())
            .collect();
        let blank: Vec<usize> = proactive
            .iter()
            .copied()
            .filter(|&i| site.matter_docs[i].is_empty())
            .collect();
        let file = cat.files[d].clone().unwrap_or_default();
        for &i in &blank {
            let m = &cat.matters[i];
            out.push(
                Diagnostic::warning(
                    "matter/blank",
                    t!(
                        "matter.blank",
                        matter = matter_name(m),
                        domain = site.config.domains[d].name,
                        proactive_len = proactive.len(),
                        blank_len = blank.len()
                    ),
                )
                .file(&file)
                .line(m.line)
                .key(format!(
                    "matters.{}",
                    m.id.rsplit('/').next().unwrap_or(&m.id)
                ))
                .expected(t!("matter.blank.expected", id = m.id))
                .found(t!("matter.blank.found"))
                .hint(t!("matter.blank.hint")),
            );
        }
    }
}

fn unfiled(site: &Site, i: usize, out: &mut Vec<Diagnostic>) {
    let p = &site.pages[i];
    let cat = &site.config.catalog;
    if p.kind != Kind::Item {
        return;
    }
    let Some(&d) = p.domains.iter().find(|&&d| cat.has_file[d]) else {
        return;
    };
    out.push(
        Diagnostic::warning("matter/unfiled", t!("matter.unfiled", doc = doc_name(p)))
            .file(&p.source.file)
            .line(1)
            .key("matter")
            .expected(t!("matter.unfiled.expected", listing = cat.listing(d)))
            .found(t!("matter.unfiled.found"))
            .hint(t!("matter.unfiled.hint")),
    );
}

fn start_date(p: &Page) -> Option<(Date, &'static str)> {
    let m = p.meta();
    m.formed
        .map(|d| (d, "formed"))
        .or(m.written.map(|d| (d, "written")))
}

fn deadline(cal: &Calendar, p: &Page, m: &Matter, out: &mut Vec<Diagnostic>) {
    let Some(dl) = &m.deadline else { return };
    let Some(limit) = dl.reading.governing() else {
        return;
    };
    if limit.trigger == Trigger::Request {
        // The request's date is not part of a document's metadata.
        return;
    }
    let (Some(published), Some((start, key))) = (p.date(), start_date(p)) else {
        return;
    };
    let start_label = if key == "formed" {
        t!("matter.start-formed")
    } else {
        t!("matter.start-written")
    };
    let (last, used, unit_label, between) = match limit.unit {
        Unit::Days => {
            let last =
                Date::from_days_since_epoch(start.days_since_epoch() + i64::from(limit.days));
            let used = (published.days_since_epoch() - start.days_since_epoch()).max(0) as u32;
            (last, used, t!("matter.unit-days"), String::new())
        }
        Unit::Workdays => {
            for y in [start.year, published.year] {
                if !cal.covers(y) {
                    out.push(
                        Diagnostic::warning(
                            "matter/no-calendar",
                            t!("matter.no-calendar", doc = doc_name(p), y),
                        )
                        .file(&p.source.file)
                        .line(p.source.key_lines.line_of(&["date"]))
                        .key("date")
                        .hint(t!("matter.no-calendar.hint", y)),
                    );
                    return;
                }
            }
            let last = cal.add_workdays(start, limit.days);
            let used = cal.workdays_between(start, published);
            (
                last,
                used,
                t!("matter.unit-workdays"),
                cal.describe_between(start, published),
            )
        }
    };
    if published <= last {
        return;
    }
    let between = if between.is_empty() {
        String::new()
    } else {
        t!("matter.between", between)
    };
    out.push(
        Diagnostic::warning(
            "matter/late",
            t!(
                "matter.late",
                doc = doc_name(p),
                matter = matter_name(m),
                text = dl.text,
                start_label,
                start,
                days = limit.days,
                label = limit.unit.label(),
                last,
                last_weekday = weekday_label(last),
                published,
                published_weekday = weekday_label(published),
                used,
                unit_label,
                between
            ),
        )
        .file(&p.source.file)
        .line(p.source.key_lines.line_of(&["date"]))
        .key("date")
        .expected(t!("matter.late.expected", last))
        .found(t!(
            "matter.late.found",
            published,
            start_label,
            start,
            used,
            unit_label
        ))
        .hint(t!("matter.late.hint", key)),
    );
}

fn display_period(cal: &Calendar, p: &Page, m: &Matter, out: &mut Vec<Diagnostic>) {
    let Some(need) = m.deadline.as_ref().and_then(|d| d.reading.display_workdays) else {
        return;
    };
    let Some(published) = p.date() else { return };
    let Some(until) = p.meta().display_until else {
        out.push(
            Diagnostic::warning(
                "matter/display-missing",
                t!(
                    "matter.display-missing",
                    doc = doc_name(p),
                    matter = matter_name(m),
                    need
                ),
            )
            .file(&p.source.file)
            .line(1)
            .key("display_until")
            .expected(t!("matter.display-missing.expected", published, need))
            .found(t!("matter.display-missing.found")),
        );
        return;
    };
    // The day of publication counts as the first day of the 公示.
    let day_before = Date::from_days_since_epoch(published.days_since_epoch() - 1);
    let got = cal.workdays_between(day_before, until);
    if got >= need {
        return;
    }
    let last = cal.add_workdays(day_before, need);
    out.push(
        Diagnostic::warning(
            "matter/display-short",
            t!(
                "matter.display-short",
                doc = doc_name(p),
                matter = matter_name(m),
                need,
                published,
                until,
                got
            ),
        )
        .file(&p.source.file)
        .line(p.source.key_lines.line_of(&["display_until"]))
        .key("display_until")
        .expected(t!(
            "matter.display-short.expected",
            last,
            last_weekday = weekday_label(last)
        ))
        .found(until.to_string())
        .hint(t!("matter.display-short.hint")),
    );
}

fn contradictions(p: &Page, m: &Matter, out: &mut Vec<Diagnostic>) {
    let line = p.source.key_lines.line_of(&["disclosure"]).or(Some(1));
    match (m.mode, p.disclosure) {
        (Some(Mode::OnRequest), Disclosure::Proactive) => out.push(
            Diagnostic::warning(
                "matter/mode",
                t!("matter.mode", doc = doc_name(p), matter = matter_name(m)),
            )
            .file(&p.source.file)
            .line(line)
            .key("disclosure")
            .expected(t!("matter.mode.expected"))
            .found(t!("matter.mode.found"))
            .hint(t!("matter.mode.hint")),
        ),
        (Some(Mode::Proactive), Disclosure::OnRequest) => out.push(
            Diagnostic::warning(
                "matter/mode",
                t!("matter.mode-2", doc = doc_name(p), matter = matter_name(m)),
            )
            .file(&p.source.file)
            .line(line)
            .key("disclosure")
            .expected(t!("matter.mode.expected-2"))
            .found(t!("matter.mode.found-2")),
        ),
        _ => {}
    }
    // A 依申请 事项 published proactively is already reported above.
    if m.audience == Some(Audience::Specific)
        && m.mode != Some(Mode::OnRequest)
        && !m.channels.contains(&0)
        && p.disclosure == Disclosure::Proactive
    {
        let who = if m.audience_note.is_empty() {
            t!("matter.audience-group")
        } else {
            t!("matter.audience-group-note", note = m.audience_note)
        };
        out.push(
            Diagnostic::warning(
                "matter/audience",
                t!(
                    "matter.audience",
                    doc = doc_name(p),
                    matter = matter_name(m),
                    who
                ),
            )
            .file(&p.source.file)
            .line(p.source.key_lines.line_of(&["matter"]))
            .key("matter")
            .expected(t!(
                "matter.audience.expected",
                channels = m.channel_names().join("、"),
                who
            ))
            .found(t!("matter.audience.found"))
            .hint(t!("matter.audience.hint")),
        );
    }
}
