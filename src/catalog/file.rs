//! Reading a `content/catalog/<slug>.yaml` file into its [`Matter`]s (with the file's
//! `defaults:`), every fault located (file, line, key) and explained in Chinese.

use crate::t;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::deadline;
use super::matter::{Audience, CHANNELS, Deadline, FILE_KEYS, Level, MATTER_KEYS, Matter, Mode};
use crate::diagnostic::Diagnostic;
use crate::yaml_fields::{KeyLines, closest, describe};

/// Reads the `matters:` of one catalog file of domain `domain` (`slug`). `lines` locate keys.
pub fn read_file(
    map: &Mapping,
    domain: usize,
    slug: &str,
    file: &Path,
    lines: &KeyLines,
) -> (Vec<Matter>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out = Vec::new();
    for k in map.keys() {
        let name = k.as_str().unwrap_or_default();
        if !FILE_KEYS.contains(&name) {
            diags.push(unknown_key(name, FILE_KEYS, file, lines.line_of(&[name])));
        }
    }
    let empty = Mapping::new();
    let defaults = match map.get("defaults") {
        None | Some(Value::Null) => &empty,
        Some(Value::Mapping(m)) => m,
        Some(other) => {
            diags.push(
                Diagnostic::error("catalog/type", t!("catalog.type"))
                    .file(file)
                    .line(lines.line_of(&["defaults"]))
                    .key("defaults")
                    .found(describe(other)),
            );
            &empty
        }
    };
    let defaults_line = lines.line_of(&["defaults"]);
    for k in defaults.keys() {
        let name = k.as_str().unwrap_or_default();
        if !MATTER_KEYS.contains(&name) || name == "id" {
            diags.push(unknown_key(name, MATTER_KEYS, file, defaults_line));
        }
    }
    let seq = match map.get("matters") {
        Some(Value::Sequence(s)) => s.as_slice(),
        other => {
            diags.push(
                Diagnostic::error("catalog/missing", t!("catalog.missing"))
                    .file(file)
                    .line(lines.line_of(&["matters"]).or(Some(1)))
                    .key("matters")
                    .expected(t!("catalog.missing.expected"))
                    .found(
                        other
                            .map(describe)
                            .unwrap_or_else(|| t!("catalog.no-such-key")),
                    ),
            );
            return (out, diags);
        }
    };
    let entry_lines = entry_lines(lines, seq.len());
    for (n, entry) in seq.iter().enumerate() {
        let line = entry_lines.get(n).copied().flatten();
        let Value::Mapping(m) = entry else {
            diags.push(
                Diagnostic::error("catalog/type", t!("catalog.type-2", number = n + 1))
                    .file(file)
                    .line(line)
                    .key("matters")
                    .found(describe(entry)),
            );
            continue;
        };
        let end = entry_lines.get(n + 1).copied().flatten();
        let mut r = EntryReader {
            m,
            defaults,
            file,
            line,
            end,
            lines,
            diags: &mut diags,
            n: n + 1,
        };
        if let Some(matter) = r.read(domain, slug) {
            if out.iter().any(|o: &Matter| o.id == matter.id) {
                diags.push(
                    Diagnostic::error("catalog/duplicate-id", t!("catalog.duplicate-id"))
                        .file(file)
                        .line(line)
                        .key("id")
                        .found(matter.id.clone())
                        .hint(t!("catalog.duplicate-id.hint")),
                );
                continue;
            }
            out.push(matter);
        }
    }
    (out, diags)
}

fn unknown_key(name: &str, known: &[&str], file: &Path, line: Option<usize>) -> Diagnostic {
    let hint = closest(name, known)
        .map(|c| t!("catalog.unknown-key.did-you-mean", c))
        .unwrap_or_else(|| t!("catalog.unknown-key.known", known = known.join("、")));
    Diagnostic::warning("catalog/unknown-key", t!("catalog.unknown-key"))
        .file(file)
        .line(line)
        .key(name.to_string())
        .hint(hint)
}

