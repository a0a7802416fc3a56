//! `portal serve`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use portal::serve::{ServeOptions, Server, open_browser};

/// Flags of `portal serve`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Site root: the folder holding content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Port to listen on; 0 picks a free one (the address is printed).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on. The default answers this computer only; 0.0.0.0 lets phones and
    /// other computers on the network in.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Look for changes by polling instead of file system events (WSL, Docker bind mounts,
    /// network drives).
    #[arg(long)]
    poll: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Open the preview in the default browser.
    #[arg(long)]
    open: bool,
}

/// Serves until Ctrl-C; exit code 1 if the server cannot start.
pub(crate) fn run(a: Args) -> ExitCode {
    let opts = ServeOptions {
        root: a.root,
        port: a.port,
        bind: a.bind,
        poll: a.poll,
        drafts: a.drafts,
        quiet: false,
    };
    let server = match Server::start(opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("portal serve: {e}");
            return ExitCode::from(1);
        }
    };
    if a.open && !open_browser(server.url()) {
        eprintln!(
            "portal serve: no browser launcher found; open {} yourself",
            server.url()
        );
    }
    server.wait();
    ExitCode::SUCCESS
}
