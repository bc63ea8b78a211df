//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB,
//! two passes), and verification whose timing does not tell whether the
//! account exists.

use crate::error::AppError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::LazyLock;
use tribune_domain::account::Password;

pub fn hash(password: &Password) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// A hash of nothing anyone knows, checked when there is no account, so that
/// "no such account" takes as long as "wrong password". Made once, with the
/// same parameters as every real hash; [`ready`] makes it at start.
static DUMMY_HASH: LazyLock<Result<String, String>> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"no account has this password", &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot make the stand-in hash: {e}"))
});

/// Makes the stand-in hash; the reason when hashing does not work at all.
pub fn ready() -> Result<(), String> {
    DUMMY_HASH.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// Whether `attempt` matches `stored`; with no stored hash, does the same work and says no.
/// An error (a stored hash that cannot be read, hashing that does not work) is never a quiet "no".
pub fn verify(attempt: &str, stored: Option<&str>) -> Result<bool, String> {
    let (hash, real) = match stored {
        Some(hash) => (hash, true),
        None => (DUMMY_HASH.as_deref().map_err(Clone::clone)?, false),
    };
    let parsed = PasswordHash::new(hash).map_err(|e| format!("a stored password hash is unreadable: {e}"))?;
    match Argon2::default().verify_password(attempt.as_bytes(), &parsed) {
        Ok(()) => Ok(real),
        Err(argon2::password_hash::Error::Password) => Ok(false),
        Err(other) => Err(format!("checking a password: {other}")),
    }
}

/// Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
pub async fn hash_blocking(password: Password) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash(&password)).await.map_err(|e| e.to_string())?
}

pub async fn verify_blocking(attempt: String, stored: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || verify(&attempt, stored.as_deref()))
        .await
        .map_err(|e| AppError::Internal(format!("password check stopped: {e}")))?
        .map_err(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_and_verifies_only_its_password() {
        let password = Password::parse("correct horse battery").unwrap();
        let hashed = hash(&password).unwrap();
        assert!(hashed.starts_with("$argon2id$"), "{hashed}");
        assert_eq!(verify("correct horse battery", Some(&hashed)), Ok(true));
        assert_eq!(verify("correct horse batterY", Some(&hashed)), Ok(false));
    }

    #[test]
    fn without_an_account_nothing_verifies_after_the_same_work() {
        assert_eq!(verify("no account has this password", None), Ok(false));
        // The stand-in is a real argon2id hash with the parameters real hashes get.
        let dummy = PasswordHash::new(DUMMY_HASH.as_deref().unwrap()).unwrap();
        let real = hash(&Password::parse("some real password").unwrap()).unwrap();
        let real = PasswordHash::new(&real).unwrap();
        assert_eq!((dummy.algorithm, dummy.params.to_string()), (real.algorithm, real.params.to_string()));
    }

    #[test]
    fn an_unreadable_stored_hash_is_an_error_not_a_no() {
        let error = verify("anything", Some("not a hash")).unwrap_err();
        assert!(error.contains("unreadable"), "{error}");
    }
}
