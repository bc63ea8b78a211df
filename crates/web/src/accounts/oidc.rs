//! OpenID Connect sign-in (authorization code with PKCE), for sites whose
//! readers have an account with an identity provider. This file holds the
//! settings, the provider's metadata (discovered on first use, kept an hour,
//! a failure never kept), the HTTP client the `openidconnect` crate talks
//! through, and the short-lived cookie that carries one sign-in from the
//! redirect to the callback; `oidc_flow.rs` has the two routes.

use crate::error::AppError;
use crate::secret::Secret;
use axum::http::{HeaderMap, HeaderValue};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use openidconnect::core::CoreProviderMetadata;
use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse, IssuerUrl};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;
use tokio::sync::RwLock;
use tribune_domain::LocalPath;

/// The cookie that carries one sign-in from `/signin/oidc` to the callback.
pub const COOKIE_NAME: &str = "tribune_oidc";
const COOKIE_PATH: &str = "/signin/oidc";
const COOKIE_MAX_AGE_SECS: u32 = 600;
/// Discovered metadata (and the signing keys with it) is fetched again after this.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// Largest answer read from the provider.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// The site's registration with one OpenID provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// The issuer identifier, e.g. `https://id.example.org`; discovery reads
    /// `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret<String>,
    /// Shown on the sign-in button: "Sign in with {display_name}".
    pub display_name: String,
}

/// What the app keeps about the provider: the HTTP client and the metadata.
pub struct ProviderCache {
    http: HttpClient,
    metadata: RwLock<Option<(Instant, Arc<CoreProviderMetadata>)>>,
}

impl ProviderCache {
    /// Fails only when no HTTP client can be made (the TLS roots cannot be loaded).
    pub fn new() -> Result<Self, String> {
        // Redirects are never followed: the provider's endpoints answer directly (SSRF advice of openidconnect).
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| error_chain(&e))?;
        Ok(Self { http: HttpClient(client), metadata: RwLock::new(None) })
    }

    pub(super) fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The provider's metadata, discovering it if it is not known or is old.
    pub(super) async fn metadata(&self, config: &OidcConfig) -> Result<Arc<CoreProviderMetadata>, AppError> {
        let fresh = |slot: &Option<(Instant, Arc<CoreProviderMetadata>)>| {
            slot.as_ref().filter(|(at, _)| at.elapsed() < METADATA_TTL).map(|(_, metadata)| metadata.clone())
        };
        if let Some(metadata) = fresh(&*self.metadata.read().await) {
            return Ok(metadata);
        }
        let mut slot = self.metadata.write().await;
        if let Some(metadata) = fresh(&slot) {
            return Ok(metadata);
        }
        let issuer = IssuerUrl::new(config.issuer.clone()).map_err(|e| AppError::Internal(e.to_string()))?;
        match CoreProviderMetadata::discover_async(issuer, &self.http).await {
            Ok(metadata) => {
                let metadata = Arc::new(metadata);
                *slot = Some((Instant::now(), metadata.clone()));
                Ok(metadata)
            }
            Err(error) => {
                tracing::warn!(error = %error_chain(&error), issuer = %config.issuer, "OpenID Connect discovery failed");
                Err(unreachable_provider(config))
            }
        }
    }
}

/// A 503 naming the provider, never the cause (which is logged).
pub(super) fn unreachable_provider(config: &OidcConfig) -> AppError {
    AppError::ProviderUnavailable {
        message: format!(
            "{} cannot be reached just now, so signing in with it is not possible. \
             Please try again in a few minutes, or sign in with your e-mail address.",
            config.display_name
        ),
    }
}

/// An error and its causes, on one line, for the log.
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `openidconnect`'s HTTP client, made of our own `reqwest::Client`.
pub struct HttpClient(reqwest::Client);

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error(transparent)]
    Reqwest(#[from] reqwest::Error),
    #[error(transparent)]
    Http(#[from] openidconnect::http::Error),
    #[error("the answer is larger than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
}

impl<'c> AsyncHttpClient<'c> for HttpClient {
    type Error = HttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let mut response = self.0.execute(reqwest::Request::try_from(request)?).await?;
            let mut answer = openidconnect::http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                answer = answer.header(name, value);
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(HttpError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(answer.body(body)?)
        })
    }
}

/// One sign-in in progress, kept in the browser between the two routes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Pending {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Read back through `LocalPath::parse`: a forged cookie cannot name another site.
    pub next: LocalPath,
}

impl Pending {
    pub fn cookie(&self, secure: bool) -> Result<HeaderValue, AppError> {
        let json = serde_json::to_vec(self).map_err(|e| AppError::Internal(e.to_string()))?;
        let secure = if secure { "; Secure" } else { "" };
        let cookie = format!(
            "{COOKIE_NAME}={}; Path={COOKIE_PATH}; HttpOnly; SameSite=Lax; Max-Age={COOKIE_MAX_AGE_SECS}{secure}",
            URL_SAFE_NO_PAD.encode(json)
        );
        HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// The sign-in the request's cookie carries, if it has a readable one.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        super::session::cookie_values(headers, COOKIE_NAME)
            .find_map(|value| serde_json::from_slice(&URL_SAFE_NO_PAD.decode(value).ok()?).ok())
    }

    /// Whether `state` from the callback is the one this sign-in sent, compared in constant time.
    pub fn state_matches(&self, state: &str) -> bool {
        bool::from(self.state.as_bytes().ct_eq(state.as_bytes()))
    }
}

/// The cookie that ends a sign-in in progress.
pub(super) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("tribune_oidc=; Path=/signin/oidc; HttpOnly; SameSite=Lax; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> Pending {
        Pending {
            state: "state-1".to_owned(),
            nonce: "nonce-1".to_owned(),
            pkce_verifier: "verifier-1".to_owned(),
            next: LocalPath::parse("/articles/a?b=c;d#comment-1").unwrap(),
        }
    }

    #[test]
    fn the_pending_sign_in_survives_the_round_trip_through_its_cookie() {
        let cookie = pending().cookie(true).unwrap();
        let text = cookie.to_str().unwrap();
        assert!(text.starts_with("tribune_oidc="), "{text}");
        for part in ["Path=/signin/oidc", "HttpOnly", "SameSite=Lax", "Max-Age=600", "Secure"] {
            assert!(text.contains(part), "{part} in {text}");
        }
        let value = text.split(';').next().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            HeaderValue::from_str(&format!("other=1; {value}; tribune_session=x")).unwrap(),
        );
        assert_eq!(Pending::from_headers(&headers), Some(pending()));
        assert!(!pending().cookie(false).unwrap().to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn a_missing_or_garbled_cookie_is_no_sign_in() {
        let mut headers = HeaderMap::new();
        assert_eq!(Pending::from_headers(&headers), None);
        headers
            .insert(axum::http::header::COOKIE, HeaderValue::from_static("tribune_oidc=not-base64!; tribune_oidc=e30"));
        assert_eq!(Pending::from_headers(&headers), None);
    }

    #[test]
    fn only_the_exact_state_matches() {
        let pending = pending();
        assert!(pending.state_matches("state-1"));
        assert!(!pending.state_matches("state-2") && !pending.state_matches("state-") && !pending.state_matches(""));
    }

    #[test]
    fn the_client_secret_is_not_in_debug_output() {
        let config = OidcConfig {
            issuer: "https://id.example.org".to_owned(),
            client_id: "tribune".to_owned(),
            client_secret: "hunter2-secret".into(),
            display_name: "Example ID".to_owned(),
        };
        assert!(!format!("{config:?}").contains("hunter2"));
    }
}
