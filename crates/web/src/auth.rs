//! The admin API token until accounts exist: a random token printed once at
//! first start; only its SHA-256 is stored.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use rand::RngCore;
use tribune_store::DbError;

const TOKEN_SETTING: &str = "admin_token_sha256";

use crate::accounts::token_digest as digest;

/// Creates the admin token if the site has none yet; returns it only then.
pub async fn ensure_admin_token(state: &AppState) -> Result<Option<String>, DbError> {
    if state.store.setting(TOKEN_SETTING).await?.is_some() {
        return Ok(None);
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("trb_{}", hex::encode(bytes));
    let stored = state.store.insert_setting_if_absent(TOKEN_SETTING, &digest(&token)).await?;
    Ok(stored.then_some(token))
}

/// Proof that the request carries the admin token (`Authorization: Bearer …`).
pub struct AdminToken;

impl FromRequestParts<AppState> for AdminToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let presented = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthorized)?;
        let expected = state.store.setting(TOKEN_SETTING).await?.ok_or(AppError::Unauthorized)?;
        // Comparing digests keeps the comparison's timing independent of the secret.
        if digest(presented.trim()) == expected {
            Ok(Self)
        } else {
            Err(AppError::Unauthorized)
        }
    }
}

/// Who may add to the newsroom's material (images): the admin token, or a
/// signed-in author, editor or admin.
pub struct Contributor;

impl FromRequestParts<AppState> for Contributor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(AUTHORIZATION) {
            AdminToken::from_request_parts(parts, state).await.map(|_| Self)
        } else {
            match crate::accounts::Writer::from_request_parts(parts, state).await {
                Ok(_) => Ok(Self),
                Err(AppError::SignInRequired) => Err(AppError::Unauthorized),
                Err(other) => Err(other),
            }
        }
    }
}

/// Who may publish articles: the admin token, or a signed-in editor or admin.
/// Neither a token nor a session is `unauthorized` (401), as for any API
/// client without credentials; a session without the role is `forbidden`.
pub struct Publisher {
    /// The signed-in editor or admin; `None` for the admin token.
    user: Option<tribune_domain::UserId>,
}

impl Publisher {
    pub fn user_id(&self) -> Option<tribune_domain::UserId> {
        self.user
    }
}

impl FromRequestParts<AppState> for Publisher {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(AUTHORIZATION) {
            AdminToken::from_request_parts(parts, state).await.map(|_| Self { user: None })
        } else {
            match crate::accounts::Editor::from_request_parts(parts, state).await {
                Ok(crate::accounts::Editor(editor)) => Ok(Self { user: Some(editor.id) }),
                Err(AppError::SignInRequired) => Err(AppError::Unauthorized),
                Err(other) => Err(other),
            }
        }
    }
}
