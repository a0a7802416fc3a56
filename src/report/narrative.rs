//! A7: the figures the body text quotes next to the tables' own words must equal the tables.
//!
//! The check is deliberately narrow, so that it never cries wolf on real prose: a figure is only
//! read when it follows one of the tables' own phrases (新收政府信息公开申请, 上年结转, 予以公开,
//! 行政许可 …), separated by at most a few filler words (信息, 类事项, 共, ：), and is followed by
//! the unit (件) or, where real reports leave it out (行政处罚459), by punctuation. "40余件",
//! "12项", "100%" and the like are not read.

use crate::t;
use std::path::Path;

use super::data::{AppRow, Applicant, Num, ReportData, ResultGroup};
use crate::diagnostic::Diagnostic;

/// One phrase of the tables and where its figure lives.
struct Pattern {
    /// Any of these starts a match.
    phrases: &'static [&'static str],
    /// A match preceded by one of these characters is not one (不予以公开 is not 予以公开).
    not_after: &'static [char],
    /// The sentence must contain one of these (empty: any sentence).
    context: &'static [&'static str],
    /// Units accepted after the figure.
    units: &'static [&'static str],
    /// If false, the figure may also be followed by punctuation, whitespace or the end.
    unit_required: bool,
    /// A decimal figure (万元).
    decimal: bool,
    /// `无<phrase>` without a figure claims 0.
    none_is_zero: bool,
    /// The key path of the table cell, for the diagnostic.
    key: &'static str,
    /// The table's words for the cell, for the message.
    label: &'static str,
    /// The table's value(s); any one matches. Empty: not applicable to this report.
    value: fn(&ReportData) -> Vec<Num>,
}

const FILLERS: [&str; 20] = [
    "政府信息公开申请",
    "政府信息",
    "信息",
    "申请",
    "类事项",
    "事项",
    "案件",
    "决定",
    "共计",
    "合计",
    "共",
    "计",
    "为",
    "达",
    "：",
    ":",
    " ",
    "　",
    "*",
    "_",
];
const COUNT_UNITS: &[&str] = &["件", "宗", "起"];

fn total(r: &ReportData, row: AppRow) -> Vec<Num> {
    vec![Num::Int(r.applications.cell(row, Applicant::Total) as i64)]
}

fn group(r: &ReportData, g: ResultGroup) -> Vec<Num> {
    vec![Num::Int(r.applications.group_total(g) as i64)]
}

const fn count(
    phrases: &'static [&'static str],
    key: &'static str,
    label: &'static str,
    value: fn(&ReportData) -> Vec<Num>,
) -> Pattern {
    Pattern {
        phrases,
        not_after: &[],
        context: &[],
        units: COUNT_UNITS,
        unit_required: true,
        decimal: false,
        none_is_zero: false,
        key,
        label,
        value,
    }
}

