//! Table 1 (主动公开政府信息情况): its two layouts, their display blocks, and their parsing.

use crate::t;
use serde_yaml::{Mapping, Value};

use super::cell::{Cx, Domain};
use super::data::{Format, Num};

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

/// Table 1, 2021 format: 第二十条第(一)项 row (规章 / 行政规范性文件).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct DocCounts {
    /// 本年制发件数
    pub issued: u64,
    /// 本年废止件数
    pub repealed: u64,
    /// 现行有效件数
    pub in_force: u64,
}

/// Table 1 in the 2021 format.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Active2021 {
    /// 规章
    pub rules: DocCounts,
    /// 行政规范性文件
    pub normative_documents: DocCounts,
    /// 行政许可 · 本年处理决定数量
    pub licensing: u64,
    /// 行政处罚 · 本年处理决定数量
    pub punishment: u64,
    /// 行政强制 · 本年处理决定数量
    pub coercion: u64,
    /// 行政事业性收费 · 本年收费金额（单位：万元）
    pub fees_wan_yuan: f64,
}

/// Table 1, 2019 format: 第二十条第(一)项 row (规章 / 规范性文件).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Docs2019 {
    /// 本年新制作数量
    pub made: u64,
    /// 本年新公开数量
    pub published: u64,
    /// 对外公开总数量
    pub total_public: u64,
}

/// Table 1, 2019 format: a row of 第二十条第(五)项 / 第(六)项.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Items2019 {
    /// 上一年项目数量
    pub last_year: u64,
    /// 本年增/减 (may be negative)
    pub change: i64,
    /// 处理决定数量
    pub decisions: u64,
}

/// Table 1, 2019 format: 第二十条第(八)项 行政事业性收费.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Fees2019 {
    /// 上一年项目数量
    pub last_year: u64,
    /// 本年增/减 (may be negative)
    pub change: i64,
}

/// Table 1, 2019 format: 第二十条第(九)项 政府集中采购.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Procurement2019 {
    /// 采购项目数量
    pub items: u64,
    /// 采购总金额 (万元, may be a decimal)
    pub amount_wan_yuan: f64,
}

/// Table 1 in the 2019 (试行) format.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Active2019 {
    /// 规章
    pub rules: Docs2019,
    /// 规范性文件
    pub normative_documents: Docs2019,
    /// 行政许可
    pub licensing: Items2019,
    /// 其他对外管理服务事项
    pub other_services: Items2019,
    /// 行政处罚
    pub punishment: Items2019,
    /// 行政强制
    pub coercion: Items2019,
    /// 行政事业性收费
    pub fees: Fees2019,
    /// 政府集中采购
    pub procurement: Procurement2019,
}

/// Table 1: 主动公开政府信息情况, per format.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum ActiveDisclosure {
    /// The 2019 (试行) layout.
    F2019(Active2019),
    /// The 2021 layout.
    F2021(Active2021),
}

impl ActiveDisclosure {
    /// All zeros in the layout of a format.
    pub fn zeros(format: Format) -> Self {
        match format {
            Format::F2019 => ActiveDisclosure::F2019(Active2019::default()),
            Format::F2021 => ActiveDisclosure::F2021(Active2021::default()),
        }
    }

    /// 行政许可 处理决定数量, in either format.
    pub fn licensing_decisions(&self) -> u64 {
        match self {
            ActiveDisclosure::F2019(a) => a.licensing.decisions,
            ActiveDisclosure::F2021(a) => a.licensing,
        }
    }

    /// 行政处罚 处理决定数量, in either format.
    pub fn punishment_decisions(&self) -> u64 {
        match self {
            ActiveDisclosure::F2019(a) => a.punishment.decisions,
            ActiveDisclosure::F2021(a) => a.punishment,
        }
    }

    /// 行政强制 处理决定数量, in either format.
    pub fn coercion_decisions(&self) -> u64 {
        match self {
            ActiveDisclosure::F2019(a) => a.coercion.decisions,
            ActiveDisclosure::F2021(a) => a.coercion,
        }
    }
}

