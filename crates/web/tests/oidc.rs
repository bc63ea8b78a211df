//! OpenID Connect sign-in through HTTP, against a real (small) provider on
//! loopback. Redirects are followed by hand so that every hop is checked.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::{Client, Response, Url};
use std::time::Duration;
use tribune_domain::account::Role;
use tribune_testkit::{sso_claims, sso_token, Logs, OidcProvider, OidcUser, SmtpSink, TestApp, TokenFault};
use tribune_web::mail::MailRetry;
use tribune_web::SiteConfig;

const PASSWORD: &str = "a long enough secret";

/// A provider and a Tribune that signs in with it.
async fn setup() -> (OidcProvider, TestApp) {
    let provider = OidcProvider::start().await;
    let app = TestApp::spawn_with_config_fn(|address| {
        provider.allow_redirect_uri(&format!("{address}/signin/oidc/callback"));
        SiteConfig { oidc: Some(provider.config()), public_url: address.to_owned(), ..TestApp::config() }
    })
    .await;
    (provider, app)
}

fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

fn cookies(response: &Response) -> Vec<String> {
    response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

fn session_cookie(response: &Response) -> Option<String> {
    cookies(response).into_iter().find(|c| c.starts_with("tribune_session=") && !c.starts_with("tribune_session=;"))
}

/// Starts a sign-in with `reader` and lets the provider answer; returns where
/// the provider sends the browser back to (the callback, not yet opened).
async fn until_callback(app: &TestApp, provider: &OidcProvider, reader: &Client, next: &str) -> Url {
    until_callback_with_cookie(app, provider, reader, next).await.0
}

/// The same, also returning the `tribune_oidc=…` pair Tribune set.
async fn until_callback_with_cookie(
    app: &TestApp,
    provider: &OidcProvider,
    reader: &Client,
    next: &str,
) -> (Url, String) {
    let start = reader.get(app.url(&format!("/signin/oidc?next={next}"))).send().await.unwrap();
    assert_eq!(start.status(), 303, "{:?}", start.text().await);
    let cookie = cookies(&start).into_iter().find(|c| c.starts_with("tribune_oidc=")).expect("the sign-in cookie");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/signin/oidc", "Max-Age=600"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    let authorize = Url::parse(&location(&start)).unwrap();
    assert!(authorize.as_str().starts_with(&format!("{}/authorize?", provider.issuer())), "{authorize}");
    let query: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["redirect_uri"], app.url("/signin/oidc/callback"));
    let scopes: Vec<&str> = query["scope"].split(' ').collect();
    assert!(["openid", "email", "profile"].iter().all(|s| scopes.contains(s)), "{scopes:?}");
    assert!(query.contains_key("state") && query.contains_key("nonce"));

    let answer = reader.get(authorize).send().await.unwrap();
    assert_eq!(answer.status(), 302, "the provider consents at once");
    let callback = Url::parse(&location(&answer)).unwrap();
    assert!(callback.as_str().starts_with(&app.url("/signin/oidc/callback?")), "{callback}");
    (callback, cookie.split(';').next().unwrap().to_owned())
}

/// A whole sign-in with a fresh browser; returns it and the callback's answer.
async fn sign_in(app: &TestApp, provider: &OidcProvider, next: &str) -> (Client, Response) {
    let reader = app.reader();
    let callback = until_callback(app, provider, &reader, next).await;
    let response = reader.get(callback).send().await.unwrap();
    (reader, response)
}

/// The answer is an HTML error page with `status` that says `words`, and signs no one in.
async fn assert_refused(response: Response, status: u16, words: &str) {
    assert_eq!(response.status(), status);
    assert!(session_cookie(&response).is_none(), "no session on a refusal");
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = response.text().await.unwrap();
    assert!(page.contains(words), "expected {words:?} in {page}");
}

