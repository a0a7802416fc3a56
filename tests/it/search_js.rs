//! The query side of `themes/default/static/search.js`, run in node against an index written by
//! `write_index`: it must find the same hits as `Index::search`, in the same order, with the
//! same scores, and tokenize like `tokenize`. The JS test itself is `tests/js/search_test.mjs`.
//!
//! Skipped when node is missing, unless `CI=true` (then a missing node fails the test).

use std::path::Path;
use std::process::Command;

use portal::search::{Filters, Index, SearchDoc, TokenKind, tokenize, write_index};
use serde_json::{Value, json};

#[path = "../../src/search/test_corpus.rs"]
mod test_corpus;

/// A fixed corpus: a few hand-written pages plus 400 generated ones (deterministic), so that
/// the index has several term shards and queries have several pages of hits.
fn corpus() -> Vec<SearchDoc> {
    let mut docs = test_corpus::corpus();
    // Escaping, astral-plane characters and non-ASCII Latin case folding on the JS side.
    docs.push(test_corpus::doc(
        "pages/i/",
        "关于我们（英文）",
        "",
        "page",
        &[],
        "Hello World. 明德街道办事处 <contact> us & 𠀀𠀁 İstanbul Ärger.",
    ));
    // Headings are a field of their own in the scores: give every page one.
    for d in &mut docs {
        d.headings = vec!["办理流程".into()];
    }
    // Traditional text, a measure, a hidden keyword, an annual report named by a synonym.
    let mut k = test_corpus::doc(
        "news/k/",
        "社區養老服務中心開放",
        "2021-02-02",
        "news",
        &["养老服务"],
        "PM2.5濃度下降，第5批名单公布，补贴共3.5万元，增长50％。",
    );
    k.keywords = vec!["年度报告".into(), "低保".into()];
    docs.push(k);
    let phrases = [
        "养老服务",
        "养老",
        "服务",
        "低保",
        "最低生活保障",
        "招聘会",
        "就业创业",
        "社区",
        "老年人",
        "补贴",
        "燃气安全",
        "整治",
        "2021年",
        "12345",
        "１２３４５",
        "Hello",
        "ＡＢＣ",
        "居家养老",
        "服务中心",
        "申请",
    ];
    let domains = ["社会救助", "养老服务", "就业创业", "安全生产"];
    let kinds = ["news", "item", "report", "page"];
    let mut seed: u64 = 42;
    let mut next = |m: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % m
    };
    for i in 0..400 {
        let mut body = String::new();
        for _ in 0..(5 + next(30)) {
            body.push_str(phrases[next(phrases.len())]);
            body.push(char::from_u32(0x4E00 + next(800) as u32).unwrap_or('字'));
            body.push(char::from_u32(0x4E00 + next(800) as u32).unwrap_or('字'));
            body.push_str(["，", "。", " ", "、", ""][next(5)]);
        }
        let title = format!(
            "{}{}第{i}期",
            phrases[next(phrases.len())],
            phrases[next(phrases.len())]
        );
        let date = if i % 37 == 0 {
            String::new()
        } else {
            format!(
                "20{:02}-{:02}-{:02}",
                18 + next(6),
                1 + next(12),
                1 + next(28)
            )
        };
        let d = [domains[next(4)]];
        docs.push(test_corpus::doc(
            &format!("gen/{i}/"),
            &title,
            &date,
            kinds[next(4)],
            if i % 5 == 0 { &[] } else { &d },
            &body,
        ));
    }
    docs
}

fn filters(kind: &str, domain: &str, year: &str) -> Filters {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Filters {
        kind: opt(kind),
        domain: opt(domain),
        year: opt(year),
    }
}

fn kind_name(k: TokenKind) -> &'static str {
    match k {
        TokenKind::Unigram => "unigram",
        TokenKind::Bigram => "bigram",
        TokenKind::Word => "word",
        TokenKind::Number => "number",
    }
}

