//! Issue 14: nothing in content/ or on the command line makes portal write, delete or publish
//! outside its output folder. Each class of attack has a fixture; the tests assert on the file
//! system and the exit code, not only on the message.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{copy_tree, repo, snapshot_tree, text};

/// A site at `<outer>/site` (theme, `_base`, then the case), so that files planted beside it in
/// `<outer>` show whether a build reaches outside the site.
struct Sandbox {
    outer: tempfile::TempDir,
}

impl Sandbox {
    fn new(case: &str) -> Sandbox {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("site");
        copy_tree(&repo().join("themes"), &root.join("themes"));
        copy_tree(&repo().join("tests/fixtures/_base"), &root);
        if !case.is_empty() {
            copy_tree(&repo().join("tests/fixtures").join(case), &root);
        }
        // Things an attacker would like to overwrite, delete or publish.
        fs::write(outer.path().join("victim.html"), "precious").unwrap();
        fs::create_dir_all(outer.path().join("secret")).unwrap();
        fs::write(outer.path().join("secret/passwd"), "root:x:0:0:SECRET-LINE").unwrap();
        Sandbox { outer }
    }

    fn root(&self) -> PathBuf {
        self.outer.path().join("site")
    }

    fn outer(&self) -> &Path {
        self.outer.path()
    }

    fn portal(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .unwrap()
    }

    /// Every file of the sandbox except the output folder, with its bytes.
    fn outside_output(&self) -> Vec<(String, Vec<u8>)> {
        snapshot_tree(self.outer())
            .into_iter()
            .filter(|(rel, _)| !rel.starts_with("site/public/"))
            .collect()
    }

    /// Hidden staging or old folders left beside the output.
    fn leftovers(&self) -> Vec<String> {
        fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public."))
            .collect()
    }
}

/// Runs a build that must fail with exit 1, touching nothing outside `public/` and leaving the
/// previous `public/` as it was. Returns the output text.
fn refused(sb: &Sandbox, args: &[&str]) -> String {
    let public = sb.root().join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join("index.html"), "previous build").unwrap();
    let before = sb.outside_output();
    let before_public = snapshot_tree(&public);
    let out = sb.portal(args);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{t}");
    assert!(!t.contains("panicked"), "panic:\n{t}");
    assert_eq!(
        sb.outside_output(),
        before,
        "files outside public/ changed:\n{t}"
    );
    assert_eq!(
        snapshot_tree(&public),
        before_public,
        "public/ changed:\n{t}"
    );
    assert!(
        sb.leftovers().is_empty(),
        "staging left: {:?}",
        sb.leftovers()
    );
    t
}

fn assert_has(t: &str, needles: &[&str]) {
    for n in needles {
        assert!(t.contains(n), "missing {n:?} in:\n{t}");
    }
}

#[test]
fn issue14_alias_with_dot_dot_is_an_error_and_writes_nothing_outside() {
    let sb = Sandbox::new("sec-alias-escape");
    let t = refused(&sb, &["build"]);
    assert_has(
        &t,
        &[
            "error[alias/invalid]: content/news/2021-06-01-escape.md:4",
            "`aliases`",
            "..",
        ],
    );
    assert_eq!(
        fs::read_to_string(sb.outer().join("victim.html")).unwrap(),
        "precious"
    );
    assert!(!sb.outer().join("victim-dir").exists());
    assert!(!sb.outer().join("y.html").exists());
}

#[test]
fn issue14_an_alias_cannot_take_a_generated_page_an_asset_or_the_search_index() {
    let sb = Sandbox::new("sec-claims");
    let t = refused(&sb, &["build"]);
    for (file, path) in [
        ("2021-06-01-home.md:4", "index.html"),
        ("2021-06-02-catalog.md:4", "catalog/index.html"),
        ("2021-06-02-catalog.md:4", "news/index.html"),
        ("2021-06-02-catalog.md:4", "404.html"),
        ("2021-06-03-static.md:4", "static/style.css"),
        ("2021-06-03-static.md:4", "files/form.txt"),
        ("2021-06-03-static.md:4", "search/terms/index.html"),
    ] {
        let line = t
            .lines()
            .find(|l| {
                l.contains(&format!("error[output/claimed-twice]: content/news/{file}"))
                    && l.contains(&format!("输出路径 {path} "))
            })
            .unwrap_or_else(|| panic!("no claim error for {path} on {file}:\n{t}"));
        assert!(line.contains("`aliases`"), "{line}");
    }
    // The generated page is named as the other claimant.
    assert!(t.contains("生成的首页"), "{t}");
    assert!(t.contains("生成的工作动态列表第 1 页"), "{t}");
    assert!(t.contains("themes/default/static/style.css"), "{t}");
    // Every fault of the run together.
    assert!(t.contains("7 个错误"), "{t}");
}

