//! Who may do what: every route the router serves, asked by every role.
//! The list of routes comes from the router itself, so a new route without
//! a row here fails `authorization_matrix` until someone decides who may use it.

use reqwest::Method;
use std::collections::BTreeSet;
use tribune_domain::account::Role;
use tribune_domain::Timestamp;
use tribune_store::{NewSession, NewUser};
use tribune_testkit::TestApp;
use tribune_web::accounts::token_digest;
use tribune_web::SiteConfig;

/// Columns of the matrix, in this order. "suspended" is a suspended admin.
const ROLES: [&str; 7] = ["guest", "commenter", "author", "moderator", "editor", "admin", "suspended"];

enum Body {
    None,
    /// Form fields; `{n}` in a value becomes a number unique to the request.
    Form(&'static [(&'static str, &'static str)]),
    /// JSON text; `{n}` becomes a number unique to the request.
    Json(String),
    /// A multipart upload: a small PNG as `file`, and alt text.
    Image,
}

struct Case {
    method: Method,
    /// The route as registered, e.g. `/articles/{slug}`.
    route: &'static str,
    /// The path requested, with its parameters filled in.
    path: String,
    body: Body,
    /// Expected status for each of `ROLES`.
    expect: [u16; 7],
}

fn case(method: Method, route: &'static str, path: impl Into<String>, body: Body, expect: [u16; 7]) -> Case {
    Case { method, route, path: path.into(), body, expect }
}

/// What the rows act on.
struct Targets<'a> {
    slug: &'a str,
    target_user: i64,
    /// Comments the desk acts on, readers report through the page, and through the API.
    comment: i64,
    reported_by_form: i64,
    reported_by_api: i64,
    /// Two drafts written by the author: one edited and restored, one scheduled.
    draft: i64,
    to_schedule: i64,
    /// A third draft by the author, saved through the editor's form.
    form_draft: i64,
}

