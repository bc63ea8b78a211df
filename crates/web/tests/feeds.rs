//! RSS 2.0 and Atom feeds, read with an XML parser: the site's and each
//! section's articles, and published comments per article and site-wide.

use roxmltree::{Document, Node};
use serde_json::json;
use tribune_testkit::TestApp;

const ATOM: &str = "http://www.w3.org/2005/Atom";

async fn xml(app: &TestApp, path: &str, content_type: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with(content_type), "{path} is {kind}");
    response.text().await.unwrap()
}

fn child_text<'a>(node: Node<'a, 'a>, name: &str) -> &'a str {
    node.children().find(|n| n.has_tag_name(name)).and_then(|n| n.text()).unwrap_or("")
}

/// Each RSS item's title, link and description.
fn rss_items(text: &str) -> Vec<(String, String, String)> {
    let doc = Document::parse(text).expect("well-formed RSS");
    let rss = doc.root_element();
    assert!(rss.has_tag_name("rss") && rss.attribute("version") == Some("2.0"));
    let channel = rss.children().find(|n| n.has_tag_name("channel")).expect("channel");
    assert!(!child_text(channel, "title").is_empty() && !child_text(channel, "link").is_empty());
    channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .map(|item| {
            assert!(!child_text(item, "pubDate").is_empty() && !child_text(item, "guid").is_empty());
            (child_text(item, "title").into(), child_text(item, "link").into(), child_text(item, "description").into())
        })
        .collect()
}

/// Each Atom entry's title, alternate link and summary or content.
fn atom_entries(text: &str) -> Vec<(String, String, String)> {
    let doc = Document::parse(text).expect("well-formed Atom");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "the Atom namespace");
    for required in ["id", "title", "updated"] {
        assert!(!child_text(feed, required).is_empty(), "a feed has {required}");
    }
    feed.children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .map(|entry| {
            for required in ["id", "title", "updated", "published"] {
                assert!(!child_text(entry, required).is_empty(), "an entry has {required}");
            }
            let author = entry.children().find(|n| n.has_tag_name((ATOM, "author"))).expect("author");
            assert!(!child_text(author, "name").is_empty());
            let link = entry.children().find(|n| n.has_tag_name((ATOM, "link"))).expect("link");
            let body = match child_text(entry, "summary") {
                "" => child_text(entry, "content"),
                summary => summary,
            };
            (child_text(entry, "title").into(), link.attribute("href").unwrap_or("").into(), body.into())
        })
        .collect()
}

fn titles(items: &[(String, String, String)]) -> Vec<&str> {
    items.iter().map(|(title, _, _)| title.as_str()).collect()
}

#[tokio::test]
async fn the_site_feeds_list_published_articles_newest_first_with_absolute_links() {
    let app = TestApp::spawn_with_config_fn(|address| tribune_web::SiteConfig {
        public_url: format!("{address}/"),
        ..TestApp::config()
    })
    .await;
    app.article().with("headline", "Older story").with("published_at", "2026-01-01T08:00:00Z").create().await;
    let hostile = "Tags <b>&</b> ]]> \"quotes\" </title><script>alert(1)</script>";
    app.article()
        .with("headline", hostile)
        .with("standfirst", "A <i>dek</i> & more")
        .with("published_at", "2026-01-02T08:00:00Z")
        .create()
        .await;
    app.article().with("headline", "Not yet").with("published_at", "2999-01-01T00:00:00Z").create().await;

    let rss = rss_items(&xml(&app, "/feed.rss", "application/rss+xml").await);
    assert_eq!(titles(&rss), [hostile, "Older story"], "newest first, nothing scheduled");
    assert_eq!(rss[0].2, "A <i>dek</i> & more", "text comes back exactly as written");
    assert_eq!(rss[1].1, app.url("/articles/older-story"));

    let atom = atom_entries(&xml(&app, "/feed.atom", "application/atom+xml").await);
    assert_eq!(titles(&atom), [hostile, "Older story"]);
    assert_eq!(atom[1].1, app.url("/articles/older-story"));
}

