//! The `tribune` binary as a person runs it: each command's output and exit status.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;
use tribune_testkit::ServerProcess;

fn tribune(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tribune"))
        .current_dir(dir)
        .args(args)
        .env_remove("TRIBUNE_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run tribune")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

const ARTICLE: &str =
    "---\nheadline: Harbour wall repaired\nbyline: Kim Lee\nsection: Local\n---\n\nThe wall is fixed.\n";

#[test]
fn article_new_publishes_a_markdown_file_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wall.md"), ARTICLE).unwrap();
    let first = tribune(dir.path(), &["article", "new", "wall.md"]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(text(&first).contains("/articles/harbour-wall-repaired"), "{}", text(&first));
    assert!(dir.path().join("tribune-data/tribune.db").exists());

    let again = tribune(dir.path(), &["article", "new", "wall.md"]);
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"), "{}", text(&again));
}

#[tokio::test]
async fn article_new_files_the_article_under_its_front_matter_tags() {
    let dir = tempfile::tempdir().unwrap();
    let file = ARTICLE.replace("section: Local\n", "section: Local\ntags: Storms, \"Sea level\"\n");
    std::fs::write(dir.path().join("wall.md"), file).unwrap();
    let output = tribune(dir.path(), &["article", "new", "wall.md"]);
    assert!(output.status.success(), "{}", text(&output));
    let store = tribune_store_sqlite::SqliteStore::open(&dir.path().join("tribune-data/tribune.db")).await.unwrap();
    use tribune_store::ArticleStore;
    let slug = tribune_domain::Slug::parse("harbour-wall-repaired").unwrap();
    assert_eq!(store.article_by_slug(&slug).await.unwrap().tags, ["Storms", "Sea level"]);
}

#[test]
fn article_new_explains_what_is_wrong_with_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.md"), "---\nheadline: \nsection: x\n---\nbody").unwrap();
    let output = tribune(dir.path(), &["article", "new", "bad.md"]);
    assert!(!output.status.success());
    let message = text(&output);
    assert!(message.contains("headline") && message.contains("byline"), "{message}");

    let missing = tribune(dir.path(), &["article", "new", "nope.md"]);
    assert!(!missing.status.success());
    assert!(text(&missing).contains("cannot read nope.md"), "{}", text(&missing));
}

#[test]
fn a_broken_theme_stops_the_server_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("theme");
    std::fs::create_dir(&theme).unwrap();
    std::fs::write(theme.join("home.html"), "<h1>ok</h1>\n{% for x in %}\n").unwrap();
    let output = tribune(dir.path(), &["--theme-dir", "theme", "--listen", "127.0.0.1:0"]);
    assert!(!output.status.success());
    let message = text(&output);
    assert!(message.contains("home.html line 2"), "{message}");
}

#[test]
fn an_unreachable_database_is_a_clear_start_up_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = tribune(dir.path(), &["--database-url", "postgres://tribune:secret@127.0.0.1:1/tribune", "migrate"]);
    assert!(!output.status.success());
    let message = text(&output);
    assert!(message.contains("cannot connect to PostgreSQL"), "{message}");
    assert!(!message.contains("secret"), "the password is never printed: {message}");

    let output = tribune(dir.path(), &["--database-url", "mysql://x", "migrate"]);
    assert!(text(&output).contains("unsupported database URL"));
}

#[test]
fn unknown_configuration_keys_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tribune.toml"), "listen = \"127.0.0.1:0\"\nlisten_port = 80\n").unwrap();
    let output = tribune(dir.path(), &["migrate"]);
    assert!(!output.status.success());
    assert!(text(&output).contains("listen_port"), "{}", text(&output));
}

#[test]
fn serve_creates_the_demo_site_and_prints_its_url() {
    let dir = tempfile::tempdir().unwrap();
    let server =
        tribune_testkit::ServerProcess::start(std::path::Path::new(env!("CARGO_BIN_EXE_tribune")), dir.path(), &[]);
    assert!(server.admin_token.as_deref().is_some_and(|t| t.starts_with("trb_")), "the token is shown on first start");
    let invite = server.admin_invite.clone().expect("an invitation for the first admin");
    assert!(invite.starts_with(&format!("{}signup?invite=", server.url)), "{invite}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let home = runtime.block_on(async {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        client.get(&server.url).send().await.unwrap().text().await.unwrap()
    });
    assert!(home.contains("Old ferry terminal will become Saltmarsh"), "{home}");
    assert!(home.contains("9 comments"));
}

