//! End-to-end in a real headless Chromium, without JavaScript: a reader
//! searches from the masthead, finds an article with its match marked, reads
//! it, and follows its section and tag links to pages that list it.

use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::json;
use std::sync::Arc;
use tribune_testkit::{Browser, JavaScript, TestApp};

async fn texts(browser: &Browser, css: &str) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    for element in browser.client.find_all(Locator::Css(css)).await? {
        found.push(element.text().await?);
    }
    Ok(found)
}

async fn scenario(app: Arc<TestApp>, browser: Arc<Browser>) -> anyhow::Result<()> {
    browser.client.goto(&app.url("/")).await?;
    browser.fill(".masthead-search input[name=q]", "harbours").await?;
    browser.press(Key::Enter).await?;

    browser.wait(".search-results").await?;
    assert_eq!(texts(&browser, ".search-result h2").await?, ["Harbour wall repaired"]);
    assert_eq!(texts(&browser, ".search-result .snippet mark").await?, ["harbour"]);
    browser.click(".search-result h2 a").await?;

    browser.wait_for_text("h1", "Harbour wall repaired").await?;
    assert_eq!(texts(&browser, ".tags a").await?, ["Storms"]);
    browser.click(".story-header .kicker a").await?;
    browser.wait_for_text("h1.section-title", "Local").await?;
    assert_eq!(texts(&browser, ".teaser h2").await?, ["Harbour wall repaired"]);

    browser.click(".teaser h2 a").await?;
    browser.click(".tags a").await?;
    browser.wait_for_text("h1.tag-title", "Storms").await?;
    assert_eq!(texts(&browser, ".teaser h2").await?, ["Harbour wall repaired"]);
    Ok(())
}

#[tokio::test]
async fn a_reader_finds_an_article_through_search_and_its_section_and_tag_pages() -> anyhow::Result<()> {
    let app = Arc::new(TestApp::spawn().await);
    app.article()
        .with("headline", "Harbour wall repaired")
        .with("section", "Local")
        .with("tags", json!(["Storms"]))
        .with("body", "The storm damage to the old harbour is fixed two months early.")
        .create()
        .await;
    app.article().with("headline", "Council budget").with("section", "Politics").create().await;
    Browser::run(JavaScript::Off, "browser-newsroom-failure", |browser| scenario(app, browser)).await
}
