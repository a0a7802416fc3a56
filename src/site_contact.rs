//! The `footer:` and `contact:` blocks of `site.yaml`: what every Chinese government site shows
//! at the foot of each page (主办单位, 备案号, 网站标识码 …) and the 政府信息公开工作机构's contact
//! details the 信息公开指南 must state (条例第十二条). Every key is optional: the theme shows
//! what is given, and `portal check` names what the guide still lacks.

use crate::t;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostic::Diagnostic;
use crate::yaml_fields::{KeyLines, closest, describe};

/// `footer:` — the conventions of a government site's page foot.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Footer {
    /// 主办单位 (defaults to `organization` in the theme when absent).
    pub sponsor: String,
    /// 承办单位.
    pub organizer: String,
    /// 联系电话.
    pub phone: String,
    /// 地址.
    pub address: String,
    /// 邮编.
    pub postcode: String,
    /// ICP 备案号, e.g. 鄂ICP备XXXXXXXX号; linked to the MIIT registry.
    pub icp: String,
    /// 公安机关备案号, e.g. 鄂公网安备 XXXXXXXXXXXXXX号.
    pub police_record: String,
    /// Where the 公安机关备案号 links to (default: the national registry's query page).
    pub police_record_url: String,
    /// The 党政机关网站标识 image (a URL or a path under the site, e.g. `files/dzjg.png`).
    pub party_gov_logo: String,
    /// Where the 党政机关网站标识 links to (its verification page).
    pub party_gov_logo_url: String,
    /// The 我为政府网站找错 link (the national 政府网站找错 page with the site's code).
    pub error_report_url: String,
    /// 网站声明 / 隐私声明 link (a URL, or a path under the site such as `statement/`).
    pub statement_url: String,
    /// 联系我们 link (default: the contact section of the 信息公开指南).
    pub contact_url: String,
}

/// `contact:` — the 政府信息公开工作机构 (条例第十二条).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Contact {
    /// 名称.
    pub name: String,
    /// 办公地址.
    pub address: String,
    /// 办公时间.
    pub hours: String,
    /// 联系电话.
    pub phone: String,
    /// 传真号码.
    pub fax: String,
    /// 互联网联系方式 (e-mail or web address).
    pub online: String,
}

/// The keys of `contact:` with the label the guide shows, in the order the 条例 lists them.
pub const CONTACT_FIELDS: &[(&str, &str)] = &[
    ("name", "名称"),
    ("address", "办公地址"),
    ("hours", "办公时间"),
    ("phone", "联系电话"),
    ("fax", "传真号码"),
    ("online", "互联网联系方式"),
];

const FOOTER_KEYS: &[&str] = &[
    "sponsor",
    "organizer",
    "phone",
    "address",
    "postcode",
    "icp",
    "police_record",
    "police_record_url",
    "party_gov_logo",
    "party_gov_logo_url",
    "error_report_url",
    "statement_url",
    "contact_url",
];

impl Contact {
    /// The value of a `contact:` key of [`CONTACT_FIELDS`].
    pub fn get(&self, key: &str) -> &str {
        match key {
            "name" => &self.name,
            "address" => &self.address,
            "hours" => &self.hours,
            "phone" => &self.phone,
            "fax" => &self.fax,
            "online" => &self.online,
            _ => "",
        }
    }
}

/// Reads the text values of mapping `block` of `map`: unknown keys and values that are not text
/// are reported (as warnings: the site still builds), each on its own line.
fn read_block(
    map: &Mapping,
    block: &str,
    known: &[&str],
    file: &Path,
    lines: &KeyLines,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(v) = map.get(block) else {
        return out;
    };
    let m = match v {
        Value::Mapping(m) => m,
        Value::Null => return out,
        other => {
            diags.push(
                Diagnostic::warning("site/block", t!("site.block", block))
                    .file(file)
                    .line(lines.line_of(&[block]))
                    .key(block)
                    .expected(format!("{block}:\n  {}: …", known[0]))
                    .found(describe(other)),
            );
            return out;
        }
    };
    for (k, v) in m {
        let key = match k {
            Value::String(s) => s.clone(),
            other => describe(other),
        };
        let line = lines
            .line_of(&[block, &key])
            .or_else(|| lines.line_of(&[block]));
        if !known.contains(&key.as_str()) {
            let hint = closest(&key, known)
                .map(|c| t!("contact.unknown-key.did-you-mean", c))
                .unwrap_or_else(|| t!("contact.unknown-key.known", known = known.join(", ")));
            diags.push(
                Diagnostic::warning("front-matter/unknown-key", t!("front-matter.unknown-key-2"))
                    .file(file)
                    .line(line)
                    .key(format!("{block}.{key}"))
                    .hint(hint),
            );
            continue;
        }
        let text = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            Value::Null => continue,
            other => {
                diags.push(
                    Diagnostic::warning("site/block", t!("site.block-2"))
                        .file(file)
                        .line(line)
                        .key(format!("{block}.{key}"))
                        .expected(t!("site.block.expected"))
                        .found(describe(other)),
                );
                continue;
            }
        };
        if !text.is_empty() {
            out.push((key, text));
        }
    }
    out
}

