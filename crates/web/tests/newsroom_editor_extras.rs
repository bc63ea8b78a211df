//! The editor's bylines and featured image: set with the text through the
//! newsroom API and the editor form, checked together with it (one refusal
//! names every problem and nothing is saved), previewed and published.

use reqwest::Client;
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_media::fixtures;
use tribune_testkit::TestApp;

/// Two author profiles (`ada`, `bo`) and an uploaded image; returns its key.
async fn profiles_and_an_image(app: &TestApp) -> String {
    let (_, editor) = app.signed_in_as(Role::Editor, "Eddie Editor").await;
    for (name, slug) in [("Ada Byline", "ada"), ("Bo Second", "bo")] {
        let response =
            editor.post(app.url("/newsroom/authors")).form(&[("name", name), ("slug", slug)]).send().await.unwrap();
        assert_eq!(response.status(), 303, "{name}");
    }
    let file = reqwest::multipart::Part::bytes(fixtures::jpeg(1200, 800)).file_name("boats.jpg");
    let form =
        reqwest::multipart::Form::new().part("file", file).text("alt", "Its own alt").text("credit", "Photo: Lee");
    let response =
        app.client.post(app.url("/api/v1/images")).bearer_auth(&app.admin_token).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["key"].as_str().unwrap().to_owned()
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn slugs(article: &Value) -> Vec<&str> {
    article["bylines"].as_array().unwrap().iter().map(|b| b["slug"].as_str().unwrap()).collect()
}

fn field_error<'a>(html: &'a str, field: &str) -> &'a str {
    let open = format!(r#"<span class="field-error" id="error-{field}" data-field="{field}">"#);
    let start = html.find(&open).unwrap_or_else(|| panic!("no error slot for {field}")) + open.len();
    &html[start..start + html[start..].find("</span>").unwrap()]
}

