//! The newsroom through HTTP: authors write and submit, editors and admins
//! publish, schedule and unpublish; saves are revisions, a stale save is
//! refused, an old slug answers 301, and readers see published articles only.

use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use tribune_domain::account::Role;
use tribune_domain::{ArticleId, Timestamp};
use tribune_testkit::{SharedDatabase, TestApp};

struct Desk {
    app: TestApp,
    author: Client,
    editor: Client,
    admin: Client,
    commenter: Client,
    guest: Client,
}

impl Desk {
    async fn open() -> Self {
        Self::on(TestApp::spawn().await).await
    }

    async fn on(app: TestApp) -> Self {
        let (_, author) = app.signed_in_as(Role::Author, "Ann Author").await;
        let (_, editor) = app.signed_in_as(Role::Editor, "Ed Editor").await;
        let (_, admin) = app.signed_in_as(Role::Admin, "Ada Admin").await;
        let (_, commenter) = app.signed_in_as(Role::Commenter, "Cy Commenter").await;
        let guest = app.reader();
        Self { app, author, editor, admin, commenter, guest }
    }

    fn url(&self, path: &str) -> String {
        self.app.url(path)
    }

    /// A new draft by `client`; its JSON.
    async fn draft(&self, client: &Client, headline: &str, body: &str) -> Value {
        let response = client
            .post(self.url("/api/v1/newsroom/articles"))
            .json(&json!({ "headline": headline, "standfirst": "A dek.", "byline": "Ann Author",
                           "section": "News", "tags": ["Desk tag"], "body": body }))
            .send()
            .await
            .expect("create");
        let status = response.status();
        let json: Value = response.json().await.expect("json");
        assert_eq!(status, 201, "{json}");
        json
    }

    async fn act(&self, client: &Client, id: i64, action: &str, publish_at: Option<&str>) -> Response {
        client
            .post(self.url(&format!("/api/v1/newsroom/articles/{id}/transitions")))
            .json(&json!({ "action": action, "publish_at": publish_at }))
            .send()
            .await
            .expect("transition")
    }

    async fn save(&self, client: &Client, id: i64, base: i64, fields: Value) -> Response {
        let mut body = json!({ "headline": "Saved", "byline": "Ann Author", "section": "News",
                               "body": "Saved text.", "base_revision": base });
        for (key, value) in fields.as_object().expect("fields") {
            body[key] = value.clone();
        }
        client.put(self.url(&format!("/api/v1/newsroom/articles/{id}"))).json(&body).send().await.expect("save")
    }

    async fn show(&self, client: &Client, id: i64) -> Value {
        let response = client.get(self.url(&format!("/api/v1/newsroom/articles/{id}"))).send().await.expect("show");
        assert_eq!(response.status(), 200);
        response.json().await.expect("json")
    }

    /// An author's draft an editor published; its JSON.
    async fn published(&self, headline: &str, body: &str) -> Value {
        let draft = self.draft(&self.author, headline, body).await;
        let response = self.act(&self.editor, id(&draft), "publish", None).await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("json")
    }
}

fn id(article: &Value) -> i64 {
    article["id"].as_i64().expect("id")
}

fn in_a_minute() -> String {
    Timestamp(Timestamp::now().0 + 60_000).rfc3339()
}

#[tokio::test]
async fn every_transition_answers_each_role_as_the_rules_say() {
    let desk = Desk::open().await;
    let future = in_a_minute();
    // (action, on a draft by the author: guest, commenter, author, editor, admin)
    let table: [(&str, Option<&str>, [u16; 5]); 3] = [
        ("submit", None, [401, 403, 200, 200, 200]),
        ("publish", None, [401, 403, 403, 200, 200]),
        ("schedule", Some(future.as_str()), [401, 403, 403, 200, 200]),
    ];
    let clients = [&desk.guest, &desk.commenter, &desk.author, &desk.editor, &desk.admin];
    let names = ["guest", "commenter", "author", "editor", "admin"];
    for (action, publish_at, expected) in table {
        for ((client, name), want) in clients.iter().zip(names).zip(expected) {
            let draft = desk.draft(&desk.author, &format!("{action} by {name}"), "Text.").await;
            let response = desk.act(client, id(&draft), action, publish_at).await;
            assert_eq!(response.status().as_u16(), want, "{action} as {name}");
        }
    }
    // Unpublishing takes a published article; the author may not, even their own.
    for ((client, name), want) in clients.iter().zip(names).zip([401, 403, 403, 200, 200]) {
        let article = desk.published(&format!("Unpublish by {name}"), "Text.").await;
        let response = desk.act(client, id(&article), "unpublish", None).await;
        assert_eq!(response.status().as_u16(), want, "unpublish as {name}");
    }
    // A move the state does not allow is a conflict with its own code.
    let draft = desk.draft(&desk.author, "Never published", "Text.").await;
    let response = desk.act(&desk.editor, id(&draft), "unpublish", None).await;
    assert_eq!(response.status(), 409);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "invalid_transition");
    // An author edits a submitted draft, not someone else's.
    let submitted = desk.draft(&desk.author, "Submitted one", "Text.").await;
    assert_eq!(desk.act(&desk.author, id(&submitted), "submit", None).await.status(), 200);
    assert_eq!(desk.save(&desk.author, id(&submitted), 1, json!({})).await.status(), 200);
    let editors = desk.draft(&desk.editor, "The editor's own", "Text.").await;
    assert_eq!(desk.save(&desk.author, id(&editors), 1, json!({})).await.status(), 403);
    let unknown = desk.act(&desk.editor, id(&editors), "dance", None).await;
    assert_eq!(unknown.status(), 422);
}

