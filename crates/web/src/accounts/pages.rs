//! The account pages: sign up, sign in, sign out (here or everywhere), and
//! the account overview. Forms work without JavaScript.

use super::session::{self, MaybeUser, SignedIn};
use super::{authenticate, create_account, links};
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::extract::PageForm;
use crate::limits::{AccountDoor, ClientIp, Door};
use crate::routes::Routes;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;
use tribune_domain::account::Role;
use tribune_domain::LocalPath;

pub fn routes() -> Routes {
    Routes::new()
        .get("/signup", signup_page)
        .post("/signup", signup)
        .get("/signin", signin_page)
        .post("/signin", signin)
        .post("/signout", signout)
        .post("/signout/everywhere", signout_everywhere)
        .get("/account", account)
        .get("/account/data.json", super::my_data::download)
        .get("/sso/jwt", super::sso::sign_in)
        .get("/signin/oidc", super::oidc_flow::start)
        .get("/signin/oidc/callback", super::oidc_flow::callback)
        .post("/account/name", super::manage::change_name)
        .post("/account/password", super::manage::change_password)
        .post("/account/email", super::manage::change_email)
        .post("/account/delete", super::manage::delete_account)
        .get("/signin/link/{token}", super::links::confirm_page)
        .post("/signin/link", super::links::use_link)
        .get("/signin/email", super::by_email::signin_form)
        .post("/signin/email", super::by_email::send_signin)
        .get("/password/reset", super::by_email::reset_form)
        .post("/password/reset", super::by_email::send_reset)
        .get("/password/reset/{token}", super::by_email::reset_page)
        .post("/password/reset/confirm", super::by_email::reset_password)
        .get("/verify/{token}", super::by_email::verify_page)
        .post("/verify", super::by_email::verify)
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

/// Where to go after signing in: a page on this site (the front page when
/// none is named), checked before anything changes, so a bad address signs
/// no one in and never becomes an open redirect.
pub(super) fn return_to(next: Option<&str>) -> Result<LocalPath, AppError> {
    LocalPath::parse_optional(next).map_err(|reason| AppError::BadRequest {
        code: "invalid_next",
        message: format!("The page to return to after signing in must be a page on this site: {reason}."),
    })
}

fn page(
    state: &AppState,
    template: &str,
    status: StatusCode,
    form: &AccountForm,
    errors: BTreeMap<&str, String>,
) -> Result<Response, AppError> {
    let oidc_name = state.config.oidc.as_ref().map(|oidc| &oidc.display_name);
    let html =
        state.templates.render(template, context! { site_name => &state.config.site_name, form, errors, oidc_name })?;
    Ok((status, Html(html)).into_response())
}

fn signed_in(cookie: axum::http::HeaderValue, next: &LocalPath) -> Response {
    let mut response = Redirect::to(next.as_str()).into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    response
}

async fn signup_page(State(state): State<AppState>, ApiQuery(next): ApiQuery<Next>) -> Result<Response, AppError> {
    return_to(next.next.as_deref())?;
    let form = AccountForm {
        next: next.next.unwrap_or_default(),
        invite: next.invite.unwrap_or_default(),
        ..Default::default()
    };
    // A spent invitation says so at once, not after the form is filled in.
    if !form.invite.is_empty() && !links::invite_is_valid(state.store.as_ref(), &form.invite).await? {
        let html = state
            .templates
            .render("signup.html", context! { site_name => &state.config.site_name, invite_spent => true })?;
        return Ok((StatusCode::GONE, Html(html)).into_response());
    }
    page(&state, "signup.html", StatusCode::OK, &form, BTreeMap::new())
}

async fn signup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PageForm(form): PageForm<AccountForm>,
) -> Result<Response, AppError> {
    let next = return_to(Some(&form.next))?;
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
            // The account works at once; a confirmation that cannot be queued does not undo it.
            if let Err(error) = super::by_email::send_confirmation(&state, &user).await {
                tracing::error!(%error, user = user.id.0, "could not queue the confirmation e-mail");
            }
            Ok(signed_in(session::start(&state, &headers, user.id).await?, &next))
        }
        Err(AppError::Validation(errors)) => {
            let errors = errors.0.into_iter().map(|e| (e.field, e.message)).collect();
            page(&state, "signup.html", StatusCode::UNPROCESSABLE_ENTITY, &form, errors)
        }
        Err(other) => Err(other),
    }
}

async fn signin_page(State(state): State<AppState>, ApiQuery(next): ApiQuery<Next>) -> Result<Response, AppError> {
    return_to(next.next.as_deref())?;
    let form = AccountForm { next: next.next.unwrap_or_default(), ..Default::default() };
    page(&state, "signin.html", StatusCode::OK, &form, BTreeMap::new())
}

async fn signin(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PageForm(form): PageForm<AccountForm>,
) -> Result<Response, AppError> {
    let next = return_to(Some(&form.next))?;
    state.limits.check(Door::SignIn, ip)?;
    state.limits.check_account(AccountDoor::SignIn, &form.email)?;
    match authenticate(&state, &form.email, &form.password).await? {
        Some(user) => Ok(signed_in(session::start(&state, &headers, user.id).await?, &next)),
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
    super::manage::account_page(&state, &viewer, StatusCode::OK, BTreeMap::new(), None).await
}
