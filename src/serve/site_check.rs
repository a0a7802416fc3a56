//! What the whole of `portal check` says, for the preview: the rules that need the whole site
//! (links between pages and their anchors, columns and their vetoes, 依申请公开 matters, renamed
//! pages, the contact block, the generated HTML) run on a thread of their own after a pause in
//! the saves, so that a clean preview means a green CI.
//!
//! A finding that names a content page is shown on that page (with the page's own findings,
//! which are fresh after every save); an error that names no page (site.yaml, a column veto, the
//! generated output) is shown on every page, since CI fails on it whatever page the editor looks
//! at. Site-wide warnings stay in the terminal and in `portal check`: on every page they would
//! bury the page's own findings.
//!
//! The check loads and renders the site again (it is `portal check` itself, not a copy of its
//! rules), so it waits for [`CHECK_PAUSE`] without saves and then takes what it takes; its
//! result replaces the previous one without reloading the browser (the panels are there at the
//! next page load).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use tokio::sync::watch as state;

use crate::check::{CheckOptions, check};
use crate::diagnostic::Diagnostic;

/// How long the saves must pause before the site is checked.
pub(super) const CHECK_PAUSE: Duration = Duration::from_millis(1500);

/// The findings of the latest whole-site check.
#[derive(Debug, Default)]
pub(super) struct SiteFindings {
    /// Findings that name a content page, by the page's URL path (`/yangyuan/news/a/`).
    pub(super) by_url: HashMap<String, Vec<Diagnostic>>,
    /// Errors that name no content page: shown on every page.
    pub(super) site_wide: Vec<Diagnostic>,
}

/// Runs `portal check` on `root` and sorts its findings by page.
pub(super) fn site_findings(root: &Path) -> SiteFindings {
    let report = check(&CheckOptions {
        root: root.to_path_buf(),
        as_of: crate::date::Date::today(),
        external: false,
        previous: None,
    });
    let mut out = SiteFindings::default();
    for d in report.diagnostics {
        match d.file.as_ref().and_then(|f| report.page_urls.get(f)) {
            Some(url) => out.by_url.entry(url.clone()).or_default().push(d),
            None if d.is_error() => out.site_wide.push(d),
            None => {}
        }
    }
    out
}

/// Checks the site after each pause in the good builds it is told of (their generations),
/// publishing each result on `tx`; ends when the builder does.
pub(super) fn run_checker(rx: Receiver<u64>, root: &Path, tx: state::Sender<Arc<SiteFindings>>) {
    // The check renders the whole site: on the shared pool its tasks would queue ahead of the
    // next save's pages. It gets one thread of its own, at a lower priority, and the saves keep
    // the shared pool (a slower check only delays the panels, never the page).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "portal-check".into())
        .start_handler(|_| lower_priority())
        .build()
        .ok();
    let mut pending = false;
    loop {
        let msg = if pending {
            rx.recv_timeout(CHECK_PAUSE)
        } else {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        };
        match msg {
            Ok(_) => pending = true,
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {
                pending = false;
                let findings = match &pool {
                    Some(pool) => pool.install(|| site_findings(root)),
                    None => site_findings(root),
                };
                tx.send_replace(Arc::new(findings));
            }
        }
    }
}

/// Lowers the calling thread's scheduling priority (Linux: its nice value), so that the
/// whole-site check yields the processor to the rebuild of a save.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread; a failure leaves the priority as it was.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

/// The findings to show on the page at `url`: its own (fresh), those of the whole-site check
/// that name it (without repeating one), and the site-wide errors.
pub(super) fn for_page<'a>(
    own: &'a [Diagnostic],
    site: &'a SiteFindings,
    url: &str,
) -> (Vec<&'a Diagnostic>, &'a [Diagnostic]) {
    let mut page: Vec<&Diagnostic> = own.iter().collect();
    for d in site.by_url.get(url).into_iter().flatten() {
        if !own
            .iter()
            .any(|o| o.rule == d.rule && o.line == d.line && o.message == d.message)
        {
            page.push(d);
        }
    }
    page.sort_by(|a, b| (a.line, a.rule).cmp(&(b.line, b.rule)));
    (page, &site.site_wide)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_gets_its_own_its_named_and_the_site_wide_findings_once() {
        let own = vec![Diagnostic::error("a11y/img-alt", "图片缺少替代文本").line(3)];
        let mut site = SiteFindings::default();
        site.by_url.insert(
            "/b/news/a/".into(),
            vec![
                Diagnostic::error("a11y/img-alt", "图片缺少替代文本").line(3),
                Diagnostic::error("link/anchor", "锚点不存在").line(1),
            ],
        );
        site.site_wide
            .push(Diagnostic::error("column/veto", "单项否决"));
        let (page, wide) = for_page(&own, &site, "/b/news/a/");
        let rules: Vec<_> = page.iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["link/anchor", "a11y/img-alt"]);
        assert_eq!(wide.len(), 1);
        let (page, wide) = for_page(&[], &site, "/b/other/");
        assert!(page.is_empty());
        assert_eq!(wide[0].rule, "column/veto");
    }
}
