//! E-mail that moderation sends: telling an author that their held comment
//! was approved or rejected, and the moderators' digest of new items.

use crate::Moderation;
use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use tribune_domain::moderation::{Queue, RejectReason};
use tribune_domain::Timestamp;
use tribune_store::{Comment, QueueFilter, QueueQuery, Store};

/// One plain-text e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Sends e-mail without making the caller wait (the web layer's mail queue).
#[async_trait]
pub trait Notify: Send + Sync {
    async fn send(&self, message: Message);
}

/// What e-mails need to name the site and link back to it.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub name: String,
    /// `https://news.example.org`, without a trailing slash; links are
    /// relative without it.
    pub public_url: String,
}

impl Site {
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }
}

/// The review of a held comment, for its author.
pub enum Review<'a> {
    Approved,
    Rejected { reason: RejectReason, note: &'a str },
}

pub fn review_message(
    site: &Site,
    comment: &Comment,
    article_slug: &str,
    headline: &str,
    review: Review<'_>,
) -> Message {
    let excerpt: String = comment.body_markdown.chars().take(300).collect();
    let (subject, outcome) = match review {
        Review::Approved => (
            format!("Your comment on “{headline}” is published"),
            format!("It is now published: {}", site.link(&format!("/articles/{article_slug}#comment-{}", comment.id))),
        ),
        Review::Rejected { reason, note } => {
            let note = if note.trim().is_empty() { String::new() } else { format!("\nThe moderator added: {note}") };
            (
                format!("Your comment on “{headline}” was not published"),
                format!("A moderator decided not to publish it. Reason: {}.{note}", reason.label()),
            )
        }
    };
    Message {
        to: comment.author_email.clone(),
        subject,
        body: format!(
            "Hello {},\n\nYou commented on “{headline}”:\n\n> {}\n\n{outcome}\n\n— {}\n",
            comment.author_name,
            excerpt.replace('\n', "\n> "),
            site.name
        ),
    }
}

/// Where the digest remembers what it last reported: `SENT_AT:LAST_ID`.
const DIGEST_KEY: &str = "moderation_digest";

impl Moderation {
    /// Sends the moderators' digest every `digest_minutes` (as the settings
    /// say at each turn) while there is something new; across instances,
    /// only the one that takes the turn sends it.
    pub fn start_digest(self: &Arc<Self>, check_every: Duration) {
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(check_every).await;
                let Some(moderation) = weak.upgrade() else { break };
                if let Err(error) = moderation.send_digest_if_due(Timestamp::now()).await {
                    tracing::warn!(%error, "moderators' digest");
                }
            }
        });
    }

    /// Sends the digest if it is due and there are new pending or reported
    /// comments; returns how many moderators it went to.
    pub async fn send_digest_if_due(&self, now: Timestamp) -> Result<usize, tribune_store::DbError> {
        let minutes = self.policy().settings.digest_minutes;
        if minutes == 0 {
            return Ok(0);
        }
        let store: &dyn Store = self.store.as_ref();
        let previous = store.setting(DIGEST_KEY).await?;
        let (sent_at, last_id) = previous
            .as_deref()
            .and_then(|v| v.split_once(':'))
            .map_or((0, 0), |(t, id)| (t.parse().unwrap_or(0), id.parse().unwrap_or(0)));
        if now.0 < sent_at + i64::from(minutes) * 60_000 {
            return Ok(0);
        }
        let newest = QueueQuery {
            queue: Queue::Pending,
            filter: QueueFilter::default(),
            oldest_first: false,
            after: None,
            limit: 10,
        };
        let pending = store.queue(&newest).await?;
        let reported = store.queue(&QueueQuery { queue: Queue::Reported, ..newest.clone() }).await?;
        let newest_id = pending.iter().chain(&reported).map(|i| i.comment.id.0).max().unwrap_or(0);
        if newest_id <= last_id {
            return Ok(0);
        }
        // Take the turn: of several instances, one replaces the old value.
        let value = format!("{}:{newest_id}", now.0);
        let taken = match &previous {
            Some(old) => {
                store.delete_setting_if(DIGEST_KEY, old).await?
                    && store.insert_setting_if_absent(DIGEST_KEY, &value).await?
            }
            None => store.insert_setting_if_absent(DIGEST_KEY, &value).await?,
        };
        if !taken {
            return Ok(0);
        }
        let counts = store.queue_counts(&QueueFilter::default()).await?;
        let mut lines = vec![format!(
            "{} comments wait for review and {} were reported by readers.\n",
            counts.pending, counts.reported
        )];
        for item in pending.iter().chain(&reported).filter(|i| i.comment.id.0 > last_id).take(10) {
            let excerpt: String = item.comment.body_markdown.chars().take(120).collect();
            lines.push(format!(
                "- {} on “{}”: {}",
                item.comment.author_name,
                item.article_headline,
                excerpt.replace('\n', " ")
            ));
        }
        lines.push(format!("\nOpen the moderation desk: {}\n", self.site.link("/moderation")));
        let staff = store.staff().await?;
        for moderator in &staff {
            self.notify
                .send(Message {
                    to: moderator.email.clone(),
                    subject: format!("{}: comments waiting for moderation", self.site.name),
                    body: lines.join("\n"),
                })
                .await;
        }
        Ok(staff.len())
    }
}
