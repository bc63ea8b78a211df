//! Accounts: sign up, sign in and out, sessions, and the typed extractors
//! that enforce roles on every route.

mod by_email;
pub mod links;
mod manage;
mod my_data;
pub mod oidc;
mod oidc_flow;
mod pages;
pub mod password;
pub mod session;
pub mod sso;

pub use pages::routes;
pub use session::{Admin, Editor, MaybeUser, Moderator, SignedIn, Writer};

use crate::error::AppError;
use crate::state::AppState;
use tribune_domain::account::{Password, Role};
use tribune_domain::{AuthorName, Email, Timestamp, ValidationErrors};
use tribune_store::{DbError, NewUser, Store, User};

/// What the database keeps of a secret token: its SHA-256, hex.
pub fn token_digest(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates an account from what a person typed; all problems reported at once.
pub async fn create_account(
    store: &dyn Store,
    display_name: &str,
    email: &str,
    password: &str,
    role: Role,
) -> Result<User, AppError> {
    let mut errors = ValidationErrors::default();
    let name = errors.check(AuthorName::parse(display_name).map_err(|mut e| {
        e.field = "display_name";
        e
    }));
    let email = errors.check(Email::parse(email));
    let password = errors.check(Password::parse(password));
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(errors.into());
    };
    let hash = password::hash_blocking(password).await.map_err(AppError::Internal)?;
    let user = NewUser {
        email: email.as_str().to_lowercase(),
        display_name: name.as_str().to_owned(),
        password_hash: Some(hash),
        role,
        email_verified: false,
        created_at: Timestamp::now(),
    };
    store.create_user(&user).await.map_err(|e| match e {
        DbError::Conflict { .. } => AppError::field(tribune_domain::FieldError::new(
            "email",
            "email_taken",
            "An account with this e-mail address already exists; sign in instead.",
        )),
        other => other.into(),
    })
}

/// The account for `email` and `password`, or `None`, taking the same time either way.
pub async fn authenticate(state: &AppState, email: &str, password: &str) -> Result<Option<User>, AppError> {
    let user = match state.store.user_by_email(&email.trim().to_lowercase()).await {
        Ok(user) => Some(user),
        Err(DbError::NotFound) => None,
        Err(other) => return Err(other.into()),
    };
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = password::verify_blocking(password.to_owned(), stored).await?;
    Ok(user.filter(|_| ok))
}
