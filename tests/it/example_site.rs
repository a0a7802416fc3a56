//! The repository's own example portal (content/, from the 2021 report of 杨园街道) builds and
//! shows what a reader and an inspector expect.

use crate::common::{Site, text};

#[test]
fn example_portal_builds_with_catalog_report_and_pagination() {
    let site = Site::example();
    let out = site.portal(&["build"]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");

    // 13 domains of the report, each with at least one item, counts shown on the catalog.
    let catalog = site.read("catalog/index.html");
    for name in [
        "户籍管理",
        "社会救助",
        "养老服务",
        "公共法律服务",
        "财政预决算",
        "就业",
        "社会保险",
        "国有土地上房屋征收与补偿",
        "城市综合执法",
        "市政服务",
        "公共文化服务",
        "卫生健康",
        "食品药品监管",
    ] {
        assert!(
            catalog.contains(&format!(">{name}</a></th>")),
            "{name} missing from catalog"
        );
    }
    // The last column counts documents; the two before it the domain's 事项 and 事项 with
    // documents (市政服务's 事项 are all county-level, so 0 of them have documents).
    assert_eq!(
        catalog.matches("<td class=count>0</td></tr>").count(),
        0,
        "a domain is empty"
    );
    assert!(
        catalog.contains("社会救助</a></th><td>最低生活保障、特困人员救助供养、临时救助等救助政策和办理流程。</td><td class=\"count col-matter\">12</td><td class=\"count col-matter\">3</td><td class=count>3</td></tr>"),
        "{catalog}"
    );
    assert!(catalog.contains("共 13 个领域"), "{catalog}");

    // The annual report with its metadata as published.
    let report = site.read("reports/2021/index.html");
    for needle in [
        "<h1>杨园街道2021年政府信息公开工作年度报告</h1>",
        "<dt>索引号</dt><dd>737546075/2022-01884</dd>",
        "<dt>发布机构</dt><dd>武汉市武昌区人民政府杨园街道办事处</dd>",
        "<dt>公开日期</dt><dd><time datetime=2022-01-13>2022-01-13</time></dd>",
        "<dt>有效性</dt>",
        "id=一总体情况",
        "href=/yangyuan/reports/",
    ] {
        assert!(report.contains(needle), "missing {needle}");
    }

    // 15 news at 10 per page: two pages.
    let p1 = site.read("news/index.html");
    assert!(p1.contains("第 1 页，共 2 页"), "{p1}");
    assert!(site.root().join("public/news/page/2/index.html").exists());
    assert!(!site.root().join("public/news/page/3").exists());

    // Sub-path URLs everywhere.
    let home = site.read("index.html");
    assert!(home.contains("href=/yangyuan/catalog/"));
    assert!(home.contains("杨园街道2021年政府信息公开工作年度报告"));
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://www.example.gov.cn/yangyuan/reports/2021/</loc>")
    );
}

/// The `<meta name=… content=…>` pairs of a (minified) page, in order.
fn metas(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in html.split("<meta ").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let attr = |name: &str| -> Option<String> {
            let at = tag.find(&format!("{name}="))? + name.len() + 1;
            let rest = &tag[at..];
            Some(match rest.chars().next()? {
                q @ ('"' | '\'') => rest[1..].split(q).next()?.to_string(),
                _ => rest.split(' ').next()?.to_string(),
            })
        };
        if let (Some(n), Some(c)) = (attr("name"), attr("content")) {
            out.push((n, c));
        }
    }
    out
}

fn meta<'a>(all: &'a [(String, String)], name: &str) -> Option<&'a str> {
    all.iter().find(|(n, _)| n == name).map(|(_, c)| c.as_str())
}

