//! A reader creates an account, confirms it from the e-mail that reached a
//! real SMTP server, comments under it and signs out, in a real Chromium.

use tribune_testkit::{Answer, Browser, JavaScript, SmtpSink, TestApp, WebhookReceiver};
use tribune_web::SiteConfig;

#[tokio::test]
async fn a_reader_signs_up_comments_as_themselves_and_signs_out() -> anyhow::Result<()> {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with(SiteConfig { smtp: Some(sink.config()), ..TestApp::config() }).await;
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

    // The confirmation link, as the reader's mail program would show it.
    let message = sink.wait_for("quinn@example.org").await;
    let link = SmtpSink::link(&message, "http://127.0.0.1:8080/verify/");
    browser.client.goto(&link.replace("http://127.0.0.1:8080", &app.address)).await?;
    browser.click("form[action='/verify'] button[type=submit]").await?;
    let details = browser.wait_for_text(".account-email", "quinn@example.org").await?;
    assert!(!details.contains("not confirmed"), "the address is confirmed: {details}");

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

#[tokio::test]
async fn an_admin_finds_a_reader_suspends_them_and_makes_another_a_moderator() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let admin = app.reader();
    app.sign_up(&admin, "Ada Admin", "ada@example.org", "a long enough secret").await;
    let ada = app.store.user_by_email("ada@example.org").await?;
    app.store.set_role(ada.id, tribune_domain::account::Role::Admin).await?;
    let troll = app.reader();
    app.sign_up(&troll, "Troll Account", "troll@example.org", "a long enough secret").await;
    app.sign_up(&app.reader(), "Helpful Reader", "helpful@example.org", "a long enough secret").await;

    let browser = Browser::start(JavaScript::On).await?;
    browser.client.goto(&app.url("/signin?next=/admin/users")).await?;
    browser.fill("#field-email", "ada@example.org").await?;
    browser.fill("#field-password", "a long enough secret").await?;
    browser.click("form[action='/signin'] button[type=submit]").await?;
    browser.wait_for_text("h1", "Accounts").await?;

    browser.fill(".search-form input[name=q]", "TROLL").await?;
    browser.click(".search-form button").await?;
    let row = browser.wait_for_text("tr[data-email='troll@example.org']", "Active").await?;
    assert!(!browser.text("table.users").await?.contains("helpful@example.org"), "only what matches");
    assert!(row.contains("Troll Account"), "{row}");
    browser.click("tr[data-email='troll@example.org'] form[action$='/suspension'] button").await?;
    let row = browser.wait_for_text("tr[data-email='troll@example.org']", "Suspended").await?;
    assert!(row.contains("Reinstate"), "{row}");
    let search = browser.wait(".search-form input[name=q]").await?.prop("value").await?;
    assert_eq!(search.as_deref(), Some("TROLL"), "the admin is back on the list they were looking at");
    browser.screenshot("browser-admin-users").await?;

    browser.client.goto(&app.url("/admin/users?q=helpful")).await?;
    let select = browser.wait("tr[data-email='helpful@example.org'] select[name=role]").await?;
    select.select_by_value("moderator").await?;
    browser.click("tr[data-email='helpful@example.org'] form[action$='/role'] button").await?;
    // The row was on the page before the form was sent: wait for the change itself.
    let mut role = tribune_domain::account::Role::Commenter;
    for _ in 0..100 {
        role = app.store.user_by_email("helpful@example.org").await?.role;
        if role == tribune_domain::account::Role::Moderator {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(role, tribune_domain::account::Role::Moderator);
    browser.wait("tr[data-email='helpful@example.org']").await?;
    browser.close().await?;

    let refused = troll
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&serde_json::json!({"body": "still here"}))
        .send()
        .await?;
    assert_eq!(refused.status(), 403, "the suspension holds for the reader's open session");
    Ok(())
}

#[tokio::test]
async fn a_sign_on_link_whose_return_address_hides_another_site_leaves_the_reader_here() -> anyhow::Result<()> {
    let secret = "a shared secret of at least thirty-two characters";
    let app = TestApp::spawn_with(SiteConfig { sso_jwt_secret: Some(secret.into()), ..TestApp::config() }).await;
    // Another site on loopback, where the tab trick used to land.
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = elsewhere.local_addr()?.port();
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        while let Ok((mut stream, _)) = elsewhere.accept().await {
            let page = "<!doctype html><title>Elsewhere</title><p>another site";
            let answer =
                format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{page}", page.len());
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    let token = tribune_testkit::sso_token(&tribune_testkit::sso_claims("r-1", "Rae", "rae@example.org"), secret);
    let browser = Browser::start(JavaScript::Off).await?;
    browser.client.goto(&app.url(&format!("/sso/jwt?token={token}&next=/%09/127.0.0.1:{port}/x"))).await?;
    let landed = browser.client.current_url().await?;
    let here: u16 = app.address.rsplit(':').next().unwrap_or_default().parse()?;
    assert_eq!((landed.host_str(), landed.port()), (Some("127.0.0.1"), Some(here)), "landed on {landed}");
    let page = browser.text("main").await?;
    assert!(page.contains("must be a page on this site"), "{page}");
    assert_eq!(app.store.count_users().await?, 0, "nobody signed in on the way");
    browser.close().await?;
    Ok(())
}

#[tokio::test]
async fn an_admin_adds_a_webhook_keeps_its_secret_and_sends_a_failed_delivery_again() -> anyhow::Result<()> {
    let mut config = TestApp::config();
    config.moderation.delivery.poll = std::time::Duration::from_millis(100);
    config.moderation.delivery.retry_base = std::time::Duration::from_secs(600);
    let app = TestApp::spawn_with(config).await;
    let slug = app.article().create().await;
    let admin = app.reader();
    app.sign_up(&admin, "Ada Admin", "ada@example.org", "a long enough secret").await;
    let ada = app.store.user_by_email("ada@example.org").await?;
    app.store.set_role(ada.id, tribune_domain::account::Role::Admin).await?;
    let receiver = WebhookReceiver::start().await;
    receiver.answer(Answer::Status(500));

    // Without JavaScript: every step is a plain form.
    let browser = Browser::start(JavaScript::Off).await?;
    browser.client.goto(&app.url("/signin")).await?;
    browser.fill("#field-email", "ada@example.org").await?;
    browser.fill("#field-password", "a long enough secret").await?;
    browser.click("form[action='/signin'] button[type=submit]").await?;
    browser.click(".account-nav a[href='/admin/webhooks']").await?;
    browser.wait_for_text("h1", "Webhooks").await?;

    browser.fill("#field-url", "gopher://example.org/").await?;
    browser.click("form[action='/admin/webhooks'] button[type=submit]").await?;
    let summary = browser.wait_for_text(".error-summary", "Please check the form").await?;
    assert!(summary.contains("http:// or https://") && summary.contains("at least one event"), "{summary}");
    assert!(browser.text("#error-url").await?.contains("http:// or https://"), "the message is by its field");

    browser.fill("#field-url", &receiver.url).await?;
    browser.click("input[name=events][value='comment.created']").await?;
    browser.click("form[action='/admin/webhooks'] button[type=submit]").await?;
    let secret = browser.wait_for_text(".revealed-secret", "whsec_").await?;
    let key_id = browser.text(".revealed-key-id").await?;
    let row = browser.text("tr.endpoint").await?;
    assert!(row.contains(&receiver.url) && row.contains(&key_id) && row.contains("Active"), "{row}");

    app.comment(&slug, None, "Sent to a receiver that is down").await;
    receiver.wait_for(1).await;
    receiver.answer(Answer::Status(200));
    let mut log = String::new();
    for _ in 0..50 {
        browser.client.goto(&app.url("/admin/webhooks")).await?;
        log = browser.text("table.webhook-deliveries").await.unwrap_or_default();
        if log.contains("HTTP 500") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(log.contains("HTTP 500") && log.contains("Next attempt"), "{log}");
    assert!(!browser.text("main").await?.contains(&secret), "the secret is shown once only");

    browser.click("tr.delivery form[action$='/again'] button").await?;
    let again = receiver.wait_for(2).await.remove(1);
    assert_eq!(again.header("x-tribune-key-id"), key_id);
    browser.client.goto(&app.url("/admin/webhooks")).await?;
    browser.wait_for_text("tr.delivery-delivered", "Delivered").await?;
    browser.click("tr.endpoint form[action$='/active'] button").await?;
    browser.wait_for_text("tr.endpoint", "Paused").await?;
    browser.screenshot("browser-admin-webhooks").await?;
    browser.close().await?;
    Ok(())
}
