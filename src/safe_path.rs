//! Paths that stay where they belong: the one gate every output path goes through before
//! anything is opened, and the test that a symbolic link does not lead out of the site.
//!
//! Content decides many output paths (aliases, slugs, attachment names), so a writer never joins
//! an unchecked string to the output folder: [`inside`] proves the path stays inside, and
//! [`crate::output::Staging`], [`crate::output::write_atomic`] and
//! [`crate::output::remove_pruning`] call it on every path they are given. The model checks
//! aliases and slugs with [`normalize`] first, so that an editor gets the file and line.

use crate::t;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Why an output path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsafe {
    /// Nothing left once normalised (`""`, `"."`).
    Empty,
    /// Starts at the file-system root or a drive (`/etc/x`, `C:\x`).
    Absolute,
    /// A `..` segment.
    Parent,
    /// A backslash, NUL or other control character, which mean different things to different
    /// systems.
    BadCharacter(char),
}

impl std::fmt::Display for Unsafe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unsafe::Empty => f.write_str(&t!("safe-path.text-1")),
            Unsafe::Absolute => f.write_str(&t!("safe-path.text-2")),
            Unsafe::Parent => f.write_str(&t!("safe-path.text-3")),
            Unsafe::BadCharacter(c) => {
                write!(f, "{}", t!("safe-path.text-4", c = format!("{c:?}")))
            }
        }
    }
}

/// `rel` normalised (`a/./b` → `a/b`, no empty segments), or why it could lie outside the
/// output folder. Relative paths only: the output folder is where they start.
pub fn normalize(rel: &str) -> Result<String, Unsafe> {
    if let Some(c) = rel.chars().find(|&c| c == '\\' || c.is_control()) {
        return Err(Unsafe::BadCharacter(c));
    }
    if rel.starts_with('/') || Path::new(rel).has_root() || rel.as_bytes().get(1) == Some(&b':') {
        return Err(Unsafe::Absolute);
    }
    let mut segs = Vec::new();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(Unsafe::Parent),
            s => segs.push(s),
        }
    }
    if segs.is_empty() {
        return Err(Unsafe::Empty);
    }
    Ok(segs.join("/"))
}

/// `dir/rel`, once `rel` is proven to stay inside `dir`; otherwise an `InvalidInput` error that
/// names the path, and nothing is opened.
pub fn inside(dir: &Path, rel: &str) -> io::Result<PathBuf> {
    let clean = normalize(rel).map_err(|why| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            t!("safe-path.text-5", rel_fmt = format!("{:?}", rel), why),
        )
    })?;
    let path = dir.join(&clean);
    // Belt and braces: the joined path has only normal components below `dir`.
    debug_assert!(
        path.strip_prefix(dir)
            .is_ok_and(|p| p.components().all(|c| matches!(c, Component::Normal(_))))
    );
    Ok(path)
}

/// True if `path`, with every symbolic link resolved, lies inside `boundary` (itself resolved).
/// A path that cannot be resolved (a dangling link, a loop) is not inside.
pub fn resolves_inside(path: &Path, boundary: &Path) -> bool {
    match (path.canonicalize(), boundary.canonicalize()) {
        (Ok(p), Ok(b)) => p.starts_with(b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_paths_are_kept_and_tidied() {
        assert_eq!(normalize("news/x/index.html").unwrap(), "news/x/index.html");
        assert_eq!(normalize("a/./b//c.html").unwrap(), "a/b/c.html");
        assert_eq!(
            normalize("files/报告 2021.pdf").unwrap(),
            "files/报告 2021.pdf"
        );
    }

    #[test]
    fn every_escape_is_refused() {
        for (p, why) in [
            ("../x.html", Unsafe::Parent),
            ("a/../../x", Unsafe::Parent),
            ("/srv/www/x.html", Unsafe::Absolute),
            ("C:/x", Unsafe::Absolute),
            ("a\\..\\x", Unsafe::BadCharacter('\\')),
            ("a\nb", Unsafe::BadCharacter('\n')),
            ("a\0b", Unsafe::BadCharacter('\0')),
            ("", Unsafe::Empty),
            ("./", Unsafe::Empty),
        ] {
            assert_eq!(normalize(p), Err(why), "{p:?}");
        }
    }

    #[test]
    fn inside_joins_only_safe_paths() {
        let dir = Path::new("/out");
        assert_eq!(inside(dir, "a/b").unwrap(), Path::new("/out/a/b"));
        let e = inside(dir, "../../etc/passwd").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().contains("输出文件夹之外"));
    }

    #[test]
    fn links_out_of_the_boundary_are_not_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(site.join("files")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret"), "x").unwrap();
        std::fs::write(site.join("files/a.pdf"), "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.join("secret"), site.join("files/s")).unwrap();
            std::os::unix::fs::symlink(site.join("files/a.pdf"), site.join("files/ok")).unwrap();
            assert!(!resolves_inside(&site.join("files/s"), &site));
            assert!(resolves_inside(&site.join("files/ok"), &site));
            std::os::unix::fs::symlink(tmp.path().join("nowhere"), site.join("files/d")).unwrap();
            assert!(!resolves_inside(&site.join("files/d"), &site));
        }
        assert!(resolves_inside(&site.join("files/a.pdf"), &site));
    }
}
