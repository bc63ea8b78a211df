//! A minimal Server-Sent Events reader for tests.

use futures::StreamExt;
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

pub struct SseClient {
    stream: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl SseClient {
    /// Opens `url`, optionally resuming after `last_event_id`; panics unless the answer is an event stream.
    pub async fn connect(url: &str, last_event_id: Option<&str>) -> Self {
        let mut request = reqwest::Client::new().get(url).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.expect("connect to the event stream");
        assert_eq!(response.status(), 200, "event stream status");
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Self { stream: response.bytes_stream().boxed(), buffer: String::new() }
    }

    /// The next event (heartbeats and comments skipped), or `None` after `wait`.
    pub async fn next_event(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent { event: "message".to_owned(), ..Default::default() };
                let mut has_field = false;
                for line in block.lines() {
                    if let Some((field, value)) = line.split_once(':') {
                        let value = value.strip_prefix(' ').unwrap_or(value);
                        match field {
                            "event" => event.event = value.to_owned(),
                            "id" => event.id = Some(value.to_owned()),
                            "data" => event.data.push_str(value),
                            _ => continue,
                        }
                        has_field = true;
                    }
                }
                if has_field {
                    return Some(event);
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.stream.next()).await.ok()??.ok()?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk).replace("\r\n", "\n"));
        }
    }

    /// Waits for the next event of kind `event`, skipping others.
    pub async fn expect(&mut self, event: &str, wait: Duration) -> SseEvent {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_event(left).await {
                Some(found) if found.event == event => return found,
                Some(_) => continue,
                None => panic!("no {event:?} event within {wait:?}"),
            }
        }
    }
}
