//! End-to-end in a real headless Chromium, with JavaScript: an author
//! uploads a photo and writes an article with it and a pull-quote (seeing
//! both in the live preview) and submits it; an editor schedules it a few
//! seconds ahead; it publishes itself; a reader finds it through search and
//! on its section page, photo and pull-quote included.

use fantoccini::Locator;
use std::sync::Arc;
use std::time::Duration;
use tribune_domain::account::Password;
use tribune_domain::account::Role;
use tribune_domain::{ArticleStatus, Timestamp};
use tribune_store::NewUser;
use tribune_testkit::{Browser, JavaScript, TestApp};

const BODY: &str = "The lamp at Saltmarsh Point shone again last night.\n\n## Forty years dark\n\n> \u{201c}Ships will see us again.\u{201d}\n>\n> \u{2014} Kim Lee, keeper\n";

/// Signs the browser in, through the sign-in form, as a new account with `role`.
async fn sign_in_as(app: &TestApp, browser: &Browser, role: Role, name: &str) -> anyhow::Result<()> {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let password = Password::parse("a long enough password")?;
    app.store
        .create_user(&NewUser {
            email: email.clone(),
            display_name: name.to_owned(),
            password_hash: Some(tribune_web::accounts::password::hash(&password).map_err(anyhow::Error::msg)?),
            role,
            email_verified: true,
            created_at: Timestamp::now(),
        })
        .await?;
    browser.client.delete_all_cookies().await?;
    browser.client.goto(&app.url("/signin?next=/newsroom")).await?;
    browser.fill("#field-email", &email).await?;
    browser.fill("#field-password", "a long enough password").await?;
    browser.click("form[action='/signin'] button[type=submit]").await?;
    browser.wait(".newsroom").await?;
    Ok(())
}

/// Signs an existing account in again through the form.
async fn sign_in_again(app: &TestApp, browser: &Browser, email: &str) -> anyhow::Result<()> {
    browser.client.goto(&app.url("/signin?next=/newsroom")).await?;
    browser.fill("#field-email", email).await?;
    browser.fill("#field-password", "a long enough password").await?;
    browser.click("form[action='/signin'] button[type=submit]").await?;
    browser.wait(".newsroom").await?;
    Ok(())
}

