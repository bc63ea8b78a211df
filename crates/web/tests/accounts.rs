//! Accounts through HTTP: sign up, sign in and out, sessions, roles, limits.

use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::TestApp;
use tribune_web::SiteConfig;

const PASSWORD: &str = "a long enough secret";

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("tribune_session="))
        .expect("a session cookie")
}

#[tokio::test]
async fn a_reader_signs_up_is_signed_in_and_comments_under_their_account() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let reader = app.reader();
    let response = reader
        .post(app.url("/signup"))
        .form(&[
            ("display_name", "Rosa Quill"),
            ("email", "Rosa@Example.org"),
            ("password", PASSWORD),
            ("next", "/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/account");
    let cookie = session_cookie(&response);
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");

    let account = reader.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(account.contains("Rosa Quill") && account.contains("rosa@example.org") && account.contains("commenter"));

    let page = reader.get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Commenting as <strong>Rosa Quill</strong>"), "the form knows the reader");
    assert!(!page.contains("id=\"field-email\""), "no name or e-mail to type");

    let posted = reader
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&json!({"body": "Signed-in comment", "name": "Someone Else"}))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 201);
    let created: Value = posted.json().await.unwrap();
    assert_eq!(created["author"]["name"], "Rosa Quill", "the account's name, not what was typed");
    let stored = app.store.comment(tribune_domain::CommentId(created["id"].as_i64().unwrap())).await.unwrap();
    assert_eq!(stored.author_email, "rosa@example.org");
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_wrong_passwords_say_nothing_about_accounts() {
    let app = TestApp::spawn().await;
    let first = app.reader();
    app.sign_up(&first, "Ben", "ben@example.org", PASSWORD).await;

    let second = app.reader();
    let wrong = second.post(app.url("/signin")).form(&[("email", "ben@example.org"), ("password", "not the password")]);
    let wrong = wrong.send().await.unwrap();
    assert_eq!(wrong.status(), 422);
    let wrong_text = wrong.text().await.unwrap();
    let unknown = second.post(app.url("/signin")).form(&[("email", "nobody@example.org"), ("password", PASSWORD)]);
    let unknown_text = unknown.send().await.unwrap().text().await.unwrap();
    let message = "That e-mail address and password do not match.";
    assert!(wrong_text.contains(message) && unknown_text.contains(message), "the same answer for both");

    let one = second.post(app.url("/signin")).form(&[("email", "BEN@example.org"), ("password", PASSWORD)]);
    let one = session_cookie(&one.send().await.unwrap());
    let two = second.post(app.url("/signin")).form(&[("email", "ben@example.org"), ("password", PASSWORD)]);
    let two = session_cookie(&two.send().await.unwrap());
    assert_ne!(one, two, "each sign-in issues a new token");
    let stale = app.client.get(app.url("/account")).header("cookie", one.split(';').next().unwrap()).send().await;
    assert_eq!(stale.unwrap().status(), 303, "the replaced session no longer signs in");
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let app = TestApp::spawn().await;
    let laptop = app.reader();
    app.sign_up(&laptop, "Cy", "cy@example.org", PASSWORD).await;
    let phone = app.reader();
    let signed_in = phone.post(app.url("/signin")).form(&[("email", "cy@example.org"), ("password", PASSWORD)]);
    assert_eq!(signed_in.send().await.unwrap().status(), 303);
    assert_eq!(phone.get(app.url("/account")).send().await.unwrap().status(), 200);

    let out = laptop.post(app.url("/signout/everywhere")).send().await.unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(phone.get(app.url("/account")).send().await.unwrap().status(), 303, "the phone is signed out too");
    assert_eq!(laptop.get(app.url("/account")).send().await.unwrap().status(), 303);
}

