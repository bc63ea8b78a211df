//! End-to-end in a real headless Chromium, without JavaScript: an editor
//! signs in, uploads a photo through the newsroom's image page, is refused a
//! script named .jpg with the message next to the file field, and the photo
//! pasted into an article and set as its featured image shows on the page.

use fantoccini::Locator;
use serde_json::json;
use tribune_media::fixtures;
use tribune_testkit::{Browser, JavaScript, TestApp};

async fn scenario(app: &TestApp, browser: &Browser, files: &std::path::Path) -> anyhow::Result<()> {
    browser.client.goto(&app.url("/signin?next=/newsroom/images")).await?;
    browser.fill("#field-email", "eve@example.org").await?;
    browser.fill("#field-password", "a long enough secret").await?;
    browser.click("form[action='/signin'] button[type=submit]").await?;
    browser.wait_for_text("h1", "Images").await?;

    // A script dressed as a photo: refused, the words kept.
    let script = files.join("holiday.jpg");
    std::fs::write(&script, fixtures::SCRIPT)?;
    browser.client.find(Locator::Css("#field-file")).await?.send_keys(&script.display().to_string()).await?;
    browser.fill("#field-alt", "Boats in the harbour").await?;
    browser.click(".newsroom-images form button[type=submit]").await?;
    let error = browser.wait_for_text("#error-file", "not a JPEG").await?;
    assert!(error.contains("whatever its name says"), "{error}");
    let kept = browser.client.find(Locator::Css("#field-alt")).await?.prop("value").await?;
    assert_eq!(kept.as_deref(), Some("Boats in the harbour"));

    let photo = files.join("harbour.jpg");
    std::fs::write(&photo, fixtures::jpeg_with_exif_and_payload(1800, 900))?;
    browser.client.find(Locator::Css("#field-file")).await?.send_keys(&photo.display().to_string()).await?;
    browser.fill("#field-caption", "The fleet came home.").await?;
    browser.fill("#field-credit", "Photo: Eve Editor").await?;
    browser.click(".newsroom-images form button[type=submit]").await?;
    browser.wait("#uploaded").await?;
    let snippet =
        browser.client.find(Locator::Css("#uploaded-markdown")).await?.prop("value").await?.unwrap_or_default();
    assert!(snippet.starts_with("![Boats in the harbour](/media/") && snippet.ends_with("/1600.jpg)"), "{snippet}");
    let listed = browser.text(".image-list .image-item .image-markdown").await?;
    assert_eq!(listed, snippet);

    let slug =
        app.article().with("headline", "The fleet").with("body", format!("Home at last.\n\n{snippet}")).create().await;
    let key = snippet.split('/').nth(2).unwrap_or_default().to_owned();
    let featured = app
        .client
        .put(app.url(&format!("/api/v1/articles/{slug}/featured-image")))
        .bearer_auth(&app.admin_token)
        .json(&json!({ "image": key }))
        .send()
        .await?;
    assert_eq!(featured.status(), 200);

    browser.client.goto(&app.url(&format!("/articles/{slug}"))).await?;
    browser.wait_for_text("h1", "The fleet").await?;
    assert_eq!(browser.text(".featured-image .caption").await?, "The fleet came home.");
    assert_eq!(browser.text(".featured-image .credit").await?, "Photo: Eve Editor");
    let body_image = browser.client.find(Locator::Css(".story-body img")).await?;
    assert_eq!(body_image.attr("loading").await?.as_deref(), Some("lazy"));
    assert!(body_image.attr("srcset").await?.unwrap_or_default().contains(" 960w"));
    assert_eq!(body_image.attr("alt").await?.as_deref(), Some("Boats in the harbour"));
    Ok(())
}

#[tokio::test]
async fn an_editor_uploads_a_photo_without_javascript_and_it_leads_an_article() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    app.sign_up(&app.reader(), "Eve Editor", "eve@example.org", "a long enough secret").await;
    let eve = app.store.user_by_email("eve@example.org").await?;
    app.store.set_role(eve.id, tribune_domain::account::Role::Editor).await?;
    let files = tempfile::tempdir()?;
    let browser = Browser::start(JavaScript::Off).await?;
    let outcome = scenario(&app, &browser, files.path()).await;
    if outcome.is_err() {
        if let Ok(path) = browser.screenshot("browser-images-failure").await {
            eprintln!("screenshot of the failure: {}", path.display());
        }
    }
    browser.close().await?;
    outcome
}