#[test]
fn migrate_reports_an_up_to_date_schema() {
    let dir = tempfile::tempdir().unwrap();
    let output = tribune(dir.path(), &["migrate"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("up to date"));
}

#[test]
fn user_create_reads_the_password_from_stdin_and_set_role_changes_it() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tribune"))
        .current_dir(dir.path())
        .args(["user", "create", "--email", "Chief@Example.org", "--name", "Chief Editor", "--role", "admin"])
        .arg("--password-stdin")
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a long enough secret\n").unwrap();
    let created = child.wait_with_output().unwrap();
    assert!(created.status.success(), "{}", text(&created));
    assert!(text(&created).contains("Created Chief Editor (chief@example.org) as admin"), "{}", text(&created));

    // A link to open as it is: the listen address by default, `public_url` when set.
    let link = tribune(dir.path(), &["user", "sign-in-link", "chief@example.org"]);
    assert!(text(&link).contains(": http://127.0.0.1:8080/signin/link/"), "{}", text(&link));
    std::fs::write(dir.path().join("tribune.toml"), "public_url = \"https://news.example.org/\"\n").unwrap();
    let link = tribune(dir.path(), &["user", "sign-in-link", "chief@example.org"]);
    assert!(text(&link).contains(": https://news.example.org/signin/link/"), "{}", text(&link));
    std::fs::remove_file(dir.path().join("tribune.toml")).unwrap();

    let demoted = tribune(dir.path(), &["user", "set-role", "chief@example.org", "editor"]);
    assert!(text(&demoted).contains("is now editor"), "{}", text(&demoted));

    let suspended = tribune(dir.path(), &["user", "suspend", "chief@example.org"]);
    assert!(text(&suspended).contains("chief@example.org is suspended."), "{}", text(&suspended));
    let reinstated = tribune(dir.path(), &["user", "reinstate", "chief@example.org"]);
    assert!(text(&reinstated).contains("is reinstated."), "{}", text(&reinstated));
    let bad_role = tribune(dir.path(), &["user", "set-role", "chief@example.org", "overlord"]);
    assert!(!bad_role.status.success());
    assert!(text(&bad_role).contains("commenter, author, moderator, editor or admin"));
    let nobody = tribune(dir.path(), &["user", "sign-out-everywhere", "nobody@example.org"]);
    assert!(!nobody.status.success());
    assert!(text(&nobody).contains("no account has the e-mail address"));
    let no_stdin = tribune(dir.path(), &["user", "create", "--email", "x@example.org", "--name", "X"]);
    assert!(!no_stdin.status.success());
    assert!(text(&no_stdin).contains("--password-stdin"));
}

fn tribune_with_input(dir: &std::path::Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tribune"))
        .current_dir(dir)
        .args(args)
        .env_remove("TRIBUNE_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// The score rows printed by `tribune moderation score`, after its header.
fn score_rows(output: &Output) -> Vec<Vec<f32>> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("TOXICITY\tSEVERE_TOXICITY\tIDENTITY_ATTACK\tINSULT\tPROFANITY\tTHREAT\tSPAM"));
    lines.map(|l| l.split('\t').map(|v| v.parse().unwrap()).collect()).collect()
}

#[test]
fn moderation_score_rates_one_comment_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = "Thanks for the thoughtful article.\nyou are a complete idiot\n\nCheck out my channel, subscribe!!! www.cash-now.biz\n";
    let output = tribune_with_input(dir.path(), &["moderation", "score"], input.as_bytes());
    assert!(output.status.success(), "{}", text(&output));
    let rows = score_rows(&output);
    assert_eq!(rows.len(), 4, "one row per line, the empty one included");
    assert!(rows[1][0] > 0.8 && rows[0][0] < 0.2, "{rows:?}");
    assert!(rows[2].iter().all(|s| *s == 0.0), "an empty comment has nothing to rate: {rows:?}");
    assert!(rows[3][6] > 0.8 && rows[0][6] < 0.2, "spam column: {rows:?}");
}

#[test]
fn moderation_score_reads_a_csv_column() {
    let dir = tempfile::tempdir().unwrap();
    let input = "id,text\n1,\"Good point, well made.\"\n2,\"shut up, moron\nnobody asked you\"\n";
    let output = tribune_with_input(dir.path(), &["moderation", "score", "--csv"], input.as_bytes());
    assert!(output.status.success(), "{}", text(&output));
    let rows = score_rows(&output);
    assert_eq!(rows.len(), 2, "a quoted newline stays inside its comment");
    assert!(rows[1][0] > 0.8 && rows[0][0] < 0.2, "{rows:?}");

    let wrong = tribune_with_input(dir.path(), &["moderation", "score", "--csv", "--column", "body"], input.as_bytes());
    assert!(!wrong.status.success());
    assert!(text(&wrong).contains("no column named \"body\""), "{}", text(&wrong));
}

