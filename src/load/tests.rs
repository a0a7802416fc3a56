use super::*;

#[test]
fn the_lean_loader_keeps_the_bodies_of_a_site_they_all_fit() {
    let paths = SitePaths::new(Path::new(env!("CARGO_MANIFEST_DIR")));
    let full = load(&paths);
    let kept_bytes = |l: &Loaded| -> usize {
        l.sources
            .iter()
            .filter(|s| !s.body_on_disk && !may_be_report(s))
            .map(|s| s.body.len())
            .sum()
    };
    let on_disk = |l: &Loaded| l.sources.iter().filter(|s| s.body_on_disk).count();
    let pages = full.sources.iter().filter(|s| !may_be_report(s)).count();
    assert!(pages > 10 && on_disk(&full) == 0);
    // No budget: every page but the reports is read again.
    assert_eq!(on_disk(&load_lean_within(&paths, 0)), pages);
    // A budget the bodies do not all fit keeps none of them (nor of the reports' more).
    let total: usize = full
        .sources
        .iter()
        .filter(|s| !may_be_report(s))
        .map(|s| s.body.len())
        .sum();
    let short = load_lean_within(&paths, total - 1);
    assert_eq!(on_disk(&short), pages);
    assert!(
        short
            .sources
            .iter()
            .all(|s| !s.body_on_disk || s.body.is_empty())
    );
    assert_eq!(kept_bytes(&load_lean_within(&paths, total)), total);
    // The example's bodies all fit the build's budget, as they were read.
    let lean = load_lean(&paths);
    assert_eq!(on_disk(&lean), 0);
    for (a, b) in lean.sources.iter().zip(&full.sources) {
        assert_eq!((&a.rel, &a.body), (&b.rel, &b.body));
    }
}

#[test]
fn a_body_is_read_again_only_under_the_front_matter_it_was_loaded_with() {
    let dir = tempfile::tempdir().unwrap();
    let paths = SitePaths::new(dir.path());
    let path = paths.content.join("news/a.md");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "---\ntitle: 甲\ndate: 2021-03-01\n---\n正文一\n").unwrap();
    let (src, _) = load_one("news/a.md", &path, Path::new("content/news/a.md")).unwrap();
    assert_eq!(reread_body(&src, &paths).unwrap(), "正文一\n");
    // A new body under the same front matter is simply the newer text.
    std::fs::write(&path, "---\ntitle: 甲\ndate: 2021-03-01\n---\n正文二\n").unwrap();
    assert_eq!(reread_body(&src, &paths).unwrap(), "正文二\n");
    // A changed front matter means the model was resolved from another file: an error.
    std::fs::write(&path, "---\ntitle: 乙\ndate: 2021-03-01\n---\n正文二\n").unwrap();
    let d = reread_body(&src, &paths).unwrap_err();
    assert_eq!(d.rule, "load/changed-during-build");
    assert_eq!(d.file.as_deref(), Some(Path::new("content/news/a.md")));
    assert!(d.message.contains("构建过程中"), "{}", d.message);
    // A file replaced by a link out of the site since the walk is not read.
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.md");
        std::fs::write(&secret, "---\ntitle: 甲\ndate: 2021-03-01\n---\n机密\n").unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&secret, &path).unwrap();
        let d = reread_body(&src, &paths).unwrap_err();
        assert_eq!(d.rule, "load/symlink-outside");
        // So is a file whose folder became a link out of the site.
        std::fs::remove_file(&path).unwrap();
        std::fs::rename(&secret, outside.path().join("a.md")).unwrap();
        let news = path.parent().unwrap();
        std::fs::remove_dir(news).unwrap();
        std::os::unix::fs::symlink(outside.path(), news).unwrap();
        let d = reread_body(&src, &paths).unwrap_err();
        assert_eq!(d.rule, "load/symlink-outside");
        std::fs::remove_file(news).unwrap();
        std::fs::create_dir(news).unwrap();
        std::fs::write(&path, "---\ntitle: 甲\ndate: 2021-03-01\n---\n正文三\n").unwrap();
    }
    // A file gone is an error too, not a panic.
    std::fs::remove_file(&path).unwrap();
    assert!(reread_body(&src, &paths).is_err());
}

#[test]
fn gbk_bytes_are_reported_as_not_utf8() {
    // "标题" in GBK.
    let d = decode(
        b"---\ntitle: \xb1\xea\xcc\xe2\n".to_vec(),
        Path::new("content/a.md"),
    )
    .unwrap_err();
    assert_eq!(d.rule, "load/not-utf8");
    assert_eq!(d.line, Some(2));
    assert!(d.hint.unwrap().contains("UTF-8"));
}

#[test]
fn utf16_is_named_as_utf16_not_gbk() {
    let mut bytes = vec![0xFF, 0xFE];
    for c in "---\ntitle: 标题\n".encode_utf16() {
        bytes.extend(c.to_le_bytes());
    }
    let d = decode(bytes, Path::new("content/a.md")).unwrap_err();
    assert_eq!(d.rule, "load/not-utf8");
    assert!(d.message.contains("UTF-16"), "{}", d.message);
    assert!(!d.found.unwrap().contains("GBK"));
}

#[test]
fn crlf_and_bom_are_normalised() {
    let s = decode(
        b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n".to_vec(),
        Path::new("a.md"),
    )
    .unwrap();
    assert_eq!(s, "---\ntitle: x\n---\n");
}

#[test]
fn editor_temp_files_are_ignored() {
    assert!(is_ignored("news/.a.md.swp"));
    assert!(is_ignored("news/a.md~"));
    assert!(is_ignored("news/.#a.md"));
    assert!(is_ignored("news/#a.md#"));
    assert!(is_ignored("files/4913"));
    assert!(!is_ignored("news/a.md"));
}

#[test]
fn sources_parsed_during_the_walk_come_back_in_the_walks_order() {
    // The files are parsed in batches on whichever thread is free while the walk goes on; the
    // loaded sources must still be in the order the walk found them, batch after batch.
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("news/sub")).unwrap();
    std::fs::write(
        content.join("site.yaml"),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/site.yaml")).unwrap(),
    )
    .unwrap();
    // More files than one batch, in two folders, so that several batches are in flight.
    for i in 0..(3 * PARSE_BATCH + 5) {
        let folder = if i % 3 == 0 { "news/sub" } else { "news" };
        std::fs::write(
            content.join(format!("{folder}/n{i:03}.md")),
            format!("---\ntitle: 第{i}条\ndate: 2021-03-01\n---\n正文{i}。\n"),
        )
        .unwrap();
    }
    let paths = SitePaths::new(dir.path());
    let walked: Vec<String> = walk(&paths).markdown.into_iter().map(|(r, _)| r).collect();
    let loaded: Vec<String> = load(&paths).sources.iter().map(|s| s.rel.clone()).collect();
    assert_eq!(walked.len(), 3 * PARSE_BATCH + 5);
    assert_eq!(loaded, walked);
}
