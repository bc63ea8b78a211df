//! End-to-end in a real headless Chromium, without JavaScript: a reader
//! opens a corrected article, sees the correction above the story, and
//! follows the byline to the author's page, which lists the article.

use fantoccini::Locator;
use serde_json::json;
use std::sync::Arc;
use tribune_testkit::{Browser, JavaScript, TestApp};

async fn scenario(app: Arc<TestApp>, browser: Arc<Browser>, slug: String) -> anyhow::Result<()> {
    browser.client.goto(&app.url(&format!("/articles/{slug}"))).await?;
    browser.wait_for_text("h1", "Bridge reopens").await?;
    let top = browser.text(".corrections-top .correction-note").await?;
    assert!(top.contains("opened in 1932, not 1931"), "{top}");
    // The correction comes before the story, as the reader scrolls.
    let note_y = browser.client.find(Locator::Css(".corrections-top")).await?.rectangle().await?.1;
    let body_y = browser.client.find(Locator::Css(".story-body")).await?.rectangle().await?.1;
    assert!(note_y < body_y, "the note ({note_y}) is above the story ({body_y})");
    assert!(browser.text(".corrections-bottom .correction-note").await?.contains("opened in 1932"));

    browser.click(".story-header .byline a[rel=author]").await?;
    browser.wait_for_text("h1.author-title", "Ada Byline").await?;
    assert!(browser.text(".author-bio").await?.contains("Covers bridges."));
    assert_eq!(browser.text(".teaser h2").await?, "Bridge reopens");
    Ok(())
}

#[tokio::test]
async fn a_reader_sees_a_correction_at_the_top_and_follows_the_byline_to_the_author() -> anyhow::Result<()> {
    let app = Arc::new(TestApp::spawn().await);
    let slug = app.article().with("headline", "Bridge reopens").create().await;
    let admin = |method: reqwest::Method, path: String, body: serde_json::Value| {
        app.client.request(method, app.url(&path)).bearer_auth(&app.admin_token).json(&body).send()
    };
    let profile = tribune_store::AuthorProfileWrite {
        slug: "ada-byline".to_owned(),
        name: "Ada Byline".to_owned(),
        bio: "Covers bridges.".to_owned(),
        photo_url: String::new(),
        user_id: None,
        at: tribune_domain::Timestamp::now(),
    };
    app.store.create_author(&profile).await?;
    let bylines =
        admin(reqwest::Method::PUT, format!("/api/v1/articles/{slug}/bylines"), json!({"authors": ["ada-byline"]}));
    assert_eq!(bylines.await?.status(), 200);
    let note =
        json!({"note": "Correction: an earlier version said the bridge opened in 1931; it opened in 1932, not 1931."});
    let corrected = admin(reqwest::Method::POST, format!("/api/v1/articles/{slug}/corrections"), note);
    assert_eq!(corrected.await?.status(), 201);

    Browser::run(JavaScript::Off, "browser-corrections-failure", |browser| scenario(app, browser, slug)).await
}
