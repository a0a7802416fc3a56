//! 公开时限: the wording a catalog prints ("制定或获取信息之日起10个工作日内,公示7个工作日") read
//! into a machine reading — the event the clock starts at, the number of working or calendar
//! days, a following 公示 window, an extension, or a standing (长期/永久) disclosure.
//!
//! The patterns are those of catalog-reference.md §2 (P1–P10); [`PATTERNS`] lists them for
//! the error an unreadable wording gets.

use serde::Serialize;

/// The event the clock starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// 制定/获取/制作: the document was made or received.
    Made,
    /// 形成/变更/产生: the information was created or changed.
    Formed,
    /// 收到申请: a request (依申请公开).
    Request,
    /// 作出决定: a decision.
    Decision,
    /// 批准/批复: an approval (人大批准, 财政批复).
    Approval,
}

impl Trigger {
    /// Chinese label, as in "自…之日起".
    pub fn label(self) -> &'static str {
        match self {
            Trigger::Made => "制定或获取",
            Trigger::Formed => "形成或变更",
            Trigger::Request => "收到申请",
            Trigger::Decision => "作出决定",
            Trigger::Approval => "批准或批复",
        }
    }
}

/// Working days or calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 个工作日.
    Workdays,
    /// 日 (calendar days).
    Days,
}

impl Unit {
    /// 个工作日 / 日.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Workdays => "个工作日",
            Unit::Days => "日",
        }
    }
}

/// One limit: N (working) days after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limit {
    /// The event.
    pub trigger: Trigger,
    /// N.
    pub days: u32,
    /// Working or calendar days.
    pub unit: Unit,
    /// True if the wording names no event ("20个工作日") and 形成或变更 was assumed.
    pub assumed_trigger: bool,
}

/// The machine reading of a 公开时限.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reading {
    /// The limits, in the order written (a split rule has one per element).
    pub limits: Vec<Limit>,
    /// 长期公开 / 永久公开 / 动态调整 / 及时公开: (also) a standing disclosure without a deadline.
    pub standing: bool,
    /// 公示N个工作日: the display window after publication.
    pub display_workdays: Option<u32>,
    /// 可延长N个工作日.
    pub extension_workdays: Option<u32>,
    /// 征求意见期限不得少于N日.
    pub comment_days: Option<u32>,
}

impl Reading {
    /// The limit a document is held to: the most lenient of several (a split rule's elements
    /// cannot be told apart from a document's metadata), with the extension added.
    pub fn governing(&self) -> Option<Limit> {
        let mut l = *self.limits.iter().max_by_key(|l| {
            (
                l.unit == Unit::Days,
                l.days + self.extension_workdays.unwrap_or(0),
            )
        })?;
        if l.unit == Unit::Workdays {
            l.days += self.extension_workdays.unwrap_or(0);
        }
        Some(l)
    }

    /// A short Chinese description: `形成或变更之日起 20 个工作日内；公示 7 个工作日`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .limits
            .iter()
            .map(|l| {
                let t = if l.assumed_trigger {
                    "（未写起算事件，按形成或变更）".to_string()
                } else {
                    String::new()
                };
                format!(
                    "{}之日起 {} {}内{t}",
                    l.trigger.label(),
                    l.days,
                    l.unit.label()
                )
            })
            .collect();
        if self.standing {
            parts.push("长期公开".into());
        }
        if let Some(n) = self.extension_workdays {
            parts.push(format!("可延长 {n} 个工作日"));
        }
        if let Some(n) = self.display_workdays {
            parts.push(format!("公示 {n} 个工作日"));
        }
        if let Some(n) = self.comment_days {
            parts.push(format!("征求意见不少于 {n} 日"));
        }
        parts.join("；")
    }
}

/// The wordings understood, for the error an unreadable 公开时限 gets.
pub const PATTERNS: &[&str] = &[
    "制定或获取信息之日起10个工作日内",
    "制定或获取信息之日起10个工作日内,公示7个工作日",
    "（自）信息形成或（者）变更之日起20个工作日内（予以）公开",
    "自制作或获取该信息之日起20个工作日内公开",
    "自收到申请之日起20个工作日内公开",
    "本级人民代表大会或其常务委员会批准后20日内（日 = 自然日）",
    "作出决定之日起7个工作日内;情况复杂的,经本单位负责人批准,可延长7个工作日",
    "1.除处罚决定外其他内容:长期公开(动态调整);2.处罚决定:20个工作日内",
    "20个工作日",
    "永久公开 / 长期公开 / 及时公开,公告期限为5个工作日",
    "信息形成或者变更之日起20个工作日内予以公开;征求意见期限不得少于30日",
];

/// Why a wording could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The normalised wording.
    pub normalised: String,
}

