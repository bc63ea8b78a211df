//! The newsroom's pages without JavaScript: the editor previews on a button
//! with the public page's rendering, shows refusals next to their fields and
//! keeps what was typed, and offers the transitions the role allows.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::TestApp;

const BODY: &str =
    "## The harbour\n\nThe wall held.\n\n> \u{201c}It held all night.\u{201d}\n>\n> \u{2014} Kim Lee, harbour master\n";

async fn draft(app: &TestApp, client: &Client, headline: &str) -> i64 {
    let response = client
        .post(app.url("/api/v1/newsroom/articles"))
        .json(&json!({ "headline": headline, "byline": "Ann Author", "section": "News", "body": BODY }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn form<'a>(headline: &'a str, body: &'a str, base: &'a str, intent: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("headline", headline),
        ("standfirst", "A dek."),
        ("byline", "Ann Author"),
        ("section", "News"),
        ("tags", "Harbour, Storms"),
        ("slug", ""),
        ("body", body),
        ("base_revision", base),
        ("intent", intent),
    ]
}

#[tokio::test]
async fn the_preview_button_renders_the_body_as_the_public_page_does_and_keeps_the_text() {
    let app = TestApp::spawn().await;
    let (_, author) = app.signed_in_as(Role::Author, "Ann Author").await;
    let response = author
        .post(app.url("/newsroom/articles"))
        .form(&form("Harbour wall", BODY, "0", "preview"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("<figure class=\"pull-quote\">"), "the pull-quote is a figure");
    assert!(page.contains("<figcaption>") && page.contains("Kim Lee, harbour master"));
    assert!(page.contains("<h2>The harbour</h2>"), "subheadings");
    assert!(page.contains("value=\"Harbour wall\""), "the typed headline is kept");
    assert_eq!(
        app.store
            .newsroom_articles(&tribune_store::NewsroomFilter { limit: 10, ..Default::default() })
            .await
            .unwrap()
            .len(),
        0,
        "a preview saves nothing"
    );
    // The same markup as the published page.
    let id = draft(&app, &author, "Harbour wall").await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Ed Editor").await;
    editor
        .post(app.url(&format!("/newsroom/articles/{id}/transitions")))
        .form(&[("action", "publish")])
        .send()
        .await
        .unwrap();
    let (_, public) = app.get_text("/articles/harbour-wall").await;
    let figure =
        |html: &str| html.split("<figure").nth(1).map(|rest| rest.split("</figure>").next().unwrap().to_owned());
    assert_eq!(figure(&public), figure(&page));
}

#[tokio::test]
async fn a_form_save_over_a_newer_revision_is_refused_and_shows_the_typed_text_with_a_compare_link() {
    let app = TestApp::spawn().await;
    let (_, author) = app.signed_in_as(Role::Author, "Ann Author").await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Ed Editor").await;
    let id = draft(&app, &author, "Contested").await;
    let first = editor
        .post(app.url(&format!("/newsroom/articles/{id}")))
        .form(&form("Contested", "The editor's words.", "1", "save"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let stale = author
        .post(app.url(&format!("/newsroom/articles/{id}")))
        .form(&form("Contested", "My unsaved paragraph.", "1", "save"))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let page = stale.text().await.unwrap();
    assert!(page.contains("My unsaved paragraph."), "the typed text is shown again");
    assert!(page.contains("Ed Editor saved revision 2"));
    assert!(page.contains(&format!("/newsroom/articles/{id}/revisions?from=1&amp;to=2")));
    let diff = author.get(app.url(&format!("/newsroom/articles/{id}/revisions?from=1&to=2"))).send().await.unwrap();
    let diff = diff.text().await.unwrap();
    assert!(
        diff.contains("class=\"diff-added\">+ The editor&#x27;s words.") || diff.contains("+ The editor's words."),
        "{diff}"
    );
}

#[tokio::test]
async fn a_past_schedule_gets_its_message_next_to_the_field() {
    let app = TestApp::spawn().await;
    let (_, author) = app.signed_in_as(Role::Author, "Ann Author").await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Ed Editor").await;
    let id = draft(&app, &author, "Yesterday's news").await;
    let response = editor
        .post(app.url(&format!("/newsroom/articles/{id}/transitions")))
        .form(&[("action", "schedule"), ("publish_at", "2020-05-01T08:00")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    let error = page.split("id=\"error-publish_at\"").nth(1).expect("the field's message");
    assert!(error.split("</span>").next().unwrap().contains("That time has passed"), "{error}");
    assert!(page.contains("value=\"2020-05-01T08:00\""), "the typed time is kept");
}

#[tokio::test]
async fn the_editor_offers_the_moves_the_role_allows_and_warns_of_other_editors() {
    let app = TestApp::spawn().await;
    let (_, author) = app.signed_in_as(Role::Author, "Ann Author").await;
    let (_, editor) = app.signed_in_as(Role::Editor, "Ed Editor").await;
    let id = draft(&app, &author, "Buttons").await;
    let (_, own) =
        (0, author.get(app.url(&format!("/newsroom/articles/{id}/edit"))).send().await.unwrap().text().await.unwrap());
    assert!(own.contains("Submit for review") && !own.contains("Publish now"));
    let theirs =
        editor.get(app.url(&format!("/newsroom/articles/{id}/edit"))).send().await.unwrap().text().await.unwrap();
    assert!(theirs.contains("Publish now") && theirs.contains("transition-schedule"));
    assert!(theirs.contains("Also editing in the last few minutes: Ann Author"));
    let list = author.get(app.url("/newsroom")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains(&format!("/newsroom/articles/{id}/edit")));
    let (_, commenter) = app.signed_in_as(Role::Commenter, "Cy").await;
    assert_eq!(commenter.get(app.url("/newsroom")).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn what_writers_type_is_escaped_in_the_editor_the_preview_and_the_list() {
    let app = TestApp::spawn().await;
    let (_, author) = app.signed_in_as(Role::Author, "Ann Author").await;
    let evil = "<script>alert(1)</script>";
    let body = "<script>alert(2)</script><img src=x onerror=alert(3)>\n\nText.";
    let fields = vec![
        ("headline", evil),
        ("standfirst", evil),
        ("byline", evil),
        ("section", evil),
        ("tags", evil),
        ("slug", ""),
        ("body", body),
        ("base_revision", "0"),
        ("intent", "save"),
    ];
    let created = author.post(app.url("/newsroom/articles")).form(&fields).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let edit = created.headers()["location"].to_str().unwrap().to_owned();
    let mut preview_fields = fields.clone();
    preview_fields[8] = ("intent", "preview");
    let pages = [
        author.get(app.url(&edit)).send().await.unwrap().text().await.unwrap(),
        author.get(app.url("/newsroom")).send().await.unwrap().text().await.unwrap(),
        author.post(app.url("/newsroom/articles")).form(&preview_fields).send().await.unwrap().text().await.unwrap(),
        author.post(app.url("/newsroom/preview")).form(&preview_fields).send().await.unwrap().text().await.unwrap(),
    ];
    for page in pages {
        assert!(!page.contains("<script>alert"), "a script got through:\n{page}");
        assert!(!page.contains("<img src=x onerror"), "an event handler got through");
    }
}

#[tokio::test]
async fn the_newsroom_list_pages_by_state_on_the_page_and_in_the_api() {
    let app = TestApp::spawn().await;
    let (_, author) = app.signed_in_as(Role::Author, "Ann Author").await;
    let mut ids = Vec::new();
    for n in 0..53 {
        ids.push(draft(&app, &author, &format!("Story {n}")).await);
    }
    let (_, other) = app.signed_in_as(Role::Author, "Bo Other").await;
    let theirs = draft(&app, &other, "Not Ann's").await;
    let submitted = ids[3];
    let moved = author
        .post(app.url(&format!("/api/v1/newsroom/articles/{submitted}/transitions")))
        .json(&json!({ "action": "submit" }))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);

    let first = author.get(app.url("/newsroom")).send().await.unwrap().text().await.unwrap();
    assert_eq!(first.matches("<li data-status=").count(), 50, "a page holds 50");
    assert!(first.contains("Story 52") && !first.contains("Story 2<") && !first.contains("Not Ann"));
    let older = first.split(r#"<a rel="next" href=""#).nth(1).expect("a link to older ones").split('"').next().unwrap();
    let older = older.replace("&amp;", "&").replace("&#x2f;", "/");
    let second = author.get(app.url(&older)).send().await.unwrap().text().await.unwrap();
    assert_eq!(second.matches("<li data-status=").count(), 3, "{second}");
    assert!(second.contains("Story 0<") && !second.contains(r#"rel="next""#));

    let tab = author.get(app.url("/newsroom?status=submitted")).send().await.unwrap().text().await.unwrap();
    assert_eq!(tab.matches("<li data-status=\"submitted\"").count(), 1);
    assert!(tab.contains("Story 3<") && tab.contains(r#"aria-current="page">Submitted for review"#));
    assert_eq!(author.get(app.url("/newsroom?status=bogus")).send().await.unwrap().status(), 400);

    // The API pages the same way; an editor sees everyone's.
    let (_, editor) = app.signed_in_as(Role::Editor, "Ed Editor").await;
    let page: Value =
        editor.get(app.url("/api/v1/newsroom/articles?limit=2")).send().await.unwrap().json().await.unwrap();
    let listed: Vec<i64> = page["articles"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(listed, [theirs, ids[52]]);
    assert_eq!(page["next_before"], ids[52]);
    let next: Value = editor
        .get(app.url(&format!("/api/v1/newsroom/articles?limit=2&before={}", ids[52])))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(next["articles"][0]["id"], ids[51]);
    for bad in ["limit=0", "limit=201", "limit=x", "status=bogus"] {
        let response = editor.get(app.url(&format!("/api/v1/newsroom/articles?{bad}"))).send().await.unwrap();
        assert_eq!(response.status(), 400, "{bad}");
    }
}
