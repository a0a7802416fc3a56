//! The domain page's catalog table as real catalogs print it (一级事项 cells merged over their
//! rows, ■/□ channels, √ in the 公开对象/公开方式/公开层级 columns), and per 事项 the documents
//! filed under it, newest first. Render stage: reads the resolved site only.

use serde::Serialize;

use super::matter::{Audience, CHANNELS, Level, Mode};
use crate::model::Site;
use crate::render::{Summary, summary};

/// One checkbox of 公开渠道和载体.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelMark {
    /// The channel's name (for 其他, with the free text).
    pub name: String,
    /// Ticked (■) or not (□).
    pub on: bool,
}

/// One row of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// 序号, from 1.
    pub number: usize,
    /// Rows the 一级事项 cell spans; 0 when the cell above covers this row.
    pub level1_rowspan: usize,
    /// 一级事项.
    pub level1: String,
    /// 二级事项.
    pub level2: String,
    /// 三级事项.
    pub level3: String,
    /// The `id` of the 事项's section on the page (`matter-dibao-guide`).
    pub anchor: String,
    /// `social-assistance/dibao-guide`.
    pub id: String,
    /// 公开内容(要素).
    pub content: String,
    /// 公开依据.
    pub basis: String,
    /// 公开时限 as published.
    pub deadline: String,
    /// Its machine reading, described.
    pub deadline_reading: String,
    /// 公开主体.
    pub subject: String,
    /// The 13 national checkboxes.
    pub channels: Vec<ChannelMark>,
    /// 公开对象: 全社会.
    pub public: bool,
    /// 公开对象: 特定群体.
    pub specific: bool,
    /// Who, for 特定群体.
    pub audience_note: String,
    /// 公开方式: 主动.
    pub proactive: bool,
    /// 公开方式: 依申请.
    pub on_request: bool,
    /// 公开层级: 县级 (named in pinyin: the preview server's template scan treats any template
    /// mentioning "count" as reading the item counts).
    pub xianji: bool,
    /// 公开层级: 乡级.
    pub xiangji: bool,
    /// Cells not seen in the sources.
    pub unseen: String,
    /// 本街道不涉及.
    pub not_applicable: String,
    /// Documents filed under it.
    pub docs_filed: usize,
}

/// One 事项 with its documents.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The section's `id`.
    pub anchor: String,
    /// `一级 › 二级`.
    pub title: String,
    /// Its documents, newest first.
    pub docs: Vec<Summary>,
    /// 本街道不涉及.
    pub not_applicable: String,
    /// 公开时限 as published.
    pub deadline: String,
}

/// What `_catalog_table.html` shows for one domain.
#[derive(Debug, Clone, Serialize)]
pub struct DomainTable {
    /// The domain has a catalog file.
    pub present: bool,
    /// The table's caption.
    pub caption: String,
    /// Where the rows come from (`source:`).
    pub source: String,
    /// Show the 三级事项 column.
    pub has_level3: bool,
    /// The rows.
    pub rows: Vec<Row>,
    /// The 事项 with their documents.
    pub sections: Vec<Section>,
    /// Some row has cells not seen in the sources.
    pub has_unseen: bool,
    /// 事项.
    pub matters_total: usize,
    /// 事项 with at least one document.
    pub with_docs: usize,
}

/// The anchor of a 事项 on its domain page.
pub fn anchor(id: &str) -> String {
    format!("matter-{}", id.rsplit('/').next().unwrap_or(id))
}

/// (事项, 事项 with documents, documents filed under 事项) of domain `d`.
pub fn counts(site: &Site, d: usize) -> (usize, usize, usize) {
    let ids = site
        .config
        .catalog
        .by_domain
        .get(d)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let with = ids
        .iter()
        .filter(|&&i| !site.matter_docs[i].is_empty())
        .count();
    let docs = ids.iter().map(|&i| site.matter_docs[i].len()).sum();
    (ids.len(), with, docs)
}

/// The catalog table and 事项 sections of domain `d`.
pub fn domain_table(site: &Site, d: usize) -> DomainTable {
    let cat = &site.config.catalog;
    let ids = cat.by_domain.get(d).cloned().unwrap_or_default();
    let name = &site.config.domains[d].name;
    let mut rows: Vec<Row> = Vec::with_capacity(ids.len());
    for (n, &i) in ids.iter().enumerate() {
        let m = &cat.matters[i];
        let mut channels: Vec<ChannelMark> = CHANNELS
            .iter()
            .enumerate()
            .map(|(k, c)| ChannelMark {
                name: (*c).to_string(),
                on: m.channels.contains(&k),
            })
            .collect();
        if !m.other_channels.is_empty() {
            channels[12].name = format!("其他：{}", m.other_channels.join("、"));
        }
        rows.push(Row {
            number: n + 1,
            level1_rowspan: 1,
            level1: m.level1.clone(),
            level2: m.level2.clone(),
            level3: m.level3.clone(),
            anchor: anchor(&m.id),
            id: m.id.clone(),
            content: m.content.clone(),
            basis: m.basis.clone(),
            deadline: m
                .deadline
                .as_ref()
                .map(|x| x.text.clone())
                .unwrap_or_default(),
            deadline_reading: m
                .deadline
                .as_ref()
                .map(|x| x.reading.describe())
                .unwrap_or_default(),
            subject: m.subject.clone(),
            channels,
            public: m.audience == Some(Audience::Public),
            specific: m.audience == Some(Audience::Specific),
            audience_note: m.audience_note.clone(),
            proactive: m.mode == Some(Mode::Proactive),
            on_request: m.mode == Some(Mode::OnRequest),
            xianji: m.levels.contains(&Level::County),
            xiangji: m.levels.contains(&Level::Township),
            unseen: m.unseen.clone(),
            not_applicable: m.not_applicable.clone(),
            docs_filed: site.matter_docs[i].len(),
        });
    }
    // Merge runs of the same 一级事项: the first row spans the run, the others get 0.
    let mut start = 0;
    while start < rows.len() {
        let mut end = start + 1;
        while end < rows.len() && rows[end].level1 == rows[start].level1 {
            end += 1;
        }
        rows[start].level1_rowspan = end - start;
        for r in &mut rows[start + 1..end] {
            r.level1_rowspan = 0;
        }
        start = end;
    }
    let sections = ids
        .iter()
        .map(|&i| {
            let m = &cat.matters[i];
            Section {
                anchor: anchor(&m.id),
                title: m.title(),
                docs: site.matter_docs[i]
                    .iter()
                    .map(|&p| summary(site, p))
                    .collect(),
                not_applicable: m.not_applicable.clone(),
                deadline: m
                    .deadline
                    .as_ref()
                    .map(|x| x.text.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let (matters_total, with_docs, _) = counts(site, d);
    DomainTable {
        present: cat.has_file.get(d).copied().unwrap_or(false),
        caption: format!("{name}领域基层政务公开标准目录"),
        source: cat.sources.get(d).cloned().unwrap_or_default(),
        has_level3: ids.iter().any(|&i| !cat.matters[i].level3.is_empty()),
        has_unseen: rows.iter().any(|r| !r.unseen.is_empty()),
        rows,
        sections,
        matters_total,
        with_docs,
    }
}
