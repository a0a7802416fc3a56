//! Shared helpers of the integration tests: fixture sites in temp dirs and the `portal` binary.
#![allow(dead_code, unreachable_pub)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a directory tree (files only; symlinks are not expected in fixtures).
pub fn copy_tree(from: &Path, to: &Path) {
    if !from.exists() {
        return;
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A fixture site in a temp dir: the repo's theme, then `tests/fixtures/_base`, then
/// `tests/fixtures/<case>` on top (so a case holds only the files it is about).
pub struct Site {
    /// Keeps the temp dir alive.
    pub dir: tempfile::TempDir,
}

impl Site {
    /// The `_base` fixture with `case` laid over it.
    pub fn fixture(case: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
        copy_tree(&repo().join("tests/fixtures/_base"), dir.path());
        copy_tree(&repo().join("tests/fixtures").join(case), dir.path());
        Site { dir }
    }

    /// The repo's own example site (content/ and themes/).
    pub fn example() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
        copy_tree(&repo().join("content"), &dir.path().join("content"));
        Site { dir }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `portal <args…> --root <root>`.
    pub fn portal(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
        cmd.args(args).arg("--root").arg(self.root());
        cmd.output().unwrap()
    }

    /// Reads a file of the output.
    pub fn read(&self, rel: &str) -> String {
        let p = self.root().join("public").join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// Writes a content file.
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

/// stdout + stderr as text.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// All files of a tree with their bytes, sorted by path.
pub fn snapshot_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, fs::read(e.path()).unwrap()));
        }
    }
    out
}
