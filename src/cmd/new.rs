//! `portal new` (being implemented; see the issue tracker).

use std::process::ExitCode;

/// Flags of `portal new`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Not implemented yet: exits with code 2.
pub fn run(_a: Args) -> ExitCode {
    eprintln!("portal new: not implemented yet");
    ExitCode::from(2)
}
