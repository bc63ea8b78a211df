//! A real HTTP receiver on loopback for webhook tests: it keeps every
//! request it is sent (headers and body) and answers as the test says —
//! a status, a JSON body, garbage, or nothing at all (it hangs).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

/// How the receiver answers a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// This status with an empty body.
    Status(u16),
    /// 200 with this JSON text (`application/json`).
    Json(String),
    /// 200, `application/json`, with a body that is not JSON.
    Garbage,
    /// Never answers (well, after an hour).
    Hang,
}

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
    /// When it arrived.
    pub at: std::time::Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("the request body is JSON")
    }
}

#[derive(Default)]
struct Script {
    received: Vec<Received>,
    /// Answers for the next requests, in order; then `otherwise`.
    next: VecDeque<Answer>,
    otherwise: Option<Answer>,
}

pub struct WebhookReceiver {
    pub url: String,
    script: Arc<Mutex<Script>>,
    server: tokio::task::JoinHandle<()>,
}

impl WebhookReceiver {
    /// Listens on 127.0.0.1 and a free port; answers 200 until told otherwise.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the webhook receiver");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        let script = Arc::new(Mutex::new(Script::default()));
        let app = Router::new().fallback(receive).with_state(script.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, script, server }
    }

    /// Answers every later request so (after any queued with `then`).
    pub fn answer(&self, answer: Answer) {
        self.script.lock().expect("script").otherwise = Some(answer);
    }

    /// Answers the next request so, once.
    pub fn then(&self, answer: Answer) {
        self.script.lock().expect("script").next.push_back(answer);
    }

    pub fn received(&self) -> Vec<Received> {
        self.script.lock().expect("script").received.clone()
    }

    /// Waits until at least `count` requests arrived (at most 10 s); returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..200 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let received = self.received();
        panic!("expected {count} webhook requests, got {}: {received:#?}", received.len());
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn receive(State(script): State<Arc<Mutex<Script>>>, headers: HeaderMap, body: Bytes) -> Response {
    let answer = {
        let mut script = script.lock().expect("script");
        script.received.push(Received {
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            at: std::time::Instant::now(),
        });
        let queued = script.next.pop_front();
        queued.or_else(|| script.otherwise.clone()).unwrap_or(Answer::Status(200))
    };
    match answer {
        Answer::Status(status) => StatusCode::from_u16(status).expect("a valid status").into_response(),
        Answer::Json(json) => ([("content-type", "application/json")], json).into_response(),
        Answer::Garbage => ([("content-type", "application/json")], "<html>not json{").into_response(),
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
    }
}
