//! End-to-end tests of `portal build` over fixture sites: the HTML a reader sees, the messages an
//! editor sees, exit codes, and the bytes on disk.

use crate::common::{Site, snapshot_tree, text};

/// Builds a fixture expected to fail; returns the output text after checking that exit code is
/// 1 and that a previous `public/` is byte-for-byte untouched.
fn failing_build(case: &str) -> String {
    let site = Site::fixture(case);
    let public = site.root().join("public");
    std::fs::create_dir_all(public.join("old")).unwrap();
    std::fs::write(public.join("index.html"), "previous build").unwrap();
    std::fs::write(public.join("old/index.html"), "previous page").unwrap();
    let before = snapshot_tree(&public);
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{case}: expected exit 1\n{t}");
    assert!(!t.contains("panicked"), "{case}: panic\n{t}");
    assert_eq!(snapshot_tree(&public), before, "{case}: public/ changed");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "{case}: staging left behind: {leftovers:?}"
    );
    t
}

fn assert_has(t: &str, needles: &[&str]) {
    for n in needles {
        assert!(t.contains(n), "missing {n:?} in:\n{t}");
    }
}

#[test]
fn missing_front_matter_names_file_and_line() {
    let t = failing_build("err-missing-front-matter");
    assert_has(
        &t,
        &["front-matter/missing-fence", "content/news/bad.md:1", "---"],
    );
}

#[test]
fn unclosed_front_matter_names_file_and_line() {
    let t = failing_build("err-unclosed-front-matter");
    assert_has(
        &t,
        &[
            "front-matter/unclosed",
            "content/news/bad.md:1",
            "没有结束行",
        ],
    );
}

#[test]
fn yaml_syntax_error_names_file_and_line() {
    let t = failing_build("err-yaml-syntax");
    assert_has(&t, &["front-matter/yaml", "content/news/bad.md:5", "括号"]);
}

#[test]
fn full_width_colon_names_file_line_column_and_key() {
    let t = failing_build("err-full-width-colon");
    assert_has(
        &t,
        &[
            "front-matter/full-width-colon",
            "content/news/bad.md:3:5",
            "键 `date`",
            "英文标点",
        ],
    );
}

#[test]
fn wrong_type_says_expected_and_found() {
    let t = failing_build("err-wrong-type");
    assert_has(
        &t,
        &[
            "front-matter/type",
            "content/news/bad.md:4",
            "键 `draft`",
            "应为：true（是）或 false（否）",
            "实际：文字 \"是\"",
        ],
    );
}

#[test]
fn missing_required_key_is_named() {
    let t = failing_build("err-missing-key");
    assert_has(
        &t,
        &[
            "front-matter/missing",
            "content/items/social-assistance/bad.md",
            "键 `index_no`",
            "123456789/YYYY-NNNNN",
        ],
    );
}

#[test]
fn impossible_date_is_located() {
    let t = failing_build("err-bad-date");
    assert_has(
        &t,
        &[
            "front-matter/date",
            "content/news/bad.md:3",
            "日历上没有这一天",
            "\"2021-02-30\"",
        ],
    );
}

#[test]
fn unknown_domain_lists_valid_slugs() {
    let t = failing_build("err-unknown-domain");
    assert_has(
        &t,
        &[
            "domain/unknown",
            "content/news/bad.md:4",
            "\"laoling\"",
            "social-assistance (社会救助)",
            "elderly-care (养老服务)",
            "employment (就业)",
        ],
    );
}

#[test]
fn duplicate_index_no_names_both_files() {
    let t = failing_build("err-duplicate-index-no");
    assert_has(
        &t,
        &[
            "index-no/duplicate",
            "content/items/social-assistance/dibao.md:4",
            "content/items/elderly-care/copy.md",
            "123456789/2021-00001",
        ],
    );
}

/// Issue 9: the duplicate is reported on the file published later (the one just added), with
/// the next free serial, whatever the order of their paths.
#[test]
fn duplicate_index_no_is_blamed_on_the_later_file_with_the_next_free_number() {
    let t = failing_build("err-duplicate-index-no-later");
    assert_has(
        &t,
        &[
            "error[index-no/duplicate]: content/items/elderly-care/added.md:4",
            "已被 content/items/social-assistance/dibao.md 使用",
            "index_no: \"123456789/2021-00004\"",
        ],
    );
    assert!(!t.contains("error[index-no/duplicate]: content/items/social-assistance/dibao.md"));
}