/// File lines of the `- ` entries under `matters:` (best effort).
fn entry_lines(lines: &KeyLines, count: usize) -> Vec<Option<usize>> {
    let Some(start) = lines.line_of(&["matters"]) else {
        return vec![None; count];
    };
    lines
        .lines_from(start)
        .filter(|(_, l)| l.trim_start().starts_with("- ") || l.trim() == "-")
        .map(|(n, l)| (n, l.len() - l.trim_start().len()))
        .scan(None, |indent: &mut Option<usize>, (n, i)| {
            let first = *indent.get_or_insert(i);
            Some((n, i == first))
        })
        .filter(|(_, top)| *top)
        .map(|(n, _)| Some(n))
        .take(count)
        .collect()
}

struct EntryReader<'a> {
    m: &'a Mapping,
    defaults: &'a Mapping,
    file: &'a Path,
    line: Option<usize>,
    /// Line of the next entry, where this one ends.
    end: Option<usize>,
    lines: &'a KeyLines,
    diags: &'a mut Vec<Diagnostic>,
    n: usize,
}

impl<'a> EntryReader<'a> {
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.m
            .get(key)
            .or_else(|| self.defaults.get(key))
            .filter(|v| !v.is_null())
    }

    /// The line of `key` inside this entry, else the entry's line.
    fn key_line(&self, key: &str) -> Option<usize> {
        let start = self.line?;
        self.lines
            .lines_from(start)
            .take_while(|(n, _)| self.end.is_none_or(|e| *n < e))
            .find(|(_, l)| {
                let t = l.trim_start().trim_start_matches("- ");
                t.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map(|(n, _)| n)
            .or(self.line)
    }

    fn err(&self, rule: &'static str, key: &str, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::error(rule, t!("catalog.file", n = self.n, problem = msg.into()))
            .file(self.file)
            .line(self.key_line(key))
            .key(key.to_string())
    }

    fn text(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            other => {
                let found = describe(other);
                let d = self
                    .err("catalog/type", key, t!("catalog.file-2"))
                    .expected(t!("catalog.file.expected"))
                    .found(found);
                self.diags.push(d);
                None
            }
        }
    }

    fn list(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        match crate::yaml_fields::text_list(v, false) {
            Some((out, bad)) => {
                for other in bad {
                    let d = self
                        .err("catalog/type", key, t!("catalog.file-3"))
                        .expected(t!("catalog.file.expected-2"))
                        .found(describe(other));
                    self.diags.push(d);
                }
                out
            }
            None => {
                let d = self
                    .err("catalog/type", key, t!("catalog.file-2"))
                    .expected(t!("catalog.file.expected-3"))
                    .found(describe(v));
                self.diags.push(d);
                Vec::new()
            }
        }
    }

    /// A required cell: missing is an error unless the row is marked `unseen:`.
    fn required(&mut self, key: &str, label: &str, unseen: bool) -> String {
        match self.text(key) {
            Some(s) if !s.is_empty() => s,
            _ if unseen => String::new(),
            _ => {
                let d = self
                    .err("catalog/missing", key, t!("catalog.file-4", label))
                    .expected(t!("catalog.file.expected-4", key, label))
                    .found(t!("catalog.file.found"))
                    .hint(t!("catalog.file.hint"));
                self.diags.push(d);
                String::new()
            }
        }
    }

    fn read(&mut self, domain: usize, slug: &str) -> Option<Matter> {
        let unseen = self.text("unseen").unwrap_or_default();
        let has_unseen = !unseen.is_empty();
        for k in self.m.keys() {
            let name = k.as_str().unwrap_or_default();
            if !MATTER_KEYS.contains(&name) {
                self.diags
                    .push(unknown_key(name, MATTER_KEYS, self.file, self.line));
            }
        }
        let id = match self.m.get("id").and_then(Value::as_str).map(str::trim) {
            Some(id)
                if !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
            {
                id.to_string()
            }
            other => {
                let d = self
                    .err("catalog/id", "id", t!("catalog.file-5"))
                    .expected(t!("catalog.file.expected-5"))
                    .found(
                        other
                            .map(|s| format!("\"{s}\""))
                            .unwrap_or_else(|| t!("catalog.file.found")),
                    )
                    .hint(t!("catalog.file.hint-2", slug));
                self.diags.push(d);
                return None;
            }
        };
        let level1 = self.required("level1", "一级事项", false);
        let level2 = self.text("level2").unwrap_or_default();
        let level3 = self.text("level3").unwrap_or_default();
        let content = self.required("content", "公开内容（要素）", has_unseen);
        let basis = self.required("basis", "公开依据", has_unseen);
        let subject = self.required("subject", "公开主体", has_unseen);
        let deadline_text = self.required("deadline", "公开时限", has_unseen);
        let deadline = if deadline_text.is_empty() {
            None
        } else {
            match deadline::parse(&deadline_text) {
                Ok(reading) => Some(Deadline {
                    text: deadline_text,
                    reading,
                }),
                Err(_) => {
                    let d = self
                        .err("catalog/deadline", "deadline", t!("catalog.file-6"))
                        .expected(t!(
                            "catalog.file.expected-6",
                            patterns = deadline::PATTERNS.join("｜")
                        ))
                        .found(format!("\"{deadline_text}\""))
                        .hint(t!("catalog.file.hint-3"));
                    self.diags.push(d);
                    None
                }
            }
        };
        let mut channels = Vec::new();
        let mut other_channels = self.list("other_channels");
        for c in self.list("channels") {
            let bare = c.trim_start_matches(['■', '□']).trim();
            match CHANNELS
                .iter()
                .position(|k| normalise_channel(k) == normalise_channel(bare))
            {
                Some(i) => channels.push(i),
                None if bare.starts_with("其他") => {
                    let rest = bare
                        .trim_start_matches("其他")
                        .trim_start_matches([':', '：']);
                    other_channels.push(rest.to_string());
                }
                None => {
                    let d = self
                        .err("catalog/channel", "channels", t!("catalog.file-7"))
                        .expected(t!(
                            "catalog.file.expected-7",
                            channels = CHANNELS.join("、")
                        ))
                        .found(format!("\"{c}\""));
                    self.diags.push(d);
                }
            }
        }
        if !other_channels.is_empty() && !channels.contains(&12) {
            channels.push(12);
        }
        channels.sort_unstable();
        channels.dedup();
        if channels.is_empty() && !has_unseen {
            let d = self
                .err("catalog/missing", "channels", t!("catalog.file-8"))
                .expected(t!(
                    "catalog.file.expected-8",
                    channels = CHANNELS.join("、")
                ))
                .found(t!("catalog.file.found"));
            self.diags.push(d);
        }
        let audience = self.choice(
            "audience",
            "公开对象",
            &[
                ("全社会", Audience::Public),
                ("public", Audience::Public),
                ("特定群体", Audience::Specific),
                ("特定群众", Audience::Specific),
                ("specific", Audience::Specific),
            ],
            has_unseen,
        );
        let audience_note = self.text("audience_note").unwrap_or_default();
        let mode = self.choice(
            "disclosure",
            "公开方式",
            &[
                ("主动", Mode::Proactive),
                ("主动公开", Mode::Proactive),
                ("proactive", Mode::Proactive),
                ("依申请", Mode::OnRequest),
                ("依申请公开", Mode::OnRequest),
                ("on_request", Mode::OnRequest),
            ],
            has_unseen,
        );
        let mut levels = Vec::new();
        for l in self.list("levels") {
            let lv = match l.as_str() {
                "县级" | "区级" | "市级" | "县(区)级" | "county" => Some(Level::County),
                "乡级" | "乡镇级" | "镇级" | "街道" | "街道级" | "镇街级" | "镇(街)级"
                | "乡、村级" | "township" => Some(Level::Township),
                _ => None,
            };
            match lv {
                Some(v) if !levels.contains(&v) => levels.push(v),
                Some(_) => {}
                None => {
                    let d = self
                        .err("catalog/level", "levels", t!("catalog.file-9"))
                        .expected(t!("catalog.file.expected-9"))
                        .found(format!("\"{l}\""));
                    self.diags.push(d);
                }
            }
        }
        if levels.is_empty() && !has_unseen {
            let d = self
                .err("catalog/missing", "levels", t!("catalog.file-10"))
                .expected(t!("catalog.file.expected-10"))
                .found(t!("catalog.file.found"));
            self.diags.push(d);
        }
        Some(Matter {
            domain,
            id: format!("{slug}/{id}"),
            level1,
            level2,
            level3,
            content,
            basis,
            deadline,
            subject,
            channels,
            other_channels,
            audience,
            audience_note,
            mode,
            levels,
            unseen,
            not_applicable: self.text("not_applicable").unwrap_or_default(),
            line: self.line,
        })
    }

    fn choice<T: Copy>(
        &mut self,
        key: &str,
        label: &str,
        options: &[(&str, T)],
        unseen: bool,
    ) -> Option<T> {
        let Some(s) = self.text(key) else {
            if !unseen {
                let d = self
                    .err("catalog/missing", key, t!("catalog.file-4", label))
                    .expected(format!("`{key}: {}`", options[0].0))
                    .found(t!("catalog.file.found"));
                self.diags.push(d);
            }
            return None;
        };
        if let Some((_, v)) = options.iter().find(|(w, _)| *w == s) {
            return Some(*v);
        }
        let words: Vec<&str> = options.iter().map(|(w, _)| *w).collect();
        let d = self
            .err("catalog/value", key, t!("catalog.file-11", label))
            .expected(words.join("、"))
            .found(format!("\"{s}\""));
        self.diags.push(d);
        None
    }
}

