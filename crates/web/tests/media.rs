//! Image uploads through HTTP: what is refused and why, what is stored and
//! served, and images in articles (in the body, and as the featured image).

use reqwest::multipart::{Form, Part};
use reqwest::Response;
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_media::fixtures;
use tribune_testkit::TestApp;
use tribune_web::SiteConfig;

fn form(bytes: Vec<u8>, file_name: &str, declared_type: &str, alt: &str) -> Form {
    let file = Part::bytes(bytes).file_name(file_name.to_owned()).mime_str(declared_type).expect("a type");
    Form::new()
        .part("file", file)
        .text("alt", alt.to_owned())
        .text("caption", "Boats at dawn")
        .text("credit", "Photo: Ann Lee")
}

async fn upload(app: &TestApp, form: Form) -> Response {
    app.client
        .post(app.url("/api/v1/images"))
        .bearer_auth(&app.admin_token)
        .multipart(form)
        .send()
        .await
        .expect("POST /api/v1/images")
}

/// The status and the problem's code, and that the answer is a problem document naming the file.
async fn refused(response: Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
    let json: Value = response.json().await.expect("a problem document");
    assert_eq!(kind, "application/problem+json", "{json}");
    (status, json["code"].as_str().unwrap_or_default().to_owned(), json)
}

/// How templates write a value into HTML (minijinja escapes `/` too).
fn escaped(text: &str) -> String {
    text.replace('/', "&#x2f;")
}

async fn stored_images(app: &TestApp) -> usize {
    app.store.recent_images(None, 100).await.expect("images").len()
}

#[tokio::test]
async fn an_upload_is_resized_served_for_a_year_and_stripped_of_exif_and_payloads() {
    let app = TestApp::spawn().await;
    let original = fixtures::jpeg_with_exif_and_payload(2000, 1000);
    assert!(fixtures::has_exif_segment(&original), "the upload carries EXIF GPS data");
    let response = upload(&app, form(original, "harbour.jpg", "image/jpeg", "A harbour at dawn")).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let image: Value = response.json().await.unwrap();
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(2000), Some(1000)));
    assert_eq!(image["original_type"], "image/jpeg");
    let sizes: Vec<(u64, u64)> = image["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["width"].as_u64().unwrap(), v["height"].as_u64().unwrap()))
        .collect();
    assert_eq!(sizes, vec![(480, 240), (960, 480), (1600, 800)]);
    assert_eq!(location, image["url"].as_str().unwrap());
    assert_eq!(image["markdown"], format!("![A harbour at dawn]({location})"));

    for variant in image["variants"].as_array().unwrap() {
        let response = app.get(variant["url"].as_str().unwrap()).await;
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "image/jpeg");
        assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let bytes = response.bytes().await.unwrap();
        assert_eq!(bytes.len() as u64, variant["bytes"].as_u64().unwrap());
        assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG");
        assert!(!fixtures::has_exif_segment(&bytes), "no EXIF in {}", variant["url"]);
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("GPSLatitude") && !text.contains("<script"), "nothing of the original's extras");
    }
    let missing = app.get(&location.replace("1600.jpg", "1601.jpg")).await;
    assert_eq!(missing.status(), 404);
    let traversal = app.get("/media/..%2F..%2Fetc/passwd").await;
    assert_eq!(traversal.status(), 404);
}

