//! Front matter: splitting a Markdown file into its YAML header and body, and reading the
//! header's keys (the content contract) into typed [`Meta`].

use crate::t;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::yaml_fields::{Fields, KeyLines};

/// A file split into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (without them).
    pub yaml: &'a str,
    /// File line of the YAML's first line (1-based): 2 unless the file starts with blank lines.
    pub yaml_first_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// File line of the body's first line.
    pub body_first_line: usize,
}

/// Strips a UTF-8 byte-order mark; editors on Windows add one.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Splits `text` (BOM already stripped, CRLF already normalised to LF) at the `---` fences.
///
/// Only a line that is exactly `---` (trailing spaces allowed) opens or closes the front
/// matter, so a `---` thematic break or a `----` in the body is left alone once the header
/// is closed.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let mut offset = 0;
    let mut line_no = 1;
    // Blank lines before the opening fence are tolerated.
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            offset += line.len();
            line_no += 1;
        } else {
            break;
        }
    }
    let rest = &text[offset..];
    let first = rest.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error(
            "front-matter/missing-fence",
            t!("front-matter.missing-fence"),
        )
        .file(file)
        .line(line_no)
        .expected(t!("front-matter.missing-fence.expected"))
        .found(format!("\"{}\"", truncate(first, 40)))
        .hint(t!("front-matter.missing-fence.hint")));
    }
    let after_open = offset + first.len() + usize::from(rest.len() > first.len());
    let yaml_first_line = line_no + 1;
    let mut pos = after_open;
    for (ln, line) in (yaml_first_line..).zip(text[after_open..].split_inclusive('\n')) {
        let bare = line.trim_end_matches(['\n', '\r']).trim_end();
        if bare == "---" || bare == "..." {
            let body_start = pos + line.len();
            return Ok(Split {
                yaml: &text[after_open..pos],
                yaml_first_line,
                body: &text[body_start..],
                body_first_line: ln + 1,
            });
        }
        pos += line.len();
    }
    Err(
        Diagnostic::error("front-matter/unclosed", t!("front-matter.unclosed"))
            .file(file)
            .line(line_no)
            .expected(t!("front-matter.unclosed.expected"))
            .found(t!("front-matter.unclosed.found"))
            .hint(t!("front-matter.unclosed.hint")),
    )
}

fn truncate(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// Finds `key：value` lines (full-width colon), which YAML reads as plain text with no key.
pub fn full_width_colons(yaml: &str, first_line: usize, file: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let Some(pos) = trimmed.find('：') else {
            continue;
        };
        let head = &trimmed[..pos];
        let head = head.trim_start_matches("- ").trim();
        // A real key before it (`title: 注意：`) makes the colon part of the value.
        if head.contains(':') || head.is_empty() {
            continue;
        }
        if head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            let col = line.len() - trimmed.len() + head.chars().count() + 1;
            out.push(
                Diagnostic::error(
                    "front-matter/full-width-colon",
                    t!("front-matter.full-width-colon"),
                )
                .file(file)
                .line(first_line + i)
                .column(col)
                .key(head)
                .expected(t!("front-matter.full-width-colon.expected", head))
                .found(format!("`{}`", truncate(trimmed, 40)))
                .hint(t!("front-matter.full-width-colon.hint")),
            );
        }
    }
    out
}

