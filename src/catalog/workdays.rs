//! Working days (工作日) under the State Council's holiday notices (国务院办公厅关于部分节假日安排
//! 的通知), 2019–2026, vendored, plus the years a site adds in `site.yaml` (`holidays:`).
//!
//! A date is a working day iff it is Monday–Friday and not a holiday (OFF), or it is a
//! 调休 weekend working day (WORK). The table is `shared/domain/catalog-reference.md` §3, checked
//! date by date against the `chinese_holiday` crate 2026.0.1 and two other packages.
//!
//! **Updating** (each November, when the next notice is out): append the year's OFF ranges and
//! WORK days to [`OFF`] and [`WORK`], add the year to [`COVERED`], cite the notice (国办发明电〔…〕)
//! and its gov.cn URL in the comment, and extend the unit tests. Until a release carries it, a
//! site declares the year itself in `site.yaml` (docs/content.md, `holidays:`).

use crate::t;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_yaml::Value;

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::yaml_fields::KeyLines;

/// Years the vendored table covers completely.
pub const COVERED: std::ops::RangeInclusive<i32> = 2019..=2026;

/// Holidays (放假) as inclusive ranges with the holiday's name. Weekends next to a holiday are
/// off anyway and are not listed.
const OFF: &[(&str, &str, &str)] = &[
    // 2019: 国办发明电〔2018〕15号, 〔2019〕3号 (劳动节 5/1–5/4).
    ("2018-12-30", "2019-01-01", "元旦"),
    ("2019-02-04", "2019-02-10", "春节"),
    ("2019-04-05", "2019-04-05", "清明节"),
    ("2019-05-01", "2019-05-04", "劳动节"),
    ("2019-06-07", "2019-06-07", "端午节"),
    ("2019-09-13", "2019-09-13", "中秋节"),
    ("2019-10-01", "2019-10-07", "国庆节"),
    // 2020: 国办发明电〔2019〕16号 + 〔2020〕1号 (春节延长至2月2日).
    ("2020-01-01", "2020-01-01", "元旦"),
    ("2020-01-24", "2020-02-02", "春节（延长）"),
    ("2020-04-04", "2020-04-06", "清明节"),
    ("2020-05-01", "2020-05-05", "劳动节"),
    ("2020-06-25", "2020-06-27", "端午节"),
    ("2020-10-01", "2020-10-08", "国庆节、中秋节"),
    // 2021: 国办发明电〔2020〕27号.
    ("2021-01-01", "2021-01-03", "元旦"),
    ("2021-02-11", "2021-02-17", "春节"),
    ("2021-04-03", "2021-04-05", "清明节"),
    ("2021-05-01", "2021-05-05", "劳动节"),
    ("2021-06-12", "2021-06-14", "端午节"),
    ("2021-09-19", "2021-09-21", "中秋节"),
    ("2021-10-01", "2021-10-07", "国庆节"),
    // 2022: 国办发明电〔2021〕11号.
    ("2022-01-01", "2022-01-03", "元旦"),
    ("2022-01-31", "2022-02-06", "春节"),
    ("2022-04-03", "2022-04-05", "清明节"),
    ("2022-04-30", "2022-05-04", "劳动节"),
    ("2022-06-03", "2022-06-05", "端午节"),
    ("2022-09-10", "2022-09-12", "中秋节"),
    ("2022-10-01", "2022-10-07", "国庆节"),
    // 2023: 国办发明电〔2022〕16号.
    ("2022-12-31", "2023-01-02", "元旦"),
    ("2023-01-21", "2023-01-27", "春节"),
    ("2023-04-05", "2023-04-05", "清明节"),
    ("2023-04-29", "2023-05-03", "劳动节"),
    ("2023-06-22", "2023-06-24", "端午节"),
    ("2023-09-29", "2023-10-06", "中秋节、国庆节"),
    // 2024: 国办发明电〔2023〕7号.
    ("2024-01-01", "2024-01-01", "元旦"),
    ("2024-02-10", "2024-02-17", "春节"),
    ("2024-04-04", "2024-04-06", "清明节"),
    ("2024-05-01", "2024-05-05", "劳动节"),
    ("2024-06-10", "2024-06-10", "端午节"),
    ("2024-09-15", "2024-09-17", "中秋节"),
    ("2024-10-01", "2024-10-07", "国庆节"),
    // 2025: 国办发明电〔2024〕12号.
    ("2025-01-01", "2025-01-01", "元旦"),
    ("2025-01-28", "2025-02-04", "春节"),
    ("2025-04-04", "2025-04-06", "清明节"),
    ("2025-05-01", "2025-05-05", "劳动节"),
    ("2025-05-31", "2025-06-02", "端午节"),
    ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    // 2026: 国办发明电〔2025〕7号.
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
];

