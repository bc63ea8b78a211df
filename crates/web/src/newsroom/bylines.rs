//! `PUT /api/v1/articles/{slug}/bylines`: which profiles an article's byline
//! links to, in order, for any article by slug. The editor and the newsroom
//! API set them with the text (`tribune_app::article_extras`).

use crate::auth::Publisher;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::moderation::any_article;
use crate::newsroom::authors::AuthorView;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use tribune_app::profiles::{set_bylines, ProfileError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutBylines {
    /// Profile slugs, in byline order; empty removes every link.
    authors: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Bylines {
    bylines: Vec<AuthorView>,
}

pub async fn put(
    _publisher: Publisher,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<PutBylines>,
) -> Result<Json<Bylines>, AppError> {
    let article = any_article(state.store.as_ref(), &slug).await?;
    let announce = state.moderation.announce.as_ref();
    let profiles =
        set_bylines(state.store.as_ref(), announce, &article, &request.authors).await.map_err(|e| match e {
            ProfileError::Invalid(errors) => AppError::Validation(errors),
            ProfileError::Store(error) => error.into(),
        })?;
    Ok(Json(Bylines { bylines: profiles.iter().map(AuthorView::from).collect() }))
}
