use thiserror::Error;

/// What a caller of the store can act on; everything else is `Other` and is
/// logged, never shown.
#[derive(Debug, Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl DbError {
    /// For writes to one existing row: touching none means it was not there.
    pub fn found(rows_affected: u64) -> Result<(), DbError> {
        if rows_affected == 0 {
            Err(DbError::NotFound)
        } else {
            Ok(())
        }
    }
}

impl From<sqlx::Error> for DbError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                Self::Unavailable(error.to_string())
            }
            sqlx::Error::Database(ref db) if db.is_unique_violation() => Self::Conflict {
                constraint: db.constraint().map(str::to_owned).unwrap_or_else(|| unique_target(db.message())),
            },
            // A row the new one refers to (an article, a parent) is gone.
            sqlx::Error::Database(ref db) if db.is_foreign_key_violation() => Self::NotFound,
            sqlx::Error::Database(ref db) if is_transient(db.code().as_deref()) => Self::Unavailable(error.to_string()),
            other => Self::Other(Box::new(other)),
        }
    }
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

/// SQLite names no constraint; it says "UNIQUE constraint failed: articles.slug".
fn unique_target(message: &str) -> String {
    message.rsplit(": ").next().unwrap_or(message).replace('.', "_")
}
