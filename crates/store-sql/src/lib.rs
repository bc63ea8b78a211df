//! What the SQLite and PostgreSQL backends share, so that sqlx stays out of
//! the `store` crate: rows as the database returns them and their mapping to
//! the store's types, the one mapping of sqlx errors (constraint violations
//! included) to `DbError`, and statements written once in portable SQL.

#[doc(hidden)]
mod article_insert;
pub mod author_store;
pub mod corrections_store;
mod error;
#[doc(hidden)]
pub mod media_store;
mod moderation_rows;
#[doc(hidden)]
pub mod moderation_store;
#[doc(hidden)]
pub mod newsroom_store;
#[doc(hidden)]
pub mod perspective_store;
mod rows;
pub mod statements;
mod thread;

pub use author_store::AuthorRow;
pub use corrections_store::{CorrectionRow, ListedCorrectionRow};
pub use error::{db_error, SqlResult};
pub use moderation_rows::{
    AuditRow, ClaimedRow, CommentEditRow, DeliveryRow, EndpointRow, NoteRow, PastCommentRow, QueueItemRow, ReportRow,
    RestrictionRow, StandingRow,
};
pub use perspective_store::{ApiKeyRow, ExampleRow};
pub use rows::{ArticleRow, ArticleSummaryRow, AuthoredCommentRow, CommentRow, IntoModel, SearchHitRow, UserRow};
pub use thread::visible_thread;

#[doc(hidden)]
pub use {async_trait, serde_json, tribune_domain, tribune_store};
