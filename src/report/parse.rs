//! Reading the three tables out of a report's front matter (the data contract of
//! `content-format.md`, "Annual reports: the three national tables as data").

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::data::{
    Active2019, Active2021, ActiveDisclosure, AppRow, Applicant, Applications, Cells, DocCounts,
    Docs2019, Fees2019, Format, Items2019, Num, Outcome, Procurement2019, ReportData, ReviewGroup,
    ReviewLitigation,
};
use super::{KeyLines, line_of};
use crate::diagnostic::Diagnostic;

const TABLES: [&str; 3] = ["active_disclosure", "applications", "review_litigation"];
const ACTIVE_2021: [&str; 6] = [
    "rules",
    "normative_documents",
    "licensing",
    "punishment",
    "coercion",
    "fees_wan_yuan",
];
const ACTIVE_2019: [&str; 8] = [
    "rules",
    "normative_documents",
    "licensing",
    "other_services",
    "punishment",
    "coercion",
    "fees",
    "procurement",
];

/// What a cell may hold.
#[derive(Clone, Copy, PartialEq)]
enum Domain {
    /// A non-negative whole number.
    Count,
    /// A whole number that may be negative (本年增/减).
    Signed,
    /// A non-negative amount in 万元, decimals allowed.
    WanYuan,
}

/// Collects findings while reading one report.
struct Cx<'a> {
    file: &'a Path,
    lines: KeyLines<'a>,
    diags: Vec<Diagnostic>,
    invalid: BTreeSet<String>,
}

/// How a YAML value looks, for `found:`.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "空 (null)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(t) => format!("a value tagged {}", t.tag),
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

impl<'a> Cx<'a> {
    fn at(&self, d: Diagnostic, path: &[&str]) -> Diagnostic {
        d.file(self.file)
            .line(line_of(self.lines, path))
            .key(path.join("."))
    }

    fn push(&mut self, d: Diagnostic, path: &[&str]) {
        let d = self.at(d, path);
        self.diags.push(d);
    }

    fn type_error(&mut self, path: &[&str], what: &str, expected: &str, v: &Value) {
        let d = Diagnostic::error("report/type", format!("类型错误 (wrong type): {what}"))
            .expected(expected)
            .found(show(v));
        self.push(d, path);
    }

