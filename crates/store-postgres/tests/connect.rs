//! Connecting fails clearly and quickly when no PostgreSQL answers. These
//! need no server; the conformance suite tests a live one.

use std::time::{Duration, Instant};
use tribune_store::DbError;
use tribune_store_postgres::{PgOptions, PgStore};

fn quick() -> PgOptions {
    PgOptions { connect_timeout: Duration::from_millis(500), ..PgOptions::default() }
}

#[tokio::test]
async fn a_refused_connection_is_unavailable_and_names_the_server() {
    let port = {
        // A port nobody listens on: bind one, note it, free it.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let started = Instant::now();
    let url = format!("postgres://tribune:secret-password@127.0.0.1:{port}/tribune");
    match PgStore::connect(&url, quick()).await {
        Err(DbError::Unavailable(message)) => {
            assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
            assert!(!message.contains("secret-password"), "the password is never shown: {message}");
        }
        Err(other) => panic!("expected Unavailable, got {other:?}"),
        Ok(_) => panic!("expected Unavailable, connected"),
    }
    assert!(started.elapsed() < Duration::from_secs(3), "fails fast: {:?}", started.elapsed());
}

#[tokio::test]
async fn a_server_that_never_answers_is_unavailable_after_the_connect_timeout() {
    // Accepts the connection, then says nothing.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let started = Instant::now();
    let url = format!("postgres://tribune@127.0.0.1:{port}/tribune");
    match PgStore::connect(&url, quick()).await {
        Err(DbError::Unavailable(message)) => {
            assert!(message.contains("did not answer"), "{message}")
        }
        Err(other) => panic!("expected Unavailable, got {other:?}"),
        Ok(_) => panic!("expected Unavailable, connected"),
    }
    assert!(started.elapsed() < Duration::from_secs(3), "gives up: {:?}", started.elapsed());
    silent.abort();
}

#[tokio::test]
async fn a_url_that_is_not_postgres_is_unavailable() {
    for url in ["sqlite://tribune.db", "postgres://127.0.0.1:notaport/x"] {
        match PgStore::connect(url, quick()).await {
            Err(DbError::Unavailable(message)) => assert!(message.contains("URL"), "{message}"),
            Err(other) => panic!("{url}: expected Unavailable, got {other:?}"),
            Ok(_) => panic!("{url}: expected Unavailable, connected"),
        }
    }
}

#[test]
fn default_options_fit_a_small_server() {
    let options = PgOptions::default();
    assert_eq!(options.max_connections, 10);
    assert_eq!(options.connect_timeout, Duration::from_secs(5));
    assert!(options.statement_timeout >= Duration::from_secs(1));
}
