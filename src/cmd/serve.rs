//! `portal serve` (being implemented; see the issue tracker).

use std::process::ExitCode;

/// Flags of `portal serve`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Not implemented yet: exits with code 2.
pub fn run(_a: Args) -> ExitCode {
    eprintln!("portal serve: not implemented yet");
    ExitCode::from(2)
}