#[test]
fn two_files_one_url_names_both() {
    let t = failing_build("err-duplicate-url");
    assert_has(
        &t,
        &[
            "url/duplicate",
            "content/news/2021-01-10-news-1.md",
            "content/news/other.md",
            "/news/2021-01-10-news-1/",
        ],
    );
}

#[test]
fn alias_onto_another_page_names_the_aliases_key() {
    let t = failing_build("err-alias-clash");
    assert_has(
        &t,
        &[
            "url/duplicate",
            "content/news/renamed.md:4: 键 `aliases`",
            "content/news/2021-01-10-news-1.md",
            "删去这个旧网址",
        ],
    );
}

#[test]
fn gbk_file_says_not_utf8_and_suggests_resaving() {
    let t = failing_build("err-not-utf8");
    assert_has(
        &t,
        &[
            "load/not-utf8",
            "content/news/bad.md:2",
            "不是 UTF-8",
            "另存为 UTF-8",
        ],
    );
}

#[test]
fn unreadable_file_is_an_error_not_a_skip() {
    let site = Site::fixture("err-unreadable");
    let link = site.root().join("content/news/unreadable.md");
    std::os::unix::fs::symlink(site.root().join("does-not-exist.md"), &link).unwrap();
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert_has(&t, &["load/unreadable", "content/news/unreadable.md"]);
    assert!(!site.root().join("public").exists());
}

#[test]
fn template_error_names_template_line_and_snippet() {
    let t = failing_build("err-template");
    assert_has(&t, &["template/error", "news.html", "{{ page.date }"]);
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let t = failing_build("err-many");
    assert_has(
        &t,
        &[
            "content/news/bad-a.md:3",
            "content/items/social-assistance/bad-b.md:5",
            "2 个错误",
        ],
    );
}

#[test]
fn bom_and_crlf_are_accepted_and_cjk_lines_join() {
    let site = Site::fixture("ok-bom-crlf");
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let html = site.read("news/windows/index.html");
    assert!(html.contains("<h1>Windows 编辑器</h1>"), "{html}");
    assert!(html.contains("<p>杨园街道政务公开。</p>"), "{html}");
}

/// Issue 9: `domain: 社会救助` (the Chinese name an editor sees on the catalog) files the item
/// under that domain, as the slug does.
#[test]
fn domain_by_chinese_name_files_the_item() {
    let site = Site::fixture("ok-domain-by-name");
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    for slug in ["social-assistance", "elderly-care"] {
        let page = site.read(&format!("catalog/{slug}/index.html"));
        assert!(page.contains("按中文名归入领域的事项"), "{slug}");
    }
    assert!(
        !site
            .read("catalog/employment/index.html")
            .contains("按中文名归入领域的事项")
    );
}

#[test]
fn unknown_key_is_a_warning_naming_file_and_key() {
    let site = Site::fixture("ok-unknown-key");
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert_has(
        &t,
        &[
            "warning[front-matter/unknown-key]",
            "content/news/extra.md:4",
            "键 `auther`",
            "1 个警告",
        ],
    );
}

