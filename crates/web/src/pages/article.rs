use crate::accounts::session::cookie_values;
use crate::accounts::MaybeUser;
use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::extract::{ApiQuery, PageForm};
use crate::feeds::public_base;
use crate::limits::ClientIp;
use crate::newsroom::authors::AuthorView;
use crate::newsroom::corrections::CorrectionView;
use crate::pages::discussion::discussion_view;
use crate::posting::{
    guest_token, held_cookie, post_comment, published_article, CommentInput, ThreadParams, GUEST_COOKIE, HELD_COOKIE,
};
use crate::seo::structured;
use crate::state::AppState;
use crate::views::{article_url, with_thousands, ArticleView, ThreadView};
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tribune_domain::comment::SortOrder;
use tribune_domain::{CommentId, CommentStatus, Slug, Timestamp};
use tribune_store::{Article, AuthorProfile, Comment, Correction, DbError, ThreadQuery, User};

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
    viewer: MaybeUser,
    headers: HeaderMap,
    params: ApiQuery<ArticleParams>,
) -> Result<Response, AppError> {
    match show_published(state.clone(), slug.clone(), viewer, headers, params).await {
        // An article renamed after publication answers at its old address.
        Err(AppError::NotFound(what)) => match crate::newsroom::moved_article(&state, &slug).await? {
            Some(moved) => Ok(moved),
            None => Err(AppError::NotFound(what)),
        },
        other => other,
    }
}

async fn show_published(
    state: AppState,
    slug: String,
    MaybeUser(viewer): MaybeUser,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<ArticleParams>,
) -> Result<Response, AppError> {
    let thread_params = ThreadParams { sort: params.sort.clone(), cursor: params.cursor.clone() };
    let query = thread_params.parse(state.config.comments_per_page)?;
    let guest_waiting = cookie_values(&headers, HELD_COOKIE).next().is_some();
    if params.reply_to.is_none() && viewer.is_none() && !guest_waiting {
        // The hot path: the same page for every anonymous reader until the thread changes.
        let key = CacheKey::new(&slug, "page", query.cache_key());
        return state
            .cache
            .get_or_render(key, cache::HTML, &headers, || async {
                let article = published_article(&state, &slug).await?;
                Ok(render_article(&state, &article, query, FormState::default(), None, None).await?.into())
            })
            .await;
    }
    let article = published_article(&state, &slug).await?;
    let replying_to = replying_to(&state, &article, params.reply_to.as_deref()).await?;
    let mut form = FormState::default();
    if let Some(target) = &replying_to {
        form.values.parent_id = Some(target.id.to_string());
    }
    form.replying_to = replying_to;
    let guest = guest_token_hash(&headers, viewer.as_ref());
    let html = render_article(&state, &article, query, form, viewer.as_ref(), guest.as_deref()).await?;
    Ok(Html(html).into_response())
}

/// The SHA-256 of a guest's browser token, when no one is signed in.
fn guest_token_hash(headers: &HeaderMap, viewer: Option<&User>) -> Option<String> {
    if viewer.is_some() {
        return None;
    }
    cookie_values(headers, GUEST_COOKIE).next().map(crate::accounts::token_digest)
}

/// The comment a reader is replying to, when it is one of this article's
/// published comments; a database outage is an error, not "no such comment".
async fn replying_to(
    state: &AppState,
    article: &Article,
    raw_id: Option<&str>,
) -> Result<Option<ReplyingTo>, AppError> {
    let Some(id) = raw_id.and_then(|raw| raw.trim().parse::<i64>().ok()) else { return Ok(None) };
    match state.store.comment(CommentId(id)).await {
        Ok(target) if target.article_id == article.id && target.status == CommentStatus::Published => {
            Ok(Some(ReplyingTo { id, author_name: target.author_name }))
        }
        Ok(_) | Err(DbError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// `GET` on the form's address (a reload after an error): back to the discussion.
/// Only a valid slug goes into the `Location` header.
pub async fn comments_anchor(Path(slug): Path<String>) -> Result<Redirect, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound("article"))?;
    Ok(Redirect::to(&format!("{}#comments", article_url(slug.as_str()))))
}

async fn render_article(
    state: &AppState,
    article: &Article,
    query: ThreadQuery,
    form: FormState,
    viewer: Option<&User>,
    guest_token_hash: Option<&str>,
) -> Result<String, AppError> {
    let discussion = discussion_view(state, article, viewer, guest_token_hash, query.after_root.is_none()).await?;
    let page = state.store.thread_page(article.id, query).await?;
    // What the story shows besides its text, read together.
    let (featured, corrections, bylines) = tokio::try_join!(
        state.store.featured_image(article.id),
        state.store.corrections_of(article.id),
        state.store.bylines_of(article.id),
    )?;
    let featured = featured.map(|f| crate::media::view::FeaturedImageView::new(&f, public_base(state)));
    let story = StoryParts { featured: featured.as_ref(), corrections: &corrections, bylines: &bylines };
    let json_ld = structured_data(state, article, page.total_published, &story).await?;
    let bylines: Vec<AuthorView> = bylines.iter().map(AuthorView::from).collect();
    let corrections: Vec<CorrectionView> = corrections.iter().map(CorrectionView::from).collect();
    let thread = ThreadView::new(page, query.sort == SortOrder::Newest, Timestamp::now(), state.config.max_depth);
    let url = article_url(&article.slug);
    let next_page_url = thread
        .next_cursor
        .as_ref()
        .map(|cursor| format!("{url}?sort={}&cursor={cursor}#comments", query.sort.as_str()));
    state.templates.render(
        "article.html",
        context! {
            site_name => &state.config.site_name,
            canonical_url => format!("{}{url}", public_base(state)),
            json_ld,
            featured,
            article => ArticleView::from(article),
            corrections,
            bylines,
            thread,
            sort => query.sort.as_str(),
            is_first_page => query.after_root.is_none(),
            next_page_url,
            form,
            viewer,
            guests_may_comment => state.config.guests_may_comment,
            max_comment_chars => state.config.max_comment_chars,
            discussion,
            max_comment_chars_text => with_thousands(state.config.max_comment_chars),
        },
    )
}

/// What an article page shows around the text, for its structured data.
struct StoryParts<'a> {
    featured: Option<&'a crate::media::view::FeaturedImageView>,
    corrections: &'a [Correction],
    bylines: &'a [AuthorProfile],
}

