//! A reader creates an account, comments under it and signs out, in a real
//! Chromium without JavaScript tricks: plain forms and links.

use tribune_testkit::{Browser, JavaScript, TestApp};

#[tokio::test]
async fn a_reader_signs_up_comments_as_themselves_and_signs_out() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    tribune_server::demo::seed(app.store.as_ref()).await?;
    let browser = Browser::start(JavaScript::On).await?;
    let article = app.url("/articles/ferry-terminal-library");

    browser.client.goto(&article).await?;
    browser.click(".account-nav a[href='/signin']").await?;
    browser.click("a[href^='/signup']").await?;
    browser.fill("#field-display_name", "Quinn Reader").await?;
    browser.fill("#field-email", "quinn@example.org").await?;
    browser.fill("#field-password", "short").await?;
    browser.click("form[action='/signup'] button[type=submit]").await?;
    let error = browser.wait_for_text("#error-password", "at least 10 characters").await?;
    assert!(error.contains("A password needs at least 10 characters."), "{error}");
    assert_eq!(browser.wait("#field-email").await?.prop("value").await?.as_deref(), Some("quinn@example.org"));

    browser.fill("#field-password", "a long enough secret").await?;
    browser.click("form[action='/signup'] button[type=submit]").await?;
    browser.wait_for_text(".account-nav .viewer-name", "Quinn Reader").await?;

    browser.client.goto(&article).await?;
    browser.wait("#comments .respond-home").await?;
    let commenting_as = browser.text(".commenting-as").await?;
    assert!(commenting_as.contains("Quinn Reader"), "{commenting_as}");
    browser.fill("#field-body", "Written while signed in").await?;
    browser.click("#respond button[type=submit]").await?;
    let mine = browser.wait_for_text(r#"li.comment.is-new[data-number="5"]"#, "Written while signed in").await?;
    assert!(mine.contains("Quinn Reader"), "{mine}");
    browser.screenshot("browser-accounts-signed-in").await?;

    browser.click(".account-nav button").await?;
    browser.wait_for_text(".account-nav", "Sign in").await?;
    browser.client.goto(&article).await?;
    assert!(browser.wait("#field-email").await.is_ok(), "signed out, the form asks for name and e-mail again");
    browser.close().await?;
    Ok(())
}
