//! Author profiles: kept by editors on a staff screen (the account tied to a
//! profile edits its own bio), linked from bylines, shown on `/authors/{slug}`
//! with the author's published articles, feeds, JSON-LD and the sitemap.

use reqwest::Client;
use roxmltree::Document;
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::TestApp;

async fn editor(app: &TestApp) -> Client {
    app.signed_in_as(Role::Editor, "Eddie Editor").await.1
}

async fn post_form(client: &Client, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let response = client.post(app.url(path)).form(fields).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

async fn put_bylines(app: &TestApp, slug: &str, authors: Value) -> (u16, Value) {
    let response = app
        .client
        .put(app.url(&format!("/api/v1/articles/{slug}/bylines")))
        .bearer_auth(&app.admin_token)
        .json(&json!({ "authors": authors }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn json_ld(html: &str) -> Value {
    let open = r#"<script type="application/ld+json">"#;
    let start = html.find(open).expect("structured data") + open.len();
    serde_json::from_str(&html[start..start + html[start..].find("</script>").unwrap()]).unwrap()
}

fn field_error<'a>(html: &'a str, field: &str) -> &'a str {
    let open = format!(r#"<span class="field-error" id="error-{field}" data-field="{field}">"#);
    let start = html.find(&open).unwrap_or_else(|| panic!("no error slot for {field}: {html}")) + open.len();
    &html[start..start + html[start..].find("</span>").unwrap()]
}

#[tokio::test]
async fn an_editor_creates_a_profile_and_the_byline_links_to_the_author_page() {
    let app = TestApp::spawn().await;
    let editor = editor(&app).await;
    let fields = [("name", "Ada Byline"), ("photo_url", "/media/ada.jpg"), ("bio", "Covers *bridges*.")];
    let (status, location, _) = post_form(&editor, &app, "/newsroom/authors", &fields).await;
    assert_eq!((status, location.as_str()), (303, "/newsroom/authors/ada-byline?saved=1"));
    post_form(&editor, &app, "/newsroom/authors", &[("name", "Bo Second"), ("slug", "bo")]).await;

    let old = app.article().with("headline", "Old span").with("published_at", "2026-01-02T08:00:00Z").create().await;
    let new = app.article().with("headline", "New span").with("byline", "Staff").create().await;
    let later = app.article().with("headline", "Not yet").with("published_at", "2099-01-01").create().await;
    // The page is cached before the bylines change: setting them must drop it.
    let (_, before) = app.get_text(&format!("/articles/{new}")).await;
    assert!(before.contains(r#"<span class="author">Staff</span>"#), "the free-text byline without profiles");
    for slug in [&old, &later] {
        assert_eq!(put_bylines(&app, slug, json!(["ada-byline"])).await.0, 200);
    }
    let (status, body) = put_bylines(&app, &new, json!(["ada-byline", "bo", "ada-byline"])).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = body["bylines"].as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ada Byline", "Bo Second"], "in order, once each");

    let (_, page) = app.get_text(&format!("/articles/{new}")).await;
    assert!(
        page.contains(r#"By <a class="author" rel="author" href="&#x2f;authors&#x2f;ada-byline">Ada Byline</a> and <a class="author" rel="author" href="&#x2f;authors&#x2f;bo">Bo Second</a>"#),
        "{page}"
    );
    let api: Value = app.get(&format!("/api/v1/articles/{new}")).await.json().await.unwrap();
    let linked: Vec<&str> = api["bylines"].as_array().unwrap().iter().map(|b| b["slug"].as_str().unwrap()).collect();
    assert_eq!(linked, ["ada-byline", "bo"], "{api}");
    let authors = json_ld(&page)["author"].clone();
    let public = TestApp::config().public_url.trim_end_matches('/').to_owned();
    assert_eq!(authors[0]["@type"], "Person");
    assert_eq!(authors[0]["url"], format!("{public}/authors/ada-byline"));
    assert_eq!(authors[0]["image"], format!("{public}/media/ada.jpg"));
    assert_eq!(authors[1]["url"], format!("{public}/authors/bo"));

    let (status, author) = app.get_text("/authors/ada-byline").await;
    assert_eq!(status, 200);
    assert!(author.contains(r#"<h1 class="author-title">Ada Byline</h1>"#), "{author}");
    assert!(author.contains("Covers <em>bridges</em>."));
    assert!(author.contains(r#"<img class="author-photo" src="&#x2f;media&#x2f;ada.jpg""#));
    assert!(author.find("New span").unwrap() < author.find("Old span").unwrap(), "newest first");
    assert!(!author.contains("Not yet"), "a scheduled article is not listed");
    assert!(author.contains(r#"<link rel="alternate" type="application/rss+xml" title="Ada Byline"#));
    assert!(author.contains(r#"href="/authors/ada-byline/feed.atom">"#));
    for missing in
        ["/authors/nobody", "/authors/ada-byline?page=2", "/authors/ada-byline?page=x", "/authors/Bad%20Slug"]
    {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }

    let rss = app.get_text("/authors/ada-byline/feed.rss").await.1;
    let doc = Document::parse(&rss).expect("well-formed RSS");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .filter_map(|item| item.children().find(|n| n.has_tag_name("title")).and_then(|n| n.text()))
        .collect();
    assert_eq!(titles, ["New span", "Old span"]);
    let atom = app.get_text("/authors/bo/feed.atom").await.1;
    let doc = Document::parse(&atom).expect("well-formed Atom");
    let atom_ns = "http://www.w3.org/2005/Atom";
    let feed_title = doc.root_element().children().find(|n| n.has_tag_name((atom_ns, "title"))).and_then(|n| n.text());
    assert!(feed_title.unwrap().starts_with("Bo Second"));
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name((atom_ns, "entry"))).count(), 1);
    assert_eq!(app.get("/authors/nobody/feed.rss").await.status(), 404);

    let sitemap = app.get_text("/sitemap.xml").await.1;
    let doc = Document::parse(&sitemap).expect("well-formed sitemap");
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.iter().any(|l| l.ends_with("/authors/ada-byline")), "{locs:?}");
}

#[tokio::test]
async fn bad_profile_input_is_answered_next_to_each_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let editor = editor(&app).await;
    let fields = [
        ("name", ""),
        ("slug", "Not A Slug"),
        ("photo_url", "javascript:alert(1)"),
        ("user_email", "nobody@example.org"),
    ];
    let (status, _, page) = post_form(&editor, &app, "/newsroom/authors", &fields).await;
    assert_eq!(status, 422);
    assert_eq!(field_error(&page, "name"), "The name must not be empty.");
    assert!(field_error(&page, "slug").starts_with("Use lower-case letters"));
    assert_eq!(field_error(&page, "photo_url"), "The photo must be an http(s) address or a path on this site.");
    assert_eq!(field_error(&page, "user_email"), "No account has this e-mail address.");
    assert!(page.contains("value=\"javascript:alert(1)\""), "what was typed is kept");

    let (status, ..) = post_form(&editor, &app, "/newsroom/authors", &[("name", "Cy Taken")]).await;
    assert_eq!(status, 303);
    let (status, _, page) = post_form(&editor, &app, "/newsroom/authors", &[("name", "Cy Taken")]).await;
    assert_eq!(status, 422);
    assert_eq!(field_error(&page, "slug"), "Another profile already has the address &quot;cy-taken&quot;.");
    let long_bio = "b".repeat(4_001);
    let (status, _, page) = post_form(
        &editor,
        &app,
        "/newsroom/authors/cy-taken",
        &[("name", "Cy"), ("slug", "cy-taken"), ("bio", &long_bio)],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_error(&page, "bio"), "The bio may be at most 4000 characters.");
    let (_, list) =
        editor.get(app.url("/newsroom/authors")).send().await.unwrap().text().await.map(|t| ((), t)).unwrap();
    assert_eq!(list.matches("/newsroom/authors/").count(), 1, "one profile stored: {list}");

    let slug = app.article().create().await;
    let (status, body) = put_bylines(&app, &slug, json!(["cy-taken", "ghost"])).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("validation_failed")));
    assert_eq!(
        (body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()),
        (Some("authors"), Some("unknown_author"))
    );
    let (status, body) = put_bylines(&app, "no-such-article", json!(["cy-taken"])).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(!page.contains("rel=\"author\""), "a refused byline change changes nothing");
}

#[tokio::test]
async fn the_account_tied_to_a_profile_edits_its_own_bio_and_nothing_else() {
    let app = TestApp::spawn().await;
    let editor = editor(&app).await;
    let (writer, writer_client) = app.signed_in_as(Role::Commenter, "Wanda Writer").await;
    let (_, stranger) = app.signed_in_as(Role::Commenter, "Stan Ger").await;
    let fields = [("name", "Wanda Writer"), ("user_email", writer.email.as_str())];
    let (status, ..) = post_form(&editor, &app, "/newsroom/authors", &fields).await;
    assert_eq!(status, 303);

    let form = writer_client.get(app.url("/newsroom/authors/wanda-writer")).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    assert!(html.contains("name=\"bio\"") && !html.contains("name=\"name\""), "only the bio: {html}");
    let attempt = [("bio", "I write about *rivers*."), ("name", "Someone Else"), ("slug", "hijacked")];
    let (status, location, _) = post_form(&writer_client, &app, "/newsroom/authors/wanda-writer", &attempt).await;
    assert_eq!((status, location.as_str()), (303, "/newsroom/authors/wanda-writer?saved=1"));
    let (_, page) = app.get_text("/authors/wanda-writer").await;
    assert!(page.contains("I write about <em>rivers</em>.") && page.contains(">Wanda Writer</h1>"), "{page}");

    assert_eq!(stranger.get(app.url("/newsroom/authors/wanda-writer")).send().await.unwrap().status(), 403);
    let (status, ..) = post_form(&stranger, &app, "/newsroom/authors/wanda-writer", &[("bio", "Mine now")]).await;
    assert_eq!(status, 403);
    assert_eq!(writer_client.get(app.url("/newsroom/authors")).send().await.unwrap().status(), 403);

    // An account has at most one profile.
    let (status, _, page) =
        post_form(&editor, &app, "/newsroom/authors", &[("name", "Twin"), ("user_email", &writer.email)]).await;
    assert_eq!(status, 422);
    assert_eq!(field_error(&page, "user_email"), "That account already has a profile of its own.");
}
