//! The on-device scorer in the pipeline: "think before you post", score
//! thresholds, and a model that cannot be loaded.

use crate::{guest_comment, moderator, posted, queue, set_moderation, thread};
use serde_json::{json, Value};
use tribune_testkit::TestApp;

const HOSTILE: &str = "You are an idiot and a moron, shut up.";
const CIVIL: &str = "The council should publish the harbour budget before the vote.";

#[tokio::test]
async fn a_hostile_comment_is_sent_back_once_and_sent_anyway_it_waits_for_a_moderator() {
    let app = TestApp::spawn().await;
    // The out-of-the-box settings: think again at 0.85, hold TOXICITY at 0.9.
    let slug = app.article().create().await;

    let first = guest_comment(&app, &slug, "hot@example.org", HOSTILE).await;
    assert_eq!(first.status(), 422);
    let problem: Value = first.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "send_anyway", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "reconsider");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("may break our discussion guidelines"));
    let desk = moderator(&app).await;
    assert_eq!(queue(&app, &desk, "pending", "").await["counts"]["pending"], 0, "nothing was stored");

    let (civil, status) = posted(&app, &slug, "calm@example.org", CIVIL).await;
    assert_eq!(status, "published", "a civil comment is not asked anything");

    let again = app
        .post_json(
            &format!("/api/v1/articles/{slug}/comments"),
            &json!({ "name": "Guest", "email": "hot@example.org", "body": HOSTILE, "send_anyway": true }),
        )
        .await;
    assert_eq!(again.status(), 201);
    let created: Value = again.json().await.unwrap();
    assert_eq!(created["status"], "pending");
    let pending = queue(&app, &desk, "pending", "").await;
    let reasons = pending["comments"][0]["reasons"].as_array().unwrap();
    let codes: Vec<&str> = reasons.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"sent_after_notice"), "{codes:?}");
    assert!(codes.contains(&"score_hold"), "TOXICITY is over the hold threshold too: {codes:?}");
    let marked: Vec<&str> = pending["comments"][0]["source"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["marked"] == true)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(marked.contains(&"idiot"), "the words that raised the score are marked: {marked:?}");
    assert!(!marked.contains(&"and"), "{marked:?}");
    let ids: Vec<i64> =
        thread(&app, &slug).await["comments"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![civil], "readers see only the civil comment");
}

#[tokio::test]
async fn without_javascript_the_form_shows_the_notice_keeps_the_text_and_a_ticked_box_sends_it() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let reader = app.reader();
    let form = [("name", "Hot Head"), ("email", "hot@example.org"), ("body", HOSTILE)];
    let response = reader.post(app.url(&format!("/articles/{slug}/comments"))).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    let notice = page.split("class=\"think-notice").nth(1).expect("the notice is on the page");
    assert!(!notice.starts_with("notice\" role=\"note\" hidden"), "and not hidden");
    assert!(page.contains("may break our discussion guidelines"));
    assert!(page.contains("You are an idiot and a moron, shut up.</textarea>"), "the text is kept");

    let mut sent = form.to_vec();
    sent.push(("send_anyway", "on"));
    let response = reader.post(app.url(&format!("/articles/{slug}/comments"))).form(&sent).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(response.headers()["location"].to_str().unwrap().ends_with("#pending-comments"));
    let own = reader.get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(own.contains("Your comment is awaiting moderation"));
}

#[tokio::test]
async fn with_the_notice_off_the_hold_threshold_alone_decides() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "think_before_posting": null, "scores": { "INSULT": { "reject": 0.95 } } })).await;
    let slug = app.article().create().await;
    let refused = guest_comment(&app, &slug, "hot@example.org", HOSTILE).await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "rejected", "{problem}");
    let rejected = queue(&app, &moderator(&app).await, "rejected", "").await;
    let reason = &rejected["comments"][0]["reasons"][0];
    assert_eq!(reason["code"], "score_reject", "{rejected}");
    assert!(reason["detail"].as_str().unwrap().starts_with("INSULT scored"), "{rejected}");
}

#[tokio::test]
async fn an_unreadable_site_model_is_shown_to_the_admin_and_the_built_in_model_still_judges() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("site.model");
    std::fs::write(&broken, b"not a model at all").unwrap();
    let mut config = TestApp::config();
    config.moderation.model_file = Some(broken);
    let app = TestApp::spawn_with(config).await;
    let slug = app.article().create().await;

    let refused = guest_comment(&app, &slug, "hot@example.org", HOSTILE).await;
    assert_eq!(refused.status(), 422, "still scored: nothing slips through unjudged");
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "reconsider", "{problem}");

    let (_, client) = app.signed_in_as(tribune_domain::account::Role::Admin, "Ada Admin").await;
    let page = client.get(app.url("/admin/moderation")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("could not be loaded"), "the admin is told");
    assert!(page.contains("not a usable model"));
}

#[tokio::test]
async fn a_site_model_replaced_while_running_is_used_and_a_broken_replacement_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.model");
    let mut config = TestApp::config();
    config.moderation.model_file = Some(file.clone());
    config.moderation.model_check_secs = 1;
    let app = TestApp::spawn_with(config).await;
    let (_, admin) = app.signed_in_as(tribune_domain::account::Role::Admin, "Ada Admin").await;
    let admin_page = || async { admin.get(app.url("/admin/moderation")).send().await.unwrap().text().await.unwrap() };

    // A model that knows nothing holds nothing: written beside, renamed in, as retrain does.
    let options = tribune_moderation::training::TrainOptions {
        description: "replaced while running".to_owned(),
        ..Default::default()
    };
    let blank = tribune_moderation::training::train(&[], &options);
    std::fs::write(dir.path().join("partial"), blank.to_bytes()).unwrap();
    std::fs::rename(dir.path().join("partial"), &file).unwrap();
    let mut page = String::new();
    for _ in 0..50 {
        page = admin_page().await;
        if page.contains("replaced while running") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(page.contains("replaced while running"), "the admin names the new model");
    let slug = app.article().create().await;
    let (_, status) = posted(&app, &slug, "hot@example.org", HOSTILE).await;
    assert_eq!(status, "published", "the new model scores the next comment");

    std::fs::write(&file, b"half a model").unwrap();
    for _ in 0..50 {
        page = admin_page().await;
        if page.contains("was replaced by one that cannot be used") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(page.contains("was replaced by one that cannot be used"), "the admin is told");
    let (_, status) = posted(&app, &slug, "cold@example.org", HOSTILE).await;
    assert_eq!(status, "published", "the model loaded before keeps scoring");
}

#[tokio::test]
async fn with_scoring_off_nothing_is_scored_and_the_admin_says_so() {
    let mut config = TestApp::config();
    config.moderation.scoring = false;
    let app = TestApp::spawn_with(config).await;
    let slug = app.article().create().await;
    let (_, status) = posted(&app, &slug, "hot@example.org", HOSTILE).await;
    assert_eq!(status, "published");
    let (_, client) = app.signed_in_as(tribune_domain::account::Role::Admin, "Ada Admin").await;
    let page = client.get(app.url("/admin/moderation")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Scoring is turned off"));
}