#[test]
fn moderation_commands_refuse_bad_input_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let invalid = tribune_with_input(dir.path(), &["moderation", "score"], b"fine\nbad \xff\xfe byte\n");
    assert!(!invalid.status.success());
    assert!(text(&invalid).contains("line 2 of standard input is not valid UTF-8"), "{}", text(&invalid));
    assert!(invalid.stdout.is_empty(), "nothing is scored when the input is bad");

    std::fs::write(dir.path().join("broken.model"), b"TRIBSCOR\x01\x00\x00\x00 and then garbage").unwrap();
    let corrupt = tribune_with_input(dir.path(), &["moderation", "score", "--model", "broken.model"], b"hello\n");
    assert!(!corrupt.status.success());
    assert!(text(&corrupt).contains("broken.model is not a usable model"), "{}", text(&corrupt));

    let missing = tribune_with_input(dir.path(), &["moderation", "score", "--model", "nope.model"], b"hello\n");
    assert!(!missing.status.success());
    assert!(text(&missing).contains("cannot read nope.model"), "{}", text(&missing));

    for command in ["train", "eval"] {
        let mut args = vec!["moderation", command, "--data", "no-such-dir"];
        if command == "train" {
            args.extend(["--out", "x.model"]);
        }
        let output = tribune(dir.path(), &args);
        assert!(!output.status.success());
        assert!(text(&output).contains("no-such-dir does not exist"), "{}", text(&output));
    }
    assert!(!dir.path().join("x.model").exists());
}

#[test]
fn moderation_train_writes_a_model_that_score_uses() {
    let dir = tempfile::tempdir().unwrap();
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../moderation/tests/fixtures/data");
    let trained = tribune(dir.path(), &["moderation", "train", "--data", data, "--out", "small.model"]);
    assert!(trained.status.success(), "{}", text(&trained));
    assert!(text(&trained).contains("wrote small.model"), "{}", text(&trained));
    let scored = tribune_with_input(dir.path(), &["moderation", "score", "--model", "small.model"], b"hello there\n");
    assert!(scored.status.success(), "{}", text(&scored));
    assert_eq!(score_rows(&scored).len(), 1);
    let help = tribune(dir.path(), &["moderation", "train", "--help"]);
    assert!(text(&help).contains("civil-comments-toxic-spans/tsd_"), "{}", text(&help));
}

#[test]
fn moderation_api_keys_are_printed_once_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let created = tribune(dir.path(), &["moderation", "api-key", "create", "Coral <www>"]);
    assert!(created.status.success(), "{}", text(&created));
    let out = String::from_utf8_lossy(&created.stdout).into_owned();
    let key = out.lines().find(|line| line.starts_with("trb_")).expect("the key on a line of its own").to_owned();
    assert_eq!(key.len(), 4 + 64, "32 random bytes, in hex");

    let listed = tribune(dir.path(), &["moderation", "api-key", "list"]);
    let list = text(&listed);
    assert!(list.contains("Coral <www>") && list.contains("active") && list.contains("Command line"), "{list}");
    assert!(!list.contains(&key), "a key is never shown again");

    let revoked = tribune(dir.path(), &["moderation", "api-key", "revoke", "1"]);
    assert!(revoked.status.success(), "{}", text(&revoked));
    assert!(text(&tribune(dir.path(), &["moderation", "api-key", "list"])).contains("revoked"));
    let unknown = tribune(dir.path(), &["moderation", "api-key", "revoke", "99"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown).contains("no API key 99"), "{}", text(&unknown));
    let nameless = tribune(dir.path(), &["moderation", "api-key", "create", "  "]);
    assert!(!nameless.status.success() && text(&nameless).contains("name"), "{}", text(&nameless));
}

