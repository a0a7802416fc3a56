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
        "errors,",
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
