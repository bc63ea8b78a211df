//! What a person sees, in a real Chromium, on a phone (390 px wide) and on a
//! desktop (1280 px): no page wider than the screen, no control cut off, the
//! masthead's links clear of the site's name, a focus ring and a skip link for
//! keyboard users, an error summary that takes the focus; and a tab that reads
//! ten articles in a row, back and forward, without stalling on live streams.
//!
//! Every check of a page adds to one list of problems, so that a failure names
//! all of them at once; screenshots land in target/test-output/.

use fantoccini::key::Key;
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::Locator;
use serde_json::{json, Value};
use std::time::Duration;
use tribune_domain::{ArticleId, Slug};
use tribune_testkit::{Browser, JavaScript, Launch, TestApp};

const SLUG: &str = "ferry-terminal-library";
const ADMIN_NAME: &str = "Margarethe Okonkwo-Villanueva";
const PASSWORD: &str = "a long enough secret";

/// What is wrong with the page in view: anything wider than the screen, any
/// control partly off it, anything in the masthead lying over the site's name.
const LAYOUT_PROBLEMS: &str = r##"
const problems = [];
const page = document.documentElement;
const width = page.clientWidth;
if (page.scrollWidth > width) problems.push(`the page is ${page.scrollWidth} px wide on a ${width} px screen`);
const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ")[0] : ""} "${(el.textContent || el.value || "").trim().slice(0, 30)}"`;
const shown = (box) => box.width > 1 && box.height > 1;
for (const el of document.querySelectorAll("a, button, input, select, textarea, label, h1, h2, h3, p, td, th, li, time")) {
  const box = el.getBoundingClientRect();
  if (!shown(box)) continue;
  if (box.left < -0.5 || box.right > width + 0.5) problems.push(`${describe(el)} runs off the screen (${Math.round(box.left)} to ${Math.round(box.right)} px)`);
}
const name = document.querySelector(".site-name").getBoundingClientRect();
for (const el of document.querySelectorAll(".account-nav a, .account-nav button")) {
  const box = el.getBoundingClientRect();
  if (!shown(box)) continue;
  const overlaps = box.left < name.right && name.left < box.right && box.top < name.bottom && name.top < box.bottom;
  if (overlaps) problems.push(`${describe(el)} lies over the site name`);
}
return problems;
"##;

/// The demo article, with a discussion that has everything that can stretch
/// a page: a 300-character link typed bare, a 200-character word, and a
/// reply chain deeper than the thread shows.
async fn site_with_a_long_discussion() -> (TestApp, Discussion) {
    let app = TestApp::spawn().await;
    tribune_server::demo::seed(app.store.as_ref()).await.expect("seed the demo");
    let long_url = format!("https://example.org/{}", "archive/".repeat(35) + "minutes.pdf");
    assert!(long_url.len() > 300);
    let long_link = post(&app, "Lars Eklund", &format!("The minutes are here: {long_url} (see page 4)."), None).await;
    let long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(5);
    post(&app, "Word Collector", &format!("My favourite word: {}", &long_word[..200]), None).await;
    let mut parent = None;
    for name in ["Ada Quill", "Ben Ortiz", "Cleo Marsh", "Dev Anand", "Eve Rowe", "Finn Lowe"] {
        parent = Some(post(&app, name, &format!("{name} answers."), parent).await);
    }
    let beside_its_target = parent.expect("the last reply");
    (app, Discussion { long_link, beside_its_target })
}

/// Comments of note in that discussion.
struct Discussion {
    long_link: i64,
    /// Finn Lowe's answer to Eve Rowe, who is at the deepest level: shown beside her.
    beside_its_target: i64,
}

async fn post(app: &TestApp, name: &str, body: &str, parent: Option<i64>) -> i64 {
    let email = format!("{}@example.org", name.split(' ').next().unwrap_or("x").to_lowercase());
    let response = app
        .post_json(
            &format!("/api/v1/articles/{SLUG}/comments"),
            &json!({ "name": name, "email": email, "body": body, "parent_id": parent }),
        )
        .await;
    assert_eq!(response.status(), 201, "posting as {name}");
    response.json::<Value>().await.expect("json")["id"].as_i64().expect("id")
}

