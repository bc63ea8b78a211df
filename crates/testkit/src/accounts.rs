//! Accounts for tests: an account of any role, with a client signed in as it.

use crate::TestApp;
use reqwest::header::{HeaderMap, HeaderValue, COOKIE};
use reqwest::Client;
use tribune_domain::account::Role;
use tribune_domain::Timestamp;
use tribune_store::{NewSession, NewUser, User};

impl TestApp {
    /// A new account with `role` (its e-mail `{name}@example.org`, lower-cased,
    /// spaces as dots) and a client that sends its session cookie.
    pub async fn signed_in_as(&self, role: Role, name: &str) -> (User, Client) {
        let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
        let user = self
            .store
            .create_user(&NewUser {
                email,
                display_name: name.to_owned(),
                password_hash: None,
                role,
                email_verified: true,
                created_at: Timestamp::now(),
            })
            .await
            .expect("create an account");
        let client = self.client_for(&user).await;
        (user, client)
    }

    /// A client signed in as `user` through a new session of its own.
    pub async fn client_for(&self, user: &User) -> Client {
        let token = format!("test-session-{}-{}", user.id.0, rand::random::<u64>());
        let now = Timestamp::now();
        let session = NewSession {
            token_hash: tribune_web::accounts::token_digest(&token),
            user_id: user.id,
            created_at: now,
            expires_at: Timestamp(now.0 + 3_600_000),
        };
        self.store.create_session(&session).await.expect("create a session");
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_str(&format!("tribune_session={token}")).expect("cookie"));
        Client::builder().default_headers(headers).redirect(reqwest::redirect::Policy::none()).build().expect("client")
    }
}
