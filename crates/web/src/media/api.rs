//! `POST /api/v1/images` (multipart), `GET /api/v1/images`, and an
//! article's featured image: `PUT`/`DELETE /api/v1/articles/{slug}/featured-image`.

use super::form;
use super::view::ImageView;
use crate::accounts::MaybeUser;
use crate::auth::{Contributor, Publisher};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tribune_app::media::{FeatureError, Upload};
use tribune_domain::Slug;
use tribune_store::{ArticleEvent, DbError};

pub async fn upload(
    _contributor: Contributor,
    MaybeUser(user): MaybeUser,
    State(state): State<AppState>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let form = form::read(multipart, state.media.limits.max_bytes).await?;
    let bytes = form.file.ok_or_else(form::missing_file)?;
    let upload =
        Upload { bytes, alt: form.alt, caption: form.caption, credit: form.credit, uploaded_by: user.map(|u| u.id) };
    let image = state.media.upload(state.store.as_ref(), upload).await?;
    let view = ImageView::from(&image);
    Ok((StatusCode::CREATED, [(header::LOCATION, view.url.clone())], Json(view)).into_response())
}

#[derive(Serialize)]
pub struct ImageList {
    images: Vec<ImageView>,
}

pub async fn list(_contributor: Contributor, State(state): State<AppState>) -> Result<Json<ImageList>, AppError> {
    let images = state.store.recent_images(None, 50).await?;
    Ok(Json(ImageList { images: images.iter().map(ImageView::from).collect() }))
}

/// The body of `PUT …/featured-image`: the image's key; the words default to the image's own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetFeatured {
    image: String,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
}

#[derive(Serialize)]
pub struct FeaturedView {
    image: ImageView,
    alt: String,
    caption: String,
    credit: String,
}

async fn article_id(state: &AppState, slug: &str) -> Result<(tribune_domain::ArticleId, String), AppError> {
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound("article"))?;
    match state.store.article_by_slug(&slug).await {
        Ok(article) => Ok((article.id, article.slug)),
        Err(DbError::NotFound) => Err(AppError::NotFound("article")),
        Err(other) => Err(other.into()),
    }
}

pub async fn set_featured(
    _publisher: Publisher,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<SetFeatured>,
) -> Result<Json<FeaturedView>, AppError> {
    let (article, slug) = article_id(&state, &slug).await?;
    let set = tribune_app::media::set_featured_image(
        state.store.as_ref(),
        article,
        &request.image,
        request.alt.as_deref(),
        request.caption.as_deref(),
        request.credit.as_deref(),
    )
    .await;
    match set {
        Ok(_) => {}
        Err(FeatureError::UnknownImage) => {
            return Err(AppError::field(tribune_domain::FieldError::new(
                "image",
                "unknown_image",
                "No uploaded image has this key.",
            )))
        }
        Err(FeatureError::Invalid(errors)) => return Err(AppError::Validation(errors)),
        Err(FeatureError::Db(DbError::NotFound)) => return Err(AppError::NotFound("article")),
        Err(FeatureError::Db(other)) => return Err(other.into()),
    }
    state.live.publish(&ArticleEvent::DiscussionChanged { article_id: article, article_slug: slug }).await;
    let featured = state.store.featured_image(article).await?.ok_or(AppError::NotFound("featured image"))?;
    Ok(Json(FeaturedView {
        image: ImageView::from(&featured.image),
        alt: featured.alt,
        caption: featured.caption,
        credit: featured.credit,
    }))
}

pub async fn clear_featured(
    _publisher: Publisher,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<StatusCode, AppError> {
    let (article, slug) = article_id(&state, &slug).await?;
    state.store.clear_featured_image(article).await?;
    state.live.publish(&ArticleEvent::DiscussionChanged { article_id: article, article_slug: slug }).await;
    Ok(StatusCode::NO_CONTENT)
}
