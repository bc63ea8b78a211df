//! `GET /api/v1/articles/{slug}/comments/live`: Server-Sent Events. Each
//! published comment is an event whose id is the comment id; a reader that
//! reconnects with `Last-Event-ID` first gets what it missed (up to the
//! backlog limit), or a `reload` event when it missed more.

use crate::error::AppError;
use crate::live::LiveMessage;
use crate::posting::published_article;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;
use tribune_domain::CommentId;

pub async fn stream(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let article = published_article(&state, &slug).await?;
    // Subscribe before reading the backlog, so nothing falls between the two.
    let receiver = state.live.subscribe(article.id);
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|id| *id >= 0);
    let mut backlog = Vec::new();
    let seen_up_to = match last_seen {
        // A new reader has seen everything published so far; an event for an
        // older comment that reaches this instance late is not news to them.
        None => state.store.last_published_id(article.id).await?.map_or(0, |id| id.0),
        Some(last) => {
            let limit = state.config.live_backlog;
            let missed = state.store.published_after(article.id, CommentId(last), limit + 1).await?;
            if missed.len() > limit as usize {
                backlog.push(Arc::new(LiveMessage::reload()));
                0
            } else {
                backlog.extend(missed.iter().map(|c| Arc::new(LiveMessage::comment(c.id, c.parent_id))));
                missed.last().map_or(last, |c| c.id.0)
            }
        }
    };
    let hello = Event::default().retry(Duration::from_secs(3)).comment("connected");
    let events = stream::iter(backlog).chain(reader_stream(receiver, seen_up_to)).map(|message| Ok(to_event(&message)));
    let stream = stream::once(async { Ok(hello) }).chain(events);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)).text("heartbeat")))
}

fn to_event(message: &LiveMessage) -> Event {
    let event = Event::default().event(message.event).data(&message.data);
    match message.id {
        Some(id) => event.id(id.to_string()),
        None => event,
    }
}

/// A reader's messages from the hub, skipping comments it already got from
/// the backlog. A reader that lagged behind gets `reload` and the stream ends.
pub fn reader_stream(
    receiver: broadcast::Receiver<Arc<LiveMessage>>,
    seen_up_to: i64,
) -> impl Stream<Item = Arc<LiveMessage>> {
    stream::unfold(Some(receiver), move |receiver| async move {
        let mut receiver = receiver?;
        loop {
            match receiver.recv().await {
                Ok(message) if message.id.is_some_and(|id| id <= seen_up_to) => continue,
                Ok(message) => return Some((message, Some(receiver))),
                Err(broadcast::error::RecvError::Lagged(_)) => return Some((Arc::new(LiveMessage::reload()), None)),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_reader_that_falls_behind_is_told_to_reload_and_dropped() {
        let (sender, receiver) = broadcast::channel(4);
        for n in 1..=10 {
            sender.send(Arc::new(LiveMessage::comment(CommentId(n), None))).unwrap();
        }
        let got: Vec<_> = reader_stream(receiver, 0).collect().await;
        assert_eq!(got.len(), 1, "only the reload, then the end: {got:?}");
        assert_eq!(got[0].event, "reload");
    }

    #[tokio::test]
    async fn comments_already_sent_from_the_backlog_are_skipped() {
        let (sender, receiver) = broadcast::channel(16);
        for n in [3, 4, 5] {
            sender.send(Arc::new(LiveMessage::comment(CommentId(n), None))).unwrap();
        }
        drop(sender);
        let ids: Vec<_> = reader_stream(receiver, 4).map(|m| m.id).collect().await;
        assert_eq!(ids, [Some(5)]);
    }
}
