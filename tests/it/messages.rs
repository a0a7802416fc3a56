//! Issue 9: every message an editor sees is Chinese first. `portal check --format json` runs over
//! every fixture site of the suite (each built for one fault) and the example; every finding's
//! message, and its hint when it has one, must carry Chinese text. A new rule whose message is
//! English fails here as soon as a fixture triggers it.

use std::collections::BTreeSet;
use std::process::Command;

use crate::common::{copy_tree, repo};

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_finding_of_every_fixture_is_chinese() {
    let fixtures = repo().join("tests/fixtures");
    let mut cases: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("content").is_dir())
        .collect();
    cases.sort();
    cases.push(repo());
    let mut rules = BTreeSet::new();
    let mut english = Vec::new();
    for case in &cases {
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("themes"), &tmp.path().join("themes"));
        // Sites that are not whole sites lie over `_base`, as the build tests lay them.
        if !case.join("content/site.yaml").exists() {
            copy_tree(&fixtures.join("_base"), tmp.path());
        }
        copy_tree(&case.join("content"), &tmp.path().join("content"));
        let out = crate::common::check_json(tmp.path()).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let Ok(report) = serde_json::from_str::<serde_json::Value>(&stdout) else {
            panic!(
                "{}: not JSON:\n{stdout}\n{}",
                case.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        };
        // The build's own lines: every finding, and the closing line.
        let built = Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(["build", "--output"])
            .arg(tmp.path().join("out"))
            .arg("--root")
            .arg(tmp.path())
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&built.stdout),
            String::from_utf8_lossy(&built.stderr)
        );
        for line in text.lines().filter(|l| {
            l.starts_with("error[") || l.starts_with("warning[") || l.starts_with("portal")
        }) {
            if !has_chinese(line) {
                english.push(format!("{}: build: {line}", case.display()));
            }
        }
        for f in report["findings"].as_array().into_iter().flatten() {
            let rule = f["rule"].as_str().unwrap_or("?").to_string();
            rules.insert(rule.clone());
            for field in ["message", "hint"] {
                if let Some(text) = f[field].as_str()
                    && !has_chinese(text)
                {
                    english.push(format!("{}: {rule} {field}: {text}", case.display()));
                }
            }
        }
    }
    assert!(
        english.is_empty(),
        "findings without Chinese text:\n{}",
        english.join("\n")
    );
    // The sweep really met the rules (a broken harness would pass on nothing).
    assert!(
        rules.len() >= 25,
        "only {} rules met: {rules:?}",
        rules.len()
    );
}

/// Issue 9: every message links to the guide (`说明：docs/编辑指南.md#<rule>`), so every rule id
/// the code can emit must have its section there.
#[test]
fn every_rule_has_its_section_in_the_editors_guide() {
    let guide = std::fs::read_to_string(repo().join("docs/编辑指南.md")).unwrap();
    let mut rules = BTreeSet::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // `Diagnostic::error(` / `warning(` followed by the rule id, on the same or next line.
        for (i, _) in text.match_indices("Diagnostic::") {
            let rest = &text[i..];
            let Some(open) = rest.find('(') else { continue };
            let head = &rest[..open];
            if !(head.ends_with("error") || head.ends_with("warning")) {
                continue;
            }
            let after = rest[open + 1..].trim_start();
            if let Some(id) = after.strip_prefix('"').and_then(|a| a.split('"').next())
                && id.contains('/')
                && !id.contains(' ')
            {
                rules.insert(id.to_string());
            }
        }
    }
    assert!(rules.len() > 40, "the scan found only {rules:?}");
    let missing: Vec<&String> = rules
        .iter()
        .filter(|r| !guide.contains(&format!("id=\"{}\"", r.replace('/', "-"))))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a section in docs/编辑指南.md: {missing:?}"
    );
}

/// `error[rule]: file:line:col` of every finding in a run's output: what CI greps for.
fn finding_heads(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .map(|l| {
            // The location ends before the key or message: the third `: `-separated part.
            l.splitn(3, ": ").take(2).collect::<Vec<_>>().join(": ")
        })
        .collect()
}