const PATTERNS: &[Pattern] = &[
    count(
        &["新收政府信息公开申请", "新收到政府信息公开申请", "新收申请"],
        "applications.new_received.total",
        "一、本年新收政府信息公开申请数量",
        |r| total(r, AppRow::NewReceived),
    ),
    count(
        &["收到和处理政府信息公开申请"],
        "applications.new_received.total",
        "一、本年新收政府信息公开申请数量（或加上年结转）",
        |r| {
            let t = |row| r.applications.cell(row, Applicant::Total) as i64;
            vec![
                Num::Int(t(AppRow::NewReceived)),
                Num::Int(t(AppRow::NewReceived) + t(AppRow::CarriedOver)),
            ]
        },
    ),
    Pattern {
        none_is_zero: true,
        ..count(
            &["上年结转"],
            "applications.carried_over.total",
            "二、上年结转政府信息公开申请数量",
            |r| total(r, AppRow::CarriedOver),
        )
    },
    Pattern {
        none_is_zero: true,
        ..count(
            &["结转下年度继续办理", "结转下年度", "结转下一年度"],
            "applications.carried_forward.total",
            "四、结转下年度继续办理",
            |r| total(r, AppRow::CarriedForward),
        )
    },
    Pattern {
        not_after: &['不'],
        ..count(
            &["予以公开"],
            "applications.granted.total",
            "（一）予以公开",
            |r| total(r, AppRow::Granted),
        )
    },
    count(
        &["部分公开"],
        "applications.partially_granted.total",
        "（二）部分公开",
        |r| total(r, AppRow::PartiallyGranted),
    ),
    count(
        &["不予公开"],
        "applications.denied_*.total",
        "（三）不予公开",
        |r| group(r, ResultGroup::Denied),
    ),
    count(
        &["不掌握相关政府信息"],
        "applications.unable_not_held.total",
        "（四）1.本机关不掌握相关政府信息",
        |r| total(r, AppRow::UnableNotHeld),
    ),
    count(
        &["需要另行制作"],
        "applications.unable_needs_creation.total",
        "（四）2.没有现成信息需要另行制作",
        |r| total(r, AppRow::UnableNeedsCreation),
    ),
    count(
        &["内容仍不明确"],
        "applications.unable_unclear_after_correction.total",
        "（四）3.补正后申请内容仍不明确",
        |r| total(r, AppRow::UnableUnclearAfterCorrection),
    ),
    count(
        &["无法提供"],
        "applications.unable_*.total",
        "（四）无法提供",
        |r| group(r, ResultGroup::Unable),
    ),
    count(
        &["不予处理"],
        "applications.not_processed_*.total",
        "（五）不予处理",
        |r| group(r, ResultGroup::NotProcessed),
    ),
    Pattern {
        unit_required: false,
        ..count(
            &["行政许可"],
            "active_disclosure.licensing",
            "表一 行政许可 处理决定数量",
            |r| vec![Num::Int(r.active.licensing_decisions() as i64)],
        )
    },
    Pattern {
        unit_required: false,
        ..count(
            &["行政处罚"],
            "active_disclosure.punishment",
            "表一 行政处罚 处理决定数量",
            |r| vec![Num::Int(r.active.punishment_decisions() as i64)],
        )
    },
    count(
        &["行政强制"],
        "active_disclosure.coercion",
        "表一 行政强制 处理决定数量",
        |r| vec![Num::Int(r.active.coercion_decisions() as i64)],
    ),
    Pattern {
        units: &["万元"],
        decimal: true,
        ..count(
            &["行政事业性收费"],
            "active_disclosure.fees_wan_yuan",
            "表一 行政事业性收费 本年收费金额（万元）",
            |r| match &r.active {
                super::active::ActiveDisclosure::F2021(a) => vec![Num::Dec(a.fees_wan_yuan)],
                super::active::ActiveDisclosure::F2019(_) => Vec::new(),
            },
        )
    },
    count(
        &["被申请行政复议", "提起行政复议"],
        "review_litigation.review.total",
        "表三 行政复议 总计",
        |r| vec![Num::Int(r.review.review[4] as i64)],
    ),
    Pattern {
        context: &["行政复议", "政府信息公开"],
        ..count(
            &["行政诉讼"],
            "review_litigation.litigation_*.total",
            "表三 行政诉讼 总计（两类之和）",
            |r| vec![Num::Int(r.review.litigation_total() as i64)],
        )
    },
];

/// Strips leading fillers (at most four).
fn skip_fillers(mut s: &str) -> &str {
    for _ in 0..4 {
        match FILLERS.iter().find(|f| s.starts_with(**f)) {
            Some(f) => s = &s[f.len()..],
            None => break,
        }
    }
    s
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A figure at the start of `s` (ASCII or full-width digits): (value, the text after it).
fn figure(s: &str, decimal: bool) -> Option<(Num, &str)> {
    let mut text = String::new();
    let mut rest = s;
    let mut seen_point = false;
    while let Some(c) = rest.chars().next() {
        if let Some(d) = digit(c) {
            text.push(char::from_digit(d, 10)?);
        } else if c == '.'
            && !seen_point
            && !text.is_empty()
            && rest[1..].chars().next().and_then(digit).is_some()
        {
            if !decimal {
                return None; // 3.5 is not a count
            }
            seen_point = true;
            text.push('.');
        } else {
            break;
        }
        rest = &rest[c.len_utf8()..];
    }
    if text.is_empty() {
        return None;
    }
    let n = if decimal {
        Num::Dec(text.parse().ok()?)
    } else {
        Num::Int(text.parse().ok()?)
    };
    Some((n, rest))
}

fn same(a: Num, b: Num) -> bool {
    let f = |n: Num| match n {
        Num::Int(i) => i as f64,
        Num::Dec(d) => d,
    };
    (f(a) - f(b)).abs() < 1e-9
}

/// Is `c` a character that ends a figure when no unit is required?
fn ends_figure(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            !(c.is_alphanumeric() || c == '.' || c == '%' || c == '％' || c == '余' || c == '多')
        }
    }
}

