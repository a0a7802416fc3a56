//! Which folders a build may replace. A build swaps its output folder wholesale, so an output
//! that is (or holds) the site's own sources would destroy them: such a folder is refused before
//! anything is written.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::t;

/// The file every output of portal carries, so that a later build knows the folder is its own
/// to replace.
pub const MARKER: &str = ".portal-output";

/// Folders of the site root that hold sources: never an output, nor inside one.
const SOURCES: &[&str] = &["content", "themes", ".git"];

/// Refuses an output folder that would replace the site's sources: the root itself or a folder
/// holding it, anything in `content/`, `themes/` or `.git/`, or an existing non-empty folder
/// that is not a previous output of portal (no [`MARKER`]) unless `force`. The site's own
/// `public/` is always accepted.
pub fn check_target(root: &Path, target: &Path, force: bool) -> Result<(), Diagnostic> {
    let refuse = |why: String, hint: &str| {
        Diagnostic::error("output/unsafe-target", why)
            .found(target.display().to_string())
            .hint(hint.to_string())
    };
    let root = resolve(root);
    let out = resolve(target);
    if out == root || root.starts_with(&out) {
        return Err(refuse(
            t!("output.target-is-root", target = target.display()),
            &t!("output.target-is-root.hint"),
        ));
    }
    for src in SOURCES {
        if out.starts_with(root.join(src)) {
            return Err(refuse(
                t!("output.target-in-sources", target = target.display(), src),
                &t!("output.target-in-sources.hint"),
            ));
        }
    }
    if out == root.join("public") || force {
        return Ok(());
    }
    match std::fs::read_dir(&out) {
        Ok(mut entries) => {
            let empty = entries.next().is_none();
            if !empty && !out.join(MARKER).exists() {
                return Err(refuse(
                    t!(
                        "output.target-not-ours",
                        target = target.display(),
                        marker = MARKER
                    ),
                    &t!("output.target-not-ours.hint"),
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if out.exists() && !out.is_dir() => Err(refuse(
            t!("output.target-is-file", target = target.display()),
            &t!("output.target-is-file.hint"),
        )),
        Err(e) => Err(refuse(
            t!(
                "output.target-unreadable",
                target = target.display(),
                error = e
            ),
            &t!("output.target-unreadable.hint"),
        )),
    }
}

/// `p` as an absolute path with links resolved: the longest existing ancestor canonicalized,
/// the rest appended with `.` and `..` applied, so a folder that does not exist yet compares
/// correctly with the root.
fn resolve(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(c) = existing.canonicalize() {
            break c;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            // `..` at the end, or the root: normalise lexically below.
            _ => break PathBuf::from("/"),
        }
    };
    let mut out = base;
    for name in rest.iter().rev() {
        match Path::new(name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(name),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for d in ["content/news", "themes/default/static", "public", "docs"] {
            std::fs::create_dir_all(tmp.path().join(d)).unwrap();
        }
        std::fs::write(tmp.path().join("docs/a.md"), "x").unwrap();
        tmp
    }

    #[test]
    fn sources_and_the_root_are_refused() {
        let s = site();
        let r = s.path();
        for t in [
            r.to_path_buf(),
            r.join("."),
            r.join("content"),
            r.join("content/news/new"),
            r.join("themes"),
            r.join("themes/default/static"),
            r.join("content/../themes"),
            r.parent().unwrap().to_path_buf(),
        ] {
            let d = check_target(r, &t, true).expect_err(&t.display().to_string());
            assert_eq!(d.rule, "output/unsafe-target");
        }
    }

    #[test]
    fn foreign_folders_need_force_and_outputs_do_not() {
        let s = site();
        let r = s.path();
        let d = check_target(r, &r.join("docs"), false).unwrap_err();
        assert!(
            d.message.contains("不是 portal 以前生成的"),
            "{}",
            d.message
        );
        assert!(check_target(r, &r.join("docs"), true).is_ok());
        assert!(check_target(r, &r.join("public"), false).is_ok());
        assert!(check_target(r, &r.join("new-out"), false).is_ok());
        std::fs::create_dir_all(r.join("old-out")).unwrap();
        std::fs::write(r.join("old-out/index.html"), "x").unwrap();
        assert!(check_target(r, &r.join("old-out"), false).is_err());
        std::fs::write(r.join("old-out").join(MARKER), "").unwrap();
        assert!(check_target(r, &r.join("old-out"), false).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_into_the_sources_is_seen_through() {
        let s = site();
        let r = s.path();
        std::os::unix::fs::symlink(r.join("content"), r.join("out")).unwrap();
        assert!(check_target(r, &r.join("out"), true).is_err());
    }
}
