//! The `portal` command line: thin orchestration over the library's stages.

// The binary is its own crate: `pub` in src/cmd/ means "visible to main.rs", not API.
#![allow(unreachable_pub)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// portal — 政府信息公开专栏 static site generator.
#[derive(Parser, Debug)]
#[command(name = "portal", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into public/ (atomically: a failed build leaves public/ as it was).
    Build(cmd::build::Args),
    /// Check the content against the contract, the report identities and the national inspection rules.
    Check(cmd::check::Args),
    /// Serve a live preview that rebuilds and reloads on every save.
    Serve(cmd::serve::Args),
    /// Create a new page with its front matter (and next free 索引号) filled in.
    New(cmd::new::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::New(a) => cmd::new::run(a),
    }
}