/// An admin account with a long name, as a reader of a small site might have.
async fn admin_account(app: &TestApp) -> anyhow::Result<()> {
    app.sign_up(&app.reader(), ADMIN_NAME, "margarethe@example.org", PASSWORD).await;
    let admin = app.store.user_by_email("margarethe@example.org").await?;
    app.store.set_role(admin.id, tribune_domain::account::Role::Admin).await?;
    for n in 1..=3 {
        app.sign_up(&app.reader(), &format!("Reader Number {n}"), &format!("reader{n}@example.org"), PASSWORD).await;
    }
    let model = std::sync::Arc::new(tribune_moderation::scorer::Model::default_model().clone());
    let perspective = tribune_app::perspective::Perspective::new(app.store.clone(), model);
    let actor = tribune_store::Actor { id: Some(admin.id), name: ADMIN_NAME.to_owned() };
    perspective.create_key("Coral on www.a-newspaper-with-a-rather-long-address.example.org", &actor).await?;
    Ok(())
}

/// Opens `path`, screenshots it as `shot`, and adds what is wrong with its layout to `problems`.
async fn look_at(browser: &Browser, url: &str, shot: &str, problems: &mut Vec<String>) -> anyhow::Result<()> {
    browser.client.goto(url).await?;
    browser.wait("footer").await?;
    check_layout(browser, shot, problems).await
}

async fn check_layout(browser: &Browser, shot: &str, problems: &mut Vec<String>) -> anyhow::Result<()> {
    let path = browser.screenshot(shot).await?;
    eprintln!("screenshot: {}", path.display());
    let found = browser.client.execute(LAYOUT_PROBLEMS, vec![]).await?;
    for problem in found.as_array().into_iter().flatten() {
        problems.push(format!("{shot}: {}", problem.as_str().unwrap_or_default()));
    }
    Ok(())
}

/// The card of the comment with this id.
fn card(id: i64) -> String {
    format!("#comment-{id} > .comment-card")
}

/// Scrolls the element matching `css` to the middle of the screen, for a screenshot of it.
async fn scroll_to(browser: &Browser, css: &str) -> anyhow::Result<()> {
    browser.wait(css).await?;
    let script = "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});";
    browser.client.execute(script, vec![json!(css)]).await?;
    Ok(())
}

/// The article, the sign-in page, the admin's list of accounts and the account
/// page, at one screen width, signed out and then signed in as an admin.
async fn every_page_fits(
    browser: &Browser,
    app: &TestApp,
    discussion: &Discussion,
    label: &str,
) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let article = app.url(&format!("/articles/{SLUG}"));
    look_at(browser, &article, &format!("{label}-article"), &mut problems).await?;
    let bare_link = ".comment-body a[href^='https://example.org/archive/']";
    match browser.client.find_all(Locator::Css(bare_link)).await?.first() {
        Some(link) if link.attr("rel").await?.as_deref() == Some("nofollow ugc noopener") => {}
        Some(_) => problems.push("the bare link in a comment lacks rel=\"nofollow ugc noopener\"".to_owned()),
        None => problems.push("the bare link in a comment is not a link".to_owned()),
    }
    scroll_to(browser, &format!("{} .comment-body", card(discussion.long_link))).await?;
    check_layout(browser, &format!("{label}-article-long-comments"), &mut problems).await?;
    scroll_to(browser, &format!("{} .comment-body", card(discussion.beside_its_target))).await?;
    check_layout(browser, &format!("{label}-article-deep-replies"), &mut problems).await?;
    let replying = browser.text(&format!("{} .comment-meta", card(discussion.beside_its_target))).await?;
    if !replying.contains("in reply to Eve Rowe") {
        problems.push(format!("the reply placed beside its target does not say whom it answers: {replying:?}"));
    }

    look_at(browser, &app.url("/signin?next=/admin/users"), &format!("{label}-signin"), &mut problems).await?;
    browser.fill("#field-email", "margarethe@example.org").await?;
    browser.fill("#field-password", PASSWORD).await?;
    browser.click("form[action='/signin'] button[type=submit]").await?;
    browser.wait_for_text("h1", "Accounts").await?;
    check_layout(browser, &format!("{label}-admin-users"), &mut problems).await?;
    look_at(browser, &app.url("/admin/api-keys"), &format!("{label}-admin-api-keys"), &mut problems).await?;

    look_at(browser, &app.url("/account"), &format!("{label}-account"), &mut problems).await?;
    look_at(browser, &article, &format!("{label}-article-signed-in"), &mut problems).await?;
    Ok(problems)
}

