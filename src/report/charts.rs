//! The year-over-year comparison on the reports index: a table and two inline SVG bar charts
//! (no JavaScript), each with a text alternative (`role="img"`, `<title>`, `<desc>` and a data
//! table in `<details>`).

use std::fmt::Write;

use super::data::{AppRow, Applicant, ReportData, ResultGroup};
use super::html::esc;

/// A figure compared across years.
struct Metric {
    label: &'static str,
    value: fn(&ReportData) -> u64,
}

fn t(r: &ReportData, row: AppRow) -> u64 {
    r.applications.cell(row, Applicant::Total)
}

const METRICS: &[Metric] = &[
    Metric {
        label: "本年新收政府信息公开申请",
        value: |r| t(r, AppRow::NewReceived),
    },
    Metric {
        label: "上年结转政府信息公开申请",
        value: |r| t(r, AppRow::CarriedOver),
    },
    Metric {
        label: "予以公开",
        value: |r| t(r, AppRow::Granted),
    },
    Metric {
        label: "部分公开",
        value: |r| t(r, AppRow::PartiallyGranted),
    },
    Metric {
        label: "不予公开",
        value: |r| r.applications.group_total(ResultGroup::Denied),
    },
    Metric {
        label: "无法提供",
        value: |r| r.applications.group_total(ResultGroup::Unable),
    },
    Metric {
        label: "不予处理",
        value: |r| r.applications.group_total(ResultGroup::NotProcessed),
    },
    Metric {
        label: "其他处理",
        value: |r| r.applications.group_total(ResultGroup::Other),
    },
    Metric {
        label: "办理结果总计",
        value: |r| t(r, AppRow::TotalProcessed),
    },
    Metric {
        label: "结转下年度继续办理",
        value: |r| t(r, AppRow::CarriedForward),
    },
    Metric {
        label: "行政许可处理决定",
        value: |r| r.active.licensing_decisions(),
    },
    Metric {
        label: "行政处罚处理决定",
        value: |r| r.active.punishment_decisions(),
    },
    Metric {
        label: "行政强制处理决定",
        value: |r| r.active.coercion_decisions(),
    },
    Metric {
        label: "被申请行政复议",
        value: |r| r.review.review[4],
    },
    Metric {
        label: "被提起行政诉讼",
        value: |r| r.review.litigation_total(),
    },
];

/// Indices into [`METRICS`] of the stacked handling results, and their colours.
const RESULTS: [(usize, &str); 6] = [
    (2, "#1f5fa8"),
    (3, "#5b9bd5"),
    (4, "#c0392b"),
    (5, "#e67e22"),
    (6, "#7f8c3a"),
    (7, "#7d5ba6"),
];
const NEW: (usize, &str) = (0, "#555555");
const DECISIONS: [(usize, &str); 2] = [(10, "#1f5fa8"), (11, "#c0392b")];

/// A bar is a stack of (metric index, colour).
type Bar = &'static [(usize, &'static str)];

/// See [`super::comparison_html`].
pub(super) fn comparison_html(reports: &[(&ReportData, &str)]) -> String {
    if reports.len() < 2 {
        return String::new();
    }
    let mut s = String::new();
    s.push_str(
        "<section class=\"report-comparison\" aria-labelledby=\"report-comparison-title\">\n",
    );
    s.push_str("<h2 id=\"report-comparison-title\">历年数据对比</h2>\n");
    table(&mut s, reports);
    chart(
        &mut s,
        reports,
        "report-chart-applications",
        "历年政府信息公开申请收到和办理情况（件）",
        &[&[NEW], &RESULTS],
    );
    chart(
        &mut s,
        reports,
        "report-chart-decisions",
        "历年行政许可、行政处罚处理决定数量（件）",
        &[&DECISIONS[..1], &DECISIONS[1..]],
    );
    s.push_str("</section>\n");
    s
}

fn year_label(r: &ReportData) -> String {
    format!("{}年", r.year)
}

/// The year-over-year table: a row per figure, a column per year, and the change of the last
/// year against the one before.
fn table(s: &mut String, reports: &[(&ReportData, &str)]) {
    let (last, before) = (reports[reports.len() - 1].0, reports[reports.len() - 2].0);
    s.push_str(
        "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"report-comparison-caption\" tabindex=\"0\">\n\
         <table class=\"report-table report-comparison-table\">\n\
         <caption id=\"report-comparison-caption\">历年政府信息公开工作年度报告主要数据（单位：件）</caption>\n\
         <thead>\n<tr><th scope=\"col\">项目</th>",
    );
    for (r, url) in reports {
        let _ = write!(
            s,
            "<th scope=\"col\"><a href=\"{}\">{}</a></th>",
            esc(url),
            esc(&year_label(r))
        );
    }
    let _ = write!(
        s,
        "<th scope=\"col\">{}较{}增减</th></tr>\n</thead>\n<tbody>\n",
        year_label(last),
        year_label(before)
    );
    for m in METRICS {
        let _ = write!(s, "<tr><th scope=\"row\">{}</th>", esc(m.label));
        for (r, _) in reports {
            let _ = write!(s, "<td>{}</td>", (m.value)(r));
        }
        let d = (m.value)(last) as i128 - (m.value)(before) as i128;
        let change = match d {
            0 => "0".to_string(),
            d if d > 0 => format!("+{d}"),
            d => format!("−{}", -d),
        };
        let _ = writeln!(s, "<td>{change}</td></tr>");
    }
    s.push_str("</tbody>\n</table>\n</div>\n");
}

