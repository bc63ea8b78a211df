//! Readers report comments; enough reports hold one until a moderator decides.

use crate::{act, moderator, queue, set_moderation, thread};
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::TestApp;

async fn report(app: &TestApp, client: &reqwest::Client, slug: &str, id: i64, body: Value) -> reqwest::Response {
    client.post(app.url(&format!("/api/v1/articles/{slug}/comments/{id}/reports"))).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn enough_reports_hold_a_comment_until_a_moderator_approves_it() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "report_threshold": 2 })).await;
    let slug = app.article().create().await;
    let id = app.comment(&slug, None, "A contested opinion").await;
    let (_, first) = app.signed_in_as(Role::Commenter, "Rita Reporter").await;
    let (_, second) = app.signed_in_as(Role::Commenter, "Sam Second").await;

    assert_eq!(
        report(&app, &first, &slug, id, json!({ "reason": "abusive", "note": "Rude to me" })).await.status(),
        201
    );
    let twice = report(&app, &first, &slug, id, json!({ "reason": "spam" })).await;
    assert_eq!(twice.status(), 409, "once per reader");
    assert_eq!(twice.json::<Value>().await.unwrap()["code"], "already_reported");
    assert_eq!(thread(&app, &slug).await["total"], 1, "one report does not hold it");

    assert_eq!(report(&app, &second, &slug, id, json!({ "reason": "misinformation" })).await.status(), 201);
    assert_eq!(thread(&app, &slug).await["total"], 0, "two reports hold it");
    let desk = moderator(&app).await;
    let reported = queue(&app, &desk, "reported", "").await;
    let card = &reported["comments"][0];
    assert_eq!(
        (card["id"].as_i64(), card["status"].as_str(), card["open_reports"].as_i64()),
        (Some(id), Some("pending"), Some(2))
    );
    assert_eq!(card["reports"][0]["note"], "Rude to me");
    assert!(card["reasons"].as_array().unwrap().iter().any(|r| r["code"] == "report_threshold"));

    assert_eq!(act(&app, &desk, id, json!({ "action": "approve" })).await.status(), 200);
    assert_eq!(thread(&app, &slug).await["total"], 1, "published again");
    assert!(queue(&app, &desk, "reported", "").await["comments"].as_array().unwrap().is_empty(), "reports closed");
}

#[tokio::test]
async fn reports_need_a_known_reason_a_comment_of_that_article_and_by_default_an_account() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let other = app.article().with("headline", "Elsewhere").create().await;
    let id = app.comment(&slug, None, "Reported comment").await;
    let (_, reader) = app.signed_in_as(Role::Commenter, "Rita Reporter").await;
    let bad = report(&app, &reader, &slug, id, json!({ "reason": "boring" })).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["errors"][0]["code"], "invalid_reason");
    assert_eq!(
        report(&app, &reader, &other, id, json!({ "reason": "spam" })).await.status(),
        404,
        "another article's comment"
    );
    assert_eq!(report(&app, &reader, &slug, 999_999, json!({ "reason": "spam" })).await.status(), 404);
    let long = "x".repeat(501);
    assert_eq!(report(&app, &reader, &slug, id, json!({ "reason": "spam", "note": long })).await.status(), 422);
    let guest = report(&app, &app.reader(), &slug, id, json!({ "reason": "spam" })).await;
    assert_eq!(guest.status(), 401, "guests may not report unless the site allows it");
    set_moderation(&app, json!({ "guests_may_report": true })).await;
    assert_eq!(report(&app, &app.reader(), &slug, id, json!({ "reason": "spam" })).await.status(), 201);
}

#[tokio::test]
async fn without_javascript_a_reader_reports_through_a_form_and_is_thanked() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let id = app.comment(&slug, None, "Reported through the form").await;
    let (_, reader) = app.signed_in_as(Role::Commenter, "Rita Reporter").await;
    let path = format!("/articles/{slug}/comments/{id}/report");
    let page = reader.get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("/comments/{id}/report\" rel=\"nofollow\">Report</a>")), "a Report link");
    let form = reader.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("Reported through the form") && form.contains("value=\"misinformation\""));
    let missing = reader.post(app.url(&path)).form(&[("reason", ""), ("note", "kept <b>")]).send().await.unwrap();
    assert_eq!(missing.status(), 422);
    let html = missing.text().await.unwrap();
    assert!(
        html.contains("Please choose what is wrong") && html.contains("kept &lt;b&gt;"),
        "the note is kept, escaped"
    );
    let sent = reader.post(app.url(&path)).form(&[("reason", "off_topic"), ("note", "")]).send().await.unwrap();
    assert_eq!(sent.status(), 200);
    assert!(sent.text().await.unwrap().contains("Thank you. A moderator will look at this comment"));
}
