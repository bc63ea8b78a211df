//! What moderators decide about authors: bans, suspensions, warnings,
//! pre-moderation and notes, each on record.

use crate::{audit, guest_comment, moderator, posted, queue, set_moderation, thread};
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::TestApp;

async fn on_author(app: &TestApp, client: &reqwest::Client, key: &str, body: Value) -> reqwest::Response {
    client.post(app.url(&format!("/api/v1/moderation/authors/{key}/actions"))).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn a_banned_guest_is_refused_with_the_moderators_message_and_can_lose_every_comment() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let (kept, _) = posted(&app, &slug, "troll@example.org", "First of many").await;
    posted(&app, &slug, "troll@example.org", "Second of many, still going").await;
    posted(&app, &slug, "nice@example.org", "A kind word").await;
    let desk = moderator(&app).await;
    let banned = on_author(
        &app,
        &desk,
        "email:troll@example.org",
        json!({ "action": "ban", "message": "Trolling.", "reject_all": true, "reason": "harassment" }),
    )
    .await;
    assert_eq!(banned.status(), 200);
    let banned: Value = banned.json().await.unwrap();
    assert_eq!((banned["rejected"].as_i64(), banned["restriction"]["banned"].as_bool()), (Some(2), Some(true)));
    assert_eq!(thread(&app, &slug).await["total"], 1, "only the kind word is left");
    let refused = guest_comment(&app, &slug, "Troll@Example.org", "I am back").await;
    assert_eq!(refused.status(), 403);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "banned");
    assert!(problem["detail"].as_str().unwrap().ends_with("The moderators say: Trolling."), "{problem}");
    let rejected = queue(&app, &desk, "rejected", "").await;
    assert!(rejected["comments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"].as_i64() == Some(kept) && c["reject_reason"] == "Harassment"));
    let entries = audit(&app, "?action=author.ban").await;
    assert_eq!(entries[0]["target_id"], "email:troll@example.org");
    assert_eq!(on_author(&app, &desk, "email:troll@example.org", json!({ "action": "unban" })).await.status(), 200);
    assert_eq!(guest_comment(&app, &slug, "troll@example.org", "Reformed, truly").await.status(), 201);
}

#[tokio::test]
async fn a_suspended_account_sees_why_instead_of_the_form_until_the_date() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let (reader, client) = app.signed_in_as(Role::Commenter, "Hot Head").await;
    let desk = moderator(&app).await;
    let key = format!("user:{}", reader.id.0);
    let suspended =
        on_author(&app, &desk, &key, json!({ "action": "suspend", "days": 7, "message": "Cool off." })).await;
    assert_eq!(suspended.status(), 200);
    let page = client.get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("You cannot comment until") && page.contains("Cool off."), "told before writing");
    assert!(!page.contains("id=\"respond\""));
    let refused = client
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&json!({ "body": "Let me speak" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "suspended_from_commenting");
    let zero_days = on_author(&app, &desk, &key, json!({ "action": "suspend", "days": 0 })).await;
    assert_eq!(zero_days.status(), 422);
    assert_eq!(on_author(&app, &desk, &key, json!({ "action": "unsuspend" })).await.status(), 200);
    let after = client
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&json!({ "body": "Calmer now" }))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 201);
}

#[tokio::test]
async fn a_warned_reader_must_acknowledge_the_warning_before_commenting_again() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let (reader, client) = app.signed_in_as(Role::Commenter, "Warned Reader").await;
    let desk = moderator(&app).await;
    let key = format!("user:{}", reader.id.0);
    assert_eq!(
        on_author(&app, &desk, &key, json!({ "action": "warn", "message": "Please keep it civil." })).await.status(),
        200
    );
    let page = client.get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Please keep it civil.") && page.contains("I have read this message"));
    let without =
        client.post(app.url(&format!("/articles/{slug}/comments"))).form(&[("body", "Sorry")]).send().await.unwrap();
    assert_eq!(without.status(), 422, "the form asks to tick the box");
    assert!(without.text().await.unwrap().contains("Tick the box to say you have read the message."));
    let with = client
        .post(app.url(&format!("/articles/{slug}/comments")))
        .form(&[("body", "Sorry"), ("acknowledge_warning", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), 303);
    assert_eq!(thread(&app, &slug).await["total"], 1);
    let later = client
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&json!({ "body": "And again" }))
        .send()
        .await
        .unwrap();
    assert_eq!(later.status(), 201, "acknowledged once is enough");
    assert!(!audit(&app, "?action=author.acknowledge_warning").await.is_empty());
}

#[tokio::test]
async fn an_author_marked_always_premoderate_waits_and_notes_stay_with_them() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "trusted_after": 1 })).await;
    let slug = app.article().create().await;
    posted(&app, &slug, "watched@example.org", "A first comment").await;
    let desk = moderator(&app).await;
    let key = "email:watched@example.org";
    assert_eq!(on_author(&app, &desk, key, json!({ "action": "premoderate" })).await.status(), 200);
    assert_eq!(
        on_author(&app, &desk, key, json!({ "action": "note", "body": "Links to a shop <b>now and then</b>." }))
            .await
            .status(),
        200
    );
    assert_eq!(posted(&app, &slug, "watched@example.org", "A second comment").await.1, "pending");
    let page = desk.get(app.url(&format!("/moderation/authors/{key}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Always pre-moderated") && html.contains("Links to a shop &lt;b&gt;now and then&lt;&#x2f;b&gt;.")
    );
    assert!(html.contains("1 published · 1 pending"));
    for (body, status) in [
        (json!({ "action": "explode" }), 422),
        (json!({ "action": "note", "body": "" }), 422),
        (json!({ "action": "warn" }), 422),
    ] {
        assert_eq!(on_author(&app, &desk, key, body.clone()).await.status(), status, "{body}");
    }
    assert_eq!(on_author(&app, &desk, "nobody", json!({ "action": "ban" })).await.status(), 404);
}