/// Parses the YAML into a mapping, locating syntax errors in the file.
pub fn parse_yaml(split: &Split<'_>, file: &Path) -> Result<Mapping, Vec<Diagnostic>> {
    let colons = full_width_colons(split.yaml, split.yaml_first_line, file);
    if !colons.is_empty() {
        return Err(colons);
    }
    if split.yaml.trim().is_empty() {
        return Ok(Mapping::new());
    }
    if let Some(map) = crate::yaml_flat::parse(split.yaml) {
        return Ok(map);
    }
    if let Some(d) = crate::yaml_depth::too_deep(
        split.yaml,
        split.yaml_first_line,
        file,
        "front-matter/too-deep",
    ) {
        return Err(vec![d]);
    }
    match serde_yaml::from_str::<Value>(split.yaml) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(other) => Err(vec![
            Diagnostic::error("front-matter/yaml", t!("front-matter.yaml"))
                .file(file)
                .line(split.yaml_first_line)
                .expected(t!("front-matter.yaml.expected"))
                .found(crate::yaml_fields::describe(&other)),
        ]),
        Err(e) => {
            let (line, column) = e
                .location()
                .map(|l| (split.yaml_first_line + l.line() - 1, l.column()))
                .unwrap_or((split.yaml_first_line, 0));
            let msg = e.to_string();
            // serde_yaml appends " at line L column C"; we print our own location.
            let msg = msg
                .split(" at line ")
                .next()
                .unwrap_or(&msg)
                .trim()
                .to_string();
            let (message, hint) =
                crate::yaml_message::explain(&msg, split.yaml, split.yaml_first_line, line);
            Err(vec![
                Diagnostic::error("front-matter/yaml", message)
                    .file(file)
                    .line(line)
                    .column((column > 0).then_some(column))
                    .found(msg)
                    .hint(hint),
            ])
        }
    }
}

/// 有效性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 有效
    Effective,
    /// 失效
    Expired,
    /// 废止
    Repealed,
}

impl Validity {
    const LABELS: [(&'static str, &'static str); 3] = [
        ("effective", "有效"),
        ("expired", "失效"),
        ("repealed", "废止"),
    ];
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize].1
    }
}

/// 公开方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    /// 主动公开
    Proactive,
    /// 依申请公开
    OnRequest,
}

impl Disclosure {
    const LABELS: [(&'static str, &'static str); 2] =
        [("proactive", "主动公开"), ("on_request", "依申请公开")];
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize].1
    }
}

/// An attachment (附件).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attachment {
    /// Path under the content root, e.g. `files/2021-report.pdf`.
    pub file: String,
    /// Link text.
    pub title: String,
}

/// The contract's keys, typed. Kind-specific requirements are checked by the model.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// 标题
    pub title: String,
    /// 公开日期 / 发布日期
    pub date: Option<Date>,
    /// 成文日期
    pub written: Option<Date>,
    /// 索引号
    pub index_no: Option<String>,
    /// 发布机构 (None: the site's organization)
    pub publisher: Option<String>,
    /// 文号
    pub doc_no: Option<String>,
    /// 领域 slugs as written
    pub domains: Vec<String>,
    /// 主题分类
    pub category: Option<String>,
    /// 有效性
    pub validity: Option<Validity>,
    /// 公开方式
    pub disclosure: Option<Disclosure>,
    /// 摘要
    pub summary: Option<String>,
    /// 关键词
    pub keywords: Vec<String>,
    /// 附件
    pub attachments: Vec<Attachment>,
    /// 相关文件 (content paths)
    pub related: Vec<String>,
    /// Extension: documents this one replaces or repeals (content paths, like `related`).
    pub replaces: Vec<String>,
    /// Extension: the documents that repealed or replaced this one.
    pub repealed_by: Vec<String>,
    /// Last URL segment override.
    pub slug: Option<String>,
    /// Old URLs that redirect here.
    pub aliases: Vec<String>,
    /// Left out of `build`.
    pub draft: bool,
    /// `kind:` override.
    pub kind: Option<String>,
    /// 所属事项: `<domain slug>/<事项 id>` of the catalog.
    pub matter: Option<String>,
    /// 信息形成（变更）日期: when the 公开时限 starts, if not the 成文日期.
    pub formed: Option<Date>,
    /// 公示截止日期: the last day of a 公示.
    pub display_until: Option<Date>,
}

/// Keys of the contract (plus the report table keys, read by the `report` module).
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "written",
    "index_no",
    "publisher",
    "doc_no",
    "domain",
    "category",
    "validity",
    "disclosure",
    "summary",
    "keywords",
    "attachments",
    "related",
    "replaces",
    "repealed_by",
    "slug",
    "aliases",
    "draft",
    "kind",
    "year",
    "format",
    "active_disclosure",
    "applications",
    "review_litigation",
    "matter",
    "formed",
    "display_until",
];

