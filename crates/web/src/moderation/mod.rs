//! Moderation in the web layer: the moderators' desk (queues, cards,
//! actions, with and without JavaScript), the moderation JSON API, the
//! admin's settings, audit log and webhook screens, and readers' reports.
//! Every decision goes through the `tribune_app` use cases.

mod errors;

pub use errors::{action_error, author_error, report_error, settings_error};

use crate::live::LiveHub;
use crate::mail::{Mail, Mailer};
use async_trait::async_trait;
use std::sync::Arc;
use tribune_app::notify::{Message, Notify};
use tribune_app::webhooks::Deliveries;
use tribune_app::Announce;
use tribune_store::ArticleEvent;

/// Announces through the live bus, and wakes the webhook worker: every
/// announced change may have queued deliveries.
pub struct Announcer {
    pub live: Arc<LiveHub>,
    pub deliveries: Arc<Deliveries>,
}

#[async_trait]
impl Announce for Announcer {
    async fn announce(&self, event: &ArticleEvent) {
        self.live.publish(event).await;
        self.deliveries.wake();
    }
}

/// Sends moderation e-mail through the mail queue, never making the
/// request wait for the mail server.
pub struct MailNotifier {
    pub mailer: Arc<Mailer>,
}

#[async_trait]
impl Notify for MailNotifier {
    async fn send(&self, message: Message) {
        let queued = Mail::new(&message.to, message.subject, message.body).and_then(|mail| self.mailer.enqueue(mail));
        if let Err(error) = queued {
            tracing::warn!(%error, "a moderation e-mail was not queued");
        }
    }
}
