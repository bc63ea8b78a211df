//! Flood limits on commenting: per guest address, per account, and behind a
//! trusted proxy per forwarded address.

use serde_json::json;
use tribune_testkit::TestApp;
use tribune_web::SiteConfig;

fn limited(per_minute: u32, trust_forwarded_for: bool) -> SiteConfig {
    SiteConfig { comments_per_minute: per_minute, trust_forwarded_for, ..SiteConfig::default() }
}

async fn post(app: &TestApp, slug: &str, forwarded_for: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&json!({"name": "Flo", "email": "flo@example.org", "body": "again"}));
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
