//! `portal serve`.

use portal::t;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use portal::serve::{ServeOptions, Server, open_browser};

/// Flags of `portal serve`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// 站点根目录：包含 content/ 和 themes/ 的文件夹。
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 监听的端口；0 表示自动选一个空闲端口（会打印地址）。
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// 监听的地址。默认只有本机能访问；0.0.0.0 让同一网络的手机和其他电脑也能访问。
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// 用轮询代替文件系统事件来发现改动（WSL、Docker 挂载目录、网络驱动器）。
    #[arg(long)]
    poll: bool,
    /// 包括标记为 `draft: true` 的草稿。
    #[arg(long)]
    drafts: bool,
    /// 在默认浏览器中打开预览。
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
            eprintln!("portal serve：{e}");
            return ExitCode::from(1);
        }
    };
    if a.open && !open_browser(server.url()) {
        eprintln!("{}", t!("cmd.serve.line", url = server.url()));
    }
    server.wait();
    ExitCode::SUCCESS
}
