//! Corrections: an editor appends a dated note to a published article; it
//! shows at the top and bottom of the article, in its JSON-LD and on the
//! site-wide `/corrections` list, and the article's cached page drops at once
//! (on every instance: the two-instance story runs on PostgreSQL).

use reqwest::Client;
use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::{backend_is_postgres, SharedDatabase, TestApp};

const NOTE: &str =
    "Correction: an earlier version of this article said the bridge opened in *1931*; it opened in 1932.";

async fn editor(app: &TestApp) -> Client {
    app.signed_in_as(Role::Editor, "Eddie Editor").await.1
}

fn json_ld(html: &str) -> Value {
    let open = r#"<script type="application/ld+json">"#;
    let start = html.find(open).expect("structured data") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON")
}

/// The text of each `<aside class="corrections …">` on a page, in page order.
fn correction_blocks(html: &str) -> Vec<&str> {
    html.match_indices("<aside class=\"corrections ")
        .map(|(at, _)| &html[at..at + html[at..].find("</aside>").unwrap()])
        .collect()
}

#[tokio::test]
async fn an_editor_corrects_an_article_and_readers_see_the_note_above_and_below_it_at_once() {
    let app = TestApp::spawn().await;
    let slug = app.article().with("headline", "The bridge at 100").create().await;
    // A reader's visit keeps the page in the cache: the correction must drop it.
    let (_, before) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(correction_blocks(&before).is_empty());

    let response = editor(&app)
        .await
        .post(app.url(&format!("/newsroom/corrections/{slug}")))
        .form(&[("note", NOTE)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("/articles/{slug}#correction-")), "{location}");

    let (status, page) = app.get_text(&format!("/articles/{slug}")).await;
    assert_eq!(status, 200);
    let blocks = correction_blocks(&page);
    assert_eq!(blocks.len(), 2, "a note at the top and one at the bottom: {page}");
    let body = page.find("class=\"story-body\"").unwrap();
    assert!(page.find("corrections-top").unwrap() < body && body < page.find("corrections-bottom").unwrap());
    for block in blocks {
        assert!(block.contains("opened in <em>1931</em>; it opened in 1932."), "{block}");
        assert!(block.contains("<time datetime=\"20"), "the note is dated: {block}");
    }
    let anchor = location.split('#').nth(1).unwrap();
    assert!(page.contains(&format!("id=\"{anchor}\"")), "the redirect's anchor is on the page");

    let data = json_ld(&page);
    let corrections = data["correction"].as_array().expect("a correction list");
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0]["@type"], "CorrectionComment");
    assert_eq!(corrections[0]["text"], NOTE);
    assert_eq!(corrections[0]["datePublished"], data["dateModified"]);
    assert_ne!(data["datePublished"], data["dateModified"], "the correction dates the modification");
}

#[tokio::test]
async fn a_bad_note_is_refused_next_to_its_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let scheduled = app.article().with("headline", "Not out yet").with("published_at", "2099-01-01").create().await;
    let editor = editor(&app).await;
    let post = |slug: String, note: String| {
        let editor = editor.clone();
        let url = app.url(&format!("/newsroom/corrections/{slug}"));
        async move {
            let response = editor.post(url).form(&[("note", note)]).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };

    let (status, page) = post(slug.clone(), "   ".to_owned()).await;
    assert_eq!(status, 422);
    assert!(
        page.contains(
            r#"<span class="field-error" id="error-note" data-field="note">Write what the correction says.</span>"#
        ),
        "{page}"
    );

    let long = "x".repeat(2_001);
    let (status, page) = post(slug.clone(), long.clone()).await;
    assert_eq!(status, 422);
    assert!(page.contains("A correction may be at most 2000 characters."), "{page}");
    assert!(page.contains(&long), "what was typed is kept");

    let (status, page) = post(scheduled.clone(), "Fine text.".to_owned()).await;
    assert_eq!(status, 422);
    assert!(page.contains("Only a published article can be corrected"), "{page}");

    let (status, _) = post("no-such-article".to_owned(), "Fine text.".to_owned()).await;
    assert_eq!(status, 404);

    let (_, list) = app.get_text(&format!("/api/v1/articles/{slug}/corrections")).await;
    assert_eq!(serde_json::from_str::<Value>(&list).unwrap()["corrections"], json!([]), "nothing half-written");
    let (_, corrections) = app.get_text("/corrections").await;
    assert!(corrections.contains("No article has needed a correction yet."), "{corrections}");
}

