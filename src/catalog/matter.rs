//! One 公开事项 of the 基层政务公开标准目录: its cells as the national catalogs print them.
//! [`super::file`] reads them from `content/catalog/<slug>.yaml`.

use serde::Serialize;

use super::deadline::Reading;

/// The 13 national checkboxes of 公开渠道和载体, in printed order.
pub const CHANNELS: [&str; 13] = [
    "政府网站",
    "政府公报",
    "两微一端",
    "发布会/听证会",
    "广播电视",
    "纸质媒体",
    "公开查阅点",
    "政务服务中心",
    "便民服务站",
    "入户/现场",
    "社区/企事业单位/村公示栏(电子屏)",
    "精准推送",
    "其他",
];

/// 公开对象.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// 全社会.
    Public,
    /// 特定群体 (特定群众).
    Specific,
}

/// 公开方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// 主动公开.
    Proactive,
    /// 依申请公开.
    OnRequest,
}

/// 公开层级 columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 县级 (区级, 市级).
    County,
    /// 乡级 (乡镇级, 镇级, 街道).
    Township,
}

/// 公开时限: as printed, and read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The wording as published.
    pub text: String,
    /// The machine reading.
    pub reading: Reading,
}

/// One 公开事项.
#[derive(Debug, Clone, Serialize)]
pub struct Matter {
    /// Index of its domain in `site.domains`.
    #[serde(skip)]
    pub domain: usize,
    /// Stable id: `<domain slug>/<id>`, e.g. `social-assistance/dibao-guide`.
    pub id: String,
    /// 一级事项.
    pub level1: String,
    /// 二级事项 (empty where the catalog has none).
    pub level2: String,
    /// 三级事项.
    pub level3: String,
    /// 公开内容(要素).
    pub content: String,
    /// 公开依据.
    pub basis: String,
    /// 公开时限.
    pub deadline: Option<Deadline>,
    /// 公开主体.
    pub subject: String,
    /// Ticked national checkboxes (indexes into [`CHANNELS`]).
    #[serde(skip)]
    pub channels: Vec<usize>,
    /// Free channels (■其他…), as written.
    pub other_channels: Vec<String>,
    /// 公开对象.
    pub audience: Option<Audience>,
    /// Who, when 特定群体 (e.g. 法律援助申请人).
    pub audience_note: String,
    /// 公开方式 (`disclosure` in the file and the open data).
    #[serde(rename = "disclosure")]
    pub mode: Option<Mode>,
    /// 公开层级.
    pub levels: Vec<Level>,
    /// Cells not seen in the sources, as noted (the row is shown with this note).
    pub unseen: String,
    /// 本街道不涉及: why the 事项 has nothing to publish here.
    pub not_applicable: String,
    /// File line of the entry, for messages.
    #[serde(skip)]
    pub line: Option<usize>,
}

impl Matter {
    /// The names of the ticked national channels.
    pub fn channel_names(&self) -> Vec<&'static str> {
        self.channels.iter().map(|&i| CHANNELS[i]).collect()
    }

    /// `一级 › 二级 › 三级`.
    pub fn title(&self) -> String {
        [&self.level1, &self.level2, &self.level3]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" › ")
    }
}

/// Keys of one entry under `matters:` (and of `defaults:`).
pub const MATTER_KEYS: &[&str] = &[
    "id",
    "level1",
    "level2",
    "level3",
    "content",
    "basis",
    "deadline",
    "subject",
    "channels",
    "other_channels",
    "audience",
    "audience_note",
    "disclosure",
    "levels",
    "unseen",
    "not_applicable",
];

/// Top-level keys of a catalog file.
pub const FILE_KEYS: &[&str] = &["source", "defaults", "matters"];
