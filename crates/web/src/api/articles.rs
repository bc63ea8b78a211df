use crate::auth::Publisher;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::feeds::public_base;
use crate::media::view::FeaturedImageView;
use crate::newsroom::authors::AuthorView;
use crate::posting::published_article;
use crate::state::AppState;
use crate::views::{ArticleSummaryView, ArticleView};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use tribune_domain::article::ArticleFields;
use tribune_domain::{FieldError, Timestamp};
use tribune_store::DbError;

#[derive(Serialize)]
pub struct ArticleList {
    articles: Vec<ArticleSummaryView>,
}

pub async fn list(State(state): State<AppState>) -> Result<Json<ArticleList>, AppError> {
    let articles = state.store.published_articles(Timestamp::now(), 50).await?;
    Ok(Json(ArticleList { articles: articles.iter().map(ArticleSummaryView::from).collect() }))
}

/// A published article with the profiles its byline links to and its featured image.
#[derive(Serialize)]
pub struct ArticleDetail {
    #[serde(flatten)]
    article: ArticleView,
    bylines: Vec<AuthorView>,
    featured_image: Option<FeaturedImageView>,
}

pub async fn show(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Json<ArticleDetail>, AppError> {
    let article = published_article(&state, &slug).await?;
    let (bylines, featured) =
        tokio::try_join!(state.store.bylines_of(article.id), state.store.featured_image(article.id))?;
    Ok(Json(ArticleDetail {
        article: ArticleView::from(&article),
        bylines: bylines.iter().map(AuthorView::from).collect(),
        featured_image: featured.map(|f| FeaturedImageView::new(&f, public_base(&state))),
    }))
}

/// The body of `POST /api/v1/articles`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateArticle {
    headline: String,
    #[serde(default)]
    standfirst: String,
    byline: String,
    section: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    comments_open: Option<bool>,
    body: String,
}

pub async fn create(
    _publisher: Publisher,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CreateArticle>,
) -> Result<impl IntoResponse, AppError> {
    let fields = ArticleFields {
        headline: request.headline,
        standfirst: request.standfirst,
        byline: request.byline,
        section: request.section,
        tags: request.tags,
        slug: request.slug,
        published_at: request.published_at,
        comments_open: request.comments_open,
        body: request.body,
    };
    let article = fields.parse(Timestamp::now())?;
    let stored = state.store.create_article(&article).await.map_err(|e| match e {
        DbError::Conflict { .. } => AppError::field(FieldError::new(
            "slug",
            "slug_taken",
            format!("An article with the slug \"{}\" already exists.", article.slug),
        )),
        other => other.into(),
    })?;
    let view = ArticleView::from(&stored);
    Ok((StatusCode::CREATED, [(header::LOCATION, view.url.clone())], Json(view)))
}
