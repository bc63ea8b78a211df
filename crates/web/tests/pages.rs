//! The server-rendered pages, read as raw HTML: what works without JavaScript.

use std::time::Duration;
use tribune_testkit::{Logs, TestApp};
use tribune_web::SiteConfig;

const PULL_QUOTE_BODY: &str = "Intro paragraph with a [link](https://example.org).\n\n## The vote\n\n\
> We will rebuild the bridge.\n> — Amara Okafor, Transport Minister\n\nMore text.\n";

/// What the page shows, without the structured data in its head.
fn body_of(html: &str) -> &str {
    &html[html.find("</head>").expect("a head")..]
}

async fn form_post(app: &TestApp, slug: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(&format!("/articles/{slug}/comments"), fields).await
}

#[tokio::test]
async fn the_home_page_lists_published_articles_with_comment_counts() {
    let app = TestApp::spawn().await;
    let one = app.article().with("headline", "One comment here").create().await;
    app.article().with("headline", "Two comments here").create().await;
    app.comment(&one, None, "hi").await;
    app.comment("two-comments-here", None, "a").await;
    app.comment("two-comments-here", None, "b").await;
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("One comment here") && html.contains(">1 comment<"), "{html}");
    assert!(html.contains(">2 comments<"), "{html}");
    assert!(html.find("Two comments here").unwrap() < html.find("One comment here").unwrap(), "newest first");
}

#[tokio::test]
async fn an_article_page_shows_headline_standfirst_byline_date_and_pull_quotes() {
    let app = TestApp::spawn().await;
    let slug = app
        .article()
        .with("headline", "Bridge to be rebuilt")
        .with("standfirst", "Work starts in May.")
        .with("byline", "Lena Ortiz")
        .with("published_at", "2026-03-04T10:00:00Z")
        .with("body", PULL_QUOTE_BODY)
        .create()
        .await;
    let (status, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Bridge to be rebuilt</h1>"));
    assert!(html.contains("<p class=\"standfirst\">Work starts in May.</p>"));
    assert!(html.contains("Lena Ortiz"));
    assert!(html.contains("<time datetime=\"2026-03-04T10:00:00Z\">4 March 2026, 10:00 UTC</time>"), "{html}");
    assert!(html.contains("<h2>The vote</h2>"));
    assert!(html.contains("<figure class=\"pull-quote\">"));
    assert!(html.contains(
        "<figcaption><cite>Amara Okafor</cite>, <span class=\"role\">Transport Minister</span></figcaption>"
    ));
    assert!(html.contains("No comments yet"));
}

#[tokio::test]
async fn the_heading_counts_published_comments_in_words() {
    let app = TestApp::spawn().await;
    let slug = app.article().with("headline", "Count me").create().await;
    app.comment(&slug, None, "one").await;
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("1 comment on “Count me”"), "{html}");
    app.comment(&slug, None, "two").await;
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("2 comments on “Count me”"));
}

#[tokio::test]
async fn the_form_posts_and_redirects_to_the_new_comment() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let response = form_post(
        &app,
        &slug,
        &[("name", "Sam"), ("email", "sam@example.org"), ("website", ""), ("body", "From the form"), ("parent_id", "")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("/articles/{slug}#comment-")), "{location}");
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("From the form"));
    assert!(!html.contains("sam@example.org"), "the e-mail is never shown");
}

