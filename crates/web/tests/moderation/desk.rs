//! The moderation desk and its API: decisions, conflicts between two
//! moderators, undo, featuring, editing, bulk actions, queues and the audit log.

use crate::{act, audit, ids, moderator, posted, queue, set_moderation, thread};
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::TestApp;

async fn held_comments(app: &TestApp, slug: &str, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let (id, status) =
            posted(app, slug, &format!("held{i}@example.org"), &format!("Held comment number {i}")).await;
        assert_eq!(status, "pending");
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn a_moderator_approves_once_and_a_second_moderator_is_told_who_acted_first() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "premoderation": "all" })).await;
    let slug = app.article().create().await;
    let [id] = held_comments(&app, &slug, 1).await[..] else { panic!() };
    let first = moderator(&app).await;
    let (_, second) = app.signed_in_as(Role::Moderator, "Otto Other").await;
    let card = &queue(&app, &first, "pending", "").await["comments"][0];
    let version = card["version"].as_i64().unwrap();

    let approved = act(&app, &first, id, json!({ "action": "approve", "version": version })).await;
    assert_eq!(approved.status(), 200);
    let approved: Value = approved.json().await.unwrap();
    assert_eq!(
        (approved["status"].as_str(), approved["moderator_name"].as_str()),
        (Some("published"), Some("Mona Moderator"))
    );
    assert_eq!(thread(&app, &slug).await["total"], 1, "readers see it now");

    let late = act(&app, &second, id, json!({ "action": "reject", "reason": "spam", "version": version })).await;
    assert_eq!(late.status(), 409);
    let problem: Value = late.json().await.unwrap();
    assert_eq!(problem["code"], "changed_meanwhile");
    assert!(problem["detail"].as_str().unwrap().starts_with("Mona Moderator acted on this comment first"), "{problem}");
    assert_eq!(thread(&app, &slug).await["total"], 1, "the late rejection changed nothing");

    let again = act(&app, &second, id, json!({ "action": "approve" })).await;
    assert_eq!(again.status(), 409);
    assert_eq!(again.json::<Value>().await.unwrap()["code"], "already_moderated");
    let entries = audit(&app, "?action=comment.approve").await;
    assert_eq!(entries.len(), 1, "one decision, one audit entry");
    assert_eq!(entries[0]["actor_name"], "Mona Moderator");
    assert_eq!(entries[0]["target_id"], id.to_string());
}

#[tokio::test]
async fn without_javascript_a_decision_comes_back_to_the_queue_with_an_undo_button() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "premoderation": "all" })).await;
    let slug = app.article().create().await;
    let held = held_comments(&app, &slug, 2).await;
    let desk = moderator(&app).await;
    let form = |action: &str, version: &str| {
        vec![
            ("action", action.to_owned()),
            ("version", version.to_owned()),
            ("reason", "off_topic".to_owned()),
            ("return_to", "/moderation?queue=pending".to_owned()),
        ]
    };
    let rejected = desk
        .post(app.url(&format!("/moderation/comments/{}/actions", held[0])))
        .form(&form("reject", "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status(), 303);
    let back = rejected.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with("/moderation?queue=pending&done=reject&comment="), "{back}");
    let page = desk.get(app.url(&back)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Rejected Guest’s comment “Held comment number 0”."), "{page}");
    assert!(page.contains("name=\"action\" value=\"hold\""), "the undo puts it back in the queue");
    assert!(!page.contains(&format!("id=\"card-{}\"", held[0])), "it left the pending queue");
    assert!(page.contains(&format!("id=\"card-{}\"", held[1])));

    let undo = desk
        .post(app.url(&format!("/moderation/comments/{}/actions", held[0])))
        .form(&form("hold", "2"))
        .send()
        .await
        .unwrap();
    assert_eq!(undo.status(), 303);
    let pending = queue(&app, &desk, "pending", "").await;
    assert_eq!(ids(&pending), held, "both wait again");
    assert_eq!(pending["comments"][0]["reject_reason"], Value::Null);

    let stale = desk
        .post(app.url(&format!("/moderation/comments/{}/actions", held[0])))
        .form(&form("approve", "1"))
        .send()
        .await
        .unwrap();
    let back = stale.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("error="), "a stale form says so: {back}");
    let page = desk.get(app.url(&back)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("acted on this comment first"), "{page}");
}