/// One block of table 1 (第二十条第(x)项) as displayed: a title, its column labels and rows.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// e.g. `第二十条第（一）项`
    pub(crate) title: &'static str,
    /// The column labels after 信息内容.
    pub(crate) columns: &'static [&'static str],
    /// (row key, row label, values in column order)
    pub(crate) rows: Vec<(&'static str, &'static str, Vec<Num>)>,
}

fn n(v: u64) -> Num {
    Num::Int(v as i64)
}

impl ActiveDisclosure {
    /// Table 1 as blocks, in the order and with the labels of the format's template.
    pub(crate) fn blocks(&self) -> Vec<Block> {
        match self {
            ActiveDisclosure::F2021(a) => {
                let docs = |d: &DocCounts| vec![n(d.issued), n(d.repealed), n(d.in_force)];
                let decisions: &'static [&'static str] = &["本年处理决定数量"];
                vec![
                    Block {
                        title: "第二十条第（一）项",
                        columns: &["本年制发件数", "本年废止件数", "现行有效件数"],
                        rows: vec![
                            ("rules", "规章", docs(&a.rules)),
                            (
                                "normative_documents",
                                "行政规范性文件",
                                docs(&a.normative_documents),
                            ),
                        ],
                    },
                    Block {
                        title: "第二十条第（五）项",
                        columns: decisions,
                        rows: vec![("licensing", "行政许可", vec![n(a.licensing)])],
                    },
                    Block {
                        title: "第二十条第（六）项",
                        columns: decisions,
                        rows: vec![
                            ("punishment", "行政处罚", vec![n(a.punishment)]),
                            ("coercion", "行政强制", vec![n(a.coercion)]),
                        ],
                    },
                    Block {
                        title: "第二十条第（八）项",
                        columns: &["本年收费金额（单位：万元）"],
                        rows: vec![(
                            "fees_wan_yuan",
                            "行政事业性收费",
                            vec![Num::Dec(a.fees_wan_yuan)],
                        )],
                    },
                ]
            }
            ActiveDisclosure::F2019(a) => {
                let docs = |d: &Docs2019| vec![n(d.made), n(d.published), n(d.total_public)];
                let items =
                    |i: &Items2019| vec![n(i.last_year), Num::Int(i.change), n(i.decisions)];
                let item_cols: &'static [&'static str] =
                    &["上一年项目数量", "本年增/减", "处理决定数量"];
                vec![
                    Block {
                        title: "第二十条第（一）项",
                        columns: &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
                        rows: vec![
                            ("rules", "规章", docs(&a.rules)),
                            (
                                "normative_documents",
                                "规范性文件",
                                docs(&a.normative_documents),
                            ),
                        ],
                    },
                    Block {
                        title: "第二十条第（五）项",
                        columns: item_cols,
                        rows: vec![
                            ("licensing", "行政许可", items(&a.licensing)),
                            (
                                "other_services",
                                "其他对外管理服务事项",
                                items(&a.other_services),
                            ),
                        ],
                    },
                    Block {
                        title: "第二十条第（六）项",
                        columns: item_cols,
                        rows: vec![
                            ("punishment", "行政处罚", items(&a.punishment)),
                            ("coercion", "行政强制", items(&a.coercion)),
                        ],
                    },
                    Block {
                        title: "第二十条第（八）项",
                        columns: &["上一年项目数量", "本年增/减"],
                        rows: vec![(
                            "fees",
                            "行政事业性收费",
                            vec![n(a.fees.last_year), Num::Int(a.fees.change)],
                        )],
                    },
                    Block {
                        title: "第二十条第（九）项",
                        columns: &["采购项目数量", "采购总金额"],
                        rows: vec![(
                            "procurement",
                            "政府集中采购",
                            vec![
                                n(a.procurement.items),
                                Num::Dec(a.procurement.amount_wan_yuan),
                            ],
                        )],
                    },
                ]
            }
        }
    }
}

/// Reads a sub-mapping of table 1 with the given columns (left-out columns are 0).
fn sub(cx: &mut Cx, m: &Mapping, row: (&str, &str), cols: &[(&str, &str, Domain)]) -> Vec<Num> {
    let path = ["active_disclosure", row.0];
    let what = t!("report.table1-row", label = row.1);
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
            Some(cv) => cx.cell(
                cv,
                &["active_disclosure", row.0, k],
                &format!("{what}，列“{label}”"),
                *dom,
            ),
            None if *dom == Domain::WanYuan => Num::Dec(0.0),
            None => Num::Int(0),
        })
        .collect()
}

