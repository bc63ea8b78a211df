use crate::accounts::MaybeUser;
use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::limits::ClientIp;
use crate::posting::{post_comment, published_article, CommentInput, ThreadParams};
use crate::state::AppState;
use crate::views::{CreatedComment, FlatComment, ThreadView};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tribune_domain::comment::SortOrder;
use tribune_domain::Timestamp;

#[derive(Serialize)]
pub struct CommentPage {
    article: String,
    sort: SortOrder,
    total: i64,
    comments: Vec<FlatComment>,
    next_cursor: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ApiQuery(params): ApiQuery<ThreadParams>,
    request: HeaderMap,
) -> Result<Response, AppError> {
    let query = params.parse(state.config.comments_per_page)?;
    let key = CacheKey::new(&slug, "comments-json", query.cache_key());
    state
        .cache
        .get_or_render(key, cache::JSON, &request, || async {
            let article = published_article(&state, &slug).await?;
            let page = state.store.thread_page(article.id, query).await?;
            let thread = ThreadView::new(page, query.sort == SortOrder::Newest, Timestamp::now());
            let page = CommentPage {
                article: article.slug,
                sort: query.sort,
                total: thread.total,
                next_cursor: thread.next_cursor.clone(),
                comments: thread.flat(),
            };
            serde_json::to_vec(&page).map(Into::into).map_err(|e| AppError::Internal(e.to_string()))
        })
        .await
}

pub async fn create(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(viewer): MaybeUser,
    ClientIp(ip): ClientIp,
    ApiJson(input): ApiJson<CommentInput>,
) -> Result<impl IntoResponse, AppError> {
    let article = published_article(&state, &slug).await?;
    let comment = post_comment(&state, &article, &input, viewer.as_ref(), ip).await?;
    let created = CreatedComment::new(comment, &article.slug);
    Ok((StatusCode::CREATED, [(header::LOCATION, created.url.clone())], Json(created)))
}
