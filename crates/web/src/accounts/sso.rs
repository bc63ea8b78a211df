//! Signed-token single sign-on, for sites whose readers already have
//! accounts: the site's backend signs a short-lived JWT (HS256, with the
//! shared secret) naming the reader, and sends them to
//! `/sso/jwt?token=…&next=/articles/…`. Tribune checks it, creates or
//! updates the commenter, and signs them in.
//!
//! HS256 is verified here with `hmac` and `sha2` rather than a JWT crate:
//! the common ones pull in `ring`, a heavy build for one algorithm.

use super::session;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use tribune_domain::account::Role;
use tribune_domain::{AuthorName, Email, Timestamp};
use tribune_store::{DbError, NewUser, User};

/// Tokens older than this are refused, whatever their `exp` says.
const MAX_AGE_SECS: i64 = 600;
/// The provider name under which the site's own reader ids are linked to accounts.
const SSO_PROVIDER: &str = "site-sso";

#[derive(Debug, Deserialize)]
pub struct SsoQuery {
    token: String,
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Header {
    alg: String,
}

/// The claims Tribune reads.
#[derive(Debug, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: String,
    pub name: String,
    pub email: String,
    pub exp: i64,
    pub iat: Option<i64>,
}

fn invalid(message: &str) -> AppError {
    AppError::BadRequest { code: "invalid_sso_token", message: message.to_owned() }
}

/// Checks signature, algorithm and times; `now` in seconds since the epoch.
pub fn verify(token: &str, secret: &[u8], now: i64) -> Result<Claims, AppError> {
    let mut parts = token.split('.');
    let (Some(raw_header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("The sign-in token is not a JWT."));
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|_| invalid("The sign-in token is not a JWT."));
    let header: Header =
        serde_json::from_slice(&decode(raw_header)?).map_err(|_| invalid("The token header is malformed."))?;
    if header.alg != "HS256" {
        return Err(invalid("The sign-in token must be signed with HS256."));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| invalid("The site's SSO secret is unusable."))?;
    mac.update(format!("{raw_header}.{payload}").as_bytes());
    // Constant-time comparison.
    mac.verify_slice(&decode(signature)?).map_err(|_| invalid("The sign-in token's signature does not match."))?;
    let claims: Claims = serde_json::from_slice(&decode(payload)?)
        .map_err(|_| invalid("The token must carry sub, name, email and exp."))?;
    if claims.exp <= now {
        return Err(invalid("The sign-in token has expired."));
    }
    if claims.exp - now > MAX_AGE_SECS || claims.iat.is_some_and(|iat| iat > now + 60) {
        return Err(invalid("The sign-in token must be short-lived (at most 10 minutes)."));
    }
    Ok(claims)
}

pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<SsoQuery>,
) -> Result<Response, AppError> {
    let Some(secret) = state.config.sso_jwt_secret.as_ref() else {
        return Err(AppError::NotFound("single sign-on"));
    };
    let next = super::pages::return_to(query.next.as_deref())?;
    let claims = verify(&query.token, secret.expose().as_bytes(), Timestamp::now().0 / 1000)?;
    let name = AuthorName::parse(&claims.name).map_err(|e| invalid(&e.message))?;
    let email = Email::parse(&claims.email).map_err(|e| invalid(&e.message))?;
    let email = email.as_str().to_lowercase();
    if claims.sub.is_empty() || claims.sub.len() > 255 {
        return Err(invalid("The token's sub must name the reader in 1 to 255 bytes."));
    }
    let user = reader_for(&state, &claims.sub, name.as_str(), &email).await?;
    let cookie = session::start(&state, &headers, user.id).await?;
    let mut response = Redirect::to(next.as_str()).into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    Ok(response)
}

/// The account the site's reader `sub` signs in as, brought up to date with
/// the name and address the site sends: first by `sub`, then by address (the
/// site vouches for it), else a new commenter.
async fn reader_for(state: &AppState, sub: &str, name: &str, email: &str) -> Result<User, AppError> {
    let store = state.store.as_ref();
    let user = match store.user_by_identity(SSO_PROVIDER, sub).await {
        Ok(user) => user,
        Err(DbError::NotFound) => {
            let user = match store.user_by_email(email).await {
                Ok(user) => user,
                Err(DbError::NotFound) => {
                    let new = NewUser {
                        email: email.to_owned(),
                        display_name: name.to_owned(),
                        password_hash: None,
                        role: Role::Commenter,
                        // The site vouches for the address.
                        email_verified: true,
                        created_at: Timestamp::now(),
                    };
                    store.create_user(&new).await?
                }
                Err(other) => return Err(other.into()),
            };
            match store.link_identity(SSO_PROVIDER, sub, user.id, Timestamp::now()).await {
                Ok(()) => user,
                // The same reader arrived a moment earlier in another tab.
                Err(DbError::Conflict { .. }) => store.user_by_identity(SSO_PROVIDER, sub).await?,
                Err(other) => return Err(other.into()),
            }
        }
        Err(other) => return Err(other.into()),
    };
    if user.email != email {
        match store.set_email(user.id, email).await {
            Ok(()) => store.set_email_verified(user.id).await?,
            Err(DbError::Conflict { .. }) => {
                return Err(AppError::Conflict {
                    code: "sso_email_taken",
                    message: "Another account on this site already uses the e-mail address your site sent.".to_owned(),
                })
            }
            Err(other) => return Err(other.into()),
        }
    }
    // After the address, which may be refused: a refusal changes nothing.
    if user.display_name != name {
        store.set_display_name(user.id, name).await?;
    }
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sign(claims: &serde_json::Value, secret: &[u8], alg: &str) -> String {
        let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(format!("{header}.{payload}").as_bytes());
        format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    fn claims(exp: i64) -> serde_json::Value {
        serde_json::json!({"sub": "42", "name": "Sam", "email": "sam@example.org", "exp": exp, "iat": 1000})
    }

    #[test]
    fn a_fresh_token_signed_with_the_secret_is_accepted() {
        let token = sign(&claims(1300), b"secret", "HS256");
        let verified = verify(&token, b"secret", 1000).unwrap();
        assert_eq!((verified.sub.as_str(), verified.email.as_str()), ("42", "sam@example.org"));
    }

    #[test]
    fn forged_expired_long_lived_and_unsigned_tokens_are_refused() {
        let code = |token: &str, now| match verify(token, b"secret", now) {
            Err(AppError::BadRequest { message, .. }) => message,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert!(code(&sign(&claims(1300), b"other", "HS256"), 1000).contains("signature"));
        assert!(code(&sign(&claims(1300), b"secret", "HS256"), 1400).contains("expired"));
        assert!(code(&sign(&claims(99_999), b"secret", "HS256"), 1000).contains("short-lived"));
        assert!(code(&sign(&claims(1300), b"secret", "none"), 1000).contains("HS256"));
        assert!(code("not-a-token", 1000).contains("not a JWT"));
        let token = sign(&claims(1300), b"secret", "HS256");
        let (head, _) = token.rsplit_once('.').unwrap();
        assert!(code(&format!("{head}."), 1000).contains("signature"));
    }
}
