//! Hostile input from a public payload list (see fixtures/xss-payloads/SOURCE.md)
//! posted as comment bodies, names and websites, both stored and echoed back
//! in a refused form: the rendered page may contain only the tags and
//! attributes the theme itself writes.

use tribune_testkit::markup::tags;
use tribune_testkit::TestApp;
use tribune_web::SiteConfig;

const ALLOWED_TAGS: &[&str] = &[
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
    "section",
    "h2",
    "h3",
    "nav",
    "strong",
    "article",
    "header",
    "span",
    "time",
    "div",
    "form",
    "input",
    "textarea",
    "label",
    "button",
    // The discussion guidelines.
    "aside",
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
    "value",
    "rows",
    "for",
    "role",
    "autocomplete",
    "hidden",
    // The error summary takes the focus from script.
    "tabindex",
    "checked",
];

#[tokio::test]
async fn no_payload_survives_as_markup() {
    let app = TestApp::spawn_with(SiteConfig { comments_per_page: 500, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    let payloads: Vec<&str> =
        include_str!("fixtures/xss-payloads/ALL_XSS_dedup.txt").lines().filter(|l| !l.trim().is_empty()).collect();
    let mut stored = 0;
    for payload in payloads.iter().step_by(5) {
        let body = serde_json::json!({
            "name": payload.chars().take(80).collect::<String>(),
            "email": "x@example.org",
            "body": payload,
        });
        let response = app.post_json(&format!("/api/v1/articles/{slug}/comments"), &body).await;
        assert!(matches!(response.status().as_u16(), 201 | 422), "{payload}: {}", response.status());
        stored += usize::from(response.status() == 201);
        if payload.len() < 150 && !payload.contains(char::is_whitespace) {
            let website = serde_json::json!({"name": "w", "email": "x@example.org", "body": "w", "website": payload});
            let response = app.post_json(&format!("/api/v1/articles/{slug}/comments"), &website).await;
            stored += usize::from(response.status() == 201);
        }
    }
    assert!(stored > 300, "most payloads are valid comments; stored {stored}");

    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    only_theme_markup(&html);
}

#[tokio::test]
async fn no_payload_echoed_in_a_refused_form_survives_as_markup() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let payloads: Vec<&str> =
        include_str!("fixtures/xss-payloads/ALL_XSS_dedup.txt").lines().filter(|l| !l.trim().is_empty()).collect();
    for payload in payloads.iter().step_by(40) {
        // The address is wrong, so everything typed comes back in the form, with its error summary.
        let fields = [("body", *payload), ("name", *payload), ("email", "not an address"), ("website", *payload)];
        let response = app.post_form(&format!("/articles/{slug}/comments"), &fields).await;
        assert_eq!(response.status(), 422, "{payload}");
        let html = response.text().await.unwrap();
        assert!(html.contains("class=\"error-summary\""), "{payload}");
        only_theme_markup(&html);
    }
}

/// The discussion of an article page holds only the theme's own tags and attributes.
fn only_theme_markup(html: &str) {
    let start = html.find("<section id=\"comments\"").unwrap();
    let discussion = &html[start..html.rfind("</section>").unwrap()];
    only_allowed_markup(discussion, ALLOWED_TAGS, &[]);
}

/// The tags of the admin's webhook screen, besides the discussion's.
const ADMIN_TAGS: &[&str] = &["h1", "table", "thead", "tbody", "tr", "th", "td", "fieldset", "legend", "strong"];

#[tokio::test]
async fn no_payload_in_a_webhook_address_survives_as_markup() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let payloads: Vec<&str> =
        include_str!("fixtures/xss-payloads/ALL_XSS_dedup.txt").lines().filter(|l| !l.trim().is_empty()).collect();
    let admin_tags: Vec<&str> = ALLOWED_TAGS.iter().chain(ADMIN_TAGS).copied().collect();
    // Only loopback addresses are ever sent to: a payload that is itself a web
    // address gets an event this test never raises.
    let add = |url: String, event: &str| {
        let fields = [("url", url), ("events", event.to_owned())];
        app.client.post(app.url("/admin/webhooks")).bearer_auth(&app.admin_token).form(&fields).send()
    };
    let mut stored = 0;
    for payload in payloads.iter().step_by(40) {
        // As typed: refused (and shown again), or kept if it happens to be a web address.
        let tries = [
            (payload.to_string(), "comment.rejected"),
            (format!("http://127.0.0.1:9/{payload}?q={payload}"), "comment.created"),
        ];
        for (url, event) in tries {
            let response = add(url, event).await.unwrap();
            let status = response.status().as_u16();
            assert!(matches!(status, 200 | 422), "{payload}: {status}");
            stored += usize::from(status == 200);
            only_admin_markup(&response.text().await.unwrap(), &admin_tags);
        }
    }
    assert!(stored > 40, "most payloads fit in an address; stored {stored}");
    // The delivery log shows each endpoint's address too.
    app.comment(&slug, None, "Delivered everywhere").await;
    let page = app.client.get(app.url("/admin/webhooks")).bearer_auth(&app.admin_token).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.matches("class=\"delivery-endpoint\"").count() >= (stored / 2).min(50));
    only_admin_markup(&html, &admin_tags);
}

