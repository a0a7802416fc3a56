//! The typed tables of an annual report, with their verbatim Chinese labels and front-matter keys.

use std::collections::{BTreeMap, BTreeSet};

/// Which national template a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// 《中华人民共和国政府信息公开工作年度报告格式（试行）》 (国办公开办函〔2019〕60号): reports on 2019 and 2020.
    F2019,
    /// 国办公开办函〔2021〕30号: reports on 2021 onwards.
    F2021,
}

impl Format {
    /// The value of `format:` in front matter: `"2019"` or `"2021"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::F2019 => "2019",
            Format::F2021 => "2021",
        }
    }

    /// Parses `"2019"` / `"2021"`.
    pub fn from_str_opt(s: &str) -> Option<Format> {
        match s.trim() {
            "2019" => Some(Format::F2019),
            "2021" => Some(Format::F2021),
            _ => None,
        }
    }
}

/// A column of table 2 (申请人情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicant {
    /// 自然人
    NaturalPerson,
    /// 法人或其他组织 · 商业企业
    Commercial,
    /// 法人或其他组织 · 科研机构
    Research,
    /// 法人或其他组织 · 社会公益组织
    SocialWelfare,
    /// 法人或其他组织 · 法律服务机构
    LegalService,
    /// 法人或其他组织 · 其他
    Other,
    /// 总计
    Total,
}

impl Applicant {
    /// All seven columns in table order.
    pub const ALL: [Applicant; 7] = [
        Applicant::NaturalPerson,
        Applicant::Commercial,
        Applicant::Research,
        Applicant::SocialWelfare,
        Applicant::LegalService,
        Applicant::Other,
        Applicant::Total,
    ];
    /// The six applicant columns (without 总计).
    pub const SIX: [Applicant; 6] = [
        Applicant::NaturalPerson,
        Applicant::Commercial,
        Applicant::Research,
        Applicant::SocialWelfare,
        Applicant::LegalService,
        Applicant::Other,
    ];

    /// The front-matter key, e.g. `natural_person`.
    pub fn key(self) -> &'static str {
        [
            "natural_person",
            "commercial",
            "research",
            "social_welfare",
            "legal_service",
            "other",
            "total",
        ][self as usize]
    }

    /// The verbatim column label, e.g. `自然人`.
    pub fn label(self) -> &'static str {
        [
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "总计",
        ][self as usize]
    }

    /// The index of the column in [`Cells`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The seven cells of a table-2 row, indexed by [`Applicant::index`].
pub type Cells = [u64; 7];

/// The sub-groups of 三、本年度办理结果 that have numbered sub-rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResultGroup {
    /// （三）不予公开
    Denied,
    /// （四）无法提供
    Unable,
    /// （五）不予处理
    NotProcessed,
    /// （六）其他处理 (three sub-rows in the 2021 format, one row in 2019)
    Other,
}

impl ResultGroup {
    /// The verbatim group label, e.g. `（三）不予公开`.
    pub fn label(self) -> &'static str {
        match self {
            ResultGroup::Denied => "（三）不予公开",
            ResultGroup::Unable => "（四）无法提供",
            ResultGroup::NotProcessed => "（五）不予处理",
            ResultGroup::Other => "（六）其他处理",
        }
    }
}