#[test]
fn every_page_type_carries_the_government_meta_tags() {
    let site = Site::example();
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let origin = "https://www.example.gov.cn";
    // (file, ColumnName, ColumnType, Url path, is an article)
    let pages = [
        ("index.html", "首页", "首页", "/yangyuan/", false),
        (
            "catalog/index.html",
            "基层政务公开标准目录",
            "信息公开目录",
            "/yangyuan/catalog/",
            false,
        ),
        (
            "catalog/social-assistance/index.html",
            "社会救助",
            "信息公开目录",
            "/yangyuan/catalog/social-assistance/",
            false,
        ),
        (
            "items/household-registration/hukou-migration/index.html",
            "户籍管理",
            "信息公开目录",
            "/yangyuan/items/household-registration/hukou-migration/",
            true,
        ),
        (
            "news/index.html",
            "工作动态",
            "工作动态",
            "/yangyuan/news/",
            false,
        ),
        (
            "news/page/2/index.html",
            "工作动态",
            "工作动态",
            "/yangyuan/news/page/2/",
            false,
        ),
        (
            "news/2021-04-15-grid-one-member/index.html",
            "工作动态",
            "工作动态",
            "/yangyuan/news/2021-04-15-grid-one-member/",
            true,
        ),
        (
            "reports/index.html",
            "政府信息公开工作年度报告",
            "年度报告",
            "/yangyuan/reports/",
            false,
        ),
        (
            "reports/2021/index.html",
            "政府信息公开工作年度报告",
            "年度报告",
            "/yangyuan/reports/2021/",
            true,
        ),
        (
            "guide/index.html",
            "政府信息公开指南",
            "信息公开",
            "/yangyuan/guide/",
            false,
        ),
        (
            "search/index.html",
            "站内搜索",
            "站内搜索",
            "/yangyuan/search/",
            false,
        ),
        (
            "sitemap/index.html",
            "网站地图",
            "网站地图",
            "/yangyuan/sitemap/",
            false,
        ),
        (
            "404.html",
            "页面未找到",
            "错误页",
            "/yangyuan/404.html",
            false,
        ),
    ];
    for (file, column, column_type, url, article) in pages {
        let html = site.read(file);
        let m = metas(&html);
        let expect = |name: &str, value: &str| {
            assert_eq!(meta(&m, name), Some(value), "{name} of {file}: {m:?}");
        };
        expect("SiteName", "杨园街道政府信息公开");
        expect("SiteDomain", "www.example.gov.cn");
        expect("ColumnName", column);
        expect("ColumnType", column_type);
        expect("Url", &format!("{origin}{url}"));
        assert!(
            meta(&m, "Description").is_some_and(|d| !d.is_empty()),
            "Description of {file}"
        );
        // The example has no 政府网站标识码 yet: the tag is left out rather than left empty.
        assert_eq!(meta(&m, "SiteIDCode"), None, "{file}");
        for name in ["ArticleTitle", "PubDate", "ContentSource"] {
            assert_eq!(meta(&m, name).is_some(), article, "{name} on {file}");
        }
        if article {
            let h1 = html
                .split("<h1>")
                .nth(1)
                .unwrap()
                .split("</h1>")
                .next()
                .unwrap();
            expect("ArticleTitle", h1);
            expect("ContentSource", "武汉市武昌区人民政府杨园街道办事处");
        }
    }
    let item = metas(&site.read("items/household-registration/hukou-migration/index.html"));
    assert_eq!(meta(&item, "Keywords"), Some("户口迁移,户籍,公安派出所"));
    let report = metas(&site.read("reports/2021/index.html"));
    assert_eq!(meta(&report, "PubDate"), Some("2022-01-13"));
}

