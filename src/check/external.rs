//! `--external`: a HEAD request to every external link, through the system's `curl`.
//!
//! portal bundles no HTTP/TLS stack: the check is opt-in, CI machines usually have no network,
//! and `curl` ships with Linux, macOS and Windows 10+. Without it the links are listed, not
//! fetched, and the report says why.

use std::collections::BTreeMap;
use std::process::Command;

use rayon::prelude::*;

use super::ExternalLink;
use crate::diagnostic::Diagnostic;

/// Seconds a request may take.
pub(crate) const TIMEOUT_SECS: u32 = 5;

/// Fetches each distinct URL once and fills in every link's `status`. Returns the findings, or a
/// note saying why nothing was fetched.
pub(crate) fn check_external(links: &mut [ExternalLink]) -> Result<Vec<Diagnostic>, String> {
    if links.is_empty() {
        return Ok(Vec::new());
    }
    if Command::new("curl").arg("--version").output().is_err() {
        return Err(
            "未找到 curl 命令，外部链接只列出、未检查（--external 通过系统的 curl 发送 HEAD 请求）"
                .into(),
        );
    }
    let mut urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    // Requests wait on the network, not the CPU: more threads than cores.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(8)
        .build()
        .map_err(|e| e.to_string())?;
    let results: BTreeMap<String, Status> =
        pool.install(|| urls.par_iter().map(|u| (u.to_string(), head(u))).collect());
    let mut out = Vec::new();
    for l in links.iter_mut() {
        let Some(status) = results.get(&l.url) else {
            continue;
        };
        l.status = Some(status.describe());
        if let Some(why) = status.problem() {
            out.push(
                Diagnostic::warning("link/external", format!("外部链接无法正常访问：{why}"))
                    .file(&l.file)
                    .line(l.line)
                    .found(l.url.clone())
                    .hint("核对网址；对方网站改版的，改为新地址或删去链接（链接不可用会被扣分）"),
            );
        }
    }
    Ok(out)
}

/// The outcome of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    /// An HTTP status code (after redirects).
    Http(u16),
    /// No answer (DNS, connection, TLS or timeout), with curl's exit code.
    Failed(i32),
}

impl Status {
    fn describe(&self) -> String {
        match self {
            Status::Http(c) => format!("HTTP {c}"),
            Status::Failed(code) => format!("无响应（curl 退出码 {code}）"),
        }
    }

    /// Why the link counts as broken; `None` if it works. A server that refuses HEAD (405, 501)
    /// answered, so the address exists.
    pub(crate) fn problem(&self) -> Option<String> {
        match self {
            Status::Http(c) if *c < 400 || *c == 405 || *c == 501 => None,
            Status::Http(c) => Some(format!("HTTP {c}")),
            Status::Failed(28) => Some(format!("{TIMEOUT_SECS} 秒内无响应")),
            Status::Failed(6) => Some("域名无法解析".into()),
            Status::Failed(7) => Some("无法连接".into()),
            Status::Failed(code) => Some(format!("请求失败（curl 退出码 {code}）")),
        }
    }
}

fn head(url: &str) -> Status {
    // A protocol-relative `//host/…` link opens over HTTPS on an HTTPS site.
    let url = match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    };
    let null = if cfg!(windows) { "NUL" } else { "/dev/null" };
    let out = Command::new("curl")
        .args([
            "--silent",
            "--head",
            "--location",
            "--max-redirs",
            "5",
            "--max-time",
        ])
        .arg(TIMEOUT_SECS.to_string())
        .args(["--output", null, "--write-out", "%{http_code}", "--"])
        .arg(&url)
        .output();
    match out {
        Ok(o) => {
            let code: u16 = String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse()
                .unwrap_or(0);
            if code > 0 {
                Status::Http(code)
            } else {
                Status::Failed(o.status.code().unwrap_or(-1))
            }
        }
        Err(_) => Status::Failed(-1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_that_count_as_working() {
        assert_eq!(Status::Http(200).problem(), None);
        assert_eq!(Status::Http(301).problem(), None);
        assert_eq!(Status::Http(405).problem(), None);
        assert_eq!(Status::Http(404).problem().as_deref(), Some("HTTP 404"));
        assert!(Status::Failed(28).problem().unwrap().contains("秒"));
    }
}
