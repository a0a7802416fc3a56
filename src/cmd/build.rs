//! `portal build`.

use std::path::PathBuf;
use std::process::ExitCode;

use portal::build::{BuildOptions, build};
use portal::diagnostic::{Diagnostics, Error};
use portal::site_config::{base_url_error, normalize_base_url};

/// Flags of `portal build`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Site root: the folder holding content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder [default: <root>/public].
    #[arg(long)]
    output: Option<PathBuf>,
    /// Override site.yaml's base_url (e.g. http://127.0.0.1:8000/yangyuan/).
    #[arg(long)]
    base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

/// Runs the build and prints a closing summary line.
pub fn run(a: Args) -> ExitCode {
    let target = a.output.clone().unwrap_or_else(|| a.root.join("public"));
    let base_url = match a.base_url.as_deref().map(normalize_base_url).transpose() {
        Ok(url) => url,
        Err(why) => {
            let d =
                base_url_error(&why, a.base_url.as_deref().unwrap_or_default()).key("--base-url");
            let mut ds = Diagnostics::default();
            ds.push(d);
            return super::fail(Error::Content(ds));
        }
    };
    let opts = BuildOptions {
        root: a.root,
        output: a.output,
        base_url,
        drafts: a.drafts,
    };
    match build(&opts) {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            println!(
                "portal build: {} pages and {} other files written to {} in {} ms ({} warning(s))",
                report.pages,
                report.files,
                target.display(),
                report.elapsed.as_millis(),
                report.diagnostics.warning_count()
            );
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(e),
    }
}
