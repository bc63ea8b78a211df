//! Author profiles and bylines: checked, stored, and announced so that the
//! pages showing them are dropped from every instance's cache.

use crate::Announce;
use tribune_domain::author::{bio, AuthorProfileInput};
use tribune_domain::{FieldError, Timestamp, UserId, ValidationErrors};
use tribune_store::{Article, ArticleEvent, AuthorProfile, AuthorProfileWrite, DbError, Store};

/// The most bylines an article carries.
pub const MAX_BYLINES: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// Each problem names its field (`name`, `slug`, `bio`, `photo_url`, `authors`).
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error(transparent)]
    Store(#[from] DbError),
}

fn invalid(error: FieldError) -> ProfileError {
    ProfileError::Invalid(ValidationErrors(vec![error]))
}

fn conflict(error: DbError, slug: &str) -> ProfileError {
    match error {
        DbError::Conflict { constraint } if constraint == "author_profiles_user" => {
            invalid(FieldError::new("user_email", "account_taken", "That account already has a profile of its own."))
        }
        DbError::Conflict { .. } => invalid(FieldError::new(
            "slug",
            "slug_taken",
            format!("Another profile already has the address \"{slug}\"."),
        )),
        other => ProfileError::Store(other),
    }
}

/// Creates a profile (`existing` is `None`) or replaces every field of one.
pub async fn save_profile(
    store: &dyn Store,
    announce: &dyn Announce,
    existing: Option<&AuthorProfile>,
    input: &AuthorProfileInput,
    user_id: Option<UserId>,
) -> Result<AuthorProfile, ProfileError> {
    let fields = input.parse().map_err(ProfileError::Invalid)?;
    let write = AuthorProfileWrite {
        slug: fields.slug.as_str().to_owned(),
        name: fields.name,
        bio: fields.bio,
        photo_url: fields.photo_url,
        user_id,
        at: Timestamp::now(),
    };
    let saved = match existing {
        Some(profile) => store.update_author(profile.id, &write).await,
        None => store.create_author(&write).await,
    }
    .map_err(|e| conflict(e, &write.slug))?;
    if existing.is_some() {
        // A name or address shows on every article that carries the byline.
        announce.announce(&ArticleEvent::ManyChanged).await;
    }
    Ok(saved)
}

/// What the account tied to a profile may change itself: its bio.
pub async fn save_own_bio(
    store: &dyn Store,
    announce: &dyn Announce,
    profile: &AuthorProfile,
    raw_bio: &str,
) -> Result<AuthorProfile, ProfileError> {
    let bio = bio(raw_bio).map_err(invalid)?;
    let write = AuthorProfileWrite {
        slug: profile.slug.clone(),
        name: profile.name.clone(),
        bio,
        photo_url: profile.photo_url.clone(),
        user_id: profile.user_id,
        at: Timestamp::now(),
    };
    let saved = store.update_author(profile.id, &write).await?;
    announce.announce(&ArticleEvent::ManyChanged).await;
    Ok(saved)
}

/// The profiles named by `slugs`, in order (a repeated one counts once);
/// an unknown one, or too many, is a field error on `authors`.
pub async fn resolve_bylines(store: &dyn Store, slugs: &[String]) -> Result<Vec<AuthorProfile>, ProfileError> {
    let mut profiles: Vec<AuthorProfile> = Vec::new();
    for slug in slugs.iter().map(|s| s.trim()) {
        let profile = match store.author_by_slug(slug).await {
            Ok(profile) => profile,
            Err(DbError::NotFound) => {
                let message = format!("There is no author profile at \"{slug}\".");
                return Err(invalid(FieldError::new("authors", "unknown_author", message)));
            }
            Err(other) => return Err(other.into()),
        };
        if !profiles.iter().any(|p| p.id == profile.id) {
            profiles.push(profile);
        }
    }
    if profiles.len() > MAX_BYLINES {
        let message = format!("An article carries at most {MAX_BYLINES} bylines.");
        return Err(invalid(FieldError::new("authors", "too_many", message)));
    }
    Ok(profiles)
}

/// Replaces an article's bylines with the profiles named by `slugs`.
pub async fn set_bylines(
    store: &dyn Store,
    announce: &dyn Announce,
    article: &Article,
    slugs: &[String],
) -> Result<Vec<AuthorProfile>, ProfileError> {
    let profiles = resolve_bylines(store, slugs).await?;
    let ids: Vec<i64> = profiles.iter().map(|p| p.id).collect();
    store.set_bylines(article.id, &ids).await?;
    let event = ArticleEvent::BylinesChanged { article_id: article.id, article_slug: article.slug.clone() };
    announce.announce(&event).await;
    Ok(profiles)
}
