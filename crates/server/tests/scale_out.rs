//! Two `tribune serve` processes on one PostgreSQL database, as behind a load
//! balancer: what is posted to one shows on the other's page, API and live
//! stream, with no state shared but the database.

use std::path::Path;
use std::time::Duration;
use tribune_testkit::{PgTestDatabase, ServerProcess, SseClient};

const SLUG: &str = "ferry-terminal-library";

#[tokio::test]
async fn a_comment_posted_to_one_instance_reaches_the_other() {
    let Some(database) = PgTestDatabase::create_unless_skipped("two_instances").await else { return };
    let binary = Path::new(env!("CARGO_BIN_EXE_tribune"));
    let dir = tempfile::tempdir().unwrap();
    let args = ["--database-url", database.url.as_str()];
    let first = ServerProcess::start(binary, dir.path(), &args);
    let second = ServerProcess::start(binary, dir.path(), &args);
    assert!(first.admin_token.is_some() && second.admin_token.is_none(), "one site, one token");

    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    // The second instance renders (and caches) the page before the comment exists.
    let page = client.get(second.url(&format!("/articles/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("9 comments on"));
    let mut live = SseClient::connect(&second.url(&format!("/api/v1/articles/{SLUG}/comments/live")), None).await;

    let body = serde_json::json!({"name": "Across", "email": "a@example.org", "body": "Posted to the first instance"});
    let created =
        client.post(first.url(&format!("/api/v1/articles/{SLUG}/comments"))).json(&body).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();

    let event = live.expect("comment", Duration::from_secs(5)).await;
    assert_eq!(event.id, Some(id.to_string()), "the second instance's live stream carries it");

    let page = client.get(second.url(&format!("/articles/{SLUG}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Posted to the first instance"), "the second instance's cached page was replaced");
    assert!(page.contains("10 comments on"));
    let json = client.get(second.url(&format!("/api/v1/articles/{SLUG}/comments"))).send().await.unwrap();
    assert!(json.text().await.unwrap().contains("Posted to the first instance"));

    drop((first, second));
    database.drop_database().await.unwrap();
}

#[tokio::test]
async fn an_instance_recovers_by_itself_when_its_database_connections_are_cut() {
    let Some(database) = PgTestDatabase::create_unless_skipped("lost_connections").await else { return };
    let app = tribune_testkit::TestApp::spawn_on_postgres(&database.url, tribune_testkit::TestApp::config()).await;
    let slug = app.article().create().await;
    assert_eq!(app.get(&format!("/api/v1/articles/{slug}")).await.status(), 200);

    // What a restarting or failing-over PostgreSQL does to open connections.
    let admin = sqlx_admin(&PgTestDatabase::admin_url()).await;
    let cut: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(&database.name)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert!(cut > 0, "the instance had connections to cut");

    let mut recovered = false;
    for _ in 0..50 {
        let response = app.get(&format!("/api/v1/articles/{slug}")).await;
        match response.status().as_u16() {
            200 => {
                recovered = true;
                break;
            }
            503 => {
                assert!(response.headers().contains_key("retry-after"), "503 says when to retry");
                let problem: serde_json::Value = response.json().await.unwrap();
                assert_eq!(problem["code"], "unavailable");
            }
            other => panic!("a lost connection must be 503 or recovered, not {other}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the instance never recovered");
    drop(app);
    database.drop_database().await.unwrap();
}

async fn sqlx_admin(url: &str) -> sqlx::PgPool {
    sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await.unwrap()
}
