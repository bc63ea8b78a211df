//! Server-side sessions: the cookie holds a random token, the database its
//! SHA-256. Cookies are HttpOnly and SameSite=Lax (Secure when configured);
//! a new token is issued at every sign-in.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use rand::RngCore;
use tribune_domain::account::Role;
use tribune_domain::{Timestamp, UserId};
use tribune_store::{NewSession, User};

pub const COOKIE_NAME: &str = "tribune_session";
const SESSION_DAYS: i64 = 30;

use super::token_digest as digest;

/// The values of every cookie called `name` that the request carries.
pub fn cookie_values<'a>(headers: &'a HeaderMap, name: &'a str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(cookie, _)| *cookie == name)
        .map(|(_, value)| value)
}

/// The session token the request carries, if any.
pub fn token(headers: &HeaderMap) -> Option<String> {
    cookie_values(headers, COOKIE_NAME).next().map(str::to_owned).filter(|value| !value.is_empty())
}

/// Starts a session for `user` (ending the one the request had) and returns its cookie.
pub async fn start(state: &AppState, headers: &HeaderMap, user: UserId) -> Result<HeaderValue, AppError> {
    if let Some(old) = token(headers) {
        state.store.delete_session(&digest(&old)).await?;
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = Timestamp::now();
    let session = NewSession {
        token_hash: digest(&token),
        user_id: user,
        created_at: now,
        expires_at: Timestamp(now.0 + SESSION_DAYS * 86_400_000),
    };
    state.store.create_session(&session).await?;
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    let cookie =
        format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", SESSION_DAYS * 86_400);
    HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.to_string()))
}

/// Ends the request's session; returns the cookie that clears it.
pub async fn end(state: &AppState, headers: &HeaderMap) -> Result<HeaderValue, AppError> {
    if let Some(token) = token(headers) {
        state.store.delete_session(&digest(&token)).await?;
    }
    Ok(HeaderValue::from_static("tribune_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"))
}

/// The signed-in account, if there is one.
pub struct MaybeUser(pub Option<User>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match token(&parts.headers) {
            Some(token) => Ok(Self(state.store.session_user(&digest(&token), Timestamp::now()).await?)),
            None => Ok(Self(None)),
        }
    }
}

/// A signed-in account; anyone else gets 401.
pub struct SignedIn(pub User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        MaybeUser::from_request_parts(parts, state).await?.0.map(Self).ok_or(AppError::SignInRequired)
    }
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        pub struct $name(pub User);

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
                let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
                if user.suspended {
                    Err(AppError::suspended())
                } else if user.role.allows($role) {
                    Ok(Self(user))
                } else {
                    Err(AppError::Forbidden { code: "forbidden", message: "Your role does not allow this." })
                }
            }
        }
    };
}

/// Someone who writes articles: an author, editor or admin (moderators look
/// after comments, not articles).
pub struct Writer(pub User);

impl FromRequestParts<AppState> for Writer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        if user.suspended {
            Err(AppError::suspended())
        } else if tribune_domain::authoring::writes(user.role) {
            Ok(Self(user))
        } else {
            Err(AppError::Forbidden { code: "forbidden", message: "Your role does not allow this." })
        }
    }
}

role_extractor!(/// A moderator, editor or admin.
    Moderator, Role::Moderator);
role_extractor!(/// An editor or admin.
    Editor, Role::Editor);
role_extractor!(/// An admin.
    Admin, Role::Admin);