/// The smallest "nice" step (1, 2, 5 × 10ⁿ) with four steps reaching `max`.
fn nice_step(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step * m * 4 >= max {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// A number for SVG coordinates: one decimal at most, no trailing `.0`.
fn px(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

const LEFT: f64 = 48.0;
const TOP: f64 = 24.0;
const PLOT_H: f64 = 180.0;
const BAR_W: f64 = 24.0;
const BAR_GAP: f64 = 4.0;
const GROUP_GAP: f64 = 32.0;
/// Room for a legend entry: swatch and the longest label (12 characters of 12 px).
const LEGEND_W: f64 = 180.0;
const MIN_W: f64 = LEFT + 2.0 * LEGEND_W + 8.0;

/// A bar chart: per year a group of `bars`, each a stack of metrics. Totals are written above
/// each bar, so colour is not the only carrier of the figures.
fn chart(s: &mut String, reports: &[(&ReportData, &str)], id: &str, title: &str, bars: &[Bar]) {
    let value = |r: &ReportData, i: usize| (METRICS[i].value)(r);
    let max = reports
        .iter()
        .flat_map(|(r, _)| {
            bars.iter()
                .map(|b| b.iter().map(|(i, _)| value(r, *i)).sum::<u64>())
        })
        .max()
        .unwrap_or(0);
    let step = nice_step(max);
    let top_value = (step * 4) as f64;
    let group_w = bars.len() as f64 * (BAR_W + BAR_GAP) - BAR_GAP;
    let groups_w = reports.len() as f64 * (group_w + GROUP_GAP);
    let width = (LEFT + groups_w + 8.0).max(MIN_W);
    // Groups centred in the plot when the legend makes the chart wider than they need.
    let x0 = LEFT + (width - 8.0 - LEFT - groups_w) / 2.0;
    let legend: Vec<(usize, &str)> = bars.iter().flat_map(|b| b.iter().copied()).collect();
    let per_line = (((width - LEFT - 8.0) / LEGEND_W) as usize).max(1);
    let legend_y = TOP + PLOT_H + 44.0;
    let height = legend_y + legend.len().div_ceil(per_line) as f64 * 20.0;
    let y = |v: f64| TOP + PLOT_H - v / top_value * PLOT_H;

    let first = reports[0].0.year;
    let last = reports[reports.len() - 1].0.year;
    let mut desc = format!("{first}年至{last}年。");
    for (r, _) in reports {
        let parts: Vec<String> = legend
            .iter()
            .map(|(i, _)| format!("{}{}件", METRICS[*i].label, value(r, *i)))
            .collect();
        let _ = write!(desc, "{}：{}。", year_label(r), parts.join("，"));
    }

    let _ = write!(
        s,
        "<figure class=\"report-chart\" id=\"{id}\">\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <title id=\"{id}-title\">{t}</title>\n<desc id=\"{id}-desc\">{d}</desc>\n",
        w = px(width),
        h = px(height),
        t = esc(title),
        d = esc(&desc)
    );
    // Grid and y-axis labels.
    for k in 0..=4u64 {
        let v = step * k;
        let yy = px(y(v as f64));
        let _ = writeln!(
            s,
            "<line x1=\"{l}\" y1=\"{yy}\" x2=\"{r}\" y2=\"{yy}\" stroke=\"#cccccc\" stroke-width=\"1\"/>\
             <text x=\"{tx}\" y=\"{yy}\" dy=\"4\" text-anchor=\"end\" fill=\"#333333\">{v}</text>",
            l = px(LEFT),
            r = px(width - 8.0),
            tx = px(LEFT - 6.0),
        );
    }
    for (g, (r, _)) in reports.iter().enumerate() {
        let gx = x0 + GROUP_GAP / 2.0 + g as f64 * (group_w + GROUP_GAP);
        for (b, bar) in bars.iter().enumerate() {
            let x = gx + b as f64 * (BAR_W + BAR_GAP);
            let mut base = 0u64;
            for (i, colour) in bar.iter() {
                let v = value(r, *i);
                if v == 0 {
                    continue;
                }
                let (y0, y1) = (y(base as f64), y((base + v) as f64));
                let _ = writeln!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"><title>{}</title></rect>",
                    px(x),
                    px(y1),
                    px(BAR_W),
                    px(y0 - y1),
                    esc(&format!("{} {}：{}件", year_label(r), METRICS[*i].label, v))
                );
                base += v;
            }
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333333\">{base}</text>",
                px(x + BAR_W / 2.0),
                px(y(base as f64) - 4.0)
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333333\">{}</text>",
            px(gx + group_w / 2.0),
            px(TOP + PLOT_H + 18.0),
            esc(&year_label(r))
        );
    }
    // Legend, as many entries a line as fit.
    for (k, (i, colour)) in legend.iter().enumerate() {
        let lx = LEFT + (k % per_line) as f64 * LEGEND_W;
        let ly = legend_y + (k / per_line) as f64 * 20.0;
        let _ = writeln!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>\
             <text x=\"{}\" y=\"{}\" fill=\"#333333\">{}</text>",
            px(lx),
            px(ly - 10.0),
            px(lx + 16.0),
            px(ly),
            esc(METRICS[*i].label)
        );
    }
    s.push_str("</svg>\n");
    let _ = writeln!(s, "<figcaption>{}</figcaption>", esc(title));
    // The text alternative: the chart's figures as a table.
    let _ = write!(
        s,
        "<details>\n<summary>查看图表数据</summary>\n<table class=\"report-table\">\n<caption>{}</caption>\n<thead>\n<tr><th scope=\"col\">年度</th>",
        esc(title)
    );
    for (i, _) in &legend {
        let _ = write!(s, "<th scope=\"col\">{}</th>", esc(METRICS[*i].label));
    }
    s.push_str("</tr>\n</thead>\n<tbody>\n");
    for (r, _) in reports {
        let _ = write!(s, "<tr><th scope=\"row\">{}</th>", esc(&year_label(r)));
        for (i, _) in &legend {
            let _ = write!(s, "<td>{}</td>", value(r, *i));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</details>\n</figure>\n");
}

#[cfg(test)]
mod tests {
    use super::super::data::{AppRow, ReportData};
    use super::super::fixtures::{report_2019, seed};
    use super::{comparison_html, nice_step};

    fn three() -> (ReportData, ReportData, ReportData) {
        let a = report_2019();
        let mut b = seed();
        b.year = 2020;
        b.applications
            .rows
            .insert(AppRow::Granted, [30, 2, 0, 0, 0, 0, 32]);
        let c = seed();
        (a, b, c)
    }

    #[test]
    fn one_report_gives_nothing() {
        let r = seed();
        assert_eq!(comparison_html(&[(&r, "/reports/2021/")]), "");
        assert_eq!(comparison_html(&[]), "");
    }

    #[test]
    fn three_reports_give_a_table_and_two_accessible_charts() {
        let (a, b, c) = three();
        let html = comparison_html(&[(&a, "/r/2019/"), (&b, "/r/2020/?a=1&b=2"), (&c, "/r/2021/")]);
        assert_eq!(html.matches("<svg").count(), 2);
        assert_eq!(html.matches("role=\"img\"").count(), 2);
        assert_eq!(html.matches("<title id=").count(), 2);
        assert_eq!(html.matches("<details>").count(), 2);
        assert!(html.contains(
            "aria-labelledby=\"report-chart-applications-title report-chart-applications-desc\""
        ));
        assert!(html.contains("<a href=\"/r/2020/?a=1&amp;b=2\">2020年</a>"));
        assert!(html.contains("<th scope=\"col\">2021年较2020年增减</th>"));
        // 予以公开: 2 (2019), 32 (2020), 3 (2021); change −29.
        assert!(html.contains(
            "<tr><th scope=\"row\">予以公开</th><td>2</td><td>32</td><td>3</td><td>−29</td></tr>"
        ));
        assert!(html.contains("<tr><th scope=\"row\">行政许可处理决定</th><td>430</td><td>514</td><td>514</td><td>0</td></tr>"));
        assert!(html.contains("<title>2020年 予以公开：32件</title>"));
        assert!(html.contains("<desc id=\"report-chart-decisions-desc\">2019年至2021年。2019年：行政许可处理决定430件，行政处罚处理决定388件。"));
        assert_eq!(
            html,
            comparison_html(&[(&a, "/r/2019/"), (&b, "/r/2020/?a=1&b=2"), (&c, "/r/2021/")])
        );
    }

    #[test]
    fn nice_steps() {
        assert_eq!(
            [0, 1, 4, 5, 8, 9, 40, 41, 514, 2000].map(nice_step),
            [1, 1, 1, 2, 2, 5, 10, 20, 200, 500]
        );
    }
}
