//! Section pages, paged, and "most discussed" on the home page.

use tribune_testkit::TestApp;

#[tokio::test]
async fn a_section_page_lists_its_articles_newest_first_in_pages() {
    let app = TestApp::spawn().await;
    for n in 1..=21 {
        app.article()
            .with("headline", format!("Weather report {n}"))
            .with("section", "Weather")
            .with("published_at", format!("2026-01-{n:02}T08:00:00Z"))
            .create()
            .await;
    }
    app.article().with("headline", "Cup final").with("section", "Sport").create().await;

    let (status, first) = app.get_text("/sections/weather").await;
    assert_eq!(status, 200);
    assert!(first.contains("<h1 class=\"section-title\">Weather</h1>"), "{first}");
    assert!(first.contains("Weather report 21") && first.contains("Weather report 2<"), "{first}");
    assert!(!first.contains("Weather report 1<") && !first.contains("Cup final"));
    assert!(first.find("Weather report 21").unwrap() < first.find("Weather report 20").unwrap());
    assert!(first.contains(r#"<a rel="next" href="&#x2f;sections&#x2f;weather?page=2">Older</a>"#), "{first}");
    assert!(first.contains(r#"href="/sections/weather/feed.rss">"#), "the section's feeds are linked");

    let (status, second) = app.get_text("/sections/weather?page=2").await;
    assert_eq!(status, 200);
    assert!(second.contains("Weather report 1<") && !second.contains("Weather report 2<"), "{second}");
    assert!(second.contains(r#"<a rel="prev" href="&#x2f;sections&#x2f;weather">Newer</a>"#), "{second}");
    assert!(!second.contains("rel=\"next\""));

    for missing in
        ["/sections/weather?page=3", "/sections/weather?page=0", "/sections/weather?page=x", "/sections/gardening"]
    {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
}

#[tokio::test]
async fn articles_link_their_section() {
    let app = TestApp::spawn().await;
    let slug = app.article().with("section", "Science & Nature").create().await;
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(page.contains(r#"<a href="/sections/science-nature">Science &amp; Nature</a>"#), "{page}");
    let (status, section) = app.get_text("/sections/science-nature").await;
    assert_eq!(status, 200);
    assert!(section.contains(&format!("&#x2f;articles&#x2f;{slug}")), "{section}");
}

#[tokio::test]
async fn the_home_page_shows_the_most_discussed_articles_by_published_comments() {
    let app = TestApp::spawn().await;
    let quiet = app.article().with("headline", "Quiet one").create().await;
    let busy = app.article().with("headline", "Busy one").create().await;
    app.article().with("headline", "Silent one").create().await;
    app.comment(&quiet, None, "a").await;
    for body in ["x", "y", "z"] {
        app.comment(&busy, None, body).await;
    }
    let (_, home) = app.get_text("/").await;
    let start = home.find("<aside class=\"most-discussed\"").expect("a most discussed list");
    let aside = &home[start..start + home[start..].find("</aside>").unwrap()];
    assert!(aside.find("Busy one").unwrap() < aside.find("Quiet one").unwrap(), "{aside}");
    assert!(aside.contains("3 new comments") && aside.contains("1 new comment<"), "{aside}");
    assert!(!aside.contains("Silent one"), "an article nobody discussed is not listed");
}

#[tokio::test]
async fn tags_link_to_their_pages_which_list_the_tagged_articles() {
    let app = TestApp::spawn().await;
    let tagged = app
        .article()
        .with("headline", "Tagged story")
        .with("tags", serde_json::json!(["Sea level", "Climate"]))
        .create()
        .await;
    app.article().with("headline", "Untagged story").create().await;
    let (_, page) = app.get_text(&format!("/articles/{tagged}")).await;
    assert!(page.contains(r#"<a rel="tag" href="/tags/sea-level">Sea level</a>"#), "{page}");
    assert!(page.contains(r#"<a rel="tag" href="/tags/climate">Climate</a>"#));

    let (status, tag) = app.get_text("/tags/sea-level").await;
    assert_eq!(status, 200);
    assert!(tag.contains("<h1 class=\"tag-title\">Sea level</h1>"), "{tag}");
    assert!(tag.contains("Tagged story") && !tag.contains("Untagged story"));
    assert_eq!(app.get("/tags/no-such-tag").await.status(), 404);

    let api: serde_json::Value = app.get(&format!("/api/v1/articles/{tagged}")).await.json().await.unwrap();
    assert_eq!(api["tags"][0]["name"], "Sea level");
    assert_eq!(api["tags"][1]["slug"], "climate");
}

#[tokio::test]
async fn too_many_tags_are_refused_with_a_field_error() {
    let app = TestApp::spawn().await;
    let tags: Vec<String> = (0..11).map(|n| format!("Tag {n}")).collect();
    let response = app
        .client
        .post(app.url("/api/v1/articles"))
        .bearer_auth(&app.admin_token)
        .json(&serde_json::json!({ "headline": "H", "byline": "B", "section": "S", "body": "x", "tags": tags }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "tags");
    assert_eq!(problem["errors"][0]["code"], "too_many");
}