/// A row of table 2, in template order (the derived order is the template order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AppRow {
    /// 一、本年新收政府信息公开申请数量 (`new_received`)
    NewReceived,
    /// 二、上年结转政府信息公开申请数量 (`carried_over`)
    CarriedOver,
    /// （一）予以公开 (`granted`)
    Granted,
    /// （二）部分公开 (`partially_granted`)
    PartiallyGranted,
    /// （三）1.属于国家秘密 (`denied_state_secret`)
    DeniedStateSecret,
    /// （三）2.其他法律行政法规禁止公开 (`denied_law_forbidden`)
    DeniedLawForbidden,
    /// （三）3.危及“三安全一稳定” (`denied_three_safety_one_stability`)
    DeniedThreeSafetyOneStability,
    /// （三）4.保护第三方合法权益 (`denied_third_party`)
    DeniedThirdParty,
    /// （三）5.属于三类内部事务信息 (`denied_internal_affairs`)
    DeniedInternalAffairs,
    /// （三）6.属于四类过程性信息 (`denied_process_info`)
    DeniedProcessInfo,
    /// （三）7.属于行政执法案卷 (`denied_enforcement_file`)
    DeniedEnforcementFile,
    /// （三）8.属于行政查询事项 (`denied_admin_query`)
    DeniedAdminQuery,
    /// （四）1.本机关不掌握相关政府信息 (`unable_not_held`)
    UnableNotHeld,
    /// （四）2.没有现成信息需要另行制作 (`unable_needs_creation`)
    UnableNeedsCreation,
    /// （四）3.补正后申请内容仍不明确 (`unable_unclear_after_correction`)
    UnableUnclearAfterCorrection,
    /// （五）1.信访举报投诉类申请 (`not_processed_petition`)
    NotProcessedPetition,
    /// （五）2.重复申请 (`not_processed_repeat`)
    NotProcessedRepeat,
    /// （五）3.要求提供公开出版物 (`not_processed_publication`)
    NotProcessedPublication,
    /// （五）4.无正当理由大量反复申请 (`not_processed_mass_repeat`)
    NotProcessedMassRepeat,
    /// （五）5.要求行政机关确认或重新出具已获取信息 (`not_processed_confirm`)
    NotProcessedConfirm,
    /// （六）1.申请人无正当理由逾期不补正… (`other_no_correction`, 2021 format)
    OtherNoCorrection,
    /// （六）2.申请人逾期未按收费通知要求缴纳费用… (`other_fee_unpaid`, 2021 format)
    OtherFeeUnpaid,
    /// （六）3.其他 (`other_other`, 2021 format)
    OtherOther,
    /// （六）其他处理 as one row (`other_handling`, 2019 format)
    OtherHandling,
    /// （七）总计 (`total_processed`)
    TotalProcessed,
    /// 四、结转下年度继续办理 (`carried_forward`)
    CarriedForward,
}

use AppRow as R;
use ResultGroup as G;

/// (row, key, verbatim label, group) in template order.
const ROW_SPECS: [(AppRow, &str, &str, Option<ResultGroup>); 26] = [
    (R::NewReceived, "new_received", "一、本年新收政府信息公开申请数量", None),
    (R::CarriedOver, "carried_over", "二、上年结转政府信息公开申请数量", None),
    (R::Granted, "granted", "（一）予以公开", None),
    (
        R::PartiallyGranted,
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        None,
    ),
    (R::DeniedStateSecret, "denied_state_secret", "1.属于国家秘密", Some(G::Denied)),
    (
        R::DeniedLawForbidden,
        "denied_law_forbidden",
        "2.其他法律行政法规禁止公开",
        Some(G::Denied),
    ),
    (
        R::DeniedThreeSafetyOneStability,
        "denied_three_safety_one_stability",
        "3.危及“三安全一稳定”",
        Some(G::Denied),
    ),
    (R::DeniedThirdParty, "denied_third_party", "4.保护第三方合法权益", Some(G::Denied)),
    (
        R::DeniedInternalAffairs,
        "denied_internal_affairs",
        "5.属于三类内部事务信息",
        Some(G::Denied),
    ),
    (R::DeniedProcessInfo, "denied_process_info", "6.属于四类过程性信息", Some(G::Denied)),
    (
        R::DeniedEnforcementFile,
        "denied_enforcement_file",
        "7.属于行政执法案卷",
        Some(G::Denied),
    ),
    (R::DeniedAdminQuery, "denied_admin_query", "8.属于行政查询事项", Some(G::Denied)),
    (R::UnableNotHeld, "unable_not_held", "1.本机关不掌握相关政府信息", Some(G::Unable)),
    (
        R::UnableNeedsCreation,
        "unable_needs_creation",
        "2.没有现成信息需要另行制作",
        Some(G::Unable),
    ),
    (
        R::UnableUnclearAfterCorrection,
        "unable_unclear_after_correction",
        "3.补正后申请内容仍不明确",
        Some(G::Unable),
    ),
    (
        R::NotProcessedPetition,
        "not_processed_petition",
        "1.信访举报投诉类申请",
        Some(G::NotProcessed),
    ),
    (R::NotProcessedRepeat, "not_processed_repeat", "2.重复申请", Some(G::NotProcessed)),
    (
        R::NotProcessedPublication,
        "not_processed_publication",
        "3.要求提供公开出版物",
        Some(G::NotProcessed),
    ),
    (
        R::NotProcessedMassRepeat,
        "not_processed_mass_repeat",
        "4.无正当理由大量反复申请",
        Some(G::NotProcessed),
    ),
    (
        R::NotProcessedConfirm,
        "not_processed_confirm",
        "5.要求行政机关确认或重新出具已获取信息",
        Some(G::NotProcessed),
    ),
    (
        R::OtherNoCorrection,
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        Some(G::Other),
    ),
    (
        R::OtherFeeUnpaid,
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        Some(G::Other),
    ),
    (R::OtherOther, "other_other", "3.其他", Some(G::Other)),
    (R::OtherHandling, "other_handling", "（六）其他处理", None),
    (R::TotalProcessed, "total_processed", "（七）总计", None),
    (R::CarriedForward, "carried_forward", "四、结转下年度继续办理", None),
];

