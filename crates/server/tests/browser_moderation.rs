//! A moderator clears a queue in a real Chromium: with the keyboard (j/k,
//! a, r, u) while JavaScript runs, and with the buttons when it does not.

use serde_json::json;
use tribune_domain::account::{Password, Role};
use tribune_domain::{CommentId, CommentStatus, Timestamp};
use tribune_store::NewUser;
use tribune_testkit::{Browser, JavaScript, TestApp};

/// A site that holds every comment, three of them waiting, and a moderator
/// with a password; returns the comments' ids.
async fn three_held_comments(app: &TestApp) -> anyhow::Result<Vec<i64>> {
    let saved = app
        .client
        .put(app.url("/api/v1/moderation/settings"))
        .bearer_auth(&app.admin_token)
        .json(&json!({ "premoderation": "all" }))
        .send()
        .await?;
    assert_eq!(saved.status(), 200);
    let slug = app.article().create().await;
    let mut ids = Vec::new();
    for (n, text) in
        ["A first careful comment", "An angry second comment", "A third thoughtful comment"].iter().enumerate()
    {
        let body = json!({ "name": format!("Reader {n}"), "email": format!("reader{n}@example.org"), "body": text });
        let created: serde_json::Value =
            app.post_json(&format!("/api/v1/articles/{slug}/comments"), &body).await.json().await?;
        assert_eq!(created["status"], "pending");
        ids.push(created["id"].as_i64().unwrap());
    }
    let password = Password::parse("the moderator's password")?;
    app.store
        .create_user(&NewUser {
            email: "mona@example.org".to_owned(),
            display_name: "Mona Moderator".to_owned(),
            password_hash: Some(tribune_web::accounts::password::hash(&password).map_err(anyhow::Error::msg)?),
            role: Role::Moderator,
            email_verified: true,
            created_at: Timestamp::now(),
        })
        .await?;
    Ok(ids)
}

async fn sign_in(browser: &Browser, app: &TestApp) -> anyhow::Result<()> {
    browser.client.goto(&app.url("/signin?next=/moderation")).await?;
    browser.fill("#field-email", "mona@example.org").await?;
    browser.fill("#field-password", "the moderator's password").await?;
    browser.click("form[action='/signin'] button[type=submit]").await?;
    browser.wait(".moderation-desk").await?;
    Ok(())
}

async fn status(app: &TestApp, id: i64) -> anyhow::Result<CommentStatus> {
    Ok(app.store.comment(CommentId(id)).await?.status)
}

#[tokio::test]
async fn a_moderator_clears_the_queue_with_the_keyboard_and_undoes_a_mistake() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let ids = three_held_comments(&app).await?;
    let browser = Browser::start(JavaScript::On).await?;
    sign_in(&browser, &app).await?;
    assert!(browser.wait(".keyboard-help").await?.is_displayed().await?, "the keys are explained");
    browser.client.execute("window.__stayed = 1;", vec![]).await?;

    browser.keys("ja").await?;
    browser.wait_for_text(".live-status", "Approved").await?;
    browser.wait_for_text(&format!("#card-{} .status-badge", ids[0]), "published").await?;
    browser.wait_for_text("[data-count='pending']", "2").await?;

    browser.keys("jr").await?;
    browser.wait_for_text(&format!("#card-{} .status-badge", ids[1]), "rejected").await?;
    assert_eq!(status(&app, ids[1]).await?, CommentStatus::Rejected);
    browser.keys("u").await?;
    browser.wait_for_text(".live-status", "Undone").await?;
    browser.wait_for_text(&format!("#card-{} .status-badge", ids[1]), "pending").await?;
    assert_eq!(status(&app, ids[1]).await?, CommentStatus::Pending, "the mistake is undone on the server");

    browser.keys("ja").await?;
    browser.wait_for_text(&format!("#card-{} .status-badge", ids[2]), "published").await?;
    browser.wait_for_text("[data-count='pending']", "1").await?;
    let stayed =
        browser.client.execute("return window.__stayed === undefined ? null : window.__stayed;", vec![]).await?;
    assert_eq!(stayed, json!(1), "every action applied without a reload");
    assert_eq!(
        [status(&app, ids[0]).await?, status(&app, ids[1]).await?, status(&app, ids[2]).await?],
        [CommentStatus::Published, CommentStatus::Pending, CommentStatus::Published]
    );
    browser.screenshot("moderation-keyboard").await?;

    browser.client.refresh().await?;
    browser.wait(".moderation-desk").await?;
    let cards = browser.client.find_all(fantoccini::Locator::Css("article.mod-card")).await?;
    assert_eq!(cards.len(), 1, "only the undone comment still waits");
    browser.close().await
}

#[tokio::test]
async fn without_javascript_every_button_still_decides_and_undoes() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let ids = three_held_comments(&app).await?;
    let browser = Browser::start(JavaScript::Off).await?;
    sign_in(&browser, &app).await?;

    browser.click(&format!("#card-{} .action-approve button", ids[0])).await?;
    let flash = browser.wait_for_text(".flash", "Approved Reader 0").await?;
    assert!(flash.contains("A first careful comment"), "{flash}");
    assert_eq!(status(&app, ids[0]).await?, CommentStatus::Published);
    browser.click(".undo-form button").await?;
    browser.wait_for_text(".flash", "Put back in the queue").await?;
    assert_eq!(status(&app, ids[0]).await?, CommentStatus::Pending);

    let select = browser.wait(&format!("#reason-{}", ids[1])).await?;
    select.select_by_value("harassment").await?;
    browser.fill(&format!("#note-{}", ids[1]), "Attacks another reader").await?;
    browser.click(&format!("#card-{} .action-reject button", ids[1])).await?;
    browser.wait_for_text(".flash", "Rejected Reader 1").await?;
    let rejected = app.store.comment(CommentId(ids[1])).await?;
    assert_eq!((rejected.status, rejected.reject_note.as_str()), (CommentStatus::Rejected, "Attacks another reader"));
    assert_eq!(rejected.reject_reason.map(|r| r.as_str()), Some("harassment"));
    browser.screenshot("moderation-no-javascript").await?;
    browser.close().await
}

#[tokio::test]
async fn a_reader_is_asked_to_think_again_and_sends_the_comment_for_review_without_a_reload() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let browser = Browser::start(JavaScript::On).await?;
    browser.client.goto(&app.url(&format!("/articles/{slug}"))).await?;
    assert!(!browser.wait(".think-notice").await?.is_displayed().await?, "no notice before posting");
    browser.fill("#field-body", "You are an idiot and a moron, shut up.").await?;
    browser.fill("#field-name", "Hot Head").await?;
    browser.fill("#field-email", "hot@example.org").await?;
    browser.click("#respond button[type=submit]").await?;

    let message = browser.wait_for_text("#error-send_anyway", "may break our discussion guidelines").await?;
    assert!(message.contains("a moderator will read it"), "{message}");
    assert!(browser.wait(".think-notice").await?.is_displayed().await?, "the notice shows");
    let kept = browser.wait("#field-body").await?.prop("value").await?.unwrap_or_default();
    assert_eq!(kept, "You are an idiot and a moron, shut up.", "the text is still there");
    let desk: serde_json::Value = app
        .client
        .get(app.url("/api/v1/moderation/queues/pending"))
        .bearer_auth(&app.admin_token)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(desk["counts"]["pending"], 0, "nothing stored yet");

    browser.click("#field-send_anyway").await?;
    browser.click("#respond button[type=submit]").await?;
    browser.wait_for_text("#pending-comments", "awaiting moderation").await?;
    browser.close().await
}