fn normalise_channel(s: &str) -> String {
    s.replace(['（', '('], "(")
        .replace(['）', ')'], ")")
        .replace(['／', '、'], "/")
        .replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<Matter>, Vec<Diagnostic>) {
        let map: Mapping = serde_yaml::from_str(text).unwrap();
        let lines = KeyLines::new(text, 1);
        read_file(
            &map,
            0,
            "social-assistance",
            Path::new("content/catalog/x.yaml"),
            &lines,
        )
    }

    const DEFAULTS: &str = "defaults:\n  basis: 信息公开规定\n  subject: 街道\n  channels: [政府网站, 公开查阅点]\n  audience: 全社会\n  disclosure: 主动\n  levels: [县级, 乡级]\n  deadline: 制定或获取信息之日起10个工作日内\n  content: 测试\n";

    #[test]
    fn defaults_fill_rows_and_an_empty_key_keeps_a_cell_unseen() {
        let text = format!(
            "{DEFAULTS}matters:\n  - id: a\n    level1: 综合业务\n    level2: 政策法规文件\n    other_channels: [公众号]\n  - id: b\n    level1: 综合业务\n    deadline:\n    unseen: 公开时限未见\n"
        );
        let (ms, ds) = read(&text);
        assert!(ds.is_empty(), "{ds:?}");
        assert_eq!(ms[0].id, "social-assistance/a");
        assert_eq!(ms[0].channel_names(), ["政府网站", "公开查阅点", "其他"]);
        assert_eq!(ms[0].deadline.as_ref().unwrap().reading.limits[0].days, 10);
        assert_eq!(ms[0].line, Some(11));
        assert!(ms[1].deadline.is_none(), "not filled from defaults");
        assert_eq!(ms[1].line, Some(15));
    }

    #[test]
    fn faults_are_located_at_their_key() {
        let text = "matters:\n  - id: a\n    level1: 综合业务\n    channels: [政府网站, 微博]\n    audience: 大家\n    levels: [省级]\n    colour: red\n  - id: a\n    level1: x\n";
        let (ms, ds) = read(text);
        let find = |rule: &str| {
            ds.iter()
                .find(|d| d.rule == rule)
                .unwrap_or_else(|| panic!("{rule}: {ds:#?}"))
        };
        assert_eq!(find("catalog/channel").line, Some(4));
        assert_eq!(find("catalog/channel").found.as_deref(), Some("\"微博\""));
        assert_eq!(find("catalog/value").line, Some(5));
        assert_eq!(find("catalog/level").line, Some(6));
        assert_eq!(find("catalog/unknown-key").key.as_deref(), Some("colour"));
        let missing: Vec<&str> = ds
            .iter()
            .filter(|d| d.rule == "catalog/missing" && d.message.starts_with("第 1 条"))
            .filter_map(|d| d.key.as_deref())
            .collect();
        assert_eq!(
            missing,
            [
                "content",
                "basis",
                "subject",
                "deadline",
                "disclosure",
                "levels"
            ]
        );
        assert_eq!(find("catalog/duplicate-id").line, Some(8));
        assert_eq!(ms.len(), 1);
        assert!(find("catalog/missing").message.contains("缺少"));
    }
}