/// 调休 working days (weekend days worked), with the holiday they make up for.
const WORK: &[(&str, &str)] = &[
    ("2018-12-29", "元旦"),
    ("2019-02-02", "春节"),
    ("2019-02-03", "春节"),
    ("2019-04-28", "劳动节"),
    ("2019-05-05", "劳动节"),
    ("2019-09-29", "国庆节"),
    ("2019-10-12", "国庆节"),
    ("2020-01-19", "春节"),
    // 2020-02-01 was a 调休 day in 〔2019〕16号, cancelled by 〔2020〕1号.
    ("2020-04-26", "劳动节"),
    ("2020-05-09", "劳动节"),
    ("2020-06-28", "端午节"),
    ("2020-09-27", "国庆节、中秋节"),
    ("2020-10-10", "国庆节、中秋节"),
    ("2021-02-07", "春节"),
    ("2021-02-20", "春节"),
    ("2021-04-25", "劳动节"),
    ("2021-05-08", "劳动节"),
    ("2021-09-18", "中秋节"),
    ("2021-09-26", "国庆节"),
    ("2021-10-09", "国庆节"),
    ("2022-01-29", "春节"),
    ("2022-01-30", "春节"),
    ("2022-04-02", "清明节"),
    ("2022-04-24", "劳动节"),
    ("2022-05-07", "劳动节"),
    ("2022-10-08", "国庆节"),
    ("2022-10-09", "国庆节"),
    ("2023-01-28", "春节"),
    ("2023-01-29", "春节"),
    ("2023-04-23", "劳动节"),
    ("2023-05-06", "劳动节"),
    ("2023-06-25", "端午节"),
    ("2023-10-07", "中秋节、国庆节"),
    ("2023-10-08", "中秋节、国庆节"),
    ("2024-02-04", "春节"),
    ("2024-02-18", "春节"),
    ("2024-04-07", "清明节"),
    ("2024-04-28", "劳动节"),
    ("2024-05-11", "劳动节"),
    ("2024-09-14", "中秋节"),
    ("2024-09-29", "国庆节"),
    ("2024-10-12", "国庆节"),
    ("2025-01-26", "春节"),
    ("2025-02-08", "春节"),
    ("2025-04-27", "劳动节"),
    ("2025-09-28", "国庆节、中秋节"),
    ("2025-10-11", "国庆节、中秋节"),
    ("2026-01-04", "元旦"),
    ("2026-02-14", "春节"),
    ("2026-02-28", "春节"),
    ("2026-05-09", "劳动节"),
    ("2026-09-20", "国庆节"),
    ("2026-10-10", "国庆节"),
];

/// Days a site declares in `site.yaml` for years the table lacks (or to correct it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Years declared complete.
    pub years: BTreeSet<i32>,
    /// Holidays, with the name given (or 节假日).
    pub off: BTreeMap<Date, String>,
    /// 调休 working days.
    pub work: BTreeSet<Date>,
}

