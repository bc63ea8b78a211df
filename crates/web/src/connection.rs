//! Accepting connections and serving HTTP/1.1 on them, with the limits that
//! keep slow or silent clients from holding connections forever. A watchdog
//! per connection follows what the connection is doing:
//!
//! - waiting, with no byte of a request yet (a new connection, or a
//!   kept-alive one between requests): closed after `keep_alive_timeout`;
//! - receiving a request's headers: they must be complete within
//!   `header_read_timeout` of their first byte, or the connection is cut;
//! - serving a request, until its response has been sent: no limit here (the
//!   request timeout bounds the handler; a live comment stream is a response
//!   still being sent, and stays open as long as its reader listens).
//!
//! (hyper's own `header_read_timeout` counts from when the server starts
//! waiting, which would make the two limits one; this counts from the first
//! byte, as HTTP servers usually do.)
//!
//! At shutdown the listener closes, every connection finishes the request it
//! is serving and closes, and after `shutdown_grace` the ones still open
//! (streams) are dropped.

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::ServiceExt;

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub header_read: Duration,
    pub keep_alive: Duration,
    pub shutdown_grace: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes, then closes as described above.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            Some(finished) = connections.join_next(), if !connections.is_empty() => {
                if let Err(error) = finished {
                    tracing::error!(%error, "a connection task failed");
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(serve_connection(stream, peer, app.clone(), timeouts, stopping.clone()));
                }
                Err(error) => accept_failed(error).await,
            },
        }
    }
    drop(listener);
    stop.send_replace(true);
    let drained =
        tokio::time::timeout(timeouts.shutdown_grace, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::info!(open = connections.len(), "closing the connections still open after the shutdown grace period");
        connections.shutdown().await;
    }
    Ok(())
}

/// Errors of one connection only are skipped; others (out of file
/// descriptors) are logged and given a moment, as a busy loop would not help.
async fn accept_failed(error: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(error.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    tracing::error!(%error, "cannot accept connections; trying again in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    timeouts: Timeouts,
    mut stopping: watch::Receiver<bool>,
) {
    // Small responses go out at once rather than waiting for more to send.
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "cannot set TCP_NODELAY");
    }
    let activity = Arc::new(Activity::new());
    let requests = activity.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let in_progress = requests.begin();
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(peer));
        let app = app.clone();
        async move {
            let response = match app.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            Ok::<_, Infallible>(response.map(|body| Tracked { body, _in_progress: in_progress }))
        }
    });
    let io = TokioIo::new(Watched { stream, activity: activity.clone() });
    let mut builder = http1::Builder::new();
    builder.header_read_timeout(None);
    let mut connection = pin!(builder.serve_connection(io, service));
    let mut expired = pin!(activity.expired(timeouts));
    let (mut asked_to_close, mut stop_seen) = (false, false);
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, %peer, "connection closed");
                }
                break;
            }
            why = &mut expired => {
                if why == Expired::SlowHeaders || asked_to_close {
                    tracing::info!(%peer, ?why, "cutting off a connection that keeps the server waiting");
                    break;
                }
                // Idle: hyper closes it at once, or after a request that arrived just now.
                asked_to_close = true;
                connection.as_mut().graceful_shutdown();
                expired.set(activity.expired(timeouts));
            }
            _ = stopping.wait_for(|stop| *stop), if !stop_seen => {
                stop_seen = true;
                asked_to_close = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Which limit a connection went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expired {
    Idle,
    SlowHeaders,
}

/// What one connection is doing, as the watchdog sees it.
struct Activity {
    state: Mutex<State>,
    changed: Notify,
}

struct State {
    /// Requests being served, a response still being sent included.
    in_progress: usize,
    /// When nothing was last in progress (the connection opened, or a response was sent).
    idle_since: Instant,
    /// When the first byte of the next request arrived, if one has.
    request_started: Option<Instant>,
}

impl Activity {
    fn new() -> Self {
        let state = State { in_progress: 0, idle_since: Instant::now(), request_started: None };
        Self { state: Mutex::new(state), changed: Notify::new() }
    }

    fn update(&self, change: impl FnOnce(&mut State) -> bool) {
        let changed = change(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner));
        if changed {
            self.changed.notify_waiters();
        }
    }

    /// Bytes arrived from the client.
    fn received(&self) {
        self.update(|state| {
            let first = state.in_progress == 0 && state.request_started.is_none();
            if first {
                state.request_started = Some(Instant::now());
            }
            first
        });
    }

    /// A request's headers are complete and the app starts on it.
    fn begin(self: &Arc<Self>) -> InProgress {
        self.update(|state| {
            state.in_progress += 1;
            state.request_started = None;
            true
        });
        InProgress(self.clone())
    }

    /// Completes when the connection goes past one of the `timeouts`.
    async fn expired(&self, timeouts: Timeouts) -> Expired {
        loop {
            let mut changed = pin!(self.changed.notified());
            // Registered before looking, so that no change is missed in between.
            changed.as_mut().enable();
            let deadline = {
                let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                match (state.in_progress, state.request_started) {
                    (0, None) => Some((state.idle_since + timeouts.keep_alive, Expired::Idle)),
                    (0, Some(started)) => Some((started + timeouts.header_read, Expired::SlowHeaders)),
                    _ => None,
                }
            };
            match deadline {
                None => changed.await,
                Some((at, why)) => tokio::select! {
                    () = tokio::time::sleep_until(at) => return why,
                    () = changed => {}
                },
            }
        }
    }
}

