//! Connections that keep the server waiting are closed, live streams are
//! not, and shutting down ends even the streams. Raw TCP, so that the client
//! does exactly what a slow or silent one does. (A file of its own: these
//! tests wait for timeouts, and run beside the others rather than after them.)

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tribune_testkit::{SseClient, TestApp};
use tribune_web::SiteConfig;

/// Far longer than any timeout set here: a connection still open then was never going to close.
const PATIENCE: Duration = Duration::from_secs(10);

fn with_timeouts(header_read: u64, keep_alive: u64) -> SiteConfig {
    SiteConfig {
        header_read_timeout: Duration::from_secs(header_read),
        keep_alive_timeout: Duration::from_secs(keep_alive),
        shutdown_grace: Duration::from_secs(1),
        ..TestApp::config()
    }
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://")).await.expect("connect")
}

/// Reads (and drops) whatever comes until the server closes the connection;
/// false when it is still open after `PATIENCE`.
async fn closed_by_server(read: &mut (impl AsyncReadExt + Unpin)) -> bool {
    let mut buffer = [0u8; 4096];
    let until_closed = async {
        while let Ok(n) = read.read(&mut buffer).await {
            if n == 0 {
                break;
            }
        }
    };
    tokio::time::timeout(PATIENCE, until_closed).await.is_ok()
}

/// Sends a request for /healthz and reads its whole answer (it has no body).
async fn health_check(stream: &mut TcpStream) -> String {
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: tribune.test\r\n\r\n").await.expect("send");
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).await.expect("read"), 1, "closed mid-answer: {answer:?}");
        answer.push(byte[0]);
    }
    String::from_utf8(answer).expect("text")
}

#[tokio::test]
async fn a_client_that_sends_its_headers_too_slowly_is_cut_off() {
    let app = TestApp::spawn_with(with_timeouts(1, 60)).await;
    let (mut read, mut write) = connect(&app).await.into_split();
    write.write_all(b"GET / HTTP/1.1\r\nHost: tribune.test\r\n").await.unwrap();
    // One more header line every 200 ms: never idle, never done.
    let dribble = tokio::spawn(async move {
        for n in 0.. {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if write.write_all(format!("X-Slow-{n}: 1\r\n").as_bytes()).await.is_err() {
                break;
            }
        }
    });
    assert!(closed_by_server(&mut read).await, "still open after {PATIENCE:?}");
    dribble.abort();
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed() {
    let app = TestApp::spawn_with(with_timeouts(60, 1)).await;
    let mut stream = connect(&app).await;
    assert!(closed_by_server(&mut stream).await, "still open after {PATIENCE:?}");
}

#[tokio::test]
async fn a_kept_alive_connection_serves_requests_then_is_closed_when_idle() {
    let app = TestApp::spawn_with(with_timeouts(60, 1)).await;
    let mut stream = connect(&app).await;
    for _ in 0..3 {
        let answer = health_check(&mut stream).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(closed_by_server(&mut stream).await, "still open after {PATIENCE:?}");
}

#[tokio::test]
async fn a_live_stream_stays_open_far_longer_than_the_timeouts() {
    let app = TestApp::spawn_with(with_timeouts(1, 1)).await;
    let slug = app.article().create().await;
    let mut stream = SseClient::connect(&app.url(&format!("/api/v1/articles/{slug}/comments/live")), None).await;
    // Nothing is sent for three times the timeouts (the heartbeat comes every 15 s).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let id = app.comment(&slug, None, "still listening?").await;
    let event = stream.expect("comment", PATIENCE).await;
    assert_eq!(event.id, Some(id.to_string()));
}

#[tokio::test]
async fn shutting_down_closes_idle_connections_and_ends_live_streams_after_the_grace_period() {
    let app = TestApp::spawn_with(with_timeouts(60, 60)).await;
    let slug = app.article().create().await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut idle = connect(&app).await;
    assert!(health_check(&mut idle).await.starts_with("HTTP/1.1 200"));
    let mut live = connect(&app).await;
    let request = format!("GET /api/v1/articles/{slug}/comments/live HTTP/1.1\r\nHost: tribune.test\r\n\r\n");
    live.write_all(request.as_bytes()).await.unwrap();
    let mut first = [0u8; 64];
    assert!(live.read(&mut first).await.unwrap() > 0, "the stream started");

    let stopped = tokio::time::timeout(PATIENCE, app.stop()).await;
    assert!(matches!(stopped, Ok(Ok(()))), "serve returned: {stopped:?}");
    assert!(closed_by_server(&mut idle).await);
    assert!(closed_by_server(&mut live).await);
    assert!(TcpStream::connect(&address).await.is_err(), "no longer listening");
}