#[tokio::test]
async fn transparent_images_stay_png_and_small_ones_are_never_enlarged() {
    let app = TestApp::spawn().await;
    let response = upload(&app, form(fixtures::transparent_png(300, 200), "logo.png", "image/png", "A logo")).await;
    assert_eq!(response.status(), 201);
    let image: Value = response.json().await.unwrap();
    let variants = image["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 1, "{image}");
    assert_eq!((variants[0]["width"].as_u64(), variants[0]["content_type"].as_str()), (Some(300), Some("image/png")));
    let served = app.get(variants[0]["url"].as_str().unwrap()).await;
    assert_eq!(served.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn disguised_files_are_refused_by_their_bytes_whatever_their_name_or_type() {
    let app = TestApp::spawn().await;
    let cases: [(&[u8], &str, &str, u16, &str); 3] = [
        (fixtures::SCRIPT, "photo.jpg", "image/jpeg", 415, "unsupported_image_type"),
        (fixtures::SVG, "drawing.svg", "image/svg+xml", 415, "unsupported_image_type"),
        (fixtures::POLYGLOT, "funny.gif", "image/gif", 422, "image_unreadable"),
    ];
    for (bytes, name, declared, status, code) in cases {
        let (got_status, got_code, json) =
            refused(upload(&app, form(bytes.to_vec(), name, declared, "Alt")).await).await;
        assert_eq!((got_status, got_code.as_str()), (status, code), "{name}: {json}");
        assert_eq!(json["errors"][0]["field"], "file", "{json}");
        assert!(!json.to_string().contains("<script"), "nothing of the file is echoed: {json}");
    }
    assert_eq!(stored_images(&app).await, 0, "nothing was stored");
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_from_its_header() {
    let app = TestApp::spawn().await;
    let bomb = fixtures::png_bomb(50_000, 50_000);
    let (status, code, json) = refused(upload(&app, form(bomb, "bomb.png", "image/png", "Alt")).await).await;
    assert_eq!((status, code.as_str()), (422, "image_too_many_pixels"), "{json}");
    assert!(json["detail"].as_str().unwrap().contains("50000×50000"), "{json}");
    assert_eq!(stored_images(&app).await, 0);
}

#[tokio::test]
async fn files_over_the_size_limit_are_refused() {
    let mut config = TestApp::config();
    config.media.limits.max_bytes = 2_000;
    let app = TestApp::spawn_with(config).await;
    // Over the image limit, within the request limit: refused while reading.
    let (status, code, _) = refused(upload(&app, form(vec![0xFF; 5_000], "big.jpg", "image/jpeg", "Alt")).await).await;
    assert_eq!((status, code.as_str()), (413, "image_too_large"));
    // Over the request limit as well: refused by the body limit, same answer.
    let (status, code, _) =
        refused(upload(&app, form(vec![0xFF; 200_000], "huge.jpg", "image/jpeg", "Alt")).await).await;
    assert_eq!((status, code.as_str()), (413, "image_too_large"));
    assert_eq!(stored_images(&app).await, 0);
}

#[tokio::test]
async fn an_upload_without_a_file_or_alt_text_says_which_field_is_missing() {
    let app = TestApp::spawn().await;
    let no_file = Form::new().text("alt", "Alt");
    let (status, code, _) = refused(upload(&app, no_file).await).await;
    assert_eq!((status, code.as_str()), (422, "missing_file"));
    let (status, code, json) =
        refused(upload(&app, form(fixtures::png(20, 20), "a.png", "image/png", "  ")).await).await;
    assert_eq!((status, code.as_str()), (422, "validation_failed"));
    assert_eq!(
        (json["errors"][0]["field"].as_str(), json["errors"][0]["code"].as_str()),
        (Some("alt"), Some("required"))
    );
    let not_multipart = app
        .client
        .post(app.url("/api/v1/images"))
        .bearer_auth(&app.admin_token)
        .json(&json!({"file": "x"}))
        .send()
        .await
        .unwrap();
    let (status, code, _) = refused(not_multipart).await;
    assert_eq!((status, code.as_str()), (415, "not_multipart"));
    assert_eq!(stored_images(&app).await, 0);
}

#[tokio::test]
async fn only_editors_and_admins_upload_and_never_from_another_site() {
    let app = TestApp::spawn().await;
    let anonymous = app
        .client
        .post(app.url("/api/v1/images"))
        .multipart(form(fixtures::png(8, 8), "a.png", "image/png", "A"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused(anonymous).await.0, 401);
    for role in [Role::Commenter, Role::Moderator] {
        let (_, client) = app.signed_in_as(role, &format!("{role:?}")).await;
        let response = client
            .post(app.url("/api/v1/images"))
            .multipart(form(fixtures::png(8, 8), "a.png", "image/png", "A"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused(response).await.0, 403, "{role:?}");
    }
    let (_, editor) = app.signed_in_as(Role::Editor, "Editor").await;
    let cross_site = editor
        .post(app.url("/api/v1/images"))
        .header("origin", "http://elsewhere.example")
        .multipart(form(fixtures::png(8, 8), "a.png", "image/png", "A"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused(cross_site).await.1, "cross_site_request");
    assert_eq!(stored_images(&app).await, 0);
    let own_site = editor
        .post(app.url("/api/v1/images"))
        .multipart(form(fixtures::png(8, 8), "a.png", "image/png", "A"))
        .send()
        .await
        .unwrap();
    assert_eq!(own_site.status(), 201);
}

async fn uploaded(app: &TestApp, alt: &str) -> Value {
    let response = upload(app, form(fixtures::jpeg(2400, 1200), "photo.jpg", "image/jpeg", alt)).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_image_in_an_article_body_is_responsive() {
    let app = TestApp::spawn().await;
    let image = uploaded(&app, "The harbour").await;
    let body = format!("Before.\n\n{}\n\nAfter.", image["markdown"].as_str().unwrap());
    let slug = app.article().with("body", body).create().await;
    let (status, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert_eq!(status, 200);
    let srcset = image["srcset"].as_str().unwrap();
    assert!(html.contains(&format!(r#"srcset="{srcset}""#)), "{html}");
    assert!(html.contains(r#"width="1600" height="800" alt="The harbour""#), "{html}");
    assert!(html.contains(r#"loading="lazy""#) && html.contains(r#"sizes="(max-width: 1600px) 100vw, 1600px""#));
}

async fn set_featured(app: &TestApp, slug: &str, body: &Value) -> Response {
    app.client
        .put(app.url(&format!("/api/v1/articles/{slug}/featured-image")))
        .bearer_auth(&app.admin_token)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_featured_image_leads_the_article_and_its_previews() {
    let app =
        TestApp::spawn_with_config_fn(|address| SiteConfig { public_url: address.to_owned(), ..TestApp::config() })
            .await;
    let image = uploaded(&app, "Its own alt").await;
    let slug = app.article().create().await;
    let page = format!("/articles/{slug}");
    let (_, before) = app.get_text(&page).await;
    assert!(!before.contains("og:image") && !before.contains("featured-image"), "no image yet");

    let key = image["key"].as_str().unwrap();
    let body = json!({"image": key, "alt": "Boats in the harbour", "caption": "The fleet came home.", "credit": "Photo: Ann Lee"});
    let response = set_featured(&app, &slug, &body).await;
    assert_eq!(response.status(), 200);
    let featured: Value = response.json().await.unwrap();
    assert_eq!(
        (featured["alt"].as_str(), featured["image"]["key"].as_str()),
        (Some("Boats in the harbour"), Some(key))
    );

    let (_, html) = app.get_text(&page).await;
    let absolute = format!("{}{}", app.address, image["url"].as_str().unwrap());
    assert!(html.contains(r#"<figure class="featured-image">"#), "{html}");
    assert!(html.contains(r#"alt="Boats in the harbour""#), "{html}");
    assert!(html.contains(r#"<span class="caption">The fleet came home.</span>"#), "{html}");
    assert!(html.contains(&format!(r#"<span class="credit">{}</span>"#, escaped("Photo: Ann Lee"))), "{html}");
    let absolute_in_html = escaped(&absolute);
    assert!(html.contains(&format!(r#"<meta property="og:image" content="{absolute_in_html}">"#)), "{html}");
    assert!(html.contains(&format!(r#"<meta name="twitter:image" content="{absolute_in_html}">"#)), "{html}");
    assert!(html.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    let json_ld =
        html.split(r#"<script type="application/ld+json">"#).nth(1).unwrap().split("</script>").next().unwrap();
    let json_ld: Value = serde_json::from_str(json_ld).unwrap();
    assert_eq!(json_ld["image"][0]["url"], absolute.as_str(), "{json_ld}");
    assert_eq!(json_ld["image"][0]["@type"], "ImageObject");
    let api: Value = app.get(&format!("/api/v1/articles/{slug}")).await.json().await.unwrap();
    assert_eq!(api["featured_image"]["alt"], "Boats in the harbour", "{api}");
    assert_eq!(api["featured_image"]["absolute_url"], absolute.as_str());
    assert_eq!(api["headline"], "Test headline", "the article's own fields stay");

    // The words default to the image's own.
    let response = set_featured(&app, &slug, &json!({"image": key})).await;
    assert_eq!(response.json::<Value>().await.unwrap()["alt"], "Its own alt");

    let removed = app
        .client
        .delete(app.url(&format!("/api/v1/articles/{slug}/featured-image")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    let (_, after) = app.get_text(&page).await;
    assert!(!after.contains("og:image") && !after.contains("featured-image"), "removed");
}

#[tokio::test]
async fn a_featured_image_must_exist_have_alt_text_and_an_article() {
    let app = TestApp::spawn().await;
    let image = uploaded(&app, "Alt").await;
    let slug = app.article().create().await;
    let (status, code, json) = refused(set_featured(&app, &slug, &json!({"image": "no-such-key"})).await).await;
    assert_eq!(
        (status, code.as_str(), json["errors"][0]["code"].as_str()),
        (422, "validation_failed", Some("unknown_image"))
    );
    let (status, _, json) = refused(set_featured(&app, &slug, &json!({"image": image["key"], "alt": " "})).await).await;
    assert_eq!((status, json["errors"][0]["field"].as_str()), (422, Some("alt")));
    let (status, code, _) = refused(set_featured(&app, "no-such-article", &json!({"image": image["key"]})).await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    let (status, code, _) = refused(set_featured(&app, &slug, &json!({"img": image["key"]})).await).await;
    assert_eq!((status, code.as_str()), (400, "invalid_body"));
    assert!(
        app.store
            .featured_image(app.store.article_by_slug(&tribune_domain::Slug::parse(&slug).unwrap()).await.unwrap().id)
            .await
            .unwrap()
            .is_none(),
        "nothing was set"
    );
}

#[tokio::test]
async fn the_newsroom_page_uploads_without_javascript_and_lists_snippets() {
    let app = TestApp::spawn().await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Editor").await;
    let response = editor.get(app.url("/newsroom/images")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"enctype="multipart/form-data""#) && html.contains("No image yet."), "{html}");

    let response = editor
        .post(app.url("/newsroom/images"))
        .multipart(form(fixtures::png(1000, 500), "chart.png", "image/png", "A chart of tides"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let html = response.text().await.unwrap();
    let image = &app.store.recent_images(None, 1).await.unwrap()[0];
    let snippet = format!("![A chart of tides](/media/{}/1000.jpg)", image.key);
    let snippet = escaped(&snippet);
    assert!(html.contains(&format!(r#"value="{snippet}""#)), "the new image's Markdown, ready to copy: {html}");
    assert!(html.contains(&format!("<code class=\"image-markdown\">{snippet}</code>")), "listed: {html}");

    // A refusal: the message next to the file field, the words kept.
    let response = editor
        .post(app.url("/newsroom/images"))
        .multipart(form(fixtures::SCRIPT.to_vec(), "evil.jpg", "image/jpeg", "Kept alt"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(r#"<span class="field-error" id="error-file" data-field="file">This file is not a JPEG"#),
        "{html}"
    );
    assert!(html.contains(r#"value="Kept alt""#), "{html}");
    assert_eq!(app.store.recent_images(None, 10).await.unwrap().len(), 1);
}
