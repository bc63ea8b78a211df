//! Readers report a comment: a form that works without JavaScript, and a
//! thank-you. Enough reports hold the comment until a moderator reviews it.

use crate::accounts::MaybeUser;
use crate::error::AppError;
use crate::extract::PageForm;
use crate::moderation::report_error;
use crate::posting::{guest_token, published_article};
use crate::state::AppState;
use crate::views::article_url;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tribune_app::reports::{ReportError, Reporter};
use tribune_domain::moderation::ReportReason;
use tribune_domain::{CommentId, CommentStatus};
use tribune_store::{Article, Comment, DbError, User};

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReportForm {
    pub reason: String,
    pub note: String,
}

#[derive(Serialize)]
struct ReasonChoice {
    code: &'static str,
    label: &'static str,
}

/// The published comment `id` of `article`, or 404.
async fn reported_comment(state: &AppState, article: &Article, id: &str) -> Result<Comment, AppError> {
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound("comment"))?;
    match state.store.comment(CommentId(id)).await {
        Ok(c) if c.article_id == article.id && c.status == CommentStatus::Published => Ok(c),
        Ok(_) | Err(DbError::NotFound) => Err(AppError::NotFound("comment")),
        Err(other) => Err(other.into()),
    }
}

struct Page<'a> {
    article: &'a Article,
    comment: &'a Comment,
    viewer: Option<&'a User>,
    values: ReportForm,
    errors: BTreeMap<&'static str, String>,
    done: Option<bool>,
}

fn render(state: &AppState, page: Page<'_>) -> Result<String, AppError> {
    let reasons: Vec<ReasonChoice> =
        ReportReason::ALL.iter().map(|r| ReasonChoice { code: r.as_str(), label: r.label() }).collect();
    let sign_in_required = page.viewer.is_none() && !state.moderation.policy().settings.guests_may_report;
    state.templates.render(
        "report.html",
        context! {
            site_name => &state.config.site_name,
            viewer => page.viewer,
            article_url => article_url(&page.article.slug),
            headline => &page.article.headline,
            comment => crate::pages::discussion::ShortComment::from(page.comment),
            reasons,
            values => page.values,
            errors => page.errors,
            sign_in_required,
            done => page.done.is_some(),
            held => page.done.unwrap_or(false),
        },
    )
}

pub async fn form(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    MaybeUser(viewer): MaybeUser,
) -> Result<Response, AppError> {
    let article = published_article(&state, &slug).await?;
    let comment = reported_comment(&state, &article, &id).await?;
    let page = Page {
        article: &article,
        comment: &comment,
        viewer: viewer.as_ref(),
        values: ReportForm::default(),
        errors: BTreeMap::new(),
        done: None,
    };
    Ok(Html(render(&state, page)?).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    MaybeUser(viewer): MaybeUser,
    headers: HeaderMap,
    PageForm(values): PageForm<ReportForm>,
) -> Result<Response, AppError> {
    let article = published_article(&state, &slug).await?;
    if viewer.as_ref().is_some_and(|u| u.suspended) {
        return Err(AppError::suspended());
    }
    let comment = reported_comment(&state, &article, &id).await?;
    let (reporter, cookie) = reporter(&state, viewer.as_ref(), &headers);
    let mut errors = BTreeMap::new();
    let outcome = match ReportReason::parse(&values.reason) {
        Err(_) => {
            errors.insert("reason", "Please choose what is wrong with the comment.".to_owned());
            None
        }
        Ok(reason) => match state.moderation.report(&article, comment.id, &reporter, reason, &values.note).await {
            Ok(reported) => Some(reported.held),
            Err(ReportError::Invalid(error)) => {
                errors.insert(error.field, error.message);
                None
            }
            Err(other) => return Err(report_error(other)),
        },
    };
    let status = if outcome.is_some() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = Page { article: &article, comment: &comment, viewer: viewer.as_ref(), values, errors, done: outcome };
    let mut response = (status, Html(render(&state, page)?)).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    Ok(response)
}

/// The reader reporting: their account, or their browser's token (a new
/// one, with its cookie, if they had none).
pub fn reporter(
    state: &AppState,
    viewer: Option<&User>,
    headers: &HeaderMap,
) -> (Reporter, Option<axum::http::HeaderValue>) {
    match viewer {
        Some(user) => (Reporter::Account(user.id), None),
        None => {
            let (token, cookie) = guest_token(headers, state.config.secure_cookies);
            (Reporter::Guest { token_hash: crate::accounts::token_digest(&token) }, cookie)
        }
    }
}
