//! The account pages: sign up, sign in, sign out (here or everywhere), and
//! the account overview. Forms work without JavaScript.

use super::session::{self, MaybeUser, SignedIn};
use super::{authenticate, create_account, links};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::extract::PageForm;
use crate::limits::{ClientIp, Door};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;
use tribune_domain::account::Role;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_page).post(signup))
        .route("/signin", get(signin_page).post(signin))
        .route("/signout", post(signout))
        .route("/signout/everywhere", post(signout_everywhere))
        .route("/account", get(account))
        .route("/sso/jwt", get(super::sso::sign_in))
        .route("/account/password", post(super::manage::change_password))
        .route("/account/email", post(super::manage::change_email))
        .route("/account/delete", post(super::manage::delete_account))
        .route("/signin/link/{token}", get(super::links::confirm_page))
        .route("/signin/link", post(super::links::use_link))
        .route("/signin/email", get(super::by_email::signin_form).post(super::by_email::send_signin))
        .route("/password/reset", get(super::by_email::reset_form).post(super::by_email::send_reset))
        .route("/password/reset/{token}", get(super::by_email::reset_page))
        .route("/password/reset/confirm", post(super::by_email::reset_password))
        .route("/verify/{token}", get(super::by_email::verify_page))
        .route("/verify", post(super::by_email::verify))
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AccountForm {
    display_name: String,
    email: String,
    #[serde(skip_serializing)]
    password: String,
    next: String,
    /// The first admin's invitation, from the link printed at first start.
    invite: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Next {
    next: Option<String>,
    invite: Option<String>,
}

/// Only paths on this site: never an open redirect.
pub(super) fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

fn page(
    state: &AppState,
    template: &str,
    status: StatusCode,
    form: &AccountForm,
    errors: BTreeMap<&str, String>,
) -> Result<Response, AppError> {
    let html = state.templates.render(template, context! { site_name => &state.config.site_name, form, errors })?;
    Ok((status, Html(html)).into_response())
}

fn signed_in(cookie: axum::http::HeaderValue, next: &str) -> Response {
    let mut response = Redirect::to(&safe_next(next)).into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    response
}

async fn signup_page(State(state): State<AppState>, ApiQuery(next): ApiQuery<Next>) -> Result<Response, AppError> {
    let form = AccountForm {
        next: next.next.unwrap_or_default(),
        invite: next.invite.unwrap_or_default(),
        ..Default::default()
    };
    page(&state, "signup.html", StatusCode::OK, &form, BTreeMap::new())
}

async fn signup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PageForm(form): PageForm<AccountForm>,
) -> Result<Response, AppError> {
    state.limits.check(Door::SignUp, ip)?;
    let invited = !form.invite.is_empty();
    if invited && !links::invite_is_valid(state.store.as_ref(), &form.invite).await? {
        let errors = BTreeMap::from([("form", "This invitation has been used or is not valid.".to_owned())]);
        return page(&state, "signup.html", StatusCode::UNPROCESSABLE_ENTITY, &form, errors);
    }
    let role = if invited { Role::Admin } else { Role::Commenter };
    match create_account(state.store.as_ref(), &form.display_name, &form.email, &form.password, role).await {
        Ok(user) => {
            if invited && !links::redeem_invite(state.store.as_ref(), &form.invite).await? {
                // Someone used the same invitation a moment earlier.
                state.store.set_role(user.id, Role::Commenter).await?;
            }
            // The account works at once; a mail server that is down does not undo it.
            if let Err(error) = super::by_email::send_confirmation(&state, &user).await {
                tracing::warn!(%error, "could not send the confirmation e-mail");
            }
            Ok(signed_in(session::start(&state, &headers, user.id).await?, &form.next))
        }
        Err(AppError::Validation(errors)) => {
            let errors = errors.0.into_iter().map(|e| (e.field, e.message)).collect();
            page(&state, "signup.html", StatusCode::UNPROCESSABLE_ENTITY, &form, errors)
        }
        Err(other) => Err(other),
    }
}

async fn signin_page(State(state): State<AppState>, ApiQuery(next): ApiQuery<Next>) -> Result<Response, AppError> {
    let form = AccountForm { next: next.next.unwrap_or_default(), ..Default::default() };
    page(&state, "signin.html", StatusCode::OK, &form, BTreeMap::new())
}

async fn signin(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PageForm(form): PageForm<AccountForm>,
) -> Result<Response, AppError> {
    state.limits.check(Door::SignIn, ip)?;
    match authenticate(&state, &form.email, &form.password).await? {
        Some(user) => Ok(signed_in(session::start(&state, &headers, user.id).await?, &form.next)),
        None => {
            // The same answer whether the address has an account or not.
            let errors = BTreeMap::from([("form", "That e-mail address and password do not match.".to_owned())]);
            page(&state, "signin.html", StatusCode::UNPROCESSABLE_ENTITY, &form, errors)
        }
    }
}

async fn signout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let cookie = session::end(&state, &headers).await?;
    Ok((StatusCode::SEE_OTHER, [(LOCATION, axum::http::HeaderValue::from_static("/")), (SET_COOKIE, cookie)])
        .into_response())
}

async fn signout_everywhere(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    state.store.delete_user_sessions(user.id).await?;
    let cookie = session::end(&state, &headers).await?;
    Ok((StatusCode::SEE_OTHER, [(LOCATION, axum::http::HeaderValue::from_static("/")), (SET_COOKIE, cookie)])
        .into_response())
}

async fn account(State(state): State<AppState>, MaybeUser(viewer): MaybeUser) -> Result<Response, AppError> {
    let Some(viewer) = viewer else {
        return Ok(Redirect::to("/signin?next=/account").into_response());
    };
    super::manage::account_page(&state, &viewer, StatusCode::OK, BTreeMap::new())
}
