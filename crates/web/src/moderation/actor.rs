//! Who is acting, for the audit log: a moderator's (or admin's) session,
//! or the admin API token. Each extractor refuses everyone else.

use crate::accounts::{Admin, Moderator};
use crate::auth::AdminToken;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use tribune_store::{Actor, User};

/// The name the audit log gives the admin token.
pub const TOKEN_ACTOR: &str = "Admin API token";

/// A moderator or above, by session or by the admin token.
pub struct ModeratorActor {
    pub actor: Actor,
    /// The signed-in account, if it is a session.
    pub user: Option<User>,
}

impl FromRequestParts<AppState> for ModeratorActor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(AUTHORIZATION) {
            AdminToken::from_request_parts(parts, state).await?;
            return Ok(Self { actor: Actor { id: None, name: TOKEN_ACTOR.to_owned() }, user: None });
        }
        let Moderator(user) = Moderator::from_request_parts(parts, state).await?;
        Ok(Self { actor: Actor { id: Some(user.id), name: user.display_name.clone() }, user: Some(user) })
    }
}

/// An admin, by session or by the admin token.
pub struct AdminActor {
    pub actor: Actor,
    pub user: Option<User>,
}

impl FromRequestParts<AppState> for AdminActor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(AUTHORIZATION) {
            AdminToken::from_request_parts(parts, state).await?;
            return Ok(Self { actor: Actor { id: None, name: TOKEN_ACTOR.to_owned() }, user: None });
        }
        let Admin(user) = Admin::from_request_parts(parts, state).await?;
        Ok(Self { actor: Actor { id: Some(user.id), name: user.display_name.clone() }, user: Some(user) })
    }
}