/// What kind of day a date is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary working day (Monday–Friday).
    Workday,
    /// A weekend day worked (调休), making up for the named holiday.
    MakeUp(String),
    /// A holiday (放假), with its name.
    Holiday(String),
    /// Saturday or Sunday.
    Weekend,
}

/// The working-day calendar: the vendored table with a site's overrides on top.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    off: BTreeMap<Date, String>,
    work: BTreeMap<Date, String>,
    years: BTreeSet<i32>,
}

fn d(s: &str) -> Date {
    Date::parse(s).expect("the vendored holiday table holds valid dates")
}

/// Day of the week, 0 = Monday … 6 = Sunday.
pub fn weekday(date: Date) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (date.days_since_epoch() + 3).rem_euclid(7) as u32
}

/// 星期一 … 星期日.
pub fn weekday_label(date: Date) -> &'static str {
    [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ][weekday(date) as usize]
}

fn next(date: Date) -> Date {
    Date::from_days_since_epoch(date.days_since_epoch() + 1)
}

impl Calendar {
    /// The vendored table plus `overrides`.
    pub fn new(overrides: &Overrides) -> Calendar {
        let mut c = Calendar::default();
        for (from, to, name) in OFF {
            let (mut day, end) = (d(from), d(to));
            while day <= end {
                c.off.insert(day, (*name).to_string());
                day = next(day);
            }
        }
        for (day, name) in WORK {
            c.work.insert(d(day), format!("{name}调休"));
        }
        c.years.extend(COVERED);
        for y in &overrides.years {
            // A declared year replaces the table's days of that year.
            c.off.retain(|k, _| k.year != *y);
            c.work.retain(|k, _| k.year != *y);
            c.years.insert(*y);
        }
        for (day, name) in &overrides.off {
            c.work.remove(day);
            c.off.insert(*day, name.clone());
        }
        for day in &overrides.work {
            c.off.remove(day);
            c.work.insert(*day, "调休".into());
        }
        c
    }

    /// True if the holidays of `year` are known (vendored or declared).
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// What kind of day `date` is.
    pub fn kind(&self, date: Date) -> DayKind {
        if let Some(n) = self.work.get(&date) {
            return DayKind::MakeUp(n.clone());
        }
        if let Some(n) = self.off.get(&date) {
            return DayKind::Holiday(n.clone());
        }
        if weekday(date) >= 5 {
            DayKind::Weekend
        } else {
            DayKind::Workday
        }
    }

    /// True for a working day.
    pub fn is_workday(&self, date: Date) -> bool {
        matches!(self.kind(date), DayKind::Workday | DayKind::MakeUp(_))
    }