/// One request in progress, until its response has been sent (or dropped).
struct InProgress(Arc<Activity>);

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.update(|state| {
            state.in_progress -= 1;
            if state.in_progress == 0 {
                state.idle_since = Instant::now();
                state.request_started = None;
            }
            true
        });
    }
}

/// A response body that keeps its request counted as in progress until hyper drops it.
struct Tracked {
    body: Body,
    _in_progress: InProgress,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The socket, telling the watchdog when bytes arrive.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let read = Pin::new(&mut this.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.received();
        }
        read
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, bytes: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, bytes)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUTS: Timeouts = Timeouts {
        header_read: Duration::from_millis(200),
        keep_alive: Duration::from_millis(300),
        shutdown_grace: Duration::from_millis(100),
    };

    #[tokio::test]
    async fn a_silent_connection_expires_after_the_keep_alive_time() {
        let activity = Activity::new();
        let started = Instant::now();
        assert_eq!(activity.expired(TIMEOUTS).await, Expired::Idle);
        assert!(started.elapsed() >= TIMEOUTS.keep_alive);
    }

    #[tokio::test]
    async fn headers_must_be_complete_within_their_time_of_the_first_byte() {
        let activity = Arc::new(Activity::new());
        tokio::time::sleep(TIMEOUTS.header_read).await;
        activity.received();
        let first_byte = Instant::now();
        // More bytes do not buy more time.
        let more = tokio::spawn({
            let activity = activity.clone();
            async move {
                loop {
                    tokio::time::sleep(TIMEOUTS.header_read / 4).await;
                    activity.received();
                }
            }
        });
        assert_eq!(activity.expired(TIMEOUTS).await, Expired::SlowHeaders);
        assert!(first_byte.elapsed() >= TIMEOUTS.header_read);
        more.abort();
    }

    #[tokio::test]
    async fn a_request_in_progress_never_expires_and_idle_time_counts_from_its_end() {
        let activity = Arc::new(Activity::new());
        activity.received();
        let request = activity.begin();
        let watchdog = tokio::spawn({
            let activity = activity.clone();
            async move { activity.expired(TIMEOUTS).await }
        });
        tokio::time::sleep(TIMEOUTS.keep_alive * 3).await;
        assert!(!watchdog.is_finished(), "expired while a response was being sent");
        let done = Instant::now();
        drop(request);
        assert_eq!(watchdog.await.unwrap(), Expired::Idle);
        assert!(done.elapsed() >= TIMEOUTS.keep_alive);
    }
}