/// The article's `NewsArticle` JSON-LD, ready to embed, with the newest
/// published comments (oldest first) as its discussion.
async fn structured_data(
    state: &AppState,
    article: &Article,
    comment_count: i64,
    story: &StoryParts<'_>,
) -> Result<String, AppError> {
    let newest = state.store.recent_published_comments(Some(article.id), Timestamp::now(), JSON_LD_COMMENTS).await?;
    let comments: Vec<Comment> = newest.into_iter().rev().map(|item| item.comment).collect();
    let publisher = structured::Publisher { base: public_base(state), site_name: &state.config.site_name };
    let mut json_ld = structured::news_article(&publisher, article, comment_count, &comments);
    if let Some(featured) = story.featured {
        json_ld["image"] = serde_json::json!([featured.json_ld()]);
    }
    structured::add_corrections(&mut json_ld, story.corrections);
    structured::set_authors(&mut json_ld, publisher.base, story.bylines);
    Ok(structured::script_safe(&json_ld))
}

/// The most comments the structured data lists (the page shows them all, in pages).
const JSON_LD_COMMENTS: u32 = 200;

/// The no-JavaScript comment form: on success, back to the new comment (or
/// to the reader's comments awaiting moderation); on a mistake or a refusal,
/// the same page with the message next to the field and the text kept.
pub async fn post_comment_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(viewer): MaybeUser,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PageForm(input): PageForm<FormPost>,
) -> Result<Response, AppError> {
    let article = published_article(&state, &slug).await?;
    let sort = match input.sort.as_deref() {
        Some("newest") => SortOrder::Newest,
        _ => SortOrder::Oldest,
    };
    let secure = state.config.secure_cookies;
    let (token, new_cookie) = match viewer {
        Some(_) => (None, None),
        None => {
            let (token, cookie) = guest_token(&headers, secure);
            (Some(token), cookie)
        }
    };
    let posted = post_comment(&state, &article, &input.comment, viewer.as_ref(), ip, token.as_deref()).await;
    let form_errors = match posted {
        Ok(posted) if posted.comment.status == CommentStatus::Published => {
            let mut response =
                Redirect::to(&location_of(&state, &article, &posted.comment, sort).await?).into_response();
            append_cookies(&mut response, [new_cookie]);
            return Ok(response);
        }
        Ok(_) => {
            let mut response =
                Redirect::to(&format!("{}#pending-comments", article_url(&article.slug))).into_response();
            let held = if viewer.is_none() { held_cookie(&article, secure) } else { None };
            append_cookies(&mut response, [new_cookie, held]);
            return Ok(response);
        }
        Err(AppError::Validation(errors)) => errors.0.into_iter().map(|e| (e.field, e.message)).collect(),
        Err(AppError::Refused { code, message }) => {
            let mut errors = vec![("form", message)];
            if code == "warning_pending" {
                errors.push(("acknowledge_warning", "Tick the box to say you have read the message.".to_owned()));
            }
            errors
        }
        Err(other) => return Err(other),
    };
    let replying_to = replying_to(&state, &article, input.comment.parent_id.as_deref()).await?;
    let mut form = FormState { values: input.comment, replying_to, ..Default::default() };
    for (field, message) in form_errors {
        form.errors.entry(field).or_insert(message);
    }
    let query = ThreadQuery { sort, after_root: None, roots: state.config.comments_per_page };
    let guest = token.as_deref().map(crate::accounts::token_digest);
    let html = render_article(&state, &article, query, form, viewer.as_ref(), guest.as_deref()).await?;
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response();
    append_cookies(&mut response, [new_cookie]);
    Ok(response)
}

fn append_cookies<const N: usize>(response: &mut Response, cookies: [Option<HeaderValue>; N]) {
    for cookie in cookies.into_iter().flatten() {
        response.headers_mut().append(SET_COOKIE, cookie);
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