    /// The value as a mapping; `None` (after an error) for anything else.
    fn mapping<'v>(&mut self, v: &'v Value, path: &[&str], what: &str) -> Option<&'v Mapping> {
        match v {
            Value::Mapping(m) => Some(m),
            _ => {
                self.type_error(path, what, "a mapping of keys to numbers", v);
                None
            }
        }
    }

    /// Warns about keys of `m` that are not in `valid`, naming the valid ones.
    fn check_keys(&mut self, m: &Mapping, path: &[&str], valid: &[&str], other: Option<(Format, &[&str])>) {
        for k in m.keys() {
            let name = match k {
                Value::String(s) => s.clone(),
                other => show(other),
            };
            if valid.contains(&name.as_str()) {
                continue;
            }
            let mut p = path.to_vec();
            p.push(&name);
            let mut d = Diagnostic::warning(
                "report/type",
                format!("未知的键，已忽略 (unknown key, ignored): `{name}` in `{}`", path.join(".")),
            )
            .expected(format!("one of: {}", valid.join(", ")))
            .found(name.clone());
            if let Some((f, keys)) = other
                && keys.contains(&name.as_str())
            {
                d = d.hint(format!(
                    "`{name}` belongs to format \"{}\"; check `format:` of this report",
                    f.as_str()
                ));
            }
            self.push(d, &p);
        }
    }

    /// Reads one cell. Blank cells are a warning and count as 0; unusable values are an error,
    /// count as 0 and are remembered as invalid.
    fn cell(&mut self, v: &Value, path: &[&str], what: &str, domain: Domain) -> Num {
        let zero = if domain == Domain::WanYuan { Num::Dec(0.0) } else { Num::Int(0) };
        let key = path.join(".");
        if is_blank(v) {
            let d = Diagnostic::warning("report/A6", format!("空白单元格按0计 (blank cell counted as 0): {what}"))
                .found(show(v))
                .hint("write 0 if the number is zero");
            self.push(d, path);
            return zero;
        }
        let bad = |cx: &mut Self, d: Diagnostic| {
            cx.push(d, path);
            cx.invalid.insert(key.clone());
            zero
        };
        let Value::Number(n) = v else {
            let mut d = Diagnostic::error("report/type", format!("类型错误 (wrong type): {what} 应为数字 (must be a number)"))
                .expected(if domain == Domain::WanYuan { "a number such as 0 or 0.092" } else { "a whole number such as 0 or 8" })
                .found(show(v));
            if let Value::String(s) = v
                && s.trim().parse::<f64>().is_ok()
            {
                d = d.hint(format!("write the number without quotes: {}", s.trim()));
            }
            return bad(self, d);
        };
        let f = n.as_f64().unwrap_or(f64::NAN);
        if !f.is_finite() {
            let d = Diagnostic::error("report/A6", format!("数值无效 (not a finite number): {what}"))
                .expected("a finite number")
                .found(n.to_string());
            return bad(self, d);
        }
        if f < 0.0 && domain != Domain::Signed {
            let d = Diagnostic::error("report/A6", format!("数值不能为负 (must not be negative): {what}"))
                .expected("a number ≥ 0")
                .found(n.to_string());
            return bad(self, d);
        }
        if domain == Domain::WanYuan {
            return Num::Dec(f);
        }
        if let Some(i) = n.as_i64() {
            return Num::Int(i);
        }
        if f.fract() != 0.0 || f.abs() > 9.0e15 {
            let d = Diagnostic::error("report/A6", format!("件数必须是整数 (counts must be whole numbers): {what}"))
                .expected("a whole number")
                .found(n.to_string());
            return bad(self, d);
        }
        Num::Int(f as i64)
    }

    fn count(&mut self, v: &Value, path: &[&str], what: &str) -> u64 {
        match self.cell(v, path, what, Domain::Count) {
            Num::Int(i) => i.max(0) as u64,
            Num::Dec(_) => 0,
        }
    }
}

/// Reads `year`, `format` and the three tables; see [`super::parse`].
pub(super) fn parse(fm: &Mapping, file: &Path, lines: KeyLines) -> (Option<ReportData>, Vec<Diagnostic>) {
    let present = TABLES.map(|t| fm.get(t).is_some_and(|v| !v.is_null()));
    if !present.iter().any(|p| *p) {
        return (None, Vec::new());
    }
    let mut cx = Cx { file, lines, diags: Vec::new(), invalid: BTreeSet::new() };

    let year = match fm.get("year") {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|y| (1990..=2999).contains(&y)) => {
            n.as_i64().unwrap_or_default() as i32
        }
        Some(v) => {
            cx.type_error(&["year"], "`year` 应为报告年度 (the year reported on)", "a year such as 2021", v);
            return (None, cx.diags);
        }
        None => {
            let d = Diagnostic::error("report/type", "缺少 `year` (a report with tables needs `year:`, the year reported on)")
                .hint("add e.g. `year: 2021` to the front matter");
            cx.push(d, &[]);
            return (None, cx.diags);
        }
    };

    let format = match fm.get("format") {
        None => {
            let f = if year >= 2021 { Format::F2021 } else { Format::F2019 };
            let d = Diagnostic::warning(
                "report/type",
                format!("缺少 `format`，按年度取 \"{}\" (no `format:`; assumed from the year)", f.as_str()),
            )
            .hint(format!("add `format: \"{}\"` to the front matter", f.as_str()));
            cx.push(d, &["year"]);
            f
        }
        Some(v) => {
            let text = match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            match text.as_deref().and_then(Format::from_str_opt) {
                Some(f) => f,
                None => {
                    let d = Diagnostic::error("report/type", "`format` 取值无效 (unknown report format)")
                        .expected("\"2021\" (国办公开办函〔2021〕30号) or \"2019\" (试行格式)")
                        .found(show(v));
                    cx.push(d, &["format"]);
                    return (None, cx.diags);
                }
            }
        }
    };

    for (t, p) in TABLES.iter().zip(present) {
        if !p {
            let d = Diagnostic::warning(
                "report/type",
                format!("缺少表格 `{t}`，按全0显示 (table missing; shown with every cell 0)"),
            )
            .hint(format!("add `{t}:` (write `{{}}` for rows that are all 0)"));
            cx.push(d, &[]);
        }
    }

    let active = match fm.get("active_disclosure").filter(|v| !v.is_null()) {
        Some(v) => parse_active(&mut cx, v, format),
        None => ActiveDisclosure::zeros(format),
    };
    let applications = parse_applications(&mut cx, fm.get("applications"), format);
    let review = parse_review(&mut cx, fm.get("review_litigation"));
    let data = ReportData { year, format, active, applications, review, invalid: cx.invalid };
    (Some(data), cx.diags)
}

