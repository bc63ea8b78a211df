//! The articles API, through HTTP against a real server and database.

use serde_json::{json, Value};
use tribune_testkit::TestApp;

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(content_type, "application/problem+json", "status {status}");
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn an_admin_creates_an_article_and_readers_list_and_read_it() {
    let app = TestApp::spawn().await;
    let slug = app.article().with("headline", "Bridge reopens").create().await;
    assert_eq!(slug, "bridge-reopens");

    let list: Value = app.get("/api/v1/articles").await.json().await.unwrap();
    assert_eq!(list["articles"][0]["headline"], "Bridge reopens");
    assert_eq!(list["articles"][0]["comment_count"], 0);

    let response = app.get("/api/v1/articles/bridge-reopens").await;
    assert_eq!(response.status(), 200);
    let article: Value = response.json().await.unwrap();
    assert_eq!(article["byline"], "Test Reporter");
    assert!(article["body_html"].as_str().unwrap().contains("<em>body</em>"));
}

#[tokio::test]
async fn creating_an_article_needs_the_admin_token() {
    let app = TestApp::spawn().await;
    let body = json!({"headline": "H", "byline": "B", "section": "S", "body": "x"});
    let (status, json) = problem(app.post_json("/api/v1/articles", &body).await).await;
    assert_eq!((status, json["code"].as_str()), (401, Some("sign_in_required")));

    let wrong = app.client.post(app.url("/api/v1/articles")).bearer_auth("trb_wrong").json(&body).send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(app.store.count_articles().await.unwrap(), 0);
}

#[tokio::test]
async fn an_invalid_article_is_refused_field_by_field() {
    let app = TestApp::spawn().await;
    let send =
        |body: Value| app.client.post(app.url("/api/v1/articles")).bearer_auth(&app.admin_token).json(&body).send();
    let (status, json) = problem(
        send(json!({"headline": "", "byline": "", "section": "World", "body": "x", "slug": "Not A Slug"}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = json["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["headline", "byline", "slug"]);

    let (status, json) =
        problem(send(json!({"headline": "H", "byline": "B", "section": "S", "body": "x", "colour": 1})).await.unwrap())
            .await;
    assert_eq!((status, json["code"].as_str()), (400, Some("invalid_body")));
    assert_eq!(app.store.count_articles().await.unwrap(), 0);
}

#[tokio::test]
async fn a_taken_slug_is_a_field_error() {
    let app = TestApp::spawn().await;
    app.article().with("slug", "same").create().await;
    let response = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(&app.admin_token)
        .json(&json!({"headline": "Other", "byline": "B", "section": "S", "body": "x", "slug": "same"}))
        .send()
        .await
        .unwrap();
    let (status, json) = problem(response).await;
    assert_eq!(status, 422);
    assert_eq!(json["errors"][0]["code"], "slug_taken");
    assert_eq!(app.store.count_articles().await.unwrap(), 1);
}

#[tokio::test]
async fn malformed_json_and_wrong_content_types_get_precise_errors() {
    let app = TestApp::spawn().await;
    let raw = |body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url("/api/v1/articles"))
            .bearer_auth(&app.admin_token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let (status, json) = problem(raw("{\"headline\": ", "application/json").await.unwrap()).await;
    assert_eq!((status, json["code"].as_str()), (400, Some("malformed_json")));
    let (status, json) = problem(raw("headline=x", "text/plain").await.unwrap()).await;
    assert_eq!((status, json["code"].as_str()), (415, Some("unsupported_media_type")));
}

#[tokio::test]
async fn scheduled_articles_stay_hidden_until_their_time() {
    let app = TestApp::spawn().await;
    app.article().with("slug", "later").with("published_at", "2999-01-01T00:00:00Z").create().await;
    app.article().with("slug", "now").create().await;
    let list: Value = app.get("/api/v1/articles").await.json().await.unwrap();
    let slugs: Vec<&str> = list["articles"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["now"]);
    assert_eq!(app.get("/api/v1/articles/later").await.status(), 404);
    assert_eq!(app.get("/articles/later").await.status(), 404);
}

#[tokio::test]
async fn unknown_articles_and_endpoints_are_problem_404s() {
    let app = TestApp::spawn().await;
    let (status, json) = problem(app.get("/api/v1/articles/nothing-here").await).await;
    assert_eq!((status, json["code"].as_str()), (404, Some("not_found")));
    let (status, _) = problem(app.get("/api/v1/nope").await).await;
    assert_eq!(status, 404);
    let (status, _) = problem(app.get("/api/v1/articles/'%20OR%201=1--").await).await;
    assert_eq!(status, 404);
}
