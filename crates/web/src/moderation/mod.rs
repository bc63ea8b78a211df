//! Moderation in the web layer: the moderators' desk (queues, cards,
//! actions, with and without JavaScript), the moderation JSON API, the
//! admin's settings, audit log and webhook screens, and readers' reports.
//! Every decision goes through the `tribune_app` use cases.

mod actions;
pub mod actor;
mod admin;
mod api;
mod authors;
pub mod cards;
pub mod desk;
mod errors;
pub mod webhooks_admin;

pub use errors::{action_error, author_error, report_error, settings_error};

use crate::routes::Routes;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{post, put};

/// An article by its slug, published or not (moderators manage drafts'
/// discussions too); anything else is 404.
pub async fn any_article(
    store: &dyn tribune_store::Store,
    raw: &str,
) -> Result<tribune_store::Article, crate::AppError> {
    let slug = tribune_domain::Slug::parse(raw.trim()).map_err(|_| crate::AppError::NotFound("article"))?;
    store.article_by_slug(&slug).await.map_err(|e| match e {
        tribune_store::DbError::NotFound => crate::AppError::NotFound("article"),
        other => other.into(),
    })
}

/// Settings documents carry word lists of thousands of entries.
const SETTINGS_BYTES: usize = 4 * 1024 * 1024;

/// The desk and the admin's moderation pages (moderators and above; the
/// settings and the audit log for admins).
pub fn page_routes() -> Routes {
    Routes::new()
        .get("/moderation", desk::show)
        .post("/moderation/comments/{id}/actions", actions::act)
        .post("/moderation/bulk", actions::bulk)
        .get("/moderation/comments/{id}/edit", actions::edit_form)
        .post("/moderation/comments/{id}/edit", actions::edit)
        .get("/moderation/authors/{key}", authors::show)
        .post("/moderation/authors/{key}/actions", authors::act)
        .get("/moderation/articles/{slug}", admin::discussion_page)
        .post("/moderation/articles/{slug}", admin::save_discussion)
        .get("/admin/moderation", admin::settings_page)
        .route(
            "/admin/moderation",
            Method::POST,
            post(admin::save_settings).layer(DefaultBodyLimit::max(SETTINGS_BYTES)),
        )
        .get("/admin/audit", admin::audit_page)
}

/// The moderation JSON API, and readers' reports through it.
pub fn api_routes() -> Routes {
    Routes::new()
        .get("/api/v1/moderation/queues/{queue}", api::queue)
        .post("/api/v1/moderation/comments/{id}/actions", api::act)
        .post("/api/v1/moderation/authors/{key}/actions", api::act_on_author)
        .get("/api/v1/moderation/settings", api::settings)
        .route(
            "/api/v1/moderation/settings",
            Method::PUT,
            put(api::put_settings).layer(DefaultBodyLimit::max(SETTINGS_BYTES)),
        )
        .get("/api/v1/moderation/audit", api::audit)
        .get("/api/v1/articles/{slug}/discussion", api::discussion)
        .route("/api/v1/articles/{slug}/discussion", Method::PUT, put(api::put_discussion))
        .post("/api/v1/articles/{slug}/comments/{id}/reports", api::report)
}

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

    async fn deliveries_queued(&self) {
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