/// Reads the contract's keys out of `map`. Returns the meta and every finding.
pub fn read_meta(map: &Mapping, file: &Path, lines: &KeyLines) -> (Meta, Vec<Diagnostic>) {
    let mut f = Fields::new(map, file, lines);
    let mut m = Meta {
        title: f
            .required_string("title", &t!("front-matter.required_string"))
            .unwrap_or_default(),
        date: f.date("date"),
        written: f.date("written"),
        index_no: f.string("index_no"),
        publisher: f.string("publisher"),
        doc_no: f.string("doc_no"),
        domains: f.string_list("domain"),
        category: f.string("category"),
        validity: f
            .choice("validity", &Validity::LABELS)
            .map(|i| [Validity::Effective, Validity::Expired, Validity::Repealed][i]),
        disclosure: f
            .choice("disclosure", &Disclosure::LABELS)
            .map(|i| [Disclosure::Proactive, Disclosure::OnRequest][i]),
        summary: f.string("summary"),
        keywords: f.string_list("keywords"),
        attachments: Vec::new(),
        related: f.string_list("related"),
        replaces: f.string_list("replaces"),
        repealed_by: f.string_list("repealed_by"),
        slug: f.string("slug"),
        aliases: f.string_list("aliases"),
        draft: f.boolean("draft").unwrap_or(false),
        kind: f.string("kind"),
        matter: f.string("matter"),
        formed: f.date("formed"),
        display_until: f.date("display_until"),
    };
    m.attachments = read_attachments(&mut f);
    split_keywords(&mut m, &mut f);
    // The national names of the report tables (表二, …) are keys too.
    let mut known: Vec<&str> = KNOWN_KEYS.to_vec();
    known.extend(
        crate::report::labels::TABLE_NAMES
            .iter()
            .flat_map(|(_, names)| names.iter().copied()),
    );
    f.warn_unknown(&known);
    (m, f.diagnostics)
}

/// `keywords: 低保，救助` (one text with Chinese or ASCII commas or 顿号) is read as the list it
/// means, with a warning that shows the list form: YAML would otherwise publish one keyword
/// "低保，救助" that no search matches.
fn split_keywords(m: &mut Meta, f: &mut Fields<'_>) {
    const SEPARATORS: [char; 4] = ['，', ',', '、', '；'];
    if !m.keywords.iter().any(|k| k.contains(SEPARATORS)) {
        return;
    }
    let split: Vec<String> = m
        .keywords
        .iter()
        .flat_map(|k| k.split(SEPARATORS))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(String::from)
        .collect();
    let d = f
        .error_at(
            "front-matter/keywords",
            "keywords",
            t!("front-matter.yaml-2"),
        )
        .expected(t!("front-matter.yaml.expected-2", items = split.join(", ")))
        .found(format!("\"{}\"", m.keywords.join("，")));
    f.diagnostics.push(Diagnostic {
        severity: crate::diagnostic::Severity::Warning,
        hint: Some(t!("front-matter.yaml.hint", items = split.join(", "))),
        ..d
    });
    m.keywords = split;
}

