//! Signed webhook deliveries from the outbox. Each instance runs one
//! worker: it claims due deliveries with a lease, posts each with an
//! HMAC-SHA256 signature over the timestamp and body (and the secret's id,
//! so secrets can be rotated), and records the outcome; failures are retried
//! with exponential backoff, so a restart or an outage of the receiver
//! loses nothing.

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tribune_domain::Timestamp;
use tribune_store::{Attempt, Comment, Delivery, Endpoint, Store};

/// Attempts before a delivery is given up (it can still be sent again by hand).
pub const MAX_ATTEMPTS: i32 = 10;

/// `t=UNIX_SECONDS,v1=HEX(HMAC-SHA256(secret, "{t}.{body}"))`.
pub fn sign(secret: &str, at: Timestamp, body: &[u8]) -> String {
    let seconds = at.0 / 1000;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(seconds.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={seconds},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// How the worker paces itself; tests shorten everything.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryTiming {
    /// How often the outbox is checked when nothing wakes the worker.
    pub poll: Duration,
    /// How long a claimed delivery is held before another instance may take it.
    pub lease: Duration,
    /// The first retry's delay; each later one doubles it (capped at 6 hours).
    pub retry_base: Duration,
    /// How long a receiver may take to answer.
    pub timeout: Duration,
}

impl Default for DeliveryTiming {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(5),
            lease: Duration::from_secs(60),
            retry_base: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Serialize)]
struct Payload<'a> {
    delivery_id: i64,
    event: &'static str,
    occurred_at: String,
    comment: Option<PayloadComment<'a>>,
    article: Option<PayloadArticle>,
}

#[derive(Serialize)]
struct PayloadComment<'a> {
    id: i64,
    parent_id: Option<i64>,
    status: &'static str,
    author_name: &'a str,
    body_markdown: &'a str,
    body_html: &'a str,
    created_at: String,
    reasons: &'a [tribune_domain::moderation::Reason],
    reject_reason: Option<&'static str>,
    open_reports: i32,
}

#[derive(Serialize)]
struct PayloadArticle {
    slug: String,
    headline: String,
}

/// The worker, and a handle that wakes it when something was queued here.
pub struct Deliveries {
    wake: Arc<Notify>,
}