/// The sentence around byte `at` of `line`.
fn sentence(line: &str, at: usize) -> &str {
    let stops = ['。', '；', ';', '！', '？'];
    let start = line[..at].rfind(stops).map_or(0, |i| {
        i + line[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = line[at..].find(stops).map(|i| i + at).unwrap_or(line.len());
    &line[start..end]
}

/// One claim found in the text: where, what it says, the figure.
struct Claim {
    pattern: &'static Pattern,
    at: usize,
    text: String,
    value: Num,
}

fn claims_in(line: &str) -> Vec<Claim> {
    let mut out = Vec::new();
    for p in PATTERNS {
        for phrase in p.phrases {
            for (at, _) in line.match_indices(phrase) {
                if out
                    .iter()
                    .any(|c: &Claim| c.at <= at && at < c.at + c.text.len())
                {
                    continue; // inside an earlier, longer match
                }
                let prev = line[..at].chars().next_back();
                if prev.is_some_and(|c| p.not_after.contains(&c)) {
                    continue;
                }
                if !p.context.is_empty()
                    && !p.context.iter().any(|w| sentence(line, at).contains(w))
                {
                    continue;
                }
                let after = &line[at + phrase.len()..];
                let found = figure(skip_fillers(after), p.decimal).and_then(|(v, rest)| {
                    let rest = rest.trim_start_matches(['*', '_']);
                    let unit = p.units.iter().find(|u| rest.starts_with(**u));
                    match unit {
                        Some(u) => Some((v, rest.len() - u.len())),
                        None if !p.unit_required && ends_figure(rest.chars().next()) => {
                            Some((v, rest.len()))
                        }
                        None => None,
                    }
                });
                let claim = match found {
                    Some((v, rest_len)) => Some((v, line.len() - rest_len)),
                    None if p.none_is_zero && prev == Some('无') => {
                        Some((Num::Int(0), at + phrase.len()))
                    }
                    None => None,
                };
                if let Some((value, end)) = claim {
                    let start = if prev == Some('无') && end == at + phrase.len() {
                        at - '无'.len_utf8()
                    } else {
                        at
                    };
                    out.push(Claim {
                        pattern: p,
                        at: start,
                        text: line[start..end].to_string(),
                        value,
                    });
                }
            }
        }
    }
    out.sort_by_key(|c| c.at);
    out
}

/// See [`super::narrative`].
pub(super) fn check(
    body: &str,
    r: &ReportData,
    file: &Path,
    body_first_line: usize,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, line) in body.lines().enumerate() {
        for c in claims_in(line) {
            let table = (c.pattern.value)(r);
            if table.is_empty() || table.iter().any(|t| same(*t, c.value)) {
                continue;
            }
            // A cell `parse` already reported as unusable is not compared again.
            let prefix = c
                .pattern
                .key
                .trim_end_matches(".total")
                .trim_end_matches('*');
            if r.invalid.iter().any(|k| k.starts_with(prefix)) {
                continue;
            }
            let column = line[..c.at].chars().count() + 1;
            let d = Diagnostic::warning(
                "report/A7",
                t!(
                    "report.A7",
                    text = c.text,
                    label = c.pattern.label,
                    value = table[0]
                ),
            )
            .file(file)
            .line(body_first_line + i)
            .column(column)
            .key(c.pattern.key)
            .expected(table[0].to_string())
            .found(c.value.to_string())
            .hint(t!("report.A7.hint"));
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::fixtures::{SEED_MD, SEED_RAW, seed, split};
    use super::{check, claims_in};
    use crate::diagnostic::Severity;

    #[test]
    fn seed_text_gives_no_warning() {
        let r = seed();
        let (_, body, _, body_line) = split(SEED_MD);
        assert!(check(body, &r, Path::new("a.md"), body_line).is_empty());
        assert!(check(SEED_RAW, &r, Path::new("a.md"), 1).is_empty());
        // The seed does quote the figures: they were read, and agree.
        let read: Vec<String> = SEED_RAW
            .lines()
            .flat_map(claims_in)
            .map(|c| c.text)
            .collect();
        for want in [
            "新收政府信息公开申请8件",
            "上年结转0件",
            "结转下年度继续办理0件",
            "行政许可类事项514件",
            "行政处罚459",
            "被申请行政复议0件",
            "行政诉讼0件",
            "予以公开信息3件",
            "不掌握相关政府信息3件",
            "内容仍不明确2件",
            "无上年结转",
            "收到和处理政府信息公开申请共8件",
        ] {
            assert!(read.iter().any(|t| t == want), "{want} not in {read:?}");
        }
    }

    #[test]
    fn altered_figure_gives_one_warning_on_its_line() {
        let r = seed();
        let md = SEED_MD.replacen("新收政府信息公开申请8件", "新收政府信息公开申请9件", 1);
        let (_, body, _, body_line) = split(&md);
        let diags = check(body, &r, Path::new("content/reports/2021.md"), body_line);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!((d.rule, d.severity), ("report/A7", Severity::Warning));
        let line = md.lines().position(|l| l.contains("申请9件")).unwrap() + 1;
        assert_eq!(d.line, Some(line));
        assert_eq!(line, 46);
        assert_eq!(
            (d.expected.as_deref(), d.found.as_deref()),
            (Some("8"), Some("9"))
        );
        assert_eq!(d.key.as_deref(), Some("applications.new_received.total"));
        assert!(
            d.message.contains("“新收政府信息公开申请9件”"),
            "{}",
            d.message
        );
        let col = md.lines().nth(line - 1).unwrap().find("新收").unwrap();
        assert_eq!(
            d.column,
            Some(md.lines().nth(line - 1).unwrap()[..col].chars().count() + 1)
        );
    }

    #[test]
    fn only_figures_next_to_the_tables_words_are_read() {
        let texts = |s: &str| claims_in(s).into_iter().map(|c| c.text).collect::<Vec<_>>();
        assert!(texts("协调解决企业需求40余件，行政许可事项12项，行政处罚率100%。").is_empty());
        assert!(texts("不予以公开3件").is_empty());
        assert!(
            texts("代理行政诉讼案件5件").is_empty(),
            "行政诉讼 outside the disclosure context"
        );
        assert_eq!(texts("因政府信息公开被提起行政诉讼2件"), ["行政诉讼2件"]);
        assert_eq!(texts("行政事业性收费0.5万元"), ["行政事业性收费0.5万元"]);
        assert_eq!(
            texts("不予公开**2**件；无法提供：1件"),
            ["不予公开**2**件", "无法提供：1件"]
        );
        assert_eq!(texts("新收申请１２件"), ["新收申请１２件"]);
    }

    #[test]
    fn contradictions_are_found() {
        let r = seed();
        let body = "全年行政处罚460件。\n\n本年度行政复议决定被申请行政复议1件，行政诉讼0件，有上年结转，无结转下年度。\n";
        let diags = check(body, &r, Path::new("a.md"), 10);
        let got: Vec<_> = diags
            .iter()
            .map(|d| (d.line, d.key.as_deref(), d.found.as_deref()))
            .collect();
        let mut bad = r.clone();
        bad.invalid.insert("active_disclosure.punishment".into());
        assert_eq!(
            check(body, &bad, Path::new("a.md"), 10).len(),
            1,
            "an unusable cell is not compared"
        );
        assert_eq!(
            got,
            [
                (Some(10), Some("active_disclosure.punishment"), Some("460")),
                (Some(12), Some("review_litigation.review.total"), Some("1")),
            ]
        );
    }
}