#[tokio::test]
async fn bulk_actions_decide_every_ticked_comment() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "premoderation": "all" })).await;
    let slug = app.article().create().await;
    let held = held_comments(&app, &slug, 3).await;
    let desk = moderator(&app).await;
    let fields = [
        ("action", "approve".to_owned()),
        ("return_to", "/moderation".to_owned()),
        (&*format!("comment_{}", held[0]), "on".to_owned()),
        (&*format!("comment_{}", held[2]), "on".to_owned()),
    ];
    let response = desk.post(app.url("/moderation/bulk")).form(&fields).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(response.headers()["location"].to_str().unwrap().contains("count=2"));
    assert_eq!(ids(&queue(&app, &desk, "pending", "").await), vec![held[1]]);
    assert_eq!(thread(&app, &slug).await["total"], 2);
    let nothing = desk.post(app.url("/moderation/bulk")).form(&[("action", "approve")]).send().await.unwrap();
    assert!(nothing.headers()["location"].to_str().unwrap().contains("error="), "nothing ticked is said");
}

#[tokio::test]
async fn a_featured_comment_is_pinned_and_an_edit_keeps_the_original() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let id = app.comment(&slug, None, "Call me on 555-0101, this is a great point.").await;
    let desk = moderator(&app).await;
    let featured = act(&app, &desk, id, json!({ "action": "feature" })).await;
    assert_eq!(featured.status(), 200);
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(page.contains("Featured comment</h3>"), "pinned at the top");
    assert!(page.contains("featured-badge\">Featured</span>"));

    let edited = act(
        &app,
        &desk,
        id,
        json!({ "action": "edit", "body": "This is a great point.", "reason": "Removed a phone number" }),
    )
    .await;
    assert_eq!(edited.status(), 200);
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(!page.contains("555-0101") && page.contains("This is a great point."));
    assert!(page.contains("edited-badge"));
    let card = &queue(&app, &desk, "approved", "").await["comments"][0];
    assert_eq!(card["edits"][0]["reason"], "Removed a phone number");
    assert!(card["edits"][0]["body_before"].as_str().unwrap().contains("555-0101"), "the original is kept");
    let no_reason = act(&app, &desk, id, json!({ "action": "edit", "body": "x" })).await;
    assert_eq!(no_reason.status(), 422);
    let entries = audit(&app, "?action=comment.edit").await;
    assert_eq!(entries[0]["reason"], "Removed a phone number");
    assert!(entries[0]["before"].as_str().unwrap().contains("555-0101"));
}

#[tokio::test]
async fn a_reply_under_a_rejected_comment_stays_under_a_removed_placeholder() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let parent = app.comment(&slug, None, "Something the moderators will remove").await;
    let _reply = app.comment(&slug, Some(parent), "A sensible reply that stays").await;
    let desk = moderator(&app).await;
    assert_eq!(act(&app, &desk, parent, json!({ "action": "reject", "reason": "abusive" })).await.status(), 200);
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(page.contains("[removed]") && page.contains("A sensible reply that stays"));
    assert!(!page.contains("Something the moderators will remove"));
    assert!(page.contains("1 comment on"), "only the published reply counts");
    let api = thread(&app, &slug).await;
    assert_eq!(api["comments"][0]["status"], "rejected");
    assert_eq!(api["comments"][0]["body_html"], "");
}

