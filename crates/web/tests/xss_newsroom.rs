//! Hostile input from the public payload list (fixtures/xss-payloads) written
//! into the newsroom's fields: correction notes, shown on the article (top
//! and bottom), in its JSON-LD, on `/corrections`, and echoed back in the
//! refused staff form; author names, bios and photo addresses, shown in
//! bylines, on author pages, in JSON-LD and on the staff screens; the
//! editor's byline and featured-image fields, echoed in the refused form and
//! shown in its preview. What reaches the page may be only the theme's own
//! markup and the small safe subset the Markdown renderer allows.

use tribune_domain::account::Role;
use tribune_testkit::markup::tags;
use tribune_testkit::TestApp;

/// Tags the theme and the Markdown renderer write around and inside what was typed.
const ALLOWED_TAGS: &[&str] = &[
    "aside",
    "div",
    "p",
    "br",
    "em",
    "strong",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "time",
    "section",
    "h1",
    "nav",
    "form",
    "label",
    "span",
    "textarea",
    "button",
    // Author pages, bylines and the profile screens.
    "img",
    "input",
    "h2",
    "h3",
    "article",
    "header",
];
const ALLOWED_ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "href",
    "rel",
    "title",
    "datetime",
    "start",
    "method",
    "action",
    "novalidate",
    "type",
    "name",
    "rows",
    "for",
    "role",
    "tabindex",
    // The author photo, the profile form's inputs.
    "src",
    "alt",
    "width",
    "height",
    "value",
];

fn payloads() -> Vec<&'static str> {
    include_str!("fixtures/xss-payloads/ALL_XSS_dedup.txt").lines().filter(|l| !l.trim().is_empty()).collect()
}

fn only_allowed_markup(fragment: &str, context: &str) {
    for (tag, attributes) in tags(fragment) {
        assert!(ALLOWED_TAGS.contains(&tag.as_str()), "unexpected tag <{tag}> ({context})");
        for (attribute, value) in attributes {
            let known = ALLOWED_ATTRIBUTES.contains(&attribute.as_str())
                || attribute.starts_with("aria-")
                || attribute.starts_with("data-");
            assert!(known, "unexpected attribute {attribute} on <{tag}> ({context})");
            let lower = value.trim_start().to_ascii_lowercase();
            let scripted = ["javascript:", "data:", "vbscript:"].iter().any(|s| lower.starts_with(s));
            let is_url = matches!(attribute.as_str(), "href" | "src" | "action");
            assert!(!(is_url && scripted), "dangerous {attribute}={value:?} ({context})");
        }
    }
    assert!(!fragment.to_ascii_lowercase().contains("<script"), "no script ({context})");
}

fn between<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    html.match_indices(open).map(|(at, _)| &html[at..at + html[at..].find(close).unwrap() + close.len()]).collect()
}

#[tokio::test]
async fn no_payload_in_a_correction_note_survives_as_markup() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let scheduled = app.article().with("headline", "Later").with("published_at", "2099-01-01").create().await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Eddie").await;
    let mut stored = 0;
    for payload in payloads().iter().step_by(20) {
        let response = app
            .client
            .post(app.url(&format!("/api/v1/articles/{slug}/corrections")))
            .bearer_auth(&app.admin_token)
            .json(&serde_json::json!({ "note": payload }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!(matches!(status, 201 | 422), "{payload}: {status}");
        stored += usize::from(status == 201);

        // Refused (the article is not out yet): the note comes back in the form.
        let refused = editor
            .post(app.url(&format!("/newsroom/corrections/{scheduled}")))
            .form(&[("note", *payload)])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422, "{payload}");
        let html = refused.text().await.unwrap();
        let form = between(&html, "<section class=\"form-page\"", "</section>");
        only_allowed_markup(form[0], payload);
    }
    assert!(stored > 50, "most payloads are valid notes; stored {stored}");

    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    let blocks = between(&page, "<aside class=\"corrections ", "</aside>");
    assert_eq!(blocks.len(), 2);
    for block in blocks {
        only_allowed_markup(block, "the article's notes");
    }
    let open = r#"<script type="application/ld+json">"#;
    let start = page.find(open).unwrap() + open.len();
    let json_ld = &page[start..start + page[start..].find("</script>").unwrap()];
    let data: serde_json::Value = serde_json::from_str(json_ld).expect("the JSON-LD stays one JSON document");
    assert_eq!(data["correction"].as_array().unwrap().len(), stored);

    let (_, list) = app.get_text("/corrections").await;
    // A note may hold a list of its own: the list ends at the pager.
    let listed = between(&list, "<ol class=\"corrections-list\"", "<nav class=\"pager\"");
    only_allowed_markup(listed[0], "the corrections page");
    let form = editor.get(app.url(&format!("/newsroom/corrections/{slug}"))).send().await.unwrap();
    let html = form.text().await.unwrap();
    only_allowed_markup(between(&html, "<section class=\"form-page\"", "</section>")[0], "the staff form");
}

