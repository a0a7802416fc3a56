//! `portal build`.

use portal::t;
use std::path::PathBuf;
use std::process::ExitCode;

use portal::build::{BuildOptions, build};
use portal::diagnostic::{Diagnostics, Error};
use portal::site_config::{base_url_error, normalize_base_url};

/// Flags of `portal build`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 站点根目录：包含 content/ 和 themes/ 的文件夹。
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 输出文件夹 [默认：<根目录>/public]；不能是源文件夹。
    #[arg(long)]
    output: Option<PathBuf>,
    /// 覆盖 site.yaml 的 base_url（例如 http://127.0.0.1:8000/yangyuan/）。
    #[arg(long)]
    base_url: Option<String>,
    /// 包括标记为 `draft: true` 的草稿。
    #[arg(long)]
    drafts: bool,
    /// 即使 --output 文件夹不是 portal 以前生成的，也整体替换它。
    #[arg(long)]
    force: bool,
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
        force: a.force,
    };
    match build(&opts) {
        Ok(report) => {
            super::print_diagnostics(&report.diagnostics);
            println!(
                "{}",
                t!(
                    "cmd.build.line",
                    pages = report.pages,
                    files = report.files,
                    target = target.display(),
                    ms = report.elapsed.as_millis(),
                    warnings = report.diagnostics.warning_count()
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(e),
    }
}
