//! The Perspective-compatible endpoint through HTTP: the request shapes
//! Coral, Comentario and Commento++ send (from their public code), every
//! error in Google's shape, UTF-16 span offsets, the per-key rate limit,
//! revoked keys, suggested scores kept for retraining, and the admin's key
//! screen.

use serde_json::{json, Value};
use tribune_store::ExampleSource;
use tribune_testkit::TestApp;
use tribune_web::SiteConfig;

const ANALYZE: &str = "/v1alpha1/comments:analyze";

/// Creates a key on the admin screen; returns the key shown once.
async fn create_key(app: &TestApp, name: &str) -> String {
    let response = app
        .client
        .post(app.url("/admin/api-keys"))
        .bearer_auth(&app.admin_token)
        .form(&[("name", name)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store", "a page with a key is never kept");
    let html = response.text().await.unwrap();
    let start = html.find("class=\"revealed-key\">").expect("the key is shown") + "class=\"revealed-key\">".len();
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

async fn analyze_raw(app: &TestApp, key: &str, body: String) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("{ANALYZE}?key={key}&alt=json")))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}

async fn analyze(app: &TestApp, key: &str, body: &Value) -> (u16, Value) {
    analyze_raw(app, key, body.to_string()).await
}

fn summary(answer: &Value, attribute: &str) -> f64 {
    let score = &answer["attributeScores"][attribute]["summaryScore"];
    assert_eq!(score["type"], "PROBABILITY", "{answer}");
    let value = score["value"].as_f64().unwrap_or_else(|| panic!("{attribute} in {answer}"));
    assert!((0.0..=1.0).contains(&value));
    value
}

/// Google's error shape, with the reason or error type clients read.
fn assert_google_error(status: u16, answer: &Value, code: u16, google_status: &str, reason: &str) {
    assert_eq!(status, code, "{answer}");
    let error = &answer["error"];
    assert_eq!(error["code"], code);
    assert_eq!(error["status"], google_status);
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    let detail = &error["details"][0];
    assert!(detail["@type"].as_str().is_some_and(|t| t.starts_with("type.googleapis.com/")));
    let named = detail["errorType"].as_str().or(detail["reason"].as_str());
    assert_eq!(named, Some(reason), "{answer}");
}

#[tokio::test]
async fn corals_request_is_scored_and_a_toxic_comment_scores_higher() {
    let app = TestApp::spawn().await;
    let key = create_key(&app, "Coral").await;
    let coral = |text: &str| json!({"comment": {"text": text}, "doNotStore": true, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]});
    let (status, kind) = analyze(&app, &key, &coral("Thank you for this careful reporting.")).await;
    assert_eq!(status, 200, "{kind}");
    let (status, rude) = analyze(&app, &key, &coral("You are a pathetic idiot, shut up.")).await;
    assert_eq!(status, 200);
    assert!(summary(&rude, "TOXICITY") > summary(&kind, "TOXICITY"), "{rude} vs {kind}");
    assert_eq!(kind["languages"], json!(["en"]));
    assert!(app.store.examples(0, 100).await.unwrap().is_empty(), "analyze keeps nothing");
}

