//! Reads a corpus written by `/work/shared/bench/gen_corpus.py` (crudely: front matter split at
//! the `---` lines, `title:`, `date:`, `domain:`, `summary:`, `keywords:`; Markdown syntax
//! characters stripped). Shared by `examples/search_bench.rs` and `tests/search_relevance.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use portal::search::SearchDoc;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').trim_matches('\'').to_string()
}

/// `[text](url)` → `text`; drops `*`, `` ` ``, `|`, `>`, leading `#`, list markers.
fn strip_markdown(body: &str) -> (String, Vec<String>) {
    let mut text = String::with_capacity(body.len());
    let mut headings = Vec::new();
    for line in body.lines() {
        let l = line.trim();
        if l.starts_with("| ---") || l.starts_with("|---") || l.is_empty() {
            continue;
        }
        let (l, heading) = match l.strip_prefix('#') {
            Some(h) => (h.trim_start_matches('#').trim(), true),
            None => (l.trim_start_matches(['-', '+']).trim_start(), false),
        };
        let mut out = String::with_capacity(l.len());
        let mut rest = l;
        while let Some(i) = rest.find("](") {
            out.push_str(&rest[..i]);
            rest = &rest[i + 2..];
            rest = rest.find(')').map_or("", |j| &rest[j + 1..]);
        }
        out.push_str(rest);
        let out: String = out
            .chars()
            .filter(|c| !matches!(c, '[' | '*' | '`' | '>' | '_'))
            .map(|c| if c == '|' { ' ' } else { c })
            .collect();
        if heading {
            headings.push(out.clone());
        }
        text.push_str(out.trim());
        text.push('\n');
    }
    (text, headings)
}

/// The documents of a generated corpus' `content/` folder and its domain names in catalog order.
pub(crate) fn load(content: &Path) -> (Vec<SearchDoc>, Vec<String>) {
    let mut domains: BTreeMap<String, String> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    if let Ok(site) = std::fs::read_to_string(content.join("site.yaml")) {
        for l in site.lines() {
            if let (Some(a), Some(b)) = (l.find("slug:"), l.find("name:")) {
                let slug = l[a + 5..]
                    .split(',')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                let name = l[b + 5..].trim().trim_end_matches('}').trim().to_string();
                order.push(name.clone());
                domains.insert(slug, name);
            }
        }
    }
    let mut files = Vec::new();
    walk(content, &mut files);
    let docs = files
        .iter()
        .map(|p| {
            let src = std::fs::read_to_string(p).expect("utf-8 file");
            let (fm, body) = match src
                .strip_prefix("---\n")
                .and_then(|r| r.split_once("\n---\n"))
            {
                Some((fm, body)) => (fm, body),
                None => ("", src.as_str()),
            };
            let field = |k: &str| fm.lines().find_map(|l| l.strip_prefix(k).map(unquote));
            let rel = p.strip_prefix(content).unwrap_or(p).with_extension("");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let (kind, label) = match rel.split('/').next() {
                Some("news") => ("news", "工作动态"),
                Some("items") => ("item", "公开事项"),
                Some("reports") => ("report", "年度报告"),
                _ => ("page", "页面"),
            };
            let (text, headings) = strip_markdown(body);
            SearchDoc {
                url: format!("{rel}/"),
                title: field("title:").unwrap_or_default(),
                date: field("date:"),
                kind: kind.into(),
                kind_label: label.into(),
                domains: field("domain:")
                    .map(|d| domains.get(&d).cloned().unwrap_or(d))
                    .into_iter()
                    .collect(),
                headings,
                summary: field("summary:").unwrap_or_default(),
                keywords: field("keywords:")
                    .map(|k| {
                        k.trim_matches(['[', ']'])
                            .split(',')
                            .map(unquote)
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
                body: text,
            }
        })
        .collect();
    (docs, order)
}