/// Reads a sub-mapping of table 1 with the given columns (left-out columns are 0).
fn sub(cx: &mut Cx, m: &Mapping, row: (&str, &str), cols: &[(&str, &str, Domain)]) -> Vec<Num> {
    let path = ["active_disclosure", row.0];
    let what = format!("表一 行“{}”", row.1);
    let keys: Vec<&str> = cols.iter().map(|c| c.0).collect();
    let Some(v) = m.get(row.0).filter(|v| !v.is_null()) else {
        return cols.iter().map(|_| Num::Int(0)).collect();
    };
    let Some(rm) = cx.mapping(v, &path, &what) else {
        return cols.iter().map(|_| Num::Int(0)).collect();
    };
    cx.check_keys(rm, &path, &keys, None);
    cols.iter()
        .map(|(k, label, dom)| match rm.get(*k) {
            Some(cv) => cx.cell(cv, &["active_disclosure", row.0, k], &format!("{what}，列“{label}”"), *dom),
            None if *dom == Domain::WanYuan => Num::Dec(0.0),
            None => Num::Int(0),
        })
        .collect()
}

/// Reads a scalar of table 1 (2021 format).
fn scalar(cx: &mut Cx, m: &Mapping, row: (&str, &str), dom: Domain) -> Num {
    match m.get(row.0) {
        Some(v) => cx.cell(v, &["active_disclosure", row.0], &format!("表一 行“{}”", row.1), dom),
        None => Num::Int(0),
    }
}

fn u(n: Num) -> u64 {
    match n {
        Num::Int(i) => i.max(0) as u64,
        Num::Dec(_) => 0,
    }
}

fn i(n: Num) -> i64 {
    match n {
        Num::Int(i) => i,
        Num::Dec(_) => 0,
    }
}

fn f(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Dec(d) => d,
    }
}