#[tokio::test]
async fn the_api_appends_corrections_and_answers_bad_input_with_precise_problems() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let scheduled = app.article().with("headline", "Scheduled").with("published_at", "2099-01-01").create().await;
    let post = |slug: &str, body: Value| {
        app.client
            .post(app.url(&format!("/api/v1/articles/{slug}/corrections")))
            .bearer_auth(&app.admin_token)
            .json(&body)
            .send()
    };

    let created = post(&slug, json!({ "note": NOTE })).await.unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let correction: Value = created.json().await.unwrap();
    assert_eq!(location, format!("/articles/{slug}#correction-{}", correction["id"]));
    assert_eq!(correction["note"], NOTE);

    let problem = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(kind, "application/problem+json");
        (status, response.json::<Value>().await.unwrap())
    };
    let (status, body) = problem(post(&slug, json!({ "note": "" })).await.unwrap()).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("validation_failed")));
    assert_eq!(
        (body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()),
        (Some("note"), Some("empty"))
    );
    let (_, body) = problem(post(&slug, json!({ "note": "y".repeat(2_001) })).await.unwrap()).await;
    assert_eq!(body["errors"][0]["code"], "too_long");
    let (status, body) = problem(post(&scheduled, json!({ "note": "Fine." })).await.unwrap()).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("article")));
    assert_eq!(body["errors"][0]["code"], "not_published");
    let (status, body) = problem(post("no-such-article", json!({ "note": "Fine." })).await.unwrap()).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let (status, body) = problem(post(&slug, json!({ "text": "Fine." })).await.unwrap()).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_body")));

    let list: Value = app.get(&format!("/api/v1/articles/{slug}/corrections")).await.json().await.unwrap();
    assert_eq!(list["corrections"].as_array().unwrap().len(), 1, "only the good one was stored");
    assert_eq!(app.get(&format!("/api/v1/articles/{scheduled}/corrections")).await.status(), 404);
}

#[tokio::test]
async fn the_corrections_page_lists_every_correction_newest_first_in_pages_linking_the_articles() {
    let app = TestApp::spawn().await;
    let first = app.article().with("headline", "First story").create().await;
    let second = app.article().with("headline", "Second story").create().await;
    for n in 1..=31 {
        let slug = if n % 2 == 0 { &second } else { &first };
        let response = app
            .client
            .post(app.url(&format!("/api/v1/articles/{slug}/corrections")))
            .bearer_auth(&app.admin_token)
            .json(&json!({ "note": format!("Fix number {n}.") }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    let (status, page) = app.get_text("/corrections").await;
    assert_eq!(status, 200);
    assert!(page.find("Fix number 31.").unwrap() < page.find("Fix number 30.").unwrap(), "newest first");
    assert!(page.contains("Fix number 2.") && !page.contains("Fix number 1."), "thirty a page");
    assert!(page.contains(&format!("href=\"&#x2f;articles&#x2f;{first}#correction-")), "{page}");
    assert!(page.contains("Second story"));
    let open = "<a rel=\"next\" href=\"";
    let start = page.find(open).expect("a next page") + open.len();
    let next = page[start..start + page[start..].find('"').unwrap()].replace("&#x2f;", "/");
    let (status, older) = app.get_text(&next).await;
    assert_eq!(status, 200);
    assert!(older.contains("Fix number 1.") && !older.contains("Fix number 2."), "{older}");
    assert!(!older.contains("rel=\"next\""));
    for bad in ["/corrections?before=x", "/corrections?before=-3"] {
        assert_eq!(app.get(bad).await.status(), 404, "{bad}");
    }

    // A new correction shows on the cached list at once.
    let response = app
        .client
        .post(app.url(&format!("/api/v1/articles/{first}/corrections")))
        .bearer_auth(&app.admin_token)
        .json(&json!({ "note": "Fix number 32." }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert!(app.get_text("/corrections").await.1.contains("Fix number 32."));
}

#[tokio::test]
async fn a_correction_on_one_instance_drops_the_article_page_cached_by_another() {
    if !backend_is_postgres() {
        // One SQLite database is served by one instance: nothing to cross.
        return;
    }
    let database = SharedDatabase::create().await;
    let first = database.spawn(TestApp::config()).await;
    let second = database.spawn(TestApp::config()).await;
    let slug = first.article().create().await;
    let (_, cached) = second.get_text(&format!("/articles/{slug}")).await;
    assert!(correction_blocks(&cached).is_empty());
    let response = first
        .client
        .post(first.url(&format!("/api/v1/articles/{slug}/corrections")))
        .bearer_auth(&first.admin_token)
        .json(&json!({ "note": "Seen everywhere." }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (_, page) = second.get_text(&format!("/articles/{slug}")).await;
        if page.contains("Seen everywhere.") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the other instance still serves its stale page");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
