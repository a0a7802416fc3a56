//! What the templates see of a page: its listing view ([`Summary`]) and, for its own page, the
//! whole [`PageContext`].
//!
//! Both are serialized by hand, field by field, as Tera structs: `#[serde(flatten)]` of the
//! summary into the page made serde write the page as a map, and Tera's map serializer gives
//! every key its own allocation and grows the map from empty (the page contexts were ~2 % of a
//! build's CPU at 50,000 pages, issue 13). The keys, and so the templates' names, are the same.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::AttachmentLink;
use crate::markdown::Heading;

/// What a listing shows of a page.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Title.
    pub title: String,
    /// Absolute URL path.
    pub url: String,
    /// `YYYY-MM-DD` or empty.
    pub date: String,
    /// 索引号 or empty.
    pub index_no: String,
    /// 有效性 label.
    pub validity: String,
    /// `effective` / `expired` / `repealed`.
    pub validity_key: String,
    /// Kind name.
    pub kind: String,
    /// Kind label.
    pub kind_label: String,
    /// Domain names.
    pub domains: Vec<String>,
    /// 摘要 or empty.
    pub summary: String,
    /// Report year (0 if not a report with tables).
    pub year: i32,
}

impl Summary {
    /// How many fields [`Summary::fields`] writes.
    const FIELDS: usize = 11;

    /// Writes the fields into `st`: a listing's entry, or the top of a page's own context.
    fn fields<S: SerializeStruct>(&self, st: &mut S) -> Result<(), S::Error> {
        // Destructured, so that a field added to the struct and not written here is an error.
        let Summary {
            title,
            url,
            date,
            index_no,
            validity,
            validity_key,
            kind,
            kind_label,
            domains,
            summary,
            year,
        } = self;
        st.serialize_field("title", title)?;
        st.serialize_field("url", url)?;
        st.serialize_field("date", date)?;
        st.serialize_field("index_no", index_no)?;
        st.serialize_field("validity", validity)?;
        st.serialize_field("validity_key", validity_key)?;
        st.serialize_field("kind", kind)?;
        st.serialize_field("kind_label", kind_label)?;
        st.serialize_field("domains", domains)?;
        st.serialize_field("summary", summary)?;
        st.serialize_field("year", year)
    }
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Summary", Self::FIELDS)?;
        self.fields(&mut st)?;
        st.end()
    }
}

/// A link with a label.
#[derive(Debug, Clone, Serialize)]
pub struct NamedLink {
    /// Label.
    pub name: String,
    /// Absolute URL path.
    pub url: String,
}

/// Everything the templates of a page see about it: its [`Summary`]'s fields, then these.
#[derive(Debug, Clone)]
pub(super) struct PageContext<'a> {
    pub(super) summary: Summary,
    pub(super) written: String,
    pub(super) publisher: &'a str,
    pub(super) doc_no: &'a str,
    pub(super) category: &'a str,
    pub(super) disclosure: &'static str,
    pub(super) keywords: &'a [String],
    pub(super) domain_links: Vec<NamedLink>,
    /// Its 事项 in the 标准目录 (一级 › 二级 › 三级), linking to the 事项's documents on the
    /// domain page.
    pub(super) matter_link: Option<NamedLink>,
    pub(super) attachments: Vec<AttachmentLink>,
    pub(super) related: Vec<Summary>,
    pub(super) replaces: Vec<Summary>,
    pub(super) replaced_by: Vec<Summary>,
    pub(super) content: String,
    pub(super) toc: Vec<&'a Heading>,
    pub(super) downloads: Vec<NamedLink>,
    /// 上一篇 / 下一篇 in the page's list (news: the news list; items: their first domain).
    pub(super) prev: Option<NamedLink>,
    pub(super) next: Option<NamedLink>,
    /// The main-navigation key of the page's section (`guide`, `catalog`, `news` …).
    pub(super) section: &'static str,
    /// Whether the template shows the `contact:` block (the 信息公开指南 and 依申请公开 pages).
    pub(super) show_contact: bool,
}

