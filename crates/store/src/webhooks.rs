//! Webhook endpoints and the delivery outbox. Deliveries are queued in the
//! transaction that changes what they report; instances claim due ones with
//! a lease, so several instances never send one delivery at once, and a
//! crash only delays it.

use crate::moderation::NewAuditEntry;
use crate::DbError;
use async_trait::async_trait;
use serde::Serialize;
use tribune_domain::moderation::WebhookEvent;
use tribune_domain::{CommentId, Timestamp};

#[derive(Debug, Clone)]
pub struct NewEndpoint {
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub secret_id: String,
    pub secret: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub secret_id: String,
    #[serde(skip)]
    pub secret: String,
    pub active: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub endpoint_id: i64,
    pub event: WebhookEvent,
    pub comment_id: Option<CommentId>,
    pub created_at: Timestamp,
    pub attempts: i32,
    pub next_attempt_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
    pub last_status: Option<i32>,
    pub last_error: String,
}

/// How one attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Delivered {
        status: i32,
    },
    /// Try again at `retry_at`, or never (`None`: given up).
    Failed {
        status: Option<i32>,
        error: String,
        retry_at: Option<Timestamp>,
    },
}

#[async_trait]
pub trait WebhookStore: Send + Sync {
    async fn create_endpoint(&self, endpoint: &NewEndpoint, audit: &NewAuditEntry) -> Result<Endpoint, DbError>;

    async fn endpoints(&self) -> Result<Vec<Endpoint>, DbError>;

    async fn endpoint(&self, id: i64) -> Result<Endpoint, DbError>;

    async fn set_endpoint_active(&self, id: i64, active: bool, audit: &NewAuditEntry) -> Result<(), DbError>;

    /// Replaces the signing secret; receivers tell them apart by `secret_id`.
    async fn rotate_endpoint_secret(
        &self,
        id: i64,
        secret_id: &str,
        secret: &str,
        audit: &NewAuditEntry,
    ) -> Result<(), DbError>;

    /// Up to `limit` deliveries due at `now` that no one holds, each leased
    /// until `lease_until`, with their endpoints.
    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<(Delivery, Endpoint)>, DbError>;

    /// Records an attempt and releases the lease.
    async fn finish_delivery(&self, id: i64, attempt: &Attempt, at: Timestamp) -> Result<(), DbError>;

    /// The latest deliveries, newest first (of one endpoint, if given).
    async fn deliveries(
        &self,
        endpoint: Option<i64>,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Delivery>, DbError>;

    /// Queues a delivery again as a new one ("send again"); returns its id.
    async fn redeliver(&self, id: i64, now: Timestamp, audit: &NewAuditEntry) -> Result<i64, DbError>;
}