    /// The `n`th working day after `start` (`start` itself not counted): the last day of a limit
    /// of "`start` 起 n 个工作日内".
    pub fn add_workdays(&self, start: Date, n: u32) -> Date {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = next(day);
            if self.is_workday(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to` (0 if `to` is not after `from`).
    pub fn workdays_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut day = from;
        while day < to {
            day = next(day);
            if self.is_workday(day) {
                n += 1;
            }
        }
        n
    }

    /// The holidays and 调休 days after `from` up to and including `to`, described for a
    /// message: `春节 2021-02-11 至 2021-02-17；调休上班 2021-02-20（星期六）`.
    pub fn describe_between(&self, from: Date, to: Date) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut run: Option<(Date, Date, String)> = None;
        let mut day = from;
        let flush = |run: &mut Option<(Date, Date, String)>, parts: &mut Vec<String>| {
            if let Some((a, b, n)) = run.take() {
                parts.push(if a == b {
                    format!("{n} {a}")
                } else {
                    format!("{n} {a} 至 {b}")
                });
            }
        };
        while day < to {
            day = next(day);
            match self.kind(day) {
                DayKind::Holiday(n) => match &mut run {
                    Some((_, b, name)) if *name == n && next(*b) == day => *b = day,
                    _ => {
                        flush(&mut run, &mut parts);
                        run = Some((day, day, n));
                    }
                },
                DayKind::MakeUp(_) => {
                    flush(&mut run, &mut parts);
                    parts.push(format!("调休上班 {day}（{}）", weekday_label(day)));
                }
                _ => {}
            }
        }
        flush(&mut run, &mut parts);
        parts.join("；")
    }
}

/// Reads `holidays:` of `site.yaml`: per year, `off:` (dates or `{ from, to, name }`) and
/// `work:` (dates). Every fault is located.
pub fn read_overrides(
    value: Option<&Value>,
    lines: &KeyLines,
    file: &Path,
) -> (Overrides, Vec<Diagnostic>) {
    let mut out = Overrides::default();
    let mut diags = Vec::new();
    let Some(v) = value else {
        return (out, diags);
    };
    let err = |path: &[&str], msg: &str, found: String| {
        Diagnostic::error("site/holidays", msg.to_string())
            .file(file)
            .line(lines.line_of(path).or_else(|| lines.line_of(&["holidays"])))
            .key(format!("holidays.{}", path[1..].join(".")))
            .expected(t!("site.holidays.expected"))
            .found(found)
            .hint(t!("site.holidays.hint"))
    };
    let Value::Mapping(years) = v else {
        diags.push(err(
            &["holidays"],
            "holidays 应为按年份分组的映射",
            crate::yaml_fields::describe(v),
        ));
        return (out, diags);
    };
    for (k, entry) in years {
        let year_s = match k {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            other => crate::yaml_fields::describe(other),
        };
        let Some(year) = year_s
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2200).contains(y))
        else {
            diags.push(err(
                &["holidays", &year_s],
                "年份应为四位数字",
                format!("\"{year_s}\""),
            ));
            continue;
        };
        out.years.insert(year);
        let Value::Mapping(m) = entry else {
            diags.push(err(
                &["holidays", &year_s],
                "每一年应写 off 和 work 两个列表",
                crate::yaml_fields::describe(entry),
            ));
            continue;
        };
        for (key, v) in m {
            let key = key.as_str().unwrap_or_default();
            let path = ["holidays", year_s.as_str(), key];
            if key != "off" && key != "work" {
                diags.push(err(
                    &path,
                    "未知的键（只能是 off 或 work）",
                    format!("\"{key}\""),
                ));
                continue;
            }
            let items: Vec<&Value> = match v {
                Value::Sequence(s) => s.iter().collect(),
                Value::Null => Vec::new(),
                other => vec![other],
            };
            for it in items {
                let parsed = match (key, it) {
                    ("off" | "work", Value::String(s)) => Date::parse(s.trim())
                        .map(|day| (day, day, "节假日".to_string()))
                        .map_err(|_| format!("\"{s}\"")),
                    ("off", Value::Mapping(r)) => {
                        let get = |k: &str| r.get(k).and_then(Value::as_str).map(str::trim);
                        match (
                            get("from").map(Date::parse),
                            get("to").or(get("from")).map(Date::parse),
                        ) {
                            (Some(Ok(a)), Some(Ok(b))) if a <= b => {
                                Ok((a, b, get("name").unwrap_or("节假日").to_string()))
                            }
                            _ => Err(format!("{r:?}")),
                        }
                    }
                    (_, other) => Err(crate::yaml_fields::describe(other)),
                };
                match parsed {
                    Ok((a, b, name)) => {
                        if a.year != year {
                            diags.push(err(&path, "日期不在这一年", a.to_string()));
                            continue;
                        }
                        let mut day = a;
                        while day <= b {
                            if key == "off" {
                                out.off.insert(day, name.clone());
                            } else {
                                out.work.insert(day);
                            }
                            day = next(day);
                        }
                    }
                    Err(found) => diags.push(err(&path, "不是 YYYY-MM-DD 形式的日期", found)),
                }
            }
        }
    }
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        Calendar::new(&Overrides::default())
    }

    #[test]
    fn every_work_day_is_a_weekend_day_and_off_days_are_not_work_days() {
        for (day, _) in WORK {
            assert!(weekday(d(day)) >= 5, "{day} is not a weekend day");
        }
        let c = cal();
        for (from, _, _) in OFF {
            assert!(!c.is_workday(d(from)), "{from}");
        }
    }

    #[test]
    fn spring_festival_2021_plus_10_working_days() {
        // 2021-02-10 (三) + 10: 02-11…17 off, 02-20 (六) worked.
        let c = cal();
        assert_eq!(
            c.add_workdays(d("2021-02-10"), 10),
            d("2021-03-02"),
            "18 19 20(六) 22 23 24 25 26 3/1 3/2"
        );
        assert!(c.is_workday(d("2021-02-20")));
        assert!(!c.is_workday(d("2021-02-21")));
        assert_eq!(c.workdays_between(d("2021-02-10"), d("2021-03-02")), 10);
        assert_eq!(c.workdays_between(d("2021-02-10"), d("2021-03-03")), 11);
        assert_eq!(
            c.describe_between(d("2021-02-10"), d("2021-03-02")),
            "春节 2021-02-11 至 2021-02-17；调休上班 2021-02-20（星期六）"
        );
    }

    #[test]
    fn extended_spring_festival_2020() {
        let c = cal();
        // 2020-02-01 (六) was no longer a working day; work resumed on 02-03.
        assert!(!c.is_workday(d("2020-02-01")));
        assert!(c.is_workday(d("2020-01-19")), "调休 Sunday");
        assert_eq!(c.add_workdays(d("2020-01-23"), 1), d("2020-02-03"));
        assert_eq!(c.add_workdays(d("2020-01-23"), 5), d("2020-02-07"));
        // 2020-01-17 (五) + 2: 01-19 (日, 调休) and 01-20 (一).
        assert_eq!(c.add_workdays(d("2020-01-17"), 2), d("2020-01-20"));
    }

    #[test]
    fn ordinary_weekends_and_year_ends() {
        let c = cal();
        assert_eq!(c.kind(d("2021-03-06")), DayKind::Weekend);
        assert_eq!(c.add_workdays(d("2021-03-05"), 1), d("2021-03-08"));
        // 2022-12-31 … 2023-01-02 off; 2023-01-03 (二) is the first working day.
        assert_eq!(c.add_workdays(d("2022-12-30"), 1), d("2023-01-03"));
        assert!(c.covers(2026) && !c.covers(2027));
    }

    #[test]
    fn overrides_declare_a_year() {
        let text = "holidays:\n  2027:\n    off: [2027-01-01, { from: 2027-02-06, to: 2027-02-12, name: 春节 }]\n    work: [2027-02-14]\n";
        let map: Value = serde_yaml::from_str(text).unwrap();
        let kl = KeyLines::new(text, 1);
        let (o, ds) = read_overrides(map.get("holidays"), &kl, Path::new("content/site.yaml"));
        assert!(ds.is_empty(), "{ds:?}");
        let c = Calendar::new(&o);
        assert!(c.covers(2027));
        assert_eq!(c.kind(d("2027-02-08")), DayKind::Holiday("春节".into()));
        assert!(c.is_workday(d("2027-02-14")));
    }

    #[test]
    fn bad_overrides_are_located() {
        let text = "title: x\nholidays:\n  2027:\n    off: [2027-13-01]\n    wrok: []\n";
        let map: Value = serde_yaml::from_str(text).unwrap();
        let kl = KeyLines::new(text, 1);
        let (_, ds) = read_overrides(map.get("holidays"), &kl, Path::new("content/site.yaml"));
        assert_eq!(ds.len(), 2, "{ds:?}");
        assert_eq!(ds[0].line, Some(4));
        assert!(ds[0].message.contains("日期"));
        assert_eq!(ds[1].line, Some(5));
    }
}
