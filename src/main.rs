//! The `portal` command line: thin orchestration over the library's stages.

// The binary is its own crate: `pub` in src/cmd/ means "visible to main.rs", not API.
#![allow(unreachable_pub)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use portal::messages::{Lang, set_lang};
use portal::t;

mod cmd;

// jemalloc instead of glibc's malloc: the build allocates and frees per page on every worker
// thread, and glibc's free lists (consolidation, unlinking) cost a fifth of the CPU time. Measured
// on the 10k corpus: user time -22 %, same peak RSS; on 50k, user -34 % (docs/benchmarks.md).
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read once when it starts (its `malloc_conf`; `_RJEM_MALLOC_CONF` in the
/// environment still wins): memory freed is given back to the system after 0.3 s instead of
/// 10 s, so a build's peak holds what it uses, not what it used (50k pages: 309–325 → 292 MB
/// peak RSS, CPU time unchanged; docs/benchmarks.md).
#[cfg(unix)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static JEMALLOC_CONF: &[u8; 36] = b"dirty_decay_ms:300,muzzy_decay_ms:0\0";

/// portal — 政府信息公开专栏静态网站生成器（static site generator）。
#[derive(Parser, Debug)]
#[command(
    name = "portal",
    version,
    about = "portal — 政府信息公开专栏静态网站生成器。编辑指南：docs/编辑指南.md",
    long_about = None
)]
struct Cli {
    /// 消息语言：zh（中文，默认）或 en（英文，供维护者）；也可设环境变量 PORTAL_LANG=en。
    #[arg(long, global = true, value_parser = parse_lang, value_name = "zh|en")]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| t!("cli.bad-lang", value = s))
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 生成网站到 public/（整体替换：构建失败时 public/ 保持原样）。
    Build(cmd::build::Args),
    /// 检查内容：内容格式、年度报告勾稽关系和国家网站检查指标。
    Check(cmd::check::Args),
    /// 本地预览：每次保存后自动重新生成并刷新浏览器。
    Serve(cmd::serve::Args),
    /// 新建文件：填好元数据（和下一个可用的索引号）。
    New(cmd::new::Args),
}

fn main() -> ExitCode {
    // The language, set once here: the flag, else PORTAL_LANG, else Chinese.
    let env = std::env::var("PORTAL_LANG").ok();
    if let Some(lang) = env.as_deref().and_then(Lang::parse) {
        set_lang(lang);
    }
    let cli = Cli::parse();
    if let Some(lang) = cli.lang {
        set_lang(lang);
    } else if let Some(value) = env.filter(|v| !v.is_empty() && Lang::parse(v).is_none()) {
        eprintln!("{}", t!("cli.bad-lang-env", value));
    }
    match cli.command {
        Command::Build(a) => cmd::build::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::New(a) => cmd::new::run(a),
    }
}
