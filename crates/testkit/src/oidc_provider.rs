//! A small but real OpenID Connect provider on loopback, for testing sign-in
//! end to end: discovery, JWKS, `/authorize` (which consents at once for the
//! user the test chose) and `/token` (client authentication by HTTP Basic,
//! single-use codes, PKCE S256), with ID tokens signed RS256. Knobs make it
//! misbehave the ways a relying party must survive.

use axum::extract::{Form, Query, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, LOCATION, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A TEST-ONLY RSA key, committed on purpose so that tests need not generate
/// one (slow in debug builds). It signs nothing outside this test provider.
const TEST_KEY_PEM: &str = include_str!("oidc_test_key.pem");
const KEY_ID: &str = "tribune-test-key-1";
const CLIENT_ID: &str = "tribune-test-client";
const CLIENT_SECRET: &str = "tribune-test-secret";

/// Who the next authorization signs in.
#[derive(Debug, Clone)]
pub struct OidcUser {
    pub sub: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
}

impl OidcUser {
    /// A user with a verified address and a name.
    pub fn new(sub: &str, email: &str, name: &str) -> Self {
        Self {
            sub: sub.to_owned(),
            email: Some(email.to_owned()),
            email_verified: true,
            name: Some(name.to_owned()),
            preferred_username: None,
        }
    }
}

/// How the next ID tokens go wrong.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TokenFault {
    #[default]
    None,
    /// Carries a nonce other than the one the client sent.
    WrongNonce,
    /// Expired ten minutes ago.
    Expired,
    /// The signature does not match the token (as if signed by another key).
    BadSignature,
}

struct Grant {
    challenge: String,
    nonce: Option<String>,
    redirect_uri: String,
    user: OidcUser,
}

struct Shared {
    issuer: String,
    key: RsaPrivateKey,
    user: OidcUser,
    fault: TokenFault,
    deny: bool,
    discovery_down: bool,
    redirect_uris: Vec<String>,
    codes: HashMap<String, Grant>,
}

type Provider = Arc<Mutex<Shared>>;

/// The running provider; it stops when dropped.
pub struct OidcProvider {
    issuer: String,
    shared: Provider,
    _shutdown: oneshot::Sender<()>,
}

impl OidcProvider {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the OpenID provider");
        let issuer = format!("http://{}", listener.local_addr().expect("address"));
        let key = RsaPrivateKey::from_pkcs1_pem(TEST_KEY_PEM).expect("the test key");
        let shared = Arc::new(Mutex::new(Shared {
            issuer: issuer.clone(),
            key,
            user: OidcUser::new("user-1", "oidc-user@example.org", "Oidc User"),
            fault: TokenFault::None,
            deny: false,
            discovery_down: false,
            redirect_uris: Vec::new(),
            codes: HashMap::new(),
        }));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(shared.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Self { issuer, shared, _shutdown: shutdown }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn issuer(&self) -> String {
        self.issuer.clone()
    }

    pub fn client_id(&self) -> &'static str {
        CLIENT_ID
    }

    pub fn client_secret(&self) -> &'static str {
        CLIENT_SECRET
    }

    /// Tribune's settings for this provider, shown as "Example ID".
    pub fn config(&self) -> tribune_web::accounts::oidc::OidcConfig {
        tribune_web::accounts::oidc::OidcConfig {
            issuer: self.issuer(),
            client_id: CLIENT_ID.to_owned(),
            client_secret: CLIENT_SECRET.into(),
            display_name: "Example ID".to_owned(),
        }
    }

    /// Registers a redirect URI; `/authorize` refuses any other.
    pub fn allow_redirect_uri(&self, uri: &str) {
        self.lock().redirect_uris.push(uri.to_owned());
    }

    /// The user the following authorizations sign in.
    pub fn sign_in_as(&self, user: OidcUser) {
        self.lock().user = user;
    }

    /// How the following ID tokens go wrong (`TokenFault::None` to behave).
    pub fn set_fault(&self, fault: TokenFault) {
        self.lock().fault = fault;
    }

    /// Answers authorizations with `error=access_denied`, as when the user declines.
    pub fn deny_consent(&self, deny: bool) {
        self.lock().deny = deny;
    }

    /// Makes discovery answer 503, as a provider that is down.
    pub fn set_discovery_down(&self, down: bool) {
        self.lock().discovery_down = down;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().expect("provider state")
    }
}

async fn discovery(State(provider): State<Provider>) -> Response {
    let provider = provider.lock().expect("provider state");
    if provider.discovery_down {
        return (StatusCode::SERVICE_UNAVAILABLE, "down for maintenance").into_response();
    }
    let issuer = &provider.issuer;
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "email", "email_verified", "name", "preferred_username"],
    }))
    .into_response()
}

async fn jwks(State(provider): State<Provider>) -> Json<Value> {
    let provider = provider.lock().expect("provider state");
    let key = provider.key.to_public_key();
    Json(json!({"keys": [{
        "kty": "RSA",
        "use": "sig",
        "alg": "RS256",
        "kid": KEY_ID,
        "n": URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
    }]}))
}

