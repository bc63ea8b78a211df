//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB,
//! two passes), and verification whose timing does not tell whether the
//! account exists.

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
/// "no such account" takes as long as "wrong password".
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(b"no account has this password", &salt).map(|h| h.to_string()).unwrap_or_default()
});

/// Whether `attempt` matches `stored`; with no stored hash, does the same work and says no.
pub fn verify(attempt: &str, stored: Option<&str>) -> bool {
    let (hash, real) = match stored {
        Some(hash) => (hash, true),
        None => (DUMMY_HASH.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let matches = Argon2::default().verify_password(attempt.as_bytes(), &parsed).is_ok();
    matches && real
}

/// Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
pub async fn hash_blocking(password: Password) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash(&password)).await.map_err(|e| e.to_string())?
}

pub async fn verify_blocking(attempt: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || verify(&attempt, stored.as_deref())).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_and_verifies_only_its_password() {
        let password = Password::parse("correct horse battery").unwrap();
        let hashed = hash(&password).unwrap();
        assert!(hashed.starts_with("$argon2id$"), "{hashed}");
        assert!(verify("correct horse battery", Some(&hashed)));
        assert!(!verify("correct horse batterY", Some(&hashed)));
    }

    #[test]
    fn without_an_account_nothing_verifies() {
        assert!(!verify("no account has this password", None));
    }
}
