use sqlx::error::DatabaseError;
use tribune_store::DbError;

/// The one mapping from sqlx's errors to what callers of the store act on.
pub fn db_error(error: sqlx::Error) -> DbError {
    match error {
        sqlx::Error::RowNotFound => DbError::NotFound,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            DbError::Unavailable(error.to_string())
        }
        sqlx::Error::Database(ref db) if db.is_unique_violation() => {
            DbError::Conflict { constraint: constraint_name(db.as_ref()) }
        }
        // A row the new one refers to (an article, a parent) is gone.
        sqlx::Error::Database(ref db) if db.is_foreign_key_violation() => DbError::NotFound,
        sqlx::Error::Database(ref db) if is_transient(db.code().as_deref()) => DbError::Unavailable(error.to_string()),
        other => DbError::Other(Box::new(other)),
    }
}

/// `.db()` turns a sqlx result into a store result.
pub trait SqlResult<T> {
    fn db(self) -> Result<T, DbError>;
}

impl<T> SqlResult<T> for Result<T, sqlx::Error> {
    fn db(self) -> Result<T, DbError> {
        self.map_err(db_error)
    }
}

/// SQLite's names for the columns of each unique constraint, and the name
/// the PostgreSQL schema gives the same constraint.
const SQLITE_UNIQUE: &[(&str, &str)] = &[
    ("articles.slug", "articles_slug"),
    ("users.email", "users_email"),
    ("media_images.key", "media_images_key"),
    ("comment_reports.comment_id, comment_reports.reporter", "comment_reports_once"),
    ("user_identities.provider, user_identities.subject", "user_identities_pkey"),
    ("author_profiles.slug", "author_profiles_slug"),
    ("author_profiles.user_id", "author_profiles_user"),
    ("article_bylines.article_id, article_bylines.author_id", "article_bylines_once"),
];

/// PostgreSQL names the violated constraint; SQLite says "UNIQUE constraint
/// failed: articles.slug", which becomes the PostgreSQL name.
fn constraint_name(db: &dyn DatabaseError) -> String {
    if let Some(name) = db.constraint() {
        return name.to_owned();
    }
    let columns = db.message().split_once(": ").map_or(db.message(), |(_, columns)| columns);
    SQLITE_UNIQUE
        .iter()
        .find(|(known, _)| *known == columns)
        .map_or_else(|| columns.replace(['.', ' ', ','], "_"), |(_, name)| (*name).to_owned())
}

/// Errors that go away by themselves: PostgreSQL's cancelled statements
/// (57014), lost connections (08xxx), shutdowns (57P0x); SQLite's busy and
/// locked databases (5, 6).
fn is_transient(code: Option<&str>) -> bool {
    match code {
        Some(code) => {
            code == "57014" || code.starts_with("08") || code.starts_with("57P") || code == "5" || code == "6"
        }
        None => false,
    }
}