#[derive(Debug, Deserialize)]
struct AuthorizeQuery {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

async fn authorize(State(provider): State<Provider>, Query(query): Query<AuthorizeQuery>) -> Response {
    let mut provider = provider.lock().expect("provider state");
    // Without a known client and redirect URI there is nowhere safe to send an error.
    if query.client_id.as_deref() != Some(CLIENT_ID) {
        return (StatusCode::BAD_REQUEST, "unknown client_id").into_response();
    }
    let Some(redirect_uri) = query.redirect_uri.filter(|uri| provider.redirect_uris.contains(uri)) else {
        return (StatusCode::BAD_REQUEST, "redirect_uri is not registered").into_response();
    };
    let mut answer = reqwest::Url::parse(&redirect_uri).expect("a registered URL");
    let error = if provider.deny {
        Some(("access_denied", "The user declined to sign in."))
    } else if query.response_type.as_deref() != Some("code") {
        Some(("unsupported_response_type", "Only the code flow is supported."))
    } else if !query.scope.unwrap_or_default().split(' ').any(|s| s == "openid") {
        Some(("invalid_scope", "The openid scope is required."))
    } else if query.code_challenge_method.as_deref() != Some("S256") || query.code_challenge.is_none() {
        Some(("invalid_request", "PKCE with S256 is required."))
    } else {
        None
    };
    {
        let mut pairs = answer.query_pairs_mut();
        if let Some((error, description)) = error {
            pairs.append_pair("error", error).append_pair("error_description", description);
        } else {
            let code = format!("{:032x}", rand::random::<u128>());
            let grant = Grant {
                challenge: query.code_challenge.unwrap_or_default(),
                nonce: query.nonce,
                redirect_uri: redirect_uri.clone(),
                user: provider.user.clone(),
            };
            provider.codes.insert(code.clone(), grant);
            pairs.append_pair("code", &code);
        }
        if let Some(state) = &query.state {
            pairs.append_pair("state", state);
        }
    }
    (StatusCode::FOUND, [(LOCATION, answer.to_string())]).into_response()
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
}

fn token_error(status: StatusCode, error: &str) -> Response {
    (status, [(CACHE_CONTROL, "no-store")], Json(json!({"error": error}))).into_response()
}

/// `client_id:client_secret` from HTTP Basic, each form-url-decoded (RFC 6749, 2.3.1).
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let encoded = headers.get(AUTHORIZATION)?.to_str().ok()?.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let decode =
        |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8().ok().map(String::from);
    Some((decode(id)?, decode(secret)?))
}

async fn token(State(provider): State<Provider>, headers: HeaderMap, Form(form): Form<TokenForm>) -> Response {
    let mut provider = provider.lock().expect("provider state");
    if basic_credentials(&headers) != Some((CLIENT_ID.to_owned(), CLIENT_SECRET.to_owned())) {
        let mut response = token_error(StatusCode::UNAUTHORIZED, "invalid_client");
        response.headers_mut().insert(WWW_AUTHENTICATE, "Basic realm=\"token\"".parse().expect("header"));
        return response;
    }
    if form.grant_type != "authorization_code" {
        return token_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    // Single use: the code is gone whatever happens next.
    let Some(grant) = provider.codes.remove(&form.code) else {
        return token_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    let verifier = form.code_verifier.unwrap_or_default();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if form.redirect_uri.as_deref() != Some(grant.redirect_uri.as_str()) || challenge != grant.challenge {
        return token_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let id_token = provider.id_token(&grant);
    let body = json!({
        "access_token": format!("{:032x}", rand::random::<u128>()),
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "openid email profile",
        "id_token": id_token,
    });
    (StatusCode::OK, [(CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

impl Shared {
    fn id_token(&self, grant: &Grant) -> String {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs() as i64;
        let (iat, exp) = if self.fault == TokenFault::Expired { (now - 1200, now - 600) } else { (now, now + 300) };
        let user = &grant.user;
        let mut claims = json!({
            "iss": self.issuer,
            "sub": user.sub,
            "aud": CLIENT_ID,
            "iat": iat,
            "exp": exp,
            "email_verified": user.email_verified,
        });
        let nonce = if self.fault == TokenFault::WrongNonce {
            Some("not-the-nonce-sent".to_owned())
        } else {
            grant.nonce.clone()
        };
        for (name, value) in [
            ("nonce", nonce),
            ("email", user.email.clone()),
            ("name", user.name.clone()),
            ("preferred_username", user.preferred_username.clone()),
        ] {
            if let Some(value) = value {
                claims[name] = Value::String(value);
            }
        }
        let header = json!({"alg": "RS256", "typ": "JWT", "kid": KEY_ID});
        let input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let mut signature = SigningKey::<Sha256>::new(self.key.clone()).sign(input.as_bytes()).to_vec();
        if self.fault == TokenFault::BadSignature {
            let last = signature.len() - 1;
            signature[last] ^= 0x01;
        }
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}
