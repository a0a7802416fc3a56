//! The preview's HTTP side: the preview folder under the site's base path, with the reload
//! script (and, after a failed build, the error overlay) put into every HTML page.
//!
//! A file server of its own rather than `tower-http`'s `ServeDir`: that one follows symbolic
//! links out of its folder, and the preview must change the HTML it serves anyway. Only `GET` and
//! `HEAD` are answered; no request reaches outside the preview folder (`..` and `.` segments,
//! encoded slashes and backslashes are refused before any file is looked at, and the file found is
//! canonicalized and must still lie in the folder); and when the server listens on loopback only,
//! requests must name a loopback host, so a web page cannot reach it by rebinding its own domain
//! name to 127.0.0.1.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::watch;

use super::site_check::{self, SiteFindings};
use super::{BuildState, IndexMsg};
use super::{overlay, reload};

/// How long a request for the search index waits for the index of the current build.
const SEARCH_WAIT: Duration = Duration::from_secs(30);

/// What every request handler sees.
pub(super) struct Shared {
    /// The preview folder, canonicalized.
    pub(super) dir: PathBuf,
    /// Refuse requests whose `Host` is not a loopback name (the server listens on loopback).
    pub(super) check_host: bool,
    /// The latest build.
    pub(super) state: watch::Receiver<BuildState>,
    /// The build generation whose search index is in the preview folder.
    pub(super) search_done: watch::Receiver<u64>,
    /// Tells the indexer that a request waits for the index.
    pub(super) index_now: std::sync::mpsc::Sender<IndexMsg>,
    /// The latest whole-site check.
    pub(super) site_check: watch::Receiver<Arc<SiteFindings>>,
}

/// The whole application: the reload stream, and the preview folder for every other path.
pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(reload::EVENTS_PATH, get(reload::events))
        .fallback(serve_file)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

/// Method and `Host` checks, before any routing.
async fn guard(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 Method Not Allowed: the preview answers GET and HEAD only\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    if shared.check_host {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| req.uri().authority().map(|a| a.as_str()));
        if !host.is_some_and(is_loopback_host) {
            return text(
                StatusCode::FORBIDDEN,
                "403 Forbidden: the preview answers to localhost, 127.0.0.1 and [::1] only\n",
            );
        }
    }
    next.run(req).await
}

/// `localhost`, `127.0.0.1` or `[::1]`, with any port or none.
pub(super) fn is_loopback_host(host: &str) -> bool {
    let port_ok = |p: &str| {
        p.is_empty()
            || p.strip_prefix(':')
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    };
    if let Some(rest) = host.strip_prefix('[') {
        return rest
            .split_once(']')
            .is_some_and(|(ip, port)| ip == "::1" && port_ok(port));
    }
    let (name, port) = match host.find(':') {
        Some(i) => host.split_at(i),
        None => (host, ""),
    };
    port_ok(port) && (name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1")
}

/// The request path, percent-decoded, if it is safe to map onto the preview folder.
pub(super) fn decode_path(raw: &str) -> Result<String, &'static str> {
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\') || lower.contains("%5c") {
        return Err("backslashes are not allowed in paths");
    }
    if lower.contains("%2f") {
        return Err("encoded slashes are not allowed in paths");
    }
    let decoded = crate::links::percent_decode(raw);
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err("the path holds a forbidden character");
    }
    if decoded.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("`.` and `..` are not allowed in paths");
    }
    Ok(decoded)
}

