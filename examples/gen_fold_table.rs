//! Regenerates `src/search/t2s.txt`, the 繁→简 folding table of the search index, from OpenCC's
//! character tables.
//!
//! ```text
//! cargo run --example gen_fold_table -- DIR > src/search/t2s.txt
//! ```
//!
//! `DIR` holds OpenCC's `TSCharacters.txt` and `STCharacters.txt` (as shipped, for example, in
//! `assets/dictionaries/` of the crates.io crate `ferrous-opencc` 0.4.0, Apache-2.0). A
//! traditional character folds to OpenCC's first candidate, except when it is itself a candidate
//! or a simplified character of its own (乾, 於, 瞭 …: folding them would merge distinct words).
//! Both sides must be in U+4E00–U+9FFF (the range of the bitmap in the manifest).

use std::collections::BTreeSet;
use std::path::PathBuf;

fn entries(path: &PathBuf) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(path).expect("readable OpenCC table");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (k, v) = l.split_once('\t')?;
            Some((k.to_string(), v.split(' ').map(str::to_string).collect()))
        })
        .collect()
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: gen_fold_table DIR"));
    let simplified: BTreeSet<String> = entries(&dir.join("STCharacters.txt"))
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let cjk = |s: &str| {
        let mut c = s.chars();
        matches!((c.next(), c.next()), (Some(x), None) if ('\u{4E00}'..='\u{9FFF}').contains(&x))
    };
    let mut out = String::new();
    for (k, v) in entries(&dir.join("TSCharacters.txt")) {
        if !cjk(&k) || !cjk(&v[0]) || v.contains(&k) || simplified.contains(&k) {
            continue;
        }
        out.push_str(&k);
        out.push_str(&v[0]);
        out.push('\n');
    }
    print!("{out}");
}
