//! Flood limits: comments per guest address, per account, and behind a
//! trusted proxy per forwarded address; password guesses per account; mails
//! per mailbox.

use serde_json::json;
use tribune_testkit::TestApp;
use tribune_web::SiteConfig;

/// A new number each call: a flood of distinct comments, not one repeated.
fn next() -> usize {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn limited(per_minute: u32, trust_forwarded_for: bool) -> SiteConfig {
    SiteConfig { comments_per_minute: per_minute, trust_forwarded_for, ..SiteConfig::default() }
}

async fn post(app: &TestApp, slug: &str, forwarded_for: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&json!({"name": "Flo", "email": "flo@example.org", "body": format!("comment number {}", next())}));
    if let Some(ip) = forwarded_for {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_guest_posting_too_fast_is_told_when_to_try_again() {
    let app = TestApp::spawn_with(limited(3, false)).await;
    let slug = app.article().create().await;
    for _ in 0..3 {
        assert_eq!(post(&app, &slug, None).await.status(), 201);
    }
    let refused = post(&app, &slug, None).await;
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "too_many_requests");
    assert_eq!(
        app.get(&format!("/api/v1/articles/{slug}/comments")).await.json::<serde_json::Value>().await.unwrap()["total"],
        3
    );
    // An untrusted X-Forwarded-For changes nothing.
    assert_eq!(post(&app, &slug, Some("203.0.113.9")).await.status(), 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_reader_has_their_own_limit() {
    let app = TestApp::spawn_with(limited(2, true)).await;
    let slug = app.article().create().await;
    for _ in 0..2 {
        assert_eq!(post(&app, &slug, Some("198.51.100.1")).await.status(), 201);
    }
    assert_eq!(post(&app, &slug, Some("198.51.100.1")).await.status(), 429);
    assert_eq!(post(&app, &slug, Some("10.0.0.1, 198.51.100.2")).await.status(), 201, "another reader");
}

#[tokio::test]
async fn an_account_is_limited_wherever_it_posts_from() {
    let app = TestApp::spawn_with(limited(2, true)).await;
    let slug = app.article().create().await;
    let reader = app.reader();
    app.sign_up(&reader, "Gus", "gus@example.org", "a long enough secret").await;
    for ip in ["198.51.100.7", "198.51.100.8"] {
        let sent = reader
            .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
            .header("x-forwarded-for", ip)
            .json(&json!({"body": "hi"}))
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 201);
    }
    let third = reader
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .header("x-forwarded-for", "198.51.100.9")
        .json(&json!({"body": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(third.status(), 429);
}

#[tokio::test]
async fn password_guesses_on_one_account_are_limited_across_addresses() {
    let config = SiteConfig { sign_ins_per_minute: 3, trust_forwarded_for: true, ..SiteConfig::default() };
    let app = TestApp::spawn_with(config).await;
    app.sign_up(&app.reader(), "Vic", "vic@example.org", "a long enough secret").await;
    let attempt = |ip: String, email: &'static str, password: &'static str| {
        app.client
            .post(app.url("/signin"))
            .header("x-forwarded-for", ip)
            .form(&[("email", email), ("password", password)])
            .send()
    };
    for n in 0..3 {
        let wrong = attempt(format!("198.51.100.{n}"), "Vic@Example.org", "guess number one").await.unwrap();
        assert_eq!(wrong.status(), 422, "a wrong password from a fresh address");
    }
    let fourth = attempt("198.51.100.50".to_owned(), "vic@example.org", "a long enough secret").await.unwrap();
    assert_eq!(fourth.status(), 429, "even the right password waits once the account is under attack");
    assert!(fourth.headers().contains_key("retry-after"));
    let other = attempt("198.51.100.51".to_owned(), "someone@example.org", "whatever it is").await.unwrap();
    assert_eq!(other.status(), 422, "other accounts are untouched");
}

#[tokio::test]
async fn one_mailbox_gets_a_limited_number_of_links_whoever_asks() {
    let config = SiteConfig { emails_per_hour: 2, trust_forwarded_for: true, ..SiteConfig::default() };
    let app = TestApp::spawn_with(config).await;
    for (n, door) in ["/password/reset", "/signin/email"].iter().enumerate() {
        let sent = app
            .client
            .post(app.url(door))
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .form(&[("email", "flooded@example.org")])
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200);
    }
    let third = app
        .client
        .post(app.url("/password/reset"))
        .header("x-forwarded-for", "203.0.113.77")
        .form(&[("email", "FLOODED@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(third.status(), 429, "the same whether or not the address has an account");
    let elsewhere =
        app.client.post(app.url("/password/reset")).form(&[("email", "calm@example.org")]).send().await.unwrap();
    assert_eq!(elsewhere.status(), 200);
}