#[tokio::test]
async fn bad_sign_ups_are_answered_next_to_each_field() {
    let app = TestApp::spawn().await;
    let reader = app.reader();
    app.sign_up(&reader, "Dee", "dee@example.org", PASSWORD).await;
    let response = app
        .reader()
        .post(app.url("/signup"))
        .form(&[("display_name", ""), ("email", "dee@example.org"), ("password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Please give a name."), "{html}");
    assert!(html.contains("A password needs at least 10 characters."));
    assert!(!html.contains("short"), "a password is never echoed back");
    let summary = &html[html.find("class=\"error-summary\"").expect("an error summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    assert!(summary.contains("<a href=\"#field-display_name\">Please give a name.</a>"), "{summary}");
    assert!(summary.contains("<a href=\"#field-password\">A password needs at least 10 characters.</a>"));
    let taken = app.reader().post(app.url("/signup"));
    let taken = taken.form(&[("display_name", "Dee 2"), ("email", "DEE@example.org"), ("password", PASSWORD)]);
    assert!(taken.send().await.unwrap().text().await.unwrap().contains("already exists"));
    assert_eq!(app.store.count_users().await.unwrap(), 1);
}

#[tokio::test]
async fn only_editors_and_admins_publish_articles() {
    let app = TestApp::spawn().await;
    let reader = app.reader();
    app.sign_up(&reader, "Eve", "eve@example.org", PASSWORD).await;
    let article = json!({"headline": "By an editor", "byline": "Eve", "section": "News", "body": "x"});
    let refused = reader.post(app.url("/api/v1/articles")).json(&article).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "forbidden");

    let eve = app.store.user_by_email("eve@example.org").await.unwrap();
    app.store.set_role(eve.id, Role::Editor).await.unwrap();
    let created = reader.post(app.url("/api/v1/articles")).json(&article).send().await.unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(app.store.count_articles().await.unwrap(), 1);
}