#[test]
fn example_footer_header_and_contact_show_only_what_the_seed_states() {
    let site = Site::example();
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let home = site.read("index.html");
    let footer = home.split("<footer").nth(1).unwrap();
    assert!(
        footer.contains("主办单位：武汉市武昌区人民政府杨园街道办事处"),
        "{footer}"
    );
    assert!(
        footer.contains("<a href=/yangyuan/sitemap/>网站地图</a>"),
        "{footer}"
    );
    assert!(
        footer.contains("<a href=/yangyuan/guide/#contact>联系我们</a>"),
        "{footer}"
    );
    assert!(
        footer.contains("<a href=/yangyuan/statement/>网站声明</a>"),
        "{footer}"
    );
    // Nothing the seed does not state: no 备案号, 标识码, phone or address.
    for absent in ["ICP", "公网安备", "网站标识码", "联系电话", "地址", "找错"] {
        assert!(!footer.contains(absent), "{absent} in {footer}");
    }
    // The header names the organization; the nav marks the current section.
    assert!(home.contains("<p class=site-org>武汉市武昌区人民政府杨园街道办事处</p>"));
    let catalog = site.read("catalog/index.html");
    assert!(catalog.contains("<a aria-current=page href=/yangyuan/catalog/>标准目录</a>"));
    // Breadcrumbs on every page, search included.
    for f in [
        "index.html",
        "search/index.html",
        "sitemap/index.html",
        "404.html",
        "guide/index.html",
    ] {
        assert!(
            site.read(f)
                .contains("<nav aria-label=当前位置 class=breadcrumb>"),
            "{f}"
        );
    }
    // The guide and the 依申请公开 page show the contact block with the one stated element.
    for f in ["guide/index.html", "apply/index.html"] {
        let page = site.read(f);
        assert!(page.contains("id=contact"), "{f}");
        assert!(
            page.contains("<dt>名称</dt><dd>武汉市武昌区人民政府杨园街道办事处</dd>"),
            "{f}"
        );
        assert!(!page.contains("<dt>联系电话</dt>"), "{f}");
    }
    // The 网站地图 lists every domain and the annual report.
    let map = site.read("sitemap/index.html");
    assert!(map.contains("<a href=/yangyuan/catalog/food-and-drug-regulation/>食品药品监管</a>"));
    assert!(map.contains("杨园街道2021年政府信息公开工作年度报告"));
    // The 申请表 download is UTF-8 with a byte-order mark (read right even as text/plain).
    let txt = std::fs::read(site.root().join("public/files/zfxxgk-application-form.txt")).unwrap();
    assert!(txt.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    assert!(
        String::from_utf8(txt[3..].to_vec())
            .unwrap()
            .starts_with("政府信息公开申请表")
    );
    assert!(
        site.read("apply-form/index.html")
            .contains("<h1>政府信息公开申请表</h1>")
    );
}

#[test]
fn a_full_footer_and_parent_portal_from_site_yaml() {
    let site = Site::fixture("_base");
    let yaml = site.root().join("content/site.yaml");
    let mut text_yaml = std::fs::read_to_string(&yaml).unwrap();
    text_yaml.push_str(
        "site_id_code: \"0000000000\"\nparent_url: https://www.example.gov.cn/\nparent_name: 测试区人民政府\nfavicon: files/favicon.ico\nfooter:\n  organizer: 测试街道党政综合办公室\n  address: 测试路1号\n  postcode: \"000000\"\n  phone: 000-00000000\n  icp: 测ICP备00000000号\n  police_record: 测公网安备 00000000000000号\n  party_gov_logo: files/dzjg.png\n  party_gov_logo_url: https://www.example.gov.cn/dzjg/\n  error_report_url: https://www.example.gov.cn/jiucuo/\n  statement_url: guide/\ncontact:\n  name: 测试街道党政综合办公室\n  phone: 000-00000000\n  online: https://www.example.gov.cn/sub/apply/\n",
    );
    std::fs::write(&yaml, text_yaml).unwrap();
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let home = site.read("index.html");
    let m = metas(&home);
    assert_eq!(meta(&m, "SiteIDCode"), Some("0000000000"));
    assert!(
        home.contains("<link href=/sub/files/favicon.ico rel=icon>"),
        "{home}"
    );
    assert!(
        home.contains(
            "<a class=parent-link href=https://www.example.gov.cn/>测试区人民政府首页</a>"
        )
    );
    let footer = home.split("<footer").nth(1).unwrap();
    for needle in [
        "主办单位：测试区人民政府测试街道办事处　承办单位：测试街道党政综合办公室",
        "地址：测试路1号　邮编：000000　联系电话：000-00000000",
        "网站标识码：0000000000",
        "<a href=https://beian.miit.gov.cn/>测ICP备00000000号</a>",
        "<a href=\"https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000\">测公网安备 00000000000000号</a>",
        "<img alt=党政机关网站标识",
        "src=/sub/files/dzjg.png",
        "<a href=https://www.example.gov.cn/jiucuo/>我为政府网站找错</a>",
        "<a href=/sub/guide/>网站声明</a>",
    ] {
        assert!(footer.contains(needle), "missing {needle} in {footer}");
    }
    let catalog = site.read("catalog/index.html");
    assert!(catalog.contains(
        "<a href=https://www.example.gov.cn/>测试区人民政府</a> › <a href=/sub/>首页</a>"
    ));
    let guide = site.read("guide/index.html");
    assert!(
        guide.contains("<dt>联系电话</dt><dd>000-00000000</dd>"),
        "{guide}"
    );
    assert!(guide.contains("<dd><a href=https://www.example.gov.cn/sub/apply/>https://www.example.gov.cn/sub/apply/</a></dd>"));

    // `portal check` names each element of 条例第十二条 still missing, on the contact: line.
    let run = site.portal(&["check", "--format", "json", "--as-of", "2022-01-20"]);
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("check JSON");
    let mut missing: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "contact/missing")
        .map(|f| {
            assert_eq!(f["severity"], "warning", "{f}");
            assert_eq!(f["file"], "content/site.yaml", "{f}");
            (
                f["key"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    missing.sort();
    let keys: Vec<&str> = missing.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["contact.address", "contact.fax", "contact.hours"]);
    assert!(missing[0].1.contains("办公地址"), "{missing:?}");
    assert!(missing[1].1.contains("传真号码"), "{missing:?}");
    assert!(missing[2].1.contains("办公时间"), "{missing:?}");
}

#[test]
fn items_of_one_day_are_listed_by_index_no_with_prev_and_next() {
    let site = Site::fixture("_base");
    // Same day; by title (乙 < 养 < 甲 in code points) the order would be 00009, 00003, 00004.
    site.write(
        "content/items/elderly-care/a-later-no.md",
        "---\ntitle: 乙事项\ndate: 2021-09-09\nindex_no: \"123456789/2021-00009\"\n---\n\n正文。\n",
    );
    site.write(
        "content/items/elderly-care/b-earlier-no.md",
        "---\ntitle: 甲事项\ndate: 2021-09-09\nindex_no: \"123456789/2021-00004\"\n---\n\n正文。\n",
    );
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let list = site.read("catalog/elderly-care/index.html");
    let pos = |s: &str| {
        list.find(s)
            .unwrap_or_else(|| panic!("{s} missing in {list}"))
    };
    assert!(pos("2021-00003") < pos("2021-00004"), "{list}");
    assert!(pos("2021-00004") < pos("2021-00009"), "{list}");
    // 上一篇/下一篇 follow the same order; date and source stand before the body.
    let mid = site.read("items/elderly-care/b-earlier-no/index.html");
    assert!(
        mid.contains("上一篇：<a href=/sub/items/elderly-care/station/ rel=prev>养老服务驿站</a>"),
        "{mid}"
    );
    assert!(
        mid.contains("下一篇：<a href=/sub/items/elderly-care/a-later-no/ rel=next>乙事项</a>"),
        "{mid}"
    );
    assert!(mid.contains("打印本页"));
    let byline = mid
        .find("发布日期：<time datetime=2021-09-09>")
        .expect("byline");
    assert!(byline < mid.find("<div class=content>").unwrap());
}

/// Issue 12: the Atom feeds parse as XML with the elements Atom requires, use absolute URLs
/// from `base_url`, mark documents that are no longer effective, and are linked from `<head>`;
/// `robots.txt` names the sitemap, whose entries carry `<lastmod>`.
#[test]
fn feeds_robots_and_sitemap_are_valid_and_linked() {
    let site = Site::example();
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let base = "https://www.example.gov.cn/yangyuan/";
    for (feed, min_entries) in [
        ("news/feed.xml", 10),
        ("catalog/feed.xml", 20),
        ("reports/feed.xml", 1),
        ("catalog/social-assistance/feed.xml", 1),
    ] {
        let xml = site.read(feed);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "feed", "{feed}");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        fn child<'a, 'i>(
            n: roxmltree::Node<'a, 'i>,
            name: &str,
        ) -> Option<roxmltree::Node<'a, 'i>> {
            n.children().find(|c| c.tag_name().name() == name)
        }
        for required in ["id", "title", "updated", "author"] {
            assert!(child(root, required).is_some(), "{feed} lacks <{required}>");
        }
        let self_link = root
            .children()
            .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"))
            .unwrap();
        assert_eq!(
            self_link.attribute("href"),
            Some(format!("{base}{feed}").as_str())
        );
        let entries: Vec<_> = root
            .children()
            .filter(|c| c.tag_name().name() == "entry")
            .collect();
        assert!(
            entries.len() >= min_entries,
            "{feed}: {} entries",
            entries.len()
        );
        for e in &entries {
            for required in ["id", "title", "updated", "link"] {
                assert!(
                    child(*e, required).is_some(),
                    "{feed}: entry lacks <{required}>"
                );
            }
            let id = child(*e, "id").unwrap().text().unwrap();
            assert!(id.starts_with(base), "{feed}: {id}");
        }
    }
    // A repealed or expired item says so in every feed.
    let items = site.read("catalog/feed.xml");
    assert!(
        items.contains("【已废止】") || items.contains("【已失效】"),
        "{items}"
    );
    assert!(items.contains("label=\"有效性\""));
    // Linked from every page's head.
    let home = site.read("index.html");
    assert!(home.contains("application/atom+xml") && home.contains("/yangyuan/news/feed.xml"));
    let domain = site.read("catalog/social-assistance/index.html");
    assert!(domain.contains("/yangyuan/catalog/social-assistance/feed.xml"));
    let robots = site.read("robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {base}sitemap.xml")),
        "{robots}"
    );
    let sitemap = site.read("sitemap.xml");
    roxmltree::Document::parse(&sitemap).unwrap();
    assert!(sitemap.contains("<lastmod>2022-01-13</lastmod>"));
}

