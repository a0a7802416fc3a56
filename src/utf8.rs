//! UTF-8 validation of whole files and pages with SIMD (`simdutf8`): the standard library's
//! check goes nearly byte by byte through CJK text, and every page is validated when it is read
//! and when its template output becomes a `String` (≈ 8 % of a 10k build's instructions before,
//! issue 13). A failure is always explained by the standard library's error.

/// `bytes` as a `String` when they are UTF-8, else the standard library's error (with
/// `valid_up_to` and the bytes back).
pub fn into_string(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: `simdutf8` has just validated every byte as UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

/// `bytes` as a `&str` when they are UTF-8, else the standard library's error.
pub fn to_str(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(_) => std::str::from_utf8(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_passes_and_invalid_text_keeps_its_position() {
        let text = "杨园街道 2021 年政府信息公开工作年度报告\n".repeat(50);
        assert_eq!(into_string(text.clone().into_bytes()).unwrap(), text);
        assert_eq!(to_str(text.as_bytes()).unwrap(), text);
        let mut bad = text.clone().into_bytes();
        bad[100] = 0xFF;
        let e = into_string(bad.clone()).unwrap_err();
        assert_eq!(
            e.utf8_error().valid_up_to(),
            std::str::from_utf8(&bad).unwrap_err().valid_up_to()
        );
        assert_eq!(e.into_bytes(), bad);
        assert!(to_str(&bad).is_err());
    }
}
