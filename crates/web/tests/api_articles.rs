//! The articles API, through HTTP against a real server and database.

use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
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
    assert_eq!((status, json["code"].as_str()), (401, Some("unauthorized")), "as docs/api.md says");

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

#[tokio::test]
async fn every_api_route_answers_a_wrong_method_with_a_405_problem_and_allow() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let mut methods: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for route in app.routes.iter().filter(|r| r.path.starts_with("/api/")) {
        methods.entry(route.path).or_default().insert(route.method.to_string());
    }
    assert!(methods.len() >= 4, "{methods:?}");
    for (path, allowed) in &methods {
        let url = app.url(&path.replace("{slug}", &slug));
        for method in [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            if allowed.contains(method.as_str()) {
                continue;
            }
            let response = app.client.request(method.clone(), &url).send().await.unwrap();
            let allow = response.headers().get("allow").map(|v| v.to_str().unwrap().to_owned());
            let (status, json) = problem(response).await;
            assert_eq!((status, json["code"].as_str()), (405, Some("method_not_allowed")), "{method} {path}");
            let allow = allow.unwrap_or_else(|| panic!("no Allow header on {method} {path}"));
            for expected in allowed {
                assert!(allow.contains(expected.as_str()), "{method} {path}: Allow {allow} lacks {expected}");
            }
        }
    }
}

#[tokio::test]
async fn a_path_that_is_not_utf8_is_a_problem_not_plain_text() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    for path in [
        "/api/v1/articles/%FF".to_owned(),
        "/api/v1/articles/%C0%AF/comments".to_owned(),
        "/api/v1/articles/a%FFb/comments/live".to_owned(),
        format!("/api/v1/articles/{slug}%FF"),
    ] {
        let (status, json) = problem(app.get(&path).await).await;
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(json["type"].as_str().unwrap().starts_with("/docs/api#"), "{json}");
    }
    let response = app.get("/articles/%FF").await;
    assert_eq!(response.status(), 400);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "pages answer in HTML");
}

/// Every problem `code` the web crate can answer with, read from its source:
/// `code: "…"` literals, the OpenID helper's `refused("…"` and the fixed
/// codes of `AppError::code` (`=> "…"` in error.rs), plus the code the domain
/// hands through (the sort order's).
fn codes_in_source() -> BTreeSet<String> {
    /// The snake_case string literal after each `marker` (whitespace allowed between).
    fn literals_after(text: &str, marker: &str, codes: &mut BTreeSet<String>) {
        for (at, _) in text.match_indices(marker) {
            let Some(rest) = text[at + marker.len()..].trim_start().strip_prefix('"') else { continue };
            let code: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if !code.is_empty() && rest[code.len()..].starts_with('"') {
                codes.insert(code);
            }
        }
    }
    fn walk(dir: &std::path::Path, codes: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, codes);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                literals_after(&text, "code:", codes);
                literals_after(&text, "refused(", codes);
                if path.ends_with("error.rs") {
                    literals_after(&text, "=>", codes);
                }
            }
        }
    }
    let mut codes = BTreeSet::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut codes);
    codes.insert(tribune_domain::SortOrder::parse("?").unwrap_err().code.to_owned());
    codes
}

#[tokio::test]
async fn the_api_documentation_is_served_with_an_anchor_for_every_error_code() {
    let app = TestApp::spawn().await;
    let response = app.get("/docs/api").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("Tribune JSON API") && html.contains("<table>"), "the Markdown is rendered");
    let codes = codes_in_source();
    for known in
        ["not_found", "invalid_body", "method_not_allowed", "invalid_next", "oidc_state_mismatch", "invalid_sort"]
    {
        assert!(codes.contains(known), "the scan finds {known}: {codes:?}");
    }
    let missing: Vec<_> = codes.iter().filter(|code| !html.contains(&format!(r#"id="{code}""#))).collect();
    assert!(missing.is_empty(), "codes without an anchor on /docs/api: {missing:?}");

    // The problem's `type` leads there.
    let (_, json) = problem(app.get("/api/v1/articles/nothing-here").await).await;
    assert_eq!(json["type"], "/docs/api#not_found");
}
