//! The live bus over PostgreSQL's LISTEN/NOTIFY: instances share nothing but
//! the database, and hear each other's events through it.

use async_trait::async_trait;
use sqlx::postgres::{PgListener, PgPool};
use std::time::Duration;
use tokio::sync::{broadcast, oneshot};
use tribune_store::{ArticleEvent, BusMessage, DbError, EventBus};

const CHANNEL: &str = "tribune_events";

pub struct PgBus {
    pool: PgPool,
    sender: broadcast::Sender<BusMessage>,
    // Dropping the bus drops this, which stops the listening task.
    _stop: oneshot::Sender<()>,
}

impl PgBus {
    /// Listens on the channel with one dedicated connection, forwarding
    /// every notification to local subscribers.
    pub async fn start(pool: PgPool) -> Result<Self, DbError> {
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        let sender = broadcast::channel(4096).0;
        let (stop, stopped) = oneshot::channel();
        let task_sender = sender.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = forward(listener, task_sender) => {}
                _ = stopped => {}
            }
        });
        Ok(Self { pool, sender, _stop: stop })
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

#[async_trait]
impl EventBus for PgBus {
    async fn publish(&self, event: &ArticleEvent) -> Result<(), DbError> {
        let payload = serde_json::to_string(event).map_err(|e| DbError::Other(Box::new(e)))?;
        sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(&self.pool).await?;
        Ok(())
    }

    fn subscribe(&self) -> broadcast::Receiver<BusMessage> {
        self.sender.subscribe()
    }
}
