//! What the SQLite and PostgreSQL backends share, so that sqlx stays out of
//! the `store` crate: rows as the database returns them and their mapping to
//! the store's types, the one mapping of sqlx errors (constraint violations
//! included) to `DbError`, and statements written once in portable SQL.

mod error;
mod rows;
pub mod statements;

pub use error::{db_error, SqlResult};
pub use rows::{ArticleRow, ArticleSummaryRow, AuthoredCommentRow, CommentRow, IntoModel, UserRow};