fn node_ok() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn search_js_matches_rust() {
    if !node_ok() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "node is required under CI=true (tests/js/search_test.mjs)"
        );
        eprintln!("skipped: node is not installed");
        return;
    }
    let docs = corpus();
    let tmp = tempfile::tempdir().unwrap();
    let index_dir = tmp.path().join("search");
    let stats = write_index(&docs, &index_dir).unwrap();
    assert!(
        stats.shards > 1,
        "the test corpus should span several term shards: {stats:?}"
    );
    let index = Index::build(&docs);

    let queries = [
        "养老服务",
        "养老",
        "服务",
        "老",
        "低保",
        "最低生活保障",
        "招聘会",
        "12345",
        "１２３４５",
        "2021年",
        "hello world",
        "HELLO",
        "ａｂｃ",
        "低保 hello",
        "不存在的词",
        "居家养老服务中心",
        "社区，养老",
        "𠀀",
        "istanbul",
        "第199期",
        "第19期 低保",
        "養老",
        "養老服務",
        "年报",
        "年度报告",
        "PM2.5",
        "5批",
        "2021年度报告",
        "政府信息公开",
        "最低生活保障申请",
        "",
    ];
    let filter_sets = [
        filters("", "", ""),
        filters("news", "", ""),
        filters("", "养老服务", ""),
        filters("item", "", "2021"),
        filters("", "没有这个领域", ""),
    ];
    let mut cases = Vec::new();
    for q in queries {
        for f in &filter_sets {
            cases.push(crate::search_relevance::case(&index, q, f));
        }
    }
    let texts = [
        "养老服务",
        "Hello World",
        "12345",
        "2021年",
        "１２３４５",
        "ＡＢＣ",
        "5G网络",
        "養老服務 關於 臺灣 乾隆",
        "PM2.5 第5批 3.5万元 50％ ２０２１年度 1.2.3 v2.0",
        "低保、养老，就业",
        "《通知》“养老”（试行）",
        "Ｈｅｌｌｏ　Ｗｏｒｌｄ",
        "𠀀𠀁字",
        "カタカナ・ひらがな",
        "한국어",
        "İstanbul Ärger ΣΊΣΥΦΟΣ Москва",
        "e\u{301}te",
        "emoji 😀 test",
        "a.b-c_d",
        "",
        "0123456789 ０１２３４５６７８９ abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
        r#"a!b"c#d$e%f&g'h(i)j*k+l,m-n.o/p:q;r<s=t>u?v@w[x\y]z^a_b`c{d|e}f~g"#,
        "a！b＂c＃d＄e％f＆g＇h（i）j＊k＋l，m－n．o／p：q；r＜s＝t＞u？v＠w［x＼y］z＾a＿b｀c｛d｜e｝f～g",
        "甲。乙、丙，丁；戊：己？庚！辛…壬—癸·子「丑」寅『卯』辰【巳】午〔未〕申〈酉〉戌《亥》〇々㐀\u{3000}龥豈",
        "ÀÖØöøÿĀſƀɏ ΑΩαω;· АЯая Ḁỹ ×÷ ¡¿ ｡｢｣､･ｦﾝﾟ",
    ];
    let tokens: Vec<Value> = texts
        .iter()
        .map(|t| {
            let toks: Vec<Value> = tokenize(t)
                .iter()
                .map(|k| json!([k.text, kind_name(k.kind)]))
                .collect();
            json!({ "text": t, "tokens": toks })
        })
        .collect();
    let expected = json!({ "cases": cases, "tokenize": tokens, "doc_count": docs.len() });
    let expected_path = tmp.path().join("expected.json");
    std::fs::write(
        &expected_path,
        serde_json::to_vec_pretty(&expected).unwrap(),
    )
    .unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/search_test.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(&index_dir)
        .arg(&expected_path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "node {} failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        script.display()
    );
    assert!(stdout.contains("ok"), "{stdout}");
}
