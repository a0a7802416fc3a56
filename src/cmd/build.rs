//! `portal build`.

use std::path::PathBuf;
use std::process::ExitCode;

use portal::build::{BuildOptions, build};

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
    /// Replace an existing --output folder even if it is not a previous output of portal.
    #[arg(long)]
    force: bool,
}

/// Runs the build and prints a closing summary line.
pub fn run(a: Args) -> ExitCode {
    let target = a.output.clone().unwrap_or_else(|| a.root.join("public"));
    let opts = BuildOptions {
        root: a.root,
        output: a.output,
        base_url: a.base_url,
        drafts: a.drafts,
        force: a.force,
    };
    match build(&opts) {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            println!(
                "portal build：{} 个页面和 {} 个其他文件已写入 {}，用时 {} 毫秒（{} 个警告）",
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
