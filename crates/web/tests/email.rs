//! Links by e-mail, through a real SMTP server on loopback: sign-in links,
//! password resets, confirming an address. Nothing says who has an account.

use std::time::Duration;
use tribune_testkit::{Logs, SmtpSink, TestApp};
use tribune_web::mail::MailRetry;
use tribune_web::SiteConfig;

const PASSWORD: &str = "a long enough secret";

async fn mailing_site() -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with(SiteConfig { smtp: Some(sink.config()), ..TestApp::config() }).await;
    (app, sink)
}

/// The path of a link in an e-mail, to open it on the test server.
fn path_of(link: &str) -> String {
    let after_scheme = link.split_once("://").map_or(link, |(_, rest)| rest);
    format!("/{}", after_scheme.split_once('/').map_or("", |(_, path)| path))
}

#[tokio::test]
async fn a_new_account_gets_a_link_that_confirms_its_address() {
    let (app, sink) = mailing_site().await;
    let reader = app.reader();
    app.sign_up(&reader, "Nia", "nia@example.org", PASSWORD).await;
    let message = wait_for_message(&sink, "nia@example.org", "Subject: Confirm your e-mail address").await;
    let link = SmtpSink::link(&message, "http://127.0.0.1:8080/verify/");
    let token = link.rsplit('/').next().unwrap().to_owned();
    assert!(app.get_text(&path_of(&link)).await.1.contains("Confirm your e-mail address"));
    assert!(!app.store.user_by_email("nia@example.org").await.unwrap().email_verified);

    let confirmed = reader.post(app.url("/verify")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(confirmed.status(), 303);
    assert!(app.store.user_by_email("nia@example.org").await.unwrap().email_verified);
    let again = reader.post(app.url("/verify")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(again.status(), 400);
}

#[tokio::test]
async fn a_reader_signs_in_with_a_link_from_their_inbox() {
    let (app, sink) = mailing_site().await;
    app.sign_up(&app.reader(), "Oli", "oli@example.org", PASSWORD).await;
    let asked = app.post_form("/signin/email", &[("email", "OLI@example.org")]).await;
    assert_eq!(asked.status(), 200);
    let answer = asked.text().await.unwrap();
    assert!(answer.contains("If an account uses that address"));

    let typo = app.post_form("/signin/email", &[("email", "oli at example.org")]).await;
    assert_eq!(typo.status(), 422);
    let typo = typo.text().await.unwrap();
    assert!(typo.contains("valid e-mail address") && typo.contains("value=\"oli at example.org\""), "{typo}");

    let nobody = app.post_form("/signin/email", &[("email", "nobody@example.org")]).await.text().await.unwrap();
    assert!(nobody.contains("If an account uses that address"), "the same answer for an unknown address");

    let message = wait_for_message(&sink, "oli@example.org", "Subject: Your sign-in link").await;
    let token = SmtpSink::link(&message, "http://127.0.0.1:8080/signin/link/").rsplit('/').next().unwrap().to_owned();
    let reader = app.reader();
    let used = reader.post(app.url("/signin/link")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(used.status(), 303);
    assert!(reader.get(app.url("/account")).send().await.unwrap().text().await.unwrap().contains("oli@example.org"));
    assert!(sink.messages().iter().all(|m| !m.contains("nobody@example.org")), "no mail for unknown addresses");
}

#[tokio::test]
async fn a_forgotten_password_is_replaced_through_the_inbox() {
    let (app, sink) = mailing_site().await;
    let old_device = app.reader();
    app.sign_up(&old_device, "Pam", "pam@example.org", PASSWORD).await;
    app.post_form("/password/reset", &[("email", "pam@example.org")]).await;
    let message = wait_for_message(&sink, "pam@example.org", "Subject: Reset your password").await;
    let link = SmtpSink::link(&message, "http://127.0.0.1:8080/password/reset/");
    let token = link.rsplit('/').next().unwrap().to_owned();
    assert!(app.get_text(&path_of(&link)).await.1.contains("Choose a new password"));

    let reader = app.reader();
    let short = reader
        .post(app.url("/password/reset/confirm"))
        .form(&[("token", token.as_str()), ("new_password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), 422, "a bad password does not spend the link");
    let reset = reader
        .post(app.url("/password/reset/confirm"))
        .form(&[("token", token.as_str()), ("new_password", "my new long secret")])
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 303);
    assert_eq!(old_device.get(app.url("/account")).send().await.unwrap().status(), 303, "old sessions ended");
    let signin =
        app.reader().post(app.url("/signin")).form(&[("email", "pam@example.org"), ("password", "my new long secret")]);
    assert_eq!(signin.send().await.unwrap().status(), 303);
    let reused = app
        .reader()
        .post(app.url("/password/reset/confirm"))
        .form(&[("token", token.as_str()), ("new_password", "another long secret")])
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), 400);
}

/// Waits until the sink holds a message to `to` whose text contains `words`.
async fn wait_for_message(sink: &SmtpSink, to: &str, words: &str) -> String {
    for _ in 0..200 {
        let found = sink.messages().into_iter().find(|m| m.contains(&format!("To: {to}")) && m.contains(words));
        if let Some(message) = found {
            return message;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no e-mail to {to} with {words:?}; got {:?}", sink.messages())
}

#[tokio::test]
async fn known_and_unknown_addresses_get_the_same_answer_and_mail_waits_for_a_server_that_is_down() {
    let sink = SmtpSink::start().await;
    let retry = MailRetry { attempts: 50, first_delay: Duration::from_millis(100) };
    let app =
        TestApp::spawn_with(SiteConfig { smtp: Some(sink.config()), mail_retry: retry, ..TestApp::config() }).await;
    app.sign_up(&app.reader(), "Rae", "rae@example.org", PASSWORD).await;
    wait_for_message(&sink, "rae@example.org", "Confirm your e-mail address").await;

    sink.stop().await;
    for (path, subject) in [("/signin/email", "Your sign-in link"), ("/password/reset", "Reset your password")] {
        let known = app.post_form(path, &[("email", "rae@example.org")]).await;
        let unknown = app.post_form(path, &[("email", "nobody@example.org")]).await;
        assert_eq!((known.status().as_u16(), unknown.status().as_u16()), (200, 200), "{path}");
        let (known, unknown) = (known.text().await.unwrap(), unknown.text().await.unwrap());
        assert_eq!(known, unknown, "{path}: the same page whether or not the address has an account");
        assert!(known.contains("If an account uses that address"));
        assert!(sink.messages().iter().all(|m| !m.contains(subject)), "nothing sent while the server is down");
    }
    sink.resume().await;
    wait_for_message(&sink, "rae@example.org", "Your sign-in link").await;
    wait_for_message(&sink, "rae@example.org", "Reset your password").await;
    assert!(sink.messages().iter().all(|m| !m.contains("nobody@example.org")), "no mail for unknown addresses");
    assert_eq!(app.mailer.failed(), 0);
}

#[tokio::test]
async fn a_message_that_cannot_be_sent_is_logged_as_given_up_after_its_retries() {
    let logs = Logs::capture();
    let sink = SmtpSink::start().await;
    sink.stop().await;
    let retry = MailRetry { attempts: 3, first_delay: Duration::from_millis(50) };
    let app =
        TestApp::spawn_with(SiteConfig { smtp: Some(sink.config()), mail_retry: retry, ..TestApp::config() }).await;
    app.sign_up(&app.reader(), "Sol", "sol.gives-up@example.org", PASSWORD).await;
    let line = logs.wait_for(&["gave up sending an e-mail", "sol.gives-up@example.org"], Duration::from_secs(10)).await;
    assert!(line.contains("ERROR") && line.contains("attempt=3"), "{line}");
    let retries = logs.text().lines().filter(|l| l.contains("will try again") && l.contains("sol.gives-up@")).count();
    assert_eq!(retries, 2, "two pauses between three attempts");
    assert_eq!((app.mailer.sent(), app.mailer.failed()), (0, 1));
}

#[tokio::test]
async fn wrong_mail_settings_stop_the_app_with_the_reason_instead_of_printing_mail() {
    let wrong = tribune_web::mail::SmtpConfig { security: "ssl".to_owned(), ..SmtpSink::start().await.config() };
    let refused = TestApp::try_spawn_with(SiteConfig { smtp: Some(wrong), ..TestApp::config() }).await;
    let reason = refused.err().expect("the app must not start").to_string();
    assert!(reason.contains("smtp.security must be none, starttls or tls"), "{reason}");
}
