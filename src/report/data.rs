//! The typed tables of an annual report, with their verbatim Chinese labels and front-matter keys.

use std::collections::{BTreeMap, BTreeSet};

use super::active::ActiveDisclosure;

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

/// Every row of both formats, in template order.
const ALL_ROWS: [AppRow; 26] = [
    R::NewReceived,
    R::CarriedOver,
    R::Granted,
    R::PartiallyGranted,
    R::DeniedStateSecret,
    R::DeniedLawForbidden,
    R::DeniedThreeSafetyOneStability,
    R::DeniedThirdParty,
    R::DeniedInternalAffairs,
    R::DeniedProcessInfo,
    R::DeniedEnforcementFile,
    R::DeniedAdminQuery,
    R::UnableNotHeld,
    R::UnableNeedsCreation,
    R::UnableUnclearAfterCorrection,
    R::NotProcessedPetition,
    R::NotProcessedRepeat,
    R::NotProcessedPublication,
    R::NotProcessedMassRepeat,
    R::NotProcessedConfirm,
    R::OtherNoCorrection,
    R::OtherFeeUnpaid,
    R::OtherOther,
    R::OtherHandling,
    R::TotalProcessed,
    R::CarriedForward,
];

/// (front-matter key, verbatim label) of each row, indexed like [`ALL_ROWS`].
const ROW_TEXT: [(&str, &str); 26] = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    (
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    ("denied_state_secret", "1.属于国家秘密"),
    ("denied_law_forbidden", "2.其他法律行政法规禁止公开"),
    ("denied_three_safety_one_stability", "3.危及“三安全一稳定”"),
    ("denied_third_party", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "5.属于三类内部事务信息"),
    ("denied_process_info", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "7.属于行政执法案卷"),
    ("denied_admin_query", "8.属于行政查询事项"),
    ("unable_not_held", "1.本机关不掌握相关政府信息"),
    ("unable_needs_creation", "2.没有现成信息需要另行制作"),
    (
        "unable_unclear_after_correction",
        "3.补正后申请内容仍不明确",
    ),
    ("not_processed_petition", "1.信访举报投诉类申请"),
    ("not_processed_repeat", "2.重复申请"),
    ("not_processed_publication", "3.要求提供公开出版物"),
    ("not_processed_mass_repeat", "4.无正当理由大量反复申请"),
    (
        "not_processed_confirm",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    (
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other_other", "3.其他"),
    ("other_handling", "（六）其他处理"),
    ("total_processed", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
];

/// The label of the block that holds the result rows.
pub const RESULTS_LABEL: &str = "三、本年度办理结果";

/// The verbatim header cell of table 2.
pub const IDENTITY_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

impl AppRow {
    /// Every row of both formats, in template order.
    pub fn all() -> impl Iterator<Item = AppRow> {
        ALL_ROWS.into_iter()
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
        ROW_TEXT[self as usize].0
    }

    /// The verbatim label of the row itself, e.g. `1.属于国家秘密` or `（一）予以公开`.
    pub fn label(self) -> &'static str {
        ROW_TEXT[self as usize].1
    }

    /// The group whose numbered sub-row this is.
    pub fn group(self) -> Option<ResultGroup> {
        let within = |a: AppRow, b: AppRow| (a..=b).contains(&self);
        if within(R::DeniedStateSecret, R::DeniedAdminQuery) {
            Some(G::Denied)
        } else if within(R::UnableNotHeld, R::UnableUnclearAfterCorrection) {
            Some(G::Unable)
        } else if within(R::NotProcessedPetition, R::NotProcessedConfirm) {
            Some(G::NotProcessed)
        } else if within(R::OtherNoCorrection, R::OtherOther) {
            Some(G::Other)
        } else {
            None
        }
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
        Self::all().find(|r| r.key() == key)
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
            .filter(|(r, _)| {
                r.group() == Some(group) || (group == G::Other && **r == R::OtherHandling)
            })
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
        [
            "行政复议",
            "行政诉讼·未经复议直接起诉",
            "行政诉讼·复议后起诉",
        ][self as usize]
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
