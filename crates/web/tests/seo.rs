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
async fn the_sitemap_lists_the_home_page_and_every_published_article() {
    let app = app().await;
    app.article().with("headline", "Old news").with("published_at", "2020-05-01T09:00:00Z").create().await;
    app.article().with("headline", "Fresh news").create().await;
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
        [format!("{PUBLIC}/"), format!("{PUBLIC}/articles/fresh-news"), format!("{PUBLIC}/articles/old-news")],
        "nothing scheduled"
    );
    assert_eq!(urls[2].1.as_deref(), Some("2020-05-01T09:00:00Z"));
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
