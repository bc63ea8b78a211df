//! The two OpenID Connect routes. `/signin/oidc?next=…` sends the reader to
//! the provider with a fresh state, nonce and PKCE challenge (kept in the
//! `tribune_oidc` cookie); `/signin/oidc/callback` checks the state, trades
//! the code for tokens, verifies the ID token (signature, issuer, audience,
//! expiry, nonce), finds or creates the account and signs it in.

use super::oidc::{clear_cookie, error_chain, unreachable_provider, OidcConfig, Pending};
use super::session;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreIdTokenClaims};
use openidconnect::{
    AuthType, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
};
use serde::Deserialize;
use tribune_domain::account::Role;
use tribune_domain::{AuthorName, Email, Timestamp};
use tribune_store::{DbError, NewUser, User};

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// A client made from discovered metadata: the token endpoint may or may not be there.
type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

fn refused(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::BadRequest { code, message: message.into() }
}

fn configured(state: &AppState) -> Result<&OidcConfig, AppError> {
    state.config.oidc.as_ref().ok_or(AppError::NotFound("page"))
}

async fn client(state: &AppState, config: &OidcConfig) -> Result<Client, AppError> {
    let metadata = state.oidc.metadata(config).await?;
    let redirect = format!("{}/signin/oidc/callback", state.config.public_url.trim_end_matches('/'));
    let redirect = RedirectUrl::new(redirect).map_err(|e| AppError::Internal(format!("public_url: {e}")))?;
    // HTTP Basic unless the provider says it only takes the secret in the form body.
    let methods = metadata.token_endpoint_auth_methods_supported();
    let post_only = methods.is_some_and(|m| {
        m.contains(&CoreClientAuthMethod::ClientSecretPost) && !m.contains(&CoreClientAuthMethod::ClientSecretBasic)
    });
    let client = CoreClient::from_provider_metadata(
        (*metadata).clone(),
        ClientId::new(config.client_id.clone()),
        Some(ClientSecret::new(config.client_secret.expose().clone())),
    );
    let auth = if post_only { AuthType::RequestBody } else { AuthType::BasicAuth };
    Ok(client.set_redirect_uri(redirect).set_auth_type(auth))
}

pub async fn start(State(state): State<AppState>, ApiQuery(query): ApiQuery<StartQuery>) -> Result<Response, AppError> {
    let config = configured(&state)?;
    let next = super::pages::return_to(query.next.as_deref())?;
    let client = client(&state, config).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let pending = Pending {
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next,
    };
    let mut response = Redirect::to(url.as_str()).into_response();
    response.headers_mut().insert(SET_COOKIE, pending.cookie(state.config.secure_cookies)?);
    Ok(response)
}

pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<CallbackQuery>,
) -> Result<Response, AppError> {
    let config = configured(&state)?;
    if let Some(error) = &query.error {
        return Err(provider_refusal(config, error, query.error_description.as_deref()));
    }
    let Some(pending) = Pending::from_headers(&headers) else {
        return Err(refused(
            "oidc_no_sign_in",
            "This sign-in has expired or was started in another browser. Please start again from the sign-in page.",
        ));
    };
    if !query.state.as_deref().is_some_and(|s| pending.state_matches(s)) {
        return Err(refused(
            "oidc_state_mismatch",
            "This answer from the sign-in provider does not belong to the sign-in started here. Please start again.",
        ));
    }
    let Some(code) = query.code.filter(|c| !c.is_empty()) else {
        return Err(refused("oidc_no_code", "The sign-in provider sent no authorization code. Please start again."));
    };
    let claims = verified_claims(&state, config, code, &pending).await?;
    let user = account_for(&state, config, &claims).await?;
    let cookie = session::start(&state, &headers, user.id).await?;
    let mut response = Redirect::to(pending.next.as_str()).into_response();
    response.headers_mut().append(SET_COOKIE, cookie);
    response.headers_mut().append(SET_COOKIE, clear_cookie());
    Ok(response)
}

/// The provider's `?error=…`, in words; its own description is shown, shortened.
fn provider_refusal(config: &OidcConfig, error: &str, description: Option<&str>) -> AppError {
    let name = &config.display_name;
    let mut message = match error {
        "access_denied" => format!("Signing in with {name} was cancelled or refused."),
        "login_required" | "interaction_required" | "consent_required" => {
            format!("{name} needs you to sign in there first.")
        }
        _ => {
            let code: String = error.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect();
            format!("{name} could not sign you in ({code}).")
        }
    };
    if let Some(description) = description.map(str::trim).filter(|d| !d.is_empty()) {
        let description: String = description.chars().filter(|c| !c.is_control()).take(200).collect();
        message.push_str(&format!(" It said: “{description}”"));
    }
    refused("oidc_provider_error", message)
}

