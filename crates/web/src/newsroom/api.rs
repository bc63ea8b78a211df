//! `/api/v1/newsroom/…`: the editor's JSON routes. Documented in docs/api.md.

use super::authors::AuthorView;
use super::editor_extras::{self, FeaturedBody, FeaturedJson};
use super::list::{list_page, list_status};
use super::{authoring_error, LiveAnnounce};
use crate::accounts::SignedIn;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::views::article_url;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use tribune_app::article_extras::ArticleExtras;
use tribune_app::authoring::{ArticleInput, Newsroom, RevisionDiff};
use tribune_domain::authoring::{self, ArticleStatus, Transition};
use tribune_domain::{ArticleId, FieldError, Timestamp};
use tribune_store::{Article, NewsroomItem, Presence, RevisionSummary};

/// An article as the editor sees it: its Markdown, state and revision.
#[derive(Serialize)]
pub struct EditorArticle {
    id: i64,
    slug: String,
    url: String,
    status: ArticleStatus,
    revision: i32,
    headline: String,
    standfirst: String,
    byline: String,
    section: String,
    tags: Vec<String>,
    body: String,
    published_at: Option<String>,
    updated_at: Option<String>,
    author_id: Option<i64>,
    /// The profiles the byline links to, in order.
    bylines: Vec<AuthorView>,
    featured_image: Option<FeaturedJson>,
    /// Others who opened the editor on it in the last few minutes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    editing_now: Vec<Presence>,
}

impl EditorArticle {
    async fn new(state: &AppState, article: Article, editing_now: Vec<Presence>) -> Result<Self, AppError> {
        let (bylines, featured_image) = editor_extras::api_view(state, article.id).await?;
        Ok(Self {
            id: article.id.0,
            url: article_url(&article.slug),
            slug: article.slug,
            status: article.status,
            revision: article.revision,
            headline: article.headline,
            standfirst: article.standfirst,
            byline: article.byline,
            section: article.section,
            tags: article.tags,
            body: article.body_markdown,
            published_at: article.published_at.map(Timestamp::rfc3339),
            updated_at: article.updated_at.map(Timestamp::rfc3339),
            author_id: article.author_id.map(|id| id.0),
            bylines,
            featured_image,
            editing_now,
        })
    }
}

fn newsroom<'a>(state: &'a AppState, announce: &'a LiveAnnounce<'a>) -> Newsroom<'a> {
    Newsroom { store: state.store.as_ref(), announce }
}

#[derive(Deserialize)]
pub struct ListParams {
    status: Option<String>,
    before: Option<i64>,
    limit: Option<u32>,
}

#[derive(Serialize)]
pub struct NewsroomList {
    articles: Vec<NewsroomItem>,
    /// The `before` of the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_before: Option<i64>,
}

/// How many articles an API list page holds unless asked, and at most.
const LIST_LIMIT: u32 = 50;
const LIST_LIMIT_MAX: u32 = 200;

/// Editors and admins see every article; an author sees their own.
pub async fn list(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<NewsroomList>, AppError> {
    if user.suspended || !authoring::writes(user.role) {
        return Err(authoring_error(tribune_app::authoring::AuthoringError::NotAllowed, None));
    }
    let status = list_status(params.status.as_deref())?;
    let limit = match params.limit {
        None => LIST_LIMIT,
        Some(n @ 1..=LIST_LIMIT_MAX) => n,
        Some(_) => {
            let message = format!("limit is between 1 and {LIST_LIMIT_MAX}.");
            return Err(AppError::BadRequest { code: "invalid_limit", message });
        }
    };
    let (articles, next_before) = list_page(&state, &user, status, params.before, limit).await?;
    Ok(Json(NewsroomList { articles, next_before }))
}

/// The body of a create or a save.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleBody {
    headline: String,
    #[serde(default)]
    standfirst: String,
    byline: String,
    section: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    slug: String,
    body: String,
    /// Profile slugs the byline links to, in order; omitted: left as they are.
    #[serde(default)]
    authors: Option<Vec<String>>,
    /// Omitted: left as it is; `{"image": ""}` removes it.
    #[serde(default)]
    featured_image: Option<FeaturedBody>,
    /// Required on a save: the revision the text was based on.
    #[serde(default)]
    base_revision: Option<i32>,
}

