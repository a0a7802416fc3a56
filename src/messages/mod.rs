//! The message catalog: every text the tool says to an editor or a maintainer, in one place,
//! keyed by a stable message id, in Chinese (the default) and English (`--lang en`,
//! `PORTAL_LANG=en`).
//!
//! # Why data files
//!
//! The texts live in `zh.yaml` and `en.yaml` beside this module, embedded with `include_str!`
//! and read once on first use. A translator (or an editor correcting a hint) changes a text
//! without reading Rust, both languages can be compared line by line, and the unit tests below
//! hold the files to the code: the same ids in both, Chinese in every `zh` text, and every
//! `t!` call in `src/` naming an id of the catalog with exactly the placeholders its texts use
//! (no orphan ids, no missing ids, no dropped argument). A malformed file fails those tests,
//! never an editor's run. A `Diagnostic` whose message, hint, expectation or finding is a
//! string literal with Chinese in it (outside unit tests) fails them too: its text belongs here.
//!
//! # Converting a string site (the pattern)
//!
//! ```text
//! // before
//! Diagnostic::error("front-matter/missing", format!("缺少必填键 `{key}`"))
//!     .hint("在 --- 之间加一行 `title: …`")
//! // after
//! Diagnostic::error("front-matter/missing", t!("front-matter.missing", key = key))
//!     .hint(t!("front-matter.missing.hint"))
//! ```
//!
//! 1. Pick an id: the module or rule (`front-matter.`, `serve.`, `check.`), then what the text
//!    says, kebab-case; a hint is `<id>.hint`, an expectation `<id>.expected`.
//! 2. Put the Chinese text, unchanged, into `zh.yaml` and its English into `en.yaml`; every
//!    `format!` argument becomes a `{name}` placeholder (values are formatted with `Display`;
//!    format `{:?}` or widths at the call site into a `String` first).
//! 3. Call `t!("id", name = value, …)` (`t!("id", name)` passes the variable `name`). In the
//!    library `use crate::t;`, in the binary `use portal::t;`.
//! 4. `cargo test --lib messages` says what is missing or left over.
//!
//! Values (a key, a path, what the editor typed) are not texts and stay out of the catalog; so
//! do rule ids and the themes' page texts for residents (those live in the templates).
//!
//! The language is set once, at the command line's edge ([`set_lang`]); texts are rendered when
//! a finding is made, so a `Diagnostic` carries its message in that language.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// A language of the tool's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 中文 — the default: the editors read Chinese.
    #[default]
    Zh,
    /// English, for maintainers.
    En,
}

impl Lang {
    /// `zh`/`zh-CN`/`cn`/`中文` or `en`/`en-US`/`english` (any case); `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let main = s.split(['-', '_', '.']).next().unwrap_or("");
        match main {
            "zh" | "cn" | "chinese" | "中文" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

static LANG: AtomicU8 = AtomicU8::new(0);

/// Sets the language of every text rendered from now on (once, at the command line's edge).
pub fn set_lang(lang: Lang) {
    LANG.store(
        match lang {
            Lang::Zh => 0,
            Lang::En => 1,
        },
        Ordering::Relaxed,
    );
}

/// The current language.
pub fn lang() -> Lang {
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Zh,
    }
}

const ZH: &str = include_str!("zh.yaml");
const EN: &str = include_str!("en.yaml");

type Table = BTreeMap<String, String>;

fn parse(source: &str) -> Result<Table, String> {
    serde_yaml::from_str::<Table>(source).map_err(|e| e.to_string())
}

fn table(lang: Lang) -> &'static Table {
    static ZH_TABLE: OnceLock<Table> = OnceLock::new();
    static EN_TABLE: OnceLock<Table> = OnceLock::new();
    // The unit tests parse both files; a broken file can only reach a run as an empty table,
    // and then every text shows its id (never nothing).
    match lang {
        Lang::Zh => ZH_TABLE.get_or_init(|| parse(ZH).unwrap_or_default()),
        Lang::En => EN_TABLE.get_or_init(|| parse(EN).unwrap_or_default()),
    }
}

/// The text `id` in the current language with its `{name}` placeholders filled from `args`.
/// Use the [`t!`](crate::t) macro rather than calling this.
pub fn render(id: &str, args: &[(&str, &dyn Display)]) -> String {
    render_in(lang(), id, args)
}

/// The text `id` in `lang`: an English text missing falls back to the Chinese one; an id
/// missing from both shows as the id itself. A placeholder without its argument stays in the
/// text as `{name}`, visible, never dropped.
pub fn render_in(lang: Lang, id: &str, args: &[(&str, &dyn Display)]) -> String {
    let text = table(lang)
        .get(id)
        .or_else(|| table(Lang::Zh).get(id))
        .map(String::as_str);
    let Some(text) = text else {
        let mut s = id.to_string();
        for (name, value) in args {
            s.push_str(&format!(" {name}={value}"));
        }
        return s;
    };
    fill(text, args)
}

/// Replaces each `{name}` (name: ASCII letters, digits, `_`) with its argument; other braces
/// are text.
fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match placeholder(after) {
            Some(name) => {
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(&value.to_string()),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder name at the start of `s` (just after a `{`), if `s` goes on `name}`.
fn placeholder(s: &str) -> Option<&str> {
    let end = s.find('}')?;
    let name = &s[..end];
    let ok = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    ok.then_some(name)
}

/// The placeholder names of a text, in order of first use.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match placeholder(after) {
            Some(name) => {
                if !names.contains(&name) {
                    names.push(name);
                }
                rest = &after[name.len() + 1..];
            }
            None => rest = after,
        }
    }
    names
}

/// The text of message `id` in the current language, a `String`:
/// `t!("serve.listening", url = u)`, or `t!("serve.listening", url)` to pass the variable `url`.
#[macro_export]
macro_rules! t {
    ($id:literal $(,)?) => {
        $crate::messages::render($id, &[])
    };
    ($id:literal, $($name:ident $(= $value:expr)?),+ $(,)?) => {
        $crate::messages::render(
            $id,
            &[$((stringify!($name), &$crate::__t_arg!($name $(, $value)?) as &dyn ::std::fmt::Display)),+],
        )
    };
}

/// One argument of [`t!`]: `name = value`, or the variable `name`.
#[doc(hidden)]
#[macro_export]
macro_rules! __t_arg {
    ($name:ident) => {
        $name
    };
    ($name:ident, $value:expr) => {
        $value
    };
}

mod io;
pub use io::io_error;

#[cfg(test)]
mod tests;
