//! `portal check`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use portal::check::{self, CheckOptions, format};
use portal::date::Date;

/// How findings are printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub(crate) enum Format {
    /// Grouped by file, with a summary (colours on a terminal).
    #[default]
    Human,
    /// One JSON object (see docs/check.md).
    Json,
    /// GitHub Actions workflow annotations (`::error file=…::…`).
    Github,
}

/// Flags of `portal check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Site root: the folder holding content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The day of the check, YYYY-MM-DD [default: today, China Standard Time].
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Fail (exit code 1) on warnings too.
    #[arg(long)]
    strict: bool,
    /// Send a HEAD request to every external link (needs network; 5 s timeout, 8 at a time).
    #[arg(long)]
    external: bool,
    /// Print how long each phase took (human format; JSON always has them).
    #[arg(long)]
    timings: bool,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|_| format!("`{s}` is not a date YYYY-MM-DD (e.g. 2022-01-20)"))
}

/// Runs the check, prints the report, and exits 1 on errors (or on warnings with `--strict`).
pub fn run(a: Args) -> ExitCode {
    match run_inner(&a) {
        Ok(failed) => ExitCode::from(u8::from(failed)),
        Err(e) => {
            eprintln!("portal check: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run_inner(a: &Args) -> anyhow::Result<bool> {
    if !a.root.join("content").is_dir() {
        anyhow::bail!(
            "{} has no content/ folder (use --root to point at the site)",
            a.root.display()
        );
    }
    let opts = CheckOptions {
        root: a.root.clone(),
        as_of: a.as_of.unwrap_or_else(Date::today),
        external: a.external,
    };
    let report = check::check(&opts);
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let mut out = stdout.lock();
    match a.format {
        Format::Human => format::write_human(&report, &mut out, color, a.timings),
        Format::Json => format::write_json(&report, &mut out),
        Format::Github => format::write_github(&report, &mut out),
    }
    .and_then(|()| out.flush())
    .or_else(|e| {
        // `portal check --format json | head` closing the pipe early is not a failure of the check.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(e)
        }
    })
    .context("cannot write the report")?;
    Ok(report.failed(a.strict))
}