/// Issue 12: every page names its one canonical, absolute URL; a redirect names its target.
#[test]
fn every_page_has_one_canonical_url() {
    let site = Site::example();
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let public = site.root().join("public");
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&public) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = std::fs::read_to_string(e.path()).unwrap();
        let n = html.matches("rel=canonical").count();
        assert_eq!(n, 1, "{rel}: {n} canonical links");
        if rel.ends_with("/index.html") && !html.contains("http-equiv=refresh") {
            let want = format!(
                "https://www.example.gov.cn/yangyuan/{}",
                rel.trim_end_matches("index.html")
            );
            assert!(
                html.contains(&format!("<link href={want} rel=canonical>")),
                "{rel}: canonical is not {want}"
            );
        }
        pages += 1;
    }
    assert!(pages > 50, "{pages}");
}

/// Issue 12: attachments say their type and size before a resident downloads them.
#[test]
fn attachments_show_type_and_size() {
    let site = Site::example();
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let bytes = std::fs::metadata(
        site.root()
            .join("content/files/zfxxgk-application-form.txt"),
    )
    .unwrap()
    .len();
    let kb = ((bytes as f64) / 1024.0).round().max(1.0) as u64;
    let apply = site.read("apply/index.html");
    assert!(
        apply.contains(&format!("<span class=file-meta>（文本，{kb} KB）</span>")),
        "{apply}"
    );
}

/// Issue 12: news by year: one archive page per year, linked from every news listing.
#[test]
fn news_archives_by_year() {
    let site = Site::example();
    let out = site.portal(&["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let y2021 = site.read("news/2021/index.html");
    assert!(y2021.contains("2021年工作动态"), "{y2021}");
    assert!(
        !y2021.contains("杨园街道发布2021年政府信息公开工作年度报告"),
        "a 2022 news in 2021"
    );
    let y2022 = site.read("news/2022/index.html");
    assert!(y2022.contains("杨园街道发布2021年政府信息公开工作年度报告"));
    let list = site.read("news/index.html");
    assert!(
        list.contains("/yangyuan/news/2021/") && list.contains("/yangyuan/news/2022/"),
        "{list}"
    );
}
