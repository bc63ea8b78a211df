//! Hostile alt text, captions and credits (from the public payload list in
//! fixtures/xss-payloads) on uploaded and featured images: the newsroom page,
//! the refused upload form, and the article page with its head and JSON-LD
//! hold only the markup the theme writes.

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_media::fixtures;
use tribune_testkit::markup::tags;
use tribune_testkit::TestApp;

fn only(fragment: &str, allowed_tags: &[&str], allowed_attributes: &[&str], payload: &str) {
    for (tag, attributes) in tags(fragment) {
        assert!(allowed_tags.contains(&tag.as_str()), "unexpected <{tag}> from {payload:?}");
        for (attribute, _) in attributes {
            let known = allowed_attributes.contains(&attribute.as_str())
                || attribute.starts_with("aria-")
                || attribute.starts_with("data-");
            assert!(known, "unexpected {attribute} on <{tag}> from {payload:?}");
        }
    }
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start} in {html}"));
    let to = from + html[from..].find(end).expect("the end");
    &html[from..to]
}

const PAGE_TAGS: &[&str] = &[
    "section", "h1", "h2", "p", "div", "strong", "label", "input", "form", "span", "button", "ul", "li", "img", "code",
    "a",
];
const PAGE_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "role",
    "for",
    "type",
    "readonly",
    "value",
    "method",
    "action",
    "enctype",
    "novalidate",
    "name",
    "accept",
    "src",
    "width",
    "height",
    "alt",
    "loading",
    "tabindex",
    "href",
];

fn payloads() -> Vec<&'static str> {
    include_str!("fixtures/xss-payloads/ALL_XSS_dedup.txt").lines().filter(|l| !l.trim().is_empty()).collect()
}

fn upload_form(bytes: Vec<u8>, payload: &str) -> Form {
    let short = |max: usize| payload.chars().take(max).collect::<String>();
    Form::new()
        .part("file", Part::bytes(bytes).file_name("x.png"))
        .text("alt", short(300))
        .text("caption", short(500))
        .text("credit", short(200))
}

#[tokio::test]
async fn no_payload_in_an_images_words_survives_as_markup_on_the_newsroom_page() {
    let app = TestApp::spawn().await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Editor").await;
    let mut stored = 0;
    for payload in payloads().iter().step_by(60) {
        let response = editor
            .post(app.url("/newsroom/images"))
            .multipart(upload_form(fixtures::png(4, 4), payload))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        // Stored and shown, or refused (a line break, say) and shown again in the form.
        assert!(matches!(status, 201 | 422), "{payload}: {status}");
        stored += usize::from(status == 201);
        let html = response.text().await.unwrap();
        only(between(&html, "<section class=\"newsroom-images\"", "</section>"), PAGE_TAGS, PAGE_ATTRIBUTES, payload);
        // A refusal for the file keeps the words: the same checks on the echo.
        let refused = editor
            .post(app.url("/newsroom/images"))
            .multipart(upload_form(fixtures::SCRIPT.to_vec(), payload))
            .send()
            .await
            .unwrap();
        assert!(matches!(refused.status().as_u16(), 415 | 422), "{payload}");
        let html = refused.text().await.unwrap();
        only(between(&html, "<section class=\"newsroom-images\"", "</section>"), PAGE_TAGS, PAGE_ATTRIBUTES, payload);
    }
    assert!(stored > 5, "most payloads are valid words; stored {stored}");
    let html = editor.get(app.url("/newsroom/images")).send().await.unwrap().text().await.unwrap();
    assert_eq!(html.matches("class=\"image-item\"").count(), stored.min(30), "the 30 newest are listed");
    only(between(&html, "<section class=\"newsroom-images\"", "</section>"), PAGE_TAGS, PAGE_ATTRIBUTES, "the list");
}

#[tokio::test]
async fn no_payload_in_a_featured_images_words_breaks_out_of_the_page_head_or_json_ld() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let response = app
        .client
        .post(app.url("/api/v1/images"))
        .bearer_auth(&app.admin_token)
        .multipart(upload_form(fixtures::jpeg(600, 300), "Plain"))
        .send()
        .await
        .unwrap();
    let image: Value = response.json().await.unwrap();
    let mut checked = 0;
    for payload in payloads().iter().step_by(25) {
        let short = |max: usize| payload.chars().take(max).collect::<String>();
        let body = json!({"image": image["key"], "alt": short(300), "caption": short(500), "credit": short(200)});
        let response = app
            .client
            .put(app.url(&format!("/api/v1/articles/{slug}/featured-image")))
            .bearer_auth(&app.admin_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        if response.status() != 200 {
            assert_eq!(response.status(), 422, "{payload}");
            continue;
        }
        let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
        let figure = between(&html, "<figure class=\"featured-image\"", "</figure>");
        only(
            figure,
            &["figure", "img", "figcaption", "span"],
            &["class", "src", "srcset", "sizes", "width", "height", "alt"],
            payload,
        );
        let head = between(&html, "<head>", "</head>");
        only(
            head,
            &["head", "meta", "title", "link", "script"],
            &["charset", "name", "content", "property", "rel", "type", "href", "title", "src", "defer"],
            payload,
        );
        assert_eq!(head.matches("<script").count(), 2, "only the theme's scripts");
        let json_ld = between(head, "<script type=\"application/ld+json\">", "</script>");
        let data: Value =
            serde_json::from_str(&json_ld["<script type=\"application/ld+json\">".len()..]).expect("whole JSON-LD");
        assert_eq!(data["image"][0]["caption"], short(500).trim(), "{payload}");
        checked += 1;
    }
    assert!(checked > 30, "most payloads are valid words; checked {checked}");
}