#[tokio::test]
async fn no_payload_in_an_api_key_name_survives_as_markup() {
    let app = TestApp::spawn().await;
    let payloads: Vec<&str> =
        include_str!("fixtures/xss-payloads/ALL_XSS_dedup.txt").lines().filter(|l| !l.trim().is_empty()).collect();
    let admin_tags: Vec<&str> = ALLOWED_TAGS.iter().chain(ADMIN_TAGS).copied().collect();
    let mut stored = 0;
    for payload in payloads.iter().step_by(40) {
        let form = [("name", *payload)];
        let response =
            app.client.post(app.url("/admin/api-keys")).bearer_auth(&app.admin_token).form(&form).send().await.unwrap();
        let status = response.status().as_u16();
        // Kept and shown with its key, or refused as too long and shown again.
        assert!(matches!(status, 200 | 422), "{payload}: {status}");
        stored += usize::from(status == 200);
        only_section_markup(&response.text().await.unwrap(), "admin-api-keys", &admin_tags);
    }
    assert!(stored > 20, "most payloads fit in a name; stored {stored}");
    let page = app.client.get(app.url("/admin/api-keys")).bearer_auth(&app.admin_token).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert_eq!(html.matches("class=\"api-key-name\"").count(), stored);
    only_section_markup(&html, "admin-api-keys", &admin_tags);
}

fn only_section_markup(html: &str, class: &str, allowed: &[&str]) {
    let start = html.find(&format!("<section class=\"{class}\"")).unwrap();
    only_allowed_markup(&html[start..html.rfind("</section>").unwrap()], allowed, &[]);
}

fn only_admin_markup(html: &str, allowed: &[&str]) {
    let start = html.find("<section class=\"admin-webhooks\"").unwrap();
    only_allowed_markup(&html[start..html.rfind("</section>").unwrap()], allowed, &[]);
}

fn only_allowed_markup(fragment: &str, allowed_tags: &[&str], extra_attributes: &[&str]) {
    let discussion = fragment;
    for (tag, attributes) in tags(discussion) {
        assert!(allowed_tags.contains(&tag.as_str()), "unexpected tag <{tag}>");
        for (attribute, value) in attributes {
            let lower = value.trim_start().to_ascii_lowercase();
            let is_url = matches!(attribute.as_str(), "href" | "src" | "action" | "formaction");
            let scripted = ["javascript:", "data:", "vbscript:"].iter().any(|s| lower.starts_with(s));
            assert!(!(is_url && scripted), "dangerous {attribute}={value:?} on <{tag}>");
            let known = ALLOWED_ATTRIBUTES.contains(&attribute.as_str())
                || extra_attributes.contains(&attribute.as_str())
                || attribute.starts_with("data-")
                || attribute.starts_with("aria-");
            assert!(known, "unexpected attribute {attribute} on <{tag}>");
        }
    }
    assert!(!discussion.to_ascii_lowercase().contains("<script"), "no script tags");
}

/// Tags and attributes the moderation pages themselves write, besides the
/// discussion's: anything else in them came from what someone typed.
const DESK_TAGS: &[&str] = &[
    "main",
    "h1",
    "h2",
    "nav",
    "ul",
    "select",
    "option",
    "mark",
    "details",
    "summary",
    "kbd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "aside",
    "fieldset",
    "legend",
    "blockquote",
];
const DESK_ATTRIBUTES: &[&str] =
    &["tabindex", "form", "placeholder", "maxlength", "selected", "checked", "inputmode", "scope", "rel"];

