//! What a signed-in reader can change about their account: name, password,
//! e-mail, and the account itself (deleting it).

use super::password;
use super::session::{self, SignedIn};
use crate::error::AppError;
use crate::extract::PageForm;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;
use tribune_domain::account::Password;
use tribune_domain::{AuthorName, Email, FieldError};
use tribune_store::{ArticleEvent, DbError, User};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountChange {
    display_name: String,
    current_password: String,
    new_password: String,
    email: String,
    confirm: String,
}

/// The account page, with `errors` next to their fields in the section
/// (`name`, `password`, `email` or `delete`) whose form was refused.
pub async fn account_page(
    state: &AppState,
    viewer: &User,
    status: StatusCode,
    errors: BTreeMap<&str, String>,
    refused_in: Option<&str>,
) -> Result<Response, AppError> {
    let comments = super::my_data::recent_comments(state, viewer).await?;
    let html = state.templates.render(
        "account.html",
        context! {
            site_name => &state.config.site_name,
            role => viewer.role.as_str(),
            has_password => viewer.password_hash.is_some(),
            viewer,
            comments,
            errors,
            refused_in,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

/// Accounts with a password must give it to change anything.
async fn check_current(user: &User, attempt: &str) -> Result<Option<FieldError>, AppError> {
    let Some(stored) = user.password_hash.clone() else { return Ok(None) };
    if password::verify_blocking(attempt.to_owned(), Some(stored)).await? {
        Ok(None)
    } else {
        Ok(Some(FieldError::new("current_password", "wrong_password", "That is not your current password.")))
    }
}

async fn refused(state: &AppState, user: &User, section: &str, error: FieldError) -> Result<Response, AppError> {
    let errors = BTreeMap::from([(error.field, error.message)]);
    account_page(state, user, StatusCode::UNPROCESSABLE_ENTITY, errors, Some(section)).await
}

/// The name shown on new comments; earlier ones keep the name they were signed with.
pub async fn change_name(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    PageForm(form): PageForm<AccountChange>,
) -> Result<Response, AppError> {
    let name = match AuthorName::parse(&form.display_name) {
        Ok(name) => name,
        Err(mut error) => {
            error.field = "display_name";
            return refused(&state, &user, "name", error).await;
        }
    };
    state.store.set_display_name(user.id, name.as_str()).await?;
    Ok(Redirect::to("/account").into_response())
}

pub async fn change_password(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    PageForm(form): PageForm<AccountChange>,
) -> Result<Response, AppError> {
    if let Some(error) = check_current(&user, &form.current_password).await? {
        return refused(&state, &user, "password", error).await;
    }
    let new = match Password::parse(&form.new_password) {
        Ok(new) => new,
        Err(mut error) => {
            error.field = "new_password";
            return refused(&state, &user, "password", error).await;
        }
    };
    let hash = password::hash_blocking(new).await.map_err(AppError::Internal)?;
    state.store.set_password_hash(user.id, &hash).await?;
    // Anyone who knew the old password is signed out; this browser stays in.
    state.store.delete_user_sessions(user.id).await?;
    let cookie = session::start(&state, &headers, user.id).await?;
    let mut response = Redirect::to("/account").into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    Ok(response)
}

pub async fn change_email(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    PageForm(form): PageForm<AccountChange>,
) -> Result<Response, AppError> {
    if let Some(error) = check_current(&user, &form.current_password).await? {
        return refused(&state, &user, "email", error).await;
    }
    let email = match Email::parse(&form.email) {
        Ok(email) => email.as_str().to_lowercase(),
        Err(error) => return refused(&state, &user, "email", error).await,
    };
    match state.store.set_email(user.id, &email).await {
        Ok(()) => Ok(Redirect::to("/account").into_response()),
        Err(DbError::Conflict { .. }) => {
            refused(
                &state,
                &user,
                "email",
                FieldError::new("email", "email_taken", "Another account uses this e-mail address."),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn delete_account(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    PageForm(form): PageForm<AccountChange>,
) -> Result<Response, AppError> {
    if form.confirm.trim() != "delete" {
        return refused(
            &state,
            &user,
            "delete",
            FieldError::new("confirm", "not_confirmed", "Type delete to confirm."),
        )
        .await;
    }
    if let Some(error) = check_current(&user, &form.current_password).await? {
        return refused(&state, &user, "delete", error).await;
    }
    state.store.delete_user(user.id, state.config.deleted_account_comments).await?;
    // Names on many pages changed: every instance drops its cached pages.
    state.live.publish(&ArticleEvent::ManyChanged).await;
    let cleared = HeaderValue::from_static("tribune_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    Ok((StatusCode::SEE_OTHER, [(LOCATION, HeaderValue::from_static("/")), (SET_COOKIE, cleared)]).into_response())
}
