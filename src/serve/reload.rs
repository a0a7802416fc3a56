//! Live reload: a server-sent event stream of build generations, and the small script injected
//! into every HTML page the preview serves (never into `portal build` output).
//!
//! Server-sent events rather than a WebSocket: one direction is all reload needs, the browser
//! reconnects by itself after a restart, and a test can read the stream from a plain socket.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};

use super::http::Shared;

/// The path of the event stream. Outside any site's base path, and no site page can be named
/// like this.
pub(super) const EVENTS_PATH: &str = "/__portal/events";

/// The script for a page served at build `generation`: it reloads the page as soon as the server
/// announces another build — also one that finished between serving the page and the script
/// connecting, because it compares with the generation the page was served at.
pub(super) fn script(generation: u64) -> String {
    format!(
        "<script>/* portal serve: live reload */(function(){{var v=\"{generation}\";\
         var s=new EventSource(\"{EVENTS_PATH}\");\
         s.addEventListener(\"build\",function(e){{if(e.data!==v){{s.close();location.reload();}}}});}})();</script>"
    )
}

/// `GET /__portal/events`: an event `build` with the current generation at once, then one for
/// every new build (or failed build). Ends when the server stops.
pub(super) async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.state.clone();
    let updates = stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first {
            // The builder is gone: end the stream, which closes the connection.
            rx.changed().await.ok()?;
        }
        let generation = rx.borrow_and_update().generation;
        let event = Event::default().event("build").data(generation.to_string());
        Some((Ok(event), (rx, false)))
    });
    Sse::new(updates).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
