//! The webhook outbox: deliveries queued with what they report, claimed by
//! one instance at a time, retried, given up, sent again. This story claims
//! whatever is due in the whole database, so it runs on its own.

use crate::fixtures::{new_comment, published_article};
use crate::stories::moderation::{audit, moderator};
use std::sync::Arc;
use tribune_domain::moderation::WebhookEvent;
use tribune_domain::{CommentStatus, Timestamp};
use tribune_store::{Attempt, CommentChange, NewEndpoint, Store};

pub async fn deliveries_are_queued_with_their_comment_claimed_once_and_retried(store: Arc<dyn Store>) {
    let s = &*store;
    let endpoint = NewEndpoint {
        url: "http://127.0.0.1:9/hook".to_owned(),
        events: vec![WebhookEvent::CommentCreated, WebhookEvent::CommentHeld],
        secret_id: "key-1".to_owned(),
        secret: "s3cret".to_owned(),
        created_at: Timestamp(1),
    };
    let endpoint = s.create_endpoint(&endpoint, &audit("webhook.create", None, String::new())).await.unwrap();
    assert_eq!(endpoint.events, vec![WebhookEvent::CommentCreated, WebhookEvent::CommentHeld]);
    assert!(endpoint.active);

    let article = published_article(s, "hooks").await;
    let mut comment = new_comment(article.id, None, CommentStatus::Pending);
    comment.events = vec![WebhookEvent::CommentCreated, WebhookEvent::CommentHeld, WebhookEvent::CommentRejected];
    let comment = s.create_comment(&comment).await.unwrap();
    let at = comment.created_at;

    let claimed = s.claim_deliveries(at, Timestamp(at.0 + 60_000), 10).await.unwrap();
    let events: Vec<WebhookEvent> = claimed.iter().map(|(d, _)| d.event).collect();
    assert_eq!(events, vec![WebhookEvent::CommentCreated, WebhookEvent::CommentHeld], "only what the endpoint wants");
    assert!(claimed.iter().all(|(d, e)| d.comment_id == Some(comment.id) && e.secret == "s3cret"));
    assert!(s.claim_deliveries(at, Timestamp(at.0 + 60_000), 10).await.unwrap().is_empty(), "leased");
    assert!(s.claim_deliveries(Timestamp(at.0 - 1), Timestamp(at.0 + 1), 10).await.unwrap().is_empty(), "not yet due");

    let (delivered, failed) = (&claimed[0].0, &claimed[1].0);
    s.finish_delivery(delivered.id, &Attempt::Delivered { status: 204 }, Timestamp(at.0 + 5)).await.unwrap();
    let retry_at = Timestamp(at.0 + 10_000);
    let failure = Attempt::Failed { status: Some(500), error: "HTTP 500".to_owned(), retry_at: Some(retry_at) };
    s.finish_delivery(failed.id, &failure, Timestamp(at.0 + 5)).await.unwrap();
    assert!(s.claim_deliveries(Timestamp(at.0 + 9_999), Timestamp(at.0 + 70_000), 10).await.unwrap().is_empty());
    let again = s.claim_deliveries(retry_at, Timestamp(retry_at.0 + 60_000), 10).await.unwrap();
    assert_eq!(again.iter().map(|(d, _)| d.id).collect::<Vec<_>>(), vec![failed.id], "released and due again");
    assert_eq!(again[0].0.attempts, 1);
    let gave_up = Attempt::Failed { status: None, error: "connection refused".to_owned(), retry_at: None };
    s.finish_delivery(failed.id, &gave_up, retry_at).await.unwrap();
    assert!(s.claim_deliveries(Timestamp(i64::MAX - 1), Timestamp(i64::MAX - 1), 10).await.unwrap().is_empty());

    let log = s.deliveries(Some(endpoint.id), None, 10).await.unwrap();
    let done = log.iter().find(|d| d.id == delivered.id).unwrap();
    assert_eq!((done.delivered_at, done.last_status, done.attempts), (Some(Timestamp(at.0 + 5)), Some(204), 1));
    let given_up = log.iter().find(|d| d.id == failed.id).unwrap();
    assert_eq!(
        (given_up.attempts, given_up.last_error.as_str(), given_up.delivered_at),
        (2, "connection refused", None)
    );

    let resent = s
        .redeliver(failed.id, Timestamp(at.0 + 20_000), &audit("webhook.redeliver", None, String::new()))
        .await
        .unwrap();
    let due = s.claim_deliveries(Timestamp(at.0 + 20_000), Timestamp(at.0 + 80_000), 10).await.unwrap();
    assert_eq!(due.iter().map(|(d, _)| d.id).collect::<Vec<_>>(), vec![resent]);
    assert_eq!(due[0].0.event, WebhookEvent::CommentHeld);
    s.finish_delivery(resent, &Attempt::Delivered { status: 200 }, Timestamp(at.0 + 20_001)).await.unwrap();

    // A decision queues its events; a paused endpoint gets nothing.
    let mut change = CommentChange::new(comment.id, moderator(), Timestamp(at.0 + 30_000));
    change.status = Some(CommentStatus::Published);
    change.events = vec![WebhookEvent::CommentHeld];
    s.change_comment(&change).await.unwrap();
    s.set_endpoint_active(endpoint.id, false, &audit("webhook.pause", None, String::new())).await.unwrap();
    assert!(s.claim_deliveries(Timestamp(at.0 + 90_000), Timestamp(at.0 + 99_000), 10).await.unwrap().is_empty());
    s.set_endpoint_active(endpoint.id, true, &audit("webhook.resume", None, String::new())).await.unwrap();
    let after = s.claim_deliveries(Timestamp(at.0 + 90_000), Timestamp(at.0 + 99_000), 10).await.unwrap();
    assert_eq!(after.len(), 1, "the decision's event waited while the endpoint was paused");
    s.rotate_endpoint_secret(endpoint.id, "key-2", "n3w", &audit("webhook.rotate", None, String::new())).await.unwrap();
    let rotated = s.endpoint(endpoint.id).await.unwrap();
    assert_eq!((rotated.secret_id.as_str(), rotated.secret.as_str()), ("key-2", "n3w"));
}