#[tokio::test]
async fn a_mistake_on_the_form_is_shown_next_to_the_field_and_the_text_is_kept() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let response = form_post(
        &app,
        &slug,
        &[("name", "Sam"), ("email", "not an address"), ("body", "My carefully written <thoughts>")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Please give a valid e-mail address"), "{html}");
    assert!(html.contains("aria-describedby=\"hint-email error-email\""));
    assert!(html.contains("My carefully written &lt;thoughts&gt;</textarea>"), "the text is kept, escaped");
    assert!(html.contains("value=\"Sam\""));
    assert_eq!(app.get_text(&format!("/articles/{slug}")).await.1.matches("class=\"comment depth").count(), 0);
}

#[tokio::test]
async fn reply_links_work_without_javascript() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let parent = app.comment(&slug, None, "Parent").await;
    let (_, html) = app.get_text(&format!("/articles/{slug}?reply_to={parent}")).await;
    assert!(html.contains("Reply to <span class=\"reply-target\">Reader</span>"), "{html}");
    assert!(html.contains(&format!("name=\"parent_id\" value=\"{parent}\"")));

    let response = form_post(
        &app,
        &slug,
        &[("name", "Sam"), ("email", "sam@example.org"), ("body", "A reply"), ("parent_id", &parent.to_string())],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("data-number=\"1.1\""));
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let fields = [("name", "Sam"), ("email", "sam@example.org"), ("body", "forged")];
    let url = app.url(&format!("/articles/{slug}/comments"));
    let forged = app.client.post(&url).header("origin", "https://evil.example").form(&fields).send().await.unwrap();
    assert_eq!(forged.status(), 403);
    let forged = app.client.post(&url).header("sec-fetch-site", "cross-site").form(&fields).send().await.unwrap();
    assert_eq!(forged.status(), 403);
    let same = app.client.post(&url).header("sec-fetch-site", "same-origin").form(&fields).send().await.unwrap();
    assert_eq!(same.status(), 303);
    let page = app.get_text(&format!("/articles/{slug}")).await.1;
    assert_eq!(body_of(&page).matches("forged").count(), 1);
}

