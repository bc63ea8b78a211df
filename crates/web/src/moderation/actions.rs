//! Moderators' actions from the desk without JavaScript: one comment, many
//! at once, and editing a comment with a recorded reason. Each answers with
//! a redirect back to the desk, which says what happened (or why nothing did).

use crate::error::AppError;
use crate::extract::PageForm;
use crate::moderation::action_error;
use crate::moderation::actor::ModeratorActor;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use tribune_app::decisions::{Action, ActionError};
use tribune_domain::moderation::RejectReason;
use tribune_domain::{CommentId, FieldError};
use tribune_store::DbError;

/// Where the desk sends a moderator back: a desk address, never elsewhere.
pub fn desk_url(raw: Option<&str>) -> String {
    match raw.map(str::trim) {
        Some(url)
            if (url == "/moderation" || url.starts_with("/moderation?") || url.starts_with("/moderation/"))
                && !url.contains("//")
                && !url.contains('\\')
                && !url.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            url.to_owned()
        }
        _ => "/moderation".to_owned(),
    }
}

fn with_params(url: &str, params: &[(&str, String)]) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{}", serde_urlencoded::to_string(params).unwrap_or_default())
}

/// Parses what the desk (or the API) asks for.
pub fn parse_action(action: &str, reason: Option<&str>, note: Option<&str>) -> Result<Action, AppError> {
    match action.trim() {
        "approve" => Ok(Action::Approve),
        "hold" => Ok(Action::Hold),
        "feature" => Ok(Action::Feature),
        "unfeature" => Ok(Action::Unfeature),
        "reject" => {
            let reason = RejectReason::parse(reason.unwrap_or("")).map_err(AppError::field)?;
            Ok(Action::Reject { reason, note: note.unwrap_or("").to_owned() })
        }
        _ => Err(AppError::field(FieldError::new(
            "action",
            "invalid_action",
            "The action must be approve, reject, feature, unfeature, hold or edit.",
        ))),
    }
}

pub fn parse_version(raw: Option<&str>) -> Result<Option<i32>, AppError> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(raw) => raw.parse().map(Some).map_err(|_| {
            AppError::field(FieldError::new("version", "invalid_version", "The version must be a whole number."))
        }),
    }
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    action: String,
    reason: Option<String>,
    note: Option<String>,
    version: Option<String>,
    return_to: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<String>,
    moderator: ModeratorActor,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, AppError> {
    let id = CommentId(id.parse().map_err(|_| AppError::NotFound("comment"))?);
    let back = desk_url(form.return_to.as_deref());
    let action = parse_action(&form.action, form.reason.as_deref(), form.note.as_deref())?;
    let version = parse_version(form.version.as_deref())?;
    let before = state.store.comment(id).await.map_err(|e| match e {
        DbError::NotFound => AppError::NotFound("comment"),
        other => other.into(),
    })?;
    let max_chars = state.config.max_comment_chars;
    match state.moderation.act(id, &action, version, &moderator.actor, max_chars).await {
        Ok(_) => {
            let mut params = vec![
                ("done", action.name().to_owned()),
                ("comment", id.to_string()),
                ("from", before.status.as_str().to_owned()),
            ];
            if let Some(reason) = before.reject_reason {
                params.push(("from_reason", reason.as_str().to_owned()));
            }
            Ok(Redirect::to(&with_params(&back, &params)).into_response())
        }
        Err(ActionError::NotFound) => Err(AppError::NotFound("comment")),
        Err(ActionError::Store(error)) => Err(error.into()),
        Err(other) => {
            let message = action_error(other).problem().detail;
            Ok(Redirect::to(&with_params(&back, &[("error", message)])).into_response())
        }
    }
}

