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
        Some(n) => format!("《{}》（索引号 {n}）", p.meta().title),
        None => format!("《{}》", p.meta().title),
    }
}

fn matter_name(m: &Matter) -> String {
    format!("事项「{}」（{}）", m.title(), m.id)
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
                Diagnostic::warning("matter/blank", format!(
                    "空白事项：{}是主动公开事项，但没有任何文件归入（{}领域 {} 个主动公开事项中有 {} 个空白）",
                    matter_name(m), site.config.domains[d].name, proactive.len(), blank.len()
                ))
                .file(&file)
                .line(m.line)
                .key(format!("matters.{}", m.id.rsplit('/').next().unwrap_or(&m.id)))
                .expected("至少一份写有 `matter: ".to_string() + &m.id + "` 的公开文件")
                .found("没有文件")
                .hint("发布该事项的信息并在文件中写 `matter:`；本街道确实不涉及时，在目录中写 `not_applicable: 说明原因`"),
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
        Diagnostic::warning(
            "matter/unfiled",
            format!("{}没有归入标准目录的任何事项", doc_name(p)),
        )
        .file(&p.source.file)
        .line(1)
        .key("matter")
        .expected(format!("`matter:` 为该领域的事项之一：{}", cat.listing(d)))
        .found("没有 matter 键")
        .hint("`portal new item --matter …` 会自动填写；确实不属于任何事项时可忽略此提示"),
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
        "信息形成日期"
    } else {
        "成文日期"
    };
    let (last, used, unit_label, between) = match limit.unit {
        Unit::Days => {
            let last =
                Date::from_days_since_epoch(start.days_since_epoch() + i64::from(limit.days));
            let used = (published.days_since_epoch() - start.days_since_epoch()).max(0) as u32;
            (last, used, "日（自然日）", String::new())
        }
        Unit::Workdays => {
            for y in [start.year, published.year] {
                if !cal.covers(y) {
                    out.push(
                        Diagnostic::warning(
                            "matter/no-calendar",
                            format!("无法按工作日核对{}的公开时限：没有 {y} 年的节假日安排", doc_name(p)),
                        )
                        .file(&p.source.file)
                        .line(p.source.key_lines.line_of(&["date"]))
                        .key("date")
                        .hint(format!("在 content/site.yaml 中写出 {y} 年的放假和调休日期：`holidays: {{ {y}: {{ off: [...], work: [...] }} }}`（见 docs/content.md）")),
                    );
                    return;
                }
            }
            let last = cal.add_workdays(start, limit.days);
            let used = cal.workdays_between(start, published);
            (
                last,
                used,
                "个工作日",
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
        format!("；其间{between}")
    };
    out.push(
        Diagnostic::warning(
            "matter/late",
            format!(
                "公开超过时限：{}属于{}，公开时限“{}”，{start_label} {start} 起 {} {}内应公开（最迟 {last}，{}），实际 {published}（{}）公开，用了 {used} {unit_label}{between}",
                doc_name(p),
                matter_name(m),
                dl.text,
                limit.days,
                limit.unit.label(),
                weekday_label(last),
                weekday_label(published),
            ),
        )
        .file(&p.source.file)
        .line(p.source.key_lines.line_of(&["date"]))
        .key("date")
        .expected(format!("公开日期不晚于 {last}"))
        .found(format!("{published}，{start_label} {start}，用了 {used} {unit_label}"))
        .hint(format!("核对 `{key}` 和 `date`；日期属实时这是一次迟延公开，如实保留，不要改动公开日期（伪造发稿日期属单项否决）")),
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
                format!(
                    "{}属于{}，该事项要求公示 {need} 个工作日，但文件没有写公示截止日期",
                    doc_name(p),
                    matter_name(m)
                ),
            )
            .file(&p.source.file)
            .line(1)
            .key("display_until")
            .expected(format!(
                "`display_until: YYYY-MM-DD`，至少为 {published} 起第 {need} 个工作日"
            ))
            .found("没有 display_until 键"),
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
            format!(
                "公示期不足：{}属于{}，公开时限要求公示 {need} 个工作日，公示期 {published} 至 {until} 只有 {got} 个工作日",
                doc_name(p),
                matter_name(m)
            ),
        )
        .file(&p.source.file)
        .line(p.source.key_lines.line_of(&["display_until"]))
        .key("display_until")
        .expected(format!("不早于 {last}（{}）", weekday_label(last)))
        .found(until.to_string())
        .hint("公示期从公开当天算起，只计工作日（节假日和周末不计，调休上班日计入）"),
    );
}

fn contradictions(p: &Page, m: &Matter, out: &mut Vec<Diagnostic>) {
    let line = p.source.key_lines.line_of(&["disclosure"]).or(Some(1));
    match (m.mode, p.disclosure) {
        (Some(Mode::OnRequest), Disclosure::Proactive) => out.push(
            Diagnostic::warning(
                "matter/mode",
                format!("{}属于依申请公开的{}，却在网站上主动公开", doc_name(p), matter_name(m)),
            )
            .file(&p.source.file)
            .line(line)
            .key("disclosure")
            .expected("依申请公开（`disclosure: on_request`），或归入主动公开的事项")
            .found("主动公开")
            .hint("依申请公开的信息常涉及个人信息或商业秘密；确认可以向全社会公开后再发布，或改归其他事项"),
        ),
        (Some(Mode::Proactive), Disclosure::OnRequest) => out.push(
            Diagnostic::warning(
                "matter/mode",
                format!("{}属于主动公开的{}，却标为依申请公开", doc_name(p), matter_name(m)),
            )
            .file(&p.source.file)
            .line(line)
            .key("disclosure")
            .expected("主动公开（`disclosure: proactive`）")
            .found("依申请公开"),
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
            "特定群体".to_string()
        } else {
            format!("特定群体（{}）", m.audience_note)
        };
        out.push(
            Diagnostic::warning(
                "matter/audience",
                format!(
                    "{}属于{}，该事项的公开对象是{who}、公开渠道不含政府网站，文件却在网站上向全社会公开",
                    doc_name(p),
                    matter_name(m)
                ),
            )
            .file(&p.source.file)
            .line(p.source.key_lines.line_of(&["matter"]))
            .key("matter")
            .expected(format!("通过该事项的渠道（{}）向{who}公开", m.channel_names().join("、")))
            .found("网站全社会公开")
            .hint("核对是否含有个人信息；确需在网站公开时，请在目录中为该事项勾选“政府网站”"),
        );
    }
}
