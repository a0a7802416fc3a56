//! One module per subcommand; each parses its flags and calls the library.

pub mod build;
pub mod check;
pub mod new;
pub mod serve;

use std::io::Write;
use std::process::ExitCode;

use portal::diagnostic::{Diagnostics, Error};
use portal::printer::build::{BuildOutcome, summary_line};

/// How findings are printed (`--format` of `portal build` and `portal check`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub(crate) enum Format {
    /// 供人阅读的文本：逐条列出发现的问题，最后一行是汇总（终端中带颜色）。
    #[default]
    Human,
    /// 一个 JSON 对象（见 docs/check.md）。
    Json,
    /// GitHub Actions 的标注（`::error file=…::…`）。
    Github,
}

impl From<Format> for portal::printer::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Human => portal::printer::Format::Human,
            Format::Json => portal::printer::Format::Json,
            Format::Github => portal::printer::Format::Github,
        }
    }
}

/// Prints every finding of a failed run in `format` and returns exit code 1.
pub(crate) fn fail(e: Error, format: Format) -> ExitCode {
    match &e {
        Error::Content(ds) => {
            let outcome = BuildOutcome {
                diagnostics: ds,
                written: None,
            };
            match format {
                Format::Human => {
                    print_diagnostics(ds);
                    eprintln!("{}", summary_line(&outcome));
                }
                Format::Json => print_stdout(|w| portal::printer::build::write_json(&outcome, w)),
                Format::Github => {
                    print_stdout(|w| portal::printer::build::write_github(&outcome, w))
                }
            }
        }
        Error::Io { .. } => eprintln!("portal: {e}"),
    }
    ExitCode::from(1)
}

/// Prints findings to stderr, one blank line between them.
pub fn print_diagnostics(ds: &Diagnostics) {
    let _ = portal::printer::write_blocks(ds, &mut std::io::stderr().lock());
}

/// Writes to stdout with `print`; a reader that closed the pipe early is not a failure.
pub(crate) fn print_stdout(print: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = print(&mut out).and_then(|()| out.flush());
}
