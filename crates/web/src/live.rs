//! Live updates. One task per instance listens to the bus, drops stale cached
//! pages, and fans each event out in memory to the readers of that article,
//! serialized once. A reader who falls too far behind is dropped (told to
//! reload) rather than slowing anyone else.

use crate::cache::PageCache;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;
use tribune_domain::{ArticleId, CommentId};
use tribune_store::{ArticleEvent, BusMessage, EventBus};

/// Messages a reader may lag behind before being dropped.
const READER_BUFFER: usize = 256;

/// One event as readers receive it, serialized once for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveMessage {
    pub event: &'static str,
    pub id: Option<i64>,
    pub data: String,
}

#[derive(Serialize)]
struct CommentData {
    id: i64,
    parent_id: Option<i64>,
}

impl LiveMessage {
    pub fn comment(id: CommentId, parent_id: Option<CommentId>) -> Self {
        let data = CommentData { id: id.0, parent_id: parent_id.map(|p| p.0) };
        Self { event: "comment", id: Some(id.0), data: serde_json::to_string(&data).unwrap_or_default() }
    }

    /// Too much was missed to catch up: the reader should reload the discussion.
    pub fn reload() -> Self {
        Self { event: "reload", id: None, data: "{}".to_owned() }
    }
}

pub struct LiveHub {
    bus: Arc<dyn EventBus>,
    cache: Arc<PageCache>,
    readers: Mutex<HashMap<ArticleId, broadcast::Sender<Arc<LiveMessage>>>>,
}

impl LiveHub {
    /// Starts the instance's one listener on the bus.
    pub fn start(bus: Arc<dyn EventBus>, cache: Arc<PageCache>) -> Arc<Self> {
        let hub = Arc::new(Self { bus: bus.clone(), cache: cache.clone(), readers: Mutex::new(HashMap::new()) });
        let mut events = bus.subscribe();
        let weak = Arc::downgrade(&hub);
        tokio::spawn(async move {
            loop {
                let message = events.recv().await;
                let Some(hub) = weak.upgrade() else { break };
                match message {
                    Ok(BusMessage::Event(event)) => {
                        match event.article_slug() {
                            Some(slug) => cache.invalidate_article(slug),
                            None => cache.clear(),
                        }
                        hub.fan_out(&event);
                    }
                    Ok(BusMessage::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        cache.clear();
                        hub.tell_everyone(Arc::new(LiveMessage::reload()));
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        hub
    }

    pub async fn publish(&self, event: &ArticleEvent) {
        // This instance's pages change now, before the writer is answered, so
        // a reader redirected to the new comment sees it; the others hear it
        // through the bus.
        match event.article_slug() {
            Some(slug) => self.cache.invalidate_article(slug),
            None => self.cache.clear(),
        }
        if let Err(error) = self.bus.publish(event).await {
            // The comment is stored; only its live delivery failed. Caches expire on their own.
            tracing::warn!(%error, "could not publish a live event");
        }
    }

    pub fn subscribe(&self, article: ArticleId) -> broadcast::Receiver<Arc<LiveMessage>> {
        let mut readers = self.readers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Forget articles nobody reads any more, even if no event ever came for them.
        readers.retain(|_, sender| sender.receiver_count() > 0);
        readers.entry(article).or_insert_with(|| broadcast::channel(READER_BUFFER).0).subscribe()
    }

    pub fn reader_count(&self, article: ArticleId) -> usize {
        let readers = self.readers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        readers.get(&article).map_or(0, broadcast::Sender::receiver_count)
    }

    fn fan_out(&self, event: &ArticleEvent) {
        let (article, message) = match event {
            ArticleEvent::CommentPublished { article_id, comment_id, parent_id, .. } => {
                (*article_id, LiveMessage::comment(*comment_id, *parent_id))
            }
            // Readers keep what they see; their next reload shows the change.
            ArticleEvent::CommentChanged { .. }
            | ArticleEvent::DiscussionChanged { .. }
            | ArticleEvent::ArticleChanged { .. }
            | ArticleEvent::CorrectionAdded { .. }
            | ArticleEvent::BylinesChanged { .. }
            | ArticleEvent::LeadChanged { .. }
            | ArticleEvent::ManyChanged
            | ArticleEvent::ModerationSettingsChanged => return,
        };
        let mut readers = self.readers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(sender) = readers.get(&article) {
            if sender.send(Arc::new(message)).is_err() {
                // Nobody reads this article any more.
                readers.remove(&article);
            }
        }
    }

    fn tell_everyone(&self, message: Arc<LiveMessage>) {
        let readers = self.readers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for sender in readers.values() {
            let _ = sender.send(message.clone());
        }
    }
}