#[test]
fn fixture_site_reads_well_under_a_sub_path() {
    let site = Site::fixture("_base");
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("个页面和"), "summary line: {t}");

    // Catalog counts per domain.
    let catalog = site.read("catalog/index.html");
    assert!(catalog.contains("<a href=/sub/catalog/social-assistance/>社会救助</a></th><td>测试说明</td><td class=count>2</td>"), "{catalog}");
    assert!(
        catalog.contains(
            "<a href=/sub/catalog/employment/>就业</a></th><td></td><td class=count>0</td>"
        ),
        "{catalog}"
    );
    let home = site.read("index.html");
    assert!(
        home.contains("<span class=domain-name>社会救助</span> <span class=count>2 条</span>"),
        "{home}"
    );

    // Domain page lists newest first with 索引号 and 有效性.
    let domain = site.read("catalog/social-assistance/index.html");
    let a = domain.find("最低生活保障办理指南").unwrap();
    let b = domain.find("旧的救助规定").unwrap();
    assert!(a < b, "newest first");
    assert!(domain.contains("<td class=index-no>123456789/2020-00002</td>"));
    assert!(
        domain.contains("validity-repealed\">废止</td>")
            || domain.contains("class=\"validity validity-repealed\">废止"),
        "{domain}"
    );

    // Item page: metadata block, rewritten links, attachment, related both ways.
    let item = site.read("items/social-assistance/dibao/index.html");
    for needle in [
        "<dt>索引号</dt><dd>123456789/2021-00001</dd>",
        "<dt>发布机构</dt><dd>测试区人民政府测试街道办事处</dd>",
        "<dt>公开日期</dt><dd><time datetime=2021-07-15>2021-07-15</time></dd>",
        "<dt>公开方式</dt><dd>主动公开</dd>",
        "<dt>有效性</dt>",
        "<dt>主题分类</dt><dd>民政</dd>",
        "href=/sub/items/elderly-care/station/#%E6%9C%8D%E5%8A%A1%E5%86%85%E5%AE%B9",
        "href=/sub/guide/",
        "href=/sub/files/form.txt",
        "<a href=/sub/items/elderly-care/station/>养老服务驿站</a>",
    ] {
        assert!(item.contains(needle), "missing {needle} in {item}");
    }
    // A site URL written from the root keeps its trailing slash under the sub-path.
    let guide = site.read("guide/index.html");
    assert!(
        guide.contains("href=/sub/catalog/social-assistance/>"),
        "{guide}"
    );
    let station = site.read("items/elderly-care/station/index.html");
    assert!(
        station.contains("<a href=/sub/items/social-assistance/dibao/>最低生活保障办理指南</a>"),
        "related is two-way"
    );
    assert_eq!(site.read("files/form.txt"), "申请表字段（测试数据）\n");

    // Pagination: 3 news at 2 per page.
    let p1 = site.read("news/index.html");
    assert!(p1.contains("测试动态3") && p1.contains("测试动态2") && !p1.contains("测试动态1"));
    assert!(p1.contains("href=/sub/news/page/2/ rel=next"), "{p1}");
    let p2 = site.read("news/page/2/index.html");
    assert!(
        p2.contains("测试动态1") && p2.contains("href=/sub/news/ rel=prev"),
        "{p2}"
    );

    // Every page links its stylesheet under the sub-path; no external resource.
    assert!(home.contains("href=/sub/static/style.css"));
    assert!(site.root().join("public/static/style.css").exists());
    assert!(site.root().join("public/404.html").exists());
    for (path, bytes) in snapshot_tree(&site.root().join("public")) {
        let s = String::from_utf8_lossy(&bytes);
        assert!(
            !s.contains("src=http") && !s.contains("src=\"http"),
            "{path} loads an external resource"
        );
    }
}

