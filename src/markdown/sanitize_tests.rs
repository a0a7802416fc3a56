//! The sanitizer's fast path ([`Policy::reserialize`]) against ammonia ([`Policy::clean`]) on
//! what this stage really hands it: every page of the example site and of a corpus sample, and
//! bodies chosen to be tricky. Same bytes, and the fast path really taken.

use std::path::{Path, PathBuf};

use super::*;

/// For every page of the site at `root`: (pages, pages the fast path took, mismatches).
fn compare_site(root: &Path) -> (usize, usize, Vec<String>) {
    let (site, diags) = crate::pipeline::load_site(root, None, false);
    let site = site.unwrap_or_else(|| panic!("{} loads: {diags:?}", root.display()));
    let policy = Policy::for_site(&site.config);
    let (mut fast, mut bad) = (0, Vec::new());
    for p in &site.pages {
        let src = &p.source;
        let (_, html) =
            render_unsanitized(&src.body, src.body_first_line, &src.rel, &site, &policy);
        let Some(html) = html else { continue };
        let slow = policy.clean(&html.html);
        if let Some(quick) = policy.reserialize(&html.html) {
            fast += 1;
            if quick != slow {
                bad.push(format!("{}:\n{}\n---\n{}", src.rel, quick, slow));
            }
        }
        assert_eq!(
            render_with(&src.body, src.body_first_line, &src.rel, &site, &policy).html,
            slow,
            "{}",
            src.rel
        );
    }
    eprintln!(
        "{}: {fast} of {} pages on the fast path",
        root.display(),
        site.pages.len()
    );
    (site.pages.len(), fast, bad)
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn fast_path_writes_ammonias_bytes_on_the_example_site() {
    let (all, fast, bad) = compare_site(&repo());
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    assert!(all >= 40, "{all} pages");
    assert!(
        fast * 10 >= all * 8,
        "fast path taken on {fast} of {all} pages"
    );
}

#[test]
fn fast_path_writes_ammonias_bytes_on_a_corpus_sample() {
    let (all, fast, bad) = compare_site(&repo().join("tests/fixtures/corpus-sample"));
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
    assert!(all >= 60, "{all} pages");
    assert_eq!(fast, all, "fast path taken on {fast} of {all} pages");
}

/// The same on a site named by `PORTAL_FAST_PATH_SITE` (a generated corpus):
/// `PORTAL_FAST_PATH_SITE=/tmp/c10k cargo test --release --lib fast_path_on_a_named -- --ignored`.
#[test]
#[ignore = "needs PORTAL_FAST_PATH_SITE"]
fn fast_path_on_a_named_site() {
    let root = std::env::var("PORTAL_FAST_PATH_SITE").expect("PORTAL_FAST_PATH_SITE");
    let (all, fast, bad) = compare_site(Path::new(&root));
    eprintln!(
        "{fast} of {all} pages on the fast path, {} differ",
        bad.len()
    );
    assert!(
        bad.is_empty(),
        "{}",
        bad.iter().take(5).cloned().collect::<Vec<_>>().join("\n\n")
    );
}

/// Resolves `a.md` to a page, `files/…` to assets (sized), the rest as written.
struct Links;
impl LinkResolver for Links {
    fn resolve(&self, _from: &str, dest: &str) -> LinkTarget {
        if dest.starts_with("a.md") {
            LinkTarget::Page {
                index: 0,
                url: "/sub/a/".into(),
                anchor: dest.split_once('#').map(|(_, a)| a.to_string()),
            }
        } else if let Some(f) = dest.strip_prefix("files/") {
            LinkTarget::Asset(format!("/sub/files/{f}"))
        } else {
            LinkTarget::Other
        }
    }
    fn image_size(&self, _from: &str, dest: &str) -> Option<(u32, u32)> {
        dest.ends_with(".png").then_some((640, 480))
    }
}

/// Bodies the fast path must write as ammonia does; `true`: it must take them.
const TRICKY: &[(&str, bool)] = &[
    (
        "| 左 | 中 | 右 | 无 |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n",
        true,
    ),
    ("| 只有表头 |\n|---|\n", true),
    (
        "| a `|` b | c |\n|---|---|\n| **粗** | [链](a.md) |\n",
        true,
    ),
    (
        "正文[^1]，又一处[^注]。\n\n[^1]: 注释一。\n[^注]: 注释“二”。\n",
        true,
    ),
    ("- [ ] 未办\n- [x] 已办\n\n1. [x] 有序\n", true),
    ("- [ ] 松散\n\n- [x] 列表\n", true),
    (
        "```rust\nlet a = \"<b>\" & 'c';\n```\n\n    缩进 <i> & \"q\"\n",
        true,
    ),
    ("```\n\n首行空\n```\n", true),
    ("`<script>` & `\"引号\"` 'single'", true),
    (
        "## 标题 {#自定义-id}\n\n### Hello \"World\" & \\<Co>\n\n## 重复\n\n## 重复\n",
        true,
    ),
    ("## 带类 {.lead .x}\n", true),
    ("## 带属性 {data-x=1}\n", false),
    (
        "<https://www.gov.cn/?a=1&b=2> 与 <mailto:a@b.cn> 和 a@b.cn\n",
        true,
    ),
    (
        "![图“一”](files/a.png \"标题 'x' & y\") ![无尺寸](files/b.jpg)\n",
        true,
    ),
    ("![外链](https://evil.example/x.png)\n", false),
    (
        "![自家](https://www.example.gov.cn/sub/files/x.png)\n",
        true,
    ),
    ("第一行  \n第二行\\\n第三行\n", true),
    (
        "&nbsp;空格&copy;2024&amp;&lt;&gt;&quot;&#39;&#x1F600;\n",
        true,
    ),
    ("𠀀𠀁 😀 非BMP\n", true),
    (
        "[引号](https://x.cn/\"q\") [和](https://x.cn/?a=1&b=2) [空 格](<a b.md>) [百分](https://x.cn/%E4%B8%AD) [中文](https://x.cn/中文)\n",
        true,
    ),
    (
        "[链](a.md#节) [锚](#top) [电话](tel:123) [标题](a.md \"t & 'u' <v>\")\n",
        true,
    ),
    (
        "[脚本](javascript:alert(1)) [数据](data:text/html,x)\n",
        false,
    ),
    ("[坏](http://[::1)\n", false),
    ("[未知](foo:bar)\n", false),
    ("> 引用\n>\n> > 嵌套 **粗 *斜* 体** ~~删~~\n", true),
    (
        "1. 一\n2. 二\n\n---\n\n3. 三\n4. 四\n\n* a\n  * b\n    * c\n",
        true,
    ),
    ("[链接里的脚注[^1]](a.md)\n\n[^1]: 注\n", true),
    ("[![图](files/a.png)](a.md)\n", true),
    ("行一\r\n行二\r\n", true),
    ("- 列表\n\n  | 表 |\n  |---|\n  | 格 |\n", true),
    ("> | 引 |\n> |---|\n> | 表 |\n", true),
    ("含 <b>原始</b> HTML\n", false),
];

#[test]
fn fast_path_writes_ammonias_bytes_on_tricky_bodies() {
    let policy = Policy::new(
        &crate::site_config::HtmlConfig::default(),
        "https://www.example.gov.cn/sub/",
    );
    let mut wrong = Vec::new();
    for (body, taken) in TRICKY {
        let (_, html) = render_unsanitized(body, 1, "p.md", &Links, &policy);
        let html = html.expect("rendered").html;
        let slow = policy.clean(&html);
        let quick = policy.reserialize(&html);
        if quick.is_some() != *taken || quick.as_ref().is_some_and(|q| *q != slow) {
            wrong.push(format!(
                "{body:?}\n{html}\nfast: {quick:?}\nammonia: {slow:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
