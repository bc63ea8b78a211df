//! The live bus over PostgreSQL's LISTEN/NOTIFY: instances share nothing but
//! the database, and hear each other's events through it.

use async_trait::async_trait;
use sqlx::postgres::{PgListener, PgPool};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};
use tribune_store::{ArticleEvent, BusMessage, DbError, EventBus};
use tribune_store_sql::SqlResult;

const CHANNEL: &str = "tribune_events";

pub struct PgBus {
    outbox: mpsc::Sender<String>,
    sender: broadcast::Sender<BusMessage>,
    // Dropping the bus drops this, which stops the listening task.
    _stop: oneshot::Sender<()>,
}

impl PgBus {
    /// Listens on the channel with one dedicated connection, forwarding
    /// every notification to local subscribers.
    pub async fn start(pool: PgPool) -> Result<Self, DbError> {
        let mut listener = PgListener::connect_with(&pool).await.db()?;
        listener.listen(CHANNEL).await.db()?;
        let sender = broadcast::channel(4096).0;
        let (stop, stopped) = oneshot::channel();
        let task_sender = sender.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = forward(listener, task_sender) => {}
                _ = stopped => {}
            }
        });
        let (outbox, queued) = mpsc::channel(4096);
        // Ends by itself when the bus (the outbox's only sender) is dropped.
        tokio::spawn(notify(pool, queued));
        Ok(Self { outbox, sender, _stop: stop })
    }
}

async fn forward(mut listener: PgListener, sender: broadcast::Sender<BusMessage>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match serde_json::from_str::<ArticleEvent>(notification.payload()) {
                Ok(event) => {
                    let _ = sender.send(BusMessage::Event(event));
                }
                Err(error) => tracing::warn!(%error, "ignoring a malformed live event"),
            },
            // The connection dropped; the next call reconnects and listens again.
            Ok(None) => {
                tracing::warn!("live bus connection lost; reconnecting");
                let _ = sender.send(BusMessage::Resync);
            }
            Err(error) => {
                tracing::warn!(%error, "live bus cannot reach PostgreSQL; retrying");
                let _ = sender.send(BusMessage::Resync);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Sends queued events, as many as are waiting in one statement: under a
/// burst of comments that is one round trip and one commit for many.
async fn notify(pool: PgPool, mut queued: mpsc::Receiver<String>) {
    let mut batch = Vec::new();
    while queued.recv_many(&mut batch, 512).await > 0 {
        let sent = sqlx::query("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload")
            .bind(CHANNEL)
            .bind(&batch)
            .execute(&pool)
            .await;
        if let Err(error) = sent {
            // Other instances' caches expire on their own; readers reconnect and catch up.
            tracing::warn!(%error, events = batch.len(), "could not send live events");
        }
        batch.clear();
    }
}

#[async_trait]
impl EventBus for PgBus {
    /// Queues the event for every instance; the writer does not wait for the
    /// round trip (this instance has already dropped its own stale pages).
    async fn publish(&self, event: &ArticleEvent) -> Result<(), DbError> {
        let payload = serde_json::to_string(event).map_err(|e| DbError::Other(Box::new(e)))?;
        self.outbox.send(payload).await.map_err(|_| DbError::Unavailable("the live bus has stopped".to_owned()))
    }

    fn subscribe(&self) -> broadcast::Receiver<BusMessage> {
        self.sender.subscribe()
    }
}
