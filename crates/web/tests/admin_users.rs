//! The admin's accounts page, suspension, and a reader's own data.

use serde_json::{json, Value};
use tribune_domain::account::Role;
use tribune_testkit::TestApp;

const PASSWORD: &str = "a long enough secret";

/// Signs up a reader and returns their client and account id.
async fn member(app: &TestApp, name: &str, email: &str) -> (reqwest::Client, tribune_domain::UserId) {
    let client = app.reader();
    app.sign_up(&client, name, email, PASSWORD).await;
    (client, app.store.user_by_email(email).await.expect("account").id)
}

async fn admin(app: &TestApp) -> (reqwest::Client, tribune_domain::UserId) {
    let (client, id) = member(app, "Ada Admin", "ada@example.org").await;
    app.store.set_role(id, Role::Admin).await.expect("make admin");
    (client, id)
}

#[tokio::test]
async fn an_admin_lists_searches_and_pages_through_accounts() {
    let app = TestApp::spawn().await;
    let (admin, _) = admin(&app).await;
    member(&app, "Bea <b>Bold</b>", "bea@example.org").await;
    member(&app, "Cal Reader", "cal@news.example").await;

    let page = admin.get(app.url("/admin/users")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("cal@news.example") && page.contains("ada@example.org"));
    assert!(page.contains("Bea &lt;b&gt;Bold&lt;&#x2f;b&gt;"), "names are escaped: {page}");
    assert!(page.find("cal@news.example") < page.find("ada@example.org"), "newest first");

    let found = admin.get(app.url("/admin/users?q=NEWS.example")).send().await.unwrap().text().await.unwrap();
    assert!(found.contains("cal@news.example") && !found.contains("bea@example.org"));
    let none = admin.get(app.url("/admin/users?q=%25")).send().await.unwrap().text().await.unwrap();
    assert!(none.contains("No account matches"), "a % is searched for literally");

    for n in 0..55 {
        let user = tribune_store::NewUser {
            email: format!("bulk{n}@example.org"),
            display_name: format!("Bulk {n}"),
            password_hash: None,
            role: Role::Commenter,
            email_verified: false,
            created_at: tribune_domain::Timestamp::now(),
        };
        app.store.create_user(&user).await.unwrap();
    }
    let first = admin.get(app.url("/admin/users")).send().await.unwrap().text().await.unwrap();
    assert!(first.contains("bulk54@example.org") && !first.contains("cal@news.example"));
    let next = first.split("before=").nth(1).expect("a link to older accounts").split('"').next().unwrap();
    let older = admin.get(app.url(&format!("/admin/users?before={next}"))).send().await.unwrap().text().await.unwrap();
    assert!(older.contains("cal@news.example") && older.contains("ada@example.org") && !older.contains("bulk54@"));
    let bad = admin.get(app.url("/admin/users?before=soon")).send().await.unwrap();
    assert_eq!(bad.status(), 400, "a malformed cursor is a clear error");
}

#[tokio::test]
async fn an_admin_changes_roles_but_never_their_own() {
    let app = TestApp::spawn().await;
    let (admin, admin_id) = admin(&app).await;
    let (reader, reader_id) = member(&app, "Mo Derator", "mo@example.org").await;
    assert_eq!(reader.get(app.url("/admin/users")).send().await.unwrap().status(), 403);

    let changed =
        admin.post(app.url(&format!("/admin/users/{}/role", reader_id.0))).form(&[("role", "editor")]).send().await;
    let changed = changed.unwrap();
    assert_eq!(changed.status(), 303);
    assert_eq!(changed.headers()["location"], format!("/admin/users#user-{}", reader_id.0));
    assert_eq!(app.store.user(reader_id).await.unwrap().role, Role::Editor);
    let publish = reader
        .post(app.url("/api/v1/articles"))
        .json(&json!({"headline": "By the new editor", "standfirst": "S", "byline": "Mo", "section": "News", "body": "B"}))
        .send()
        .await
        .unwrap();
    assert_eq!(publish.status(), 201, "the new role applies to the session already open");

    let bogus = admin.post(app.url(&format!("/admin/users/{}/role", reader_id.0))).form(&[("role", "emperor")]);
    let bogus = bogus.send().await.unwrap();
    assert_eq!(bogus.status(), 422);
    assert!(bogus.text().await.unwrap().contains("role"));
    assert_eq!(app.store.user(reader_id).await.unwrap().role, Role::Editor, "nothing changed");

    let own = admin.post(app.url(&format!("/admin/users/{}/role", admin_id.0))).form(&[("role", "commenter")]);
    let own = own.send().await.unwrap();
    assert_eq!(own.status(), 403);
    assert!(own.text().await.unwrap().contains("cannot change your own role"));
    assert_eq!(app.store.user(admin_id).await.unwrap().role, Role::Admin);

    let missing = admin.post(app.url("/admin/users/999999/role")).form(&[("role", "editor")]).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let garbage = admin.post(app.url("/admin/users/abc/role")).form(&[("role", "editor")]).send().await.unwrap();
    assert_eq!(garbage.status(), 404);
}