#[tokio::test]
async fn a_reader_signs_in_with_the_provider_and_gets_a_commenter_account() {
    let (provider, app) = setup().await;
    provider.sign_in_as(OidcUser::new("sub-rosa", "Rosa@Example.org", "Rosa Quill"));
    let (reader, response) = sign_in(&app, &provider, "/account").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account");
    assert!(session_cookie(&response).is_some());
    assert!(cookies(&response).iter().any(|c| c.starts_with("tribune_oidc=;") && c.contains("Max-Age=0")));

    let account = reader.get(app.url("/account")).send().await.unwrap();
    assert_eq!(account.status(), 200);
    let account = account.text().await.unwrap();
    assert!(account.contains("Rosa Quill") && account.contains("rosa@example.org"), "{account}");
    let user = app.store.user_by_identity(&provider.issuer(), "sub-rosa").await.unwrap();
    assert_eq!((user.email.as_str(), user.role, user.email_verified), ("rosa@example.org", Role::Commenter, true));
    assert!(user.password_hash.is_none());

    // The subject, not the address, names the account: a changed address finds it all the same.
    provider.sign_in_as(OidcUser::new("sub-rosa", "rosa.new@example.org", "Rosa Quill"));
    let (_, again) = sign_in(&app, &provider, "/").await;
    assert_eq!(again.status(), 303);
    assert_eq!(location(&again), "/");
    assert_eq!(app.store.count_users().await.unwrap(), 1);
    assert_eq!(app.store.user_by_identity(&provider.issuer(), "sub-rosa").await.unwrap().id, user.id);
}

#[tokio::test]
async fn a_verified_address_signs_in_to_the_existing_password_account() {
    let (provider, app) = setup().await;
    app.sign_up(&app.reader(), "Ben Password", "ben@example.org", PASSWORD).await;
    let ben = app.store.user_by_email("ben@example.org").await.unwrap();
    provider.sign_in_as(OidcUser::new("sub-ben", "BEN@example.org", "Ben at the provider"));
    let (reader, response) = sign_in(&app, &provider, "/account").await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.store.count_users().await.unwrap(), 1, "linked, not duplicated");
    let linked = app.store.user_by_identity(&provider.issuer(), "sub-ben").await.unwrap();
    assert_eq!(linked.id, ben.id);
    assert_eq!(linked.display_name, "Ben Password", "the account keeps its name");
    assert!(linked.email_verified, "the provider vouched for the address");
    assert!(reader.get(app.url("/account")).send().await.unwrap().text().await.unwrap().contains("Ben Password"));
    let password = app.reader().post(app.url("/signin")).form(&[("email", "ben@example.org"), ("password", PASSWORD)]);
    assert_eq!(password.send().await.unwrap().status(), 303, "the password still works");
}

#[tokio::test]
async fn an_unverified_address_never_takes_over_an_existing_account() {
    let (provider, app) = setup().await;
    app.sign_up(&app.reader(), "Cy", "cy@example.org", PASSWORD).await;
    provider.sign_in_as(OidcUser { email_verified: false, ..OidcUser::new("sub-cy", "cy@example.org", "Mallory") });
    let (_, response) = sign_in(&app, &provider, "/account").await;
    assert_refused(response, 409, "Sign in with your password first").await;
    assert!(app.store.user_by_identity(&provider.issuer(), "sub-cy").await.is_err(), "not linked");
}

#[tokio::test]
async fn a_new_reader_gets_a_name_from_what_the_provider_shares() {
    let (provider, app) = setup().await;
    let user = OidcUser {
        sub: "sub-zoe".to_owned(),
        email: Some("zoe.quill@example.org".to_owned()),
        email_verified: false,
        name: None,
        preferred_username: None,
    };
    provider.sign_in_as(user.clone());
    assert_eq!(sign_in(&app, &provider, "/").await.1.status(), 303);
    let zoe = app.store.user_by_identity(&provider.issuer(), "sub-zoe").await.unwrap();
    assert_eq!((zoe.display_name.as_str(), zoe.email_verified), ("zoe.quill", false));

    let named = OidcUser { sub: "sub-ann".to_owned(), email: Some("ann@example.org".to_owned()), ..user };
    provider.sign_in_as(OidcUser {
        preferred_username: Some("annie".to_owned()),
        name: Some("  ".to_owned()),
        ..named
    });
    assert_eq!(sign_in(&app, &provider, "/").await.1.status(), 303);
    assert_eq!(app.store.user_by_identity(&provider.issuer(), "sub-ann").await.unwrap().display_name, "annie");
}

#[tokio::test]
async fn a_provider_that_shares_no_address_is_refused() {
    let (provider, app) = setup().await;
    provider.sign_in_as(OidcUser { email: None, ..OidcUser::new("sub-anon", "x@example.org", "Anon") });
    let (_, response) = sign_in(&app, &provider, "/").await;
    assert_refused(response, 400, "did not share your e-mail address").await;
    assert_eq!(app.store.count_users().await.unwrap(), 0);
}