#[tokio::test]
async fn on_a_phone_every_page_fits_the_screen_and_the_keyboard_focus_shows() -> anyhow::Result<()> {
    let (app, discussion) = site_with_a_long_discussion().await;
    admin_account(&app).await?;
    let browser = Browser::start_with(JavaScript::On, 390, 844).await?;
    let outcome = async {
        let mut problems = every_page_fits(&browser, &app, &discussion, "phone").await?;

        // A keyboard user's first Tab reaches a visible skip link; Enter moves the focus to the content.
        browser.client.goto(&app.url(&format!("/articles/{SLUG}"))).await?;
        browser.wait("#comments .respond-home").await?;
        browser.press(Key::Tab).await?;
        let focused = focus_report(&browser).await?;
        if focused["class"] != "skip-link" {
            problems.push(format!("the first Tab focuses {focused}, not the skip link"));
        } else if focused["top"].as_f64().unwrap_or(-1.0) < 0.0 || focused["width"].as_f64().unwrap_or(0.0) < 40.0 {
            problems.push(format!("the focused skip link is not visible: {focused}"));
        }
        check_focus_ring(&focused, "the skip link", &mut problems);
        browser.screenshot("phone-skip-link").await?;
        browser.press(Key::Enter).await?;
        let focused = focus_report(&browser).await?;
        if focused["id"] != "main" {
            problems.push(format!("the skip link moved the focus to {focused}, not to the main content"));
        }
        // The dark submit button, focused after keyboard use, keeps a ring that shows against the page.
        scroll_to(&browser, "#respond button[type=submit]").await?;
        browser.press(Key::Tab).await?;
        browser.client.execute("document.querySelector('#respond button[type=submit]').focus();", vec![]).await?;
        let focused = focus_report(&browser).await?;
        check_focus_ring(&focused, "the Post comment button", &mut problems);
        browser.screenshot("phone-button-focus").await?;
        assert!(problems.is_empty(), "on a 390 px screen:\n{}", problems.join("\n"));
        Ok::<_, anyhow::Error>(())
    }
    .await;
    browser.close().await?;
    outcome
}

