use super::*;

fn texts(s: &str) -> Vec<(String, TokenKind)> {
    tokenize(s).into_iter().map(|t| (t.text, t.kind)).collect()
}

fn all(s: &str) -> Vec<String> {
    tokenize(s).into_iter().map(|t| t.text).collect()
}

fn of_kind(s: &str, k: TokenKind) -> Vec<String> {
    tokenize(s)
        .into_iter()
        .filter(|t| t.kind == k)
        .map(|t| t.text)
        .collect()
}

/// The tokenizer as it was written first: runs, then the pieces of each run.
fn scan_by_runs(text: &str, buf: &mut String, mut f: impl FnMut(Piece<'_>, Range<usize>)) {
    for_each_run(text, |run, r| {
        let s = &text[r.clone()];
        match run {
            Run::Cjk => {
                let table = t2s_table();
                let mut prev: Option<(char, usize)> = None;
                for (i, c) in s.char_indices() {
                    let c2 = t2s_in(table, c);
                    let (cs, ce) = (r.start + i, r.start + i + c.len_utf8());
                    if let Some((p, ps)) = prev {
                        f(Piece::Bi(p, c2), ps..ce);
                    }
                    f(Piece::Uni(c2), cs..ce);
                    prev = Some((c2, cs));
                }
            }
            Run::Alnum => alnum_pieces(text, r, buf, &mut f),
        }
    });
}

/// A tokenizer under test: `scan` or `scan_by_runs`.
type Scanner = fn(&str, &mut String, &mut dyn FnMut(Piece<'_>, Range<usize>));

/// The pieces of `text` as owned values, from `scan_fn`.
fn pieces(text: &str, scan_fn: Scanner) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    scan_fn(text, &mut String::new(), &mut |p, r| {
        out.push((format!("{p:?}"), r));
    });
    out
}

#[test]
fn one_pass_gives_the_pieces_of_runs_then_pieces() {
    let mut texts: Vec<String> = [
        "",
        "养老服务",
        "PM2.5 超标 2021年 3.5万元 50% 第5批",
        "a.b 1.2.3 1. .5 x1.y",
        "繁體中文與简体 ＡＢＣ１２３　全角",
        "混合abc中文123年end",
        "〇々 가나 ｱｲ 𠀀𠀁",
        "2021年12月31日",
        "１．５％",
        "5.5.5",
        "v1.2版",
        "..1..2..",
        "中.5",
        "5.中",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for e in walkdir::WalkDir::new(content).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "md") {
            texts.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    assert!(texts.len() > 30);
    for t in &texts {
        let fused = pieces(t, |t, b, f| scan(t, b, f));
        let by_runs = pieces(t, |t, b, f| scan_by_runs(t, b, f));
        assert_eq!(fused, by_runs, "{t}");
    }
}

#[test]
fn the_class_table_classifies_every_character_as_the_ranges_do() {
    let beyond = [
        '\u{10000}',
        '\u{20000}',
        '\u{2A6DF}',
        '\u{3FFFF}',
        '\u{E0001}',
    ];
    for c in (0..=0xFFFFu32).filter_map(char::from_u32).chain(beyond) {
        assert_eq!(
            class_of_unfolded(c),
            class_of(fold_width(c)),
            "U+{:04X}",
            c as u32
        );
    }
}

#[test]
fn chinese_unigrams_and_bigrams() {
    assert_eq!(
        all("养老服务"),
        ["养", "养老", "老", "老服", "服", "服务", "务"]
    );
    let t = tokenize("养老");
    assert_eq!((t[1].start, t[1].end), (0, 6));
}

#[test]
fn latin_and_digit_runs_stay_whole() {
    assert_eq!(
        texts("Hello World"),
        [
            ("hello".to_string(), TokenKind::Word),
            ("world".to_string(), TokenKind::Word)
        ]
    );
    assert_eq!(of_kind("Ärger ÉCOLE", TokenKind::Word), ["ärger", "école"]);
    assert_eq!(all("PM2.5浓度"), ["pm2.5", "浓", "浓度", "度"]);
    assert_eq!(all("5G网络"), ["5g", "网", "网络", "络"]);
    assert_eq!(texts("12345"), [("12345".to_string(), TokenKind::Number)]);
    assert_eq!(all("第5批"), ["第", "5", "5批", "批"]);
    assert_eq!(all("a.b 2.5. 3."), ["a", "b", "2.5", "3"]);
    assert_eq!(all("增长50％"), ["增", "增长", "长", "50", "50%"]);
}

#[test]
fn numbers_with_units_are_measures() {
    assert_eq!(
        texts("2021年"),
        [
            ("2021".to_string(), TokenKind::Number),
            ("2021年".to_string(), TokenKind::Number),
            ("年".to_string(), TokenKind::Unigram)
        ]
    );
    assert_eq!(all("２０２１年度"), ["2021", "2021年", "年", "年度", "度"]);
    let t = tokenize("共3.5万元");
    let m = t.iter().find(|t| t.text == "3.5万").unwrap();
    assert_eq!(&"共3.5万元"[m.start..m.end], "3.5万");
}

#[test]
fn traditional_folds_to_simplified() {
    assert_eq!(all("養老"), all("养老"));
    assert_eq!(
        all("關於"),
        ["关", "关於", "於"],
        "於 is kept (also simplified)"
    );
    assert_eq!(normalize("臺灣"), "台湾");
    assert_eq!(fold('乾'), '乾');
    assert!(T2S.lines().count() > 2500);
}

#[test]
fn punctuation_separates() {
    assert_eq!(
        of_kind("低保、养老，就业", TokenKind::Bigram),
        ["低保", "养老", "就业"]
    );
    assert_eq!(of_kind("a.b-c_d", TokenKind::Word), ["a", "b", "c", "d"]);
    assert_eq!(
        of_kind("《通知》“养老”（试行）【公示】", TokenKind::Bigram),
        ["通知", "养老", "试行", "公示"]
    );
    assert!(tokenize("，。！？、；：… —— · ￥ ＠ ＃").is_empty());
}

#[test]
fn full_width_folds_to_half_width() {
    assert_eq!(
        texts("１２３４５"),
        [("12345".to_string(), TokenKind::Number)]
    );
    assert_eq!(texts("ＡＢＣ"), [("abc".to_string(), TokenKind::Word)]);
    let t = tokenize("电话：０１０－１２３４５");
    let nums: Vec<&str> = t
        .iter()
        .map(|t| t.text.as_str())
        .filter(|t| t.starts_with('0') || t.starts_with('1'))
        .collect();
    assert_eq!(nums, ["010", "12345"]);
    let n = t.iter().find(|t| t.text == "12345").unwrap();
    assert_eq!(&"电话：０１０－１２３４５"[n.start..n.end], "１２３４５");
}

#[test]
fn phrase_normalization() {
    assert_eq!(
        normalize("  Hello，　World！养老 服务 "),
        "hello world 养老 服务"
    );
    assert_eq!(normalize("Ｈｅｌｌｏ２０２１年"), "hello2021年");
    assert_eq!(normalize("PM2.5。"), "pm2.5");
    assert!(contains_phrase(&normalize("拨打12345热线"), "12345"));
    assert!(!contains_phrase(&normalize("拨打123456热线"), "12345"));
    assert!(!contains_phrase(&normalize("PM2.5"), "2"));
    assert!(contains_phrase(&normalize("社区养老服务中心"), "养老服务"));
    assert!(!contains_phrase(&normalize("养老和服务"), "养老服务"));
    assert!(!contains_phrase("ahello world", "hello"));
    assert!(contains_phrase("ahello hello", "hello"));
    assert!(!contains_phrase("abc", ""));
}
