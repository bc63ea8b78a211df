//! Two readers in two real Chromium windows: one posts, the other is told
//! "1 new comment" without its page moving, then shows it.

use tribune_testkit::{Browser, JavaScript, TestApp};

#[tokio::test]
async fn a_second_reader_sees_the_new_comment_notice_then_the_comment() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    tribune_server::demo::seed(app.store.as_ref()).await?;
    let url = app.url("/articles/ferry-terminal-library");
    let reader = Browser::start(JavaScript::On).await?;
    let writer = Browser::start(JavaScript::On).await?;

    reader.client.goto(&url).await?;
    reader.wait("#comments .respond-home").await?;
    reader.client.execute("window.__marker = 1;", vec![]).await?;
    // Let the reader's event stream connect before anything is posted.
    wait_until_listening(&app).await?;

    writer.client.goto(&url).await?;
    writer.wait("#comments .respond-home").await?;
    writer.fill("#field-body", "Posted from the other window").await?;
    writer.fill("#field-name", "Writer").await?;
    writer.fill("#field-email", "writer@example.org").await?;
    writer.click("#respond button[type=submit]").await?;
    writer.wait_for_text("#comments-heading", "10 comments").await?;

    let notice = reader.wait_for_text(".live-notice", "1 new comment").await?;
    assert!(notice.contains("Show it"), "{notice}");
    reader.wait_for_text("#comments-heading", "10 comments on “Old ferry terminal").await?;
    let before = reader.text("#comments").await?;
    assert!(!before.contains("Posted from the other window"), "nothing is inserted until the reader asks");

    reader.click(".live-notice button").await?;
    let shown = reader.wait_for_text(r#"li.comment.is-new[data-number="5"]"#, "Posted from the other window").await?;
    assert!(shown.contains("Writer"), "{shown}");
    let marker =
        reader.client.execute("return window.__marker === undefined ? null : window.__marker;", vec![]).await?;
    assert_eq!(marker, serde_json::json!(1), "the page was never reloaded");
    assert!(!reader.wait(".live-notice").await?.is_displayed().await?, "the notice is gone once shown");
    reader.screenshot("browser-live-reader").await?;

    reader.close().await?;
    writer.close().await?;
    Ok(())
}

/// The reader's EventSource is subscribed once the hub counts one reader.
async fn wait_until_listening(app: &TestApp) -> anyhow::Result<()> {
    for _ in 0..100 {
        let article = app.store.article_by_slug(&tribune_domain::Slug::parse("ferry-terminal-library")?).await?;
        if app.live_readers(article.id) > 0 {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    anyhow::bail!("the reader never subscribed to live updates")
}