fn parse_active(cx: &mut Cx, v: &Value, format: Format) -> ActiveDisclosure {
    let Some(m) = cx.mapping(v, &["active_disclosure"], "表一 `active_disclosure`") else {
        return ActiveDisclosure::zeros(format);
    };
    use Domain::{Count as C, Signed as S, WanYuan as W};
    match format {
        Format::F2021 => {
            cx.check_keys(m, &["active_disclosure"], &ACTIVE_2021, Some((Format::F2019, &ACTIVE_2019)));
            let cols = [("issued", "本年制发件数", C), ("repealed", "本年废止件数", C), ("in_force", "现行有效件数", C)];
            let docs = |v: Vec<Num>| DocCounts { issued: u(v[0]), repealed: u(v[1]), in_force: u(v[2]) };
            ActiveDisclosure::F2021(Active2021 {
                rules: docs(sub(cx, m, ("rules", "规章"), &cols)),
                normative_documents: docs(sub(cx, m, ("normative_documents", "行政规范性文件"), &cols)),
                licensing: u(scalar(cx, m, ("licensing", "行政许可"), C)),
                punishment: u(scalar(cx, m, ("punishment", "行政处罚"), C)),
                coercion: u(scalar(cx, m, ("coercion", "行政强制"), C)),
                fees_wan_yuan: f(scalar(cx, m, ("fees_wan_yuan", "行政事业性收费"), W)),
            })
        }
        Format::F2019 => {
            cx.check_keys(m, &["active_disclosure"], &ACTIVE_2019, Some((Format::F2021, &ACTIVE_2021)));
            let dcols = [("made", "本年新制作数量", C), ("published", "本年新公开数量", C), ("total_public", "对外公开总数量", C)];
            let icols = [("last_year", "上一年项目数量", C), ("change", "本年增/减", S), ("decisions", "处理决定数量", C)];
            let docs = |v: Vec<Num>| Docs2019 { made: u(v[0]), published: u(v[1]), total_public: u(v[2]) };
            let items = |v: Vec<Num>| Items2019 { last_year: u(v[0]), change: i(v[1]), decisions: u(v[2]) };
            let fees = sub(cx, m, ("fees", "行政事业性收费"), &icols[..2]);
            let proc = sub(cx, m, ("procurement", "政府集中采购"), &[("items", "采购项目数量", C), ("amount_wan_yuan", "采购总金额", W)]);
            ActiveDisclosure::F2019(Active2019 {
                rules: docs(sub(cx, m, ("rules", "规章"), &dcols)),
                normative_documents: docs(sub(cx, m, ("normative_documents", "规范性文件"), &dcols)),
                licensing: items(sub(cx, m, ("licensing", "行政许可"), &icols)),
                other_services: items(sub(cx, m, ("other_services", "其他对外管理服务事项"), &icols)),
                punishment: items(sub(cx, m, ("punishment", "行政处罚"), &icols)),
                coercion: items(sub(cx, m, ("coercion", "行政强制"), &icols)),
                fees: Fees2019 { last_year: u(fees[0]), change: i(fees[1]) },
                procurement: Procurement2019 { items: u(proc[0]), amount_wan_yuan: f(proc[1]) },
            })
        }
    }
}

fn other_format(format: Format) -> Format {
    match format {
        Format::F2019 => Format::F2021,
        Format::F2021 => Format::F2019,
    }
}

/// Reads the cells of a row mapping; `None` for a cell left out (or a blank total, computed).
fn read_row<const N: usize>(
    cx: &mut Cx,
    rm: &Mapping,
    path: [&str; 2],
    what: &str,
    cols: [(&str, &str); N],
) -> [Option<u64>; N] {
    let keys = cols.map(|c| c.0);
    cx.check_keys(rm, &path, &keys, None);
    let mut out = [None; N];
    for (j, (k, label)) in cols.iter().enumerate() {
        let Some(cv) = rm.get(*k) else { continue };
        let cpath = [path[0], path[1], k];
        if j == N - 1 && is_blank(cv) {
            let d = Diagnostic::warning("report/A6", format!("空白的总计按各列之和计算 (blank total computed from the row): {what}"))
                .found(show(cv))
                .hint("leave `total` out, or write the number");
            cx.push(d, &cpath);
            continue;
        }
        out[j] = Some(cx.count(cv, &cpath, &format!("{what}，列“{label}”")));
    }
    out
}

