//! Correcting a published article in public: the note is checked, appended
//! with its date, and announced so that every instance drops the article's
//! cached page (and the lists and feeds that show it) at once.

use crate::Announce;
use tribune_domain::{CorrectionNote, FieldError, Timestamp, UserId, ValidationErrors};
use tribune_store::{Article, ArticleEvent, Correction, DbError, NewCorrection, Store};

#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    /// The note, or the article it would correct, is not acceptable; each
    /// problem names its field (`note`, `article`).
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error(transparent)]
    Store(#[from] DbError),
}

/// Appends `raw_note` to `article`, which must be published by `now`.
pub async fn add_correction(
    store: &dyn Store,
    announce: &dyn Announce,
    article: &Article,
    raw_note: &str,
    by: Option<UserId>,
    now: Timestamp,
) -> Result<Correction, CorrectionError> {
    let mut errors = ValidationErrors::default();
    if !article.is_public(now) {
        errors.push(FieldError::new(
            "article",
            "not_published",
            "Only a published article can be corrected; change the draft instead.",
        ));
    }
    let note = errors.check(CorrectionNote::parse(raw_note));
    let Some(note) = note.filter(|_| errors.is_empty()) else { return Err(CorrectionError::Invalid(errors)) };
    let correction =
        NewCorrection { article_id: article.id, note: note.as_str().to_owned(), created_at: now, created_by: by };
    let stored = store.add_correction(&correction).await?;
    let event = ArticleEvent::CorrectionAdded { article_id: article.id, article_slug: article.slug.clone() };
    announce.announce(&event).await;
    Ok(stored)
}
