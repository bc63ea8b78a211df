//! The live comment stream (Server-Sent Events), and the render cache that
//! must never serve a page older than the last comment.

use std::time::Duration;
use tribune_testkit::{SseClient, TestApp};
use tribune_web::SiteConfig;

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_reader_receives_new_comments_as_they_are_posted() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let parent = app.comment(&slug, None, "before anyone listened").await;
    let mut stream = SseClient::connect(&app.url(&format!("/api/v1/articles/{slug}/comments/live")), None).await;

    let reply = app.comment(&slug, Some(parent), "hello, live readers").await;
    let event = stream.expect("comment", WAIT).await;
    assert_eq!(event.id.as_deref(), Some(reply.to_string().as_str()));
    let data: serde_json::Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(data["id"], reply);
    assert_eq!(data["parent_id"], parent);
}

#[tokio::test]
async fn a_reader_who_reconnects_gets_what_it_missed() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let url = app.url(&format!("/api/v1/articles/{slug}/comments/live"));
    let seen = app.comment(&slug, None, "seen").await;
    let missed_one = app.comment(&slug, None, "missed one").await;
    let missed_two = app.comment(&slug, Some(seen), "missed two").await;

    let mut stream = SseClient::connect(&url, Some(&seen.to_string())).await;
    let first = stream.expect("comment", WAIT).await;
    let second = stream.expect("comment", WAIT).await;
    assert_eq!(first.id, Some(missed_one.to_string()));
    assert_eq!(second.id, Some(missed_two.to_string()));

    let live = app.comment(&slug, None, "live again").await;
    assert_eq!(stream.expect("comment", WAIT).await.id, Some(live.to_string()), "no duplicates, nothing lost");
}

#[tokio::test]
async fn a_reader_who_missed_too_much_is_told_to_reload() {
    let app = TestApp::spawn_with(SiteConfig { live_backlog: 2, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    let seen = app.comment(&slug, None, "seen").await;
    for n in 0..3 {
        app.comment(&slug, None, &format!("missed {n}")).await;
    }
    let url = app.url(&format!("/api/v1/articles/{slug}/comments/live"));
    let mut stream = SseClient::connect(&url, Some(&seen.to_string())).await;
    let event = stream.next_event(WAIT).await.expect("an event");
    assert_eq!(event.event, "reload");
}

#[tokio::test]
async fn only_published_articles_have_a_stream() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/articles/nothing/comments/live").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn a_cached_page_is_replaced_as_soon_as_a_comment_lands() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    for n in 0..20 {
        // Render (and cache) the page, then post: the very next read must show the post.
        let (_, before) = app.get_text(&format!("/articles/{slug}")).await;
        assert!(!before.contains(&format!("fresh comment {n}.")));
        app.comment(&slug, None, &format!("fresh comment {n}.")).await;
        let (_, after) = app.get_text(&format!("/articles/{slug}")).await;
        assert!(after.contains(&format!("fresh comment {n}.")), "stale page after comment {n}");
        let json = app.get(&format!("/api/v1/articles/{slug}/comments")).await.text().await.unwrap();
        assert!(json.contains(&format!("fresh comment {n}.")));
        let (_, home) = app.get_text("/").await;
        assert!(home.contains(&format!(">{} comment", n + 1)), "home count after comment {n}");
    }
}

#[tokio::test]
async fn the_stream_is_neither_compressed_nor_held_back_for_readers_who_accept_compression() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let mut response = app
        .client
        .get(app.url(&format!("/api/v1/articles/{slug}/comments/live")))
        .header("accept", "text/event-stream")
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert!(response.headers().get("content-encoding").is_none(), "{:?}", response.headers());

    let id = app.comment(&slug, None, "straight through").await;
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !seen.contains(&format!("id: {id}")) {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .unwrap_or_else(|_| panic!("the comment did not arrive as plain text; got {seen:?}"))
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(std::str::from_utf8(&chunk).expect("plain text, not a compressed stream"));
    }
    assert!(seen.contains("event: comment"), "{seen}");
}
