//! Single sign-on tokens as a site's backend signs them (HS256 JWTs).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};

/// `claims` signed with `secret`, as `/sso/jwt?token=…` expects.
pub fn sso_token(claims: &serde_json::Value, secret: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length works");
    mac.update(format!("{header}.{payload}").as_bytes());
    format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// Fresh claims for the reader `sub`, valid for two minutes.
pub fn sso_claims(sub: &str, name: &str, email: &str) -> serde_json::Value {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    serde_json::json!({"sub": sub, "name": name, "email": email, "exp": now + 120, "iat": now})
}