async fn scenario(app: Arc<TestApp>, browser: Arc<Browser>) -> anyhow::Result<()> {
    sign_in_as(&app, &browser, Role::Author, "Ann Author").await?;
    // The photo first: uploaded through the no-JavaScript form, its Markdown copied.
    let files = tempfile::tempdir()?;
    let photo = files.path().join("lamp.jpg");
    std::fs::write(&photo, tribune_media::fixtures::jpeg_with_exif_and_payload(1200, 800))?;
    browser.client.goto(&app.url("/newsroom/images")).await?;
    browser.client.find(Locator::Css("#field-file")).await?.send_keys(&photo.display().to_string()).await?;
    browser.fill("#field-alt", "The lamp room at dusk").await?;
    browser.click(".newsroom-images form button[type=submit]").await?;
    browser.wait("#uploaded").await?;
    let snippet =
        browser.client.find(Locator::Css("#uploaded-markdown")).await?.prop("value").await?.unwrap_or_default();
    assert!(snippet.starts_with("![The lamp room at dusk](/media/"), "{snippet}");

    browser.client.goto(&app.url("/newsroom/new")).await?;
    browser.fill("#field-headline", "Lighthouse relit").await?;
    browser.fill("#field-standfirst", "The lamp shines after forty years.").await?;
    browser.fill("#field-section", "Coast").await?;
    browser.fill("#field-body", &format!("{BODY}\n{snippet}\n")).await?;
    // The photo also leads the article, with its own words there.
    let key = app.store.recent_images(None, 1).await?.remove(0).key;
    browser.fill("#field-featured_image", &key).await?;
    browser.fill("#field-featured_caption", "The lamp, relit.").await?;
    browser.wait_for_text("#preview-story figure.featured-image figcaption", "The lamp, relit.").await?;
    // The live preview is the public page's rendering.
    browser.wait_for_text("#preview-story figure.pull-quote figcaption", "Kim Lee, keeper").await?;
    browser.wait("#preview-story img[alt='The lamp room at dusk'][srcset]").await?;
    browser.wait_for_text("#preview-story h2", "Forty years dark").await?;
    browser.click("button[value=save]").await?;
    browser.wait("#saved").await?;
    browser.click("button.transition-submit").await?;
    browser.wait_for_text(".article-status", "submitted").await?;
    let edit_url = browser.client.current_url().await?;

    sign_in_as(&app, &browser, Role::Editor, "Ed Editor").await?;
    browser.client.goto(&app.url("/newsroom")).await?;
    browser.click("nav.tabs a[href='/newsroom?status=submitted']").await?;
    browser.wait_for_text(".newsroom-articles li[data-status=submitted]", "Lighthouse relit").await?;
    browser.client.goto(edit_url.as_str()).await?;
    let at = Timestamp(Timestamp::now().0 + 3_000);
    browser.fill("#field-publish_at", &at.rfc3339()).await?;
    browser.click("button.transition-schedule").await?;
    browser.wait_for_text(".article-status", "scheduled").await?;

    let slug = "lighthouse-relit";
    let mut published = false;
    for _ in 0..100 {
        let article = app.store.article_by_slug(&tribune_domain::Slug::parse(slug)?).await?;
        if article.status == ArticleStatus::Published {
            published = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(published, "the scheduled article published itself");

    browser.client.delete_all_cookies().await?;
    browser.client.goto(&app.url("/search?q=lighthouse")).await?;
    browser.wait_for_text(".search-result h2", "Lighthouse relit").await?;
    browser.click(".search-result h2 a").await?;
    browser.wait_for_text("h1", "Lighthouse relit").await?;
    browser.wait_for_text(".story-body figure.pull-quote figcaption", "Kim Lee, keeper").await?;
    browser.wait_for_text("figure.featured-image figcaption", "The lamp, relit.").await?;
    let photo = browser.wait(".story-body img[alt='The lamp room at dusk']").await?;
    let srcset = photo.attr("srcset").await?.unwrap_or_default();
    assert!(srcset.contains("480w") && srcset.contains("960w"), "{srcset}");
    let src = photo.attr("src").await?.unwrap_or_default();
    let served = reqwest::get(app.url(&src)).await?;
    assert_eq!(served.status(), 200, "{src}");
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    browser.click(".story-header .kicker a").await?;
    browser.wait_for_text("h1.section-title", "Coast").await?;
    let teasers = browser.client.find_all(Locator::Css(".teaser h2")).await?;
    let mut titles = Vec::new();
    for teaser in teasers {
        titles.push(teaser.text().await?);
    }
    assert_eq!(titles, ["Lighthouse relit"]);
    Ok(())
}

#[tokio::test]
async fn an_author_writes_an_editor_schedules_and_a_reader_finds_the_published_article() -> anyhow::Result<()> {
    let config = tribune_web::SiteConfig { schedule_poll: Duration::from_millis(200), ..TestApp::config() };
    let app = Arc::new(TestApp::spawn_with(config).await);
    Browser::run(JavaScript::On, "browser-authoring-failure", |browser| scenario(app, browser)).await
}

async fn expired_session(app: Arc<TestApp>, browser: Arc<Browser>) -> anyhow::Result<()> {
    sign_in_as(&app, &browser, Role::Author, "Ann Author").await?;
    browser.client.goto(&app.url("/newsroom/new")).await?;
    browser.fill("#field-headline", "Autosaved").await?;
    browser.fill("#field-section", "Coast").await?;
    browser.fill("#field-body", "First words.").await?;
    browser.click("button[value=save]").await?;
    browser.wait("#saved").await?;
    let edit_url = browser.client.current_url().await?;
    // The session ends (signed out everywhere) while the author is still typing.
    let author = app.store.user_by_email("ann.author@example.org").await?;
    app.store.delete_user_sessions(author.id).await?;
    browser.fill("#field-body", "First words. Then a paragraph typed after the session ended.").await?;
    browser.wait_for_text("#autosave-status", "session has ended").await?;
    let stored = app.store.article_by_slug(&tribune_domain::Slug::parse("autosaved")?).await?;
    assert_eq!(stored.body_markdown, "First words.", "the failed save wrote nothing");

    sign_in_again(&app, &browser, "ann.author@example.org").await?;
    browser.client.goto(edit_url.as_str()).await?;
    browser.wait("#restore-offer").await?;
    browser.click("#restore-draft").await?;
    let body = browser.wait("#field-body").await?.prop("value").await?.unwrap_or_default();
    assert_eq!(body, "First words. Then a paragraph typed after the session ended.");
    // And the next autosave keeps it on the server.
    browser.wait_for_text("#autosave-status", "Saved as revision").await?;
    let stored = app.store.article_by_slug(&tribune_domain::Slug::parse("autosaved")?).await?;
    assert_eq!(stored.body_markdown, body);
    Ok(())
}

#[tokio::test]
async fn text_typed_after_the_session_expired_is_offered_back_after_signing_in_again() -> anyhow::Result<()> {
    let app = Arc::new(TestApp::spawn().await);
    Browser::run(JavaScript::On, "browser-autosave-failure", |browser| expired_session(app, browser)).await
}