/// Issue 9: `--lang en` (or `PORTAL_LANG=en`) speaks English for maintainers; Chinese is the
/// default. Rule ids and file:line:col are the same in both, so CI output stays greppable.
#[test]
fn lang_en_speaks_english_with_the_same_rule_ids_and_places() {
    let site = crate::common::Site::fixture("err-full-width-colon");
    let run = |args: &[&str], env: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
        cmd.args(args)
            .args(["build", "--output"])
            .arg(site.root().join("out"))
            .arg("--root")
            .arg(site.root())
            .env_remove("PORTAL_LANG");
        if let Some(v) = env {
            cmd.env("PORTAL_LANG", v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        crate::common::text(&out)
    };
    let zh = run(&[], None);
    let en = run(&["--lang", "en"], None);
    let env_en = run(&[], Some("en"));
    // The flag wins over the environment.
    let flag_zh = run(&["--lang", "zh"], Some("en"));

    for needle in [
        "键后面用了中文冒号",
        "提示：",
        "说明：docs/编辑指南.md#",
        "个错误",
    ] {
        assert!(zh.contains(needle), "{needle} missing:\n{zh}");
    }
    for needle in [
        "full-width colon",
        "hint: ",
        "see: docs/编辑指南.md#",
        "error(s),",
    ] {
        assert!(en.contains(needle), "{needle} missing:\n{en}");
    }
    for chinese in ["提示：", "说明：", "键后面", "个错误"] {
        assert!(!en.contains(chinese), "{chinese} in English:\n{en}");
    }
    assert_eq!(en, env_en);
    assert_eq!(zh, flag_zh);
    let heads = finding_heads(&zh);
    assert!(
        heads
            .iter()
            .any(|h| h.starts_with("error[front-matter/full-width-colon]: content/")),
        "{heads:?}"
    );
    assert_eq!(heads, finding_heads(&en));
}

/// `file line level rule` of every finding in `portal check`'s human output: the file is the
/// group's heading line, each finding a line `  pos  level  rule  …` under it.
fn check_heads(text: &str) -> Vec<String> {
    let mut file = String::new();
    let mut heads = Vec::new();
    for line in text.lines() {
        if !line.is_empty() && !line.starts_with(' ') && !line.starts_with("portal check") {
            file = line.to_string();
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [pos, level @ ("error" | "warning"), rule, ..] = words.as_slice() {
            heads.push(format!("{file}:{pos} {level} {rule}"));
        }
    }
    heads
}

/// Issue 9: `portal check --lang en` gives the model's errors, the freshness warnings, the
/// frame labels and the summary in English, with the same rule ids, files and lines.
#[test]
fn check_lang_en_speaks_english_for_model_errors_and_freshness_warnings() {
    let site = crate::common::Site::fixture("err-duplicate-index-no");
    let run = |lang: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(lang)
            .args(["check", "--as-of", "2030-01-01", "--root"])
            .arg(site.root())
            .env_remove("PORTAL_LANG")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        crate::common::text(&out)
    };
    let zh = run(&[]);
    let en = run(&["--lang", "en"]);
    for needle in [
        "索引号 123456789/2021-00001 已被 content/items/elderly-care/copy.md 使用",
        "应为：其他文件都没有用过的索引号",
        "实际：\"123456789/2021-00001\"，已用于",
        "提示：改为下一个可用的索引号",
        "说明：docs/编辑指南.md#index-no-duplicate",
        "工作动态栏目 3219 天未更新（检查日期 2030-01-01），超过 14 天的要求",
        "领域栏目“就业”没有任何内容（空白栏目）",
        "portal check（检查日期 2030-01-01）：",
        "个错误（error）",
        "单项否决（veto）：",
    ] {
        assert!(zh.contains(needle), "{needle} missing:\n{zh}");
    }
    for needle in [
        "The index number 123456789/2021-00001 is already used by content/items/elderly-care/copy.md",
        "expected: an index number no other file uses",
        "found: \"123456789/2021-00001\", already used by",
        "hint: Change it to the next free index number",
        "see: docs/编辑指南.md#index-no-duplicate",
        "The work news column has not been updated for 3219 days (as of 2030-01-01)",
        "expected: an update within 14 days",
        "The domain column \"就业\" has no content (a blank column)",
        "portal check (as of 2030-01-01):",
        "1 error(s), 10 warning(s)",
        "veto: columns not updated",
    ] {
        assert!(en.contains(needle), "{needle} missing:\n{en}");
    }
    for chinese in [
        "应为：",
        "实际：",
        "提示：",
        "说明：",
        "索引号",
        "未更新",
        "空白栏目",
        "个错误",
        "单项否决",
    ] {
        assert!(!en.contains(chinese), "{chinese} in English:\n{en}");
    }
    let heads = check_heads(&zh);
    for head in [
        "content/items/social-assistance/dibao.md:4 error index-no/duplicate",
        "content/news/2021-03-10-news-3.md:3 warning column/not-updated",
        "content/site.yaml:12 warning column/blank",
    ] {
        assert!(heads.iter().any(|h| h == head), "{head} not in {heads:?}");
    }
    assert_eq!(heads, check_heads(&en));
}