/// The label of the block that holds the result rows.
pub const RESULTS_LABEL: &str = "三、本年度办理结果";

/// The verbatim header cell of table 2.
pub const IDENTITY_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

impl AppRow {
    /// Every row of both formats, in template order.
    pub fn all() -> impl Iterator<Item = AppRow> {
        ROW_SPECS.iter().map(|s| s.0)
    }

    /// The rows of a format, in template order.
    pub fn rows(format: Format) -> impl Iterator<Item = AppRow> {
        Self::all().filter(move |r| r.in_format(format))
    }

    /// The rows summed into （七）总计 by identity A2, in template order.
    pub fn results(format: Format) -> impl Iterator<Item = AppRow> {
        Self::rows(format).filter(|r| r.is_result())
    }

    /// True if the row exists in the format.
    pub fn in_format(self, format: Format) -> bool {
        match self {
            R::OtherHandling => format == Format::F2019,
            R::OtherNoCorrection | R::OtherFeeUnpaid | R::OtherOther => format == Format::F2021,
            _ => true,
        }
    }

    /// True for the rows of 三、本年度办理结果 other than （七）总计.
    pub fn is_result(self) -> bool {
        !matches!(
            self,
            R::NewReceived | R::CarriedOver | R::TotalProcessed | R::CarriedForward
        )
    }

    /// The front-matter key, e.g. `granted`.
    pub fn key(self) -> &'static str {
        ROW_SPECS[self as usize].1
    }

    /// The verbatim label of the row itself, e.g. `1.属于国家秘密` or `（一）予以公开`.
    pub fn label(self) -> &'static str {
        ROW_SPECS[self as usize].2
    }

    /// The group whose numbered sub-row this is.
    pub fn group(self) -> Option<ResultGroup> {
        ROW_SPECS[self as usize].3
    }

    /// The label with its group, for messages: `（三）不予公开 1.属于国家秘密`.
    pub fn full_label(self) -> String {
        match self.group() {
            Some(g) => format!("{} {}", g.label(), self.label()),
            None => self.label().to_string(),
        }
    }

    /// Looks a key up among all rows of both formats.
    pub fn from_key(key: &str) -> Option<AppRow> {
        ROW_SPECS.iter().find(|s| s.1 == key).map(|s| s.0)
    }
}

/// Table 2: 收到和处理政府信息公开申请情况.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applications {
    /// Every row of the report's format (and only those), with all seven cells; totals left out
    /// in the source are computed.
    pub rows: BTreeMap<AppRow, Cells>,
}

impl Applications {
    /// All-zero rows for a format.
    pub fn zeros(format: Format) -> Self {
        Applications {
            rows: AppRow::rows(format).map(|r| (r, [0; 7])).collect(),
        }
    }

    /// The cells of a row (zeros for a row not in the format).
    pub fn row(&self, row: AppRow) -> Cells {
        self.rows.get(&row).copied().unwrap_or([0; 7])
    }

    /// One cell.
    pub fn cell(&self, row: AppRow, col: Applicant) -> u64 {
        self.row(row)[col.index()]
    }

    /// The 总计 of a group of rows (e.g. all of （三）不予公开).
    pub fn group_total(&self, group: ResultGroup) -> u64 {
        self.rows
            .iter()
            .filter(|(r, _)| r.group() == Some(group) || (group == G::Other && **r == R::OtherHandling))
            .map(|(_, c)| c[Applicant::Total.index()])
            .sum()
    }
}

/// An outcome column of table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// 结果维持
    Maintained,
    /// 结果纠正
    Corrected,
    /// 其他结果
    Other,
    /// 尚未审结
    Pending,
    /// 总计
    Total,
}

impl Outcome {
    /// The five columns in table order.
    pub const ALL: [Outcome; 5] = [
        Outcome::Maintained,
        Outcome::Corrected,
        Outcome::Other,
        Outcome::Pending,
        Outcome::Total,
    ];

    /// The front-matter key, e.g. `maintained`.
    pub fn key(self) -> &'static str {
        ["maintained", "corrected", "other", "pending", "total"][self as usize]
    }

    /// The verbatim label, e.g. `结果维持`.
    pub fn label(self) -> &'static str {
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"][self as usize]
    }

    /// The index in [`Outcomes`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The five cells of one group of table 3, indexed by [`Outcome::index`].
pub type Outcomes = [u64; 5];

