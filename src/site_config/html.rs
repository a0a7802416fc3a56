//! `html:` of `site.yaml`: the explicit widenings of the body HTML allow-list.

use crate::t;
use std::path::Path;

use serde_yaml::Value;

use super::HtmlConfig;
use crate::diagnostic::Diagnostic;
use crate::yaml_fields::{Fields, KeyLines};

/// Reads `html: { allow_tags: [...], allow_attributes: { tag: [...] }, allow_hosts: [...] }`.
pub(super) fn read_html(f: &mut Fields<'_>, lines: &KeyLines, file: &Path) -> HtmlConfig {
    let mut out = HtmlConfig::default();
    let Some(v) = f.get("html") else {
        return out;
    };
    let mut errors = Vec::new();
    let mut error = |key: &str, message: String, found: String| {
        let line = lines
            .line_of(&["html", key])
            .or_else(|| lines.line_of(&["html"]));
        errors.push(
            Diagnostic::error("site/html", message)
                .file(file)
                .line(line)
                .key(if key.is_empty() { "html".to_string() } else { format!("html.{key}") })
                .found(found)
                .expected("html: { allow_tags: [video], allow_attributes: { video: [controls] }, allow_hosts: [map.example.gov.cn] }")
                .hint(t!("site.html.hint")),
        );
    };
    let names = |v: Option<&Value>| -> Result<Vec<String>, String> {
        match v {
            None => Ok(Vec::new()),
            Some(Value::Sequence(s)) => s
                .iter()
                .map(|x| match x.as_str() {
                    Some(n) if valid_name(n) => Ok(n.to_ascii_lowercase()),
                    _ => Err(format!("{x:?}")),
                })
                .collect(),
            Some(other) => Err(crate::yaml_fields::describe(other)),
        }
    };
    let Value::Mapping(m) = v else {
        error(
            "",
            t!("site-config.html.text-1"),
            crate::yaml_fields::describe(v),
        );
        f.diagnostics.extend(errors);
        return out;
    };
    for (k, v) in m {
        match k.as_str() {
            Some("allow_tags") => match names(Some(v)) {
                Ok(tags) => {
                    for t in &tags {
                        if crate::sanitize::NEVER_ALLOWED.contains(&t.as_str()) {
                            error("allow_tags", t!("site-config.html.text-2", t), t.clone());
                        }
                    }
                    out.allow_tags = tags;
                }
                Err(found) => error("allow_tags", t!("site-config.html.text-3"), found),
            },
            Some("allow_attributes") => {
                let Value::Mapping(per) = v else {
                    error(
                        "allow_attributes",
                        t!("site-config.html.text-4"),
                        crate::yaml_fields::describe(v),
                    );
                    continue;
                };
                for (tag, attrs) in per {
                    let tag = tag.as_str().unwrap_or("").to_ascii_lowercase();
                    if tag != "*" && !valid_name(&tag) {
                        error("allow_attributes", t!("site-config.html.text-5"), tag);
                        continue;
                    }
                    match names(Some(attrs)) {
                        Ok(list) => {
                            for a in &list {
                                if crate::sanitize::never_allowed_attr(a) {
                                    error(
                                        "allow_attributes",
                                        t!("site-config.html.text-6", a),
                                        a.clone(),
                                    );
                                }
                            }
                            out.allow_attributes.insert(tag, list);
                        }
                        Err(found) => error(
                            "allow_attributes",
                            t!("site-config.html.text-7", tag),
                            found,
                        ),
                    }
                }
            }
            Some("allow_hosts") => match v {
                Value::Sequence(s) => {
                    for h in s {
                        match h.as_str().map(str::trim) {
                            Some(h)
                                if !h.is_empty()
                                    && h.chars().all(|c| {
                                        c.is_ascii_alphanumeric() || c == '.' || c == '-'
                                    }) =>
                            {
                                out.allow_hosts.push(h.to_ascii_lowercase());
                            }
                            _ => error(
                                "allow_hosts",
                                t!("site-config.html.text-8"),
                                format!("{h:?}"),
                            ),
                        }
                    }
                }
                other => error(
                    "allow_hosts",
                    t!("site-config.html.text-9"),
                    crate::yaml_fields::describe(other),
                ),
            },
            _ => error(
                "",
                t!("site-config.html.text-10", key = k.as_str().unwrap_or("?")),
                format!("{k:?}"),
            ),
        }
    }
    f.diagnostics.extend(errors);
    out
}

/// An element or attribute name: ASCII letters, digits, `-` and `:`, starting with a letter.
fn valid_name(n: &str) -> bool {
    n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
}
