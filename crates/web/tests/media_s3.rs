//! Images kept in an S3-compatible bucket: a local moto server (installed
//! from PyPI into a virtual environment under the build directory on first
//! run), on a loopback port, stands in for the bucket; for the last two
//! tests behind a front that checks every signature as S3 does.

use reqwest::multipart::{Form, Part};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;
use tribune_media::{fixtures, BlobStore, S3Config, S3Store};
use tribune_testkit::TestApp;
use tribune_web::media::MediaStorage;

/// A Python with moto's server, made once per build directory. The tests of
/// this file run side by side, so one makes it while the others wait; a venv
/// left half-made by an interrupted run is made again from scratch.
fn moto_venv() -> Result<PathBuf, String> {
    static MAKING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = MAKING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("s3-venv");
    let server = venv.join("bin").join("moto_server");
    if server.exists() {
        return Ok(server);
    }
    let made =
        Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv).output().map_err(|e| e.to_string())?;
    if !made.status.success() {
        return Err(format!("python3 -m venv failed: {}", String::from_utf8_lossy(&made.stderr)));
    }
    let pip = Command::new(venv.join("bin").join("python"))
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "moto[server]"])
        .output()
        .map_err(|e| e.to_string())?;
    if !pip.status.success() || !server.exists() {
        return Err(format!("pip install moto[server] failed: {}", String::from_utf8_lossy(&pip.stderr)));
    }
    Ok(server)
}

/// moto's S3 on 127.0.0.1, stopped when dropped.
struct Moto {
    endpoint: String,
    _process: tokio::process::Child,
}