impl Deliveries {
    /// Starts the worker; it stops when the returned handle is dropped. An
    /// HTTP client that cannot be built is an error, not a client without
    /// the timeout (which a hanging receiver would hold forever).
    pub fn start(store: Arc<dyn Store>, timing: DeliveryTiming) -> Result<Self, String> {
        let wake = Arc::new(Notify::new());
        let client = reqwest::Client::builder()
            .timeout(timing.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client for webhooks: {e}"))?;
        let weak = Arc::downgrade(&wake);
        tokio::spawn(async move {
            while let Some(wake) = weak.upgrade() {
                if let Err(error) = deliver_due(store.as_ref(), &client, timing).await {
                    tracing::warn!(%error, "webhook outbox");
                }
                let _ = tokio::time::timeout(timing.poll, wake.notified()).await;
            }
        });
        Ok(Self { wake })
    }

    /// Something was queued: look at the outbox now rather than at the next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

async fn deliver_due(
    store: &dyn Store,
    client: &reqwest::Client,
    timing: DeliveryTiming,
) -> Result<(), tribune_store::DbError> {
    loop {
        let now = Timestamp::now();
        let lease_until = Timestamp(now.0 + timing.lease.as_millis() as i64);
        let due = store.claim_deliveries(now, lease_until, 20).await?;
        if due.is_empty() {
            return Ok(());
        }
        // All at once: one receiver that hangs holds the batch for one
        // timeout, not one timeout per delivery, so the batch stays within
        // its lease and no other instance sends it a second time.
        let attempts = due.iter().map(|(delivery, endpoint)| deliver(store, client, delivery, endpoint, timing));
        let attempts = futures::future::join_all(attempts).await;
        for ((delivery, endpoint), attempt) in due.iter().zip(attempts) {
            if let Attempt::Failed { error, retry_at, .. } = &attempt {
                let retry_at = retry_at.map_or_else(|| "never: given up".to_owned(), |t| t.rfc3339());
                tracing::warn!(delivery = delivery.id, endpoint = endpoint.id, %error, %retry_at, "webhook delivery failed");
            }
            store.finish_delivery(delivery.id, &attempt, Timestamp::now()).await?;
        }
    }
}

async fn deliver(
    store: &dyn Store,
    client: &reqwest::Client,
    delivery: &Delivery,
    endpoint: &Endpoint,
    timing: DeliveryTiming,
) -> Attempt {
    let body = match payload(store, delivery).await {
        Ok(body) => body,
        Err(error) => return retry(delivery, timing, None, format!("could not build the payload: {error}")),
    };
    let signature = sign(&endpoint.secret, Timestamp::now(), &body);
    let sent = client
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header("user-agent", "Tribune-Webhooks/1")
        .header("x-tribune-event", delivery.event.as_str())
        .header("x-tribune-delivery", delivery.id.to_string())
        .header("x-tribune-key-id", &endpoint.secret_id)
        .header("x-tribune-signature", signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(response) if response.status().is_success() => {
            Attempt::Delivered { status: i32::from(response.status().as_u16()) }
        }
        Ok(response) => {
            let status = response.status().as_u16();
            retry(delivery, timing, Some(i32::from(status)), format!("HTTP {status}"))
        }
        Err(error) if error.is_timeout() => {
            retry(delivery, timing, None, format!("no answer within {:?}", timing.timeout))
        }
        Err(error) => retry(delivery, timing, None, format!("could not connect: {}", without_url(&error))),
    }
}

fn retry(delivery: &Delivery, timing: DeliveryTiming, status: Option<i32>, error: String) -> Attempt {
    let attempts = delivery.attempts + 1;
    let retry_at = (attempts < MAX_ATTEMPTS).then(|| {
        let delay = timing.retry_base.saturating_mul(1 << (attempts - 1).min(16)).min(Duration::from_secs(6 * 3600));
        Timestamp(Timestamp::now().0 + delay.as_millis() as i64)
    });
    Attempt::Failed { status, error, retry_at }
}

fn without_url(error: &reqwest::Error) -> String {
    let text = error.to_string();
    match error.url() {
        Some(url) => text.replace(url.as_str(), "the endpoint"),
        None => text,
    }
}

/// The event with the comment and article as they are now.
async fn payload(store: &dyn Store, delivery: &Delivery) -> Result<Vec<u8>, tribune_store::DbError> {
    let comment: Option<Comment> = match delivery.comment_id {
        Some(id) => match store.comment(id).await {
            Ok(comment) => Some(comment),
            Err(tribune_store::DbError::NotFound) => None,
            Err(other) => return Err(other),
        },
        None => None,
    };
    let article = match &comment {
        Some(comment) => match store.article(comment.article_id).await {
            Ok(article) => Some(PayloadArticle { slug: article.slug, headline: article.headline }),
            Err(tribune_store::DbError::NotFound) => None,
            Err(other) => return Err(other),
        },
        None => None,
    };
    let payload = Payload {
        delivery_id: delivery.id,
        event: delivery.event.as_str(),
        occurred_at: delivery.created_at.rfc3339(),
        comment: comment.as_ref().map(|c| PayloadComment {
            id: c.id.0,
            parent_id: c.parent_id.map(|p| p.0),
            status: c.status.as_str(),
            author_name: &c.author_name,
            body_markdown: &c.body_markdown,
            body_html: &c.body_html,
            created_at: c.created_at.rfc3339(),
            reasons: &c.reasons,
            reject_reason: c.reject_reason.map(|r| r.as_str()),
            open_reports: c.open_reports,
        }),
        article,
    };
    serde_json::to_vec(&payload).map_err(|e| tribune_store::DbError::Other(Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_covers_the_timestamp_and_the_body() {
        let at = Timestamp(1_700_000_000_123);
        let signature = sign("secret", at, b"{}");
        assert!(signature.starts_with("t=1700000000,v1="), "{signature}");
        assert_eq!(signature.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(signature, sign("secret", at, b"{ }"));
        assert_ne!(signature, sign("other", at, b"{}"));
        assert_ne!(signature, sign("secret", Timestamp(at.0 + 1000), b"{}"));
    }

    #[test]
    fn retries_back_off_exponentially_and_give_up() {
        let timing = DeliveryTiming { retry_base: Duration::from_secs(10), ..DeliveryTiming::default() };
        let delivery = |attempts| Delivery {
            id: 1,
            endpoint_id: 1,
            event: tribune_domain::moderation::WebhookEvent::CommentHeld,
            comment_id: None,
            created_at: Timestamp(0),
            attempts,
            next_attempt_at: Timestamp(0),
            delivered_at: None,
            last_status: None,
            last_error: String::new(),
        };
        let delay = |attempts| match retry(&delivery(attempts), timing, None, String::new()) {
            Attempt::Failed { retry_at: Some(at), .. } => Some((at.0 - Timestamp::now().0 + 500) / 1000),
            _ => None,
        };
        assert_eq!(delay(0), Some(10));
        assert_eq!(delay(1), Some(20));
        assert_eq!(delay(3), Some(80));
        assert_eq!(delay(MAX_ATTEMPTS - 1), None, "given up");
    }
}
