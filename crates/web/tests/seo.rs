//! What search engines read: robots.txt, the sitemaps (parsed as XML) and
//! canonical addresses made from `public_url`.

use roxmltree::Document;
use tribune_domain::Timestamp;
use tribune_testkit::TestApp;
use tribune_web::SiteConfig;

const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const PUBLIC: &str = "https://news.example.org";

async fn app() -> TestApp {
    TestApp::spawn_with(SiteConfig {
        public_url: format!("{PUBLIC}/"),
        site_name: "Daily <Post>".into(),
        ..TestApp::config()
    })
    .await
}

async fn text(app: &TestApp, path: &str, content_type: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with(content_type), "{path} is {kind}");
    response.text().await.unwrap()
}

/// An RFC 3339 time `hours` before now.
fn hours_ago(hours: i64) -> String {
    Timestamp(Timestamp::now().0 - hours * 3_600_000).rfc3339()
}

#[tokio::test]
async fn robots_txt_points_at_both_sitemaps_and_keeps_crawlers_off_the_desks() {
    let app = app().await;
    let robots = text(&app, "/robots.txt", "text/plain").await;
    assert!(robots.contains(&format!("Sitemap: {PUBLIC}/sitemap.xml\n")), "{robots}");
    assert!(robots.contains(&format!("Sitemap: {PUBLIC}/sitemap-news.xml\n")), "{robots}");
    assert!(robots.contains("Disallow: /admin/") && robots.contains("Disallow: /api/"));
}

#[tokio::test]
async fn the_sitemap_lists_the_home_page_every_section_and_tag_and_every_published_article() {
    let app = app().await;
    app.article().with("headline", "Old news").with("published_at", "2020-05-01T09:00:00Z").create().await;
    app.article().with("headline", "Fresh news").with("tags", serde_json::json!(["Good news"])).create().await;
    app.article().with("headline", "Tomorrow").with("published_at", "2999-01-01").create().await;
    let xml = text(&app, "/sitemap.xml", "application/xml").await;
    let doc = Document::parse(&xml).expect("well-formed sitemap");
    assert!(doc.root_element().has_tag_name((SITEMAP, "urlset")));
    let urls: Vec<(String, Option<String>)> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((SITEMAP, "url")))
        .map(|url| {
            let child = |name: &str| url.children().find(|n| n.has_tag_name((SITEMAP, name))).and_then(|n| n.text());
            (child("loc").expect("loc").to_owned(), child("lastmod").map(str::to_owned))
        })
        .collect();
    let locs: Vec<&str> = urls.iter().map(|(loc, _)| loc.as_str()).collect();
    assert_eq!(
        locs,
        [
            format!("{PUBLIC}/"),
            format!("{PUBLIC}/sections/news"),
            format!("{PUBLIC}/tags/good-news"),
            format!("{PUBLIC}/articles/fresh-news"),
            format!("{PUBLIC}/articles/old-news")
        ],
        "nothing scheduled"
    );
    assert_eq!(urls[4].1.as_deref(), Some("2020-05-01T09:00:00Z"));
}

#[tokio::test]
async fn the_news_sitemap_lists_the_last_two_days_articles_with_publication_and_title() {
    let app = app().await;
    app.article().with("headline", "Three days old").with("published_at", hours_ago(72)).create().await;
    app.article()
        .with("headline", "Yesterday's <b>story</b> & more")
        .with("published_at", hours_ago(20))
        .create()
        .await;
    let xml = text(&app, "/sitemap-news.xml", "application/xml").await;
    let doc = Document::parse(&xml).expect("well-formed news sitemap");
    let urls: Vec<_> = doc.root_element().children().filter(|n| n.has_tag_name((SITEMAP, "url"))).collect();
    assert_eq!(urls.len(), 1, "only the last two days: {xml}");
    let find = |name: &str| {
        urls[0].descendants().find(|n| n.has_tag_name((NEWS, name))).and_then(|n| n.text()).unwrap_or_default()
    };
    assert_eq!(find("title"), "Yesterday's <b>story</b> & more", "text round-trips exactly");
    assert_eq!(find("name"), "Daily <Post>");
    assert_eq!(find("language"), "en");
    assert!(Timestamp::parse(find("publication_date")).is_some());
    let loc = urls[0].children().find(|n| n.has_tag_name((SITEMAP, "loc"))).and_then(|n| n.text());
    assert_eq!(loc, Some(format!("{PUBLIC}/articles/yesterday-s-b-story-b-more").as_str()), "{xml}");
}