fn cases(t: &Targets<'_>) -> Vec<Case> {
    let (slug, target_user) = (t.slug, t.target_user);
    let (comment, by_form, by_api) = (t.comment, t.reported_by_form, t.reported_by_api);
    let (draft, to_schedule, form_draft) = (t.draft, t.to_schedule, t.form_draft);
    use Body::{Form, Json, None};
    use Method as M;
    let comment_json = r#"{"name":"Guest {n}","email":"guest{n}@example.org","body":"Comment {n}"}"#.to_owned();
    let article_json =
        r#"{"headline":"Matrix article {n}","standfirst":"S.","byline":"B","section":"News","body":"Text."}"#;
    vec![
        // The JSON API.
        case(M::GET, "/api/v1/articles", "/api/v1/articles", None, [200; 7]),
        case(
            M::POST,
            "/api/v1/articles",
            "/api/v1/articles",
            Json(article_json.to_owned()),
            [401, 403, 403, 403, 201, 201, 403],
        ),
        case(M::GET, "/api/v1/articles/{slug}", format!("/api/v1/articles/{slug}"), None, [200; 7]),
        case(M::GET, "/api/v1/articles/{slug}/comments", format!("/api/v1/articles/{slug}/comments"), None, [200; 7]),
        case(
            M::POST,
            "/api/v1/articles/{slug}/comments",
            format!("/api/v1/articles/{slug}/comments"),
            Json(comment_json),
            [201, 201, 201, 201, 201, 201, 403],
        ),
        case(
            M::GET,
            "/api/v1/articles/{slug}/comments/live",
            format!("/api/v1/articles/{slug}/comments/live"),
            None,
            [200; 7],
        ),
        // The newsroom's API: authors write their own drafts; editors and admins
        // everything. A save over the author's newer revision is 409 (allowed,
        // but stale); scheduling again is allowed.
        case(M::GET, "/api/v1/newsroom/articles", "/api/v1/newsroom/articles", None, WRITERS_200),
        case(
            M::POST,
            "/api/v1/newsroom/articles",
            "/api/v1/newsroom/articles",
            Json(r#"{"headline":"Newsroom draft {n}","byline":"B","section":"News","body":"Text."}"#.to_owned()),
            [401, 403, 201, 403, 201, 201, 403],
        ),
        case(M::GET, "/api/v1/newsroom/articles/{id}", format!("/api/v1/newsroom/articles/{draft}"), None, WRITERS_200),
        case(
            M::PUT,
            "/api/v1/newsroom/articles/{id}",
            format!("/api/v1/newsroom/articles/{draft}"),
            Json(
                r#"{"headline":"Edited {n}","byline":"B","section":"News","body":"Text {n}.","base_revision":1}"#
                    .to_owned(),
            ),
            [401, 403, 200, 403, 409, 409, 403],
        ),
        case(
            M::POST,
            "/api/v1/newsroom/articles/{id}/transitions",
            format!("/api/v1/newsroom/articles/{to_schedule}/transitions"),
            Json(r#"{"action":"schedule","publish_at":"2099-01-01T08:00:00Z"}"#.to_owned()),
            [401, 403, 403, 403, 200, 200, 403],
        ),
        case(
            M::GET,
            "/api/v1/newsroom/articles/{id}/revisions",
            format!("/api/v1/newsroom/articles/{draft}/revisions"),
            None,
            WRITERS_200,
        ),
        case(
            M::GET,
            "/api/v1/newsroom/articles/{id}/revisions/compare",
            format!("/api/v1/newsroom/articles/{draft}/revisions/compare?from=1&to=1"),
            None,
            WRITERS_200,
        ),
        case(
            M::POST,
            "/api/v1/newsroom/articles/{id}/revisions/{number}/restore",
            format!("/api/v1/newsroom/articles/{draft}/revisions/1/restore"),
            None,
            [401, 403, 403, 403, 200, 200, 403],
        ),
        // The newsroom's pages: the same rules; a guest gets the sign-in prompt (401).
        case(M::GET, "/newsroom", "/newsroom", None, WRITERS_PAGE),
        case(M::GET, "/newsroom/new", "/newsroom/new", None, WRITERS_PAGE),
        case(
            M::POST,
            "/newsroom/articles",
            "/newsroom/articles",
            Form(&[("headline", "Form draft {n}"), ("byline", "B"), ("section", "News"), ("body", "Text.")]),
            [401, 403, 303, 403, 303, 303, 403],
        ),
        case(
            M::POST,
            "/newsroom/preview",
            "/newsroom/preview",
            Form(&[("headline", "Preview {n}"), ("body", "> Quote")]),
            [401, 403, 200, 403, 200, 200, 403],
        ),
        case(
            M::GET,
            "/newsroom/articles/{id}/edit",
            format!("/newsroom/articles/{form_draft}/edit"),
            None,
            WRITERS_PAGE,
        ),
        case(
            M::POST,
            "/newsroom/articles/{id}",
            format!("/newsroom/articles/{form_draft}"),
            Form(&[
                ("headline", "Form edit {n}"),
                ("byline", "B"),
                ("section", "News"),
                ("body", "Text {n}."),
                ("base_revision", "1"),
                ("intent", "save"),
            ]),
            [401, 403, 303, 403, 409, 409, 403],
        ),
        case(
            M::POST,
            "/newsroom/articles/{id}/transitions",
            format!("/newsroom/articles/{to_schedule}/transitions"),
            Form(&[("action", "schedule"), ("publish_at", "2099-01-02T08:00:00Z")]),
            [401, 403, 403, 403, 303, 303, 403],
        ),
        case(
            M::GET,
            "/newsroom/articles/{id}/revisions",
            format!("/newsroom/articles/{form_draft}/revisions?from=1&to=1"),
            None,
            WRITERS_PAGE,
        ),
        case(
            M::POST,
            "/newsroom/articles/{id}/revisions/{number}/restore",
            format!("/newsroom/articles/{form_draft}/revisions/1/restore"),
            None,
            [401, 403, 403, 403, 303, 303, 403],
        ),
        case(M::GET, "/assets/{file}", "/assets/tribune.css", None, [200; 7]),
        case(M::GET, "/healthz", "/healthz", None, [200; 7]),
        case(M::GET, "/docs/api", "/docs/api", None, [200; 7]),
        // Reading.
        case(M::GET, "/", "/", None, [200; 7]),
        case(M::GET, "/sections/{section}", "/sections/news", None, [200; 7]),
        case(M::GET, "/search", "/search?q=matrix", None, [200; 7]),
        case(M::GET, "/tags/{tag}", "/tags/matrix-tag", None, [200; 7]),
        // What search engines read.
        case(M::GET, "/robots.txt", "/robots.txt", None, [200; 7]),
        case(M::GET, "/sitemap.xml", "/sitemap.xml", None, [200; 7]),
        case(M::GET, "/sitemap-news.xml", "/sitemap-news.xml", None, [200; 7]),
        // Feeds: public, like the pages they follow.
        case(M::GET, "/feed.rss", "/feed.rss", None, [200; 7]),
        case(M::GET, "/feed.atom", "/feed.atom", None, [200; 7]),
        case(M::GET, "/sections/{section}/feed.rss", "/sections/news/feed.rss", None, [200; 7]),
        case(M::GET, "/sections/{section}/feed.atom", "/sections/news/feed.atom", None, [200; 7]),
        case(M::GET, "/tags/{tag}/feed.rss", "/tags/matrix-tag/feed.rss", None, [200; 7]),
        case(M::GET, "/tags/{tag}/feed.atom", "/tags/matrix-tag/feed.atom", None, [200; 7]),
        case(M::GET, "/comments/feed.rss", "/comments/feed.rss", None, [200; 7]),
        case(M::GET, "/comments/feed.atom", "/comments/feed.atom", None, [200; 7]),
        case(
            M::GET,
            "/articles/{slug}/comments/feed.rss",
            format!("/articles/{slug}/comments/feed.rss"),
            None,
            [200; 7],
        ),
        case(
            M::GET,
            "/articles/{slug}/comments/feed.atom",
            format!("/articles/{slug}/comments/feed.atom"),
            None,
            [200; 7],
        ),
        case(M::GET, "/articles/{slug}", format!("/articles/{slug}"), None, [200; 7]),
        case(M::GET, "/articles/{slug}/comments", format!("/articles/{slug}/comments"), None, [303; 7]),
        case(
            M::POST,
            "/articles/{slug}/comments",
            format!("/articles/{slug}/comments"),
            Form(&[("name", "Guest {n}"), ("email", "guest{n}@example.org"), ("body", "Form comment {n}")]),
            [303, 303, 303, 303, 303, 303, 403],
        ),
        // Accounts: open to everyone.
        case(M::GET, "/signup", "/signup", None, [200; 7]),
        case(
            M::POST,
            "/signup",
            "/signup",
            Form(&[
                ("display_name", "New {n}"),
                ("email", "new{n}@example.org"),
                ("password", "a long enough password"),
            ]),
            [303; 7],
        ),
        case(M::GET, "/signin", "/signin", None, [200; 7]),
        case(
            M::POST,
            "/signin",
            "/signin",
            Form(&[("email", "nobody{n}@example.org"), ("password", "wrong password")]),
            [422; 7],
        ),
        case(M::POST, "/signout", "/signout", None, [303; 7]),
        case(M::GET, "/sso/jwt", "/sso/jwt?token=not.a.token", None, [400; 7]),
        // Not configured here, so not there; tests/oidc.rs covers the flow itself.
        case(M::GET, "/signin/oidc", "/signin/oidc", None, [404; 7]),
        case(M::GET, "/signin/oidc/callback", "/signin/oidc/callback?code=c&state=s", None, [404; 7]),
        case(M::GET, "/signin/link/{token}", "/signin/link/unknown-token", None, [200; 7]),
        case(M::POST, "/signin/link", "/signin/link", Form(&[("token", "unknown-token")]), [400; 7]),
        case(M::GET, "/signin/email", "/signin/email", None, [200; 7]),
        case(M::POST, "/signin/email", "/signin/email", Form(&[("email", "someone{n}@example.org")]), [200; 7]),
        case(M::GET, "/password/reset", "/password/reset", None, [200; 7]),
        case(M::POST, "/password/reset", "/password/reset", Form(&[("email", "someone{n}@example.org")]), [200; 7]),
        case(M::GET, "/password/reset/{token}", "/password/reset/unknown-token", None, [200; 7]),
        case(
            M::POST,
            "/password/reset/confirm",
            "/password/reset/confirm",
            Form(&[("token", "unknown-token"), ("new_password", "a new long password")]),
            [400; 7],
        ),
        case(M::GET, "/verify/{token}", "/verify/unknown-token", None, [200; 7]),
        case(M::POST, "/verify", "/verify", Form(&[("token", "unknown-token")]), [400; 7]),
        // Accounts: one's own.
        case(M::GET, "/account", "/account", None, [303, 200, 200, 200, 200, 200, 200]),
        case(M::GET, "/account/data.json", "/account/data.json", None, [401, 200, 200, 200, 200, 200, 200]),
        case(M::POST, "/signout/everywhere", "/signout/everywhere", None, [401, 303, 303, 303, 303, 303, 303]),
        case(
            M::POST,
            "/account/name",
            "/account/name",
            Form(&[("display_name", "")]),
            [401, 422, 422, 422, 422, 422, 422],
        ),
        case(
            M::POST,
            "/account/password",
            "/account/password",
            Form(&[("current_password", "wrong"), ("new_password", "another long password")]),
            [401, 422, 422, 422, 422, 422, 422],
        ),
        case(
            M::POST,
            "/account/email",
            "/account/email",
            Form(&[("current_password", "wrong"), ("email", "changed{n}@example.org")]),
            [401, 422, 422, 422, 422, 422, 422],
        ),
        case(
            M::POST,
            "/account/delete",
            "/account/delete",
            Form(&[("confirm", "no")]),
            [401, 422, 422, 422, 422, 422, 422],
        ),
        // Corrections: editors and admins append them; everyone reads them.
        case(M::GET, "/corrections", "/corrections", None, [200; 7]),
        case(
            M::GET,
            "/newsroom/corrections/{slug}",
            format!("/newsroom/corrections/{slug}"),
            None,
            [401, 403, 403, 403, 200, 200, 403],
        ),
        case(
            M::POST,
            "/newsroom/corrections/{slug}",
            format!("/newsroom/corrections/{slug}"),
            Form(&[("note", "Matrix correction {n}")]),
            [401, 403, 403, 403, 303, 303, 403],
        ),
        case(
            M::GET,
            "/api/v1/articles/{slug}/corrections",
            format!("/api/v1/articles/{slug}/corrections"),
            None,
            [200; 7],
        ),
        case(
            M::POST,
            "/api/v1/articles/{slug}/corrections",
            format!("/api/v1/articles/{slug}/corrections"),
            Json(r#"{"note":"Matrix correction {n}"}"#.to_owned()),
            [401, 403, 403, 403, 201, 201, 403],
        ),
        // Author profiles: public pages and feeds; editors and admins keep them.
        case(M::GET, "/authors/{slug}", "/authors/matrix-author", None, [200; 7]),
        case(M::GET, "/authors/{slug}/feed.rss", "/authors/matrix-author/feed.rss", None, [200; 7]),
        case(M::GET, "/authors/{slug}/feed.atom", "/authors/matrix-author/feed.atom", None, [200; 7]),
        case(M::GET, "/newsroom/authors", "/newsroom/authors", None, [401, 403, 403, 403, 200, 200, 403]),
        case(
            M::POST,
            "/newsroom/authors",
            "/newsroom/authors",
            Form(&[("name", "Matrix Writer {n}")]),
            [401, 403, 403, 403, 303, 303, 403],
        ),
        case(
            M::GET,
            "/newsroom/authors/{slug}",
            "/newsroom/authors/matrix-author",
            None,
            [401, 403, 403, 403, 200, 200, 403],
        ),
        case(
            M::POST,
            "/newsroom/authors/{slug}",
            "/newsroom/authors/matrix-author",
            Form(&[("name", "Matrix Author"), ("slug", "matrix-author"), ("bio", "Bio {n}")]),
            [401, 403, 403, 403, 303, 303, 403],
        ),
        case(
            M::PUT,
            "/api/v1/articles/{slug}/bylines",
            format!("/api/v1/articles/{slug}/bylines"),
            Json(r#"{"authors":["matrix-author"]}"#.to_owned()),
            [401, 403, 403, 403, 200, 200, 403],
        ),
        // The home page's lead: editors and admins choose it.
        case(M::GET, "/newsroom/home", "/newsroom/home", None, [401, 403, 403, 403, 200, 200, 403]),
        case(M::POST, "/newsroom/home", "/newsroom/home", Form(&[("slug", "")]), [401, 403, 403, 403, 303, 303, 403]),
        // Administration.
        case(M::GET, "/admin/users", "/admin/users", None, [401, 403, 403, 403, 403, 200, 403]),
        case(
            M::POST,
            "/admin/users/{id}/role",
            format!("/admin/users/{target_user}/role"),
            Form(&[("role", "moderator")]),
            [401, 403, 403, 403, 403, 303, 403],
        ),
        case(
            M::POST,
            "/admin/users/{id}/suspension",
            format!("/admin/users/{target_user}/suspension"),
            Form(&[("suspended", "true")]),
            [401, 403, 403, 403, 403, 303, 403],
        ),
        // Moderation: readers report; moderators and above decide; admins set the policy.
        case(
            M::GET,
            "/articles/{slug}/comments/{id}/report",
            format!("/articles/{slug}/comments/{by_form}/report"),
            None,
            [200; 7],
        ),
        case(
            M::POST,
            "/articles/{slug}/comments/{id}/report",
            format!("/articles/{slug}/comments/{by_form}/report"),
            Form(&[("reason", "spam"), ("note", "Matrix {n}")]),
            [401, 200, 200, 200, 200, 200, 403],
        ),
        case(
            M::POST,
            "/api/v1/articles/{slug}/comments/{id}/reports",
            format!("/api/v1/articles/{slug}/comments/{by_api}/reports"),
            Json(r#"{"reason":"off_topic"}"#.to_owned()),
            [401, 201, 201, 201, 201, 201, 403],
        ),
        case(M::GET, "/moderation", "/moderation", None, STAFF_PAGE),
        case(
            M::POST,
            "/moderation/comments/{id}/actions",
            format!("/moderation/comments/{comment}/actions"),
            Form(&[("action", "approve"), ("return_to", "/moderation")]),
            STAFF_FORM,
        ),
        case(
            M::POST,
            "/moderation/bulk",
            "/moderation/bulk",
            Form(&[("action", "approve"), ("return_to", "/moderation")]),
            STAFF_FORM,
        ),
        case(
            M::GET,
            "/moderation/comments/{id}/edit",
            format!("/moderation/comments/{comment}/edit"),
            None,
            STAFF_PAGE,
        ),
        case(
            M::POST,
            "/moderation/comments/{id}/edit",
            format!("/moderation/comments/{comment}/edit"),
            Form(&[("body", "Edited {n}"), ("reason", "The matrix"), ("version", "")]),
            STAFF_FORM,
        ),
        case(M::GET, "/moderation/authors/{key}", "/moderation/authors/email:guest1@example.org", None, STAFF_PAGE),
        case(
            M::POST,
            "/moderation/authors/{key}/actions",
            "/moderation/authors/email:guest1@example.org/actions",
            Form(&[("action", "note"), ("body", "Note {n}")]),
            STAFF_FORM,
        ),
        case(M::GET, "/moderation/articles/{slug}", format!("/moderation/articles/{slug}"), None, STAFF_PAGE),
        case(
            M::POST,
            "/moderation/articles/{slug}",
            format!("/moderation/articles/{slug}"),
            Form(&[("comments_open", "on")]),
            STAFF_FORM,
        ),
        case(M::GET, "/admin/moderation", "/admin/moderation", None, [401, 403, 403, 403, 403, 200, 403]),
        case(
            M::POST,
            "/admin/moderation",
            "/admin/moderation",
            Form(SETTINGS_FORM),
            [401, 403, 403, 403, 403, 303, 403],
        ),
        case(M::GET, "/admin/audit", "/admin/audit", None, [401, 403, 403, 403, 403, 200, 403]),
        case(M::GET, "/api/v1/moderation/queues/{queue}", "/api/v1/moderation/queues/pending", None, STAFF_API),
        case(
            M::POST,
            "/api/v1/moderation/comments/{id}/actions",
            format!("/api/v1/moderation/comments/{comment}/actions"),
            Json(r#"{"action":"edit","body":"Edited {n}","reason":"The matrix"}"#.to_owned()),
            STAFF_API,
        ),
        case(
            M::POST,
            "/api/v1/moderation/authors/{key}/actions",
            "/api/v1/moderation/authors/email:guest1@example.org/actions",
            Json(r#"{"action":"note","body":"Note {n}"}"#.to_owned()),
            STAFF_API,
        ),
        case(M::GET, "/api/v1/moderation/settings", "/api/v1/moderation/settings", None, STAFF_API),
        case(
            M::PUT,
            "/api/v1/moderation/settings",
            "/api/v1/moderation/settings",
            Json(r#"{"report_threshold":0}"#.to_owned()),
            [401, 403, 403, 403, 403, 200, 403],
        ),
        case(M::GET, "/api/v1/moderation/audit", "/api/v1/moderation/audit", None, STAFF_API),
        case(
            M::GET,
            "/api/v1/articles/{slug}/discussion",
            format!("/api/v1/articles/{slug}/discussion"),
            None,
            STAFF_API,
        ),
        case(
            M::PUT,
            "/api/v1/articles/{slug}/discussion",
            format!("/api/v1/articles/{slug}/discussion"),
            Json(r#"{"comments_open":true}"#.to_owned()),
            STAFF_API,
        ),
        // Webhooks (endpoint 1 and delivery 1 are made by `webhook_fixture`).
        case(M::GET, "/admin/webhooks", "/admin/webhooks", None, [401, 403, 403, 403, 403, 200, 403]),
        case(
            M::POST,
            "/admin/webhooks",
            "/admin/webhooks",
            Form(&[("url", "http://127.0.0.1:9/hook{n}"), ("events", "comment.held")]),
            [401, 403, 403, 403, 403, 200, 403],
        ),
        case(
            M::POST,
            "/admin/webhooks/{id}/active",
            "/admin/webhooks/1/active",
            Form(&[("active", "true")]),
            [401, 403, 403, 403, 403, 303, 403],
        ),
        case(
            M::POST,
            "/admin/webhooks/{id}/secret",
            "/admin/webhooks/1/secret",
            None,
            [401, 403, 403, 403, 403, 200, 403],
        ),
        case(
            M::POST,
            "/admin/webhooks/deliveries/{id}/again",
            "/admin/webhooks/deliveries/1/again",
            Form(&[("endpoint", "1")]),
            [401, 403, 403, 403, 403, 303, 403],
        ),
        // API keys (key 1 is made by `api_key_fixture`; revoking twice is harmless).
        case(M::GET, "/admin/api-keys", "/admin/api-keys", None, [401, 403, 403, 403, 403, 200, 403]),
        case(
            M::POST,
            "/admin/api-keys",
            "/admin/api-keys",
            Form(&[("name", "Key {n}")]),
            [401, 403, 403, 403, 403, 200, 403],
        ),
        case(
            M::POST,
            "/admin/api-keys/{id}/revoke",
            "/admin/api-keys/1/revoke",
            None,
            [401, 403, 403, 403, 403, 303, 403],
        ),
        // The Perspective-compatible endpoint takes an API key, never a session:
        // without one every role is refused as Google refuses (400 API_KEY_INVALID).
        case(
            M::POST,
            "/v1alpha1/comments:analyze",
            "/v1alpha1/comments:analyze",
            Json(r#"{"comment":{"text":"Hi {n}"},"requestedAttributes":{"TOXICITY":{}}}"#.to_owned()),
            [400; 7],
        ),
        case(
            M::POST,
            "/v1alpha1/comments:suggestscore",
            "/v1alpha1/comments:suggestscore",
            Json(r#"{"comment":{"text":"Hi {n}"},"attributeScores":{"TOXICITY":{}}}"#.to_owned()),
            [400; 7],
        ),
        case(M::GET, "/$discovery/rest", "/$discovery/rest?version=v1alpha1", None, [200; 7]),
        // role yet), served to everyone.
        case(M::POST, "/api/v1/images", "/api/v1/images", Body::Image, [401, 403, 201, 403, 201, 201, 403]),
        case(M::GET, "/api/v1/images", "/api/v1/images", None, [401, 403, 200, 403, 200, 200, 403]),
        case(
            M::PUT,
            "/api/v1/articles/{slug}/featured-image",
            format!("/api/v1/articles/{slug}/featured-image"),
            Json(r#"{"image":"no-such-image"}"#.to_owned()),
            [401, 403, 403, 403, 422, 422, 403],
        ),
        case(
            M::DELETE,
            "/api/v1/articles/{slug}/featured-image",
            format!("/api/v1/articles/{slug}/featured-image"),
            None,
            [401, 403, 403, 403, 204, 204, 403],
        ),
        case(M::GET, "/media/{key}/{file}", "/media/nothing-1x1/1.jpg", None, [404; 7]),
        case(M::GET, "/newsroom/images", "/newsroom/images", None, [401, 403, 200, 403, 200, 200, 403]),
        case(M::POST, "/newsroom/images", "/newsroom/images", Body::Image, [401, 403, 201, 403, 201, 201, 403]),
    ]
}

/// Moderators, editors and admins; guests must sign in; the rest may not.
/// Signed-in writers (authors, editors, admins) only.
const WRITERS_200: [u16; 7] = [401, 403, 200, 403, 200, 200, 403];
const WRITERS_PAGE: [u16; 7] = [401, 403, 200, 403, 200, 200, 403];
const STAFF_PAGE: [u16; 7] = [401, 403, 403, 200, 200, 200, 403];
const STAFF_FORM: [u16; 7] = [401, 403, 403, 303, 303, 303, 403];
const STAFF_API: [u16; 7] = [401, 403, 403, 200, 200, 200, 403];

/// A complete, valid settings form (reports never hold, so every role can report the same comment).
const SETTINGS_FORM: &[(&str, &str)] = &[
    ("premoderation", "none"),
    ("new_commenter_approvals", "1"),
    ("trusted_after", "10"),
    ("banned_words", ""),
    ("suspect_words", ""),
    ("max_links", ""),
    ("blocked_domains", ""),
    ("allowed_domains", ""),
    ("repeat_window_minutes", "0"),
    ("cooldown_seconds", "0"),
    ("history_days", "30"),
    ("history_min_decided", "3"),
    ("history_max_rejected_percent", "50"),
    ("report_threshold", "0"),
    ("close_after_days", ""),
    ("guidelines", "Matrix {n}"),
    ("digest_minutes", "0"),
];

/// Webhook endpoint 1, and delivery 1 to it.
async fn webhook_fixture(app: &TestApp, slug: &str) {
    let endpoint = tribune_store::NewEndpoint {
        url: "http://127.0.0.1:9/hook".to_owned(),
        events: vec![tribune_domain::moderation::WebhookEvent::CommentCreated],
        secret_id: "key_matrix".to_owned(),
        secret: "whsec_matrix".to_owned(),
        created_at: Timestamp::now(),
    };
    let audit = tribune_store::NewAuditEntry {
        at: Timestamp::now(),
        actor: tribune_store::Actor { id: None, name: "matrix".to_owned() },
        action: "webhook.create".to_owned(),
        target_kind: "webhook",
        target_id: String::new(),
        article_id: None,
        reason: String::new(),
        before: None,
        after: None,
    };
    assert_eq!(app.store.create_endpoint(&endpoint, &audit).await.expect("endpoint").id, 1);
    app.comment(slug, None, "Delivered to endpoint 1").await;
    assert_eq!(app.store.deliveries(Some(1), None, 10).await.expect("deliveries")[0].id, 1);
}

/// The profile the author rows read and edit.
async fn author_fixture(app: &TestApp) {
    let profile = tribune_store::AuthorProfileWrite {
        slug: "matrix-author".to_owned(),
        name: "Matrix Author".to_owned(),
        bio: String::new(),
        photo_url: String::new(),
        user_id: None,
        at: Timestamp::now(),
    };
    app.store.create_author(&profile).await.expect("author profile");
}

async fn api_key_fixture(app: &TestApp) {
    let model = std::sync::Arc::new(tribune_moderation::scorer::Model::default_model().clone());
    let perspective = tribune_app::perspective::Perspective::new(app.store.clone(), model);
    let actor = tribune_store::Actor { id: None, name: "matrix".to_owned() };
    let issued = perspective.create_key("matrix key", &actor).await.expect("API key");
    assert_eq!(issued.key.id, 1);
}

fn matrix_config() -> SiteConfig {
    SiteConfig {
        sign_ins_per_minute: 10_000,
        sign_ups_per_hour: 10_000,
        sso_jwt_secret: Some("a-secret-of-at-least-32-characters-long".into()),
        ..TestApp::config()
    }
}

/// One account per role (none for guests); returns their ids, by column.
async fn accounts(app: &TestApp) -> Vec<Option<tribune_domain::UserId>> {
    let password = tribune_domain::account::Password::parse("the matrix password").unwrap();
    let hash = tribune_web::accounts::password::hash(&password).unwrap();
    let mut ids = vec![None];
    for name in &ROLES[1..] {
        let role = match *name {
            "author" => Role::Author,
            "moderator" => Role::Moderator,
            "editor" => Role::Editor,
            // A suspended admin: suspension must outweigh the highest role.
            "admin" | "suspended" => Role::Admin,
            _ => Role::Commenter,
        };
        let user = NewUser {
            email: format!("{name}@example.org"),
            display_name: format!("The {name}"),
            password_hash: Some(hash.clone()),
            role,
            email_verified: true,
            created_at: Timestamp::now(),
        };
        let user = app.store.create_user(&user).await.expect("account");
        if *name == "suspended" {
            app.store.set_suspended(user.id, true).await.expect("suspend");
        }
        ids.push(Some(user.id));
    }
    ids
}

/// A new session for `user`, so that signing out in one request leaves the others signed in.
async fn session_cookie(app: &TestApp, user: tribune_domain::UserId, n: u64) -> String {
    let token = format!("matrix-session-{n}-{}", user.0);
    let now = Timestamp::now();
    let session = NewSession {
        token_hash: token_digest(&token),
        user_id: user,
        created_at: now,
        expires_at: Timestamp(now.0 + 60_000),
    };
    app.store.create_session(&session).await.expect("session");
    format!("tribune_session={token}")
}

/// A draft written by `author` through the newsroom API; its id.
async fn author_draft(app: &TestApp, author: tribune_domain::UserId, headline: &str) -> i64 {
    let response = app
        .client
        .post(app.url("/api/v1/newsroom/articles"))
        .header("cookie", session_cookie(app, author, rand_n()).await)
        .json(&serde_json::json!({ "headline": headline, "byline": "B", "section": "News", "body": "First text." }))
        .send()
        .await
        .expect("create a draft");
    assert_eq!(response.status(), 201);
    response.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id")
}

fn rand_n() -> u64 {
    rand::random::<u64>()
}

#[tokio::test]
async fn authorization_matrix() {
    let app = TestApp::spawn_with(matrix_config()).await;
    let slug = app.article().with("tags", serde_json::json!(["Matrix tag"])).create().await;
    let users = accounts(&app).await;
    let target = app
        .store
        .create_user(&NewUser {
            email: "target@example.org".to_owned(),
            display_name: "Target".to_owned(),
            password_hash: None,
            role: Role::Commenter,
            email_verified: true,
            created_at: Timestamp::now(),
        })
        .await
        .expect("target account");
    webhook_fixture(&app, &slug).await;
    api_key_fixture(&app).await;
    author_fixture(&app).await;
    // Reports never hold a comment here, so that every role can report the same one.
    app.client
        .put(app.url("/api/v1/moderation/settings"))
        .bearer_auth(&app.admin_token)
        .json(&serde_json::json!({ "report_threshold": 0, "repeat_window_minutes": 0 }))
        .send()
        .await
        .expect("settings");
    let comment = app.comment(&slug, None, "The desk acts on this one").await;
    let reported_by_form = app.comment(&slug, None, "Reported through the page").await;
    let reported_by_api = app.comment(&slug, None, "Reported through the API").await;
    let author = users[2].expect("the author");
    let draft = author_draft(&app, author, "Matrix draft").await;
    let to_schedule = author_draft(&app, author, "Matrix draft to schedule").await;
    let form_draft = author_draft(&app, author, "Matrix draft in the form").await;
    let targets = Targets {
        slug: &slug,
        target_user: target.id.0,
        comment,
        reported_by_form,
        reported_by_api,
        draft,
        to_schedule,
        form_draft,
    };
    let cases = cases(&targets);

    let served: BTreeSet<(String, &str)> = app.routes.iter().map(|r| (r.method.to_string(), r.path)).collect();
    let listed: BTreeSet<(String, &str)> = cases.iter().map(|c| (c.method.to_string(), c.route)).collect();
    let unlisted: Vec<_> = served.difference(&listed).collect();
    assert!(unlisted.is_empty(), "routes with no row in the authorization matrix: {unlisted:?}");
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(stale.is_empty(), "matrix rows for routes the router does not serve: {stale:?}");

    let mut n = 0u64;
    let mut wrong = Vec::new();
    for case in &cases {
        for (column, role) in ROLES.iter().enumerate() {
            n += 1;
            let mut request = app.client.request(case.method.clone(), app.url(&case.path));
            if let Some(user) = users[column] {
                request = request.header("cookie", session_cookie(&app, user, n).await);
            }
            let fill = |text: &str| text.replace("{n}", &n.to_string());
            request = match &case.body {
                Body::None => request,
                Body::Form(fields) => {
                    let fields: Vec<(&str, String)> = fields.iter().map(|(k, v)| (*k, fill(v))).collect();
                    request.form(&fields)
                }
                Body::Json(text) => request.header("content-type", "application/json").body(fill(text)),
                Body::Image => {
                    let file = reqwest::multipart::Part::bytes(tribune_media::fixtures::png(8, 8)).file_name("m.png");
                    request
                        .multipart(reqwest::multipart::Form::new().part("file", file).text("alt", fill("Matrix {n}")))
                }
            };
            let status = request.send().await.expect("request").status().as_u16();
            let expected = case.expect[column];
            if status != expected {
                wrong.push(format!("{} {} as {role}: {status}, expected {expected}", case.method, case.path));
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers differ from the matrix:\n{}", wrong.len(), wrong.join("\n"));
}

#[tokio::test]
async fn every_form_post_from_another_site_is_refused_whoever_sends_it() {
    let app = TestApp::spawn_with(matrix_config()).await;
    let slug = app.article().with("tags", serde_json::json!(["Matrix tag"])).create().await;
    let users = accounts(&app).await;
    let mut n = 1_000u64;
    let targets = Targets {
        slug: &slug,
        target_user: 1,
        comment: 1,
        reported_by_form: 1,
        reported_by_api: 1,
        draft: 1,
        to_schedule: 1,
        form_draft: 1,
    };
    // The JSON API and the Perspective-compatible endpoint (an API key in the
    // address, never a cookie; other sites' servers call it) take no forms.
    let forms = |c: &&Case| !c.route.starts_with("/api/") && !c.route.starts_with("/v1alpha1/");
    for case in cases(&targets).iter().filter(|c| c.method == Method::POST).filter(forms) {
        for (column, role) in ROLES.iter().enumerate() {
            n += 1;
            let mut request =
                app.client.post(app.url(&case.path)).header("origin", "http://elsewhere.example").form(&[("x", "y")]);
            if let Some(user) = users[column] {
                request = request.header("cookie", session_cookie(&app, user, n).await);
            }
            let response = request.send().await.expect("request");
            assert_eq!(response.status(), 403, "cross-site POST {} as {role}", case.path);
        }
    }
}
