//! `portal check`.

use portal::t;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use portal::check::{self, CheckOptions};
use portal::date::Date;
use portal::printer::check as format;

use super::Format;

/// Flags of `portal check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 站点根目录：包含 content/ 和 themes/ 的文件夹。
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 检查日期 YYYY-MM-DD [默认：今天，北京时间]。
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// 输出格式。
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// 有警告也算失败（退出码 1）。
    #[arg(long)]
    strict: bool,
    /// 逐一访问正文中的外部链接（需要网络；每个 5 秒超时，同时 8 个）。
    #[arg(long)]
    external: bool,
    /// 打印各阶段用时（human 格式；JSON 总是包含）。
    #[arg(long)]
    timings: bool,
    /// 已发布网站的 sitemap.xml，用来发现改名后没有加旧网址跳转的页面 [默认：public/sitemap.xml]。
    #[arg(long)]
    previous: Option<PathBuf>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|_| t!("cmd.check.text-1", s))
}

/// Runs the check, prints the report, and exits 1 on errors (or on warnings with `--strict`).
pub fn run(a: Args) -> ExitCode {
    match run_inner(&a) {
        Ok(failed) => ExitCode::from(u8::from(failed)),
        Err(e) => {
            eprintln!("portal check：{e:#}");
            ExitCode::from(1)
        }
    }
}

fn run_inner(a: &Args) -> anyhow::Result<bool> {
    if !a.root.join("content").is_dir() {
        anyhow::bail!("{}", t!("cmd.check.line", root = a.root.display()));
    }
    let opts = CheckOptions {
        root: a.root.clone(),
        as_of: a.as_of.unwrap_or_else(Date::today),
        external: a.external,
        previous: a.previous.clone(),
    };
    let report = check::check(&opts);
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let mut out = stdout.lock();
    match a.format {
        Format::Human => format::write_human(&report, &mut out, color, a.timings),
        Format::Json => format::write_json(&report, &mut out),
        Format::Github => format::write_github(&report, &mut out),
    }
    .and_then(|()| out.flush())
    .or_else(|e| {
        // `portal check --format json | head` closing the pipe early is not a failure of the check.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(e)
        }
    })
    .context("cannot write the report")?;
    Ok(report.failed(a.strict))
}
