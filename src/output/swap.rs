//! Swapping a finished staging folder in as the output, and clearing what crashed runs left.
//!
//! On Linux the swap is one `renameat2(RENAME_EXCHANGE)`: at every instant the output folder is
//! either the complete old site or the complete new one, never missing. Elsewhere (or on a file
//! system without the call) it falls back to two renames, with a moment between them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The hidden sibling of `target` a run with process id `pid` uses (`.public.staging-42`).
pub(super) fn sibling_for(target: &Path, tag: &str, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    parent_of(target).join(format!(".{name}.{tag}-{pid}"))
}

fn parent_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Atomically exchanges the folders `a` and `b` (both must exist). `Ok(false)` if this system
/// cannot: the caller then renames in two steps.
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
        let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
        // SAFETY: both are valid NUL-terminated paths that outlive the call; the syscall
        // reads them and touches no memory of ours.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(true);
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::ENOTSUP) => Ok(false),
            _ => Err(e),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Removes the staging and old folders beside `target` that runs no longer alive left behind
/// (a build killed mid-way, a crash). Folders of live runs — a preview and a build side by side
/// — are left alone. Returns how many were removed.
pub(super) fn remove_stale(target: &Path) -> usize {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return 0;
    };
    let Ok(entries) = fs::read_dir(parent_of(target)) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = ["staging", "old"].iter().find_map(|tag| {
            file_name
                .strip_prefix(&format!(".{name}.{tag}-"))
                .and_then(|p| p.parse::<u32>().ok())
        }) else {
            continue;
        };
        // Our own id: a leftover of an earlier run that had it, since this run has not made
        // its folders yet.
        let dead = pid == std::process::id() || !alive(pid);
        // Never follow a link someone put there: only real folders are removed.
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if dead && is_dir && fs::remove_dir_all(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// True if a process with this id exists.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks for the process; nothing is sent.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&b).unwrap();
        fs::write(a.join("x"), "a").unwrap();
        fs::write(b.join("x"), "b").unwrap();
        if exchange(&a, &b).unwrap() {
            assert_eq!(fs::read_to_string(a.join("x")).unwrap(), "b");
            assert_eq!(fs::read_to_string(b.join("x")).unwrap(), "a");
        }
    }

    #[test]
    fn leftovers_of_dead_runs_are_removed_live_ones_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        // A process id far above any pid_max of this machine: dead.
        let dead = sibling_for(&target, "staging", 4_000_000);
        let old = sibling_for(&target, "old", 4_000_001);
        // The parent of this test process is alive.
        let live = sibling_for(&target, "staging", std::os::unix::process::parent_id());
        let other = tmp.path().join(".other.staging-4000000");
        for d in [&dead, &old, &live, &other] {
            fs::create_dir_all(d).unwrap();
        }
        assert_eq!(remove_stale(&target), 2);
        assert!(!dead.exists() && !old.exists());
        assert!(live.exists() && other.exists());
    }
}