impl ArticleBody {
    fn input(self) -> (ArticleInput, Option<i32>) {
        let input = ArticleInput {
            headline: self.headline,
            standfirst: self.standfirst,
            byline: self.byline,
            section: self.section,
            tags: self.tags,
            slug: self.slug,
            body: self.body,
            extras: ArticleExtras { authors: self.authors, featured: self.featured_image.map(Into::into) },
        };
        (input, self.base_revision)
    }
}

pub async fn create(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ArticleBody>,
) -> Result<impl IntoResponse, AppError> {
    let announce = LiveAnnounce(&state.live);
    let (input, _) = body.input();
    let article = newsroom(&state, &announce)
        .create(&user, input, Timestamp::now())
        .await
        .map_err(|e| authoring_error(e, None))?;
    let location = format!("/api/v1/newsroom/articles/{}", article.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(EditorArticle::new(&state, article, Vec::new()).await?),
    ))
}

pub async fn show(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<EditorArticle>, AppError> {
    let announce = LiveAnnounce(&state.live);
    let (article, others) = newsroom(&state, &announce)
        .open_noting_presence(&user, ArticleId(id), Timestamp::now())
        .await
        .map_err(|e| authoring_error(e, Some(id)))?;
    Ok(Json(EditorArticle::new(&state, article, others).await?))
}

pub async fn save(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ArticleBody>,
) -> Result<Json<EditorArticle>, AppError> {
    let (input, base) = body.input();
    let base = base.ok_or_else(|| {
        AppError::field(FieldError::new("base_revision", "empty", "Send the revision this text was based on."))
    })?;
    let announce = LiveAnnounce(&state.live);
    let article = newsroom(&state, &announce)
        .save(&user, ArticleId(id), base, input, Timestamp::now())
        .await
        .map_err(|e| authoring_error(e, Some(id)))?;
    Ok(Json(EditorArticle::new(&state, article, Vec::new()).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    action: String,
    /// For `schedule`: when it publishes itself (RFC 3339).
    #[serde(default)]
    publish_at: Option<String>,
}

pub async fn transition(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TransitionBody>,
) -> Result<Json<EditorArticle>, AppError> {
    let action = Transition::parse(&body.action).map_err(AppError::field)?;
    let announce = LiveAnnounce(&state.live);
    let article = newsroom(&state, &announce)
        .transition(&user, ArticleId(id), action, body.publish_at.as_deref(), Timestamp::now())
        .await
        .map_err(|e| authoring_error(e, Some(id)))?;
    Ok(Json(EditorArticle::new(&state, article, Vec::new()).await?))
}

#[derive(Serialize)]
pub struct RevisionList {
    revisions: Vec<RevisionSummary>,
}

pub async fn revisions(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<RevisionList>, AppError> {
    let announce = LiveAnnounce(&state.live);
    let revisions =
        newsroom(&state, &announce).revisions(&user, ArticleId(id)).await.map_err(|e| authoring_error(e, Some(id)))?;
    Ok(Json(RevisionList { revisions }))
}

#[derive(Deserialize)]
pub struct CompareParams {
    from: i32,
    to: i32,
}

pub async fn compare(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<CompareParams>,
) -> Result<Json<RevisionDiff>, AppError> {
    let announce = LiveAnnounce(&state.live);
    let diff = newsroom(&state, &announce)
        .compare(&user, ArticleId(id), params.from, params.to)
        .await
        .map_err(|e| authoring_error(e, Some(id)))?;
    Ok(Json(diff))
}

pub async fn restore(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path((id, number)): Path<(i64, i32)>,
) -> Result<Json<EditorArticle>, AppError> {
    let announce = LiveAnnounce(&state.live);
    let article = newsroom(&state, &announce)
        .restore(&user, ArticleId(id), number, Timestamp::now())
        .await
        .map_err(|e| authoring_error(e, Some(id)))?;
    Ok(Json(EditorArticle::new(&state, article, Vec::new()).await?))
}
