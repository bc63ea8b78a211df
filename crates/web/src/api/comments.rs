use crate::accounts::MaybeUser;
use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::limits::ClientIp;
use crate::posting::{guest_token, held_cookie, post_comment, published_article, CommentInput, ThreadParams};
use crate::state::AppState;
use crate::views::{CreatedComment, FlatComment, ThreadView};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tribune_domain::comment::SortOrder;
use tribune_domain::{CommentStatus, Timestamp};

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
            let thread =
                ThreadView::new(page, query.sort == SortOrder::Newest, Timestamp::now(), state.config.max_depth);
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

/// The body of `POST …/comments`. Unlike the page's form (which carries
/// other fields, such as the sort order), a field the API does not know is
/// an error, so that a client's typo is not silently ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCommentRequest {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    body: String,
    #[serde(default, deserialize_with = "crate::posting::optional_id")]
    parent_id: Option<String>,
    /// Tell the author by e-mail when a held comment is reviewed.
    #[serde(default)]
    notify: bool,
    /// The author has read a moderator's warning.
    #[serde(default)]
    acknowledge_warning: bool,
    /// Send the comment as it is after the think-before-posting notice
    /// (the `reconsider` error): a moderator reads it first.
    #[serde(default)]
    send_anyway: bool,
}

impl From<NewCommentRequest> for CommentInput {
    fn from(request: NewCommentRequest) -> Self {
        let NewCommentRequest { name, email, website, body, parent_id, notify, acknowledge_warning, send_anyway } =
            request;
        Self { name, email, website, body, parent_id, notify, acknowledge_warning, send_anyway }
    }
}

/// Creates a comment; it is published, or held for review (`status`
/// "pending", and a guest's browser gets the cookie that shows it to them).
pub async fn create(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(viewer): MaybeUser,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(request): ApiJson<NewCommentRequest>,
) -> Result<Response, AppError> {
    let input = CommentInput::from(request);
    let article = published_article(&state, &slug).await?;
    let secure = state.config.secure_cookies;
    let (token, cookie) = match viewer {
        Some(_) => (None, None),
        None => {
            let (token, cookie) = guest_token(&headers, secure);
            (Some(token), cookie)
        }
    };
    let posted = post_comment(&state, &article, &input, viewer.as_ref(), ip, token.as_deref()).await?;
    let held = posted.comment.status == CommentStatus::Pending;
    let created = CreatedComment::new(posted.comment, &article.slug, state.config.max_depth);
    let mut response = (StatusCode::CREATED, [(header::LOCATION, created.url.clone())], Json(created)).into_response();
    let held_cookie = if held && viewer.is_none() { held_cookie(&article, secure) } else { None };
    for cookie in [cookie, held_cookie].into_iter().flatten() {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}
