//! What happens to a comment when it is posted: published, held with its
//! reasons, or rejected with a message for its author.

use crate::{guest_comment, moderator, posted, queue, set_moderation, thread};
use serde_json::{json, Value};
use tribune_testkit::TestApp;

#[tokio::test]
async fn with_pre_moderation_a_comment_waits_and_only_its_author_sees_it() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "premoderation": "all" })).await;
    let slug = app.article().create().await;

    let author = app.reader();
    let response = author
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&json!({ "name": "Ada", "email": "ada@example.org", "body": "Waiting for a moderator" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["status"], "pending");
    assert!(created["message"].as_str().unwrap().contains("awaiting moderation"));

    assert_eq!(thread(&app, &slug).await["total"], 0, "nobody else sees it in the API");
    let (_, public) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(!public.contains("Waiting for a moderator"), "nor on the page");
    assert!(public.contains("No comments yet"));

    let own = author.get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(own.contains("Your comment is awaiting moderation"), "the author's own browser sees it");
    assert!(own.contains("Waiting for a moderator"));

    let desk = queue(&app, &moderator(&app).await, "pending", "").await;
    assert_eq!(desk["counts"]["pending"], 1);
    assert_eq!(desk["comments"][0]["reasons"][0]["code"], "premoderation_all");
}

#[tokio::test]
async fn a_banned_word_is_refused_with_a_message_naming_it_and_kept_for_moderators() {
    let app = TestApp::spawn().await;
    // Scores off: only the lists mark words here.
    let lists =
        json!({ "banned_words": ["scumbag"], "suspect_words": ["crook"], "scores": {}, "think_before_posting": null });
    set_moderation(&app, lists).await;
    let slug = app.article().create().await;

    let refused = guest_comment(&app, &slug, "rude@example.org", "You are a SCUMB4G, sir.").await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "body");
    assert_eq!(problem["errors"][0]["code"], "rejected");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("“SCUMB4G”"), "{problem}");

    let mod_client = moderator(&app).await;
    let rejected = queue(&app, &mod_client, "rejected", "").await;
    assert_eq!(rejected["comments"][0]["reasons"][0]["code"], "banned_words");
    let marked: Vec<&Value> =
        rejected["comments"][0]["source"].as_array().unwrap().iter().filter(|s| s["marked"] == true).collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0]["text"], "SCUMB4G");

    let (_, status) = posted(&app, &slug, "sus@example.org", "The mayor is a c r o o k.").await;
    assert_eq!(status, "pending", "a suspect word holds the comment");
    assert_eq!(thread(&app, &slug).await["total"], 0);
}

#[tokio::test]
async fn the_same_text_twice_is_held_and_links_over_the_limit_are_held() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "max_links": 1, "blocked_domains": ["pills.example"] })).await;
    let slug = app.article().create().await;
    let other = app.article().with("headline", "Another story").create().await;
    let text = "Visit my profile for the best offers on watches, bags and shoes this week only";
    assert_eq!(posted(&app, &slug, "spam@example.org", text).await.1, "published");
    assert_eq!(posted(&app, &other, "spam@example.org", text).await.1, "pending", "repeated across articles");
    let two_links = "See https://a.example/x and https://b.example/y";
    assert_eq!(posted(&app, &slug, "links@example.org", two_links).await.1, "pending");
    let blocked = guest_comment(&app, &slug, "pills@example.org", "Cheap at https://shop.pills.example").await;
    assert_eq!(blocked.status(), 422);
}

#[tokio::test]
async fn a_closed_discussion_says_why_and_refuses_comments() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let response = app
        .client
        .put(app.url(&format!("/api/v1/articles/{slug}/discussion")))
        .bearer_auth(&app.admin_token)
        .json(&json!({ "comments_open": false, "settings": { "closed_message": "Closed while the trial runs." } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(page.contains("Closed while the trial runs."), "the page was dropped from the cache and says why");
    assert!(!page.contains("id=\"respond\""), "no form");
    let refused = guest_comment(&app, &slug, "late@example.org", "Hello").await;
    assert_eq!(refused.status(), 403);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(
        (problem["code"].as_str(), problem["detail"].as_str()),
        (Some("comments_closed"), Some("Closed while the trial runs."))
    );
}

#[tokio::test]
async fn discussions_close_by_themselves_some_days_after_publication() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "close_after_days": 3 })).await;
    let old = app.article().with("published_at", "2026-01-01T08:00:00Z").create().await;
    let refused = guest_comment(&app, &old, "late@example.org", "Hello").await;
    assert_eq!(refused.status(), 403);
    let problem: Value = refused.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("3 days after publication"), "{problem}");
    let fresh = app.article().with("headline", "Today's news").create().await;
    assert_eq!(posted(&app, &fresh, "early@example.org", "First!").await.1, "published");
}

#[tokio::test]
async fn the_guidelines_show_above_the_form_and_an_article_may_have_its_own() {
    let app = TestApp::spawn().await;
    set_moderation(&app, json!({ "guidelines": "Be kind.\n\nStay on topic." })).await;
    let slug = app.article().create().await;
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(page.contains("<p>Be kind.</p>") && page.contains("<p>Stay on topic.</p>"), "site guidelines");
    let own = app.article().with("headline", "Sensitive story").create().await;
    app.client
        .put(app.url(&format!("/api/v1/articles/{own}/discussion")))
        .bearer_auth(&app.admin_token)
        .json(&json!({ "comments_open": true, "settings": { "guidelines": "Condolences only." } }))
        .send()
        .await
        .unwrap();
    let (_, page) = app.get_text(&format!("/articles/{own}")).await;
    assert!(page.contains("Condolences only.") && !page.contains("Be kind."));
}
