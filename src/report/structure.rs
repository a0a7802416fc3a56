//! The shape the national template gives an annual report, checked before its figures: the six
//! numbered sections, and the tables as data rather than as pipe tables nobody can check.

use crate::t;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The six sections of the national template (国办公开办函〔2021〕30号 and the 2019 试行格式
/// alike), with the words that identify each heading.
pub const SECTIONS: [(&str, &str); 6] = [
    ("一、总体情况", "总体情况"),
    ("二、主动公开政府信息情况", "主动公开政府信息情况"),
    (
        "三、收到和处理政府信息公开申请情况",
        "收到和处理政府信息公开申请情况",
    ),
    (
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议、行政诉讼情况",
    ),
    ("五、存在的主要问题及改进情况", "存在的主要问题"),
    ("六、其他需要报告的事项", "其他需要报告的事项"),
];

/// What an annual report (a report page with `year:`) must have besides valid tables: the six
/// section headings (a missing one would move the tables under the wrong section), and the
/// tables as data. `has_tables` says whether the front matter carries any; `year_line` is where
/// `year:` stands.
pub fn check_structure(
    body: &str,
    body_first_line: usize,
    has_tables: bool,
    file: &Path,
    year_line: Option<usize>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let headings: Vec<&str> = body
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('#'))
        .collect();
    for (title, words) in SECTIONS {
        if !headings.iter().any(|h| h.contains(words)) {
            out.push(
                Diagnostic::error(
                    "report/section-missing",
                    t!("report.section-missing", part = &title[..3], title),
                )
                .file(file)
                .line(body_first_line)
                .expected(t!("report.section-missing.expected", title))
                .found(t!("report.section-missing.found"))
                .hint(t!("report.section-missing.hint")),
            );
        }
    }
    if !has_tables {
        let pipe_line = body
            .lines()
            .position(|l| {
                let t = l.trim();
                t.starts_with('|') && t.contains("---")
            })
            .map(|i| body_first_line + i);
        let mut d = Diagnostic::error("report/no-tables", t!("report.no-tables"))
            .file(file)
            .line(pipe_line.or(year_line))
            .key("active_disclosure")
            .expected(t!("report.no-tables.expected"))
            .found(if pipe_line.is_some() {
                t!("report.no-tables.found-pipe")
            } else {
                t!("report.no-tables.found")
            });
        d = d.hint(if pipe_line.is_some() {
            t!("report.no-tables.hint-pipe")
        } else {
            t!("report.no-tables.hint")
        });
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "## 一、总体情况\n\n## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n## 五、存在的主要问题及改进情况\n\n## 六、其他需要报告的事项\n";

    #[test]
    fn a_complete_report_passes() {
        assert!(check_structure(FULL, 10, true, Path::new("r.md"), Some(3)).is_empty());
    }

    #[test]
    fn each_missing_section_is_named() {
        let body = FULL.replace("## 三、收到和处理政府信息公开申请情况\n", "");
        let ds = check_structure(&body, 10, true, Path::new("r.md"), Some(3));
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].rule, "report/section-missing");
        assert!(
            ds[0].message.contains("三、收到和处理政府信息公开申请情况"),
            "{}",
            ds[0].message
        );
    }

    #[test]
    fn pipe_tables_without_data_point_at_the_table() {
        let body = format!("{FULL}\n| 行 | 自然人 |\n|---|---|\n| 予以公开 | 3 |\n");
        let ds = check_structure(&body, 10, false, Path::new("r.md"), Some(3));
        assert_eq!(ds.len(), 1);
        let sep = body.lines().position(|l| l.starts_with("|---")).unwrap();
        assert_eq!(
            (ds[0].rule, ds[0].line),
            ("report/no-tables", Some(10 + sep))
        );
        assert!(ds[0].hint.as_deref().unwrap().contains("front matter"));
        let ds = check_structure(FULL, 10, false, Path::new("r.md"), Some(3));
        assert_eq!(ds[0].line, Some(3));
    }
}