/// Everything that is not the reload stream: a file of the preview folder.
async fn serve_file(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let state = shared.state.borrow().clone();
    let raw = req.uri().path();
    let path = match decode_path(raw) {
        Ok(p) => p,
        Err(why) => {
            return text(
                StatusCode::BAD_REQUEST,
                &format!("400 Bad Request: {why}\n"),
            );
        }
    };
    let base = state.base_path.as_str();
    if base != "/" && (path == "/" || format!("{path}/") == base) {
        return redirect(base);
    }
    let Some(rel) = path.strip_prefix(base) else {
        return not_found(&shared, &state).await;
    };
    if rel.starts_with("search/") && !matches!(rel, "search/" | "search/index.html") {
        // The index is written after the pages, off the path to the reload; wait for it.
        let mut done = shared.search_done.clone();
        let wanted = state.search_wanted;
        if *done.borrow() < wanted {
            let _ = shared.index_now.send(IndexMsg::Now);
            let _ = tokio::time::timeout(SEARCH_WAIT, done.wait_for(|&d| d >= wanted)).await;
        }
    }

    let mut file = shared.dir.clone();
    file.extend(rel.split('/').filter(|s| !s.is_empty()));
    if tokio::fs::metadata(&file).await.is_ok_and(|m| m.is_dir()) {
        if !rel.is_empty() && !rel.ends_with('/') {
            let query = req
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            return redirect(&format!("{raw}/{query}"));
        }
        file.push("index.html");
    }
    match read_inside(&shared.dir, &file).await {
        Ok(bytes) => {
            // The page's own findings, shown on it (its URL path as the model makes it).
            let url = if path.ends_with('/') || !path.ends_with(".html") {
                path.trim_end_matches("index.html").to_string()
            } else {
                path.clone()
            };
            let url = if url.ends_with('/') {
                url
            } else {
                format!("{url}/")
            };
            let site = Arc::clone(&shared.site_check.borrow());
            let own = state
                .findings
                .get(&url)
                .cloned()
                .unwrap_or_else(|| Arc::new([]));
            let (page, site_wide) = site_check::for_page(&own, &site, &url);
            let panel = overlay::findings_panel(&page, site_wide);
            respond_with(StatusCode::OK, &file, bytes, &state, panel.as_deref())
        }
        Err(Refused::Outside) => text(
            StatusCode::FORBIDDEN,
            "403 Forbidden: the file lies outside the preview folder\n",
        ),
        Err(Refused::Missing) => not_found(&shared, &state).await,
    }
}

enum Refused {
    Missing,
    Outside,
}

/// Reads `file` if, symbolic links resolved, it is a file inside `dir`.
async fn read_inside(dir: &Path, file: &Path) -> Result<Vec<u8>, Refused> {
    let real = tokio::fs::canonicalize(file)
        .await
        .map_err(|_| Refused::Missing)?;
    if !real.starts_with(dir) {
        return Err(Refused::Outside);
    }
    match tokio::fs::metadata(&real).await {
        Ok(m) if m.is_file() => tokio::fs::read(&real).await.map_err(|_| Refused::Missing),
        _ => Err(Refused::Missing),
    }
}

/// 404: the overlay while the build is broken (the page may be the one that does not build),
/// else the site's own `404.html`.
async fn not_found(shared: &Shared, state: &BuildState) -> Response {
    if let Some(fragment) = &state.error {
        let html = overlay::page(fragment) + &reload::script(state.generation);
        return html_response(StatusCode::INTERNAL_SERVER_ERROR, html.into_bytes());
    }
    let page = shared.dir.join("404.html");
    match read_inside(&shared.dir, &page).await {
        Ok(bytes) => respond(StatusCode::NOT_FOUND, &page, bytes, state),
        Err(_) => text(StatusCode::NOT_FOUND, "404 Not Found\n"),
    }
}

/// A file's response; HTML gets the reload script, and the overlay while the build is broken.
fn respond(status: StatusCode, file: &Path, bytes: Vec<u8>, state: &BuildState) -> Response {
    respond_with(status, file, bytes, state, None)
}

/// [`respond`], with the page's findings panel when it has one.
fn respond_with(
    status: StatusCode,
    file: &Path,
    bytes: Vec<u8>,
    state: &BuildState,
    panel: Option<&str>,
) -> Response {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "html" || ext == "htm" {
        let html = String::from_utf8_lossy(&bytes);
        let mut snippet = state.error.as_deref().unwrap_or("").to_string();
        snippet.push_str(panel.unwrap_or(""));
        snippet.push_str(&reload::script(state.generation));
        return html_response(status, overlay::inject(&html, &snippet).into_bytes());
    }
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&ext)),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn html_response(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The preview changes under the browser: never let it answer from its cache.
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn text(status: StatusCode, body: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

fn redirect(to: &str) -> Response {
    let mut r = text(StatusCode::FOUND, &format!("302 Found: {to}\n"));
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Content types of what a portal site holds: pages, styles, scripts, data, images, attachments.
fn content_type(ext: &str) -> &'static str {
    match ext {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:80",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil",
            "[::2]:1",
            "127.0.0.1:",
            "localhost:x",
            "",
            "[::1]x",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "/../Cargo.toml",
            "/a/%2e%2e/b",
            "/..%2fCargo.toml",
            "/static/..%5c..%5cx",
            "/a\\b",
            "/%2E%2E/",
            "/./a",
            "/a/%00",
        ] {
            assert!(decode_path(bad).is_err(), "{bad}");
        }
        assert_eq!(decode_path("/y/%E6%96%B0%E9%97%BB/").unwrap(), "/y/新闻/");
        assert_eq!(decode_path("/y/a..b/").unwrap(), "/y/a..b/");
    }
}