#[test]
fn issue14_a_slug_cannot_be_a_dot_or_a_path() {
    let sb = Sandbox::new("sec-slug-dot");
    let t = refused(&sb, &["build"]);
    assert_has(
        &t,
        &[
            "error[url/invalid]: content/pages/dot.md:3",
            "error[url/invalid]: content/news/2021-06-04-page2.md:4",
        ],
    );
}

#[cfg(unix)]
#[test]
fn issue14_symlinks_out_of_the_site_are_refused_and_nothing_is_published() {
    use std::os::unix::fs::symlink;
    let sb = Sandbox::new("");
    let root = sb.root();
    symlink(
        sb.outer().join("secret/passwd"),
        root.join("content/files/passwd"),
    )
    .unwrap();
    symlink(sb.outer().join("secret"), root.join("content/files/docs")).unwrap();
    fs::write(sb.outer().join("outside.md"), "SECRET-FIRST-LINE\nmore").unwrap();
    symlink(
        sb.outer().join("outside.md"),
        root.join("content/news/2021-07-01-linked.md"),
    )
    .unwrap();
    // A link that stays inside the site is fine.
    symlink(
        root.join("content/files/form.txt"),
        root.join("content/files/form-copy.txt"),
    )
    .unwrap();
    let t = refused(&sb, &["build"]);
    assert_has(
        &t,
        &[
            "error[load/symlink-outside]: content/files/passwd",
            "error[load/symlink-outside]: content/files/docs",
            "error[load/symlink-outside]: content/news/2021-07-01-linked.md",
        ],
    );
    assert!(!t.contains("SECRET"), "a target's contents leaked:\n{t}");
    assert!(!t.contains("form-copy"), "{t}");

    // `portal check` reports the same links.
    let c = sb.portal(&["check", "--as-of", "2021-12-31"]);
    assert_eq!(c.status.code(), Some(1));
    assert!(text(&c).contains("load/symlink-outside"), "{}", text(&c));

    // Without the hostile links the inside link is published as a copy.
    for l in ["files/passwd", "files/docs", "news/2021-07-01-linked.md"] {
        fs::remove_file(root.join("content").join(l)).unwrap();
    }
    let ok = sb.portal(&["build"]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert_eq!(
        fs::read(root.join("public/files/form-copy.txt")).unwrap(),
        fs::read(root.join("content/files/form.txt")).unwrap()
    );
}

#[cfg(unix)]
#[test]
fn issue14_a_theme_static_link_out_of_the_site_is_refused() {
    let sb = Sandbox::new("");
    std::os::unix::fs::symlink(
        sb.outer().join("secret"),
        sb.root().join("themes/default/static/docs"),
    )
    .unwrap();
    let t = refused(&sb, &["build"]);
    assert_has(&t, &["符号链接", "themes/default/static/docs", "站点之外"]);
    assert!(!t.contains("SECRET"), "{t}");
}

#[test]
fn issue14_output_over_the_sources_is_refused() {
    let sb = Sandbox::new("");
    let root = sb.root();
    let sources = || {
        (
            snapshot_tree(&root.join("content")),
            snapshot_tree(&root.join("themes")),
        )
    };
    let before = sources();
    fs::create_dir_all(root.join("docs")).unwrap();
    fs::write(root.join("docs/notes.md"), "an editor's notes").unwrap();
    for out in [
        "content",
        ".",
        "themes",
        "themes/default/static",
        "content/../themes",
        "..",
    ] {
        let target = root.join(out);
        let o = sb.portal(&["build", "--output", target.to_str().unwrap(), "--force"]);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "--output {out} accepted:\n{t}");
        assert!(t.contains("error[output/unsafe-target]"), "{out}:\n{t}");
        assert_eq!(sources(), before, "--output {out} changed the sources");
    }
    // A folder with files that portal did not make: refused without --force.
    let docs = root.join("docs");
    let o = sb.portal(&["build", "--output", docs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_has(&text(&o), &["不是 portal 以前生成的", "--force"]);
    assert_eq!(
        fs::read_to_string(docs.join("notes.md")).unwrap(),
        "an editor's notes"
    );
    // A new folder is fine, and carries the marker that makes it replaceable later.
    let fresh = sb.outer().join("out");
    for _ in 0..2 {
        let o = sb.portal(&["build", "--output", fresh.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o));
    }
    assert!(fresh.join(".portal-output").is_file());
    assert!(fresh.join("index.html").is_file());
}

#[test]
fn issue14_stale_staging_folders_of_dead_runs_are_removed() {
    let sb = Sandbox::new("");
    let stale = sb.root().join(".public.staging-4000000");
    let old = sb.root().join(".public.old-4000001");
    for d in [&stale, &old] {
        fs::create_dir_all(d.join("news")).unwrap();
        fs::write(d.join("news/index.html"), "half a site").unwrap();
    }
    let o = sb.portal(&["build"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(sb.leftovers().is_empty(), "{:?}", sb.leftovers());
}

#[test]
fn issue14_control_characters_in_file_names_are_refused_and_hidden_files_named() {
    let sb = Sandbox::new("");
    let news = sb.root().join("content/news");
    fs::write(
        news.join("2021-08-01-a\nb.md"),
        "---\ntitle: 换行\ndate: 2021-08-01\n---\n正文\n",
    )
    .unwrap();
    let t = refused(&sb, &["build"]);
    assert_has(&t, &["error[load/bad-file-name]", "控制字符"]);

    fs::remove_file(news.join("2021-08-01-a\nb.md")).unwrap();
    fs::write(
        news.join(".2021-08-02-hidden.md"),
        "---\ntitle: 隐藏\ndate: 2021-08-02\n---\n正文\n",
    )
    .unwrap();
    let o = sb.portal(&["build"]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert_has(
        &t,
        &["warning[load/hidden-skipped]", "news/.2021-08-02-hidden.md"],
    );
}

#[test]
fn issue14_a_valid_but_odd_site_writes_only_inside_its_output() {
    let sb = Sandbox::new("");
    let root = sb.root();
    fs::write(
        root.join("content/news/2021-09-01-odd.md"),
        "---\ntitle: 旧网址和附件名\ndate: 2021-09-01\naliases: [\"/old/./x/\", \"old//y.html\", \"/深/层/旧网址/\"]\n---\n\n[附件](../files/a%20b.txt)\n",
    )
    .unwrap();
    fs::write(root.join("content/files/a b.txt"), "attachment").unwrap();
    let before = sb.outside_output();
    let o = sb.portal(&["build"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(sb.outside_output(), before);
    for rel in [
        "old/x/index.html",
        "old/y.html",
        "深/层/旧网址/index.html",
        "files/a b.txt",
        ".portal-output",
    ] {
        assert!(root.join("public").join(rel).is_file(), "{rel} missing");
    }
}

/// Kills builds with SIGKILL at random moments: `public/` is always the complete old or new
/// site, and the next build leaves no staging folder behind.
#[cfg(unix)]
#[test]
fn issue14_a_killed_build_leaves_the_old_or_the_new_site_and_no_leftovers() {
    use std::time::Instant;
    let sb = Sandbox::new("");
    let root = sb.root();
    let news = root.join("content/news");
    let write_news = |tag: &str| {
        for i in 0..500 {
            fs::write(
                news.join(format!("2021-05-{:02}-bulk-{i}.md", i % 28 + 1)),
                format!(
                    "---\ntitle: 批量动态{i}{tag}\ndate: 2021-05-{:02}\n---\n\n正文{tag}，第{i}条。\n",
                    i % 28 + 1
                ),
            )
            .unwrap();
        }
    };
    write_news("（旧）");
    let o = sb.portal(&["build"]);
    assert!(o.status.success(), "{}", text(&o));
    let public = root.join("public");
    let saved_old = sb.outer().join("old-public");
    copy_tree(&public, &saved_old);
    let old = snapshot_tree(&public);

    write_news("（新）");
    let new_out = sb.outer().join("new-public");
    let started = Instant::now();
    let o = sb.portal(&["build", "--output", new_out.to_str().unwrap()]);
    let full = started.elapsed();
    assert!(o.status.success(), "{}", text(&o));
    let new = snapshot_tree(&new_out);
    assert_ne!(old, new);

    // A small deterministic generator: the moments differ between trials, not between runs.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let (mut saw_old, mut saw_new) = (0, 0);
    for trial in 0..6 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let at = full.mul_f64((seed >> 33) as f64 / (1u64 << 31) as f64 * 1.1);
        let mut child = Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(["build", "--root"])
            .arg(&root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot_tree(&public);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
            // Back to the old site, so the next trial can catch the swap again.
            fs::remove_dir_all(&public).unwrap();
            copy_tree(&saved_old, &public);
        } else {
            panic!(
                "trial {trial}: killed after {at:?}, public/ is neither the old nor the new site ({} files)",
                now.len()
            );
        }
    }
    assert_eq!(saw_old + saw_new, 6);
    let o = sb.portal(&["build"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(sb.leftovers().is_empty(), "{:?}", sb.leftovers());
    assert_eq!(snapshot_tree(&public), new);
}
