//! The national Chinese labels of the three tables as keys. Editors copy the printed template:
//! `结果维持: 1`, `自然人: 2`, `（一）予以公开:` — each is read as the English key it stands
//! for (`maintained`, `natural_person`, `granted`), with its line kept for messages.

use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

use super::data::{AppRow, Applicant, Format, Outcome, ReviewGroup};

/// The tables with Chinese keys renamed to the contract's keys, and where each renamed key
/// stood, so that messages still point at the editor's line.
#[derive(Debug, Default)]
pub(super) struct Localized {
    /// The front matter's three tables, keys in English.
    pub(super) tables: Mapping,
    /// Dotted English path → the key as written.
    written: HashMap<String, String>,
}

impl Localized {
    /// `path` (English keys) as the editor wrote it, for line lookups.
    pub(super) fn as_written(&self, path: &[&str]) -> Vec<String> {
        let mut out = Vec::with_capacity(path.len());
        for n in 1..=path.len() {
            let key = path[..n].join(".");
            out.push(
                self.written
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| path[n - 1].to_string()),
            );
        }
        out
    }
}

/// A label with its numbering and remarks taken off: `（一）予以公开` → `予以公开`,
/// `1.属于国家秘密` → `属于国家秘密`, `一、本年新收…` → `本年新收…`,
/// `（二）部分公开（区分处理的…）` → `部分公开`.
fn bare(label: &str) -> String {
    let mut s = label.trim();
    if let Some(rest) = s.strip_prefix('（').and_then(|r| r.split_once('）')) {
        s = rest.1;
    }
    for sep in ['.', '．', '、'] {
        if let Some((head, tail)) = s.split_once(sep)
            && !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        {
            s = tail;
            break;
        }
    }
    let s = s.split('（').next().unwrap_or(s);
    s.trim().to_string()
}

/// (key, labels) of one level of a table.
type Level = Vec<(&'static str, Vec<String>)>;

fn level(pairs: impl IntoIterator<Item = (&'static str, Vec<&'static str>)>) -> Level {
    pairs
        .into_iter()
        .map(|(k, ls)| {
            let mut all: Vec<String> = ls.iter().map(|l| l.to_string()).collect();
            all.extend(ls.iter().map(|l| bare(l)));
            all.sort();
            all.dedup();
            (k, all)
        })
        .collect()
}

fn key_for(level: &Level, written: &str) -> Option<&'static str> {
    let w = written.trim();
    let b = bare(w);
    level
        .iter()
        .find(|(k, labels)| *k == w || labels.iter().any(|l| l == w || *l == b))
        .map(|(k, _)| *k)
}

fn table1(format: Format) -> (Level, Level) {
    let rows = match format {
        Format::F2021 => level([
            ("rules", vec!["规章"]),
            ("normative_documents", vec!["行政规范性文件", "规范性文件"]),
            ("licensing", vec!["行政许可"]),
            ("punishment", vec!["行政处罚"]),
            ("coercion", vec!["行政强制"]),
            ("fees_wan_yuan", vec!["行政事业性收费"]),
        ]),
        Format::F2019 => level([
            ("rules", vec!["规章"]),
            ("normative_documents", vec!["规范性文件", "行政规范性文件"]),
            ("licensing", vec!["行政许可"]),
            ("other_services", vec!["其他对外管理服务事项"]),
            ("punishment", vec!["行政处罚"]),
            ("coercion", vec!["行政强制"]),
            ("fees", vec!["行政事业性收费"]),
            ("procurement", vec!["政府集中采购"]),
        ]),
    };
    let cols = level([
        ("issued", vec!["本年制发件数"]),
        ("repealed", vec!["本年废止件数"]),
        ("in_force", vec!["现行有效件数"]),
        ("made", vec!["本年新制作数量"]),
        ("published", vec!["本年新公开数量"]),
        ("total_public", vec!["对外公开总数量"]),
        ("last_year", vec!["上一年项目数量"]),
        ("change", vec!["本年增/减", "本年增减"]),
        ("decisions", vec!["处理决定数量"]),
        ("items", vec!["采购项目数量"]),
        ("amount_wan_yuan", vec!["采购总金额"]),
    ]);
    (rows, cols)
}

fn table2() -> (Level, Level) {
    let rows = level(AppRow::all().map(|r| (r.key(), vec![r.label()])));
    let cols = level(Applicant::ALL.map(|a| (a.key(), vec![a.label()])));
    (rows, cols)
}

fn table3() -> (Level, Level) {
    let groups = level(ReviewGroup::ALL.map(|g| (g.key(), vec![g.label(), g.full_label()])));
    let cols = level(Outcome::ALL.map(|o| (o.key(), vec![o.label()])));
    (groups, cols)
}

