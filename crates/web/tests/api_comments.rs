//! Posting and reading comments through the API: threads, numbering, depth,
//! paging, and every kind of bad input (nothing is written when it is bad).

use serde_json::{json, Value};
use tribune_testkit::TestApp;
use tribune_web::SiteConfig;

fn comment(body: &str) -> Value {
    json!({"name": "Ada", "email": "ada@example.org", "body": body})
}

async fn thread(app: &TestApp, slug: &str, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/articles/{slug}/comments{query}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn numbers(page: &Value) -> Vec<String> {
    page["comments"].as_array().unwrap().iter().map(|c| c["number"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn comments_and_replies_come_back_threaded_and_numbered() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let first = app.comment(&slug, None, "First!").await;
    let second = app.comment(&slug, None, "Second").await;
    let reply = app.comment(&slug, Some(first), "Reply to first").await;
    app.comment(&slug, Some(reply), "Reply to the reply").await;
    app.comment(&slug, Some(first), "Another reply").await;

    let page = thread(&app, &slug, "").await;
    assert_eq!(page["total"], 5);
    assert_eq!(numbers(&page), ["1", "1.1", "1.1.1", "1.2", "2"]);
    let comments = page["comments"].as_array().unwrap();
    assert_eq!(comments[1]["parent_id"], first);
    assert_eq!(comments[2]["depth"], 3);
    assert_eq!(comments[4]["id"], second);
    assert!(comments.iter().all(|c| c.get("email").is_none() && !c.to_string().contains("ada@example.org")));

    let newest = thread(&app, &slug, "?sort=newest").await;
    assert_eq!(numbers(&newest), ["2", "1", "1.1", "1.1.1", "1.2"]);
}

#[tokio::test]
async fn a_created_comment_is_answered_with_201_and_its_location() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let response = app.post_json(&format!("/api/v1/articles/{slug}/comments"), &comment("Hello *there*")).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    assert_eq!(location, format!("/articles/{slug}#comment-{}", created["id"]));
    assert_eq!(created["body_html"], "<p>Hello <em>there</em></p>\n");
    assert_eq!(created["status"], "published");
}

#[tokio::test]
async fn replies_below_the_deepest_level_attach_beside_their_target() {
    let app = TestApp::spawn_with(SiteConfig { max_depth: 2, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    let top = app.comment(&slug, None, "top").await;
    let level2 = app.comment(&slug, Some(top), "level two").await;
    let capped = app.comment(&slug, Some(level2), "would be level three").await;

    // Stored under its target, so the thread knows whom it answers; shown beside it.
    let stored = app.store.comment(tribune_domain::CommentId(capped)).await.unwrap();
    assert_eq!(stored.parent_id, Some(tribune_domain::CommentId(level2)));
    let page = thread(&app, &slug, "").await;
    assert_eq!(numbers(&page), ["1", "1.1", "1.2"]);
    let shown = &page["comments"][2];
    assert_eq!(
        (shown["id"].as_i64(), shown["parent_id"].as_i64(), shown["depth"].as_i64()),
        (Some(capped), Some(level2), Some(2))
    );
    let later = app.comment(&slug, Some(top), "a later level two").await;
    let page = thread(&app, &slug, "").await;
    assert_eq!(numbers(&page), ["1", "1.1", "1.2", "1.3"], "numbers already given stay");
    assert_eq!(page["comments"][3]["id"].as_i64(), Some(later));
}

#[tokio::test]
async fn long_discussions_are_paged_by_top_level_comment() {
    let app = TestApp::spawn_with(SiteConfig { comments_per_page: 2, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    let mut roots = Vec::new();
    for n in 0..5 {
        roots.push(app.comment(&slug, None, &format!("root {n}")).await);
    }
    app.comment(&slug, Some(roots[2]), "reply on page two").await;

    let first = thread(&app, &slug, "").await;
    assert_eq!(numbers(&first), ["1", "2"]);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let second = thread(&app, &slug, &format!("?cursor={cursor}")).await;
    assert_eq!(numbers(&second), ["3", "3.1", "4"]);
    let cursor = second["next_cursor"].as_str().unwrap().to_owned();
    let last = thread(&app, &slug, &format!("?cursor={cursor}")).await;
    assert_eq!(numbers(&last), ["5"]);
    assert!(last["next_cursor"].is_null());

    let newest = thread(&app, &slug, "?sort=newest").await;
    assert_eq!(numbers(&newest), ["5", "4"]);
    let cursor = newest["next_cursor"].as_str().unwrap().to_owned();
    assert_eq!(numbers(&thread(&app, &slug, &format!("?sort=newest&cursor={cursor}")).await), ["3", "3.1", "2"]);
}

/// Posts `body` and checks the answer's status and first error code, and that nothing was stored.
async fn refused(app: &TestApp, slug: &str, body: Value, status: u16, code: &str) {
    let before = thread(app, slug, "").await["total"].as_i64().unwrap();
    let response = app.post_json(&format!("/api/v1/articles/{slug}/comments"), &body).await;
    assert_eq!(response.status().as_u16(), status, "for {body}");
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let problem: Value = response.json().await.unwrap();
    let got = problem["errors"][0]["code"].as_str().or(problem["code"].as_str()).unwrap().to_owned();
    assert_eq!(got, code, "for {body}: {problem}");
    assert_eq!(thread(app, slug, "").await["total"].as_i64().unwrap(), before, "nothing may be written");
}

#[tokio::test]
async fn bad_comments_are_refused_with_the_field_and_reason() {
    let app = TestApp::spawn_with(SiteConfig { max_comment_chars: 50, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    let other = app.article().with("slug", "other").create().await;
    let elsewhere = app.comment(&other, None, "on another article").await;

    refused(&app, &slug, comment("   "), 422, "empty").await;
    refused(&app, &slug, comment(&"x".repeat(51)), 422, "too_long").await;
    refused(&app, &slug, json!({"name": "n".repeat(81), "email": "a@b.org", "body": "x"}), 422, "too_long").await;
    refused(&app, &slug, json!({"name": "Ada", "email": "not-an-address", "body": "x"}), 422, "invalid_email").await;
    refused(
        &app,
        &slug,
        json!({"name": "Ada", "email": "a@b.org", "body": "x", "website": "javascript:alert(1)"}),
        422,
        "invalid_url",
    )
    .await;
    refused(
        &app,
        &slug,
        json!({"name": "Ada", "email": "a@b.org", "body": "x", "parent_id": elsewhere}),
        422,
        "parent_not_found",
    )
    .await;
    refused(
        &app,
        &slug,
        json!({"name": "Ada", "email": "a@b.org", "body": "x", "parent_id": 999_999}),
        422,
        "parent_not_found",
    )
    .await;
    refused(
        &app,
        &slug,
        json!({"name": "Ada", "email": "a@b.org", "body": "x", "parent_id": "abc"}),
        422,
        "invalid_parent",
    )
    .await;

    let response = app.post_json("/api/v1/articles/no-such-article/comments", &comment("hi")).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn all_field_errors_are_reported_together() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let response = app.post_json(&format!("/api/v1/articles/{slug}/comments"), &json!({"email": "x"})).await;
    let problem: Value = response.json().await.unwrap();
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "email", "body"]);
}

#[tokio::test]
async fn closed_discussions_refuse_new_comments() {
    let app = TestApp::spawn().await;
    let slug = app.article().with("comments_open", false).create().await;
    refused(&app, &slug, comment("hello"), 403, "comments_closed").await;
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(page.contains("Comments on this article are closed."));
    assert!(!page.contains("id=\"respond\""));
}

#[tokio::test]
async fn unreadable_requests_get_precise_errors() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let url = app.url(&format!("/api/v1/articles/{slug}/comments"));
    let send = |body: Vec<u8>| app.client.post(&url).header("content-type", "application/json").body(body).send();

    let response = send(b"{not json".to_vec()).await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "malformed_json");

    let mut invalid_utf8 = br#"{"name":"Ada","email":"a@b.org","body":""#.to_vec();
    invalid_utf8.extend_from_slice(&[0xff, 0xfe]);
    invalid_utf8.extend_from_slice(br#""}"#);
    let response = send(invalid_utf8).await.unwrap();
    assert_eq!(response.status(), 400);

    let huge = serde_json::to_vec(&comment(&"x".repeat(200_000))).unwrap();
    let response = send(huge).await.unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "payload_too_large");

    let response = app.get(&format!("/api/v1/articles/{slug}/comments?sort=best")).await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "invalid_sort");
    let response = app.get(&format!("/api/v1/articles/{slug}/comments?cursor=zzz")).await;
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "invalid_cursor");

    assert_eq!(thread(&app, &slug, "").await["total"], 0);
}

#[tokio::test]
async fn sql_injection_payloads_are_stored_as_plain_text() {
    let app = TestApp::spawn().await;
    // Storage is what is tested here, not the scorer (which finds some of
    // these shouted lines hostile and would ask their authors to think again).
    let unscored = app
        .client
        .put(app.url("/api/v1/moderation/settings"))
        .bearer_auth(&app.admin_token)
        .json(&json!({ "scores": {}, "think_before_posting": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(unscored.status(), 200);
    let slug = app.article().create().await;
    // The list holds a few bytes that are not UTF-8; those lines are read lossily.
    let text = String::from_utf8_lossy(include_bytes!("fixtures/sqli-payloads/ALL_SQLI_dedup.txt"));
    let payloads: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).step_by(9).collect();
    for (n, payload) in payloads.iter().enumerate() {
        // Each from its own reader: payloads that differ only in punctuation
        // would otherwise be held as one author repeating themselves.
        let body = json!({ "name": "Reader", "email": format!("reader{n}@example.org"), "body": payload });
        let response = app.post_json(&format!("/api/v1/articles/{slug}/comments"), &body).await;
        assert_eq!(response.status(), 201, "{payload}");
        let path = format!("/api/v1/articles/{}", payload.replace(' ', "%20").replace('#', "%23").replace('?', "%3F"));
        assert!(matches!(app.get(&path).await.status().as_u16(), 404 | 400), "{payload}");
    }
    let page = thread(&app, &slug, "?cursor=0").await;
    assert_eq!(page["total"].as_u64().unwrap() as usize, payloads.len());
    assert_eq!(app.store.count_articles().await.unwrap(), 1);
}

#[tokio::test]
async fn unknown_fields_are_refused_as_docs_api_says_but_the_page_form_may_carry_its_own() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let typo = json!({"name": "Ada", "email": "ada@example.org", "body": "x", "parent": 1});
    refused(&app, &slug, typo, 400, "invalid_body").await;
    let form_field = json!({"name": "Ada", "email": "ada@example.org", "body": "x", "sort": "newest"});
    refused(&app, &slug, form_field, 400, "invalid_body").await;

    let form = app
        .post_form(
            &format!("/articles/{slug}/comments"),
            &[("name", "Ada"), ("email", "ada@example.org"), ("body", "from the form"), ("sort", "newest")],
        )
        .await;
    assert_eq!(form.status(), 303, "the page's form keeps its sort field");
    assert_eq!(thread(&app, &slug, "").await["total"], 1);
}
