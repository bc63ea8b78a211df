//! Single-use links: the invitation that creates a fresh site's first admin,
//! and sign-in links an admin can hand out (`tribune user sign-in-link`).

use super::session;
use super::token_digest;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use rand::RngCore;
use serde::Deserialize;
use tribune_domain::{Timestamp, UserId};
use tribune_store::{DbError, Store};

const INVITE_SETTING: &str = "first_admin_invite_sha256";
const LINK_HOURS: i64 = 24;

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// On a site without accounts, a fresh invitation to create the first admin
/// (any older one stops working); `None` once accounts exist.
pub async fn first_admin_invite(store: &dyn Store) -> Result<Option<String>, DbError> {
    if store.count_users().await? > 0 {
        return Ok(None);
    }
    let token = new_token();
    store.delete_setting(INVITE_SETTING).await?;
    let stored = store.insert_setting_if_absent(INVITE_SETTING, &token_digest(&token)).await?;
    Ok(stored.then_some(token))
}

pub async fn invite_is_valid(store: &dyn Store, token: &str) -> Result<bool, DbError> {
    Ok(store.setting(INVITE_SETTING).await?.is_some_and(|stored| stored == token_digest(token)))
}

/// Uses the invitation up; false when someone else used it first.
pub async fn redeem_invite(store: &dyn Store, token: &str) -> Result<bool, DbError> {
    store.delete_setting_if(INVITE_SETTING, &token_digest(token)).await
}

/// A single-use token for `user`, good for a day.
pub async fn issue_token(store: &dyn Store, user: UserId) -> Result<String, DbError> {
    let token = new_token();
    let expires = Timestamp(Timestamp::now().0 + LINK_HOURS * 3_600_000);
    store.create_sign_in_token(&token_digest(&token), user, expires).await?;
    Ok(token)
}

/// A link path that signs `user` in once within a day.
pub async fn issue_sign_in_link(store: &dyn Store, user: UserId) -> Result<String, DbError> {
    Ok(format!("/signin/link/{}", issue_token(store, user).await?))
}

/// Opening the link asks first, so that mail scanners that follow links do not use it up.
pub async fn confirm_page(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    let html = state.templates.render(
        "signin_link.html",
        context! { site_name => &state.config.site_name, token, action => "/signin/link", title => "Sign in with your link", button => "Sign in" },
    )?;
    Ok(Html(html).into_response())
}

#[derive(Deserialize)]
pub struct LinkForm {
    token: String,
}

pub async fn use_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::extract::PageForm(form): crate::extract::PageForm<LinkForm>,
) -> Result<Response, AppError> {
    let Some(user) = state.store.take_sign_in_token(&token_digest(form.token.trim()), Timestamp::now()).await? else {
        return Err(AppError::BadRequest {
            code: "invalid_link",
            message: "This sign-in link has been used or has expired.".to_owned(),
        });
    };
    let cookie = session::start(&state, &headers, user).await?;
    let mut response = (StatusCode::SEE_OTHER, Redirect::to("/account")).into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    Ok(response)
}
