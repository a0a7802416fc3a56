//! The 政府信息公开工作机构's contact details that the 信息公开指南 must state (条例第十二条:
//! 名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式). They come from the `contact:`
//! block of `site.yaml`, which the theme shows in the guide and on the 依申请公开 page; each
//! element still missing is named here, on the line of `contact:` in `site.yaml`.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::site_contact::CONTACT_FIELDS;

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
                "name" => "（工作机构名称，如××街道办事处党政综合办公室）",
                "address" => "（街道办事处的办公地址）",
                "hours" => "工作日 上午9:00—12:00，下午14:00—17:00",
                "phone" => "（受理政府信息公开申请的电话）",
                "fax" => "（传真号码；没有传真的写“无”）",
                _ => "（电子邮箱或网上申请平台地址）",
            };
            Diagnostic::warning(
                "contact/missing",
                format!(
                    "信息公开指南缺少政府信息公开工作机构的{label}（《条例》第十二条要求载明）"
                ),
            )
            .file(&file)
            .line(block_line.or(Some(1)))
            .key(format!("contact.{key}"))
            .expected(format!("contact: 下的 {key}: {example}"))
            .found(if block_line.is_some() {
                "contact: 中没有此项".to_string()
            } else {
                "site.yaml 中没有 contact:".to_string()
            })
            .hint(format!(
                "在 site.yaml 的 contact: 下填写 {key}（{label}），指南和依申请公开页会自动显示；请填写经核实的真实信息"
            ))
        })
        .collect()
}