#[tokio::test]
async fn the_newsroom_api_saves_bylines_and_the_featured_image_with_the_text() {
    let app = TestApp::spawn().await;
    let key = profiles_and_an_image(&app).await;
    let (_, author) = app.signed_in_as(Role::Author, "Ann Author").await;
    let article = |extra: Value| {
        let mut body = json!({ "headline": "Boats home", "byline": "Ann Author", "section": "News", "body": "Text." });
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };

    // Every problem at once, and nothing saved.
    let bad = article(json!({ "authors": ["ada", "nobody"], "featured_image": { "image": "no-such-key" } }));
    let (status, problem) = send(author.post(app.url("/api/v1/newsroom/articles")).json(&bad)).await;
    assert_eq!(status, 422, "{problem}");
    let codes: Vec<(&str, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, [("authors", "unknown_author"), ("featured_image", "unknown_image")], "{problem}");
    assert!(
        app.store
            .newsroom_articles(&tribune_store::NewsroomFilter { limit: 10, ..Default::default() })
            .await
            .unwrap()
            .is_empty(),
        "nothing saved"
    );

    let good = article(json!({ "authors": ["bo", "ada"], "featured_image": { "image": key, "alt": "Boats at dawn" } }));
    let (status, created) = send(author.post(app.url("/api/v1/newsroom/articles")).json(&good)).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(slugs(&created), ["bo", "ada"], "in the order given");
    let featured = &created["featured_image"];
    assert_eq!((featured["image"].as_str(), featured["alt"].as_str()), (Some(key.as_str()), Some("Boats at dawn")));
    assert_eq!(featured["credit"], "Photo: Lee", "words left out take the image's own");
    assert!(featured["url"].as_str().unwrap().starts_with("/media/"));
    let id = created["id"].as_i64().unwrap();
    let url = app.url(&format!("/api/v1/newsroom/articles/{id}"));

    // A save that leaves them out keeps them; an empty image key removes it.
    let keep = json!({ "headline": "Boats home", "byline": "Ann Author", "section": "News", "body": "More.", "base_revision": 1 });
    let (status, saved) = send(author.put(&url).json(&keep)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(slugs(&saved), ["bo", "ada"]);
    assert_eq!(saved["featured_image"]["image"], key.as_str());
    let (_, shown) = send(author.get(&url)).await;
    assert_eq!(shown["featured_image"]["alt"], "Boats at dawn");

    let (_, editor) = app.signed_in_as(Role::Editor, "Ed Editor").await;
    let (status, _) = send(editor.post(format!("{url}/transitions")).json(&json!({ "action": "publish" }))).await;
    assert_eq!(status, 200);
    let (_, page) = app.get_text("/articles/boats-home").await;
    assert!(page.contains(r#"<a class="author" rel="author" href="&#x2f;authors&#x2f;bo">Bo Second</a>"#), "{page}");
    assert!(page.contains(r#"<figure class="featured-image">"#) && page.contains(r#"alt="Boats at dawn""#));

    // Changing them on a published article reaches the cached page.
    let change = json!({ "headline": "Boats home", "byline": "Ann Author", "section": "News", "body": "More.",
        "base_revision": 2, "authors": ["ada"], "featured_image": { "image": "" } });
    let (status, saved) = send(editor.put(&url).json(&change)).await;
    assert_eq!(status, 200, "{saved}");
    assert!(saved["featured_image"].is_null());
    let (_, page) = app.get_text("/articles/boats-home").await;
    assert!(!page.contains("featured-image") && !page.contains("Bo Second"), "{page}");
    assert!(page.contains("Ada Byline"));

    // Ill-typed extras are a problem document, not a crash.
    let wrong = json!({ "headline": "X", "byline": "Y", "section": "News", "body": "Z", "authors": "ada" });
    let (status, problem) = send(author.post(app.url("/api/v1/newsroom/articles")).json(&wrong)).await;
    assert_eq!(status, 400, "{problem}");
}

fn form<'a>(intent: &'a str, authors: &'a str, image: &'a str, alt: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("headline", "Harbour photos"),
        ("standfirst", ""),
        ("byline", "Ann Author"),
        ("authors", authors),
        ("section", "News"),
        ("tags", ""),
        ("slug", ""),
        ("body", "The fleet came home."),
        ("featured_image", image),
        ("featured_alt", alt),
        ("featured_caption", ""),
        ("featured_credit", ""),
        ("base_revision", "0"),
        ("intent", intent),
    ]
}

async fn post(client: &Client, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let response = client.post(app.url(path)).form(fields).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

#[tokio::test]
async fn the_editor_form_sets_previews_and_refuses_bylines_and_the_featured_image_next_to_their_fields() {
    let app = TestApp::spawn().await;
    let key = profiles_and_an_image(&app).await;
    let (_, author) = app.signed_in_as(Role::Author, "Ann Author").await;

    let new = author.get(app.url("/newsroom/new")).send().await.unwrap().text().await.unwrap();
    assert!(new.contains(r#"<option value="ada">Ada Byline</option>"#), "the profiles are offered: {new}");
    assert!(new.contains(&format!(r#"<option value="{key}">Its own alt</option>"#)), "recent uploads are offered");

    let (status, _, preview) = post(&author, &app, "/newsroom/articles", &form("preview", "ada, bo", &key, "")).await;
    assert_eq!(status, 200);
    let shown = preview.split(r#"id="preview-story""#).nth(1).expect("the preview");
    assert!(shown.contains("Ada Byline</a> and <a"), "{shown}");
    assert!(shown.contains(r#"<figure class="featured-image">"#) && shown.contains(r#"alt="Its own alt""#));

    let (status, _, refused) =
        post(&author, &app, "/newsroom/articles", &form("save", "ada, ghost", "missing-key", "")).await;
    assert_eq!(status, 422);
    assert!(field_error(&refused, "authors").contains("ghost"), "{refused}");
    assert!(field_error(&refused, "featured_image").contains("missing-key"));
    assert!(refused.contains(r#"value="ada, ghost""#) && refused.contains(r#"value="missing-key""#), "kept");
    assert!(
        app.store
            .newsroom_articles(&tribune_store::NewsroomFilter { limit: 10, ..Default::default() })
            .await
            .unwrap()
            .is_empty(),
        "nothing saved"
    );

    // The image's words here obey the image's own rules, each next to its field.
    let (status, _, refused) = post(&author, &app, "/newsroom/articles", &form("save", "bo", &key, "Two\nlines")).await;
    assert_eq!(status, 422);
    assert!(!field_error(&refused, "featured_alt").is_empty(), "{refused}");
    assert!(app
        .store
        .newsroom_articles(&tribune_store::NewsroomFilter { limit: 10, ..Default::default() })
        .await
        .unwrap()
        .is_empty());

    let (status, location, _) =
        post(&author, &app, "/newsroom/articles", &form("save", "bo", &key, "Boats at dawn")).await;
    assert_eq!(status, 303);
    let edit = author.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(edit.contains(r#"name="authors" type="text" value="bo""#), "{edit}");
    assert!(edit.contains(&format!(r#"name="featured_image" type="text" value="{key}""#)));
    assert!(edit.contains(r#"value="Boats at dawn""#));
    let id: i64 = location.split('/').nth(3).unwrap().parse().unwrap();
    let bylines = app.store.bylines_of(tribune_domain::ArticleId(id)).await.unwrap();
    assert_eq!(bylines.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), ["bo"]);
}
