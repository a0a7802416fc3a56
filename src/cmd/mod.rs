//! One module per subcommand; each parses its flags and calls the library.

pub mod build;
pub mod check;
pub mod new;
pub mod serve;

use std::process::ExitCode;

use portal::diagnostic::{Diagnostics, Error};
use portal::t;

/// Prints every finding of a failed run and returns exit code 1.
pub fn fail(e: Error) -> ExitCode {
    match &e {
        Error::Content(ds) => {
            print_diagnostics(ds);
            let (errors, warnings) = (ds.error_count(), ds.warning_count());
            eprintln!("{}", t!("cmd.failed-nothing-written", errors, warnings));
        }
        Error::Io { .. } => eprintln!("portal: {e}"),
    }
    ExitCode::from(1)
}

/// Prints findings to stderr, one blank line between them.
pub fn print_diagnostics(ds: &Diagnostics) {
    for d in ds.iter() {
        eprintln!("{d}\n");
    }
}
