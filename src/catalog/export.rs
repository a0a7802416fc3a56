//! Open data of the catalog: `catalog.json` (the domains with their 事项 and every item's and
//! filed news' metadata) and `catalog.csv` (UTF-8 with BOM, one line per document and 事项).
//! The schema is docs/catalog-data.md. Render stage: reads the resolved site only.

use serde::Serialize;

use super::matter::{Audience, Level, Matter, Mode};
use crate::model::Site;
use crate::page::Kind;

/// The schema id written into `catalog.json`.
pub const SCHEMA: &str = "portal-catalog/1";

#[derive(Serialize)]
struct Json<'a> {
    schema: &'static str,
    site: SiteJson<'a>,
    domains: Vec<DomainJson<'a>>,
    documents: Vec<DocJson<'a>>,
}

#[derive(Serialize)]
struct SiteJson<'a> {
    title: &'a str,
    organization: &'a str,
    org_code: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct DomainJson<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    source: &'a str,
    matter_count: usize,
    matters_with_documents: usize,
    document_count: usize,
    matters: Vec<MatterJson<'a>>,
}

#[derive(Serialize)]
struct MatterJson<'a> {
    #[serde(flatten)]
    matter: &'a Matter,
    channels: Vec<&'static str>,
    url: String,
    documents: Vec<String>,
}

#[derive(Serialize)]
struct DocJson<'a> {
    url: String,
    kind: &'static str,
    title: &'a str,
    index_no: Option<&'a str>,
    date: Option<String>,
    written: Option<String>,
    formed: Option<String>,
    display_until: Option<String>,
    publisher: &'a str,
    doc_no: Option<&'a str>,
    category: Option<&'a str>,
    validity: crate::front_matter::Validity,
    disclosure: crate::front_matter::Disclosure,
    domains: Vec<&'a str>,
    matter: Option<&'a str>,
}

/// Items and news filed under a 事项, in site order.
fn documents(site: &Site) -> impl Iterator<Item = usize> + '_ {
    (0..site.pages.len()).filter(|&i| {
        let p = &site.pages[i];
        p.kind == Kind::Item || (p.kind == Kind::News && p.matter.is_some())
    })
}