#[test]
fn moderation_retrain_replaces_the_site_model_only_when_judged_and_restore_undoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../moderation/tests/fixtures/data");
    let unset = tribune(dir.path(), &["moderation", "retrain", "--data", data]);
    assert!(!unset.status.success() && text(&unset).contains("model_file"), "{}", text(&unset));

    std::fs::write(dir.path().join("tribune.toml"), "[moderation]\nmodel_file = \"tribune-data/site.model\"\n")
        .unwrap();
    let too_few = tribune(dir.path(), &["moderation", "retrain", "--data", data]);
    assert!(!too_few.status.success() && text(&too_few).contains("not enough"), "{}", text(&too_few));
    let nothing = tribune(dir.path(), &["moderation", "restore"]);
    assert!(!nothing.status.success() && text(&nothing).contains("no previous model"), "{}", text(&nothing));

    tokio::runtime::Runtime::new().unwrap().block_on(pineapples_are_rejected(dir.path()));
    let model = dir.path().join("tribune-data/site.model");
    let first = tribune(dir.path(), &["moderation", "retrain", "--data", data]);
    assert!(first.status.success() && text(&first).contains("Wrote"), "{}", text(&first));
    let first_bytes = std::fs::read(&model).unwrap();
    let scored =
        tribune_with_input(dir.path(), &["moderation", "score", "--model", "tribune-data/site.model"], b"hi\n");
    assert!(scored.status.success(), "a usable model: {}", text(&scored));

    // Against itself it is judged not worse, so it is replaced and kept as the previous one.
    let second = tribune(dir.path(), &["moderation", "retrain", "--data", data]);
    assert!(second.status.success(), "{}", text(&second));
    assert_eq!(std::fs::read(dir.path().join("tribune-data/site.model.previous")).unwrap(), first_bytes);
    let restored = tribune(dir.path(), &["moderation", "restore"]);
    assert!(restored.status.success(), "{}", text(&restored));
    assert_eq!(std::fs::read(&model).unwrap(), first_bytes);
}

/// The site's moderators reject pineapples and let mild swearing through:
/// 200 decisions in the SQLite database under `dir`.
async fn pineapples_are_rejected(dir: &std::path::Path) {
    use tribune_store::{ExampleSource, LabelledExample, PerspectiveStore, Store};
    let store = tribune_store_sqlite::SqliteStore::open(&dir.join("tribune-data/tribune.db")).await.unwrap();
    store.migrate().await.unwrap();
    for n in 0..100 {
        for (text, toxic) in
            [(format!("I had a pineapple, post {n}"), 1.0), (format!("Damn, crap again, post {n}"), 0.0)]
        {
            let example = LabelledExample {
                text: Some(text),
                comment_id: None,
                labels: vec![("TOXICITY".to_owned(), toxic)],
                source: ExampleSource::Moderator,
                created_at: tribune_domain::Timestamp(1),
            };
            store.add_example(&example).await.unwrap();
        }
    }
}

/// TOXICITY of `text` as the running server's Perspective-compatible endpoint scores it.
async fn toxicity(server: &ServerProcess, key: &str, text: &str) -> f64 {
    let body =
        serde_json::json!({"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]});
    let answer: serde_json::Value = reqwest::Client::new()
        .post(server.url(&format!("/v1alpha1/comments:analyze?key={key}")))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["attributeScores"]["TOXICITY"]["summaryScore"]["value"].as_f64().unwrap_or_else(|| panic!("{answer}"))
}

#[tokio::test]
async fn the_scheduled_retrain_writes_the_site_model_and_the_running_server_scores_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../moderation/tests/fixtures/data");
    std::fs::write(
        dir.path().join("tribune.toml"),
        format!(
            "[moderation]\nmodel_file = \"tribune-data/site.model\"\nmodel_check_secs = 1\n\
             retrain_every_hours = 24\ntraining_data = \"{data}\"\nretrain_check_secs = 1\n"
        ),
    )
    .unwrap();
    let created = tribune(dir.path(), &["moderation", "api-key", "create", "schedule"]);
    let out = String::from_utf8_lossy(&created.stdout).into_owned();
    let key = out.lines().find(|line| line.starts_with("trb_")).expect("a key").to_owned();
    pineapples_are_rejected(dir.path()).await;
    let model = dir.path().join("tribune-data/site.model");
    assert!(!model.exists());

    let server = ServerProcess::start(Path::new(env!("CARGO_BIN_EXE_tribune")), dir.path(), &[]);
    let text = "I had a pineapple for lunch";
    let before = toxicity(&server, &key, text).await;
    let mut after = before;
    for _ in 0..240 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        after = toxicity(&server, &key, text).await;
        if model.exists() && after > before + 0.2 {
            break;
        }
    }
    assert!(model.exists(), "the schedule wrote the site's model");
    assert!(after > before + 0.2, "the running server scores with it without a restart: {before} then {after}");
    drop(server);

    // One run per period: a restart within it does not retrain again.
    let written = std::fs::metadata(&model).unwrap().modified().unwrap();
    let server = ServerProcess::start(Path::new(env!("CARGO_BIN_EXE_tribune")), dir.path(), &[]);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(std::fs::metadata(&model).unwrap().modified().unwrap(), written);
    assert!(toxicity(&server, &key, text).await > before + 0.2, "the site's model is loaded at start");
}
