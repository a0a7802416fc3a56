//! The 政府信息公开工作机构's contact details that the 信息公开指南 must state (条例第十二条:
//! 名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式). They come from the `contact:`
//! block of `site.yaml`, which the theme shows in the guide and on the 依申请公开 page; each
//! element still missing is named here, on the line of `contact:` in `site.yaml`.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::site_contact::CONTACT_FIELDS;
use crate::t;

/// One warning per element of 条例第十二条 that `contact:` leaves empty, on a site that has a
/// 信息公开指南 (`pages/guide.md`, where the theme shows them), on the line of `contact:`.
pub(crate) fn check_contact(site: &Site) -> Vec<Diagnostic> {
    if !site.by_rel.contains_key("pages/guide.md") {
        return Vec::new();
    }
    let file = PathBuf::from("content/site.yaml");
    let block_line = site.config.key_lines.line_of(&["contact"]);
    CONTACT_FIELDS
        .iter()
        .filter(|(key, _)| site.config.contact.get(key).is_empty())
        .map(|&(key, label)| {
            let example = match key {
                "name" => t!("contact.example-name"),
                "address" => t!("contact.example-address"),
                "hours" => t!("contact.example-hours"),
                "phone" => t!("contact.example-phone"),
                "fax" => t!("contact.example-fax"),
                _ => t!("contact.example-online"),
            };
            Diagnostic::warning("contact/missing", t!("contact.missing", label))
                .file(&file)
                .line(block_line.or(Some(1)))
                .key(format!("contact.{key}"))
                .expected(t!("contact.missing.expected", key, example))
                .found(if block_line.is_some() {
                    t!("contact.missing.found-key")
                } else {
                    t!("contact.missing.found-block")
                })
                .hint(t!("contact.missing.hint", key, label))
        })
        .collect()
}
