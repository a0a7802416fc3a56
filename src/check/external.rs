//! `--external`: a HEAD request to every external link, through a bundled HTTP client.
//!
//! Each distinct URL is requested once, exactly as written (no shell, no URL globbing: a link to
//! `…/glob[1-5]` is one request for that path), at most [`CONCURRENCY`] at a time, each bounded
//! by [`TIMEOUT_SECS`] and at most [`MAX_REDIRECTS`] redirects. TLS is rustls with the Mozilla
//! root certificates built in, so the check works the same on every machine.

use crate::t;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::ExternalLink;
use crate::diagnostic::Diagnostic;

/// Seconds a request may take, redirects included.
pub(crate) const TIMEOUT_SECS: u64 = 5;

/// Requests in flight at once.
pub(crate) const CONCURRENCY: usize = 8;

/// Redirects followed before giving up.
pub(crate) const MAX_REDIRECTS: usize = 5;

/// Fetches each distinct URL once and fills in every link's `status`. Returns the findings, or a
/// note saying why nothing was fetched.
pub(crate) fn check_external(links: &mut [ExternalLink]) -> Result<Vec<Diagnostic>, String> {
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let mut urls: Vec<String> = links.iter().map(|l| l.url.clone()).collect();
    urls.sort_unstable();
    urls.dedup();
    let results = fetch_all(urls)?;
    let mut out = Vec::new();
    for l in links.iter_mut() {
        let Some(status) = results.get(&l.url) else {
            continue;
        };
        l.status = Some(status.describe());
        if let Some(why) = status.problem() {
            out.push(
                Diagnostic::warning("link/external", t!("link.external", why))
                    .file(&l.file)
                    .line(l.line)
                    .found(l.url.clone())
                    .hint(t!("link.external.hint")),
            );
        }
    }
    Ok(out)
}

/// Requests every URL, [`CONCURRENCY`] at a time, on a runtime of its own.
fn fetch_all(urls: Vec<String>) -> Result<BTreeMap<String, Status>, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| t!("check.external.text-1", e))?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(TIMEOUT_SECS))
        .connect_timeout(Duration::from_secs(TIMEOUT_SECS))
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .user_agent(concat!("portal-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| t!("check.external.text-2", e))?;
    runtime.block_on(async move {
        let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
        let mut tasks = tokio::task::JoinSet::new();
        for url in urls {
            let client = client.clone();
            let permits = Arc::clone(&permits);
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let status = head(&client, &url).await;
                (url, status)
            });
        }
        let mut results = BTreeMap::new();
        while let Some(done) = tasks.join_next().await {
            if let Ok((url, status)) = done {
                results.insert(url, status);
            }
        }
        Ok(results)
    })
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Nothing within [`TIMEOUT_SECS`].
    Timeout,
    /// The host could not be resolved or reached.
    Connect,
    /// More than [`MAX_REDIRECTS`] redirects, or a redirect loop.
    Redirects,
    /// The link is not a URL an HTTP client can request.
    BadUrl,
    /// Anything else (TLS, a broken answer), with the client's words.
    Other(String),
}

/// The outcome of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    /// An HTTP status code (after redirects).
    Http(u16),
    /// No answer.
    Failed(Failure),
}

impl Status {
    fn describe(&self) -> String {
        match self {
            Status::Http(c) => format!("HTTP {c}"),
            Status::Failed(_) => self.problem().unwrap_or_default(),
        }
    }

    /// Why the link counts as broken; `None` if it works. A server that refuses HEAD (405, 501)
    /// answered, so the address exists.
    pub(crate) fn problem(&self) -> Option<String> {
        match self {
            Status::Http(c) if *c < 400 || *c == 405 || *c == 501 => None,
            Status::Http(c) => Some(format!("HTTP {c}")),
            Status::Failed(Failure::Timeout) => Some(t!("check.external.text-3", TIMEOUT_SECS)),
            Status::Failed(Failure::Connect) => Some(t!("check.external.text-4")),
            Status::Failed(Failure::Redirects) => Some(t!("check.external.text-5", MAX_REDIRECTS)),
            Status::Failed(Failure::BadUrl) => Some(t!("check.external.text-6")),
            Status::Failed(Failure::Other(why)) => Some(t!("check.external.text-7", why)),
        }
    }
}

/// The URL a link opens: a protocol-relative `//host/…` link opens over HTTPS on an HTTPS site.
fn absolute(url: &str) -> String {
    match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    }
}

async fn head(client: &reqwest::Client, url: &str) -> Status {
    let Ok(parsed) = reqwest::Url::parse(&absolute(url)) else {
        return Status::Failed(Failure::BadUrl);
    };
    match client.head(parsed).send().await {
        Ok(r) => Status::Http(r.status().as_u16()),
        Err(e) if e.is_timeout() => Status::Failed(Failure::Timeout),
        Err(e) if e.is_redirect() => Status::Failed(Failure::Redirects),
        Err(e) if e.is_connect() => Status::Failed(Failure::Connect),
        Err(e) if e.is_builder() => Status::Failed(Failure::BadUrl),
        Err(e) => Status::Failed(Failure::Other(root_cause(&e))),
    }
}

/// The innermost error's words (reqwest's own are "error sending request for url …").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
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
        assert!(
            Status::Failed(Failure::Timeout)
                .problem()
                .unwrap()
                .contains("秒")
        );
    }

    #[test]
    fn protocol_relative_links_open_over_https() {
        assert_eq!(absolute("//www.gov.cn/a"), "https://www.gov.cn/a");
        assert_eq!(absolute("http://x.cn/a"), "http://x.cn/a");
    }
}