impl PageContext<'_> {
    /// How many fields the page has beside its summary's.
    const OWN_FIELDS: usize = 19;
}

impl Serialize for PageContext<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Destructured, so that a field added to the struct and not written here is an error.
        let PageContext {
            summary,
            written,
            publisher,
            doc_no,
            category,
            disclosure,
            keywords,
            domain_links,
            matter_link,
            attachments,
            related,
            replaces,
            replaced_by,
            content,
            toc,
            downloads,
            prev,
            next,
            section,
            show_contact,
        } = self;
        let mut st = s.serialize_struct("PageContext", Summary::FIELDS + Self::OWN_FIELDS)?;
        summary.fields(&mut st)?;
        st.serialize_field("written", written)?;
        st.serialize_field("publisher", publisher)?;
        st.serialize_field("doc_no", doc_no)?;
        st.serialize_field("category", category)?;
        st.serialize_field("disclosure", disclosure)?;
        st.serialize_field("keywords", keywords)?;
        st.serialize_field("domain_links", domain_links)?;
        st.serialize_field("matter_link", matter_link)?;
        st.serialize_field("attachments", attachments)?;
        st.serialize_field("related", related)?;
        st.serialize_field("replaces", replaces)?;
        st.serialize_field("replaced_by", replaced_by)?;
        st.serialize_field("content", content)?;
        st.serialize_field("toc", toc)?;
        st.serialize_field("downloads", downloads)?;
        st.serialize_field("prev", prev)?;
        st.serialize_field("next", next)?;
        st.serialize_field("section", section)?;
        st.serialize_field("show_contact", show_contact)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(title: &str) -> Summary {
        Summary {
            title: title.into(),
            url: "/news/a/".into(),
            date: "2021-03-01".into(),
            index_no: String::new(),
            validity: "有效".into(),
            validity_key: "effective".into(),
            kind: "news".into(),
            kind_label: "工作动态".into(),
            domains: vec!["社会救助".into()],
            summary: "摘要".into(),
            year: 0,
        }
    }

    #[test]
    fn a_page_sees_its_summary_fields_beside_its_own() {
        let keywords = vec!["低保".to_string()];
        let pc = PageContext {
            summary: summary("标题"),
            written: "2021-02-28".into(),
            publisher: "杨园街道办事处",
            doc_no: "",
            category: "",
            disclosure: "主动公开",
            keywords: &keywords,
            domain_links: Vec::new(),
            matter_link: None,
            attachments: Vec::new(),
            related: vec![summary("相关")],
            replaces: Vec::new(),
            replaced_by: Vec::new(),
            content: "<p>正文</p>".into(),
            toc: Vec::new(),
            downloads: Vec::new(),
            prev: None,
            next: Some(NamedLink {
                name: "下一篇".into(),
                url: "/news/b/".into(),
            }),
            section: "news",
            show_contact: false,
        };
        let v = tera::Value::from_serializable(&pc);
        let map = v.as_map().expect("a map");
        assert_eq!(map.len(), Summary::FIELDS + PageContext::OWN_FIELDS);
        let get = |k: &'static str| map.get(&tera::value::Key::Str(k)).expect(k);
        assert_eq!(get("title").as_str(), Some("标题"));
        assert_eq!(get("summary").as_str(), Some("摘要"));
        assert_eq!(get("publisher").as_str(), Some("杨园街道办事处"));
        assert_eq!(get("content").as_str(), Some("<p>正文</p>"));
        let related = get("related").as_array().expect("a list");
        assert_eq!(related.len(), 1);
        let first = related[0].as_map().expect("a map");
        assert_eq!(first.len(), Summary::FIELDS);
        let next = get("next").as_map().expect("a map");
        assert_eq!(
            next.get(&tera::value::Key::Str("url"))
                .and_then(|u| u.as_str()),
            Some("/news/b/")
        );
        assert!(get("prev").is_none());
    }
}