/// The page's main content holds only the theme's own tags and attributes.
fn only_desk_markup(html: &str) {
    let start = html.find("<main").expect("a main element");
    let main = &html[start..html.rfind("</main>").expect("its end")];
    only_allowed_markup(main, &[ALLOWED_TAGS, DESK_TAGS].concat(), DESK_ATTRIBUTES);
}

#[tokio::test]
async fn no_payload_in_what_moderators_or_reporters_write_survives_as_markup() {
    use tribune_domain::account::Role;
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let payloads: Vec<&str> =
        include_str!("fixtures/xss-payloads/ALL_XSS_dedup.txt").lines().filter(|l| !l.trim().is_empty()).collect();
    let sample: Vec<&str> = payloads.iter().step_by(70).copied().collect();
    let guidelines: String =
        sample.iter().take(8).map(|p| p.chars().take(300).collect::<String>()).collect::<Vec<_>>().join("\n\n");
    let settings = serde_json::json!({ "guests_may_report": true, "report_threshold": 1, "guidelines": guidelines,
        "suspect_words": ["held"] });
    let saved = app
        .client
        .put(app.url("/api/v1/moderation/settings"))
        .bearer_auth(&app.admin_token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let (_, desk) = app.signed_in_as(Role::Moderator, "Mona Moderator").await;
    for (n, payload) in sample.iter().enumerate() {
        let short: String = payload.chars().take(300).collect();
        let email = format!("author{n}@example.org");
        let body = serde_json::json!({ "name": short.chars().take(80).collect::<String>(), "email": email, "body": format!("held {payload}") });
        let posted = app.post_json(&format!("/api/v1/articles/{slug}/comments"), &body).await;
        if posted.status() != 201 {
            continue;
        }
        let id = posted.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
        let approve = serde_json::json!({ "action": "approve" });
        desk.post(app.url(&format!("/api/v1/moderation/comments/{id}/actions"))).json(&approve).send().await.unwrap();
        let report = serde_json::json!({ "reason": "other", "note": short });
        app.client
            .post(app.url(&format!("/api/v1/articles/{slug}/comments/{id}/reports")))
            .json(&report)
            .send()
            .await
            .unwrap();
        let reject = serde_json::json!({ "action": "reject", "reason": "other", "note": short.chars().take(900).collect::<String>() });
        if n % 2 == 0 {
            desk.post(app.url(&format!("/api/v1/moderation/comments/{id}/actions")))
                .json(&reject)
                .send()
                .await
                .unwrap();
        } else {
            let edit = serde_json::json!({ "action": "edit", "body": format!("edited {payload}"), "reason": short });
            desk.post(app.url(&format!("/api/v1/moderation/comments/{id}/actions"))).json(&edit).send().await.unwrap();
        }
        let key = format!("email:{email}");
        for action in [
            serde_json::json!({ "action": "note", "body": short }),
            serde_json::json!({ "action": "warn", "message": short }),
            serde_json::json!({ "action": "ban", "message": short }),
        ] {
            let response = desk
                .post(app.url(&format!("/api/v1/moderation/authors/{key}/actions")))
                .json(&action)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{payload}");
        }
        let author =
            desk.get(app.url(&format!("/moderation/authors/{key}"))).send().await.unwrap().text().await.unwrap();
        only_desk_markup(&author);
    }
    for queue in ["pending", "reported", "rejected", "approved", "unmoderated"] {
        let page = desk.get(app.url(&format!("/moderation?queue={queue}"))).send().await.unwrap();
        assert_eq!(page.status(), 200);
        only_desk_markup(&page.text().await.unwrap());
    }
    let (_, admin) = app.signed_in_as(Role::Admin, "Ada Admin").await;
    for path in ["/admin/audit", "/admin/moderation"] {
        only_desk_markup(&admin.get(app.url(path)).send().await.unwrap().text().await.unwrap());
    }
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    only_theme_markup(&html);
}

/// What the theme writes in `<head>`: metadata, feed links, its script and
/// one block of JSON-LD.
const HEAD_TAGS: &[&str] = &["meta", "title", "link", "script"];
const HEAD_ATTRIBUTES: &[&str] = &["charset", "content", "property", "src", "defer"];

/// The head holds only the theme's tags, two scripts (the theme's and the
/// JSON-LD data block), and JSON-LD that parses and names `headline`.
fn only_theme_head(html: &str, headline: &str) {
    let head = &html[html.find("<head>").unwrap()..html.find("</head>").unwrap()];
    only_allowed_markup_in_head(head);
    assert_eq!(head.matches("<script").count(), 2, "only the theme's scripts: {head}");
    let open = r#"<script type="application/ld+json">"#;
    let start = head.find(open).expect("JSON-LD") + open.len();
    let end = start + head[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&head[start..end]).expect("the JSON-LD stays whole");
    assert_eq!(data["headline"], headline.trim());
}

fn only_allowed_markup_in_head(head: &str) {
    for (tag, attributes) in tags(head) {
        assert!(HEAD_TAGS.contains(&tag.as_str()) || tag == "head", "unexpected tag <{tag}> in the head");
        for (attribute, _) in attributes {
            let known =
                ALLOWED_ATTRIBUTES.contains(&attribute.as_str()) || HEAD_ATTRIBUTES.contains(&attribute.as_str());
            assert!(known, "unexpected attribute {attribute} on <{tag}> in the head");
        }
    }
}

#[tokio::test]
async fn no_payload_in_an_article_or_its_comments_breaks_out_of_the_head_or_its_json_ld() {
    let app = TestApp::spawn().await;
    let payloads: Vec<&str> =
        include_str!("fixtures/xss-payloads/ALL_XSS_dedup.txt").lines().filter(|l| !l.trim().is_empty()).collect();
    let mut checked = 0;
    for (n, payload) in payloads.iter().step_by(25).enumerate() {
        let short = |max: usize| payload.chars().take(max).collect::<String>();
        let response = app
            .client
            .post(app.url("/api/v1/articles"))
            .bearer_auth(&app.admin_token)
            .json(&serde_json::json!({
                "headline": short(200), "standfirst": short(600), "byline": short(120),
                "section": short(60), "slug": format!("payload-{n}"), "body": payload, "tags": [short(40)],
            }))
            .send()
            .await
            .unwrap();
        if response.status() != 201 {
            continue; // Not a valid article (a control character, say): nothing to render.
        }
        let comment = serde_json::json!({ "name": short(80), "email": "x@example.org", "body": payload });
        app.post_json(&format!("/api/v1/articles/payload-{n}/comments"), &comment).await;
        let (status, html) = app.get_text(&format!("/articles/payload-{n}")).await;
        assert_eq!(status, 200);
        only_theme_head(&html, &short(200));
        let tags = &html[html.find("<ul class=\"tags\"").expect("the tags")..];
        only_allowed_markup(&tags[..tags.find("</ul>").unwrap()], &["ul", "li", "a"], &[]);
        checked += 1;
    }
    assert!(checked > 50, "most payloads make valid articles; checked {checked}");
}

#[tokio::test]
async fn no_payload_in_a_search_or_a_found_article_survives_as_markup() {
    let app = TestApp::spawn().await;
    let payloads: Vec<&str> =
        include_str!("fixtures/xss-payloads/ALL_XSS_dedup.txt").lines().filter(|l| !l.trim().is_empty()).collect();
    for (n, payload) in payloads.iter().step_by(60).enumerate() {
        // Every article says "needle", so each search for "needle <payload>" may find its payload's.
        let body = format!("needle {payload}");
        app.article()
            .with("headline", format!("Story {n}"))
            .with("slug", format!("story-{n}"))
            .with("body", body)
            .create()
            .await;
        let query: String = url_encode(&format!("needle {payload}"));
        let (status, html) = app.get_text(&format!("/search?q={query}")).await;
        assert_eq!(status, 200, "{payload}");
        let start = html.find("<section class=\"search-page\"").unwrap();
        let main = &html[start..html.rfind("</section>").unwrap()];
        only_allowed_markup(main, &[ALLOWED_TAGS, &["h1", "mark"]].concat(), &["maxlength", "start"]);
    }
    // Every payload article's snippet, a page at a time.
    for page in 1..=3 {
        let (_, html) = app.get_text(&format!("/search?q=needle&page={page}")).await;
        assert!(html.contains("<mark>needle</mark>"), "snippets are shown");
        let start = html.find("<section class=\"search-page\"").unwrap();
        let main = &html[start..html.rfind("</section>").unwrap()];
        only_allowed_markup(main, &[ALLOWED_TAGS, &["h1", "mark"]].concat(), &["maxlength", "start"]);
    }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}