async fn start_moto() -> Moto {
    let server = tokio::task::spawn_blocking(moto_venv).await.unwrap().expect("moto's server installs from PyPI");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let process = tokio::process::Command::new(server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start moto_server");
    let endpoint = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client.get(format!("{endpoint}/moto-api/")).send().await.is_ok() {
            return Moto { endpoint, _process: process };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("moto_server did not answer on {endpoint}");
}

fn bucket_url(endpoint: &str, bucket: &str) -> String {
    format!("s3://{bucket}?endpoint={endpoint}&region=us-east-1")
}

fn storage(endpoint: &str, bucket: &str) -> MediaStorage {
    MediaStorage::S3 {
        url: bucket_url(endpoint, bucket),
        access_key_id: "tribune-test".to_owned(),
        secret_access_key: "tribune-test-secret".into(),
    }
}

fn form() -> Form {
    Form::new()
        .part("file", Part::bytes(fixtures::jpeg_with_exif_and_payload(1200, 600)).file_name("photo.jpg"))
        .text("alt", "A harbour")
}

/// The bucket `name` at `endpoint`, created with the right keys.
async fn made_bucket(endpoint: &str, name: &str) -> S3Store {
    let config =
        S3Config::from_url(&bucket_url(endpoint, name), "tribune-test".to_owned(), "tribune-test-secret".to_owned())
            .unwrap();
    let bucket = S3Store::new(&config).unwrap();
    bucket.create_bucket().await.expect("create the bucket");
    bucket
}

async fn upload(app: &TestApp) -> reqwest::Response {
    app.client.post(app.url("/api/v1/images")).bearer_auth(&app.admin_token).multipart(form()).send().await.unwrap()
}

/// The upload was stored in `bucket`, and every variant is served from it.
async fn assert_kept_in(bucket: &S3Store, app: &TestApp, response: reqwest::Response) {
    assert_eq!(response.status(), 201);
    let image: Value = response.json().await.unwrap();
    let key = image["key"].as_str().unwrap();
    for variant in image["variants"].as_array().unwrap() {
        let width = variant["width"].as_u64().unwrap();
        let in_bucket = bucket.get(&format!("{key}/{width}.jpg")).await.unwrap().expect("the variant is in the bucket");
        let served = app.get(variant["url"].as_str().unwrap()).await;
        assert_eq!(served.status(), 200);
        assert_eq!(served.headers()["content-type"], "image/jpeg");
        assert_eq!(served.headers()["cache-control"], "public, max-age=31536000, immutable");
        let bytes = served.bytes().await.unwrap();
        assert_eq!(bytes.as_ref(), in_bucket.bytes.as_slice(), "served from the bucket");
        assert!(!fixtures::has_exif_segment(&bytes));
    }
    assert_eq!(app.get(&format!("/media/{key}/7.jpg")).await.status(), 404, "not in the bucket");
}

/// The upload was refused with no detail of the bucket's answer, and no row names a missing file.
async fn assert_refused(app: &TestApp, response: reqwest::Response, hidden: &[&str]) {
    assert_eq!(response.status(), 500);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "internal_error");
    for detail in hidden {
        assert!(!problem.to_string().contains(detail), "{detail} in {problem}");
    }
    assert!(app.store.recent_images(None, 10).await.unwrap().is_empty(), "no row names missing files");
}

#[tokio::test]
async fn images_are_kept_in_an_s3_bucket_and_served_from_it() {
    let moto = start_moto().await;
    let bucket = made_bucket(&moto.endpoint, "tribune-media").await;
    let mut site = TestApp::config();
    site.media.storage = storage(&moto.endpoint, "tribune-media");
    let app = TestApp::spawn_with(site).await;
    assert_kept_in(&bucket, &app, upload(&app).await).await;
}

#[tokio::test]
async fn a_bucket_that_cannot_be_written_refuses_the_upload_and_stores_nothing() {
    let moto = start_moto().await;
    let mut site = TestApp::config();
    // No such bucket: every write is refused.
    site.media.storage = storage(&moto.endpoint, "no-such-bucket");
    let app = TestApp::spawn_with(site).await;
    assert_refused(&app, upload(&app).await, &["no-such-bucket", "127.0.0.1"]).await;
}

/// moto behind `fixtures/s3_signature_check.py`, which checks every
/// presigned request's signature with botocore (Amazon's own signer, in
/// moto's environment) as S3 does, and passes on only those that match:
/// moto alone accepts any signature. Both stop when dropped.
struct CheckedBucket {
    endpoint: String,
    _moto: Moto,
    _front: tokio::process::Child,
}

async fn start_checked_bucket() -> CheckedBucket {
    let moto = start_moto().await;
    let server = tokio::task::spawn_blocking(moto_venv).await.unwrap().expect("moto's server installs from PyPI");
    let python = server.with_file_name("python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/s3_signature_check.py");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let front = tokio::process::Command::new(python)
        .arg(script)
        .args(["tribune-test", "tribune-test-secret", &moto.endpoint, &port.to_string()])
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the signature check");
    let endpoint = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        // Unsigned, so refused: an answer means it listens.
        if reqwest::get(&endpoint).await.is_ok_and(|r| r.status() == 403) {
            return CheckedBucket { endpoint, _moto: moto, _front: front };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the signature check did not answer on {endpoint}");
}

#[tokio::test]
async fn every_request_to_the_bucket_passes_a_signature_check_by_amazons_own_signer() {
    let s3 = start_checked_bucket().await;
    // Created through the check too.
    let bucket = made_bucket(&s3.endpoint, "tribune-media").await;
    let mut site = TestApp::config();
    site.media.storage = storage(&s3.endpoint, "tribune-media");
    let app = TestApp::spawn_with(site).await;
    assert_kept_in(&bucket, &app, upload(&app).await).await;
}

#[tokio::test]
async fn a_wrong_secret_fails_the_signature_check_and_nothing_is_stored() {
    let s3 = start_checked_bucket().await;
    made_bucket(&s3.endpoint, "tribune-media").await;
    let mut site = TestApp::config();
    site.media.storage = MediaStorage::S3 {
        url: bucket_url(&s3.endpoint, "tribune-media"),
        access_key_id: "tribune-test".to_owned(),
        secret_access_key: "not-the-secret".into(),
    };
    let app = TestApp::spawn_with(site).await;
    assert_refused(&app, upload(&app).await, &["Signature", "127.0.0.1"]).await;
}