#[test]
fn base_url_flag_moves_every_link() {
    let site = Site::fixture("_base");
    let out = site.portal(&["build", "--base-url", "http://127.0.0.1:8000/other/path/"]);
    assert!(out.status.success(), "{}", text(&out));
    let home = site.read("index.html");
    assert!(home.contains("href=/other/path/catalog/social-assistance/"));
    assert!(!home.contains("/sub/"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("_base");
    site.write(
        "content/news/2021-04-01-draft.md",
        "---\ntitle: 草稿\ndate: 2021-04-01\ndraft: true\n---\n草稿。\n",
    );
    assert!(site.portal(&["build"]).status.success());
    assert!(!site.root().join("public/news/2021-04-01-draft").exists());
    assert!(site.portal(&["build", "--drafts"]).status.success());
    assert!(
        site.root()
            .join("public/news/2021-04-01-draft/index.html")
            .exists()
    );
}

#[test]
fn two_builds_give_identical_bytes() {
    let site = Site::example();
    let a = site.root().join("out-a");
    let b = site.root().join("out-b");
    let oa = site.portal(&["build", "--output", a.to_str().unwrap()]);
    assert!(oa.status.success(), "{}", text(&oa));
    let ob = site.portal(&["build", "--output", b.to_str().unwrap()]);
    assert!(ob.status.success(), "{}", text(&ob));
    let (ta, tb) = (snapshot_tree(&a), snapshot_tree(&b));
    assert!(ta.len() > 50);
    assert_eq!(ta.len(), tb.len());
    for (x, y) in ta.iter().zip(tb.iter()) {
        assert_eq!(x.0, y.0);
        assert!(x.1 == y.1, "{} differs between builds", x.0);
    }
}

#[test]
fn domain_page_shape() {
    let site = Site::fixture("_base");
    assert!(site.portal(&["build"]).status.success());
    let html = site.read("catalog/social-assistance/index.html");
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap() + 7];
    insta::assert_snapshot!(main.replace("><", ">\n<"));
}

// Issue 14 (security): deep nesting, unsafe and unclosed HTML in bodies, deep YAML.

#[test]
fn deep_nesting_is_an_error_naming_file_line_and_depth_not_a_crash() {
    // 5,000 `>`, `- ` × 1,200 on one line and 5,000 nested `<div>` aborted the build with a
    // stack overflow inside minify-html (exit 134) before nesting was bounded.
    let t = failing_build("sec-deep");
    assert_has(
        &t,
        &[
            "error[markdown/too-deep]: content/news/2021-04-01-quotes.md:6: 正文嵌套过深：在这一行达到 101 层",
            "error[markdown/too-deep]: content/news/2021-04-02-lists.md:6: 正文嵌套过深",
            "error[markdown/too-deep]: content/pages/divs.md:7: 正文嵌套过深：在这一行达到 5001 层",
            "应为：不超过 100 层",
            "portal：3 个错误",
        ],
    );
}

#[test]
fn unsafe_html_and_addresses_in_a_body_are_errors_naming_file_and_line() {
    let t = failing_build("sec-unsafe-html");
    let file = "content/pages/unsafe.md";
    let expected = [
        (5, "unsafe-url"),         // [x](javascript:…)
        (7, "unsafe-url"),         // JaVaScRiPt:
        (9, "unsafe-url"),         // &#106;avascript:
        (11, "unsafe-html"),       // <meta http-equiv=refresh>
        (13, "unsafe-html"),       // <base href>
        (15, "unsafe-html"),       // <form action>
        (17, "unsafe-html"),       // onmouseover=
        (19, "unsafe-html"),       // <script>
        (21, "unsafe-html"),       // <iframe>
        (23, "unsafe-html"),       // <object>
        (25, "unsafe-html"),       // <noscript> payload
        (27, "external-resource"), // <img src=http://tracker…>
        (29, "external-resource"), // ![](https://tracker…)
        (31, "unsafe-html"),       // <link rel=stylesheet href=…>
        (33, "unsafe-url"),        // ![](data:…)
        (35, "unsafe-html"),       // ## 标题 {onclick=…}
        (37, "unsafe-url"),        // java&Tab;script:
    ];
    for (line, rule) in expected {
        let at = format!("error[markdown/{rule}]: {file}:{line}:");
        assert!(t.contains(&at), "missing {at} in\n{t}");
    }
    // One finding per unsafe thing (the form holds an input), nothing on the safe last line.
    assert_has(&t, &["portal：19 个错误"]);
    assert!(!t.contains(&format!("{file}:39:")), "{t}");
    assert_has(
        &t,
        &[
            "不允许 javascript: 地址",
            "页面从外部网站 tracker.example.com 加载资源",
        ],
    );
}

#[test]
fn allowed_html_is_published_sanitized_with_warnings_for_what_is_dropped() {
    let site = Site::fixture("sec-html-ok");
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert_has(
        &t,
        &[
            "warning[markdown/html-removed]: content/pages/allowed.md:15:4: <font> 不在允许的 HTML 元素之列",
            "warning[markdown/html-removed]: content/pages/allowed.md:15:",
            "target 属性不在允许之列",
        ],
    );
    let html = site.read("allowed/index.html");
    let body = &html[html.find("<div class=content>").unwrap()..html.find("</article>").unwrap()];
    for kept in [
        "<caption>办理情况</caption>",
        "<th colspan=2 scope=col>项目</th>",
        "<td rowspan=2 style=text-align:center>甲</td>",
        "<details><summary>展开</summary>详细内容</details>",
        "<h2 id=custom-anchor>自定义锚点</h2>",
        "<p>红字和<a href=../files/form.txt>附件</a>。</p>",
        "<img alt=本站图片 src=/sub/files/form.txt width=10>",
        "<th style=text-align:left>左</th>",
        "<input checked disabled type=checkbox> 已完成",
        "<sup class=footnote-reference><a href=#1>1</a></sup>",
    ] {
        assert!(body.contains(kept), "missing {kept} in\n{body}");
    }
    for dropped in ["<font", "target=", "position", "编辑备注"] {
        assert!(!body.contains(dropped), "{dropped} published in\n{body}");
    }
}

#[test]
fn a_site_widens_the_allow_list_explicitly_and_only_for_safe_things() {
    let site = Site::fixture("sec-html-widened");
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let html = site.read("map/index.html");
    assert!(
        html.contains(
            "<iframe src=\"https://map.example.gov.cn/embed?id=1\" title=办公地点地图></iframe>"
        ),
        "{html}"
    );
    assert!(html.contains("<video controls src=../files/form.txt></video>"));

    // A host that is not listed stays an error, widened tag or not.
    site.write(
        "content/pages/other-map.md",
        "---\ntitle: 别处的地图\n---\n\n<iframe src=\"https://maps.evil.example/x\" title=\"地图\"></iframe>\n",
    );
    let out = site.portal(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_has(
        &text(&out),
        &["error[markdown/external-resource]: content/pages/other-map.md:5:"],
    );

    // Scripts and event handlers can never be allowed.
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write(
        "content/site.yaml",
        &yaml
            .replace(
                "allow_tags: [iframe, video]",
                "allow_tags: [iframe, video, script]",
            )
            .replace("video: [controls, src]", "video: [controls, src, onplay]"),
    );
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert_has(
        &t,
        &[
            "error[site/html]: content/site.yaml:10: 键 `html.allow_tags`: <script> 永远不能出现在正文中",
            "error[site/html]: content/site.yaml:11: 键 `html.allow_attributes`: onplay 属性会运行脚本",
        ],
    );
}

#[test]
fn an_unclosed_comment_or_raw_text_element_is_an_error_naming_the_line() {
    let t = failing_build("sec-unclosed");
    for (name, col, open) in [
        ("comment", 1, "<!--"),
        ("textarea", 1, "<textarea>"),
        ("plaintext", 1, "<plaintext>"),
        ("xmp", 1, "<xmp>"),
        ("title", 9, "<title>"),
        ("noembed", 1, "<noembed>"),
        ("style", 1, "<style>"),
        ("script", 1, "<script>"),
    ] {
        let at = format!(
            "error[markdown/unclosed-html]: content/pages/{name}.md:7:{col}: {open} 没有结束，其后的全部正文都会被它吞掉"
        );
        assert!(t.contains(&at), "missing {at} in\n{t}");
    }
    // Each is reported once, as what swallows the page.
    assert_has(
        &t,
        &["portal：8 个错误", "提示：删除 <textarea>", "写成 &lt;!--"],
    );
}

#[test]
fn deep_yaml_is_refused_early_with_its_line() {
    // 100,000 `[` kept the YAML parser busy for 46 s before it failed.
    let site = Site::fixture("_base");
    site.write(
        "content/news/2021-05-01-deep.md",
        &format!(
            "---\ntitle: 深层 YAML\ndate: 2021-05-01\nkeywords: {}\n---\n\n正文。\n",
            "[".repeat(100_000)
        ),
    );
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert_has(
        &t,
        &[
            "error[front-matter/too-deep]: content/news/2021-05-01-deep.md:4: YAML 嵌套过深",
            "应为：不超过 64 层",
        ],
    );
    std::fs::remove_file(site.root().join("content/news/2021-05-01-deep.md")).unwrap();
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write(
        "content/site.yaml",
        &format!("{yaml}extra: {}\n", "{a: ".repeat(50_000)),
    );
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert_has(&t, &["error[site/too-deep]: content/site.yaml:"]);
}

/// Issue 9: a link written from the content root resolves (with a warning showing the relative
/// form); a misspelt one names the closest file; an indented Chinese paragraph is flagged by
/// `check`.
#[test]
fn links_from_the_content_root_resolve_and_misspelt_ones_name_the_closest_file() {
    let site = Site::fixture("ok-paths");
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert_has(
        &t,
        &[
            "warning[link/root-relative]: content/news/2021-06-05-paths.md:6",
            "`../files/form.txt`",
            "`../items/social-assistance/dibao.md`",
            "warning[link/broken]: content/news/2021-06-05-paths.md:8",
            "最接近的是 content/files/form.txt",
        ],
    );
    let html = site.read("news/2021-06-05-paths/index.html");
    assert!(
        html.contains("href=/sub/files/form.txt") || html.contains("href=\"/sub/files/form.txt\""),
        "{html}"
    );
    assert!(
        html.contains("/sub/items/social-assistance/dibao/"),
        "{html}"
    );
    let check = site.portal(&["check", "--as-of", "2021-06-10"]);
    let c = text(&check);
    assert!(c.contains("markdown/indented-paragraph"), "{c}");
}

/// Issue 12: `replaces:` links the successor and its predecessor both ways; a path to nothing
/// is a located error.
#[test]
fn replaces_links_successor_and_predecessor_both_ways() {
    let site = Site::fixture("ok-succession");
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let new = site.read("items/social-assistance/new-rule/index.html");
    assert!(new.contains("本文件替代（废止）的文件"), "{new}");
    assert!(new.contains("/sub/items/social-assistance/old-rule/"));
    let old = site.read("items/social-assistance/old-rule/index.html");
    assert!(old.contains("本文件已被以下文件替代"), "{old}");
    assert!(
        old.contains("/sub/items/social-assistance/new-rule/")
            && old.contains("123456789/2021-00010")
    );

    site.write(
        "content/items/social-assistance/new-rule.md",
        "---\ntitle: 新规定\ndate: 2021-09-01\nindex_no: \"123456789/2021-00010\"\nrepealed_by: [items/nope.md]\n---\n正文\n",
    );
    let out = site.portal(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_has(
        &text(&out),
        &[
            "error[related/missing]: content/items/social-assistance/new-rule.md:5",
            "`repealed_by`",
        ],
    );
}

/// Issue 12: a domain's documents in force, on a page of their own (a link, no JavaScript).
#[test]
fn domain_pages_link_to_their_documents_in_force() {
    let site = Site::fixture("_base");
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let all = site.read("catalog/social-assistance/index.html");
    assert!(
        all.contains("旧的救助规定") && all.contains("/sub/catalog/social-assistance/effective/")
    );
    let effective = site.read("catalog/social-assistance/effective/index.html");
    assert!(
        !effective.contains("旧的救助规定"),
        "a repealed document in force: {effective}"
    );
    assert!(effective.contains("最低生活保障办理指南"), "{effective}");
}

/// `portal build --format json|github` prints the same findings as `portal check` does in those
/// formats (one printer), on a failed build as on a good one.
#[test]
fn build_prints_findings_as_json_and_github_annotations() {
    let site = Site::fixture("err-duplicate-index-no-later");
    let out = site.portal(&["build", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["command"], "build");
    assert_eq!(v["summary"]["ok"], false);
    assert_eq!(v["summary"]["pages"], serde_json::Value::Null);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "index-no/duplicate")
        .expect("the duplicate is a finding");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "content/items/elderly-care/added.md");
    assert_eq!(f["line"], 4);
    assert!(
        site.portal(&["build", "--format", "json"])
            .stderr
            .is_empty()
    );

    let out = site.portal(&["build", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(
        t.contains(
            "::error file=content/items/elderly-care/added.md,line=4,title=index-no/duplicate::"
        ),
        "{t}"
    );

    let good = Site::fixture("ok-unknown-key");
    let out = good.portal(&["build", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["ok"], true);
    assert!(v["summary"]["pages"].as_u64().unwrap() > 0);
    assert!(v["summary"]["warnings"].as_u64().unwrap() > 0, "{v}");
    assert!(good.root().join("public/index.html").is_file());
}

/// Images under content/ get `width` and `height` from their file's header (PNG and JPEG); a
/// file that is not a readable image is still shown, without them, and fails nothing.
#[test]
fn images_get_width_and_height_from_their_files() {
    let site = Site::fixture("ok-images");
    let out = site.portal(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let html = site.read("news/2021-04-01-images/index.html");
    let img = |name: &str| {
        let at = html
            .find(name)
            .unwrap_or_else(|| panic!("{name} in:\n{html}"));
        let start = html[..at].rfind("<img").unwrap();
        let end = at + html[at..].find('>').unwrap();
        html[start..=end].to_string()
    };
    let png = img("files/地图.png");
    assert!(
        png.contains("width=37") || png.contains("width=\"37\""),
        "{png}"
    );
    assert!(
        png.contains("height=21") || png.contains("height=\"21\""),
        "{png}"
    );
    assert!(png.contains("辖区地图"), "{png}");
    let jpg = img("photo.jpg");
    assert!(
        jpg.contains("width=16") || jpg.contains("width=\"16\""),
        "{jpg}"
    );
    assert!(
        jpg.contains("height=16") || jpg.contains("height=\"16\""),
        "{jpg}"
    );
    let broken = img("broken.png");
    assert!(!broken.contains("width"), "{broken}");
    assert!(broken.contains("损坏的图片"), "{broken}");
}

/// A domain's documents past `items_per_page` go on further pages (`catalog/<slug>/page/2/`),
/// linked 上一页/下一页 like the news list, each in the site map; the count is the domain's.
#[test]
fn domain_pages_paginate_past_items_per_page() {
    let site = Site::fixture("ok-domain-pages");
    let out = site.portal(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let first = site.read("catalog/social-assistance/index.html");
    let second = site.read("catalog/social-assistance/page/2/index.html");
    assert!(
        !site
            .root()
            .join("public/catalog/social-assistance/page/3")
            .exists()
    );
    // Newest first: 低保 (2021-07-15) on page 1, the older rule on page 2.
    assert!(first.contains("最低生活保障办理指南"), "{first}");
    assert!(
        !first.contains("/sub/items/social-assistance/old-rule/"),
        "{first}"
    );
    assert!(
        second.contains("/sub/items/social-assistance/old-rule/"),
        "{second}"
    );
    assert!(!second.contains("最低生活保障办理指南"), "{second}");
    for html in [&first, &second] {
        assert!(
            html.contains("共 <span class=count>2</span> 条公开事项"),
            "{html}"
        );
        assert!(html.contains("第 ") && html.contains("共 2 页"), "{html}");
    }
    assert!(
        first.contains("href=/sub/catalog/social-assistance/page/2/ rel=next"),
        "{first}"
    );
    assert!(
        second.contains("href=/sub/catalog/social-assistance/ rel=prev"),
        "{second}"
    );
    assert!(second.contains("<title>社会救助（第2页）"), "{second}");
    assert!(
        second.contains(
            "rel=canonical href=https://www.example.gov.cn/sub/catalog/social-assistance/page/2/"
        ) || second.contains(
            "href=https://www.example.gov.cn/sub/catalog/social-assistance/page/2/ rel=canonical"
        ),
        "{second}"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://www.example.gov.cn/sub/catalog/social-assistance/page/2/</loc>"
        ),
        "{sitemap}"
    );
    // A domain that fits one page has no pagination.
    let one = site.read("catalog/elderly-care/index.html");
    assert!(
        !one.contains("rel=next") && !one.contains("class=pagination"),
        "{one}"
    );
    // The check finds every link of the new pages.
    let out = site.portal(&["check", "--as-of", "2022-01-20", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let broken: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "output/broken-link")
        .collect();
    assert!(broken.is_empty(), "{broken:?}");
}

/// Issue 13: `--timings` prints one line after the summary naming every phase of the build in
/// order, with its clock and CPU time, so a maintainer sees which phase keeps one core busy.
#[test]
fn build_timings_name_every_phase_in_order() {
    let site = Site::fixture("clean");
    let out = site.portal(&["build", "--timings"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("用时（timings）："))
        .unwrap_or_else(|| panic!("no timings line in {stdout}"));
    let phases: Vec<&str> = line
        .trim_start_matches("用时（timings）：")
        .split('，')
        .map(|p| p.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        phases,
        [
            "load",
            "theme",
            "generated",
            "outputs",
            "copy",
            "pages",
            "search-index",
            "publish"
        ]
    );
    assert!(line.contains("(CPU "), "{line}");
    // Without the flag the build says nothing of it.
    let plain = site.portal(&["build"]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("timings"));
}