#[tokio::test]
async fn a_schedule_in_the_past_is_refused_next_to_the_field_and_nothing_changes() {
    let desk = Desk::open().await;
    let draft = desk.draft(&desk.author, "Too late", "Text.").await;
    let response = desk.act(&desk.editor, id(&draft), "schedule", Some("2020-01-01T08:00:00Z")).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "publish_at");
    assert_eq!(problem["errors"][0]["code"], "in_the_past");
    assert_eq!(desk.show(&desk.editor, id(&draft)).await["status"], "draft");
}

#[tokio::test]
async fn editing_an_unknown_article_is_not_found() {
    let desk = Desk::open().await;
    let response = desk.save(&desk.editor, 999_999, 1, json!({})).await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "not_found");
    let response = desk.act(&desk.editor, 999_999, "publish", None).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_save_over_someone_elses_newer_revision_is_refused_and_nothing_is_overwritten() {
    let desk = Desk::open().await;
    let draft = desk.draft(&desk.author, "Two hands", "First text.").await;
    assert_eq!(draft["revision"], 1);
    let editor_save = desk.save(&desk.editor, id(&draft), 1, json!({ "body": "The editor's text." })).await;
    assert_eq!(editor_save.status(), 200);
    assert_eq!(editor_save.json::<Value>().await.unwrap()["revision"], 2);
    let stale = desk.save(&desk.author, id(&draft), 1, json!({ "body": "The author's text." })).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let problem: Value = stale.json().await.unwrap();
    assert_eq!(problem["code"], "stale_revision");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("Ed Editor") && detail.contains("compare?from=1&to=2"), "{detail}");
    let now = desk.show(&desk.author, id(&draft)).await;
    assert_eq!((now["body"].as_str(), now["revision"].as_i64()), (Some("The editor's text."), Some(2)));
    // Saving over one's own newer revision (autosave, another tab) is fine.
    let own = desk.save(&desk.editor, id(&draft), 1, json!({ "body": "The editor again." })).await;
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn revisions_are_listed_compared_line_by_line_and_restored_as_a_new_revision() {
    let desk = Desk::open().await;
    let draft = desk.draft(&desk.author, "Revised", "Line one.\nLine two.\n").await;
    let saved = desk.save(&desk.author, id(&draft), 1, json!({ "headline": "Revised", "standfirst": "A dek.", "tags": ["Desk tag"], "body": "Line one.\nLine 2.\n" })).await;
    assert_eq!(saved.status(), 200);
    let list: Value = desk
        .editor
        .get(desk.url(&format!("/api/v1/newsroom/articles/{}/revisions", id(&draft))))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let numbers: Vec<i64> =
        list["revisions"].as_array().unwrap().iter().map(|r| r["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(list["revisions"][0]["author_name"], "Ann Author");
    let diff: Value = desk
        .editor
        .get(desk.url(&format!("/api/v1/newsroom/articles/{}/revisions/compare?from=1&to=2", id(&draft))))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let changed: Vec<(String, String)> = diff["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["change"] != "same")
        .map(|l| (l["change"].as_str().unwrap().to_owned(), l["text"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(changed, [("removed".to_owned(), "Line two.".to_owned()), ("added".to_owned(), "Line 2.".to_owned())]);
    let restored = desk
        .editor
        .post(desk.url(&format!("/api/v1/newsroom/articles/{}/revisions/1/restore", id(&draft))))
        .send()
        .await
        .unwrap();
    assert_eq!(restored.status(), 200);
    let restored: Value = restored.json().await.unwrap();
    assert_eq!((restored["revision"].as_i64(), restored["body"].as_str()), (Some(3), Some("Line one.\nLine two.\n")));
    let missing = desk
        .editor
        .post(desk.url(&format!("/api/v1/newsroom/articles/{}/revisions/9/restore", id(&draft))))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_renamed_published_article_answers_301_at_its_old_address_and_slugs_stay_unique() {
    let desk = Desk::open().await;
    let article = desk.published("Harbour wall repaired", "Text.").await;
    assert_eq!(article["slug"], "harbour-wall-repaired");
    let renamed = desk
        .save(&desk.editor, id(&article), 1, json!({ "headline": "Harbour wall repaired", "slug": "harbour-wall" }))
        .await;
    assert_eq!(renamed.status(), 200);
    let old = desk.guest.get(desk.url("/articles/harbour-wall-repaired")).send().await.unwrap();
    assert_eq!(old.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.headers()["location"], "/articles/harbour-wall");
    assert_eq!(desk.guest.get(desk.url("/articles/harbour-wall")).send().await.unwrap().status(), 200);
    // Another article may not take a slug in use.
    let other = desk.draft(&desk.author, "Another story", "Text.").await;
    let taken = desk.save(&desk.author, id(&other), 1, json!({ "slug": "harbour-wall" })).await;
    assert_eq!(taken.status(), 422);
    let problem: Value = taken.json().await.unwrap();
    assert_eq!(
        (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (Some("slug"), Some("slug_taken"))
    );
    // A published article keeps its address when the slug field is left empty.
    let kept = desk.save(&desk.editor, id(&article), 2, json!({ "headline": "A new headline", "slug": "" })).await;
    assert_eq!(kept.json::<Value>().await.unwrap()["slug"], "harbour-wall");
}

#[tokio::test]
async fn an_edit_after_publication_shows_updated_and_keeps_the_first_date() {
    let desk = Desk::open().await;
    let article = desk.published("Tides rise", "First.").await;
    let first = article["published_at"].as_str().unwrap().to_owned();
    assert!(article["updated_at"].is_null());
    // Readers' cached copies (page, feed) are dropped by the edit.
    assert!(desk.app.get_text("/articles/tides-rise").await.1.contains("First."));
    assert!(desk.app.get_text("/feed.atom").await.1.contains("Tides rise"));
    let saved = desk.save(&desk.editor, id(&article), 1, json!({ "headline": "Tides rise", "body": "Second." })).await;
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["published_at"], first.as_str());
    let updated = saved["updated_at"].as_str().expect("updated_at").to_owned();
    let (status, page) = desk.app.get_text("/articles/tides-rise").await;
    assert_eq!(status, 200);
    assert!(page.contains("Updated <time") && page.contains("Second."), "the page shows the edit");
    assert!(page.contains(&format!("\"dateModified\":\"{updated}\"")), "JSON-LD names the change");
    assert!(page.contains(&format!("\"datePublished\":\"{first}\"")));
    let (_, atom) = desk.app.get_text("/feed.atom").await;
    assert!(atom.contains(&format!("<updated>{updated}</updated>")), "{atom}");
}

#[tokio::test]
async fn readers_never_see_drafts_submitted_scheduled_or_unpublished_articles() {
    let desk = Desk::open().await;
    let draft = desk.draft(&desk.author, "Zanzibar draft", "Zanzibar text.").await;
    let submitted = desk.draft(&desk.author, "Zanzibar submitted", "Zanzibar text.").await;
    desk.act(&desk.author, id(&submitted), "submit", None).await;
    let scheduled = desk.draft(&desk.author, "Zanzibar scheduled", "Zanzibar text.").await;
    assert_eq!(desk.act(&desk.editor, id(&scheduled), "schedule", Some(&in_a_minute())).await.status(), 200);
    let unpublished = desk.published("Zanzibar unpublished", "Zanzibar text.").await;
    assert_eq!(desk.act(&desk.editor, id(&unpublished), "unpublish", None).await.status(), 200);
    let visible = desk.published("Zanzibar visible", "Zanzibar text.").await;
    let hidden = [&draft, &submitted, &scheduled, &unpublished];

    for path in [
        "/",
        "/sections/news",
        "/tags/desk-tag",
        "/search?q=zanzibar",
        "/feed.rss",
        "/feed.atom",
        "/sections/news/feed.atom",
        "/tags/desk-tag/feed.rss",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/api/v1/articles",
    ] {
        let (status, text) = desk.app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(text.contains(visible["slug"].as_str().unwrap()), "{path} lists the published article");
        for article in hidden {
            let slug = article["slug"].as_str().unwrap();
            assert!(!text.contains(slug), "{path} shows {slug}");
        }
    }
    for article in hidden {
        let slug = article["slug"].as_str().unwrap();
        for path in [
            format!("/articles/{slug}"),
            format!("/api/v1/articles/{slug}"),
            format!("/articles/{slug}/comments/feed.atom"),
        ] {
            assert_eq!(desk.app.get(&path).await.status(), 404, "{path}");
        }
    }
    // The newsroom lists them: everything for an editor, their own for an author.
    let list: Value = desk
        .editor
        .get(desk.url("/api/v1/newsroom/articles?status=scheduled"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["articles"].as_array().unwrap().len(), 1);
    let (_, other) = desk.app.signed_in_as(Role::Author, "Other Author").await;
    let theirs: Value = other.get(desk.url("/api/v1/newsroom/articles")).send().await.unwrap().json().await.unwrap();
    assert!(theirs["articles"].as_array().unwrap().is_empty());
    // Unpublishing drops the cached page at once.
    let slug = visible["slug"].as_str().unwrap().to_owned();
    assert_eq!(desk.app.get(&format!("/articles/{slug}")).await.status(), 200);
    assert_eq!(desk.act(&desk.editor, id(&visible), "unpublish", None).await.status(), 200);
    assert_eq!(desk.app.get(&format!("/articles/{slug}")).await.status(), 404);
    assert!(!desk.app.get_text("/").await.1.contains(&slug), "nor on the home page");
    let bad = desk.editor.get(desk.url("/api/v1/newsroom/articles?status=lost")).send().await.unwrap();
    assert_eq!(bad.json::<Value>().await.unwrap()["code"], "invalid_status");
}

#[tokio::test]
async fn opening_an_article_someone_else_has_open_names_them() {
    let desk = Desk::open().await;
    let draft = desk.draft(&desk.author, "Crowded", "Text.").await;
    assert!(desk.show(&desk.author, id(&draft)).await.get("editing_now").is_none());
    let seen = desk.show(&desk.editor, id(&draft)).await;
    assert_eq!(seen["editing_now"][0]["user_name"], "Ann Author");
}

/// Settings whose scheduler looks every 100 ms.
fn quick_scheduler() -> tribune_web::SiteConfig {
    tribune_web::SiteConfig { schedule_poll: Duration::from_millis(100), ..TestApp::config() }
}

async fn wait_until_published(app: &TestApp, article: i64) {
    for _ in 0..100 {
        if app.store.article(ArticleId(article)).await.unwrap().status == tribune_domain::ArticleStatus::Published {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("article {article} was not published");
}

#[tokio::test]
async fn a_scheduled_article_publishes_itself_once_across_a_restart() {
    let database = SharedDatabase::create().await;
    let desk = Desk::on(database.spawn(quick_scheduler()).await).await;
    let draft = desk.draft(&desk.author, "After the restart", "Text.").await;
    let at = Timestamp(Timestamp::now().0 + 1_500);
    assert_eq!(desk.act(&desk.editor, id(&draft), "schedule", Some(&at.rfc3339())).await.status(), 200);
    // Cached while scheduled: the home page must drop it when it publishes.
    assert!(!desk.app.get_text("/").await.1.contains("after-the-restart"));
    desk.app.stop().await.expect("stop");
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    let app = database.spawn(quick_scheduler()).await;
    wait_until_published(&app, id(&draft)).await;
    assert_eq!(app.get("/articles/after-the-restart").await.status(), 200);
    assert!(app.get_text("/").await.1.contains("after-the-restart"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.store.scheduled_publications(ArticleId(id(&draft))).await.unwrap().len(), 1);
}

#[tokio::test]
async fn two_instances_on_one_database_publish_a_scheduled_article_exactly_once() {
    let database = SharedDatabase::create().await;
    let desk = Desk::on(database.spawn(quick_scheduler()).await).await;
    let second = database.spawn(quick_scheduler()).await;
    let mut drafts = Vec::new();
    for n in 0..5 {
        let draft = desk.draft(&desk.author, &format!("Both instances {n}"), "Text.").await;
        let at = Timestamp(Timestamp::now().0 + 1_000);
        assert_eq!(desk.act(&desk.editor, id(&draft), "schedule", Some(&at.rfc3339())).await.status(), 200);
        drafts.push(draft);
    }
    // The second instance caches its home page before the publication.
    assert!(!second.get_text("/").await.1.contains("both-instances-0"));
    for draft in &drafts {
        wait_until_published(&second, id(draft)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for draft in &drafts {
        let count = second.store.scheduled_publications(ArticleId(id(draft))).await.unwrap().len();
        assert_eq!(count, 1, "{} published {count} times", draft["slug"]);
    }
    // Both instances' caches dropped the lists that now show them: through
    // PostgreSQL's bus (SQLite instances share no bus, by design).
    if !tribune_testkit::backend_is_postgres() {
        return;
    }
    for app in [&desk.app, &second] {
        let (_, home) = app.get_text("/").await;
        assert!(home.contains("both-instances-0"), "home page shows the published article");
    }
}
