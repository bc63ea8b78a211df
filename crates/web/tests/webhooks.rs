//! Moderation's outgoing side, end to end with real receivers on loopback:
//! signed webhook deliveries from the outbox (retries, restarts, rotated
//! secrets, "send again", the admin screens), the external moderation
//! webhook asked about each comment, and the e-mails moderation sends
//! (authors told of a review, the moderators' digest). One file, one binary:
//! these share the receivers, the signature check and the settings helpers.

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::BTreeSet;
use std::time::Duration;
use tribune_app::decisions::Action;
use tribune_domain::account::Role;
use tribune_domain::moderation::{Queue, RejectReason};
use tribune_domain::{CommentId, CommentStatus, Timestamp};
use tribune_moderation::settings::{ModerationSettings, Premoderation};
use tribune_store::{Actor, NewUser, QueueFilter, QueueQuery};
use tribune_testkit::{Answer, Received, SharedDatabase, SmtpSink, TestApp, WebhookReceiver};
use tribune_web::config::ModerationWebhook;
use tribune_web::SiteConfig;

/// Settings that work the outbox quickly: tests wait for deliveries, never
/// for the production pacing.
fn quick(poll: Duration) -> SiteConfig {
    let mut config = TestApp::config();
    config.moderation.delivery.poll = poll;
    config.moderation.delivery.lease = Duration::from_secs(2);
    config.moderation.delivery.retry_base = Duration::from_millis(100);
    config.moderation.delivery.timeout = Duration::from_millis(800);
    // The digest is driven by hand here, except where a test says otherwise.
    config.moderation.digest_check_secs = 3600;
    config
}

fn moderator() -> Actor {
    Actor { id: None, name: "Test moderator".to_owned() }
}

async fn set_moderation(app: &TestApp, settings: ModerationSettings) {
    app.moderation.save_settings(settings, &moderator()).await.expect("save the moderation settings");
}

fn premoderate_all() -> ModerationSettings {
    ModerationSettings { premoderation: Premoderation::All, ..ModerationSettings::default() }
}

/// Adds an endpoint through the admin screen; returns its id, key id and secret.
async fn add_endpoint(app: &TestApp, token: &str, url: &str, events: &[&str]) -> (i64, String, String) {
    let mut fields = vec![("url", url)];
    fields.extend(events.iter().map(|event| ("events", *event)));
    let response =
        app.client.post(app.url("/admin/webhooks")).bearer_auth(token).form(&fields).send().await.expect("POST");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store", "a page with a secret is never kept");
    let html = response.text().await.unwrap();
    let key_id = between(&html, "class=\"revealed-key-id\">", "<");
    let secret = between(&html, "class=\"revealed-secret\">", "<");
    let endpoints = app.store.endpoints().await.unwrap();
    let id = endpoints.iter().find(|e| e.secret_id == key_id).expect("the new endpoint").id;
    (id, key_id, secret)
}

/// How the templates write `text` (they escape slashes too).
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('/', "&#x2f;")
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?} in {text}")) + start.len();
    text[from..].split(end).next().unwrap().to_owned()
}

/// Checks a request's signature with our own HMAC over `"{t}.{body}"`.
fn signed_with(request: &Received, key_id: &str, secret: &str) -> bool {
    let header = request.header("x-tribune-signature");
    let (Some(t), Some(v1)) =
        (header.strip_prefix("t=").and_then(|r| r.split(',').next()), header.split(",v1=").nth(1))
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", request.body).as_bytes());
    let fresh = t.parse::<i64>().is_ok_and(|t| (Timestamp::now().0 / 1000 - t).abs() < 300);
    request.header("x-tribune-key-id") == key_id && fresh && hex::encode(mac.finalize().into_bytes()) == v1
}

