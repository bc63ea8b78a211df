//! Accounts and sessions: the rows, and the traits each backend implements.

use crate::DbError;
use async_trait::async_trait;
use serde::Serialize;
use tribune_domain::account::Role;
use tribune_domain::{Timestamp, UserId};

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: UserId,
    /// Lower-cased, so one address is one account.
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub role: Role,
    pub email_verified: bool,
    pub created_at: Timestamp,
    /// A suspended account may still sign in, read, download its data and
    /// delete itself, but may not comment or act in any role.
    pub suspended: bool,
}

/// An account about to be stored; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub email_verified: bool,
    pub created_at: Timestamp,
}

/// One page of the admin's list of accounts, newest first.
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    /// Matched, case-insensitively, anywhere in the e-mail or the name.
    pub search: Option<String>,
    /// Only accounts with ids below this one (the next page).
    pub before: Option<UserId>,
    pub limit: u32,
}

impl UserQuery {
    /// The search as a `LIKE` pattern whose wildcards are escaped with a backslash (`ESCAPE '\'`).
    pub fn like_pattern(&self) -> String {
        let search = self.search.as_deref().unwrap_or("").to_lowercase();
        let escaped = search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    }
}

/// What happens to a deleted account's comments; the site chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletedComments {
    /// They stay, signed "[deleted]".
    Anonymize,
    /// They are taken down (replies to them stay).
    Remove,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie's token, hex.
    pub token_hash: String,
    pub user_id: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// A taken e-mail is `Conflict { constraint: "users_email" }`.
    async fn create_user(&self, user: &NewUser) -> Result<User, DbError>;

    async fn user(&self, id: UserId) -> Result<User, DbError>;

    /// `email` must already be lower-cased.
    async fn user_by_email(&self, email: &str) -> Result<User, DbError>;

    async fn set_role(&self, id: UserId, role: Role) -> Result<(), DbError>;

    async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<(), DbError>;

    async fn set_display_name(&self, id: UserId, name: &str) -> Result<(), DbError>;

    async fn set_email_verified(&self, id: UserId) -> Result<(), DbError>;

    async fn count_users(&self) -> Result<i64, DbError>;

    /// `email` lower-cased; a taken one is `Conflict { constraint: "users_email" }`.
    /// The new address is unverified.
    async fn set_email(&self, id: UserId, email: &str) -> Result<(), DbError>;

    /// Deletes the account and its sessions in one transaction; its comments
    /// lose every personal detail and either stay, signed "[deleted]", or go.
    async fn delete_user(&self, id: UserId, comments: DeletedComments) -> Result<(), DbError>;

    async fn list_users(&self, query: &UserQuery) -> Result<Vec<User>, DbError>;

    /// Moderators, editors and admins who are not suspended, oldest first.
    async fn staff(&self) -> Result<Vec<User>, DbError>;

    async fn set_suspended(&self, id: UserId, suspended: bool) -> Result<(), DbError>;

    /// The account signed in through an outside provider (OpenID Connect
    /// issuer, or the site's own SSO) as `subject`.
    async fn user_by_identity(&self, provider: &str, subject: &str) -> Result<User, DbError>;

    /// Remembers that `provider`'s `subject` is this account; a pair already
    /// linked is a `Conflict`.
    async fn link_identity(&self, provider: &str, subject: &str, user: UserId, now: Timestamp) -> Result<(), DbError>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, session: &NewSession) -> Result<(), DbError>;

    /// The account signed in with this token, if the session exists and has not expired.
    async fn session_user(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>, DbError>;

    async fn delete_session(&self, token_hash: &str) -> Result<(), DbError>;

    /// Signs an account out everywhere; returns how many sessions ended.
    async fn delete_user_sessions(&self, user: UserId) -> Result<u64, DbError>;

    async fn create_sign_in_token(&self, token_hash: &str, user: UserId, expires_at: Timestamp) -> Result<(), DbError>;

    /// Uses up a single-use sign-in token: its account if it existed and had
    /// not expired. A second use finds nothing.
    async fn take_sign_in_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<UserId>, DbError>;
}