/// `catalog.json`.
pub fn to_json(site: &Site) -> String {
    let cat = &site.config.catalog;
    let c = &site.config;
    let domains = c
        .domains
        .iter()
        .enumerate()
        .map(|(d, dom)| {
            let (matter_count, with, docs) = super::view::counts(site, d);
            let page = crate::generated::Generated::Domain(d, 1).href(site);
            DomainJson {
                slug: &dom.slug,
                name: &dom.name,
                url: page.clone(),
                source: cat.sources.get(d).map(String::as_str).unwrap_or(""),
                matter_count,
                matters_with_documents: with,
                document_count: docs,
                matters: cat.by_domain[d]
                    .iter()
                    .map(|&i| {
                        let m = &cat.matters[i];
                        MatterJson {
                            matter: m,
                            channels: m.channel_names(),
                            url: format!("{page}#{}", super::view::anchor(&m.id)),
                            documents: site.matter_docs[i]
                                .iter()
                                .map(|&p| site.href(&site.pages[p].url))
                                .collect(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let documents = documents(site)
        .map(|i| {
            let p = &site.pages[i];
            let m = p.meta();
            DocJson {
                url: site.href(&p.url),
                kind: p.kind.name(),
                title: &m.title,
                index_no: m.index_no.as_deref(),
                date: m.date.map(|d| d.to_string()),
                written: m.written.map(|d| d.to_string()),
                formed: m.formed.map(|d| d.to_string()),
                display_until: m.display_until.map(|d| d.to_string()),
                publisher: &p.publisher,
                doc_no: m.doc_no.as_deref(),
                category: m.category.as_deref(),
                validity: p.validity,
                disclosure: p.disclosure,
                domains: p
                    .domains
                    .iter()
                    .map(|&d| c.domains[d].slug.as_str())
                    .collect(),
                matter: p.matter.map(|k| cat.matters[k].id.as_str()),
            }
        })
        .collect();
    let json = Json {
        schema: SCHEMA,
        site: SiteJson {
            title: &c.title,
            organization: &c.organization,
            org_code: &c.org_code,
            base_url: &c.base_url,
        },
        domains,
        documents,
    };
    let mut s = serde_json::to_string_pretty(&json).unwrap_or_default();
    s.push('\n');
    s
}

/// The CSV header, in order.
pub const CSV_HEADER: &[&str] = &[
    "领域",
    "事项ID",
    "一级事项",
    "二级事项",
    "三级事项",
    "公开内容",
    "公开依据",
    "公开时限",
    "公开时限（解读）",
    "公开主体",
    "公开渠道和载体",
    "公开对象",
    "公开方式",
    "公开层级",
    "未见说明",
    "本街道不涉及",
    "标题",
    "网址",
    "类型",
    "索引号",
    "公开日期",
    "成文日期",
    "信息形成日期",
    "公示截止日期",
    "发布机构",
    "文号",
    "有效性",
    "文件公开方式",
];

fn field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn matter_cells(site: &Site, m: &Matter) -> Vec<String> {
    let levels: Vec<&str> = m
        .levels
        .iter()
        .map(|l| match l {
            Level::County => "县级",
            Level::Township => "乡级",
        })
        .collect();
    let mut channels: Vec<String> = m.channel_names().iter().map(|c| c.to_string()).collect();
    if !m.other_channels.is_empty() {
        channels.pop();
        channels.push(format!("其他：{}", m.other_channels.join("、")));
    }
    vec![
        site.config.domains[m.domain].name.clone(),
        m.id.clone(),
        m.level1.clone(),
        m.level2.clone(),
        m.level3.clone(),
        m.content.clone(),
        m.basis.clone(),
        m.deadline
            .as_ref()
            .map(|d| d.text.clone())
            .unwrap_or_default(),
        m.deadline
            .as_ref()
            .map(|d| d.reading.describe())
            .unwrap_or_default(),
        m.subject.clone(),
        channels.join("；"),
        match m.audience {
            Some(Audience::Public) => "全社会".into(),
            Some(Audience::Specific) => format!("特定群体{}", paren(&m.audience_note)),
            None => String::new(),
        },
        match m.mode {
            Some(Mode::Proactive) => "主动",
            Some(Mode::OnRequest) => "依申请",
            None => "",
        }
        .into(),
        levels.join("；"),
        m.unseen.clone(),
        m.not_applicable.clone(),
    ]
}

fn paren(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("（{s}）")
    }
}

fn doc_cells(site: &Site, i: usize) -> Vec<String> {
    let p = &site.pages[i];
    let m = p.meta();
    let d = |x: Option<crate::date::Date>| x.map(|d| d.to_string()).unwrap_or_default();
    vec![
        m.title.clone(),
        site.href(&p.url),
        p.kind.label().into(),
        m.index_no.clone().unwrap_or_default(),
        d(m.date),
        d(m.written),
        d(m.formed),
        d(m.display_until),
        p.publisher.clone(),
        m.doc_no.clone().unwrap_or_default(),
        p.validity.label().into(),
        p.disclosure.label().into(),
    ]
}

/// `catalog.csv`: UTF-8 with BOM and CRLF; one line per (事项, document); a 事项 without
/// documents has one line with the document columns empty, and an item filed under no 事项 one
/// line with the 事项 columns empty but its domain.
pub fn to_csv(site: &Site) -> String {
    let cat = &site.config.catalog;
    let mut lines: Vec<Vec<String>> = Vec::new();
    let empty_doc = || vec![String::new(); 12];
    for (i, m) in cat.matters.iter().enumerate() {
        if site.matter_docs[i].is_empty() {
            lines.push([matter_cells(site, m), empty_doc()].concat());
        }
        for &p in &site.matter_docs[i] {
            lines.push([matter_cells(site, m), doc_cells(site, p)].concat());
        }
    }
    for i in documents(site).filter(|&i| site.pages[i].matter.is_none()) {
        let p = &site.pages[i];
        let mut cells = vec![String::new(); 16];
        cells[0] = p
            .domains
            .iter()
            .map(|&d| site.config.domains[d].name.as_str())
            .collect::<Vec<_>>()
            .join("；");
        lines.push([cells, doc_cells(site, i)].concat());
    }
    let mut s = String::from("\u{feff}");
    s.push_str(&CSV_HEADER.join(","));
    s.push_str("\r\n");
    for l in lines {
        let cells: Vec<String> = l.iter().map(|c| field(c)).collect();
        s.push_str(&cells.join(","));
        s.push_str("\r\n");
    }
    s
}