/// The national names of the three tables, by key: what an editor may write instead of
/// `active_disclosure`, `applications`, `review_litigation`.
pub const TABLE_NAMES: [(&str, [&str; 3]); 3] = [
    (
        "active_disclosure",
        ["表一", "主动公开政府信息情况", "二、主动公开政府信息情况"],
    ),
    (
        "applications",
        [
            "表二",
            "收到和处理政府信息公开申请情况",
            "三、收到和处理政府信息公开申请情况",
        ],
    ),
    (
        "review_litigation",
        [
            "表三",
            "政府信息公开行政复议、行政诉讼情况",
            "四、政府信息公开行政复议、行政诉讼情况",
        ],
    ),
];

/// The tables' level-1 names.
fn tables() -> Level {
    level(TABLE_NAMES.map(|(k, names)| (k, names.to_vec())))
}

/// The three tables of `fm` with every national label renamed to its key. Keys that are
/// neither stay as written, for the reader to report.
pub(super) fn localize(fm: &Mapping, format: Format) -> Localized {
    let mut out = Localized::default();
    let top = tables();
    for (k, v) in fm {
        let Value::String(name) = k else { continue };
        let Some(table) = key_for(&top, name) else {
            continue;
        };
        if table != name {
            out.written.insert(table.to_string(), name.clone());
        }
        let (rows, cols) = match table {
            "active_disclosure" => table1(format),
            "applications" => table2(),
            _ => table3(),
        };
        let renamed = rename(v, table, &rows, Some(&cols), &mut out.written);
        out.tables.insert(Value::String(table.to_string()), renamed);
    }
    out
}

/// `v` with the keys of its mapping renamed by `rows`, and those of the mappings below by
/// `cols`; anything else as it is.
fn rename(
    v: &Value,
    path: &str,
    rows: &Level,
    cols: Option<&Level>,
    written: &mut HashMap<String, String>,
) -> Value {
    let Value::Mapping(m) = v else {
        return v.clone();
    };
    let mut out = Mapping::new();
    for (k, child) in m {
        let key = match k {
            Value::String(s) => match key_for(rows, s) {
                Some(en) => {
                    if en != s {
                        written.insert(format!("{path}.{en}"), s.clone());
                    }
                    en.to_string()
                }
                None => s.clone(),
            },
            other => {
                out.insert(other.clone(), child.clone());
                continue;
            }
        };
        let child = match cols {
            Some(c) => rename(child, &format!("{path}.{key}"), c, None, written),
            None => child.clone(),
        };
        // The English key wins if both were written; the reader reports neither twice.
        if !out.contains_key(key.as_str()) {
            out.insert(Value::String(key), child);
        }
    }
    Value::Mapping(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_lose_numbering_and_remarks() {
        assert_eq!(bare("（一）予以公开"), "予以公开");
        assert_eq!(bare("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(
            bare("一、本年新收政府信息公开申请数量"),
            "本年新收政府信息公开申请数量"
        );
        assert_eq!(
            bare("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
            "部分公开"
        );
        assert_eq!(bare("结果维持"), "结果维持");
    }

    #[test]
    fn chinese_keys_become_contract_keys_and_remember_how_they_were_written() {
        let fm: Mapping = serde_yaml::from_str(
            "表二:\n  （一）予以公开: { 自然人: 3, 总计: 3 }\n  本年新收政府信息公开申请数量: { natural_person: 4 }\n  结转下年度继续办理: {}\nreview_litigation:\n  行政复议: { 结果维持: 1, 总计: 1 }\n  复议后起诉: { 尚未审结: 0 }\nactive_disclosure:\n  行政许可: 514\n  规章: { 本年制发件数: 0 }\n",
        )
        .unwrap();
        let loc = localize(&fm, Format::F2021);
        let t: Value = Value::Mapping(loc.tables.clone());
        assert_eq!(
            t["applications"]["granted"]["natural_person"],
            Value::from(3)
        );
        assert_eq!(t["applications"]["granted"]["total"], Value::from(3));
        assert_eq!(
            t["applications"]["new_received"]["natural_person"],
            Value::from(4)
        );
        assert!(t["applications"]["carried_forward"].is_mapping());
        assert_eq!(
            t["review_litigation"]["review"]["maintained"],
            Value::from(1)
        );
        assert!(t["review_litigation"]["litigation_after_review"]["pending"].is_number());
        assert_eq!(t["active_disclosure"]["licensing"], Value::from(514));
        assert_eq!(t["active_disclosure"]["rules"]["issued"], Value::from(0));
        assert_eq!(
            loc.as_written(&["applications", "granted", "natural_person"]),
            ["表二", "（一）予以公开", "自然人"]
        );
    }

    #[test]
    fn unknown_keys_stay_as_written() {
        let fm: Mapping = serde_yaml::from_str("applications:\n  予以公开了: {}\n").unwrap();
        let loc = localize(&fm, Format::F2021);
        assert!(Value::Mapping(loc.tables)["applications"]["予以公开了"].is_mapping());
    }
}
