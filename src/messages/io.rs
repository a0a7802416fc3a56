//! Operating-system errors in the editor's language.

use super::{Lang, lang};

/// An operating-system error as an editor can read it: in Chinese, what happened (the file is
/// not there, no permission, …) followed by the system's own words for a maintainer; in
/// English, the system's words alone.
pub fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if lang() == Lang::En {
        return e.to_string();
    }
    let what = match e.kind() {
        K::NotFound => t!("io.not-found"),
        K::PermissionDenied => t!("io.permission-denied"),
        K::AlreadyExists => t!("io.already-exists"),
        K::InvalidData => t!("io.invalid-data"),
        K::StorageFull => t!("io.storage-full"),
        K::ReadOnlyFilesystem => t!("io.read-only"),
        K::IsADirectory => t!("io.is-a-directory"),
        K::NotADirectory => t!("io.not-a-directory"),
        K::DirectoryNotEmpty => t!("io.directory-not-empty"),
        _ => return t!("io.other", e),
    };
    t!("io.explained", what, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Unit tests never change the language, so it is the default: Chinese.
    #[test]
    fn a_missing_file_is_said_in_chinese_with_the_system_words_kept() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        let text = io_error(&e);
        assert!(text.starts_with("文件或文件夹不存在（系统信息："), "{text}");
        assert!(text.contains(&e.to_string()), "{text}");
        let other = std::io::Error::other("boom");
        assert_eq!(io_error(&other), "系统错误（boom）");
    }
}
