//! What the editor saves beside an article's text: its bylined author
//! profiles and its featured image. Both are checked before anything is
//! written, so an unknown profile or image refuses the whole save, and the
//! store writes them in the transaction that writes the text, so a save is
//! kept whole or not at all.

use crate::profiles::{resolve_bylines, ProfileError};
use crate::Announce;
use tribune_domain::media::ImageText;
use tribune_domain::{FieldError, ValidationErrors};
use tribune_store::{Article, ArticleEvent, AuthorProfile, DbError, ExtrasWrite, FeaturedImage, FeaturedWrite, Store};

/// The featured image as typed: an uploaded image's key and its words for
/// this article. Empty words take the image's own; an empty key removes it.
#[derive(Debug, Clone, Default)]
pub struct FeaturedInput {
    pub image: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// `None` leaves that part of the article as it is.
#[derive(Debug, Clone, Default)]
pub struct ArticleExtras {
    /// Profile slugs, in byline order.
    pub authors: Option<Vec<String>>,
    pub featured: Option<FeaturedInput>,
}

/// The extras looked up: the profiles and the image they name.
#[derive(Debug, Clone, Default)]
pub struct CheckedExtras {
    pub authors: Option<Vec<AuthorProfile>>,
    /// `Some(None)`: remove the featured image.
    pub featured: Option<Option<FeaturedImage>>,
}

/// Form fields the featured image's words are typed in.
const FEATURED_FIELDS: [(&str, &str); 3] =
    [("alt", "featured_alt"), ("caption", "featured_caption"), ("credit", "featured_credit")];

impl ArticleExtras {
    /// Looks up what the extras name; each problem is added to `errors`
    /// under `authors` or `featured_image`/`featured_alt`/….
    pub async fn check(&self, store: &dyn Store, errors: &mut ValidationErrors) -> Result<CheckedExtras, DbError> {
        let mut checked = CheckedExtras::default();
        if let Some(slugs) = &self.authors {
            match resolve_bylines(store, slugs).await {
                Ok(profiles) => checked.authors = Some(profiles),
                Err(ProfileError::Invalid(found)) => errors.0.extend(found.0),
                Err(ProfileError::Store(error)) => return Err(error),
            }
        }
        if let Some(featured) = &self.featured {
            checked.featured = check_featured(store, featured, errors).await?;
        }
        Ok(checked)
    }
}

async fn check_featured(
    store: &dyn Store,
    input: &FeaturedInput,
    errors: &mut ValidationErrors,
) -> Result<Option<Option<FeaturedImage>>, DbError> {
    let key = input.image.trim();
    if key.is_empty() {
        return Ok(Some(None));
    }
    let image = match store.image_by_key(key).await {
        Ok(image) => image,
        Err(DbError::NotFound) => {
            let message = format!("No uploaded image has the key \"{key}\".");
            errors.0.push(FieldError::new("featured_image", "unknown_image", message));
            return Ok(None);
        }
        Err(other) => return Err(other),
    };
    let or_own = |typed: &str, own: &str| if typed.trim().is_empty() { own.to_owned() } else { typed.to_owned() };
    let text = ImageText::parse(
        &or_own(&input.alt, &image.alt),
        &or_own(&input.caption, &image.caption),
        &or_own(&input.credit, &image.credit),
    );
    match text {
        Ok(text) => Ok(Some(Some(FeaturedImage { image, alt: text.alt, caption: text.caption, credit: text.credit }))),
        Err(found) => {
            for mut error in found.0 {
                error.field = FEATURED_FIELDS.iter().find(|(own, _)| *own == error.field).map_or(error.field, |f| f.1);
                errors.0.push(error);
            }
            Ok(None)
        }
    }
}

impl CheckedExtras {
    /// What the store writes, in the same transaction as the article.
    pub fn to_write(&self) -> ExtrasWrite {
        ExtrasWrite {
            bylines: self.authors.as_ref().map(|profiles| profiles.iter().map(|p| p.id).collect()),
            featured: self.featured.as_ref().map(|featured| {
                featured.as_ref().map(|f| FeaturedWrite {
                    image: f.image.id,
                    alt: f.alt.clone(),
                    caption: f.caption.clone(),
                    credit: f.credit.clone(),
                })
            }),
        }
    }

    /// Once written: author pages list the article too, so a change of
    /// bylines drops them from every cache.
    pub async fn announce(&self, announce: &dyn Announce, article: &Article) {
        if self.authors.is_some() {
            let event = ArticleEvent::BylinesChanged { article_id: article.id, article_slug: article.slug.clone() };
            announce.announce(&event).await;
        }
    }
}
