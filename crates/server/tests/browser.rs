//! End-to-end: a real headless Chromium reads the demo article and takes part
//! in its discussion, once with JavaScript (inline reply, posting without
//! leaving the page) and once without (plain links and form posts).
//!
//! Each test has its own server, database and browser. The scenario runs in
//! an inner function so that the browser is closed (and a screenshot of the
//! failure saved under target/test-output/) whatever happens.

use fantoccini::Locator;
use serde_json::json;
use tribune_testkit::{Browser, JavaScript, TestApp};

const SLUG: &str = "ferry-terminal-library";
const HEADLINE: &str = "Old ferry terminal will become Saltmarsh's new public library";

/// A fresh site with the demo article and its nine comments.
async fn demo_site() -> TestApp {
    let app = TestApp::spawn().await;
    tribune_server::demo::seed(app.store.as_ref()).await.expect("seed the demo");
    app
}

fn article_url(app: &TestApp) -> String {
    app.url(&format!("/articles/{SLUG}"))
}

/// The `li.comment` shown with this number, e.g. "2.1".
fn comment(number: &str) -> String {
    format!(r#"li.comment[data-number="{number}"]"#)
}

/// The Reply link of the comment with this number (not of its replies).
fn reply_link(number: &str) -> String {
    format!("{} > .comment-card .reply-link", comment(number))
}

/// The visible numbers of the top-level comments, in page order.
async fn top_level_numbers(browser: &Browser) -> anyhow::Result<Vec<String>> {
    let mut numbers = Vec::new();
    let css = "#comments > ol.comment-list > li.comment > .comment-card .comment-number";
    for element in browser.client.find_all(Locator::Css(css)).await? {
        numbers.push(element.text().await?);
    }
    Ok(numbers)
}

/// What a form field currently holds (what the reader typed or the server kept).
async fn field_value(browser: &Browser, css: &str) -> anyhow::Result<String> {
    Ok(browser.wait(css).await?.prop("value").await?.unwrap_or_default())
}

/// Whether the element matching `css` is inside the visible part of the window.
async fn is_in_view(browser: &Browser, css: &str) -> anyhow::Result<bool> {
    let script = "const box = document.querySelector(arguments[0]).getBoundingClientRect();\n\
                  return box.top >= 0 && box.bottom <= window.innerHeight;";
    Ok(browser.client.execute(script, vec![json!(css)]).await? == json!(true))
}

#[tokio::test]
async fn with_javascript_a_reader_comments_and_replies_without_leaving_the_page() -> anyhow::Result<()> {
    let app = demo_site().await;
    let url = article_url(&app);
    Browser::run(JavaScript::On, "browser-js-failure", |browser| {
        async move {
            browser.client.goto(&url).await?;
            // tribune.js has enhanced the discussion once it marks the form's home.
            browser.wait("#comments .respond-home").await?;
            let heading = browser.text("#comments-heading").await?;
            assert_eq!(heading, format!("9 comments on “{HEADLINE}”"));
            assert!(heading.starts_with("9 comments on “Old ferry terminal"), "{heading}");

            // Any navigation would wipe this.
            browser.client.execute("window.__marker = 1;", vec![]).await?;
            let marker = || async {
                browser.client.execute("return window.__marker === undefined ? null : window.__marker;", vec![]).await
            };

            // A top-level comment through the form at the bottom.
            browser.fill("#field-body", "Will the *café* on the pier stay open?").await?;
            browser.fill("#field-name", "Ada Quill").await?;
            browser.fill("#field-email", "ada@example.org").await?;
            browser.click("#respond button[type=submit]").await?;

            browser.wait_for_text("#comments-heading", "10 comments on “Old ferry terminal").await?;
            let mine = browser.wait(&format!("#comments > ol.comment-list > {}.is-new", comment("5"))).await?;
            assert_eq!(mine.find(Locator::Css(".comment-number")).await?.text().await?, "5");
            assert_eq!(mine.find(Locator::Css(".comment-author")).await?.text().await?, "Ada Quill");
            assert_eq!(
                mine.find(Locator::Css(".comment-body")).await?.text().await?,
                "Will the café on the pier stay open?"
            );
            assert_eq!(mine.find(Locator::Css(".comment-body em")).await?.text().await?, "café");
            assert_eq!(top_level_numbers(&browser).await?, ["1", "2", "3", "4", "5"]);
            assert_eq!(marker().await?, json!(1), "posting reloaded the page");
            assert_eq!(browser.client.current_url().await?.as_str(), url);
            // The form is empty again for the next comment.
            assert_eq!(field_value(&browser, "#field-body").await?, "");

            // Reply to 2.1: the one form moves under that comment.
            browser.click(&reply_link("2.1")).await?;
            let form_in_place = format!("{} > form#respond", comment("2.1"));
            browser.wait(&form_in_place).await?;
            let title = browser.text("#respond .form-title").await?;
            assert!(title.starts_with("Reply to Noor Haddad (Tribune)"), "form title: {title}");
            let focused = browser.client.active_element().await?.attr("id").await?;
            assert_eq!(focused.as_deref(), Some("field-body"), "the comment box has the focus");
            assert_eq!(browser.client.find_all(Locator::Css("form#respond")).await?.len(), 1);

            browser.fill(&format!("{form_in_place} #field-body"), "Thank you, please do link it.").await?;
            browser.fill("#field-name", "Ada Quill").await?;
            browser.fill("#field-email", "ada@example.org").await?;
            browser.click("#respond button[type=submit]").await?;

            browser.wait_for_text("#comments-heading", "11 comments").await?;
            let nested = format!("{} > ol.replies > {}", comment("2.1"), comment("2.1.1"));
            let reply = browser.wait(&format!("{nested}.is-new")).await?;
            assert_eq!(reply.find(Locator::Css(".comment-number")).await?.text().await?, "2.1.1");
            assert_eq!(reply.find(Locator::Css(".comment-body")).await?.text().await?, "Thank you, please do link it.");
            // The rest of thread 2 kept its numbers.
            browser.wait(&format!("{} > ol.replies > {}", comment("2"), comment("2.2"))).await?;
            assert_eq!(top_level_numbers(&browser).await?, ["1", "2", "3", "4", "5"]);
            assert_eq!(marker().await?, json!(1), "replying reloaded the page");
            // After posting, the form went back to the end of the discussion.
            browser.wait("#comments > .respond-home + form#respond").await?;
            assert_eq!(browser.text("#respond .form-title").await?, "Join the discussion");

            // Forgetting the comment itself: the message sits by the comment box,
            // and nothing typed is lost.
            browser.fill("#field-body", "").await?;
            browser.fill("#field-name", "Ada Quill").await?;
            browser.fill("#field-email", "ada@example.org").await?;
            browser.click("#respond button[type=submit]").await?;
            let error = browser.wait_for_text("#field-body ~ .field-error", "Please write a comment.").await?;
            assert_eq!(error, "Please write a comment.");
            let invalid = browser.wait("#field-body").await?.attr("aria-invalid").await?;
            assert_eq!(invalid.as_deref(), Some("true"));
            assert_eq!(field_value(&browser, "#field-name").await?, "Ada Quill");
            assert_eq!(field_value(&browser, "#field-email").await?, "ada@example.org");
            // The answer came: nothing still claims to be posting.
            assert_eq!(browser.text("#respond .form-status").await?, "");
            assert_eq!(browser.text("#comments-heading").await?, format!("11 comments on “{HEADLINE}”"));
            assert_eq!(marker().await?, json!(1), "the failed post reloaded the page");

            let shot = browser.screenshot("browser-javascript").await?;
            eprintln!("screenshot: {}", shot.display());
            Ok(())
        }
    })
    .await
}

#[tokio::test]
async fn without_javascript_a_reader_replies_through_links_and_form_posts() -> anyhow::Result<()> {
    let app = demo_site().await;
    let url = article_url(&app);
    Browser::run(JavaScript::Off, "browser-no-js-failure", |browser| {
        async move {
            browser.client.goto(&url).await?;
            assert_eq!(browser.text("#comments-heading").await?, format!("9 comments on “{HEADLINE}”"));
            // No script ran: the form still sits in its home position.
            assert!(browser.client.find_all(Locator::Css(".respond-home")).await?.is_empty());

            // Reply is a real link to a page with the form set up for that comment.
            browser.click(&reply_link("1.1.1")).await?;
            browser.wait_for_text("#respond .form-title .reply-target", "Ines Calder").await?;
            let reply_page = browser.client.current_url().await?;
            assert!(reply_page.query().is_some_and(|q| q.contains("reply_to=")), "{reply_page}");
            assert_eq!(reply_page.fragment(), Some("respond"));

            browser.fill("#field-body", "Long tables it is. See you there at 7:40.").await?;
            browser.fill("#field-name", "Ravi Menon").await?;
            browser.fill("#field-email", "ravi@example.org").await?;
            browser.click("#respond button[type=submit]").await?;

            // Back on the article, at the new comment's anchor.
            browser.wait_for_text("#comments-heading", "10 comments on “Old ferry terminal").await?;
            let nested = format!("{} > ol.replies > {}", comment("1.1.1"), comment("1.1.1.1"));
            let mine = browser.wait(&nested).await?;
            assert_eq!(mine.find(Locator::Css(".comment-number")).await?.text().await?, "1.1.1.1");
            assert_eq!(mine.find(Locator::Css(".comment-author")).await?.text().await?, "Ravi Menon");
            assert_eq!(
                mine.find(Locator::Css(".comment-body")).await?.text().await?,
                "Long tables it is. See you there at 7:40."
            );
            let id = mine.attr("id").await?.expect("comments have ids");
            let landed = browser.client.current_url().await?;
            assert_eq!(landed.path(), format!("/articles/{SLUG}"));
            assert_eq!(landed.fragment(), Some(id.as_str()), "landed at {landed}");
            assert_eq!(top_level_numbers(&browser).await?, ["1", "2", "3", "4"]);
            // The form is a plain top-level form again.
            assert_eq!(browser.text("#respond .form-title").await?, "Join the discussion");

            // A mistyped address: the page comes back with the message by the
            // e-mail field and everything typed still there.
            browser.fill("#field-body", "One more thing about the clock.").await?;
            browser.fill("#field-name", "Ravi Menon").await?;
            browser.fill("#field-email", "ravi at example.org").await?;
            browser.click("#respond button[type=submit]").await?;
            let error = browser.wait_for_text("#field-email ~ .field-error", "valid e-mail address").await?;
            assert_eq!(error, "Please give a valid e-mail address, like name@example.org.");
            let invalid = browser.wait("#field-email").await?.attr("aria-invalid").await?;
            assert_eq!(invalid.as_deref(), Some("true"));
            assert_eq!(field_value(&browser, "#field-body").await?, "One more thing about the clock.");
            assert_eq!(field_value(&browser, "#field-name").await?, "Ravi Menon");
            assert_eq!(field_value(&browser, "#field-email").await?, "ravi at example.org");
            assert_eq!(browser.text("#field-body ~ .field-error").await?, "");
            // The reader is shown the form with the message, not the top of the article.
            let answer = browser.client.current_url().await?;
            assert_eq!(answer.fragment(), Some("respond"), "the answer page is at {answer}");
            assert!(is_in_view(&browser, "#field-email ~ .field-error").await?, "the message is out of sight");
            assert_eq!(browser.text("#comments-heading").await?, format!("10 comments on “{HEADLINE}”"));

            let shot = browser.screenshot("browser-no-javascript").await?;
            eprintln!("screenshot: {}", shot.display());
            Ok(())
        }
    })
    .await
}

#[tokio::test]
async fn newest_first_lists_the_latest_comment_first_and_keeps_the_numbers() -> anyhow::Result<()> {
    let app = demo_site().await;
    let url = article_url(&app);
    Browser::run(JavaScript::On, "browser-sort-failure", |browser| {
        async move {
            browser.client.goto(&url).await?;
            browser.wait_for_text("nav.sort [aria-current]", "Oldest first").await?;
            assert_eq!(top_level_numbers(&browser).await?, ["1", "2", "3", "4"]);

            browser.client.find(Locator::LinkText("Newest first")).await?.click().await?;
            browser.wait_for_text("nav.sort [aria-current]", "Newest first").await?;
            assert_eq!(top_level_numbers(&browser).await?, ["4", "3", "2", "1"]);
            let first = "#comments > ol.comment-list > li.comment:first-child > .comment-card";
            assert_eq!(browser.text(&format!("{first} .comment-author")).await?, "Jonas Reed");
            assert!(browser.text(&format!("{first} .comment-body")).await?.contains("twenty past four"));
            // Replies keep their numbers and stay under their comments.
            for (parent, reply) in [("1", "1.1"), ("1.1", "1.1.1"), ("2", "2.1"), ("2", "2.2"), ("2.2", "2.2.1")] {
                browser.wait(&format!("{} > ol.replies > {}", comment(parent), comment(reply))).await?;
            }
            assert_eq!(browser.text("#comments-heading").await?, format!("9 comments on “{HEADLINE}”"));
            Ok(())
        }
    })
    .await
}