#[tokio::test]
async fn a_tampered_state_or_a_missing_cookie_is_refused() {
    let (provider, app) = setup().await;
    let reader = app.reader();
    let mut callback = until_callback(&app, &provider, &reader, "/").await;
    let code = callback.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    callback.query_pairs_mut().clear().append_pair("code", &code).append_pair("state", "forged-state");
    assert_refused(reader.get(callback.clone()).send().await.unwrap(), 400, "does not belong to the sign-in").await;

    let callback = until_callback(&app, &provider, &reader, "/").await;
    let stranger = app.reader();
    assert_refused(stranger.get(callback).send().await.unwrap(), 400, "has expired or was started in another browser")
        .await;
    assert_eq!(app.store.count_users().await.unwrap(), 0);
}

#[tokio::test]
async fn a_code_works_once_and_only_with_its_pkce_verifier() {
    let (provider, app) = setup().await;
    // By hand, without a cookie jar, to replay exactly what a browser sent.
    let browser = &app.client;
    let (callback, cookie) = until_callback_with_cookie(&app, &provider, browser, "/").await;
    let first = browser.get(callback.clone()).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(first.status(), 303);
    assert!(session_cookie(&first).is_some());
    let replayed = browser.get(callback).header("cookie", &cookie).send().await.unwrap();
    assert_refused(replayed, 400, "did not accept this sign-in").await;

    // The same code with another verifier (as an attacker who stole only the code) is refused.
    let (callback, cookie) = until_callback_with_cookie(&app, &provider, browser, "/").await;
    let (name, value) = cookie.split_once('=').unwrap();
    let mut pending: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(value).unwrap()).unwrap();
    pending["pkce_verifier"] = "a-verifier-of-the-attackers-choosing-that-is-long-enough-0123456789".into();
    let forged = format!("{name}={}", URL_SAFE_NO_PAD.encode(pending.to_string()));
    let response = browser.get(callback).header("cookie", forged).send().await.unwrap();
    assert_refused(response, 400, "did not accept this sign-in").await;
    assert_eq!(app.store.count_users().await.unwrap(), 1);
}

#[tokio::test]
async fn bad_id_tokens_are_refused() {
    let (provider, app) = setup().await;
    for (fault, words) in [
        (TokenFault::WrongNonce, "nonce does not match"),
        (TokenFault::Expired, "has expired"),
        (TokenFault::BadSignature, "signature that does not verify"),
    ] {
        provider.set_fault(fault);
        let (_, response) = sign_in(&app, &provider, "/").await;
        assert_refused(response, 400, words).await;
    }
    assert_eq!(app.store.count_users().await.unwrap(), 0);
    provider.set_fault(TokenFault::None);
    assert_eq!(sign_in(&app, &provider, "/").await.1.status(), 303, "a good token still works");
}

#[tokio::test]
async fn a_reader_who_declines_at_the_provider_is_told_so() {
    let (provider, app) = setup().await;
    provider.deny_consent(true);
    let (_, response) = sign_in(&app, &provider, "/").await;
    assert_refused(response, 400, "Signing in with Example ID was cancelled or refused").await;
}

#[tokio::test]
async fn the_sign_in_page_offers_the_provider_only_when_configured() {
    let (_provider, app) = setup().await;
    let (_, page) = app.get_text("/signin?next=/account").await;
    assert!(
        page.contains("Sign in with Example ID") && page.contains("href=\"/signin/oidc?next=&#x2f;account\""),
        "{page}"
    );

    let plain = TestApp::spawn().await;
    assert!(!plain.get_text("/signin").await.1.contains("Sign in with"));
    assert_eq!(plain.get("/signin/oidc").await.status(), 404);
    assert_eq!(plain.get("/signin/oidc/callback?code=x&state=y").await.status(), 404);
}

