//! The scheduler: every instance polls for scheduled articles that are due.
//! The store's claim is one atomic update, so each article is published
//! (and announced on the bus, dropping every instance's cached lists) once.

use super::LiveAnnounce;
use crate::live::LiveHub;
use std::sync::Arc;
use std::time::Duration;
use tribune_domain::Timestamp;
use tribune_store::Store;

/// Starts polling every `every`; stops when the hub is dropped.
pub fn start(store: Arc<dyn Store>, live: &Arc<LiveHub>, every: Duration) {
    let live = Arc::downgrade(live);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let Some(live) = live.upgrade() else { break };
            let announce = LiveAnnounce(&live);
            if let Err(error) = tribune_app::authoring::publish_due(store.as_ref(), &announce, Timestamp::now()).await {
                // The next tick tries again; nothing was half-published (one transaction).
                tracing::warn!(%error, "could not publish the scheduled articles that are due");
            }
        }
    });
}
