//! What each measurement leaves behind: one JSON object per line in the
//! results file, read back by `report`.

use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Wrk(WrkRecord),
    Sse(SseRecord),
}

/// One wrk run: which backend and target, which server answered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WrkRecord {
    /// `sqlite` or `postgres`; the nginx reference carries the backend it was measured beside.
    pub backend: String,
    /// `page`, `json` or `post`.
    pub target: String,
    /// `tribune` or `nginx`.
    pub server: String,
    pub url: String,
    pub connections: u32,
    pub threads: u32,
    pub duration_s: f64,
    pub requests: u64,
    /// Requests answered as hoped: 201 for posts, below 400 otherwise.
    pub ok: u64,
    pub requests_per_s: f64,
    pub ok_per_s: f64,
    /// Of the acknowledged comments, those moderation held (varied posting only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<u64>,
    pub latency_ms: Latency,
    pub errors: WrkErrors,
    pub bytes: u64,
    /// CPU time that processes other than the benchmark's own used during
    /// the run, as a share of all CPUs; high values mean a disturbed run.
    #[serde(default)]
    pub others_cpu_percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Latency {
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WrkErrors {
    pub connect: u64,
    pub read: u64,
    pub write: u64,
    /// Responses with a status of 400 or more.
    pub status: u64,
    pub timeout: u64,
}

/// One live-delivery run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SseRecord {
    pub backend: String,
    pub subscribers: usize,
    /// Subscribers whose stream opened with 200 and `text/event-stream`.
    pub connected: usize,
    pub connect_failures: usize,
    /// The first few distinct reasons subscribers could not connect.
    pub connect_errors: Vec<String>,
    pub connect_s: f64,
    /// Connected subscribers that received the posted comment.
    pub delivered: usize,
    /// Subscribers whose stream ended before the comment arrived.
    pub closed_early: usize,
    pub post_status: u16,
    /// From sending the POST to its response.
    pub post_ms: f64,
    /// From sending the POST to each subscriber's receipt of the event.
    pub delivery_ms: Option<Latency>,
    pub heartbeats: u64,
    pub server_rss_before_kib: Option<u64>,
    pub server_rss_after_kib: Option<u64>,
    pub server_bytes_per_subscriber: Option<f64>,
}

pub fn append(path: &Path, record: &Record) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    writeln!(file, "{}", serde_json::to_string(record)?)?;
    Ok(())
}

pub fn read(path: &Path) -> anyhow::Result<Vec<Record>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(n, line)| serde_json::from_str(line).with_context(|| format!("{} line {}", path.display(), n + 1)))
        .collect()
}
