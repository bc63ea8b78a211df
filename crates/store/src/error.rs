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
