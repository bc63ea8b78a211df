//! `/search?q=`: published articles with every word, best match first,
//! highlighted snippets, pages; the same on SQLite and PostgreSQL.

use tribune_testkit::TestApp;

/// The results' headlines, in order.
fn headlines(html: &str) -> Vec<String> {
    html.split("<li class=\"search-result\">")
        .skip(1)
        .map(|item| {
            let link = &item[item.find("<h2><a href=").unwrap()..];
            let text = &link[link.find('>').unwrap() + 1..];
            let text = &text[text.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn search_ranks_headline_matches_first_and_marks_matches_in_snippets() {
    let app = TestApp::spawn().await;
    app.article()
        .with("headline", "Council meets")
        .with("body", "Long before the vote, the old **bridge** was closed for repairs.")
        .create()
        .await;
    app.article().with("headline", "Bridge reopens").with("body", "Traffic is back on the river.").create().await;
    app.article().with("headline", "Bridge plans").with("published_at", "2999-01-01").create().await;
    app.article().with("headline", "Tunnel news").with("body", "Nothing about crossings.").create().await;

    let (status, html) = app.get_text("/search?q=bridges").await;
    assert_eq!(status, 200);
    assert_eq!(headlines(&html), ["Bridge reopens", "Council meets"], "stemmed; nothing scheduled: {html}");
    assert!(html.contains("the old <mark>bridge</mark> was closed"), "{html}");
    assert!(html.contains(r#"value="bridges""#), "the query is shown back");

    let (_, none) = app.get_text("/search?q=bridge+tunnel").await;
    assert!(headlines(&none).is_empty() && none.contains("No articles match"), "every word must match");
    let (status, empty) = app.get_text("/search?q=%22*%22+--").await;
    assert_eq!(status, 200, "a query of punctuation is no error");
    assert!(empty.contains("Type a word to search for."));
    let (status, _) = app.get_text("/search").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn search_results_come_in_pages_of_ten() {
    let app = TestApp::spawn().await;
    for n in 1..=12 {
        app.article()
            .with("headline", format!("Harbour story {n}"))
            .with("published_at", format!("2026-02-{n:02}T08:00:00Z"))
            .create()
            .await;
    }
    let (_, first) = app.get_text("/search?q=harbour").await;
    assert_eq!(headlines(&first).len(), 10);
    assert!(first.contains(r#"<a rel="next" href="&#x2f;search?q=harbour&amp;page=2">Next</a>"#), "{first}");
    let (_, second) = app.get_text("/search?q=harbour&page=2").await;
    assert_eq!(headlines(&second).len(), 2);
    assert!(second.contains(r#"<a rel="prev" href="&#x2f;search?q=harbour">Previous</a>"#), "{second}");
    let mut all = headlines(&first);
    all.extend(headlines(&second));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 12, "every article once");
    assert_eq!(app.get("/search?q=harbour&page=0").await.status(), 404);
}

#[tokio::test]
async fn every_page_offers_the_search_box() {
    let app = TestApp::spawn().await;
    let (_, home) = app.get_text("/").await;
    assert!(
        home.contains(r#"<form class="masthead-search" role="search" method="get" action="&#x2f;search">"#)
            || home.contains(r#"<form class="masthead-search" role="search" method="get" action="/search">"#)
    );
}