/// Reads a scalar of table 1 (2021 format).
fn scalar(cx: &mut Cx, m: &Mapping, row: (&str, &str), dom: Domain) -> Num {
    match m.get(row.0) {
        Some(v) => cx.cell(
            v,
            &["active_disclosure", row.0],
            &t!("report.table1-row", label = row.1),
            dom,
        ),
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

pub(super) fn parse_active(cx: &mut Cx, v: &Value, format: Format) -> ActiveDisclosure {
    let Some(m) = cx.mapping(v, &["active_disclosure"], &t!("report.table1-key")) else {
        return ActiveDisclosure::zeros(format);
    };
    use Domain::{Count as C, Signed as S, WanYuan as W};
    match format {
        Format::F2021 => {
            cx.check_keys(
                m,
                &["active_disclosure"],
                &ACTIVE_2021,
                Some((Format::F2019, &ACTIVE_2019)),
            );
            let cols = [
                ("issued", "本年制发件数", C),
                ("repealed", "本年废止件数", C),
                ("in_force", "现行有效件数", C),
            ];
            let docs = |v: Vec<Num>| DocCounts {
                issued: u(v[0]),
                repealed: u(v[1]),
                in_force: u(v[2]),
            };
            ActiveDisclosure::F2021(Active2021 {
                rules: docs(sub(cx, m, ("rules", "规章"), &cols)),
                normative_documents: docs(sub(
                    cx,
                    m,
                    ("normative_documents", "行政规范性文件"),
                    &cols,
                )),
                licensing: u(scalar(cx, m, ("licensing", "行政许可"), C)),
                punishment: u(scalar(cx, m, ("punishment", "行政处罚"), C)),
                coercion: u(scalar(cx, m, ("coercion", "行政强制"), C)),
                fees_wan_yuan: f(scalar(cx, m, ("fees_wan_yuan", "行政事业性收费"), W)),
            })
        }
        Format::F2019 => {
            cx.check_keys(
                m,
                &["active_disclosure"],
                &ACTIVE_2019,
                Some((Format::F2021, &ACTIVE_2021)),
            );
            let dcols = [
                ("made", "本年新制作数量", C),
                ("published", "本年新公开数量", C),
                ("total_public", "对外公开总数量", C),
            ];
            let icols = [
                ("last_year", "上一年项目数量", C),
                ("change", "本年增/减", S),
                ("decisions", "处理决定数量", C),
            ];
            let docs = |v: Vec<Num>| Docs2019 {
                made: u(v[0]),
                published: u(v[1]),
                total_public: u(v[2]),
            };
            let items = |v: Vec<Num>| Items2019 {
                last_year: u(v[0]),
                change: i(v[1]),
                decisions: u(v[2]),
            };
            let fees = sub(cx, m, ("fees", "行政事业性收费"), &icols[..2]);
            let proc = sub(
                cx,
                m,
                ("procurement", "政府集中采购"),
                &[
                    ("items", "采购项目数量", C),
                    ("amount_wan_yuan", "采购总金额", W),
                ],
            );
            ActiveDisclosure::F2019(Active2019 {
                rules: docs(sub(cx, m, ("rules", "规章"), &dcols)),
                normative_documents: docs(sub(
                    cx,
                    m,
                    ("normative_documents", "规范性文件"),
                    &dcols,
                )),
                licensing: items(sub(cx, m, ("licensing", "行政许可"), &icols)),
                other_services: items(sub(
                    cx,
                    m,
                    ("other_services", "其他对外管理服务事项"),
                    &icols,
                )),
                punishment: items(sub(cx, m, ("punishment", "行政处罚"), &icols)),
                coercion: items(sub(cx, m, ("coercion", "行政强制"), &icols)),
                fees: Fees2019 {
                    last_year: u(fees[0]),
                    change: i(fees[1]),
                },
                procurement: Procurement2019 {
                    items: u(proc[0]),
                    amount_wan_yuan: f(proc[1]),
                },
            })
        }
    }
}