#[tokio::test]
async fn a_site_may_require_accounts_to_comment() {
    let app = TestApp::spawn_with(SiteConfig { guests_may_comment: false, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    let guest = app
        .post_json(
            &format!("/api/v1/articles/{slug}/comments"),
            &json!({"name": "G", "email": "g@example.org", "body": "hi"}),
        )
        .await;
    assert_eq!(guest.status(), 401);
    assert_eq!(guest.json::<Value>().await.unwrap()["code"], "sign_in_required");
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(page.contains("to join the discussion") && !page.contains("id=\"respond\""));

    let reader = app.reader();
    app.sign_up(&reader, "Fay", "fay@example.org", PASSWORD).await;
    let member = reader.post(app.url(&format!("/api/v1/articles/{slug}/comments"))).json(&json!({"body": "hi"}));
    assert_eq!(member.send().await.unwrap().status(), 201);
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_address() {
    let app = TestApp::spawn_with(SiteConfig { sign_ins_per_minute: 3, ..TestApp::config() }).await;
    let attempt = || {
        app.client.post(app.url("/signin")).form(&[("email", "x@example.org"), ("password", "wrong password")]).send()
    };
    for _ in 0..3 {
        assert_eq!(attempt().await.unwrap().status(), 422);
    }
    let limited = attempt().await.unwrap();
    assert_eq!(limited.status(), 429);
    let retry: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
}

#[tokio::test]
async fn account_forms_refuse_cross_site_posts_and_foreign_redirects() {
    let app = TestApp::spawn().await;
    let forged = app
        .client
        .post(app.url("/signup"))
        .header("origin", "https://evil.example")
        .form(&[("display_name", "Mallory"), ("email", "m@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(app.store.count_users().await.unwrap(), 0);

    let reader = app.reader();
    let response = reader
        .post(app.url("/signup"))
        .form(&[
            ("display_name", "Gil"),
            ("email", "gil@example.org"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400, "never redirected off the site");
    assert_eq!(app.store.count_users().await.unwrap(), 0, "and no account made on the way");
}

/// `next` values that lead a browser (or a server that decodes twice) to
/// another origin: as typed in a form, so `%09` stays three characters and
/// `\t` is a real tab.
const OFF_SITE: &[&str] = &[
    "//evil.example/x",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\u{b}/evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%2f/evil.example",
    "/%5c/evil.example",
    "/..//evil.example",
    "/\u{3000}/evil.example",
    "https://evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "evil.example",
];

fn has_session_cookie(response: &reqwest::Response) -> bool {
    response.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("tribune_session="))
}

#[tokio::test]
async fn a_return_address_off_the_site_is_refused_before_anyone_signs_in_or_up() {
    let app =
        TestApp::spawn_with(SiteConfig { sign_ins_per_minute: 1000, sign_ups_per_hour: 1000, ..TestApp::config() })
            .await;
    app.sign_up(&app.reader(), "Ned", "ned@example.org", PASSWORD).await;
    for next in OFF_SITE {
        let signin = app.client.post(app.url("/signin")).form(&[
            ("email", "ned@example.org"),
            ("password", PASSWORD),
            ("next", next),
        ]);
        let signin = signin.send().await.unwrap();
        assert_eq!(signin.status(), 400, "sign-in with next={next:?}");
        assert!(!has_session_cookie(&signin), "nobody is signed in with next={next:?}");
        assert!(signin.text().await.unwrap().contains("must be a page on this site"));

        let signup = app.client.post(app.url("/signup")).form(&[
            ("display_name", "Someone"),
            ("email", "someone@example.org"),
            ("password", PASSWORD),
            ("next", next),
        ]);
        let signup = signup.send().await.unwrap();
        assert_eq!(signup.status(), 400, "sign-up with next={next:?}");
        assert!(!has_session_cookie(&signup));

        let query = serde_urlencoded::to_string([("next", next)]).unwrap();
        for page in ["/signin", "/signup"] {
            assert_eq!(app.get(&format!("{page}?{query}")).await.status(), 400, "{page}?{query}");
        }
    }
    assert_eq!(app.store.count_users().await.unwrap(), 1, "no account was made");

    let home = app.client.post(app.url("/signin")).form(&[
        ("email", "ned@example.org"),
        ("password", PASSWORD),
        ("next", "/articles/some-story?sort=newest#comments"),
    ]);
    let home = home.send().await.unwrap();
    assert_eq!(home.status(), 303);
    assert_eq!(home.headers()["location"], "/articles/some-story?sort=newest#comments");
    let blank =
        app.client.post(app.url("/signin")).form(&[("email", "ned@example.org"), ("password", PASSWORD), ("next", "")]);
    assert_eq!(blank.send().await.unwrap().headers()["location"], "/", "no return address: the front page");
}

#[tokio::test]
async fn single_sign_on_refuses_a_return_address_off_the_site_before_signing_in() {
    let secret = "a shared secret of at least thirty-two characters";
    let app = TestApp::spawn_with(SiteConfig { sso_jwt_secret: Some(secret.into()), ..TestApp::config() }).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let claims = json!({"sub": "site-9", "name": "Ola", "email": "ola@example.org", "exp": now + 120, "iat": now});
    let token = site_token(&claims, secret);
    for next in OFF_SITE.iter().chain(&["/%09/127.0.0.1:18199/x"]) {
        let query = serde_urlencoded::to_string([("token", token.as_str()), ("next", next)]).unwrap();
        let response = app.reader().get(app.url(&format!("/sso/jwt?{query}"))).send().await.unwrap();
        assert_eq!(response.status(), 400, "next={next:?}");
        assert!(!has_session_cookie(&response));
    }
    // The form from the report, exactly as sent: the tab is percent-encoded in the query.
    let raw = app.reader().get(app.url(&format!("/sso/jwt?token={token}&next=/%09/127.0.0.1:18199/x"))).send().await;
    assert_eq!(raw.unwrap().status(), 400);
    assert_eq!(app.store.count_users().await.unwrap(), 0, "nobody was signed in or created");

    let fine = app.reader().get(app.url(&format!("/sso/jwt?token={token}&next=/account"))).send().await.unwrap();
    assert_eq!(fine.status(), 303);
    assert_eq!(fine.headers()["location"], "/account");
}

#[tokio::test]
async fn control_characters_in_the_return_address_are_a_4xx_and_sign_no_one_in() {
    let app = TestApp::spawn().await;
    app.sign_up(&app.reader(), "Pia", "pia@example.org", PASSWORD).await;
    for next in ["/\n", "/\r\n", "/\u{b}", "/\u{0}", "/\u{7f}", "/x\r\nSet-Cookie: a=b"] {
        let response = app
            .client
            .post(app.url("/signin"))
            .form(&[("email", "pia@example.org"), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "next={next:?}");
        assert!(!has_session_cookie(&response), "next={next:?}");
    }
}

/// A JWT as a site's backend would sign it (HS256).
fn site_token(claims: &Value, secret: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{header}.{payload}").as_bytes());
    format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

#[tokio::test]
async fn a_site_signs_its_readers_in_with_a_short_lived_token() {
    let secret = "a shared secret of at least thirty-two characters";
    let app = TestApp::spawn_with(SiteConfig { sso_jwt_secret: Some(secret.into()), ..TestApp::config() }).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let claims =
        json!({"sub": "site-7", "name": "Hana Site", "email": "Hana@Example.org", "exp": now + 120, "iat": now});

    let reader = app.reader();
    let url = app.url(&format!("/sso/jwt?token={}&next=/account", site_token(&claims, secret)));
    let response = reader.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/account");
    let account = reader.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(account.contains("Hana Site") && account.contains("hana@example.org"), "{account}");

    let renamed = json!({"sub": "site-7", "name": "Hana S.", "email": "hana@example.org", "exp": now + 120});
    let again = app.reader().get(app.url(&format!("/sso/jwt?token={}", site_token(&renamed, secret)))).send().await;
    assert_eq!(again.unwrap().status(), 303);
    assert_eq!(app.store.count_users().await.unwrap(), 1, "the same reader, updated");
    assert_eq!(app.store.user_by_email("hana@example.org").await.unwrap().display_name, "Hana S.");

    let moved = json!({"sub": "site-7", "name": "Hana S.", "email": "hana@new.example", "exp": now + 120});
    let again = app.reader().get(app.url(&format!("/sso/jwt?token={}", site_token(&moved, secret)))).send().await;
    assert_eq!(again.unwrap().status(), 303);
    assert_eq!(app.store.count_users().await.unwrap(), 1, "the site's id, not the address, names the reader");
    assert!(app.store.user_by_email("hana@new.example").await.unwrap().email_verified);
    app.sign_up(&app.reader(), "Other", "other@example.org", PASSWORD).await;
    let clash = json!({"sub": "site-7", "name": "Hana S.", "email": "other@example.org", "exp": now + 120});
    let clash = app.reader().get(app.url(&format!("/sso/jwt?token={}", site_token(&clash, secret)))).send().await;
    assert_eq!(clash.unwrap().status(), 409, "an address another account uses is not taken over");
    assert_eq!(app.store.user_by_email("other@example.org").await.unwrap().display_name, "Other");

    let missing = app.reader().get(app.url("/sso/jwt")).send().await.unwrap();
    assert_eq!(missing.status(), 400);
    assert!(missing.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(missing.text().await.unwrap().contains("token"), "the page names what is missing");

    let forged = site_token(&claims, "somebody else's secret that is long enough");
    let refused = app.reader().get(app.url(&format!("/sso/jwt?token={forged}"))).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("signature does not match"));
}

#[tokio::test]
async fn without_a_secret_there_is_no_single_sign_on() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/sso/jwt?token=x.y.z").await.status(), 404);
}

#[tokio::test]
async fn the_first_admin_is_created_through_a_one_time_invitation() {
    let app = TestApp::spawn().await;
    let invite = tribune_web::accounts::links::first_admin_invite(app.store.as_ref()).await.unwrap().unwrap();
    let form = app.get_text(&format!("/signup?invite={invite}")).await.1;
    assert!(form.contains("Create the first admin account") && form.contains(&invite));

    let sign_up = |email: &'static str| {
        app.reader()
            .post(app.url("/signup"))
            .form(&[("display_name", "Chief"), ("email", email), ("password", PASSWORD), ("invite", invite.as_str())])
            .send()
    };
    assert_eq!(sign_up("chief@example.org").await.unwrap().status(), 303);
    assert_eq!(app.store.user_by_email("chief@example.org").await.unwrap().role, Role::Admin);

    let again = sign_up("second@example.org").await.unwrap();
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("This invitation has been used"));
    assert!(tribune_web::accounts::links::first_admin_invite(app.store.as_ref()).await.unwrap().is_none());

    // Opened again, or made up, the link says so before any form is filled in.
    for link in [format!("/signup?invite={invite}"), "/signup?invite=made-up".to_owned()] {
        let (status, html) = app.get_text(&link).await;
        assert_eq!(status, 410, "{link}");
        assert!(html.contains("<h1>This invitation has been used</h1>"), "{html}");
        assert!(!html.contains("action=\"/signup\""), "no form to fill in for nothing: {html}");
    }
    assert_eq!(app.get_text("/signup").await.0, 200, "a plain sign-up is still open");
}

#[tokio::test]
async fn the_account_page_is_a_section_per_task_and_a_refused_form_answers_in_its_own() {
    let app = TestApp::spawn().await;
    let reader = app.reader();
    app.sign_up(&reader, "Ola", "ola@example.org", PASSWORD).await;
    let page = reader.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    let contents = &page[page.find("<nav class=\"toc\" aria-label=\"On this page\">").expect("a table of contents")..];
    let contents = &contents[..contents.find("</nav>").unwrap()];
    for (anchor, action) in [
        ("details", None),
        ("your-comments", None),
        ("name", Some("/account/name#name")),
        ("password", Some("/account/password#password")),
        ("email", Some("/account/email#email")),
        ("sessions", Some("/signout/everywhere")),
        ("delete", Some("/account/delete#delete")),
    ] {
        assert!(contents.contains(&format!("href=\"#{anchor}\"")), "{anchor} is listed");
        let section = format!("<section class=\"card\" id=\"{anchor}\" aria-labelledby=\"{anchor}-title\">");
        let section = section.replace("card\" id=\"delete", "card danger-zone\" id=\"delete");
        assert!(page.contains(&section), "{section} in {page}");
        if let Some(action) = action {
            assert!(page.contains(&format!("action=\"{action}\"")), "{action}");
        }
    }
    assert!(!page.contains("error-summary"));
    assert_eq!(page.matches("name=\"current_password\"").count(), 3, "one per form that needs it");
    assert_eq!(page.matches("id=\"field-password-current_password\"").count(), 1, "ids of their own");

    let refused = reader
        .post(app.url("/account/email"))
        .form(&[("email", "ola.new@example.org"), ("current_password", "not it")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    let email_section = &page[page.find("id=\"email\" aria-labelledby").unwrap()..];
    let email_section = &email_section[..email_section.find("</section>").unwrap()];
    assert!(
        email_section.contains("<a href=\"#field-email-current_password\">That is not your current password.</a>"),
        "{email_section}"
    );
    assert_eq!(page.matches("That is not your current password.").count(), 2, "in the summary and by the field");
    assert_eq!(page.matches("class=\"error-summary\"").count(), 1, "only the refused form has one");
}

#[tokio::test]
async fn a_sign_in_link_works_once() {
    let app = TestApp::spawn().await;
    app.sign_up(&app.reader(), "Ida", "ida@example.org", PASSWORD).await;
    let ida = app.store.user_by_email("ida@example.org").await.unwrap();
    let path = tribune_web::accounts::links::issue_sign_in_link(app.store.as_ref(), ida.id).await.unwrap();
    let token = path.rsplit('/').next().unwrap().to_owned();

    let confirm = app.get_text(&path).await;
    assert_eq!(confirm.0, 200, "opening the link only asks");
    let reader = app.reader();
    let used = reader.post(app.url("/signin/link")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(used.status(), 303);
    assert!(reader.get(app.url("/account")).send().await.unwrap().text().await.unwrap().contains("ida@example.org"));

    let reused = app.reader().post(app.url("/signin/link")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(reused.status(), 400);
    assert!(reused.text().await.unwrap().contains("used or has expired"));
}

#[tokio::test]
async fn a_reader_changes_their_password_with_the_current_one_and_other_devices_are_signed_out() {
    let app = TestApp::spawn().await;
    let laptop = app.reader();
    app.sign_up(&laptop, "Jo", "jo@example.org", PASSWORD).await;
    let phone = app.reader();
    phone.post(app.url("/signin")).form(&[("email", "jo@example.org"), ("password", PASSWORD)]).send().await.unwrap();

    let wrong = laptop
        .post(app.url("/account/password"))
        .form(&[("current_password", "not my password"), ("new_password", "a brand new secret")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("That is not your current password."));

    let changed = laptop
        .post(app.url("/account/password"))
        .form(&[("current_password", PASSWORD), ("new_password", "a brand new secret")])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 303);
    assert_eq!(laptop.get(app.url("/account")).send().await.unwrap().status(), 200, "this device stays in");
    assert_eq!(phone.get(app.url("/account")).send().await.unwrap().status(), 303, "the others are out");
    let old = app.reader().post(app.url("/signin")).form(&[("email", "jo@example.org"), ("password", PASSWORD)]);
    assert_eq!(old.send().await.unwrap().status(), 422);
    let new =
        app.reader().post(app.url("/signin")).form(&[("email", "jo@example.org"), ("password", "a brand new secret")]);
    assert_eq!(new.send().await.unwrap().status(), 303);
}

#[tokio::test]
async fn an_email_change_needs_the_password_and_a_free_address() {
    let app = TestApp::spawn().await;
    app.sign_up(&app.reader(), "Kit", "kit@example.org", PASSWORD).await;
    let reader = app.reader();
    app.sign_up(&reader, "Lou", "lou@example.org", PASSWORD).await;
    let change = |email: &'static str, password: &'static str| {
        reader.post(app.url("/account/email")).form(&[("email", email), ("current_password", password)]).send()
    };
    assert!(change("new@example.org", "wrong password")
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("current password"));
    assert!(change("KIT@example.org", PASSWORD).await.unwrap().text().await.unwrap().contains("Another account uses"));
    assert!(change("not an address", PASSWORD).await.unwrap().text().await.unwrap().contains("valid e-mail"));
    assert_eq!(change("Lou.New@example.org", PASSWORD).await.unwrap().status(), 303);
    assert!(app.store.user_by_email("lou.new@example.org").await.is_ok());
}

#[tokio::test]
async fn a_deleted_account_leaves_its_comments_signed_deleted() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let reader = app.reader();
    app.sign_up(&reader, "Max Private", "max@example.org", PASSWORD).await;
    let posted = reader.post(app.url(&format!("/api/v1/articles/{slug}/comments"))).json(&json!({"body": "My view"}));
    assert_eq!(posted.send().await.unwrap().status(), 201);
    let (_, before) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(before.contains("Max Private"));

    let unconfirmed = reader.post(app.url("/account/delete")).form(&[("current_password", PASSWORD)]).send().await;
    assert!(unconfirmed.unwrap().text().await.unwrap().contains("Type delete to confirm."));
    let deleted = reader
        .post(app.url("/account/delete"))
        .form(&[("current_password", PASSWORD), ("confirm", "delete")])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    assert!(app.store.user_by_email("max@example.org").await.is_err());
    let (_, after) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(!after.contains("Max Private"), "the cached page was dropped");
    assert!(after.contains("[deleted]") && after.contains("My view"));
    assert_eq!(reader.get(app.url("/account")).send().await.unwrap().status(), 303, "signed out");
}

#[tokio::test]
async fn session_fixation_a_planted_cookie_never_becomes_a_session() {
    let app = TestApp::spawn().await;
    app.sign_up(&app.reader(), "Fay", "fay@example.org", PASSWORD).await;
    let planted = "tribune_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let signed_in = app
        .client
        .post(app.url("/signin"))
        .header("cookie", planted)
        .form(&[("email", "fay@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let issued = session_cookie(&signed_in);
    assert!(!issued.starts_with(planted), "the server chose a new token: {issued}");
    let with_planted = app.client.get(app.url("/account")).header("cookie", planted).send().await.unwrap();
    assert_eq!(with_planted.status(), 303, "the attacker's cookie is still nobody's session");
    let with_issued = app.client.get(app.url("/account")).header("cookie", issued.split(';').next().unwrap());
    assert_eq!(with_issued.send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn an_expired_sign_in_link_is_refused_and_stays_unusable() {
    let app = TestApp::spawn().await;
    app.sign_up(&app.reader(), "Gil", "gil@example.org", PASSWORD).await;
    let gil = app.store.user_by_email("gil@example.org").await.unwrap();
    let token = "an-expired-link-token";
    let expired = tribune_domain::Timestamp(tribune_domain::Timestamp::now().0 - 1_000);
    let digest = tribune_web::accounts::token_digest(token);
    app.store.create_sign_in_token(&digest, gil.id, expired).await.unwrap();
    for door in ["/signin/link", "/verify"] {
        let reader = app.reader();
        let refused = reader.post(app.url(door)).form(&[("token", token)]).send().await.unwrap();
        assert_eq!(refused.status(), 400, "{door}");
        assert!(refused.text().await.unwrap().contains("used or has expired"));
        assert_eq!(reader.get(app.url("/account")).send().await.unwrap().status(), 303, "not signed in");
    }
    let reset = app
        .reader()
        .post(app.url("/password/reset/confirm"))
        .form(&[("token", token), ("new_password", "a brand new password")])
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 400);
    let user = app.store.user(gil.id).await.unwrap();
    assert_eq!(
        tribune_web::accounts::password::verify(PASSWORD, user.password_hash.as_deref()),
        Ok(true),
        "password unchanged"
    );
}

#[tokio::test]
async fn a_reader_renames_themselves_and_new_comments_carry_the_new_name() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let reader = app.reader();
    app.sign_up(&reader, "Old Name", "renamer@example.org", PASSWORD).await;
    let comments = app.url(&format!("/api/v1/articles/{slug}/comments"));
    reader.post(&comments).json(&json!({"body": "before"})).send().await.unwrap();

    let empty = reader.post(app.url("/account/name")).form(&[("display_name", "   ")]).send().await.unwrap();
    assert_eq!(empty.status(), 422);
    let page = empty.text().await.unwrap();
    assert!(page.contains(r#"data-field="display_name">Please give a name.</span>"#), "{page}");
    let renamed = reader.post(app.url("/account/name")).form(&[("display_name", "New <Name>")]).send().await.unwrap();
    assert_eq!(renamed.status(), 303);
    let account = reader.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(account.contains("New &lt;Name&gt;"), "{account}");

    reader.post(&comments).json(&json!({"body": "after"})).send().await.unwrap();
    let thread: Value = app.get(&format!("/api/v1/articles/{slug}/comments")).await.json().await.unwrap();
    let names: Vec<&str> =
        thread["comments"].as_array().unwrap().iter().map(|c| c["author"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Old Name", "New <Name>"]);
}