#[tokio::test]
async fn a_form_with_invalid_utf8_is_refused() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let response = app
        .client
        .post(app.url(&format!("/articles/{slug}/comments")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=Sam&email=sam%40example.org&body=%FF%FE")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("not valid UTF-8"));
}

#[tokio::test]
async fn long_discussions_have_a_show_more_link_that_works_without_javascript() {
    let app = TestApp::spawn_with(SiteConfig { comments_per_page: 2, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    for n in 1..=3 {
        app.comment(&slug, None, &format!("comment number {n}")).await;
    }
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(!body_of(&html).contains("comment number 3"), "the head's structured data lists every comment");
    let marker = "class=\"more-comments\" href=\"";
    let start = html.find(marker).expect("a Show more link") + marker.len();
    let href = html[start..].split('"').next().unwrap().replace("&#x2f;", "/").replace("&amp;", "&");
    let (_, more) = app.get_text(&href).await;
    assert!(more.contains("comment number 3"), "{href}");
    assert!(more.contains("data-number=\"3\""));
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    let csp = response.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers().contains_key("referrer-policy"));
    assert!(response.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn unknown_pages_are_html_404s() {
    let app = TestApp::spawn().await;
    let response = app.get("/articles/missing").await;
    assert_eq!(response.status(), 404);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(response.text().await.unwrap().contains("Not found"));
    assert_eq!(app.get("/no/such/page").await.status(), 404);
    let slug = app.article().create().await;
    let response = app.get(&format!("/articles/{slug}?sort=bogus")).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("Sort must be"));
}

#[tokio::test]
async fn headlines_and_comments_with_html_are_shown_as_text() {
    let app = TestApp::spawn().await;
    let slug = app.article().with("headline", "<script>alert('h')</script>").with("slug", "xss").create().await;
    app.comment(&slug, None, "<img src=x onerror=alert(1)>").await;
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(html.contains("&lt;script&gt;alert(&#x27;h&#x27;)&lt;&#x2f;script&gt;"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

/// What lies between `start` and the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start:?} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[tokio::test]
async fn a_bare_web_address_in_a_comment_becomes_a_nofollow_link() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    app.comment(&slug, None, "Minutes: https://example.org/council/2026-03.pdf (page 4) and www.example.org").await;
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    let body = between(&html, "<div class=\"comment-body\">", "</div>");
    assert!(
        body.contains(
            "<a href=\"https://example.org/council/2026-03.pdf\" rel=\"nofollow ugc noopener\">\
             https://example.org/council/2026-03.pdf</a> (page 4)"
        ),
        "{body}"
    );
    assert_eq!(body.matches("<a ").count(), 1, "only http(s) addresses with their scheme: {body}");
}

#[tokio::test]
async fn a_refused_comment_comes_back_with_an_error_summary_linking_each_field() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let response = form_post(&app, &slug, &[("name", ""), ("email", "not an address"), ("body", "")]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    let form = between(&html, "<form id=\"respond\"", "</form>");
    let summary = between(form, "<div class=\"error-summary\"", "</div>");
    assert!(summary.contains("tabindex=\"-1\"") && summary.contains("role=\"alert\""), "{summary}");
    let links: Vec<&str> = summary.split("<a href=\"").skip(1).map(|link| link.split('<').next().unwrap()).collect();
    assert_eq!(
        links,
        [
            "#field-body\">Please write a comment.",
            "#field-name\">Please give a name.",
            "#field-email\">Please give a valid e-mail address, like name@example.org.",
        ],
        "one link per message, in the order of the form"
    );
    assert!(form.find("error-summary").unwrap() < form.find("id=\"field-body\"").unwrap(), "at the top of the form");
    assert!(form.contains("aria-describedby=\"hint-email error-email\" aria-invalid=\"true\""), "{form}");

    let (_, fresh) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(!fresh.contains("error-summary"), "no summary before anything is sent");
}

#[tokio::test]
async fn the_comment_form_states_its_length_limit() {
    let app = TestApp::spawn_with(SiteConfig { max_comment_chars: 2500, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    assert!(
        html.contains("<span class=\"hint hint-length\" id=\"limit-body\">Up to 2,500 characters.</span>"),
        "{html}"
    );
    assert!(html.contains("aria-describedby=\"hint-body limit-body\""), "the box is described by its limit");
    assert!(html.contains("data-max-chars=\"2500\""), "the counter knows the limit");
}

#[tokio::test]
async fn a_suspended_reader_learns_it_before_writing_and_gets_no_form() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    app.comment(&slug, None, "Someone else's comment").await;
    let reader = app.reader();
    app.sign_up(&reader, "Sue Spended", "sue@example.org", "a long enough secret").await;
    let before = reader.get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(before.contains("id=\"respond\"") && before.contains("data-reply-to="), "the form, before");

    let sue = app.store.user_by_email("sue@example.org").await.unwrap();
    app.store.set_suspended(sue.id, true).await.unwrap();
    let page = reader.get(app.url(&format!("/articles/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Your account is suspended: you can read the discussion, but not comment or reply."));
    assert!(!page.contains("id=\"respond\""), "no form to fill in for nothing");
    assert!(!page.contains("class=\"reply-link\""), "no Reply links either");
    assert!(page.contains("Someone else"), "the discussion is still there to read");
}

#[tokio::test]
async fn a_guest_on_a_members_only_discussion_is_offered_sign_in_to_comment() {
    let app = TestApp::spawn_with(SiteConfig { guests_may_comment: false, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    let reader = app.reader();
    app.sign_up(&reader, "Member", "member@example.org", "a long enough secret").await;
    let parent = reader
        .post(app.url(&format!("/api/v1/articles/{slug}/comments")))
        .json(&serde_json::json!({"body": "A member's comment"}))
        .send()
        .await
        .unwrap();
    let parent = parent.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();

    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    let next = format!("&#x2f;articles&#x2f;{slug}");
    assert!(html.contains(&format!("<a href=\"/signin?next={next}\">Sign in to comment</a>")), "{html}");
    assert!(html.contains(&format!("<a href=\"/signup?next={next}\">Create an account</a>")), "{html}");
    let reply = format!(
        "<a class=\"reply-link\" href=\"/signin?next={next}%3Freply_to%3D{parent}%23respond\">Sign in to reply</a>"
    );
    assert!(html.contains(&reply), "{html}");
    assert!(!html.contains("id=\"respond\""));

    // Signing in from there lands on the reply form.
    let signin = app.get_text(&format!("/signin?next=/articles/{slug}%3Freply_to%3D{parent}%23respond")).await.1;
    assert!(signin.contains(&format!("value=\"&#x2f;articles&#x2f;{slug}?reply_to={parent}#respond\"")), "{signin}");
}

#[tokio::test]
async fn a_reply_shown_beside_its_target_says_whom_it_answers() {
    let app = TestApp::spawn_with(SiteConfig { max_depth: 2, ..TestApp::config() }).await;
    let slug = app.article().create().await;
    let post = |name: &'static str, parent: Option<i64>| {
        let body = serde_json::json!({"name": name, "email": "x@example.org", "body": format!("By {name}"), "parent_id": parent});
        let path = format!("/api/v1/articles/{slug}/comments");
        let app = &app;
        async move { app.post_json(&path, &body).await.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap() }
    };
    let top = post("Tess Top", None).await;
    let deepest = post("Dara Deep", Some(top)).await;
    let beside = post("Bea Beside", Some(deepest)).await;
    let direct = post("Dan Direct", Some(top)).await;

    let (_, html) = app.get_text(&format!("/articles/{slug}")).await;
    let card = |id: i64| between(&html, &format!("id=\"comment-{id}\""), "</header>").to_owned();
    assert!(card(beside).contains("data-number=\"1.2\""), "shown beside its target: {}", card(beside));
    assert!(
        card(beside).contains(&format!(
            "<span class=\"in-reply-to\">in reply to <a href=\"#comment-{deepest}\">Dara Deep</a></span>"
        )),
        "{}",
        card(beside)
    );
    assert!(
        !card(deepest).contains("in reply to") && !card(direct).contains("in reply to"),
        "nested replies need no label"
    );
    assert!(card(direct).contains("data-number=\"1.3\""), "numbers already given stay");
}

#[tokio::test]
async fn every_page_links_an_icon_that_exists_and_starts_with_a_skip_link() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    for path in ["/".to_owned(), format!("/articles/{slug}"), "/signin".to_owned(), "/signup".to_owned()] {
        let (_, html) = app.get_text(&path).await;
        assert!(html.contains("<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">"), "{path}");
        let body = between(&html, "<body>", "</header>");
        let first_link = between(body, "<a ", ">");
        assert_eq!(first_link, "<a class=\"skip-link\" href=\"#main\"", "the first thing to focus on {path}");
        assert!(html.contains("<main id=\"main\" tabindex=\"-1\">"), "{path}");
    }
    let icon = app.get("/assets/favicon.svg").await;
    assert_eq!(icon.status(), 200);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    assert!(icon.text().await.unwrap().starts_with("<svg"));
}

#[tokio::test]
async fn control_characters_anywhere_in_a_request_never_cause_a_server_error() {
    let secret = "a shared secret of at least thirty-two characters";
    let app = TestApp::spawn_with(SiteConfig {
        sso_jwt_secret: Some(secret.into()),
        sign_ins_per_minute: 100_000,
        sign_ups_per_hour: 100_000,
        ..TestApp::config()
    })
    .await;
    let slug = app.article().create().await;
    app.sign_up(&app.reader(), "Ctl", "ctl@example.org", "a long enough secret").await;
    let nasty = ["%0A", "%0B", "%0D%0A", "%00", "%09", "%7F", "%FF", "a%0D%0ASet-Cookie:%20x=y"];
    let mut answers = Vec::new();
    for route in &app.routes {
        for bad in nasty {
            let fill = |slug: &str, token: &str, id: &str, file: &str| {
                route.path.replace("{slug}", slug).replace("{token}", token).replace("{id}", id).replace("{file}", file)
            };
            let query = ["next", "sort", "cursor", "reply_to", "token", "q", "before", "invite", "code", "state"]
                .map(|name| format!("{name}={bad}"))
                .join("&");
            let bad_path = fill(bad, bad, bad, bad);
            let good_path = fill(&slug, "some-token", "1", "tribune.css");
            for url in
                [app.url(&bad_path), app.url(&format!("{bad_path}?{query}")), app.url(&format!("{good_path}?{query}"))]
            {
                let request = app.client.request(route.method.clone(), &url);
                let form = format!(
                    "email=ctl%40example.org&password=a+long+enough+secret&next=/{bad}&name={bad}&body={bad}&token={bad}"
                );
                let request = if route.method == reqwest::Method::POST {
                    request.header("content-type", "application/x-www-form-urlencoded").body(form)
                } else {
                    request
                };
                let status = request.send().await.unwrap().status().as_u16();
                answers.push((status, route.method.to_string(), url));
            }
        }
    }
    let errors: Vec<_> = answers.iter().filter(|(status, _, _)| *status >= 500).collect();
    assert!(errors.is_empty(), "server errors: {errors:#?}");
    for path in ["/articles/%0A/comments", "/articles/%0B/comments", "/articles/%0D%0A/comments"] {
        let status = app.get(path).await.status().as_u16();
        assert!((400..500).contains(&status), "{path}: {status}");
    }
}

#[tokio::test]
async fn a_reply_target_that_cannot_be_read_is_an_error_not_no_such_comment() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let id = app.comment(&slug, None, "reply to me").await;
    let (status, page) = app.get_text(&format!("/articles/{slug}?reply_to={id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Reader"), "{page}");
    app.faults.fail("comment");
    let response = app.get(&format!("/articles/{slug}?reply_to={id}")).await;
    assert_eq!(response.status(), 503, "the database did not answer: not a page without the reply");
    assert!(response.headers().contains_key("retry-after"));
    app.faults.heal();
    assert_eq!(app.get(&format!("/articles/{slug}?reply_to=999999")).await.status(), 200, "an unknown id is no reply");
}

#[tokio::test]
async fn a_failing_health_check_is_logged_with_its_cause() {
    let logs = Logs::capture();
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.faults.fail("ping");
    assert_eq!(app.get("/healthz").await.status(), 503);
    let line = logs.wait_for(&["health check", "a test made ping fail"], Duration::from_secs(5)).await;
    assert!(line.contains("ERROR"), "{line}");
}

#[tokio::test]
async fn pages_with_a_readers_private_data_are_never_cached() {
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let anonymous = app.get(&format!("/articles/{slug}")).await;
    assert!(anonymous.headers().get("cache-control").is_none_or(|v| v != "no-store"), "public pages may be cached");
    let admin = app.reader();
    app.sign_up(&admin, "Ada Admin", "ada@example.org", "a long enough secret").await;
    let ada = app.store.user_by_email("ada@example.org").await.unwrap();
    app.store.set_role(ada.id, tribune_domain::account::Role::Admin).await.unwrap();
    for path in ["/account", "/admin/users", "/account/data.json", &format!("/articles/{slug}"), "/"] {
        let response = admin.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"), "{path}");
    }
    let signed_in = app
        .reader()
        .post(app.url("/signin"))
        .form(&[("email", "ada@example.org"), ("password", "a long enough secret")]);
    let signed_in = signed_in.send().await.unwrap();
    assert_eq!(signed_in.status(), 303);
    assert_eq!(signed_in.headers()["cache-control"], "no-store", "an answer that sets a session cookie");
}

/// Delivery: compression, validators and hashed assets.
mod delivery {
    use reqwest::header::{HeaderMap, ACCEPT_ENCODING, IF_NONE_MATCH};
    use std::io::Read;
    use tribune_testkit::TestApp;

    async fn get_with(app: &TestApp, path: &str, headers: &[(reqwest::header::HeaderName, &str)]) -> reqwest::Response {
        let mut request = app.client.get(app.url(path));
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        request.send().await.expect("GET")
    }

    fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
        headers.get(name).map(|value| value.to_str().unwrap())
    }

    /// The body as sent, decoded by its `Content-Encoding` with reference decoders.
    async fn decoded(response: reqwest::Response) -> (Option<String>, Vec<u8>) {
        let coding = header(response.headers(), "content-encoding").map(str::to_owned);
        let raw = response.bytes().await.unwrap();
        let mut plain = Vec::new();
        match coding.as_deref() {
            None => plain.extend_from_slice(&raw),
            Some("br") => {
                brotli::Decompressor::new(&raw[..], 4096).read_to_end(&mut plain).unwrap();
            }
            Some("gzip") => {
                flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut plain).unwrap();
            }
            Some(other) => panic!("unexpected Content-Encoding {other}"),
        }
        (coding, plain)
    }

    async fn discussed_article(app: &TestApp) -> String {
        let slug = app.article().with("headline", "Ferry timetable changes").create().await;
        for n in 0..20 {
            app.comment(&slug, None, &format!("Comment {n}: the early boat matters to the market traders.")).await;
        }
        slug
    }

    #[tokio::test]
    async fn pages_and_comments_come_in_the_coding_the_reader_accepts() {
        let app = TestApp::spawn().await;
        let slug = discussed_article(&app).await;
        for path in [format!("/articles/{slug}"), format!("/api/v1/articles/{slug}/comments"), "/".to_owned()] {
            let identity = get_with(&app, &path, &[]).await;
            assert_eq!(identity.status(), 200);
            assert_eq!(header(identity.headers(), "vary"), Some("accept-encoding"), "{path}");
            let (coding, plain) = decoded(identity).await;
            assert_eq!(coding, None, "{path}: no Accept-Encoding, no coding");
            for (accept, expected) in [
                ("gzip, deflate, br", Some("br")),
                ("gzip", Some("gzip")),
                ("br;q=0.5, gzip", Some("gzip")),
                ("br;q=0, gzip", Some("gzip")),
                ("br;q=0, gzip;q=0", None),
                ("identity", None),
                ("*", Some("br")),
            ] {
                // Twice: the first read may compress, the second comes from memory.
                for _ in 0..2 {
                    let response = get_with(&app, &path, &[(ACCEPT_ENCODING, accept)]).await;
                    assert_eq!(response.status(), 200);
                    assert_eq!(header(response.headers(), "vary"), Some("accept-encoding"), "{path} {accept}");
                    let compressed_len = response.content_length();
                    let (coding, body) = decoded(response).await;
                    assert_eq!(coding.as_deref(), expected, "{path} with Accept-Encoding: {accept}");
                    assert_eq!(body, plain, "{path} with Accept-Encoding: {accept} decodes to the same bytes");
                    if expected.is_some() {
                        assert!(compressed_len.is_some_and(|len| len < plain.len() as u64), "{path} {accept}");
                    }
                }
            }
        }
    }

    #[tokio::test]
    async fn a_reader_who_has_the_page_gets_304_until_a_comment_changes_it() {
        let app = TestApp::spawn().await;
        let slug = discussed_article(&app).await;
        let path = format!("/articles/{slug}");
        let first = get_with(&app, &path, &[(ACCEPT_ENCODING, "gzip, br")]).await;
        let etag = header(first.headers(), "etag").expect("an ETag").to_owned();
        assert_eq!(header(first.headers(), "cache-control"), Some("no-cache"));

        let again = get_with(&app, &path, &[(ACCEPT_ENCODING, "gzip, br"), (IF_NONE_MATCH, &etag)]).await;
        assert_eq!(again.status(), 304);
        assert_eq!(header(again.headers(), "etag"), Some(etag.as_str()));
        assert_eq!(header(again.headers(), "vary"), Some("accept-encoding"));
        assert!(again.bytes().await.unwrap().is_empty());
        let weak = format!("W/{etag}");
        let again = get_with(&app, &path, &[(ACCEPT_ENCODING, "gzip, br"), (IF_NONE_MATCH, &weak)]).await;
        assert_eq!(again.status(), 304, "If-None-Match compares weakly");

        // Each coding is its own representation, with its own tag.
        let gzip = get_with(&app, &path, &[(ACCEPT_ENCODING, "gzip"), (IF_NONE_MATCH, &etag)]).await;
        assert_eq!(gzip.status(), 200);
        assert_ne!(header(gzip.headers(), "etag"), Some(etag.as_str()));

        app.comment(&slug, None, "A new comment changes the page.").await;
        let changed = get_with(&app, &path, &[(ACCEPT_ENCODING, "gzip, br"), (IF_NONE_MATCH, &etag)]).await;
        assert_eq!(changed.status(), 200);
        let new_etag = header(changed.headers(), "etag").expect("an ETag").to_owned();
        assert_ne!(new_etag, etag);
        let (_, body) = decoded(changed).await;
        assert!(String::from_utf8(body).unwrap().contains("A new comment changes the page."));
        let unchanged = get_with(&app, &path, &[(ACCEPT_ENCODING, "gzip, br"), (IF_NONE_MATCH, &new_etag)]).await;
        assert_eq!(unchanged.status(), 304);

        let json = format!("/api/v1/articles/{slug}/comments");
        let etag = header(get_with(&app, &json, &[]).await.headers(), "etag").expect("an ETag").to_owned();
        assert_eq!(get_with(&app, &json, &[(IF_NONE_MATCH, &etag)]).await.status(), 304);
    }

    #[tokio::test]
    async fn signed_in_pages_are_compressed_too() {
        let app = TestApp::spawn().await;
        let slug = discussed_article(&app).await;
        let reader = app.reader();
        app.sign_up(&reader, "Ines Varga", "ines@example.org", "a long enough password").await;
        let response =
            reader.get(app.url(&format!("/articles/{slug}"))).header(ACCEPT_ENCODING, "gzip").send().await.unwrap();
        assert_eq!(response.status(), 200);
        let (coding, body) = decoded(response).await;
        assert_eq!(coding.as_deref(), Some("gzip"));
        assert!(String::from_utf8(body).unwrap().contains("Ines Varga"), "the reader's own page");
    }

    #[tokio::test]
    async fn assets_are_linked_by_content_hash_and_cached_for_good() {
        let app = TestApp::spawn().await;
        let (_, html) = app.get_text("/").await;
        let mut hashed = Vec::new();
        for (marker, plain) in [("<link rel=\"stylesheet\" href=\"", "tribune.css"), ("<script src=\"", "tribune.js")] {
            let start = html.find(marker).unwrap_or_else(|| panic!("{marker} in {html}")) + marker.len();
            let href = html[start..].split('"').next().unwrap().to_owned();
            let (stem, ext) = plain.split_once('.').unwrap();
            let hash = href
                .strip_prefix(&format!("/assets/{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                .unwrap_or_else(|| panic!("{href} is not a hashed name of {plain}"));
            assert!(hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{href}");
            hashed.push((href, plain));
        }
        for (href, plain) in hashed {
            let response = get_with(&app, &href, &[(ACCEPT_ENCODING, "br")]).await;
            assert_eq!(response.status(), 200, "{href}");
            assert_eq!(header(response.headers(), "cache-control"), Some("public, max-age=31536000, immutable"));
            let etag = header(response.headers(), "etag").expect("an ETag").to_owned();
            let (coding, body) = decoded(response).await;
            assert_eq!(coding.as_deref(), Some("br"), "{href}");

            // The plain name still answers, with the same bytes, but is checked on each use.
            let old = get_with(&app, &format!("/assets/{plain}"), &[]).await;
            assert_eq!(old.status(), 200);
            let cache = header(old.headers(), "cache-control").unwrap().to_owned();
            assert!(cache.contains("no-cache") && !cache.contains("immutable"), "{cache}");
            assert_eq!(old.bytes().await.unwrap(), body);
            assert_eq!(get_with(&app, &href, &[(ACCEPT_ENCODING, "br"), (IF_NONE_MATCH, &etag)]).await.status(), 304);
        }
        // A hash from before an upgrade gets today's file, not cached for good.
        let stale = get_with(&app, "/assets/tribune.0123456789.css", &[]).await;
        assert_eq!(stale.status(), 200);
        assert!(!header(stale.headers(), "cache-control").unwrap().contains("immutable"));
        assert_eq!(get_with(&app, "/assets/other.0123456789.css", &[]).await.status(), 404);
    }
}