/// Strips what PDF/HTML tables insert (spaces, line breaks), unifies punctuation and digits,
/// and maps 或者 → 或.
pub fn normalise(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '，' | '、' => ',',
            '；' => ';',
            '：' => ':',
            '（' => '(',
            '）' => ')',
            '．' => '.',
            '。' => ';',
            c if c.is_whitespace() || c == '\u{3000}' => continue,
            c => c,
        };
        s.push(c);
    }
    s.replace("或者", "或").replace(['[', ']'], "")
}

/// The first `N个工作日` / `N日` / `N天` in `seg`: (byte offset of the number, N, unit).
fn duration(seg: &str) -> Option<(usize, u32, Unit)> {
    let b = seg.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let n: u32 = seg[start..i].parse().ok()?;
            let rest = seg[i..].strip_prefix('个').unwrap_or(&seg[i..]);
            if rest.starts_with("工作日") {
                return Some((start, n, Unit::Workdays));
            }
            if rest.starts_with('日') || rest.starts_with('天') {
                // "2016-2020年" or "第649号" are not durations; 日 right after the number is.
                return Some((start, n, Unit::Days));
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The event named before the duration.
fn trigger(before: &str) -> Option<Trigger> {
    const ORDER: &[(&str, Trigger)] = &[
        ("收到申请", Trigger::Request),
        ("作出决定", Trigger::Decision),
        ("决定作出", Trigger::Decision),
        ("决定形成", Trigger::Decision),
        ("批准", Trigger::Approval),
        ("批复", Trigger::Approval),
        ("制定", Trigger::Made),
        ("获取", Trigger::Made),
        ("制作", Trigger::Made),
        ("形成", Trigger::Formed),
        ("变更", Trigger::Formed),
        ("产生", Trigger::Formed),
    ];
    ORDER
        .iter()
        .find(|(w, _)| before.contains(w))
        .map(|(_, t)| *t)
}

/// Reads a 公开时限 wording.
pub fn parse(text: &str) -> Result<Reading, Unreadable> {
    let norm = normalise(text);
    let mut r = Reading::default();
    for seg in norm.split([';', ',']).filter(|s| !s.is_empty()) {
        // A list marker "1." / "2." opens an element of a split rule.
        let digits = seg.len() - seg.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let seg = match seg[digits..].strip_prefix('.') {
            Some(rest) if digits > 0 => rest,
            _ => seg,
        };
        if ["长期公开", "永久公开", "动态调整", "及时公开", "长期"]
            .iter()
            .any(|w| seg.contains(w))
            && duration(seg).is_none()
        {
            r.standing = true;
            continue;
        }
        let Some((at, n, unit)) = duration(seg) else {
            continue;
        };
        if seg.contains("可延长") {
            r.extension_workdays = Some(n);
        } else if seg.contains("公示") || seg.contains("公告期限") {
            r.display_workdays = Some(n);
        } else if seg.contains("征求意见") {
            r.comment_days = Some(n);
        } else {
            let before = &seg[..at];
            let (trigger, assumed) = match trigger(before) {
                Some(t) => (t, false),
                None if before.contains("决定") => (Trigger::Decision, false),
                None => (Trigger::Formed, true),
            };
            r.limits.push(Limit {
                trigger,
                days: n,
                unit,
                assumed_trigger: assumed,
            });
        }
    }
    if r.limits.is_empty() && !r.standing {
        return Err(Unreadable { normalised: norm });
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Limit {
        let r = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(r.limits.len(), 1, "{text}: {r:?}");
        r.limits[0]
    }

    fn wd(trigger: Trigger, days: u32) -> Limit {
        Limit {
            trigger,
            days,
            unit: Unit::Workdays,
            assumed_trigger: false,
        }
    }

    #[test]
    fn p1_made_or_obtained() {
        for t in [
            "制定或获取信息之日起10个工作日内",
            "制定或获取备案政策之日起10个工作日内",
            "制定或获取扶持补贴政策之日起10个工作日内",
            "制定或获取补贴政策之日起10个工作日内",
            "制定或获取文件之日起10个工作日内",
            "制定或获取扶持政策措施之日起10个工作日内",
            "制定或获取指南之日起10个工作日内",
            "制 定 或 获 取 信 息之日起 10 个 工作日内",
        ] {
            assert_eq!(one(t), wd(Trigger::Made, 10), "{t}");
        }
    }

    #[test]
    fn p1_with_display_window() {
        let r = parse("制定或获取信息之日起10个工作日内,公示7个工作日").unwrap();
        assert_eq!(r.limits, vec![wd(Trigger::Made, 10)]);
        assert_eq!(r.display_workdays, Some(7));
        assert_eq!(
            r.describe(),
            "制定或获取之日起 10 个工作日内；公示 7 个工作日"
        );
    }

    #[test]
    fn p2_formed_or_changed() {
        for (t, n) in [
            ("形成或者变更之日起20个工作日内予以公开", 20),
            ("信息形成或变更之日起20个工作日内", 20),
            ("信息形成或变更之日起20个工作日内公开", 20),
            ("公开事项信息形成或变更之日起20个工作日内公开", 20),
            ("自信息形成或者变更之日起20个工作日内予以公开", 20),
            ("信息形成或者变更之日起20个工作日内予以公开", 20),
            ("自信息形\n成或者变\n更之日起20个工作日内予以公开", 20),
            ("信息形成或变更之日起3个工作日内", 3),
            ("自信息形成或者变更之日起7个工作日内予以公开", 7),
            ("信息形成或变更之日起10个工作日内", 10),
            ("信息形成(变更)20个工作日内", 20),
            ("信息形成20个工作日内公开", 20),
            ("自该政府信息形成或者变更之日起20个工作日内及时公开", 20),
        ] {
            assert_eq!(one(t), wd(Trigger::Formed, n), "{t}");
        }
    }

    #[test]
    fn p3_p4_made_and_request() {
        assert_eq!(
            one("自制作或获取该信息之日起20个工作日内公开"),
            wd(Trigger::Made, 20)
        );
        assert_eq!(
            one("自收到申请之日起20个工作日内公开"),
            wd(Trigger::Request, 20)
        );
    }

    #[test]
    fn p5_calendar_days_after_approval() {
        for t in [
            "本级人民代表大会或其常务委员会批准后20日内",
            "人大会议批复后20日内",
            "本级政府财政部门批复后20日内",
        ] {
            let l = one(t);
            assert_eq!(
                (l.trigger, l.days, l.unit),
                (Trigger::Approval, 20, Unit::Days),
                "{t}"
            );
        }
    }

    #[test]
    fn p6_decision_with_extension_and_two_rules() {
        let r = parse("作出决定之日起7个工作日内;情况复杂的,经本单位负责人批准,可延长7个工作日")
            .unwrap();
        assert_eq!(r.limits, vec![wd(Trigger::Decision, 7)]);
        assert_eq!(r.extension_workdays, Some(7));
        assert_eq!(r.governing().unwrap().days, 14);
        let r = parse("执法决定信息在决定作出之日起7个工作日内公开,其他相关信息形成或变更之日起20个工作日内公开").unwrap();
        assert_eq!(
            r.limits,
            vec![wd(Trigger::Decision, 7), wd(Trigger::Formed, 20)]
        );
        assert_eq!(r.governing().unwrap().days, 20);
        assert_eq!(
            one("行政处罚决定形成之日起20个工作日内"),
            wd(Trigger::Decision, 20)
        );
    }

    #[test]
    fn p7_split_rule() {
        let r =
            parse("1.除处罚决定外其他内容:长期公开(动态调整);2.处罚决定:20个工作日内。").unwrap();
        assert!(r.standing);
        assert_eq!(r.limits, vec![wd(Trigger::Decision, 20)]);
    }

    #[test]
    fn p8_bare_duration_assumes_formed() {
        let l = one("20个工作日");
        assert_eq!(
            (l.trigger, l.days, l.assumed_trigger),
            (Trigger::Formed, 20, true)
        );
    }

    #[test]
    fn p9_standing() {
        for t in ["永久公开", "长期公开", "长期公开（动态调整）"] {
            let r = parse(t).unwrap();
            assert!(r.standing && r.limits.is_empty(), "{t}");
        }
        let r = parse(
            "信息产生、变更之日起20个工作日内公开,保持长期公开(相关政策法规另有规定的应从其规定)",
        )
        .unwrap();
        assert_eq!(r.limits, vec![wd(Trigger::Formed, 20)]);
        assert!(r.standing);
        let r = parse("及时公开,公告期限为5个工作日").unwrap();
        assert!(r.standing && r.limits.is_empty());
        assert_eq!(r.display_workdays, Some(5));
    }

    #[test]
    fn p10_comment_period() {
        let r =
            parse("信息形成或者变更之日起20个工作日内予以公开;征求意见期限不得少于30日").unwrap();
        assert_eq!(r.limits, vec![wd(Trigger::Formed, 20)]);
        assert_eq!(r.comment_days, Some(30));
    }

    #[test]
    fn unreadable_wordings() {
        for t in ["尽快", "每年3月前", "实时", "按规定"] {
            assert!(parse(t).is_err(), "{t}");
        }
    }

    #[test]
    fn every_listed_pattern_parses() {
        for p in PATTERNS {
            let t = p
                .replace("（日 = 自然日）", "")
                .replace("（", "")
                .replace("）", "");
            for alt in t.split(" / ") {
                assert!(parse(alt).is_ok(), "{alt}");
            }
        }
    }
}