async fn verified_claims(
    state: &AppState,
    config: &OidcConfig,
    code: String,
    pending: &Pending,
) -> Result<CoreIdTokenClaims, AppError> {
    let client = client(state, config).await?;
    let http = state.oidc.http();
    let request = client.exchange_code(AuthorizationCode::new(code)).map_err(|e| {
        tracing::warn!(error = %e, issuer = %config.issuer, "the provider has no token endpoint");
        unreachable_provider(config)
    })?;
    let response = request
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(http)
        .await
        .map_err(|error| {
            tracing::warn!(error = %error_chain(&error), issuer = %config.issuer, "OpenID Connect code exchange failed");
            match error {
                RequestTokenError::ServerResponse(_) => refused(
                    "oidc_bad_code",
                    format!("{} did not accept this sign-in's code (it may have been used already). Please start again.", config.display_name),
                ),
                _ => unreachable_provider(config),
            }
        })?;
    let Some(id_token) = response.extra_fields().id_token() else {
        return Err(refused("oidc_invalid_id_token", format!("{} sent no ID token.", config.display_name)));
    };
    let claims = id_token.claims(&client.id_token_verifier(), &Nonce::new(pending.nonce.clone())).map_err(|error| {
        tracing::info!(error = %error, issuer = %config.issuer, "refused an ID token");
        let problem = match error {
            ClaimsVerificationError::Expired(_) => "has expired",
            ClaimsVerificationError::InvalidNonce(_) => "was not issued for this sign-in (its nonce does not match)",
            ClaimsVerificationError::SignatureVerification(_) => "has a signature that does not verify",
            ClaimsVerificationError::InvalidIssuer(_) => "was issued by someone else",
            ClaimsVerificationError::InvalidAudience(_) => "was issued for another site",
            _ => "is not valid",
        };
        refused(
            "oidc_invalid_id_token",
            format!("The ID token from {} {problem}. Please start again.", config.display_name),
        )
    })?;
    Ok(claims.clone())
}

/// The account `claims` name: the one linked to the subject; else the one
/// with the same (verified) address, now linked; else a new commenter.
async fn account_for(state: &AppState, config: &OidcConfig, claims: &CoreIdTokenClaims) -> Result<User, AppError> {
    let store = state.store.as_ref();
    let subject = claims.subject().as_str();
    match store.user_by_identity(&config.issuer, subject).await {
        Ok(user) => return Ok(user),
        Err(DbError::NotFound) => {}
        Err(other) => return Err(other.into()),
    }
    let name = &config.display_name;
    let Some(raw_email) = claims.email() else {
        return Err(refused(
            "oidc_no_email",
            format!("{name} did not share your e-mail address, which Tribune needs for an account. Allow it there and try again."),
        ));
    };
    let email = Email::parse(raw_email.as_str())
        .map_err(|_| refused("oidc_bad_email", format!("{name} shared an e-mail address that is not valid.")))?;
    let email = email.as_str().to_lowercase();
    let verified = claims.email_verified() == Some(true);
    let user = match store.user_by_email(&email).await {
        Ok(user) if verified => {
            if !user.email_verified {
                store.set_email_verified(user.id).await?;
            }
            user
        }
        Ok(_) => {
            return Err(AppError::Conflict {
                code: "oidc_email_unverified",
                message: format!(
                    "An account with {email} already exists, and {name} has not verified that this address is yours. \
                     Sign in with your password first; then you can use {name}."
                ),
            })
        }
        Err(DbError::NotFound) => {
            let new = NewUser {
                display_name: display_name(claims, &email),
                email,
                password_hash: None,
                role: Role::Commenter,
                email_verified: verified,
                created_at: Timestamp::now(),
            };
            store.create_user(&new).await?
        }
        Err(other) => return Err(other.into()),
    };
    match store.link_identity(&config.issuer, subject, user.id, Timestamp::now()).await {
        Ok(()) => Ok(user),
        // The same sign-in finished a moment earlier in another tab.
        Err(DbError::Conflict { .. }) => Ok(store.user_by_identity(&config.issuer, subject).await?),
        Err(other) => Err(other.into()),
    }
}

/// `name`, else `preferred_username`, else the address's local part: the first that is a valid name.
fn display_name(claims: &CoreIdTokenClaims, email: &str) -> String {
    let name = claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned());
    let username = claims.preferred_username().map(|u| u.as_str().to_owned());
    let local = email.split('@').next().map(str::to_owned);
    [name, username, local]
        .into_iter()
        .flatten()
        .find_map(|candidate| AuthorName::parse(&candidate).ok())
        .map_or_else(|| "Reader".to_owned(), |name| name.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> OidcConfig {
        OidcConfig {
            issuer: "https://id.example.org".to_owned(),
            client_id: "tribune".to_owned(),
            client_secret: "secret".into(),
            display_name: "Example ID".to_owned(),
        }
    }

    fn message(error: AppError) -> String {
        match error {
            AppError::BadRequest { code: "oidc_provider_error", message } => message,
            other => panic!("expected a provider refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_provider_error_is_put_in_words_and_its_description_kept_short() {
        let denied = message(provider_refusal(&config(), "access_denied", Some("  The user said no. ")));
        assert_eq!(denied, "Signing in with Example ID was cancelled or refused. It said: “The user said no.”");
        let odd = message(provider_refusal(&config(), "server_error<script>", Some(&"x".repeat(500))));
        assert!(odd.starts_with("Example ID could not sign you in (server_errorscript)."), "{odd}");
        assert!(odd.chars().count() < 300, "{odd}");
        assert!(!message(provider_refusal(&config(), "login_required", None)).contains("It said"));
    }
}
