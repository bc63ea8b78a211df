//! Moderation through HTTP: comments passing the site's policies, the desk
//! and its API, reports, authors, settings and the audit log, on the real
//! server with a real database (SQLite, or PostgreSQL with
//! TRIBUNE_TEST_BACKEND=postgres).

mod authors;
mod desk;
mod pipeline;
mod reports;
mod scorer;
mod settings;

use reqwest::Client;
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::TestApp;

/// Saves moderation settings through the API with the admin token.
pub async fn set_moderation(app: &TestApp, settings: Value) {
    let response = app
        .client
        .put(app.url("/api/v1/moderation/settings"))
        .bearer_auth(&app.admin_token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(status, 200, "saving settings: {}", response.text().await.unwrap());
}

/// Posts a guest comment through the API; returns the response.
pub async fn guest_comment(app: &TestApp, slug: &str, email: &str, body: &str) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/articles/{slug}/comments"),
        &json!({ "name": "Guest", "email": email, "body": body }),
    )
    .await
}

/// A guest comment that must be accepted (published or held); its id and status.
pub async fn posted(app: &TestApp, slug: &str, email: &str, body: &str) -> (i64, String) {
    let response = guest_comment(app, slug, email, body).await;
    assert_eq!(response.status(), 201, "posting {body:?}");
    let json: Value = response.json().await.unwrap();
    (json["id"].as_i64().unwrap(), json["status"].as_str().unwrap().to_owned())
}

pub async fn moderator(app: &TestApp) -> Client {
    app.signed_in_as(Role::Moderator, "Mona Moderator").await.1
}

/// One queue through the API, as a moderator sees it.
pub async fn queue(app: &TestApp, client: &Client, queue: &str, query: &str) -> Value {
    let response = client.get(app.url(&format!("/api/v1/moderation/queues/{queue}{query}"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

pub fn ids(page: &Value) -> Vec<i64> {
    page["comments"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

/// A moderator's action through the API.
pub async fn act(app: &TestApp, client: &Client, id: i64, body: Value) -> reqwest::Response {
    client.post(app.url(&format!("/api/v1/moderation/comments/{id}/actions"))).json(&body).send().await.unwrap()
}

/// The published discussion as readers get it from the API.
pub async fn thread(app: &TestApp, slug: &str) -> Value {
    app.get(&format!("/api/v1/articles/{slug}/comments")).await.json().await.unwrap()
}

pub async fn audit(app: &TestApp, query: &str) -> Vec<Value> {
    let response = app
        .client
        .get(app.url(&format!("/api/v1/moderation/audit{query}")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    page["entries"].as_array().unwrap().clone()
}