async fn post_comment(app: &TestApp, slug: &str, email: &str, body: &str, notify: bool) -> (u16, Value) {
    let comment = json!({ "name": "Ada", "email": email, "body": body, "notify": notify });
    let response = app.post_json(&format!("/api/v1/articles/{slug}/comments"), &comment).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The endpoint's delivery log once it holds `count` deliveries that all have a recorded
/// delivery (or the last reading after five seconds, for the assertion to show).
async fn recorded_log(app: &TestApp, endpoint: i64, count: usize) -> Vec<tribune_store::Delivery> {
    let mut log = Vec::new();
    for _ in 0..100 {
        log = app.store.deliveries(Some(endpoint), None, 10).await.unwrap();
        if log.len() == count && log.iter().all(|d| d.delivered_at.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log.len(), count, "{log:?}");
    log
}

fn events_of(received: &[Received]) -> BTreeSet<String> {
    received.iter().map(|r| r.header("x-tribune-event").to_owned()).collect()
}

#[tokio::test]
async fn a_held_comments_deliveries_arrive_signed_at_once_and_its_approval_follows() {
    // The outbox is polled once a minute: only waking the worker makes this quick.
    let app = TestApp::spawn_with(quick(Duration::from_secs(60))).await;
    set_moderation(&app, ModerationSettings { guests_may_report: true, ..premoderate_all() }).await;
    let receiver = WebhookReceiver::start().await;
    let events = ["comment.created", "comment.held", "comment.published", "comment.reported"];
    let (endpoint, key_id, secret) = add_endpoint(&app, &app.admin_token, &receiver.url, &events).await;

    let listed = app.client.get(app.url("/admin/webhooks")).bearer_auth(&app.admin_token).send().await.unwrap();
    let listed = listed.text().await.unwrap();
    assert!(listed.contains(&escaped(&receiver.url)) && listed.contains(&key_id), "the list names the endpoint");
    assert!(!listed.contains(&secret), "the secret is never shown again");

    let slug = app.article().create().await;
    let (status, created) = post_comment(&app, &slug, "ada@example.org", "Held for review, please.", false).await;
    assert_eq!(status, 201);
    let id = created["id"].as_i64().unwrap();
    let received = receiver.wait_for(2).await;
    assert_eq!(events_of(&received), BTreeSet::from(["comment.created".into(), "comment.held".into()]));
    for request in &received {
        assert!(signed_with(request, &key_id, &secret), "a valid signature: {request:?}");
        assert!(!signed_with(request, &key_id, "another secret"), "and only with the endpoint's secret");
        let body = request.json();
        assert_eq!(body["event"], request.header("x-tribune-event"));
        assert_eq!(body["delivery_id"].to_string(), request.header("x-tribune-delivery"));
        assert_eq!((body["comment"]["id"].as_i64(), body["comment"]["status"].as_str()), (Some(id), Some("pending")));
        assert_eq!(body["comment"]["body_markdown"], "Held for review, please.");
        assert_eq!(body["article"]["slug"], slug.as_str());
    }

    app.moderation.act(CommentId(id), &Action::Approve, None, &moderator(), 10_000).await.expect("approve");
    let received = receiver.wait_for(3).await;
    let published = received.iter().find(|r| r.header("x-tribune-event") == "comment.published").expect("published");
    assert!(signed_with(published, &key_id, &secret));
    assert_eq!(published.json()["comment"]["status"], "published");

    // A reader's report is no change readers see, yet its delivery goes out at once too.
    let report_path = format!("/articles/{slug}/comments/{id}/report");
    let report = app.post_form(&report_path, &[("reason", "spam"), ("note", "")]).await;
    assert_eq!(report.status(), 200, "the thank-you page");
    let received = receiver.wait_for(4).await;
    let reported = received.iter().find(|r| r.header("x-tribune-event") == "comment.reported").expect("reported");
    assert_eq!(reported.json()["comment"]["open_reports"], 1);
    // The receiver has the request before the sender records its answer.
    let log = recorded_log(&app, endpoint, 4).await;
    assert!(log.iter().all(|d| d.delivered_at.is_some() && d.attempts == 1 && d.last_status == Some(200)), "{log:?}");
}

#[tokio::test]
async fn a_receiver_that_fails_hangs_or_answers_garbage_gets_the_delivery_again() {
    let app = TestApp::spawn_with(quick(Duration::from_millis(100))).await;
    let receiver = WebhookReceiver::start().await;
    receiver.then(Answer::Status(500));
    receiver.then(Answer::Hang);
    receiver.then(Answer::Status(404));
    let (endpoint, key_id, secret) = add_endpoint(&app, &app.admin_token, &receiver.url, &["comment.created"]).await;
    let slug = app.article().create().await;
    post_comment(&app, &slug, "ada@example.org", "Try, try again.", false).await;

    let received = receiver.wait_for(4).await;
    let ids: BTreeSet<&str> = received.iter().map(|r| r.header("x-tribune-delivery")).collect();
    assert_eq!(ids.len(), 1, "one delivery, sent four times");
    assert!(received.iter().all(|r| signed_with(r, &key_id, &secret)));
    let delivery = recorded_log(&app, endpoint, 1).await.pop().unwrap();
    assert_eq!((delivery.attempts, delivery.last_status), (4, Some(200)), "{delivery:?}");

    let log = app.client.get(app.url("/admin/webhooks")).bearer_auth(&app.admin_token).send().await.unwrap();
    let log = log.text().await.unwrap();
    let row = between(&log, &format!("id=\"delivery-{}\"", delivery.id), "</tr>");
    assert!(row.contains("Delivered") && row.contains(">4<") && row.contains("comment.created"), "{row}");
}

#[tokio::test]
async fn deliveries_left_by_a_stopped_instance_or_held_by_a_dead_one_are_sent_by_the_next() {
    let database = SharedDatabase::create().await;
    let first = database.spawn(quick(Duration::from_millis(100))).await;
    let token = first.admin_token.clone();
    let receiver = WebhookReceiver::start().await;
    add_endpoint(&first, &token, &receiver.url, &["comment.created", "comment.published"]).await;
    // This instance never gets to send anything.
    first.faults.fail("claim_deliveries");
    let slug = first.article().create().await;
    post_comment(&first, &slug, "ada@example.org", "Sent before the crash.", false).await;
    // An instance that claimed these and died before sending them.
    let now = Timestamp::now();
    let leased = first.store.claim_deliveries(now, Timestamp(now.0 + 1_500), 10).await.unwrap();
    assert_eq!(leased.len(), 2);
    post_comment(&first, &slug, "bo@example.org", "Queued, then the site stopped.", false).await;
    first.stop().await.unwrap();
    assert!(receiver.received().is_empty());

    let second = database.spawn(quick(Duration::from_millis(100))).await;
    receiver.wait_for(4).await;
    // Give a double delivery the time to show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 4, "each delivery once");
    let bodies: BTreeSet<String> =
        receiver.received().iter().map(|r| r.json()["comment"]["body_markdown"].as_str().unwrap().to_owned()).collect();
    assert_eq!(bodies.len(), 2);
    second.stop().await.unwrap();
}

#[tokio::test]
async fn an_instance_sends_its_whole_batch_within_the_lease_so_no_other_sends_it_again() {
    let database = SharedDatabase::create().await;
    let mut config = quick(Duration::from_millis(100));
    // No retry within the test: every request seen is a first attempt.
    config.moderation.delivery.retry_base = Duration::from_secs(30);
    let delivery = config.moderation.delivery;
    let first = database.spawn(config.clone()).await;
    let _second = database.spawn(config).await;
    let receiver = WebhookReceiver::start().await;
    receiver.answer(Answer::Hang);
    // Four deliveries queued at once, claimed as one batch by one instance.
    for _ in 0..4 {
        add_endpoint(&first, &first.admin_token, &receiver.url, &["comment.created"]).await;
    }
    let slug = first.article().create().await;
    post_comment(&first, &slug, "ada@example.org", "Nobody answers.", false).await;

    receiver.wait_for(4).await;
    // Past the batch's lease: sent one after the other, four hanging receivers
    // would outlast it and the other instance would send the rest again.
    tokio::time::sleep(delivery.lease + delivery.timeout).await;
    let received = receiver.received();
    let ids: BTreeSet<&str> = received.iter().map(|r| r.header("x-tribune-delivery")).collect();
    assert_eq!((ids.len(), received.len()), (4, 4), "each delivery sent once");
}

#[tokio::test]
async fn rotating_a_secret_pausing_and_sending_again_from_the_admin_screen() {
    let app = TestApp::spawn_with(quick(Duration::from_millis(100))).await;
    let receiver = WebhookReceiver::start().await;
    let (endpoint, old_key, old_secret) =
        add_endpoint(&app, &app.admin_token, &receiver.url, &["comment.created"]).await;
    let slug = app.article().create().await;
    post_comment(&app, &slug, "ada@example.org", "The first one.", false).await;
    let first = receiver.wait_for(1).await.remove(0);
    assert!(signed_with(&first, &old_key, &old_secret));

    let admin = |path: &str| app.client.post(app.url(path)).bearer_auth(&app.admin_token);
    let rotated = admin(&format!("/admin/webhooks/{endpoint}/secret")).send().await.unwrap();
    assert_eq!(rotated.status(), 200);
    let html = rotated.text().await.unwrap();
    let (new_key, new_secret) =
        (between(&html, "class=\"revealed-key-id\">", "<"), between(&html, "class=\"revealed-secret\">", "<"));
    assert_ne!((&new_key, &new_secret), (&old_key, &old_secret));

    // "Send again" queues the same event anew, signed with the new secret.
    let again = admin(&format!("/admin/webhooks/deliveries/{}/again", first.header("x-tribune-delivery")))
        .form(&[("endpoint", endpoint.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 303);
    assert!(again.headers()["location"].to_str().unwrap().starts_with(&format!("/admin/webhooks?endpoint={endpoint}")));
    let resent = receiver.wait_for(2).await.remove(1);
    assert_ne!(resent.header("x-tribune-delivery"), first.header("x-tribune-delivery"));
    assert_eq!(resent.json()["comment"], first.json()["comment"]);
    assert!(signed_with(&resent, &new_key, &new_secret), "the new key id and secret");
    assert!(!signed_with(&resent, &old_key, &old_secret) && !signed_with(&resent, &new_key, &old_secret));

    // Paused, it is sent nothing (events meanwhile are not kept for it); resumed, it hears again.
    let paused = admin(&format!("/admin/webhooks/{endpoint}/active")).form(&[("active", "false")]).send().await;
    assert_eq!(paused.unwrap().status(), 303);
    let list = app.client.get(app.url("/admin/webhooks")).bearer_auth(&app.admin_token).send().await.unwrap();
    let row = between(&list.text().await.unwrap(), &format!("id=\"endpoint-{endpoint}\""), "</tr>");
    assert!(row.contains("Paused") && row.contains(">Resume<"), "{row}");
    post_comment(&app, &slug, "bo@example.org", "While paused.", false).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 2, "nothing goes to a paused endpoint");
    admin(&format!("/admin/webhooks/{endpoint}/active")).form(&[("active", "true")]).send().await.unwrap();
    post_comment(&app, &slug, "cy@example.org", "After the pause.", false).await;
    assert_eq!(receiver.wait_for(3).await[2].json()["comment"]["body_markdown"], "After the pause.");

    // Mistakes: a message by the field, nothing stored; unknown ids and values are refused.
    let refused = admin("/admin/webhooks").form(&[("url", "ftp://example.org/hook")]).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains(&escaped("must start with http:// or https://")) && html.contains("Choose at least one event")
    );
    assert!(html.contains(&format!("value=\"{}\"", escaped("ftp://example.org/hook"))), "what was typed is kept");
    assert_eq!(app.store.endpoints().await.unwrap().len(), 1);
    let status = |response: reqwest::Response| response.status().as_u16();
    assert_eq!(status(admin("/admin/webhooks/999/secret").send().await.unwrap()), 404);
    assert_eq!(status(admin("/admin/webhooks/deliveries/999/again").form(&[("x", "")]).send().await.unwrap()), 404);
    let maybe = admin(&format!("/admin/webhooks/{endpoint}/active")).form(&[("active", "maybe")]).send().await;
    assert_eq!(status(maybe.unwrap()), 400);
    let audit = app.store.audit_log(&tribune_store::AuditQuery { limit: 20, ..Default::default() }).await.unwrap();
    let actions: Vec<&str> = audit.iter().filter(|a| a.target_kind == "webhook").map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        ["webhook.resume", "webhook.pause", "webhook.redeliver", "webhook.rotate_secret", "webhook.create"]
    );
}

/// A site whose comments are also put to a moderation service at `url`,
/// which has `timeout_ms` to answer.
async fn site_with_service(url: &str, timeout_ms: u64, settings: ModerationSettings) -> TestApp {
    let mut config = quick(Duration::from_secs(5));
    config.moderation.webhook =
        Some(ModerationWebhook { url: url.to_owned(), secret: "the-service-secret-123".into(), timeout_ms });
    let app = TestApp::spawn_with(config).await;
    set_moderation(&app, settings).await;
    app
}

async fn stored(app: &TestApp, id: i64) -> tribune_store::Comment {
    app.store.comment(CommentId(id)).await.unwrap()
}

fn reason_codes(comment: &tribune_store::Comment) -> Vec<&str> {
    comment.reasons.iter().map(|r| r.code.as_str()).collect()
}

#[tokio::test]
async fn the_moderation_service_publishes_holds_rejects_or_flags() {
    let service = WebhookReceiver::start().await;
    // Time enough for a busy machine: this service always answers at once.
    let app = site_with_service(&service.url, 5_000, ModerationSettings::default()).await;
    let slug = app.article().create().await;
    let answer = |action: &str| {
        Answer::Json(json!({ "action": action, "reason": format!("service says {action}") }).to_string())
    };

    service.then(answer("publish"));
    let (status, published) = post_comment(&app, &slug, "a@example.org", "A fine comment.", false).await;
    assert_eq!(status, 201);
    assert_eq!(stored(&app, published["id"].as_i64().unwrap()).await.status, CommentStatus::Published);
    let question = service.received().remove(0);
    assert!(signed_with(&question, "", "the-service-secret-123"), "the question is signed: {question:?}");
    let asked = question.json();
    assert_eq!(asked["comment"]["text"], "A fine comment.");
    assert_eq!(
        (asked["comment"]["author"].as_str(), asked["article"]["slug"].as_str()),
        (Some("email:a@example.org"), Some(slug.as_str()))
    );

    service.then(answer("hold"));
    let (_, held) = post_comment(&app, &slug, "b@example.org", "A doubtful comment.", false).await;
    let held = stored(&app, held["id"].as_i64().unwrap()).await;
    assert_eq!(held.status, CommentStatus::Pending);
    assert_eq!(held.reasons[0].detail, "service says hold");

    service.then(answer("reject"));
    let (status, refused) = post_comment(&app, &slug, "c@example.org", "A bad comment.", false).await;
    assert_eq!((status, refused["errors"][0]["code"].as_str()), (422, Some("rejected")));
    let query =
        |queue| QueueQuery { queue, filter: QueueFilter::default(), oldest_first: false, after: None, limit: 10 };
    let rejected = app.store.queue(&query(Queue::Rejected)).await.unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(reason_codes(&rejected[0].comment), ["webhook_reject"]);

    service.then(answer("flag"));
    let (status, flagged) = post_comment(&app, &slug, "d@example.org", "A comment to look at.", false).await;
    assert_eq!(status, 201);
    let flagged = stored(&app, flagged["id"].as_i64().unwrap()).await;
    assert_eq!((flagged.status, reason_codes(&flagged)), (CommentStatus::Published, vec!["webhook_flag"]));
    let reported = app.store.queue(&query(Queue::Reported)).await.unwrap();
    assert_eq!(reported.iter().map(|i| i.comment.id).collect::<Vec<_>>(), [flagged.id], "in the Reported queue");
}

#[tokio::test]
async fn a_moderation_service_that_hangs_fails_or_answers_garbage_leaves_the_other_rules_to_decide() {
    let service = WebhookReceiver::start().await;
    let app = site_with_service(&service.url, 500, ModerationSettings::default()).await;
    let slug = app.article().create().await;
    let failures =
        [Answer::Hang, Answer::Garbage, Answer::Status(500), Answer::Json(r#"{"action":"launch"}"#.to_owned())];
    for (n, failure) in failures.into_iter().enumerate() {
        service.answer(failure.clone());
        let (status, created) =
            post_comment(&app, &slug, &format!("r{n}@example.org"), &format!("Comment {n}."), false).await;
        assert_eq!(status, 201, "{failure:?}");
        let comment = stored(&app, created["id"].as_i64().unwrap()).await;
        assert_eq!(comment.status, CommentStatus::Published, "{failure:?}: as the other rules decided");
        assert_eq!(reason_codes(&comment), ["webhook_unavailable"], "{failure:?}");
    }

    // With pre-moderation on, a service that fails never publishes, nor does one that says "publish".
    set_moderation(&app, premoderate_all()).await;
    for (n, answer) in
        [Answer::Hang, Answer::Status(503), Answer::Json(r#"{"action":"publish"}"#.to_owned())].into_iter().enumerate()
    {
        service.answer(answer.clone());
        let (status, created) =
            post_comment(&app, &slug, &format!("p{n}@example.org"), &format!("Held {n}."), false).await;
        assert_eq!(status, 201);
        let comment = stored(&app, created["id"].as_i64().unwrap()).await;
        assert_eq!(comment.status, CommentStatus::Pending, "{answer:?}: never published past a hold");
        if answer != Answer::Json(r#"{"action":"publish"}"#.to_owned()) {
            assert!(reason_codes(&comment).contains(&"webhook_unavailable"), "{answer:?}");
        }
    }
}

async fn staff_member(app: &TestApp, email: &str) {
    let user = NewUser {
        email: email.to_owned(),
        display_name: "Mo".to_owned(),
        password_hash: None,
        role: Role::Moderator,
        email_verified: true,
        created_at: Timestamp::now(),
    };
    app.store.create_user(&user).await.expect("a moderator");
}

#[tokio::test]
async fn authors_who_asked_are_told_by_e_mail_when_their_held_comment_is_reviewed() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with(SiteConfig { smtp: Some(sink.config()), ..quick(Duration::from_secs(5)) }).await;
    set_moderation(&app, premoderate_all()).await;
    let slug = app.article().create().await;
    let (_, silent) = post_comment(&app, &slug, "silent@example.org", "Do not write to me.", false).await;
    let (_, approved) = post_comment(&app, &slug, "glad@example.org", "Please publish me.", true).await;
    let (_, rejected) = post_comment(&app, &slug, "sad@example.org", "Buy cheap watches.", true).await;
    let act = |id: &Value, action: Action| {
        let id = CommentId(id["id"].as_i64().unwrap());
        let moderation = app.moderation.clone();
        async move { moderation.act(id, &action, None, &moderator(), 10_000).await.expect("a decision") }
    };
    act(&silent, Action::Approve).await;
    act(&approved, Action::Approve).await;
    act(&rejected, Action::Reject { reason: RejectReason::Spam, note: "No advertising, please.".to_owned() }).await;

    let glad = sink.wait_for("glad@example.org").await;
    assert!(glad.contains("It is now published") && glad.contains("Please publish me."), "{glad}");
    let sad = sink.wait_for("sad@example.org").await;
    assert!(sad.contains("decided not to publish it. Reason: Spam."), "{sad}");
    assert!(sad.contains("No advertising, please."), "the moderator's note: {sad}");
    // Sent after the silent author's approval: had one been queued, it would be here.
    assert!(!sink.messages().iter().any(|m| m.contains("silent@example.org")));
    assert_eq!(sink.messages().len(), 2);
}

#[tokio::test]
async fn the_digest_tells_staff_of_new_items_once_and_one_instance_sends_it() {
    let sink = SmtpSink::start().await;
    let database = SharedDatabase::create().await;
    let config = SiteConfig { smtp: Some(sink.config()), ..quick(Duration::from_secs(5)) };
    let first = database.spawn(config.clone()).await;
    let second = database.spawn(config).await;
    staff_member(&first, "mo@example.org").await;
    staff_member(&first, "max@example.org").await;
    let slug = first.article().create().await;
    set_moderation(&first, ModerationSettings { digest_minutes: 10, ..premoderate_all() }).await;
    second.moderation.reload().await.unwrap();
    let now = Timestamp::now();
    let later = |minutes: i64| Timestamp(now.0 + minutes * 60_000);
    assert_eq!(first.moderation.send_digest_if_due(now).await.unwrap(), 0, "nothing waits yet");

    post_comment(&first, &slug, "ada@example.org", "Waiting for a moderator.", false).await;
    let (a, b) = tokio::join!(first.moderation.send_digest_if_due(now), second.moderation.send_digest_if_due(now));
    assert_eq!(a.unwrap() + b.unwrap(), 2, "one instance sent it, to both moderators");
    let digest = sink.wait_for("max@example.org").await;
    assert!(digest.contains("comments waiting for moderation") && digest.contains("Waiting for a moderator."));
    sink.wait_for("mo@example.org").await;

    assert_eq!(second.moderation.send_digest_if_due(later(11)).await.unwrap(), 0, "not twice for the same items");
    post_comment(&first, &slug, "bo@example.org", "Another one waits.", false).await;
    assert_eq!(first.moderation.send_digest_if_due(later(5)).await.unwrap(), 0, "not before the interval");
    let (a, b) =
        tokio::join!(first.moderation.send_digest_if_due(later(11)), second.moderation.send_digest_if_due(later(11)));
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    for _ in 0..100 {
        if sink.messages().len() >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let digests: Vec<String> = sink.messages();
    assert_eq!(digests.len(), 4, "two digests, each to two moderators");
    assert!(digests.iter().filter(|m| m.contains("Another one waits.")).count() == 2);

    set_moderation(&first, ModerationSettings { digest_minutes: 0, ..premoderate_all() }).await;
    post_comment(&first, &slug, "cy@example.org", "Nobody is told.", false).await;
    assert_eq!(first.moderation.send_digest_if_due(later(60)).await.unwrap(), 0, "no digest at 0 minutes");
}