#[tokio::test]
async fn comentarios_six_attributes_without_languages_are_all_answered() {
    let app = TestApp::spawn().await;
    let key = create_key(&app, "Comentario").await;
    let attributes = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"];
    let requested: serde_json::Map<String, Value> = attributes.iter().map(|a| ((*a).to_owned(), json!({}))).collect();
    let (status, answer) = analyze(
        &app,
        &key,
        &json!({"comment": {"text": "I disagree with the columnist."}, "requestedAttributes": requested}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    for attribute in attributes {
        summary(&answer, attribute);
    }
    assert_eq!((answer["languages"].clone(), answer["detectedLanguages"].clone()), (json!(["en"]), json!(["en"])));
}

#[tokio::test]
async fn commento_plus_plus_unquoted_keys_and_unescaped_text_are_read() {
    let app = TestApp::spawn().await;
    let key = create_key(&app, "Commento++").await;
    let text = "He said \"no\", then left.\nA back\\slash: café 😀";
    let body =
        format!("{{comment: {{text: \"{text}\"}}, languages: [\"en\"], requestedAttributes: {{TOXICITY: {{}}}}}}");
    let (status, answer) = analyze_raw(&app, &key, body).await;
    assert_eq!(status, 200, "{answer}");
    summary(&answer, "TOXICITY");
    let whole = answer["attributeScores"]["TOXICITY"]["spanScores"][0].clone();
    assert_eq!(whole["end"], text.encode_utf16().count(), "the whole text was read: {whole}");

    let (status, answer) = analyze_raw(&app, &key, "{comment: {text: \"never closed}".to_owned()).await;
    assert_google_error(status, &answer, 400, "INVALID_ARGUMENT", "INVALID_JSON");
}

#[tokio::test]
async fn every_refusal_takes_googles_shape() {
    let app = TestApp::spawn().await;
    let key = create_key(&app, "errors").await;
    let toxicity = json!({"TOXICITY": {}});
    let cases = [
        (json!({"comment": {"text": ""}, "requestedAttributes": toxicity}), "COMMENT_EMPTY"),
        (json!({"requestedAttributes": toxicity}), "COMMENT_EMPTY"),
        (json!({"comment": {"text": "a".repeat(20 * 1024 + 1)}, "requestedAttributes": toxicity}), "COMMENT_TOO_LONG"),
        (json!({"comment": {"text": "hello"}}), "NO_REQUESTED_ATTRIBUTES"),
        (json!({"comment": {"text": "hello"}, "requestedAttributes": {}}), "NO_REQUESTED_ATTRIBUTES"),
        (json!({"comment": {"text": "hello"}, "requestedAttributes": {"FLIRTATION": {}}}), "UNKNOWN_ATTRIBUTE"),
        (
            json!({"comment": {"text": "hallo"}, "requestedAttributes": toxicity, "languages": ["de"]}),
            "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        ),
        // Comentario names no language: a German comment is detected as German.
        (
            json!({"comment": {"text": "Ich finde diesen Artikel sehr gut geschrieben, aber die Zahlen im zweiten \
                Absatz stimmen nicht."}, "requestedAttributes": toxicity}),
            "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        ),
    ];
    for (body, error_type) in cases {
        let (status, answer) = analyze(&app, &key, &body).await;
        assert_google_error(status, &answer, 400, "INVALID_ARGUMENT", error_type);
    }
    // Over the server's usual 64 KiB body limit, still answered in Google's shape.
    let huge = json!({"comment": {"text": "\"".repeat(40 * 1024)}, "requestedAttributes": toxicity});
    let (status, answer) = analyze(&app, &key, &huge).await;
    assert_google_error(status, &answer, 400, "INVALID_ARGUMENT", "COMMENT_TOO_LONG");
    let fine = json!({"comment": {"text": "a".repeat(20 * 1024)}, "requestedAttributes": toxicity});
    assert_eq!(analyze(&app, &key, &fine).await.0, 200, "exactly 20 KB is accepted");

    let body = json!({"comment": {"text": "hello"}, "requestedAttributes": toxicity});
    for wrong in ["", "trb_0000", "not-a-key"] {
        let (status, answer) = analyze(&app, wrong, &body).await;
        assert_google_error(status, &answer, 400, "INVALID_ARGUMENT", "API_KEY_INVALID");
    }
    let response = app.client.post(app.url(ANALYZE)).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 400, "no key at all");
    let by_header = app.client.post(app.url(ANALYZE)).header("x-goog-api-key", &key).json(&body).send().await.unwrap();
    assert_eq!(by_header.status(), 200, "Google's key header works too");
    let (status, answer) = analyze_raw(&app, &key, "not json at all".to_owned()).await;
    assert_google_error(status, &answer, 400, "INVALID_ARGUMENT", "INVALID_JSON");
}

#[tokio::test]
async fn spans_are_in_utf16_code_units_end_exclusive_and_options_are_honoured() {
    let app = TestApp::spawn().await;
    let key = create_key(&app, "spans").await;
    let text = "😀 Ça va, you stupid idiot";
    let body = json!({
        "comment": {"text": text, "type": "PLAIN_TEXT"},
        "requestedAttributes": {"INSULT_EXPERIMENTAL": {}, "SPAM": {"scoreThreshold": 1.0}},
        "spanAnnotations": true,
        "clientToken": "token-42",
        "languages": ["en-US"],
        "unknownField": {"ignored": true},
    });
    let (status, answer) = analyze(&app, &key, &body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["clientToken"], "token-42");
    assert_eq!(answer["languages"], json!(["en-US"]));
    assert!(answer["attributeScores"]["SPAM"].is_null(), "below its threshold: left out: {answer}");
    let units: Vec<u16> = text.encode_utf16().collect();
    let spans = answer["attributeScores"]["INSULT_EXPERIMENTAL"]["spanScores"].as_array().unwrap().clone();
    let words: Vec<String> = spans
        .iter()
        .map(|s| {
            let (begin, end) = (s["begin"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize);
            String::from_utf16(&units[begin..end]).unwrap()
        })
        .collect();
    assert!(words.iter().any(|w| w == "idiot"), "{words:?}");
    let idiot = spans.iter().find(|s| s["begin"] == 21).expect("idiot at unit 21: the emoji is 2 units, Ç is 1");
    assert_eq!(idiot["end"], 26);
    assert_eq!(idiot["score"]["type"], "PROBABILITY");
}

#[tokio::test]
async fn a_key_over_its_rate_limit_is_told_resource_exhausted() {
    let app = TestApp::spawn_with(SiteConfig { analyses_per_minute: 2, ..TestApp::config() }).await;
    let (busy, other) = (create_key(&app, "busy").await, create_key(&app, "other").await);
    let body = json!({"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}});
    for _ in 0..2 {
        assert_eq!(analyze(&app, &busy, &body).await.0, 200);
    }
    let (status, answer) = analyze(&app, &busy, &body).await;
    assert_google_error(status, &answer, 429, "RESOURCE_EXHAUSTED", "RATE_LIMIT_EXCEEDED");
    assert_eq!(analyze(&app, &other, &body).await.0, 200, "each key has its own limit");

    // Wrong keys are limited per address, like password guesses.
    for n in 0..TestApp::config().sign_ins_per_minute {
        assert_eq!(analyze(&app, &format!("guess-{n}"), &body).await.0, 400);
    }
    let (status, answer) = analyze(&app, "one-guess-too-many", &body).await;
    assert_google_error(status, &answer, 429, "RESOURCE_EXHAUSTED", "RATE_LIMIT_EXCEEDED");
}

#[tokio::test]
async fn a_revoked_key_is_refused_and_shown_as_revoked() {
    let app = TestApp::spawn().await;
    let key = create_key(&app, "to revoke").await;
    let body = json!({"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}});
    assert_eq!(analyze(&app, &key, &body).await.0, 200);
    let id = app.store.api_keys().await.unwrap()[0].id;
    let response = app
        .client
        .post(app.url(&format!("/admin/api-keys/{id}/revoke")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());
    let (status, answer) = analyze(&app, &key, &body).await;
    assert_google_error(status, &answer, 400, "INVALID_ARGUMENT", "API_KEY_INVALID");

    let page = app.client.get(app.url("/admin/api-keys")).bearer_auth(&app.admin_token).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Revoked"), "{html}");
    assert!(!html.contains(&key), "a key is never shown again");
    let missing =
        app.client.post(app.url("/admin/api-keys/999999/revoke")).bearer_auth(&app.admin_token).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let hashes_only = app.store.active_api_key(&key).await.unwrap();
    assert!(hashes_only.is_none(), "the key itself is not what is stored");
}

#[tokio::test]
async fn a_key_needs_a_name() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/admin/api-keys"))
        .bearer_auth(&app.admin_token)
        .form(&[("name", "   ")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(app.store.api_keys().await.unwrap().is_empty());
}

#[tokio::test]
async fn suggested_scores_are_kept_as_labelled_examples() {
    let app = TestApp::spawn().await;
    let key = create_key(&app, "Coral feedback").await;
    let suggest = |text: &str, do_not_store: bool| {
        json!({
            "comment": {"text": text},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1.0}}},
            "doNotStore": do_not_store,
            "clientToken": "c-1",
        })
    };
    let url = app.url(&format!("/v1alpha1/comments:suggestscore?key={key}"));
    let response = app.client.post(&url).json(&suggest("you are awful", false)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({"clientToken": "c-1"}));
    let response = app.client.post(&url).json(&suggest("keep this private", true)).send().await.unwrap();
    assert_eq!(response.status(), 200);

    let examples = app.store.examples(0, 10).await.unwrap();
    assert_eq!(examples.len(), 2);
    assert_eq!(examples[0].1.text.as_deref(), Some("you are awful"));
    assert_eq!(examples[0].1.labels, vec![("TOXICITY".to_owned(), 1.0)]);
    assert_eq!(examples[0].1.source, ExampleSource::SuggestScore);
    assert_eq!(examples[1].1.text, None, "doNotStore keeps nothing of the text");

    let response = app.client.post(app.url("/v1alpha1/comments:suggestscore?key=wrong")).json(&suggest("x", false));
    assert_eq!(response.send().await.unwrap().status(), 400);
}

/// Where the test's Python environment lives: built once, under target/.
fn python_venv() -> Result<std::path::PathBuf, String> {
    use std::process::Command;
    let venv = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("perspective-venv");
    let python = venv.join("bin").join("python");
    let ready = |python: &std::path::Path| {
        Command::new(python).args(["-c", "import googleapiclient"]).output().is_ok_and(|o| o.status.success())
    };
    if python.exists() && ready(&python) {
        return Ok(python);
    }
    let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).output().map_err(|e| e.to_string())?;
    if !made.status.success() {
        return Err(format!("python3 -m venv failed: {}", String::from_utf8_lossy(&made.stderr)));
    }
    let pip = Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "google-api-python-client"])
        .output()
        .map_err(|e| e.to_string())?;
    if !pip.status.success() || !ready(&python) {
        return Err(format!("pip install google-api-python-client failed: {}", String::from_utf8_lossy(&pip.stderr)));
    }
    Ok(python)
}

#[tokio::test]
async fn googles_python_client_calls_tribune_through_the_discovery_document() {
    let python = match tokio::task::spawn_blocking(python_venv).await.unwrap() {
        Ok(python) => python,
        Err(why) => {
            eprintln!("SKIPPED: no Python environment with google-api-python-client: {why}");
            return;
        }
    };
    let app = TestApp::spawn().await;
    let key = create_key(&app, "Python client").await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/perspective_client.py");
    let output = tokio::process::Command::new(&python).arg(script).arg(&app.address).arg(&key).output().await.unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the script failed: {stderr}");
    let got: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{stderr}"));
    let analyzed = &got["analyzed"];
    assert!(summary(analyzed, "INSULT") > 0.5, "{analyzed}");
    summary(analyzed, "TOXICITY");
    assert_eq!(analyzed["clientToken"], "from-python");
    assert_eq!(got["suggested"], json!({"clientToken": "suggested-from-python"}));
    assert_eq!(got["refused"]["status"], 400);
    assert_eq!(got["refused"]["body"]["error"]["details"][0]["errorType"], "COMMENT_EMPTY");
    assert_eq!(app.store.examples(0, 10).await.unwrap().len(), 1, "the suggestion is kept");
}

#[tokio::test]
async fn moderators_decisions_are_kept_as_examples_that_name_their_comment() {
    use tribune_app::decisions::Action;
    use tribune_domain::moderation::RejectReason;
    use tribune_domain::CommentId;
    let app = TestApp::spawn().await;
    let slug = app.article().create().await;
    let (kind, spam, off_topic) = (
        app.comment(&slug, None, "A thoughtful reply").await,
        app.comment(&slug, None, "Buy cheap watches now").await,
        app.comment(&slug, None, "What about the weather?").await,
    );
    let actor = tribune_store::Actor { id: None, name: "Mo".to_owned() };
    let reject = |reason| Action::Reject { reason, note: String::new() };
    for (id, action) in
        [(kind, Action::Approve), (spam, reject(RejectReason::Spam)), (off_topic, reject(RejectReason::OffTopic))]
    {
        app.moderation.act(CommentId(id), &action, None, &actor, 10_000).await.expect("the decision");
    }
    let examples = app.store.examples(0, 10).await.unwrap();
    assert_eq!(examples.len(), 2, "an off-topic rejection teaches the scorer nothing: {examples:?}");
    let (approved, rejected) = (&examples[0].1, &examples[1].1);
    assert_eq!((approved.comment_id, approved.text.as_deref()), (Some(CommentId(kind)), Some("A thoughtful reply")));
    assert!(approved.labels.iter().all(|(_, v)| *v == 0.0) && approved.labels.len() == 7);
    assert_eq!(rejected.labels, vec![("SPAM".to_owned(), 1.0)]);
    assert_eq!(rejected.source, ExampleSource::Moderator);
}

#[tokio::test]
async fn a_corrupt_model_file_leaves_the_built_in_model_scoring() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.model");
    std::fs::write(&file, b"not a model").unwrap();
    let mut config = TestApp::config();
    config.moderation.model_file = Some(file);
    let app = TestApp::spawn_with(config).await;
    let key = create_key(&app, "after a bad retrain").await;
    let body = json!({"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}});
    let (status, answer) = analyze(&app, &key, &body).await;
    assert_eq!(status, 200, "{answer}");
    summary(&answer, "TOXICITY");
}