#[tokio::test]
async fn queues_filter_by_article_and_section_page_by_id_and_count_each_tab() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "premoderation": "all" })).await;
    let local = app.article().with("section", "Local").create().await;
    let sport = app.article().with("headline", "Match report").with("section", "Sport").create().await;
    let in_local = held_comments(&app, &local, 3).await;
    let in_sport = held_comments(&app, &sport, 1).await;
    let desk = moderator(&app).await;
    let all = queue(&app, &desk, "pending", "").await;
    assert_eq!(all["counts"]["pending"], 4);
    let by_article = queue(&app, &desk, "pending", &format!("?article={local}")).await;
    assert_eq!((ids(&by_article), by_article["counts"]["pending"].as_i64()), (in_local.clone(), Some(3)));
    assert_eq!(ids(&queue(&app, &desk, "pending", "?section=sport").await), in_sport);
    let newest = queue(&app, &desk, "pending", &format!("?article={local}&order=newest")).await;
    assert_eq!(ids(&newest), in_local.iter().rev().copied().collect::<Vec<_>>());
    let after = queue(&app, &desk, "pending", &format!("?article={local}&after={}", in_local[0])).await;
    assert_eq!(ids(&after), in_local[1..].to_vec());
    for (bad, code) in [
        ("/api/v1/moderation/queues/everything", "invalid_queue"),
        ("/api/v1/moderation/queues/pending?order=sideways", "invalid_order"),
        ("/api/v1/moderation/queues/pending?after=x", "invalid_cursor"),
    ] {
        let response = desk.get(app.url(bad)).send().await.unwrap();
        assert_eq!(response.status(), 400, "{bad}");
        assert_eq!(response.json::<Value>().await.unwrap()["code"], code);
    }
    let page = desk.get(app.url("/moderation")).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("data-count=\"pending\">4</span>"), "the tab counts");
}

#[tokio::test]
async fn bad_actions_get_precise_answers_and_change_nothing() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let id = app.comment(&slug, None, "A fine comment").await;
    let desk = moderator(&app).await;
    let cases = [
        (json!({ "action": "delete" }), 422, "validation_failed"),
        (json!({ "action": "reject" }), 422, "validation_failed"),
        (json!({ "action": "reject", "reason": "rude" }), 422, "validation_failed"),
        (json!({ "action": "approve", "surprise": 1 }), 400, "invalid_body"),
        (json!({ "action": "edit", "body": "", "reason": "why" }), 422, "validation_failed"),
    ];
    for (body, status, code) in cases {
        let response = act(&app, &desk, id, body.clone()).await;
        assert_eq!(response.status(), status, "{body}");
        assert_eq!(response.json::<Value>().await.unwrap()["code"], code, "{body}");
    }
    assert_eq!(act(&app, &desk, 999_999, json!({ "action": "approve" })).await.status(), 404);
    assert_eq!(thread(&app, &slug).await["comments"][0]["body_html"], "<p>A fine comment</p>\n");
    assert!(audit(&app, "").await.is_empty(), "no decision was recorded");
}

#[tokio::test]
async fn only_moderators_and_the_admin_token_reach_the_desk() {
    let app = TestApp::spawn().await;
    let (_, commenter) = app.signed_in_as(Role::Commenter, "Casual Reader").await;
    assert_eq!(commenter.get(app.url("/moderation")).send().await.unwrap().status(), 403);
    assert_eq!(app.get("/moderation").await.status(), 401);
    let token = app
        .client
        .get(app.url("/api/v1/moderation/queues/pending"))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 200);
    let wrong =
        app.client.get(app.url("/api/v1/moderation/queues/pending")).bearer_auth("trb_wrong").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
}

#[tokio::test]
async fn a_site_may_tell_readers_how_many_comments_were_removed() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let removed = app.comment(&slug, None, "Soon removed by a moderator").await;
    app.comment(&slug, None, "Stays").await;
    let desk = moderator(&app).await;
    assert_eq!(act(&app, &desk, removed, json!({ "action": "reject", "reason": "abusive" })).await.status(), 200);
    let (_, quiet) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(!quiet.contains("removed for breaking"), "off by default");
    set_moderation(&app, json!({ "public_moderation_note": true })).await;
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(
        page.contains("1 comment was removed for breaking our discussion guidelines."),
        "the note shows once the site turns it on"
    );
}