fn read_attachments(f: &mut Fields<'_>) -> Vec<Attachment> {
    let mut out = Vec::new();
    let Some(v) = f.get("attachments") else {
        return out;
    };
    let expected = t!("front-matter.attachments.expected");
    let expected = expected.as_str();
    let Value::Sequence(seq) = v else {
        if !v.is_null() {
            let d = f
                .error_at(
                    "front-matter/type",
                    "attachments",
                    t!("front-matter.yaml-3"),
                )
                .expected(expected)
                .found(crate::yaml_fields::describe(v));
            f.diagnostics.push(d);
        }
        return out;
    };
    for entry in seq {
        let file = entry.get("file").and_then(Value::as_str);
        let title = entry.get("title").and_then(Value::as_str);
        match (file, entry) {
            (Some(file), _) => out.push(Attachment {
                file: file.trim().trim_start_matches('/').to_string(),
                title: title.unwrap_or(file).trim().to_string(),
            }),
            (None, Value::String(s)) => out.push(Attachment {
                file: s.trim().trim_start_matches('/').to_string(),
                title: s.rsplit('/').next().unwrap_or(s).to_string(),
            }),
            (None, other) => {
                let d = f
                    .error_at(
                        "front-matter/type",
                        "attachments",
                        t!("front-matter.yaml-4"),
                    )
                    .expected(expected)
                    .found(crate::yaml_fields::describe(other));
                f.diagnostics.push(d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/news/a.md")
    }

    #[test]
    fn splits_simple() {
        let s = split("---\ntitle: 标题\n---\n正文\n", p()).unwrap();
        assert_eq!(s.yaml, "title: 标题\n");
        assert_eq!(s.yaml_first_line, 2);
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_first_line, 4);
    }

    #[test]
    fn bom_is_stripped_before_split() {
        let text = strip_bom("\u{feff}---\ntitle: x\n---\nbody");
        assert_eq!(split(text, p()).unwrap().yaml, "title: x\n");
    }

    #[test]
    fn crlf_normalised_text_splits() {
        let text = "---\r\ntitle: x\r\n---\r\nbody\r\n".replace("\r\n", "\n");
        let s = split(&text, p()).unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "body\n");
    }

    #[test]
    fn fence_with_trailing_spaces_and_crlf_leftovers() {
        let s = split("---  \ntitle: x\n---\t\nbody", p()).unwrap();
        assert_eq!(s.body, "body");
    }

    #[test]
    fn dashes_inside_body_are_kept() {
        let s = split("---\ntitle: x\n---\n一\n\n---\n\n二\n---\n", p()).unwrap();
        assert_eq!(s.body, "一\n\n---\n\n二\n---\n");
    }

    #[test]
    fn missing_and_unclosed() {
        let e = split("title: x\n", p()).unwrap_err();
        assert_eq!(e.rule, "front-matter/missing-fence");
        assert_eq!(e.line, Some(1));
        let e = split("---\ntitle: x\nbody\n", p()).unwrap_err();
        assert_eq!(e.rule, "front-matter/unclosed");
    }

    #[test]
    fn full_width_colon_is_located() {
        let ds = full_width_colons("title: 注意：这是值\ndate：2021-01-01\n", 2, p());
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].line, Some(3));
        assert_eq!(ds[0].key.as_deref(), Some("date"));
        assert_eq!(ds[0].column, Some(5));
    }

    #[test]
    fn yaml_error_has_file_line() {
        let text = "---\ntitle: x\ndate: [2021\n---\n";
        let s = split(text, p()).unwrap();
        let e = parse_yaml(&s, p()).unwrap_err();
        assert_eq!(e[0].rule, "front-matter/yaml");
        assert!(e[0].line.unwrap() >= 3, "{:?}", e[0]);
    }

    /// Issue 9: one text with Chinese commas or 顿号 is the list it means, with a warning.
    #[test]
    fn keywords_in_one_text_are_split_with_a_warning() {
        let yaml = "title: 标题\nkeywords: 低保，救助、养老\n";
        let map: Mapping = serde_yaml::from_str(yaml).unwrap();
        let kl = KeyLines::new(yaml, 2);
        let (m, ds) = read_meta(&map, p(), &kl);
        assert_eq!(m.keywords, vec!["低保", "救助", "养老"]);
        let d = ds
            .iter()
            .find(|d| d.rule == "front-matter/keywords")
            .unwrap();
        assert!(!d.is_error());
        assert_eq!(d.line, Some(3));
        assert!(d.hint.as_deref().unwrap().contains("[低保, 救助, 养老]"));
    }

    #[test]
    fn reads_typed_meta_and_warns_unknown() {
        let yaml =
            "title: 标题\ndate: 2021-13-01\nvalidity: 失效\ntitel: x\nkeywords: [低保, 救助]\n";
        let map: Mapping = serde_yaml::from_str(yaml).unwrap();
        let kl = KeyLines::new(yaml, 2);
        let (m, ds) = read_meta(&map, p(), &kl);
        assert_eq!(m.title, "标题");
        assert_eq!(m.validity, Some(Validity::Expired));
        assert_eq!(m.keywords, vec!["低保", "救助"]);
        let date = ds.iter().find(|d| d.rule == "front-matter/date").unwrap();
        assert_eq!(date.line, Some(3));
        let unk = ds
            .iter()
            .find(|d| d.rule == "front-matter/unknown-key")
            .unwrap();
        assert_eq!(unk.key.as_deref(), Some("titel"));
        assert!(unk.hint.as_deref().unwrap().contains("title"));
    }
}