/// The focused element: its id and class, where it is, and its outline.
async fn focus_report(browser: &Browser) -> anyhow::Result<Value> {
    let script = r#"
const el = document.activeElement;
const box = el.getBoundingClientRect();
const style = getComputedStyle(el);
const rgb = (color) => (color.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
const luminance = ([r, g, b]) => {
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
};
const page = luminance(rgb(getComputedStyle(document.body).backgroundColor));
const ring = luminance(rgb(style.outlineColor));
const contrast = (Math.max(page, ring) + 0.05) / (Math.min(page, ring) + 0.05);
return { id: el.id, class: String(el.className), tag: el.tagName.toLowerCase(), top: box.top, width: box.width,
         outline_style: style.outlineStyle, outline_width: parseFloat(style.outlineWidth), contrast };
"#;
    Ok(browser.client.execute(script, vec![]).await?)
}

/// A focus ring at least 2 px thick whose colour stands out 3:1 from the page (WCAG 2.4.13).
fn check_focus_ring(focused: &Value, what: &str, problems: &mut Vec<String>) {
    let solid = focused["outline_style"] == "solid";
    let thick = focused["outline_width"].as_f64().unwrap_or(0.0) >= 2.0;
    let contrast = focused["contrast"].as_f64().unwrap_or(0.0) >= 3.0;
    if !(solid && thick && contrast) {
        problems.push(format!("{what} has no clear focus ring: {focused}"));
    }
}

#[tokio::test]
async fn on_a_desktop_every_page_fits_and_a_refused_comment_moves_the_focus_to_its_errors() -> anyhow::Result<()> {
    let (app, discussion) = site_with_a_long_discussion().await;
    admin_account(&app).await?;
    let browser = Browser::start_with(JavaScript::On, 1280, 900).await?;
    let outcome = async {
        let mut problems = every_page_fits(&browser, &app, &discussion, "desktop").await?;

        // Signed out again, a guest sends the form empty: the summary takes the
        // focus and links to each field.
        browser.click(".account-nav button").await?;
        browser.wait_for_text(".account-nav", "Sign in").await?;
        browser.client.goto(&app.url(&format!("/articles/{SLUG}"))).await?;
        browser.wait("#comments .respond-home").await?;
        let limit = browser.text("#respond .hint-length").await?;
        if !limit.contains("10,000 characters") {
            problems.push(format!("the form does not say its length limit: {limit:?}"));
        }
        browser.fill("#field-body", "Twelve chars").await?;
        let count = browser.wait_for_text("#respond .char-count", "left").await?;
        if count != "9,988 characters left" {
            problems.push(format!("the counter says {count:?} after 12 characters"));
        }
        browser.fill("#field-body", "").await?;
        browser.click("#respond button[type=submit]").await?;
        browser.wait_for_text("#respond .error-summary", "Please write a comment.").await?;
        let focused = focus_report(&browser).await?;
        if focused["class"] != "error-summary" {
            problems.push(format!("after a refused comment the focus is on {focused}, not the error summary"));
        }
        let summary = browser.text("#respond .error-summary").await?;
        let expected = "Please check the form\nPlease write a comment.\nPlease give a name.\n\
                        Please give your e-mail address; it is never shown.";
        if summary != expected {
            problems.push(format!("the error summary, in the order of the form, is {summary:?}"));
        }
        browser.screenshot("desktop-error-summary").await?;
        browser.click("#respond .error-summary a[href='#field-email']").await?;
        let focused = focus_report(&browser).await?;
        if focused["id"] != "field-email" {
            problems.push(format!("the summary's e-mail link focuses {focused}, not the e-mail field"));
        }
        assert!(problems.is_empty(), "on a 1280 px screen:\n{}", problems.join("\n"));
        Ok::<_, anyhow::Error>(())
    }
    .await;
    browser.close().await?;
    outcome
}

/// Ten articles read one after another in one tab, then three pages back and
/// two forward, with the back/forward cache on: each page listens live while
/// shown and lets its stream go when left, so the browser's six connections
/// per site are never used up by pages left behind.
#[tokio::test]
async fn ten_article_views_in_one_tab_each_close_their_live_stream_when_left() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let mut articles: Vec<(String, ArticleId)> = Vec::new();
    for n in 1..=10 {
        let slug = app.article().with("headline", format!("Story number {n}")).create().await;
        let id = app.store.article_by_slug(&Slug::parse(&slug)?).await?.id;
        articles.push((slug, id));
    }
    let browser = Browser::launch(Launch { back_forward_cache: true, ..Launch::new(JavaScript::On) }).await?;
    // A stalled page fails the test in seconds rather than after the default five minutes.
    browser.client.update_timeouts(TimeoutConfiguration::new(None, Some(Duration::from_secs(20)), None)).await?;
    let outcome = async {
        for (n, (slug, _)) in articles.iter().enumerate() {
            browser.client.goto(&app.url(&format!("/articles/{slug}"))).await?;
            browser.wait_for_text("h1", &format!("Story number {}", n + 1)).await?;
            browser.wait("#comments .respond-home").await?;
            browser.client.execute("window.__view = arguments[0];", vec![json!(n)]).await?;
            only_live_reader_of(&app, &articles, n).await?;
        }
        for (back, shown) in [(true, 8), (true, 7), (true, 6), (false, 7), (false, 8)] {
            if back {
                browser.client.back().await?;
            } else {
                browser.client.forward().await?;
            }
            browser.wait_for_text("h1", &format!("Story number {}", shown + 1)).await?;
            let view =
                browser.client.execute("return window.__view === undefined ? null : window.__view;", vec![]).await?;
            assert_eq!(view, json!(shown), "the page came back from the back/forward cache, as it would for a reader");
            only_live_reader_of(&app, &articles, shown).await?;
        }
        Ok::<_, anyhow::Error>(())
    }
    .await;
    if outcome.is_err() {
        let _ = browser.screenshot("browser-live-streams-failure").await;
    }
    browser.close().await?;
    outcome
}

/// Waits until the article shown is the only one with a live reader, and it has exactly one.
async fn only_live_reader_of(app: &TestApp, articles: &[(String, ArticleId)], shown: usize) -> anyhow::Result<()> {
    let counts = || articles.iter().map(|(_, id)| app.live_readers(*id)).collect::<Vec<_>>();
    for _ in 0..100 {
        let now = counts();
        if now.iter().enumerate().all(|(n, count)| *count == usize::from(n == shown)) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("showing story {}: live readers per story are {:?}", shown + 1, counts())
}
