//! `portal build`.

use std::path::PathBuf;
use std::process::ExitCode;

use portal::build::{BuildOptions, build};
use portal::diagnostic::{Diagnostics, Error};
use portal::printer::build::{BuildOutcome, Written, summary_line};
use portal::printer::timings_line;
use portal::site_config::{base_url_error, normalize_base_url};

use super::Format;

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
    /// 输出格式。
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// 在汇总之后再打印一行各阶段用时（时钟时间和 CPU 时间），供维护者查找慢的阶段。
    #[arg(long)]
    timings: bool,
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
            return super::fail(Error::Content(ds), a.format);
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
            let outcome = BuildOutcome {
                diagnostics: &report.diagnostics,
                written: Some(Written {
                    pages: report.pages,
                    files: report.files,
                    output: &target,
                    elapsed_ms: report.elapsed.as_millis(),
                }),
            };
            match a.format {
                Format::Human => {
                    super::print_diagnostics(&report.diagnostics);
                    println!("{}", summary_line(&outcome));
                    if a.timings {
                        println!("{}", timings_line(&report.timings));
                    }
                }
                Format::Json => {
                    super::print_stdout(|w| portal::printer::build::write_json(&outcome, w))
                }
                Format::Github => {
                    super::print_stdout(|w| portal::printer::build::write_github(&outcome, w))
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(e, a.format),
    }
}