/// Parses `footer:` of `site.yaml` (absent → all empty).
pub fn parse_footer(
    map: &Mapping,
    file: &Path,
    lines: &KeyLines,
    diags: &mut Vec<Diagnostic>,
) -> Footer {
    let mut f = Footer::default();
    for (k, v) in read_block(map, "footer", FOOTER_KEYS, file, lines, diags) {
        let slot = match k.as_str() {
            "sponsor" => &mut f.sponsor,
            "organizer" => &mut f.organizer,
            "phone" => &mut f.phone,
            "address" => &mut f.address,
            "postcode" => &mut f.postcode,
            "icp" => &mut f.icp,
            "police_record" => &mut f.police_record,
            "police_record_url" => &mut f.police_record_url,
            "party_gov_logo" => &mut f.party_gov_logo,
            "party_gov_logo_url" => &mut f.party_gov_logo_url,
            "error_report_url" => &mut f.error_report_url,
            "statement_url" => &mut f.statement_url,
            "contact_url" => &mut f.contact_url,
            _ => continue,
        };
        *slot = v;
    }
    f
}

/// Parses `contact:` of `site.yaml` (absent → all empty).
pub fn parse_contact(
    map: &Mapping,
    file: &Path,
    lines: &KeyLines,
    diags: &mut Vec<Diagnostic>,
) -> Contact {
    let keys: Vec<&str> = CONTACT_FIELDS.iter().map(|(k, _)| *k).collect();
    let mut c = Contact::default();
    for (k, v) in read_block(map, "contact", &keys, file, lines, diags) {
        let slot = match k.as_str() {
            "name" => &mut c.name,
            "address" => &mut c.address,
            "hours" => &mut c.hours,
            "phone" => &mut c.phone,
            "fax" => &mut c.fax,
            "online" => &mut c.online,
            _ => continue,
        };
        *slot = v;
    }
    c
}

/// The link target of a site-relative setting: absolute URLs and `/paths` unchanged, anything
/// else put under `base_path` (`statement/` → `/yangyuan/statement/`).
pub fn site_link(base_path: &str, v: &str) -> String {
    if v.is_empty()
        || v.starts_with("http://")
        || v.starts_with("https://")
        || v.starts_with('/')
        || v.starts_with('#')
    {
        v.to_string()
    } else {
        format!("{base_path}{}", v.trim_start_matches("./"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Footer, Contact, Vec<Diagnostic>) {
        let map: Mapping = serde_yaml::from_str(text).unwrap();
        let lines = KeyLines::new(text, 1);
        let mut d = Vec::new();
        let f = parse_footer(&map, Path::new("site.yaml"), &lines, &mut d);
        let c = parse_contact(&map, Path::new("site.yaml"), &lines, &mut d);
        (f, c, d)
    }

    #[test]
    fn reads_footer_and_contact() {
        let (f, c, d) = parse(
            "footer:\n  icp: 鄂ICP备00000000号\n  postcode: 430000\ncontact:\n  name: 街道办事处\n  hours: \"\"\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.icp, "鄂ICP备00000000号");
        assert_eq!(f.postcode, "430000");
        assert_eq!(c.name, "街道办事处");
        assert_eq!(c.hours, "", "an empty value counts as missing");
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let (_, _, d) = parse("title: x\ncontact:\n  name: a\n  phon: 1\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].key.as_deref(), Some("contact.phon"));
        assert_eq!(d[0].line, Some(4));
        assert!(d[0].hint.as_deref().unwrap().contains("phone"));
    }

    #[test]
    fn links_under_the_base_path() {
        assert_eq!(site_link("/y/", "statement/"), "/y/statement/");
        assert_eq!(site_link("/y/", "https://a.gov.cn/"), "https://a.gov.cn/");
        assert_eq!(site_link("/y/", "/x/"), "/x/");
    }
}
