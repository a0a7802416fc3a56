//! The preview's incremental rebuild writes exactly what a full build writes: after every edit
//! of a series (body, title, date, slug, aliases, related pages, drafts, new and deleted pages and
//! attachments, a template), the preview folder is compared file by file with `portal build`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use portal::build::{BuildOptions, build};
use portal::incremental::{Session, SessionOptions, UpdateKind};

const ORIGIN: &str = "http://127.0.0.1:1111";

/// Every file under `dir` by relative path, except the search index (written later, elsewhere).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::common::snapshot_tree(dir)
        .into_iter()
        .filter(|(rel, _)| {
            !(rel.starts_with("search/") && rel != "search/index.html" || rel == ".gitkeep")
        })
        .collect()
}

struct Fixture {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    session: Session,
}

impl Fixture {
    fn new() -> Fixture {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        crate::common::copy_tree(&repo.join("tests/fixtures/serve-basic"), &root);
        crate::common::copy_tree(&repo.join("themes"), &root.join("themes"));
        // Two news (and two documents of a domain) a page, so that edits move them between
        // list pages.
        let yaml = root.join("content/site.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        std::fs::write(
            &yaml,
            format!("{text}news_per_page: 2\nitems_per_page: 2\n"),
        )
        .unwrap();
        let mut session = Session::new(SessionOptions {
            root: root.clone(),
            output: tmp.path().join("preview"),
            origin: Some(ORIGIN.into()),
            drafts: false,
        });
        let first = session.update(&[]).unwrap();
        assert_eq!(first.kind, UpdateKind::Full);
        let root = std::fs::canonicalize(root).unwrap();
        Fixture {
            _tmp: tmp,
            root,
            session,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Applies an edit, updates the preview, and compares it with a full build; returns how
    /// many pages the update rendered.
    fn step(
        &mut self,
        what: &str,
        rel: &str,
        edit: impl FnOnce(&Path),
        expect: UpdateKind,
    ) -> usize {
        let path = self.path(rel);
        edit(&path);
        let u = self
            .session
            .update(&[path])
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(u.kind, expect, "{what}");
        let full = self.root.parent().unwrap().join("full");
        let opts = BuildOptions {
            root: self.root.clone(),
            output: Some(full.clone()),
            base_url: Some(format!("{ORIGIN}/yangyuan/")),
            drafts: false,
            force: false,
        };
        build(&opts).unwrap_or_else(|e| panic!("{what}: the full build fails: {e}"));
        let (inc, all) = (files(self.session.output()), files(&full));
        let only_inc: Vec<&String> = inc.keys().filter(|k| !all.contains_key(*k)).collect();
        let only_full: Vec<&String> = all.keys().filter(|k| !inc.contains_key(*k)).collect();
        assert!(
            only_inc.is_empty() && only_full.is_empty(),
            "{what}: only in the preview {only_inc:?}, only in the build {only_full:?}"
        );
        for (rel, bytes) in &all {
            assert!(
                inc[rel] == *bytes,
                "{what}: {rel} differs from a full build"
            );
        }
        u.rendered
    }

    /// The inode of each file of the preview: a file replaced gets a new one.
    fn inodes(&self) -> BTreeMap<String, u64> {
        use std::os::unix::fs::MetadataExt as _;
        files(self.session.output())
            .into_keys()
            .map(|rel| {
                let ino = std::fs::metadata(self.session.output().join(&rel))
                    .unwrap()
                    .ino();
                (rel, ino)
            })
            .collect()
    }
}

/// A body edit renders the page alone and replaces its file alone: its neighbours, the
/// listings, the feeds and the site map show only what the front matter says. A title edit
/// still renders the listings. (Both equal a full build, as every step does.)
#[test]
fn a_body_edit_renders_and_replaces_the_page_alone() {
    let mut f = Fixture::new();
    let before = f.inodes();
    let rendered = f.step(
        "body edit",
        FIRST,
        replace("第一条动态的正文", "改过的正文"),
        UpdateKind::Pages,
    );
    assert_eq!(rendered, 1);
    let after = f.inodes();
    let replaced: Vec<&String> = after
        .iter()
        .filter(|(rel, ino)| before.get(*rel) != Some(*ino))
        .map(|(rel, _)| rel)
        .collect();
    assert_eq!(replaced, ["news/2026-01-05-first/index.html"]);

    let rendered = f.step(
        "title edit",
        FIRST,
        replace("title: 第一条动态", "title: 改名的动态"),
        UpdateKind::Pages,
    );
    assert!(rendered > 1, "{rendered}");
    let listings = f.inodes();
    assert_ne!(listings["index.html"], after["index.html"]);
    assert_ne!(listings["news/feed.xml"], after["news/feed.xml"]);
}

fn replace(from: &'static str, to: &'static str) -> impl FnOnce(&Path) {
    move |p: &Path| {
        let text = std::fs::read_to_string(p).unwrap();
        assert!(text.contains(from), "{} has no {from:?}", p.display());
        std::fs::write(p, text.replacen(from, to, 1)).unwrap();
    }
}

fn write(text: &'static str) -> impl FnOnce(&Path) {
    move |p: &Path| {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn remove(p: &Path) {
    std::fs::remove_file(p).unwrap();
}

const FIRST: &str = "content/news/2026-01-05-first.md";
const DIBAO: &str = "content/items/social-assistance/dibao.md";
const TEKUN: &str = "content/items/social-assistance/tekun.md";

#[test]
fn every_incremental_update_equals_a_full_build() {
    use UpdateKind::{Full, Pages};
    let mut f = Fixture::new();
    f.step(
        "body edit",
        FIRST,
        replace("第一条动态的正文", "改过的正文"),
        Pages,
    );
    f.step(
        "title edit",
        FIRST,
        replace("title: 第一条动态", "title: 改名的动态"),
        Pages,
    );
    f.step(
        "date edit moves it in the news list",
        FIRST,
        replace("date: 2026-01-05", "date: 2026-01-09"),
        Pages,
    );
    f.step(
        "date edit into another year adds a year archive",
        FIRST,
        replace("date: 2026-01-09", "date: 2025-12-30"),
        Pages,
    );
    f.step(
        "and back: the year archive goes",
        FIRST,
        replace("date: 2025-12-30", "date: 2026-01-09"),
        Pages,
    );
    f.step("new news", "content/news/2026-01-10-third.md", write("---\ntitle: 第三条\ndate: 2026-01-10\n---\n\n见[特困](../items/social-assistance/tekun.md)。\n"), Pages);
    f.step(
        "new news, a second list page",
        "content/news/2026-01-11-fourth.md",
        write("---\ntitle: 第四条\ndate: 2026-01-11\n---\n\n正文。\n"),
        Pages,
    );
    f.step(
        "new item: its domain gets a second page",
        "content/items/social-assistance/linshi.md",
        write("---\ntitle: 临时救助\ndate: 2026-01-12\nindex_no: \"737546075/2026-00009\"\n---\n\n正文。\n"),
        Pages,
    );
    f.step(
        "its date moves it to the domain's second page",
        "content/items/social-assistance/linshi.md",
        replace("date: 2026-01-12", "date: 2019-01-12"),
        Pages,
    );
    f.step(
        "item deleted: back to one page",
        "content/items/social-assistance/linshi.md",
        remove,
        Pages,
    );
    f.step(
        "new item again, for the domain move below",
        "content/items/social-assistance/linshi.md",
        write("---\ntitle: 临时救助\ndate: 2026-01-12\nindex_no: \"737546075/2026-00009\"\n---\n\n正文。\n"),
        Pages,
    );
    f.step(
        "slug change of a linked item",
        DIBAO,
        replace(
            "title: 最低生活保障办理流程",
            "slug: dibao-new\ntitle: 最低生活保障办理流程",
        ),
        Pages,
    );
    f.step(
        "alias added",
        DIBAO,
        replace("slug: dibao-new", "slug: dibao-new\naliases: [old/dibao]"),
        // A page with aliases takes the full render, which checks every output claim.
        Full,
    );
    f.step(
        "alias removed",
        DIBAO,
        replace("aliases: [old/dibao]\n", ""),
        Pages,
    );
    f.step(
        "replaces added",
        DIBAO,
        replace(
            "index_no:",
            "replaces: [items/social-assistance/tekun.md]\nindex_no:",
        ),
        Pages,
    );
    f.step(
        "replaces removed",
        DIBAO,
        replace("replaces: [items/social-assistance/tekun.md]\n", ""),
        Pages,
    );
    f.step(
        "related removed",
        DIBAO,
        replace("related:\n  - items/social-assistance/tekun.md\n", ""),
        Pages,
    );
    f.step(
        "related added back from the other side",
        TEKUN,
        replace(
            "index_no:",
            "related: [items/social-assistance/dibao.md]\nindex_no:",
        ),
        Pages,
    );
    f.step(
        "item moved to another domain",
        TEKUN,
        replace("index_no:", "domain: elderly-care\nindex_no:"),
        Pages,
    );
    f.step(
        "attachment added",
        "content/files/new.txt",
        write("新附件\n"),
        Pages,
    );
    f.step(
        "link to it",
        "content/news/2026-01-11-fourth.md",
        replace("正文。", "见[附件](../files/new.txt)。"),
        Pages,
    );
    f.step("attachment deleted", "content/files/new.txt", remove, Pages);
    f.step(
        "attachment back",
        "content/files/new.txt",
        write("又有了\n"),
        Pages,
    );
    f.step(
        "page turned draft",
        "content/news/2026-01-10-third.md",
        replace("date: 2026-01-10", "date: 2026-01-10\ndraft: true"),
        Pages,
    );
    f.step(
        "news deleted",
        "content/news/2026-01-11-fourth.md",
        remove,
        Pages,
    );
    f.step(
        "linked item deleted, then its linker fixed",
        TEKUN,
        remove,
        Pages,
    );
    f.step(
        "nav title edit renders all",
        "content/pages/guide.md",
        replace("title: 政府信息公开指南", "title: 信息公开指南"),
        Full,
    );
    f.step(
        "template edit renders all",
        "themes/default/templates/news.html",
        replace("</article>", "<p>新模板</p></article>"),
        Full,
    );
    f.step(
        "site.yaml edit renders all",
        "content/site.yaml",
        replace("title: 测试街道政府信息公开", "title: 测试街道"),
        Full,
    );
    f.step(
        "a catalog file renders all, like site.yaml",
        "content/catalog/social-assistance.yaml",
        write("defaults: { basis: 规定, subject: 街道, channels: [政府网站], audience: 全社会, disclosure: 主动, levels: [乡级], content: 测试, deadline: 信息形成或变更之日起20个工作日内 }\nmatters:\n  - { id: guide, level1: 最低生活保障, level2: 办事指南 }\n  - { id: list, level1: 最低生活保障, level2: 审批信息 }\n"),
        Full,
    );
    f.step(
        "item filed under a 事项: its domain's table and the open data",
        DIBAO,
        replace("index_no:", "matter: social-assistance/guide\nindex_no:"),
        Pages,
    );
    f.step(
        "news filed under a 事项",
        FIRST,
        replace(
            "title: 改名的动态",
            "title: 改名的动态\nmatter: social-assistance/list",
        ),
        Pages,
    );
    f.step(
        "news moved to another 事项",
        FIRST,
        replace("social-assistance/list", "social-assistance/guide"),
        Pages,
    );
    // Edits of pages that keep their URL, 索引号 and links are resolved again one by one
    // against the previous model (the fast path): each must still equal a full build.
    f.step(
        "another news into an earlier year: two year archives",
        "content/news/2026-01-06-second.md",
        replace("date: 2026-01-06", "date: 2025-06-06"),
        Pages,
    );
    f.step(
        "body edit of a news: the other year's archive stays",
        FIRST,
        replace("改过的正文", "又改过的正文"),
        Pages,
    );
    f.step(
        "date edit within its year",
        "content/news/2026-01-06-second.md",
        replace("date: 2025-06-06", "date: 2025-07-07"),
        Pages,
    );
    f.step(
        "summary edit shows on the lists",
        "content/news/2026-01-06-second.md",
        replace("title: 第二条动态", "title: 第二条动态\nsummary: 新的摘要"),
        Pages,
    );
    f.step(
        "body edit of a standalone page",
        "content/pages/guide.md",
        replace("本指南说明", "本指南现在说明"),
        Pages,
    );
    f.step(
        "validity edit of an item: its domain's in-force view",
        DIBAO,
        replace("index_no:", "validity: repealed\nindex_no:"),
        Pages,
    );
    f.step(
        "body edit of an item",
        DIBAO,
        replace("申请、审核、确认。", "申请、审核、确认、公示。\n"),
        Pages,
    );
    f.step(
        "title edit of an item: its domain's page that shows it",
        DIBAO,
        replace("title: 最低生活保障办理流程", "title: 最低生活保障办理指南"),
        Pages,
    );
    f.step(
        "date edit moving a news item to the other year and list page",
        FIRST,
        replace("date: 2026-01-09", "date: 2025-01-01"),
        Pages,
    );
    // Annual reports are resolved again one by one too: their tables parsed again, the
    // reports reconciled again.
    f.step(
        "an annual report with tables",
        REPORT,
        copy_of("content/reports/2021.md"),
        Pages,
    );
    f.step(
        "a table edit of the report",
        REPORT,
        replace("coercion: 0", "coercion: 2"),
        Pages,
    );
    f.step(
        "a body edit of the report",
        REPORT,
        replace("## 一、总体情况", "## 一、总体情况\n\n新增的一段。"),
        Pages,
    );
    f.step(
        "the report's year: the reports index and the all-years CSV",
        REPORT,
        replace("year: 2021", "year: 2020"),
        Pages,
    );
}

const REPORT: &str = "content/reports/2021.md";

/// Writes the repository's file at `rel` there.
fn copy_of(rel: &'static str) -> impl FnOnce(&Path) {
    move |p: &Path| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::copy(repo.join(rel), p).unwrap();
    }
}

#[test]
fn a_failed_update_writes_nothing_and_the_next_good_one_catches_up() {
    let mut f = Fixture::new();
    let before = files(f.session.output());
    let first = f.path(FIRST);
    replace("date: 2026-01-05", "date: [2026-01-05")(&first);
    assert!(f.session.update(std::slice::from_ref(&first)).is_err());
    // Another file changes while the first is still broken.
    let second = f.path("content/news/2026-01-06-second.md");
    replace("第二条动态的正文", "第二条改了")(&second);
    assert!(f.session.update(std::slice::from_ref(&second)).is_err());
    assert!(
        files(f.session.output()) == before,
        "a failed update wrote something"
    );
    // Fixing the first brings both changes in.
    f.step(
        "fix",
        FIRST,
        replace("date: [2026-01-05", "date: 2026-01-05"),
        UpdateKind::Pages,
    );
    let page =
        std::fs::read_to_string(f.session.output().join("news/2026-01-06-second/index.html"))
            .unwrap();
    assert!(page.contains("第二条改了"));
}

#[test]
fn editor_leftovers_change_nothing() {
    let mut f = Fixture::new();
    for name in [
        ".2026-01-05-first.md.swp",
        "2026-01-05-first.md~",
        "4913",
        "#2026-01-05-first.md#",
    ] {
        let p = f.path("content/news").join(name);
        std::fs::write(&p, "x").unwrap();
        assert_eq!(
            f.session.update(&[p]).unwrap().kind,
            UpdateKind::Unchanged,
            "{name}"
        );
    }
}