#[tokio::test]
async fn the_next_page_stays_on_the_site() {
    let (provider, app) = setup().await;
    for next in
        ["//evil.example/", "/%5Cevil.example", "/%09/evil.example", "/%2509/evil.example", "https:evil.example"]
    {
        let start = app.reader().get(app.url(&format!("/signin/oidc?next={next}"))).send().await.unwrap();
        assert!(cookies(&start).iter().all(|c| !c.starts_with("tribune_oidc=")), "no sign-in started for {next}");
        assert_refused(start, 400, "must be a page on this site").await;
    }
    let (_, response) = sign_in(&app, &provider, "/articles/a?sort=newest").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/articles/a?sort=newest");

    // A cookie forged to name another site is no sign-in at all.
    let browser = &app.client;
    let (callback, cookie) = until_callback_with_cookie(&app, &provider, browser, "/").await;
    let (name, value) = cookie.split_once('=').unwrap();
    let mut pending: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(value).unwrap()).unwrap();
    pending["next"] = "/\t/evil.example".into();
    let forged = format!("{name}={}", URL_SAFE_NO_PAD.encode(pending.to_string()));
    let response = browser.get(callback).header("cookie", forged).send().await.unwrap();
    assert_refused(response, 400, "has expired or was started in another browser").await;
    assert_eq!(app.store.count_users().await.unwrap(), 1, "only the good sign-in made an account");
}

#[tokio::test]
async fn a_provider_that_cannot_be_reached_is_a_503_and_is_tried_again_later() {
    // A port with nothing listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let provider = OidcProvider::start().await;
    let app = TestApp::spawn_with_config_fn(|address| {
        let oidc = tribune_web::accounts::oidc::OidcConfig { issuer: format!("http://{closed}"), ..provider.config() };
        SiteConfig { oidc: Some(oidc), public_url: address.to_owned(), ..TestApp::config() }
    })
    .await;
    let response = app.get("/signin/oidc?next=/").await;
    assert!(response.headers().contains_key("retry-after"));
    assert_refused(response, 503, "Example ID cannot be reached just now").await;

    // A provider that is down for a while: the failure is not remembered.
    let (provider, app) = setup().await;
    provider.set_discovery_down(true);
    assert_refused(app.get("/signin/oidc?next=/").await, 503, "cannot be reached").await;
    provider.set_discovery_down(false);
    assert_eq!(sign_in(&app, &provider, "/").await.1.status(), 303);
}

#[tokio::test]
async fn no_secret_reaches_debug_output_or_the_logs() {
    let logs = Logs::capture();
    let sink = SmtpSink::start().await;
    let provider = OidcProvider::start().await;
    let sso_secret = "sso-secret-hunter2-long-enough-for-a-site";
    let smtp_password = "smtp-password-hunter2";
    let smtp = tribune_web::mail::SmtpConfig {
        username: Some("news".to_owned()),
        password: Some(smtp_password.into()),
        ..sink.config()
    };
    let mut debug = String::new();
    let app = TestApp::spawn_with_config_fn(|address| {
        provider.allow_redirect_uri(&format!("{address}/signin/oidc/callback"));
        let config = SiteConfig {
            oidc: Some(provider.config()),
            sso_jwt_secret: Some(sso_secret.into()),
            smtp: Some(smtp),
            public_url: address.to_owned(),
            mail_retry: MailRetry { attempts: 2, first_delay: Duration::from_millis(10) },
            ..TestApp::config()
        };
        debug = format!("{config:?} {config:#?}");
        config
    })
    .await;
    // The client secret goes to the provider's token endpoint.
    provider.sign_in_as(OidcUser::new("sub-quiet", "quiet@example.org", "Quiet Reader"));
    assert_eq!(sign_in(&app, &provider, "/account").await.1.status(), 303);
    // Single sign-on, refused and accepted.
    let jwt = sso_token(&sso_claims("s-1", "Sso Reader", "sso@example.org"), sso_secret);
    assert_eq!(app.get(&format!("/sso/jwt?token={jwt}x")).await.status(), 400);
    assert_eq!(app.reader().get(app.url(&format!("/sso/jwt?token={jwt}"))).send().await.unwrap().status(), 303);
    // Mail, with the SMTP password offered to a server that takes none: it fails, and says why in the log.
    app.post_form("/signin/email", &[("email", "quiet@example.org")]).await;
    logs.wait_for(&["gave up sending an e-mail", "quiet@example.org"], Duration::from_secs(10)).await;

    let logged = logs.text();
    assert!(logged.contains("/sso/jwt?token=***"), "requests are logged, their credentials masked");
    for secret in [sso_secret, smtp_password, provider.client_secret(), jwt.as_str()] {
        assert!(!debug.contains(secret), "{secret} in the settings' debug output: {debug}");
        assert!(!logged.contains(secret), "{secret} in the logs");
    }
}