#[tokio::test]
async fn no_payload_in_an_author_name_bio_or_photo_survives_as_markup() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Eddie").await;
    let mut profiles = Vec::new();
    for (n, payload) in payloads().iter().step_by(25).enumerate() {
        let name: String = payload.chars().filter(|c| !c.is_control()).take(100).collect();
        let name = if name.trim().is_empty() { format!("Blank {n}") } else { name };
        let slug = format!("author-{n}");
        let fields = [("name", name.as_str()), ("slug", &slug), ("bio", payload), ("photo_url", payload)];
        let response = editor.post(app.url("/newsroom/authors")).form(&fields).send().await.unwrap();
        let status = response.status().as_u16();
        assert!(matches!(status, 303 | 422), "{payload}: {status}");
        if status == 422 {
            // Refused (most payloads are no photo address): everything typed comes back.
            let html = response.text().await.unwrap();
            only_allowed_markup(between(&html, "<section class=\"form-page\"", "</section>")[0], payload);
            // Without the photo it is stored, name and bio as typed.
            let fields = [("name", name.as_str()), ("slug", &slug), ("bio", payload)];
            let stored = editor.post(app.url("/newsroom/authors")).form(&fields).send().await.unwrap();
            assert_eq!(stored.status(), 303, "{payload}");
        }
        profiles.push(slug);
    }
    assert!(profiles.len() > 50);
    let response = app
        .client
        .put(app.url(&format!("/api/v1/articles/{slug}/bylines")))
        .bearer_auth(&app.admin_token)
        .json(&serde_json::json!({ "authors": profiles.iter().take(10).collect::<Vec<_>>() }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let (_, page) = app.get_text(&format!("/articles/{slug}")).await;
    only_allowed_markup(between(&page, "<p class=\"byline\">", "</p>")[0], "the byline");
    let open = r#"<script type="application/ld+json">"#;
    let start = page.find(open).unwrap() + open.len();
    let json_ld = &page[start..start + page[start..].find("</script>").unwrap()];
    let data: serde_json::Value = serde_json::from_str(json_ld).expect("the JSON-LD stays one JSON document");
    assert_eq!(data["author"].as_array().unwrap().len(), 10);
    for author in &profiles {
        let (status, html) = app.get_text(&format!("/authors/{author}")).await;
        assert_eq!(status, 200);
        let main = between(&html, "<section class=\"author-profile\"", "<nav class=\"pager\"");
        only_allowed_markup(main[0], author);
        let edit = editor.get(app.url(&format!("/newsroom/authors/{author}"))).send().await.unwrap();
        let html = edit.text().await.unwrap();
        only_allowed_markup(between(&html, "<section class=\"form-page\"", "</section>")[0], author);
    }
    let list = editor.get(app.url("/newsroom/authors")).send().await.unwrap().text().await.unwrap();
    only_allowed_markup(between(&list, "<section class=\"form-page\"", "</section>")[0], "the profile list");
}

#[tokio::test]
async fn no_payload_typed_as_the_home_page_lead_survives_as_markup() {
    let app = TestApp::spawn().await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Eddie").await;
    for payload in payloads().iter().step_by(40) {
        let response = editor.post(app.url("/newsroom/home")).form(&[("slug", *payload)]).send().await.unwrap();
        let status = response.status().as_u16();
        if payload.trim().is_empty() {
            continue;
        }
        assert_eq!(status, 422, "{payload}");
        let html = response.text().await.unwrap();
        only_allowed_markup(between(&html, "<section class=\"form-page\"", "</section>")[0], payload);
    }
}

/// What the editor page adds around the fields: the featured-image fieldset,
/// the lists of choices, the preview's figure.
const EDITOR_TAGS: &[&str] = &["fieldset", "legend", "datalist", "option", "figure", "figcaption", "h1", "h2"];
const EDITOR_ATTRIBUTES: &[&str] = &["list", "hidden", "srcset", "sizes"];

fn only_editor_markup(fragment: &str, context: &str) {
    for (tag, attributes) in tags(fragment) {
        if EDITOR_TAGS.contains(&tag.as_str()) {
            continue;
        }
        let theirs: Vec<(String, String)> =
            attributes.into_iter().filter(|(a, _)| !EDITOR_ATTRIBUTES.contains(&a.as_str())).collect();
        let rebuilt: String = theirs.iter().map(|(a, v)| format!(" {a}=\"{v}\"")).collect();
        only_allowed_markup(&format!("<{tag}{rebuilt}>"), context);
    }
    assert!(!fragment.to_ascii_lowercase().contains("<script"), "no script ({context})");
}

#[tokio::test]
async fn no_payload_typed_in_the_editors_byline_or_featured_image_fields_survives_as_markup() {
    let app = TestApp::spawn().await;
    let file = reqwest::multipart::Part::bytes(tribune_media::fixtures::png(8, 8)).file_name("a.png");
    let upload = reqwest::multipart::Form::new().part("file", file).text("alt", "Alt");
    let response = app
        .client
        .post(app.url("/api/v1/images"))
        .bearer_auth(&app.admin_token)
        .multipart(upload)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let key = response.json::<serde_json::Value>().await.unwrap()["key"].as_str().unwrap().to_owned();
    let (_, author) = app.signed_in_as(Role::Author, "Ann").await;
    let mut previews = 0;
    for payload in payloads().iter().step_by(30) {
        let words: String = payload.chars().take(200).collect();
        for (intent, image) in [("save", payload.to_string()), ("preview", key.clone())] {
            let fields = [
                ("headline", "Headline"),
                ("byline", "Ann"),
                ("section", "News"),
                ("body", "Text."),
                ("authors", payload),
                ("featured_image", image.as_str()),
                ("featured_alt", words.as_str()),
                ("featured_caption", words.as_str()),
                ("featured_credit", words.as_str()),
                ("base_revision", "0"),
                ("intent", intent),
            ];
            let response = author.post(app.url("/newsroom/articles")).form(&fields).send().await.unwrap();
            let status = response.status().as_u16();
            let html = response.text().await.unwrap();
            let editor = between(&html, "<section class=\"newsroom-editor\"", "</main>");
            let editor = editor.first().unwrap_or_else(|| panic!("{payload}: {status} {html}"));
            if intent == "save" {
                // An unknown profile or image: refused, the text typed comes back.
                assert!(matches!(status, 422), "{payload}: {status}");
            } else {
                assert_eq!(status, 200, "{payload}");
                previews += usize::from(editor.contains("<figure class=\"featured-image\">"));
            }
            only_editor_markup(editor, payload);
        }
    }
    assert!(previews > 10, "most payloads are valid words for the previewed image; {previews}");
}
