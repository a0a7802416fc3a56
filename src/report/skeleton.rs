//! The skeleton of a new annual report (`portal new report`): the three tables with every cell
//! zero and the six sections with the tables placed, generated from the report's own schema —
//! the rows, columns and labels the parser reads — so that the two cannot drift apart.

use super::data::{AppRow, Applicant, Format, Outcome, ReviewGroup};
use super::structure::SECTIONS;

/// The table data of a report on `year`, every cell zero: the 2021 format from 2021 on, the 2019
/// (试行) format before (content-format.md). Totals are left out: they are computed.
pub fn tables(year: i32) -> String {
    let format = if year >= 2021 {
        Format::F2021
    } else {
        Format::F2019
    };
    let mut s = format!(
        "year: {year}    # 报告年度\nformat: \"{}\"\n",
        format.as_str()
    );
    s.push_str("active_disclosure:    # 二、主动公开政府信息情况\n");
    s.push_str(match format {
        Format::F2021 => concat!(
            "  rules:               { issued: 0, repealed: 0, in_force: 0 }    # 规章：本年制发 / 本年废止 / 现行有效\n",
            "  normative_documents: { issued: 0, repealed: 0, in_force: 0 }    # 行政规范性文件\n",
            "  licensing: 0    # 行政许可 本年处理决定数量\n",
            "  punishment: 0    # 行政处罚\n",
            "  coercion: 0    # 行政强制\n",
            "  fees_wan_yuan: 0    # 行政事业性收费（万元）\n",
        ),
        Format::F2019 => concat!(
            "  rules:               { made: 0, published: 0, total_public: 0 }    # 规章：本年新制作 / 本年新公开 / 对外公开总数量\n",
            "  normative_documents: { made: 0, published: 0, total_public: 0 }    # 规范性文件\n",
            "  licensing:           { last_year: 0, change: 0, decisions: 0 }    # 行政许可：上一年项目数量 / 本年增减 / 处理决定数量\n",
            "  other_services:      { last_year: 0, change: 0, decisions: 0 }    # 其他对外管理服务事项\n",
            "  punishment:          { last_year: 0, change: 0, decisions: 0 }    # 行政处罚\n",
            "  coercion:            { last_year: 0, change: 0, decisions: 0 }    # 行政强制\n",
            "  fees:                { last_year: 0, change: 0 }    # 行政事业性收费\n",
            "  procurement:         { items: 0, amount_wan_yuan: 0 }    # 政府集中采购\n",
        ),
    });
    let zeros = |keys: &[&str]| {
        let cells: Vec<String> = keys.iter().map(|k| format!("{k}: 0")).collect();
        format!("{{ {} }}", cells.join(", "))
    };
    let applicants = zeros(&Applicant::SIX.map(Applicant::key));
    s.push_str("applications:    # 三、收到和处理政府信息公开申请情况（总计 total 与（七）总计 total_processed 自动计算）\n");
    for row in AppRow::rows(format).filter(|r| *r != AppRow::TotalProcessed) {
        s.push_str(&format!(
            "  {}: {applicants}    # {}\n",
            row.key(),
            row.full_label()
        ));
    }
    let outcomes: Vec<&str> = Outcome::ALL
        .into_iter()
        .filter(|o| *o != Outcome::Total)
        .map(Outcome::key)
        .collect();
    let outcomes = zeros(&outcomes);
    s.push_str("review_litigation:    # 四、行政复议、行政诉讼情况（总计 total 自动计算）\n");
    for g in ReviewGroup::ALL {
        s.push_str(&format!(
            "  {}: {outcomes}    # {}\n",
            g.key(),
            g.full_label()
        ));
    }
    s
}

/// What each section asks for, after its heading (the national template's notes).
const SECTION_NOTES: [&str; 6] = [
    "<!-- 主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障（含工作考核、社会评议和责任追究结果情况）。 -->",
    "<!-- table: active_disclosure -->",
    "<!-- table: applications -->",
    "<!-- table: review_litigation -->",
    "<!-- 上年度存在问题的改进情况，本年度存在的主要问题和下一步改进措施。 -->",
    "<!-- 信息处理费收取情况、建议提案办理结果公开情况、年度政务公开工作要点落实情况等。 -->",
];

/// The six sections of the national template ([`SECTIONS`]), with the three tables placed.
pub fn body() -> String {
    SECTIONS
        .iter()
        .zip(SECTION_NOTES)
        .map(|((title, _), note)| format!("## {title}\n\n{note}\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The skeleton parses, reconciles and has every section: what `portal new report` writes
    /// builds as it is.
    #[test]
    fn skeletons_of_both_formats_parse_cleanly() {
        for year in [2019, 2022] {
            let md = format!("---\ntitle: 报告\n{}---\n\n{}", tables(year), body());
            let (data, diags) = super::super::fixtures::parse_md(&md);
            assert!(diags.is_empty(), "{year}: {diags:#?}");
            let data = data.unwrap();
            assert_eq!(data.year, year);
            let structure =
                super::super::check_structure(&body(), 1, true, std::path::Path::new("r.md"), None);
            assert!(structure.is_empty(), "{structure:#?}");
        }
        assert!(tables(2022).contains("other_fee_unpaid"));
        assert!(tables(2019).contains("other_handling") && !tables(2019).contains("other_other"));
    }
}
