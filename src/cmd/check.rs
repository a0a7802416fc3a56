//! `portal check` (being implemented; see the issue tracker).

use std::process::ExitCode;

/// Flags of `portal check`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Not implemented yet: exits with code 2.
pub fn run(_a: Args) -> ExitCode {
    eprintln!("portal check: not implemented yet");
    ExitCode::from(2)
}