#[tokio::test]
async fn a_suspended_reader_cannot_comment_but_keeps_their_account() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let (admin, _) = admin(&app).await;
    let (reader, reader_id) = member(&app, "Sue Spended", "sue@example.org").await;
    let comments = app.url(&format!("/api/v1/articles/{slug}/comments"));
    let first = reader.post(&comments).json(&json!({"body": "Before"})).send().await.unwrap();
    assert_eq!(first.status(), 201);

    let suspend = admin.post(app.url(&format!("/admin/users/{}/suspension", reader_id.0)));
    let suspended = suspend.form(&[("suspended", "true"), ("q", "sue spended")]).send().await.unwrap();
    assert_eq!(suspended.status(), 303);
    let back = format!("/admin/users?q=sue%20spended#user-{}", reader_id.0);
    assert_eq!(suspended.headers()["location"], back.as_str(), "back to the same search");
    let listed = admin.get(app.url("/admin/users?q=sue")).send().await.unwrap().text().await.unwrap();
    assert!(listed.contains("Suspended") && listed.contains("Reinstate"));

    let refused = reader.post(&comments).json(&json!({"body": "After"})).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "account_suspended");
    let form = reader
        .post(app.url(&format!("/articles/{slug}/comments")))
        .form(&[("body", "After, by form")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 403);
    assert!(form.text().await.unwrap().contains("suspended"));
    let account = reader.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(account.contains("Your account is suspended"));
    assert_eq!(reader.get(app.url("/account/data.json")).send().await.unwrap().status(), 200);

    let lift = admin.post(app.url(&format!("/admin/users/{}/suspension", reader_id.0)));
    assert_eq!(lift.form(&[("suspended", "false")]).send().await.unwrap().status(), 303);
    assert_eq!(reader.post(&comments).json(&json!({"body": "Back"})).send().await.unwrap().status(), 201);
    let nonsense = admin.post(app.url(&format!("/admin/users/{}/suspension", reader_id.0)));
    assert_eq!(nonsense.form(&[("suspended", "maybe")]).send().await.unwrap().status(), 400);
}

#[tokio::test]
async fn a_reader_sees_their_comments_and_downloads_their_data() {
    let app = TestApp::spawn().await;
    let slug = app.article().with("headline", "Harbour <news>").create().await;
    let (reader, reader_id) = member(&app, "Dee Downloader", "dee@example.org").await;
    let comments = app.url(&format!("/api/v1/articles/{slug}/comments"));
    for body in ["First *thought*", "Second <script>alert(1)</script> thought"] {
        assert_eq!(reader.post(&comments).json(&json!({"body": body})).send().await.unwrap().status(), 201);
    }
    app.comment(&slug, None, "someone else's comment").await;

    let account = reader.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(account.contains("Your comments") && account.contains("First <em>thought</em>"));
    assert!(account.contains("Harbour &lt;news&gt;") && !account.contains("<script>alert"), "{account}");
    assert!(!account.contains("someone else"));
    assert!(account.find("Second") < account.find("First"), "newest first");

    let download = reader.get(app.url("/account/data.json")).send().await.unwrap();
    assert_eq!(download.status(), 200);
    assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(download.headers()["cache-control"], "no-store");
    let data: Value = download.json().await.unwrap();
    assert_eq!(data["account"]["email"], "dee@example.org");
    assert_eq!(data["account"]["id"], reader_id.0);
    assert!(data["account"].get("password_hash").is_none(), "never the password hash");
    let bodies: Vec<&str> =
        data["comments"].as_array().unwrap().iter().map(|c| c["body_markdown"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["Second <script>alert(1)</script> thought", "First *thought*"]);
    assert_eq!(data["comments"][0]["article_headline"], "Harbour <news>");

    assert_eq!(app.client.get(app.url("/account/data.json")).send().await.unwrap().status(), 401);
}