fn parse_applications(cx: &mut Cx, v: Option<&Value>, format: Format) -> Applications {
    let mut apps = Applications::zeros(format);
    let Some(v) = v.filter(|v| !v.is_null()) else { return apps };
    let Some(m) = cx.mapping(v, &["applications"], "表二 `applications`") else { return apps };
    let valid: Vec<&str> = AppRow::rows(format).map(AppRow::key).collect();
    let other: Vec<&str> = AppRow::all().filter(|r| !r.in_format(format)).map(AppRow::key).collect();
    cx.check_keys(m, &["applications"], &valid, Some((other_format(format), &other)));
    let cols = Applicant::ALL.map(|a| (a.key(), a.label()));

    let mut given: BTreeMap<AppRow, [Option<u64>; 7]> = BTreeMap::new();
    for row in AppRow::rows(format) {
        let Some(rv) = m.get(row.key()) else { continue };
        let path = ["applications", row.key()];
        let what = format!("表二 行“{}”", row.full_label());
        if rv.is_null() {
            let d = Diagnostic::warning("report/A6", format!("空白行按0计 (blank row counted as 0): {what}"))
                .hint("write `{}` for a row that is all 0");
            cx.push(d, &path);
            continue;
        }
        let Some(rm) = cx.mapping(rv, &path, &what) else {
            for a in Applicant::ALL {
                cx.invalid.insert(format!("applications.{}.{}", row.key(), a.key()));
            }
            given.insert(row, [None; 7]);
            continue;
        };
        given.insert(row, read_row(cx, rm, path, &what, cols));
    }

    let total = Applicant::Total.index();
    let fill = |g: &[Option<u64>; 7]| -> Cells {
        let mut c: Cells = g.map(|x| x.unwrap_or(0));
        c[total] = g[total].unwrap_or_else(|| c[..total].iter().sum());
        c
    };
    for row in AppRow::rows(format).filter(|r| *r != AppRow::TotalProcessed) {
        if let Some(g) = given.get(&row) {
            apps.rows.insert(row, fill(g));
        }
    }
    let processed = match given.get(&AppRow::TotalProcessed) {
        Some(g) => fill(g),
        None => {
            // Left out: computed column by column (identity A2); a column summing an unusable
            // cell is itself unusable.
            let mut c: Cells = [0; 7];
            for a in Applicant::SIX {
                for r in AppRow::results(format) {
                    c[a.index()] += apps.cell(r, a);
                    if cx.invalid.contains(&format!("applications.{}.{}", r.key(), a.key())) {
                        cx.invalid.insert(format!("applications.total_processed.{}", a.key()));
                    }
                }
            }
            c[total] = c[..total].iter().sum();
            c
        }
    };
    apps.rows.insert(AppRow::TotalProcessed, processed);
    apps
}

fn parse_review(cx: &mut Cx, v: Option<&Value>) -> ReviewLitigation {
    let mut out = ReviewLitigation::default();
    let Some(v) = v.filter(|v| !v.is_null()) else { return out };
    let Some(m) = cx.mapping(v, &["review_litigation"], "表三 `review_litigation`") else { return out };
    let keys = ReviewGroup::ALL.map(ReviewGroup::key);
    cx.check_keys(m, &["review_litigation"], &keys, None);
    let cols = Outcome::ALL.map(|o| (o.key(), o.label()));
    for g in ReviewGroup::ALL {
        let Some(gv) = m.get(g.key()) else { continue };
        let path = ["review_litigation", g.key()];
        let what = format!("表三 “{}”", g.full_label());
        if gv.is_null() {
            let d = Diagnostic::warning("report/A6", format!("空白行按0计 (blank group counted as 0): {what}"))
                .hint("write `{}` for a group that is all 0");
            cx.push(d, &path);
            continue;
        }
        let Some(gm) = cx.mapping(gv, &path, &what) else {
            for o in Outcome::ALL {
                cx.invalid.insert(format!("review_litigation.{}.{}", g.key(), o.key()));
            }
            continue;
        };
        let cells = read_row(cx, gm, path, &what, cols);
        let t = Outcome::Total.index();
        let mut c = cells.map(|x| x.unwrap_or(0));
        c[t] = cells[t].unwrap_or_else(|| c[..t].iter().sum());
        *out.group_mut(g) = c;
    }
    out
}
