//! The site's moderation settings through the API and the admin page: checked
//! in full, kept in the database, on record, and in force at once.

use crate::{audit, guest_comment, moderator, set_moderation};
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::TestApp;

async fn put(app: &TestApp, client: &reqwest::Client, token: Option<&str>, body: &str) -> reqwest::Response {
    let mut request = client
        .put(app.url("/api/v1/moderation/settings"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn settings_are_checked_in_full_and_refused_as_a_whole() {
    let app = TestApp::spawn().await;
    let token = Some(app.admin_token.as_str());
    let bad = json!({
        "banned_words": ["fine", "[a-z]+"],
        "blocked_domains": ["not a domain"],
        "scores": { "TOXICITY": { "hold": 1.5 } },
        "suspect_words": ["ok"],
    });
    let refused = put(&app, &app.client, token, &bad.to_string()).await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["banned_words", "blocked_domains", "scores"]);
    assert!(problem["errors"][0]["message"].as_str().unwrap().starts_with("Line 2:"));
    let current: Value = app
        .client
        .get(app.url("/api/v1/moderation/settings"))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current["suspect_words"], json!([]), "nothing of the refused document was kept");

    for (body, status, code) in [
        ("{\"premod\": \"all\"}", 400, "invalid_body"),
        ("{not json", 400, "malformed_json"),
        ("{\"premoderation\": \"sometimes\"}", 400, "invalid_body"),
    ] {
        let response = put(&app, &app.client, token, body).await;
        assert_eq!(response.status(), status, "{body}");
        assert_eq!(response.json::<Value>().await.unwrap()["code"], code, "{body}");
    }
    let too_many: Vec<String> = (0..20_001).map(|i| format!("w{i}x")).collect();
    let response = put(&app, &app.client, token, &json!({ "banned_words": too_many }).to_string()).await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.json::<Value>().await.unwrap()["errors"][0]["code"], "too_many_entries");
}

#[tokio::test]
async fn ten_thousand_banned_words_are_taken_and_used_at_once() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let mut words: Vec<String> = (0..10_000).map(|i| format!("badword{i}x")).collect();
    words.push("forbidden phrase".to_owned());
    set_moderation(&app, json!({ "banned_words": words })).await;
    assert_eq!(guest_comment(&app, &slug, "a@example.org", "This has a Forbidden   Phrase in it").await.status(), 422);
    assert_eq!(guest_comment(&app, &slug, "b@example.org", "badword9999x here").await.status(), 422);
    assert_eq!(guest_comment(&app, &slug, "c@example.org", "Nothing wrong here").await.status(), 201);
    let entries = audit(&app, "?action=settings.update").await;
    assert_eq!(entries.len(), 1);
    assert!(entries[0]["after"].as_str().unwrap().contains("forbidden phrase"));
    assert_eq!(entries[0]["actor_name"], "Admin API token");
}

#[tokio::test]
async fn moderators_read_the_settings_and_only_admins_change_them() {
    let app = TestApp::spawn().await;
    let desk = moderator(&app).await;
    assert_eq!(desk.get(app.url("/api/v1/moderation/settings")).send().await.unwrap().status(), 200);
    assert_eq!(put(&app, &desk, None, "{\"premoderation\": \"all\"}").await.status(), 403);
    let (_, admin) = app.signed_in_as(Role::Admin, "Ada Admin").await;
    assert_eq!(put(&app, &admin, None, "{\"premoderation\": \"all\"}").await.status(), 200);
    assert_eq!(audit(&app, "?action=settings.update").await[0]["actor_name"], "Ada Admin");
    assert_eq!(app.get("/api/v1/moderation/settings").await.status(), 401);
}

#[tokio::test]
async fn the_admin_settings_page_works_without_javascript() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let (_, admin) = app.signed_in_as(Role::Admin, "Ada Admin").await;
    let page = admin.get(app.url("/admin/moderation")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let mut fields = vec![
        ("premoderation", "guests"),
        ("new_commenter_approvals", "1"),
        ("trusted_after", "10"),
        ("banned_words", "one\r\ntwo words\r\n"),
        ("suspect_words", ""),
        ("max_links", ""),
        ("blocked_domains", ""),
        ("allowed_domains", ""),
        ("repeat_window_minutes", "60"),
        ("cooldown_seconds", "0"),
        ("history_days", "30"),
        ("history_min_decided", "3"),
        ("history_max_rejected_percent", "50"),
        ("report_threshold", "3"),
        ("close_after_days", ""),
        ("guidelines", "Be kind."),
        ("digest_minutes", "0"),
        ("hold_TOXICITY", "0.8"),
        ("reject_TOXICITY", ""),
        ("think_before_posting", "0.7"),
    ];
    let saved = admin.post(app.url("/admin/moderation")).form(&fields).send().await.unwrap();
    assert_eq!(saved.status(), 303);
    let settings: Value = admin.get(app.url("/api/v1/moderation/settings")).send().await.unwrap().json().await.unwrap();
    assert_eq!(settings["banned_words"], json!(["one", "two words"]));
    assert_eq!(settings["premoderation"], "guests");
    assert_eq!(settings["max_links"], Value::Null, "blank means no limit");
    assert_eq!(settings["scores"]["TOXICITY"]["hold"], 0.8);
    assert_eq!(settings["think_before_posting"], 0.7);
    let created: Value = guest_comment(&app, &slug, "g@example.org", "A guest comment").await.json().await.unwrap();
    assert_eq!(created["status"], "pending", "in force at once");

    fields[1] = ("new_commenter_approvals", "many");
    fields[4] = ("suspect_words", "(bad|worse)");
    fields[19] = ("think_before_posting", "2");
    let refused = admin.post(app.url("/admin/moderation")).form(&fields).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Please give a whole number")
            && html.contains("looks like a pattern")
            && html.contains("Enter a number from 0 to 1, or leave it blank."),
        "each message by its field"
    );
    assert!(html.contains("(bad|worse)</textarea>"), "what was typed is kept");
    let moderator_page = moderator(&app).await.get(app.url("/admin/moderation")).send().await.unwrap();
    assert_eq!(moderator_page.status(), 403);
}
