use crate::accounts::MaybeUser;
use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::extract::{ApiQuery, PageForm};
use crate::limits::ClientIp;
use crate::posting::{post_comment, published_article, CommentInput, ThreadParams};
use crate::state::AppState;
use crate::views::{article_url, ArticleView, ThreadView};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tribune_domain::comment::SortOrder;
use tribune_domain::{CommentId, Timestamp};
use tribune_store::{Article, Comment, ThreadQuery, User};

#[derive(Debug, Default, Deserialize)]
pub struct ArticleParams {
    sort: Option<String>,
    cursor: Option<String>,
    /// The comment a no-JavaScript reader chose to reply to.
    reply_to: Option<String>,
}

/// The comment form as the template sees it: what was typed and what is wrong.
#[derive(Debug, Default, Serialize)]
struct FormState {
    values: CommentInput,
    errors: BTreeMap<&'static str, String>,
    /// The comment being replied to, shown above the form.
    replying_to: Option<ReplyingTo>,
}

#[derive(Debug, Serialize)]
struct ReplyingTo {
    id: i64,
    author_name: String,
}

pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(viewer): MaybeUser,
    ApiQuery(params): ApiQuery<ArticleParams>,
    request: HeaderMap,
) -> Result<Response, AppError> {
    let thread_params = ThreadParams { sort: params.sort.clone(), cursor: params.cursor.clone() };
    let query = thread_params.parse(state.config.comments_per_page)?;
    if params.reply_to.is_none() && viewer.is_none() {
        // The hot path: the same page for every anonymous reader until the thread changes.
        let key = CacheKey::new(&slug, "page", query.cache_key());
        return state
            .cache
            .get_or_render(key, cache::HTML, &request, || async {
                let article = published_article(&state, &slug).await?;
                Ok(render_article(&state, &article, query, FormState::default(), None).await?.into())
            })
            .await;
    }
    let article = published_article(&state, &slug).await?;
    let replying_to = replying_to(&state, &article, params.reply_to.as_deref()).await;
    let mut form = FormState::default();
    if let Some(target) = &replying_to {
        form.values.parent_id = Some(target.id.to_string());
    }
    form.replying_to = replying_to;
    Ok(Html(render_article(&state, &article, query, form, viewer.as_ref()).await?).into_response())
}

/// The comment a reader is replying to, when it is one of this article's.
async fn replying_to(state: &AppState, article: &Article, raw_id: Option<&str>) -> Option<ReplyingTo> {
    let id = raw_id?.trim().parse::<i64>().ok()?;
    let target = state.store.comment(CommentId(id)).await.ok()?;
    (target.article_id == article.id).then_some(ReplyingTo { id, author_name: target.author_name })
}

/// `GET` on the form's address (a reload after an error): back to the discussion.
pub async fn comments_anchor(Path(slug): Path<String>) -> Redirect {
    Redirect::to(&format!("{}#comments", article_url(&slug)))
}

async fn render_article(
    state: &AppState,
    article: &Article,
    query: ThreadQuery,
    form: FormState,
    viewer: Option<&User>,
) -> Result<String, AppError> {
    let page = state.store.thread_page(article.id, query).await?;
    let thread = ThreadView::new(page, query.sort == SortOrder::Newest, Timestamp::now());
    let url = article_url(&article.slug);
    let next_page_url = thread
        .next_cursor
        .as_ref()
        .map(|cursor| format!("{url}?sort={}&cursor={cursor}#comments", query.sort.as_str()));
    state.templates.render(
        "article.html",
        context! {
            site_name => &state.config.site_name,
            article => ArticleView::from(article),
            thread,
            sort => query.sort.as_str(),
            is_first_page => query.after_root.is_none(),
            next_page_url,
            form,
            viewer,
            guests_may_comment => state.config.guests_may_comment,
            max_comment_chars => state.config.max_comment_chars,
        },
    )
}

/// The no-JavaScript comment form: on success, back to the new comment; on a
/// mistake, the same page with the message next to the field and the text kept.
pub async fn post_comment_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(viewer): MaybeUser,
    ClientIp(ip): ClientIp,
    PageForm(input): PageForm<FormPost>,
) -> Result<Response, AppError> {
    let article = published_article(&state, &slug).await?;
    let sort = match input.sort.as_deref() {
        Some("newest") => SortOrder::Newest,
        _ => SortOrder::Oldest,
    };
    match post_comment(&state, &article, &input.comment, viewer.as_ref(), ip).await {
        Ok(comment) => Ok(Redirect::to(&location_of(&state, &article, &comment, sort).await?).into_response()),
        Err(AppError::Validation(errors)) => {
            let replying_to = replying_to(&state, &article, input.comment.parent_id.as_deref()).await;
            let mut form = FormState { values: input.comment, replying_to, ..Default::default() };
            for error in errors.0 {
                form.errors.entry(error.field).or_insert(error.message);
            }
            let query = ThreadQuery { sort, after_root: None, roots: state.config.comments_per_page };
            let html = render_article(&state, &article, query, form, viewer.as_ref()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
pub struct FormPost {
    #[serde(flatten)]
    comment: CommentInput,
    sort: Option<String>,
}

/// The URL of the page that shows `comment`, with its anchor.
async fn location_of(
    state: &AppState,
    article: &Article,
    comment: &Comment,
    sort: SortOrder,
) -> Result<String, AppError> {
    let url = article_url(&article.slug);
    let anchor = format!("#comment-{}", comment.id);
    if sort == SortOrder::Newest {
        return Ok(format!("{url}?sort=newest{anchor}"));
    }
    // Oldest-first, a thread beyond the first page is found by starting the page at its root.
    let from_root = ThreadQuery { sort, after_root: Some(CommentId(comment.root_id.0 - 1)), roots: 1 };
    let number = state.store.thread_page(article.id, from_root).await?.first_number;
    if number > i64::from(state.config.comments_per_page) {
        Ok(format!("{url}?cursor={}{anchor}", comment.root_id.0 - 1))
    } else {
        Ok(format!("{url}{anchor}"))
    }
}
