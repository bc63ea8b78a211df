//! An S3-compatible bucket as the media store: requests are signed with
//! `rusty-s3` (presigned URLs, no SDK) and sent with reqwest.

use crate::blobs::{check_path, content_type_of, Blob, BlobError, BlobStore};
use async_trait::async_trait;
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use std::time::Duration;
use url::Url;

/// How long a signed request stays valid: only as long as it takes to send it.
const SIGNATURE_LIFETIME: Duration = Duration::from_secs(60);

/// A bucket, from `s3://BUCKET?endpoint=URL&region=REGION`, and the keys to it.
#[derive(Clone)]
pub struct S3Config {
    pub endpoint: Url,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint.as_str())
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"[redacted]")
            .finish()
    }
}

impl S3Config {
    /// Reads the bucket's address; the keys come from their own settings.
    pub fn from_url(url: &str, access_key_id: String, secret_access_key: String) -> Result<Self, String> {
        let parsed = Url::parse(url).map_err(|e| format!("the media store URL {url:?} is not a URL: {e}"))?;
        if parsed.scheme() != "s3" {
            return Err(format!("the media store URL must start with s3:// (got {url:?})"));
        }
        let bucket = parsed.host_str().filter(|b| !b.is_empty()).ok_or("the media store URL names no bucket")?;
        let mut endpoint = None;
        let mut region = None;
        for (name, value) in parsed.query_pairs() {
            match name.as_ref() {
                "endpoint" => endpoint = Some(value.into_owned()),
                "region" => region = Some(value.into_owned()),
                other => return Err(format!("the media store URL has an unknown parameter {other:?}")),
            }
        }
        let endpoint = endpoint.ok_or("the media store URL needs ?endpoint=https://…")?;
        let endpoint = Url::parse(&endpoint).map_err(|e| format!("the S3 endpoint {endpoint:?}: {e}"))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err("the S3 endpoint must be an http(s) address".to_owned());
        }
        Ok(Self {
            endpoint,
            bucket: bucket.to_owned(),
            region: region.unwrap_or_else(|| "us-east-1".to_owned()),
            access_key_id,
            secret_access_key,
        })
    }
}

pub struct S3Store {
    bucket: Bucket,
    credentials: Credentials,
    client: reqwest::Client,
}

impl S3Store {
    pub fn new(config: &S3Config) -> Result<Self, String> {
        // Path style works with every S3-compatible server (MinIO, Garage, moto) without DNS per bucket.
        let bucket = Bucket::new(config.endpoint.clone(), UrlStyle::Path, config.bucket.clone(), config.region.clone())
            .map_err(|e| format!("the S3 bucket: {e}"))?;
        let credentials = Credentials::new(config.access_key_id.clone(), config.secret_access_key.clone());
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| format!("an HTTP client for S3: {e}"))?;
        Ok(Self { bucket, credentials, client })
    }

    /// Creates the bucket (for tests and first setups); one that exists is fine.
    pub async fn create_bucket(&self) -> Result<(), BlobError> {
        let url = self.bucket.create_bucket(&self.credentials).sign(SIGNATURE_LIFETIME);
        // An empty body: the bucket is created in the endpoint's default region.
        let response =
            self.client.put(url).header("content-length", "0").body(Vec::new()).send().await.map_err(request_failed)?;
        let status = response.status();
        if status.is_success() || status.as_u16() == 409 {
            Ok(())
        } else {
            Err(BlobError::Io(format!("creating the bucket: S3 answered {status}")))
        }
    }
}

fn request_failed(error: reqwest::Error) -> BlobError {
    // Without the URL: it carries a signature.
    BlobError::Io(format!("S3 request failed: {}", error.without_url()))
}

#[async_trait]
impl BlobStore for S3Store {
    async fn put(&self, path: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        check_path(path)?;
        let url = self.bucket.put_object(Some(&self.credentials), path).sign(SIGNATURE_LIFETIME);
        let response = self
            .client
            .put(url)
            .header("content-type", content_type)
            .body(bytes)
            .send()
            .await
            .map_err(request_failed)?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(BlobError::Io(format!("storing {path}: S3 answered {}", response.status())))
        }
    }

    async fn get(&self, path: &str) -> Result<Option<Blob>, BlobError> {
        check_path(path)?;
        let url = self.bucket.get_object(Some(&self.credentials), path).sign(SIGNATURE_LIFETIME);
        let response = self.client.get(url).send().await.map_err(request_failed)?;
        match response.status().as_u16() {
            200 => {
                let bytes = response.bytes().await.map_err(request_failed)?;
                Ok(Some(Blob { bytes: bytes.to_vec(), content_type: content_type_of(path).to_owned() }))
            }
            404 => Ok(None),
            other => Err(BlobError::Io(format!("reading {path}: S3 answered {other}"))),
        }
    }
}