#[tokio::test]
async fn a_section_feed_lists_only_its_articles_and_an_unknown_section_is_not_found() {
    let app = TestApp::spawn().await;
    app.article().with("headline", "Rain again").with("section", "Weather").create().await;
    app.article().with("headline", "Goal!").with("section", "Sport").create().await;
    let rss = rss_items(&xml(&app, "/sections/weather/feed.rss", "application/rss+xml").await);
    assert_eq!(titles(&rss), ["Rain again"]);
    let atom = atom_entries(&xml(&app, "/sections/sport/feed.atom", "application/atom+xml").await);
    assert_eq!(titles(&atom), ["Goal!"]);
    assert_eq!(app.get("/sections/gardening/feed.rss").await.status(), 404);
    assert_eq!(app.get("/sections/NOT%20A%20SLUG/feed.atom").await.status(), 404);
}

#[tokio::test]
async fn comment_feeds_carry_only_published_comments_escaped() {
    let app = TestApp::spawn().await;
    let slug = app.article().with("headline", "Talk about it").create().await;
    let other = app.article().with("headline", "Elsewhere").create().await;
    app.comment(&slug, None, "First <script>alert(1)</script> & **bold**").await;
    app.comment(&other, None, "On the other article").await;
    let saved = app
        .client
        .put(app.url("/api/v1/moderation/settings"))
        .bearer_auth(&app.admin_token)
        .json(&json!({ "premoderation": "all" }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let held = app
        .post_json(
            &format!("/api/v1/articles/{slug}/comments"),
            &json!({ "name": "Sus", "email": "sus@example.org", "body": "Held for review" }),
        )
        .await;
    assert_eq!(held.json::<serde_json::Value>().await.unwrap()["status"], "pending");

    let rss = rss_items(&xml(&app, &format!("/articles/{slug}/comments/feed.rss"), "application/rss+xml").await);
    assert_eq!(rss.len(), 1, "the held comment is not in the feed: {rss:?}");
    assert!(rss[0].0.contains("Reader") && rss[0].0.contains("Talk about it"));
    assert!(rss[0].1.ends_with(&format!("/articles/{slug}#comment-1")) || rss[0].1.contains("#comment-"));
    assert!(rss[0].2.contains("<strong>bold</strong>"), "the page's sanitized HTML: {}", rss[0].2);
    assert!(!rss[0].2.contains("<script"), "{}", rss[0].2);

    let site = atom_entries(&xml(&app, "/comments/feed.atom", "application/atom+xml").await);
    assert_eq!(site.len(), 2, "both articles' published comments: {site:?}");
    assert!(site[0].2.contains("On the other article"), "newest first");
    assert!(site.iter().all(|(_, _, body)| !body.contains("Held for review")));

    assert_eq!(app.get("/articles/no-such-story/comments/feed.atom").await.status(), 404);
}

#[tokio::test]
async fn pages_link_their_feeds() {
    let app = TestApp::spawn().await;
    let slug = app.article().with("section", "Weather").with("tags", json!(["Heat wave"])).create().await;
    let (_, home) = app.get_text("/").await;
    assert!(home.contains(r#"<link rel="alternate" type="application/rss+xml" title="Tribune" href="/feed.rss">"#));
    assert!(home.contains(r#"type="application/atom+xml" title="Tribune" href="/feed.atom">"#), "{home}");
    let (_, article) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(article.contains(&format!(r#"href="/articles/{slug}/comments/feed.rss">"#)), "{article}");
    assert!(article.contains(r#"href="/sections/weather/feed.atom">"#), "{article}");
    assert!(article.contains(r#"title="Heat wave · Tribune" href="/tags/heat-wave/feed.atom">"#), "{article}");
    assert!(article.contains(r#"href="/feed.rss">"#));
}

#[tokio::test]
async fn a_tag_feed_lists_its_articles_and_the_tag_page_links_it() {
    let app = TestApp::spawn().await;
    app.article().with("headline", "Flood defences").with("tags", json!(["Sea level"])).create().await;
    app.article().with("headline", "Cup final").create().await;
    let rss = rss_items(&xml(&app, "/tags/sea-level/feed.rss", "application/rss+xml").await);
    assert_eq!(titles(&rss), ["Flood defences"]);
    let atom = atom_entries(&xml(&app, "/tags/sea-level/feed.atom", "application/atom+xml").await);
    assert_eq!(titles(&atom), ["Flood defences"]);
    assert_eq!(app.get("/tags/unknown/feed.rss").await.status(), 404);
    let (_, page) = app.get_text("/tags/sea-level").await;
    assert!(page.contains(r#"title="Sea level · Tribune" href="/tags/sea-level/feed.atom">"#), "{page}");
}