/// Many comments at once: the desk's checkboxes are `comment_ID=on`.
#[derive(Debug, Deserialize)]
pub struct BulkForm {
    action: String,
    reason: Option<String>,
    return_to: Option<String>,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

pub async fn bulk(
    State(state): State<AppState>,
    moderator: ModeratorActor,
    PageForm(form): PageForm<BulkForm>,
) -> Result<Response, AppError> {
    let back = desk_url(form.return_to.as_deref());
    let action = match form.action.as_str() {
        "approve" | "reject" => parse_action(&form.action, form.reason.as_deref(), None)?,
        _ => {
            return Err(AppError::field(FieldError::new(
                "action",
                "invalid_action",
                "Many comments can be approved or rejected at once.",
            )))
        }
    };
    let mut ids: Vec<i64> = form
        .rest
        .keys()
        .filter_map(|key| key.strip_prefix("comment_"))
        .map(|id| {
            id.parse::<i64>().map_err(|_| AppError::BadRequest {
                code: "invalid_id",
                message: format!("{id:?} is not a comment id."),
            })
        })
        .collect::<Result<_, _>>()?;
    ids.sort_unstable();
    if ids.is_empty() {
        return Ok(
            Redirect::to(&with_params(&back, &[("error", "No comments were selected.".to_owned())])).into_response()
        );
    }
    if ids.len() > 200 {
        return Err(AppError::BadRequest { code: "too_many", message: "At most 200 comments at once.".to_owned() });
    }
    let mut done = 0;
    for id in ids {
        match state.moderation.act(CommentId(id), &action, None, &moderator.actor, state.config.max_comment_chars).await
        {
            Ok(_) => done += 1,
            // Someone else decided meanwhile, or it is gone: leave it as it is.
            Err(ActionError::Store(error)) => return Err(error.into()),
            Err(_) => {}
        }
    }
    Ok(Redirect::to(&with_params(&back, &[("done", action.name().to_owned()), ("count", done.to_string())]))
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditForm {
    body: String,
    reason: String,
    version: String,
    return_to: String,
}

pub async fn edit_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    moderator: ModeratorActor,
    crate::extract::ApiQuery(query): crate::extract::ApiQuery<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let id = CommentId(id.parse().map_err(|_| AppError::NotFound("comment"))?);
    let comment = state.store.comment(id).await.map_err(|e| match e {
        DbError::NotFound => AppError::NotFound("comment"),
        other => other.into(),
    })?;
    let form = EditForm {
        body: comment.body_markdown.clone(),
        reason: String::new(),
        version: comment.version.to_string(),
        return_to: desk_url(query.get("return_to").map(String::as_str)),
    };
    render_edit(&state, &moderator, id, form, HashMap::new(), StatusCode::OK)
}

pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    moderator: ModeratorActor,
    PageForm(form): PageForm<EditForm>,
) -> Result<Response, AppError> {
    let id = CommentId(id.parse().map_err(|_| AppError::NotFound("comment"))?);
    let version = parse_version(Some(&form.version))?;
    let action = Action::Edit { body: form.body.clone(), reason: form.reason.clone() };
    match state.moderation.act(id, &action, version, &moderator.actor, state.config.max_comment_chars).await {
        Ok(_) => {
            let back = desk_url(Some(&form.return_to));
            Ok(Redirect::to(&with_params(&back, &[("done", "edit".to_owned()), ("comment", id.to_string())]))
                .into_response())
        }
        Err(ActionError::Invalid(error)) => {
            let errors = HashMap::from([(error.field, error.message)]);
            render_edit(&state, &moderator, id, form, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(ActionError::ChangedMeanwhile { .. }) => {
            let message = "Someone changed this comment while you were editing; your text is kept below. Reload the comment to compare, then save again.";
            let errors = HashMap::from([("form", message.to_owned())]);
            render_edit(&state, &moderator, id, form, errors, StatusCode::CONFLICT)
        }
        Err(other) => Err(action_error(other)),
    }
}

fn render_edit(
    state: &AppState,
    moderator: &ModeratorActor,
    id: CommentId,
    form: EditForm,
    errors: HashMap<&'static str, String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let html = state.templates.render(
        "moderation_edit.html",
        context! {
            site_name => &state.config.site_name,
            viewer => &moderator.user,
            comment_id => id.0,
            body => form.body,
            reason => form.reason,
            version => form.version,
            return_to => form.return_to,
            errors,
            max_comment_chars => state.config.max_comment_chars,
        },
    )?;
    Ok((status, [(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desk_sends_moderators_back_only_to_the_desk() {
        assert_eq!(desk_url(Some("/moderation?queue=reported&after=40")), "/moderation?queue=reported&after=40");
        assert_eq!(desk_url(Some("/moderation/authors/user:3")), "/moderation/authors/user:3");
        for hostile in [
            "//evil.example/moderation",
            "https://evil.example",
            "/moderation//x",
            "/moderation\\x",
            "/moderationx",
            "/moderation?\nx",
            "/admin/users",
        ] {
            assert_eq!(desk_url(Some(hostile)), "/moderation", "{hostile:?}");
        }
        assert_eq!(desk_url(None), "/moderation");
    }

    #[test]
    fn actions_parse_and_a_rejection_needs_a_known_reason() {
        assert_eq!(parse_action("approve", None, None).unwrap(), Action::Approve);
        let reject = parse_action("reject", Some("spam"), Some("links")).unwrap();
        assert_eq!(reject, Action::Reject { reason: RejectReason::Spam, note: "links".to_owned() });
        assert!(parse_action("reject", None, None).is_err());
        assert!(parse_action("reject", Some("rude"), None).is_err());
        assert!(parse_action("delete", None, None).is_err());
        assert_eq!(parse_version(Some(" 4 ")).unwrap(), Some(4));
        assert!(parse_version(Some("four")).is_err());
    }
}
