//! The editor's bylines and featured image: the fields as stored, the
//! choices it offers (profiles, recent images), the preview's parts, and
//! how the JSON API shows them.

use super::authors::AuthorView;
use crate::error::AppError;
use crate::feeds::public_base;
use crate::media::view::{FeaturedImageView, ImageView};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use tribune_app::article_extras::{ArticleExtras, CheckedExtras, FeaturedInput};
use tribune_domain::{ArticleId, ValidationErrors};

/// How many recent uploads the editor offers as the featured image.
const RECENT_IMAGES: u32 = 20;

/// The extras' form fields as typed (profile slugs as one comma-separated line).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ExtrasFields {
    pub authors: String,
    pub featured_image: String,
    pub featured_alt: String,
    pub featured_caption: String,
    pub featured_credit: String,
}

impl ExtrasFields {
    /// What the article carries now.
    pub async fn of(state: &AppState, article: ArticleId) -> Result<Self, AppError> {
        let (bylines, featured) =
            tokio::try_join!(state.store.bylines_of(article), state.store.featured_image(article))?;
        let authors = bylines.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>().join(", ");
        Ok(match featured {
            Some(f) => Self {
                authors,
                featured_image: f.image.key,
                featured_alt: f.alt,
                featured_caption: f.caption,
                featured_credit: f.credit,
            },
            None => Self { authors, ..Self::default() },
        })
    }

    /// A form always sends every field, so it sets (or clears) both.
    pub fn extras(&self) -> ArticleExtras {
        let authors = self.authors.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
        ArticleExtras {
            authors: Some(authors),
            featured: Some(FeaturedInput {
                image: self.featured_image.clone(),
                alt: self.featured_alt.clone(),
                caption: self.featured_caption.clone(),
                credit: self.featured_credit.clone(),
            }),
        }
    }
}

/// The story template's bylines and featured image for a preview; what
/// cannot be found is left out (the save names it next to its field).
pub async fn preview_parts(
    state: &AppState,
    fields: &ExtrasFields,
) -> Result<(Vec<AuthorView>, Option<FeaturedImageView>), AppError> {
    let mut ignored = ValidationErrors::default();
    let checked = fields.extras().check(state.store.as_ref(), &mut ignored).await?;
    Ok(story_parts(state, &checked))
}

fn story_parts(state: &AppState, checked: &CheckedExtras) -> (Vec<AuthorView>, Option<FeaturedImageView>) {
    let bylines = checked.authors.iter().flatten().map(AuthorView::from).collect();
    let featured = checked.featured.iter().flatten().next().map(|f| FeaturedImageView::new(f, public_base(state)));
    (bylines, featured)
}

/// A profile or an image the editor offers.
#[derive(Debug, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The profiles and the recent uploads the editor lists beside the fields.
pub async fn choices(state: &AppState) -> Result<(Vec<Choice>, Vec<Choice>), AppError> {
    let (profiles, images) = tokio::try_join!(state.store.authors(), state.store.recent_images(None, RECENT_IMAGES))?;
    let profiles = profiles.into_iter().map(|p| Choice { value: p.slug, label: p.name }).collect();
    let images = images.into_iter().map(|i| Choice { value: i.key, label: i.alt }).collect();
    Ok((profiles, images))
}

/// The featured image in the newsroom API: its key, its words here, and the image.
#[derive(Debug, Serialize)]
pub struct FeaturedJson {
    pub image: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub url: String,
}

/// An article's bylines and featured image as the newsroom API shows them.
pub async fn api_view(
    state: &AppState,
    article: ArticleId,
) -> Result<(Vec<AuthorView>, Option<FeaturedJson>), AppError> {
    let (bylines, featured) = tokio::try_join!(state.store.bylines_of(article), state.store.featured_image(article))?;
    let featured = featured.map(|f| FeaturedJson {
        url: ImageView::from(&f.image).url,
        image: f.image.key,
        alt: f.alt,
        caption: f.caption,
        credit: f.credit,
    });
    Ok((bylines.iter().map(AuthorView::from).collect(), featured))
}

/// The featured image in a newsroom API save: `image` is a key ("" removes
/// it); omitted words take the image's own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeaturedBody {
    image: String,
    #[serde(default)]
    alt: String,
    #[serde(default)]
    caption: String,
    #[serde(default)]
    credit: String,
}

impl From<FeaturedBody> for FeaturedInput {
    fn from(body: FeaturedBody) -> Self {
        Self { image: body.image, alt: body.alt, caption: body.caption, credit: body.credit }
    }
}