/// A group of table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReviewGroup {
    /// 行政复议
    Review,
    /// 行政诉讼 · 未经复议直接起诉
    LitigationDirect,
    /// 行政诉讼 · 复议后起诉
    LitigationAfterReview,
}

impl ReviewGroup {
    /// The three groups in table order.
    pub const ALL: [ReviewGroup; 3] = [
        ReviewGroup::Review,
        ReviewGroup::LitigationDirect,
        ReviewGroup::LitigationAfterReview,
    ];

    /// The front-matter key, e.g. `litigation_direct`.
    pub fn key(self) -> &'static str {
        ["review", "litigation_direct", "litigation_after_review"][self as usize]
    }

    /// The verbatim label, e.g. `未经复议直接起诉`.
    pub fn label(self) -> &'static str {
        ["行政复议", "未经复议直接起诉", "复议后起诉"][self as usize]
    }

    /// The label with its parent, for messages: `行政诉讼·未经复议直接起诉`.
    pub fn full_label(self) -> &'static str {
        ["行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"][self as usize]
    }
}

/// Table 3: 政府信息公开行政复议、行政诉讼情况.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewLitigation {
    /// 行政复议
    pub review: Outcomes,
    /// 行政诉讼 · 未经复议直接起诉
    pub litigation_direct: Outcomes,
    /// 行政诉讼 · 复议后起诉
    pub litigation_after_review: Outcomes,
}

impl ReviewLitigation {
    /// The cells of a group.
    pub fn group(&self, g: ReviewGroup) -> &Outcomes {
        match g {
            ReviewGroup::Review => &self.review,
            ReviewGroup::LitigationDirect => &self.litigation_direct,
            ReviewGroup::LitigationAfterReview => &self.litigation_after_review,
        }
    }

    /// The cells of a group, mutably.
    pub fn group_mut(&mut self, g: ReviewGroup) -> &mut Outcomes {
        match g {
            ReviewGroup::Review => &mut self.review,
            ReviewGroup::LitigationDirect => &mut self.litigation_direct,
            ReviewGroup::LitigationAfterReview => &mut self.litigation_after_review,
        }
    }

    /// 行政诉讼 in total (both kinds).
    pub fn litigation_total(&self) -> u64 {
        self.litigation_direct[4] + self.litigation_after_review[4]
    }
}

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

/// The three tables of one annual report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportData {
    /// The year reported on (not the year of publication).
    pub year: i32,
    /// The template.
    pub format: Format,
    /// Table 1 (二、主动公开政府信息情况).
    pub active: ActiveDisclosure,
    /// Table 2 (三、收到和处理政府信息公开申请情况).
    pub applications: Applications,
    /// Table 3 (四、政府信息公开行政复议、行政诉讼情况).
    pub review: ReviewLitigation,
    /// Key paths (`applications.granted.natural_person`) of cells whose source value was unusable
    /// (already reported by `parse`); identities touching them are not checked again.
    pub(crate) invalid: BTreeSet<String>,
}

impl ReportData {
    /// All-zero tables of a format (a starting point for tests and tools).
    pub fn zeros(year: i32, format: Format) -> Self {
        ReportData {
            year,
            format,
            active: ActiveDisclosure::zeros(format),
            applications: Applications::zeros(format),
            review: ReviewLitigation::default(),
            invalid: BTreeSet::new(),
        }
    }
}

/// A table-1 cell value, for display and export.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    /// A count or a change.
    Int(i64),
    /// An amount in 万元.
    Dec(f64),
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            // `{}` on f64 is the shortest text that reads back the same: 0, 0.092, 12.5.
            Num::Dec(d) => write!(f, "{d}"),
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
                            ("normative_documents", "行政规范性文件", docs(&a.normative_documents)),
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
                let items = |i: &Items2019| vec![n(i.last_year), Num::Int(i.change), n(i.decisions)];
                let item_cols: &'static [&'static str] = &["上一年项目数量", "本年增/减", "处理决定数量"];
                vec![
                    Block {
                        title: "第二十条第（一）项",
                        columns: &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
                        rows: vec![
                            ("rules", "规章", docs(&a.rules)),
                            ("normative_documents", "规范性文件", docs(&a.normative_documents)),
                        ],
                    },
                    Block {
                        title: "第二十条第（五）项",
                        columns: item_cols,
                        rows: vec![
                            ("licensing", "行政许可", items(&a.licensing)),
                            ("other_services", "其他对外管理服务事项", items(&a.other_services)),
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
                            vec![n(a.procurement.items), Num::Dec(a.procurement.amount_wan_yuan)],
                        )],
                    },
                ]
            }
        }
    }
}