/// The `href` of `<link rel="canonical">`, with the template's escapes undone.
fn canonical(html: &str) -> String {
    let start = html.find(r#"<link rel="canonical" href=""#).expect("a canonical link") + 28;
    let end = start + html[start..].find('"').unwrap();
    html[start..end].replace("&#x2f;", "/").replace("&amp;", "&")
}

#[tokio::test]
async fn pages_name_their_canonical_address_from_the_public_url() {
    let app = app().await;
    let slug = app.article().with("headline", "Canon").create().await;
    let (_, home) = app.get_text("/").await;
    assert_eq!(canonical(&home), format!("{PUBLIC}/"));
    let (_, page) = app.get_text(&format!("/articles/{slug}?sort=newest")).await;
    assert_eq!(canonical(&page), format!("{PUBLIC}/articles/canon"), "one address whatever the sort");
}

/// The page's JSON-LD, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let open = r#"<script type="application/ld+json">"#;
    assert_eq!(html.matches(open).count(), 1, "one block of structured data");
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON")
}

/// `content` of the `<meta>` whose `property` or `name` is `key`, unescaped.
fn meta(html: &str, key: &str) -> Option<String> {
    let tag = [format!(r#"<meta property="{key}" content=""#), format!(r#"<meta name="{key}" content=""#)]
        .into_iter()
        .find_map(|open| html.find(&open).map(|at| at + open.len()))?;
    let end = tag + html[tag..].find('"')?;
    Some(html[tag..end].replace("&#x2f;", "/").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
}

#[tokio::test]
async fn an_article_carries_news_article_json_ld_with_its_published_discussion() {
    let app = app().await;
    let slug = app
        .article()
        .with("headline", "Bridge </script><!-- reopens")
        .with("standfirst", "Traffic returns on Monday.")
        .with("byline", "Lena Ortiz")
        .with("section", "City")
        .with("published_at", "2026-03-04T10:00:00Z")
        .create()
        .await;
    let first = app.comment(&slug, None, "At last </script><script>alert(1)</script>").await;
    let reply = app.comment(&slug, Some(first), "Agreed.").await;
    let saved = app
        .client
        .put(app.url("/api/v1/moderation/settings"))
        .bearer_auth(&app.admin_token)
        .json(&serde_json::json!({ "premoderation": "all" }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    app.post_json(
        &format!("/api/v1/articles/{slug}/comments"),
        &serde_json::json!({ "name": "Held", "email": "held@example.org", "body": "Waiting for review" }),
    )
    .await;

    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    let data = json_ld(&html);
    let url = format!("{PUBLIC}/articles/{slug}");
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(data["headline"], "Bridge </script><!-- reopens", "the text reads back exactly");
    assert_eq!(data["description"], "Traffic returns on Monday.");
    assert_eq!(data["datePublished"], "2026-03-04T10:00:00Z");
    assert_eq!(data["dateModified"], "2026-03-04T10:00:00Z");
    assert_eq!(data["author"][0]["@type"], "Person");
    assert_eq!(data["author"][0]["name"], "Lena Ortiz");
    assert_eq!(data["publisher"]["@type"], "Organization");
    assert_eq!(data["publisher"]["name"], "Daily <Post>");
    assert_eq!(data["mainEntityOfPage"], url.as_str());
    assert_eq!(data["commentCount"], 2, "published comments only");
    let comments = data["comment"].as_array().expect("comments");
    assert_eq!(comments.len(), 2, "the held comment is not listed: {comments:?}");
    for comment in comments {
        assert_eq!(comment["@type"], "Comment");
        assert_eq!(comment["author"]["name"], "Reader");
        assert!(Timestamp::parse(comment["dateCreated"].as_str().unwrap()).is_some());
    }
    assert_eq!(comments[0]["text"], "At last </script><script>alert(1)</script>");
    assert_eq!(comments[0]["@id"], format!("{url}#comment-{first}"));
    assert_eq!(comments[1]["@id"], format!("{url}#comment-{reply}"));
    assert_eq!(comments[1]["parentItem"]["@id"], format!("{url}#comment-{first}"));
    assert!(comments[0].get("parentItem").is_none());

    assert_eq!(meta(&html, "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&html, "og:title").as_deref(), Some("Bridge </script><!-- reopens"));
    assert_eq!(meta(&html, "og:description").as_deref(), Some("Traffic returns on Monday."));
    assert_eq!(meta(&html, "og:url"), Some(url));
    assert_eq!(meta(&html, "og:site_name").as_deref(), Some("Daily <Post>"));
    assert_eq!(meta(&html, "article:published_time").as_deref(), Some("2026-03-04T10:00:00Z"));
    assert_eq!(meta(&html, "twitter:card").as_deref(), Some("summary"));
    assert_eq!(meta(&html, "twitter:title").as_deref(), Some("Bridge </script><!-- reopens"));
}
