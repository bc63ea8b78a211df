//! The live-delivery benchmark: N subscribers on one article's event stream,
//! then one comment posted, then how long each subscriber waited for it. The
//! server's resident memory is read before and after the subscribers connect.

use crate::loopback;
use crate::results::{self, Latency, Record, SseRecord};
use crate::sse_client::{head_end, parse_head, Chunked, SseParser};
use crate::stats::{millis, percentile};
use anyhow::{bail, Context};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::timeout_at;

#[derive(Debug, clap::Args)]
pub struct SseArgs {
    /// The server, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    base: String,
    #[arg(long, default_value = "bench-hot-article")]
    slug: String,
    #[arg(long, default_value_t = 10_000)]
    subscribers: usize,
    /// The server's process id, to read its VmRSS before and after.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Connections being opened at once.
    #[arg(long, default_value_t = 256)]
    connect_concurrency: usize,
    /// Seconds allowed for all subscribers to connect.
    #[arg(long, default_value_t = 60)]
    connect_timeout: u64,
    /// Milliseconds to wait after the last subscriber connected, before reading memory and posting.
    #[arg(long, default_value_t = 2000)]
    settle_ms: u64,
    /// Seconds to wait for the comment to reach every subscriber.
    #[arg(long, default_value_t = 15)]
    delivery_timeout: u64,
    /// Label: the storage backend.
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// The results file (JSON lines) to append to.
    #[arg(long)]
    results: Option<PathBuf>,
}

/// What a subscriber tells the coordinator.
enum Note {
    Ready,
    Failed(String),
    /// An `event: comment` arrived at `at`, carrying this comment id.
    Comment {
        at: Instant,
        id: Option<String>,
    },
    Closed(String),
}

pub async fn run(args: SseArgs) -> anyhow::Result<()> {
    let addr = loopback::addr_of(&args.base)?;
    let n = args.subscribers;
    let request = Arc::<str>::from(format!(
        "GET /api/v1/articles/{}/comments/live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\
         Cache-Control: no-cache\r\nUser-Agent: tribune-bench\r\n\r\n",
        args.slug
    ));
    let rss_before = args.server_pid.map(rss_kib).transpose()?;

    let (tx, mut rx) = unbounded_channel::<(usize, Note)>();
    let gate = Arc::new(Semaphore::new(args.connect_concurrency.max(1)));
    let heartbeats = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for idx in 0..n {
        tasks.spawn(subscriber(idx, addr, request.clone(), gate.clone(), tx.clone(), heartbeats.clone()));
    }
    drop(tx);

    // Phase 1: every subscriber connected (or failed).
    let mut ready = vec![false; n];
    let mut closed = vec![false; n];
    let (mut connected, mut failed) = (0usize, 0usize);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut closed_reasons: BTreeMap<String, usize> = BTreeMap::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(args.connect_timeout);
    while connected + failed < n {
        match timeout_at(deadline, rx.recv()).await {
            Ok(Some((idx, note))) => match note {
                Note::Ready => {
                    ready[idx] = true;
                    connected += 1;
                }
                Note::Failed(reason) => {
                    failed += 1;
                    *reasons.entry(reason).or_default() += 1;
                }
                Note::Closed(reason) => {
                    closed[idx] = true;
                    *closed_reasons.entry(reason).or_default() += 1;
                }
                Note::Comment { .. } => {}
            },
            Ok(None) | Err(_) => break,
        }
    }
    let connect_s = started.elapsed().as_secs_f64();
    let pending = n - connected - failed;
    eprintln!(
        "sse: {connected} of {n} subscribers connected in {connect_s:.1} s ({failed} failed, {pending} still pending)"
    );
    for (reason, count) in &reasons {
        eprintln!("sse:   {count} × {reason}");
    }
    if connected == 0 {
        let first = reasons.keys().next().cloned().unwrap_or_else(|| "timed out".to_owned());
        bail!("no subscriber could connect to {}: {first}", args.base);
    }

    // Phase 2: let the server settle, then read its memory.
    let settle = tokio::time::Instant::now() + Duration::from_millis(args.settle_ms);
    while let Ok(Some((idx, note))) = timeout_at(settle, rx.recv()).await {
        if let Note::Closed(reason) = note {
            closed[idx] = true;
            *closed_reasons.entry(reason).or_default() += 1;
        }
    }
    let rss_after = args.server_pid.map(rss_kib).transpose()?;

    // Phase 3: one comment, timed from the moment it is sent.
    let client = loopback::client()?;
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let comment = json!({
        "name": "Live Bench",
        "email": "live@example.org",
        "body": format!("Live delivery check {stamp}: does every reader see this at once?"),
    });
    let url = format!("http://{addr}/api/v1/articles/{}/comments", args.slug);
    let sent = Instant::now();
    let response = client.post(url).json(&comment).send().await.context("posting the comment")?;
    let post_ms = millis(sent.elapsed());
    let post_status = response.status().as_u16();
    let created: Value = response.json().await.unwrap_or(Value::Null);
    if post_status != 201 {
        bail!("posting the comment answered {post_status}: {created}");
    }
    let comment_id = created["id"].as_i64().context("the created comment has no id")?.to_string();

    // Phase 4: its arrival at every subscriber.
    let mut latencies = Vec::with_capacity(connected);
    let mut got = vec![false; n];
    let mut closed_early = closed.iter().zip(&ready).filter(|(c, r)| **c && **r).count();
    let deadline = tokio::time::Instant::from_std(sent) + Duration::from_secs(args.delivery_timeout);
    while latencies.len() + closed_early < connected {
        match timeout_at(deadline, rx.recv()).await {
            Ok(Some((idx, Note::Comment { at, id }))) => {
                if ready[idx] && !got[idx] && id.as_deref() == Some(comment_id.as_str()) {
                    got[idx] = true;
                    latencies.push(at.saturating_duration_since(sent));
                }
            }
            Ok(Some((idx, Note::Closed(reason)))) => {
                if ready[idx] && !got[idx] && !closed[idx] {
                    closed_early += 1;
                }
                closed[idx] = true;
                *closed_reasons.entry(reason).or_default() += 1;
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    tasks.abort_all();
    latencies.sort();
    for (reason, count) in &closed_reasons {
        eprintln!("sse:   {count} streams ended early: {reason}");
    }

    let delivery_ms = (!latencies.is_empty()).then(|| Latency {
        mean: millis(latencies.iter().sum::<Duration>()) / latencies.len() as f64,
        p50: percentile(&latencies, 0.50).map_or(0.0, millis),
        p90: percentile(&latencies, 0.90).map_or(0.0, millis),
        p99: percentile(&latencies, 0.99).map_or(0.0, millis),
        max: latencies.last().copied().map_or(0.0, millis),
    });
    let bytes_per_subscriber = match (rss_before, rss_after) {
        (Some(before), Some(after)) => Some((after as f64 - before as f64) * 1024.0 / connected as f64),
        _ => None,
    };
    let record = SseRecord {
        backend: args.backend.clone(),
        subscribers: n,
        connected,
        connect_failures: failed + pending,
        connect_errors: reasons.keys().take(5).cloned().collect(),
        connect_s,
        delivered: latencies.len(),
        closed_early,
        post_status,
        post_ms,
        delivery_ms: delivery_ms.clone(),
        heartbeats: heartbeats.load(Ordering::Relaxed),
        server_rss_before_kib: rss_before,
        server_rss_after_kib: rss_after,
        server_bytes_per_subscriber: bytes_per_subscriber,
    };
    match &delivery_ms {
        Some(d) => println!(
            "sse {}: delivered to {} of {} connected ({} closed early); POST answered in {:.1} ms; \
             delivery p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            args.backend, record.delivered, connected, closed_early, post_ms, d.p50, d.p99, d.max
        ),
        None => println!("sse {}: the comment reached none of the {connected} subscribers", args.backend),
    }
    if let (Some(before), Some(after), Some(per)) = (rss_before, rss_after, bytes_per_subscriber) {
        println!(
            "sse {}: server VmRSS {before} KiB -> {after} KiB, {:.1} KiB per subscriber",
            args.backend,
            per / 1024.0
        );
    }
    if let Some(path) = &args.results {
        results::append(path, &Record::Sse(record))?;
    }
    Ok(())
}

/// The resident set of a process, from `/proc/PID/status`.
fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("cannot read the memory of process {pid}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no VmRSS for process {pid}"))
}

async fn subscriber(
    idx: usize,
    addr: SocketAddr,
    request: Arc<str>,
    gate: Arc<Semaphore>,
    tx: UnboundedSender<(usize, Note)>,
    heartbeats: Arc<AtomicU64>,
) {
    let opened = {
        let Ok(_permit) = gate.acquire().await else { return };
        open(addr, &request).await
    };
    match opened {
        Err(error) => {
            let _ = tx.send((idx, Note::Failed(format!("{error:#}"))));
        }
        Ok((stream, rest, chunked)) => {
            let _ = tx.send((idx, Note::Ready));
            let end = listen(idx, stream, &rest, chunked, &tx, &heartbeats).await;
            let reason = match end {
                Ok(()) => "the stream ended".to_owned(),
                Err(error) => format!("{error:#}"),
            };
            let _ = tx.send((idx, Note::Closed(reason)));
        }
    }
}

/// Connects and reads the response head; returns the stream, the body bytes
/// already read, and whether the body is chunked.
async fn open(addr: SocketAddr, request: &str) -> anyhow::Result<(TcpStream, Vec<u8>, bool)> {
    let limit = Duration::from_secs(30);
    let mut stream = tokio::time::timeout(limit, TcpStream::connect(addr)).await.context("connect timed out")??;
    stream.set_nodelay(true)?;
    stream.write_all(request.as_bytes()).await?;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let read = tokio::time::timeout(limit, stream.read(&mut chunk)).await.context("no response head")??;
        if read == 0 {
            bail!("the server closed the connection before answering");
        }
        buf.extend_from_slice(&chunk[..read]);
        if let Some(end) = head_end(&buf) {
            let head = parse_head(&buf[..end])?;
            if head.status != 200 {
                bail!("answered {} instead of 200", head.status);
            }
            if !head.content_type.starts_with("text/event-stream") {
                bail!("answered {:?} instead of text/event-stream", head.content_type);
            }
            return Ok((stream, buf.split_off(end), head.chunked));
        }
        if buf.len() > 64 * 1024 {
            bail!("the response head is too long");
        }
    }
}

/// Reads events until the stream ends, reporting each comment with the time it arrived.
async fn listen(
    idx: usize,
    mut stream: TcpStream,
    already: &[u8],
    chunked: bool,
    tx: &UnboundedSender<(usize, Note)>,
    heartbeats: &AtomicU64,
) -> anyhow::Result<()> {
    let mut reader =
        Reader { idx, decoder: chunked.then(Chunked::default), parser: SseParser::default(), body: Vec::new() };
    if reader.process(already, Instant::now(), tx, heartbeats)? {
        return Ok(());
    }
    let mut buf = [0u8; 2048];
    loop {
        let read = stream.read(&mut buf).await?;
        if read == 0 || reader.process(&buf[..read], Instant::now(), tx, heartbeats)? {
            return Ok(());
        }
    }
}

struct Reader {
    idx: usize,
    decoder: Option<Chunked>,
    parser: SseParser,
    body: Vec<u8>,
}

impl Reader {
    /// Handles bytes read at `at`; `Ok(true)` when the body has ended.
    fn process(
        &mut self,
        input: &[u8],
        at: Instant,
        tx: &UnboundedSender<(usize, Note)>,
        heartbeats: &AtomicU64,
    ) -> anyhow::Result<bool> {
        self.body.clear();
        let finished = match &mut self.decoder {
            Some(decoder) => decoder.feed(input, &mut self.body)?,
            None => {
                self.body.extend_from_slice(input);
                false
            }
        };
        let seen = self.parser.comments;
        let idx = self.idx;
        self.parser.feed(&self.body, |event| {
            if event.event == "comment" {
                let id = event.id.or_else(|| {
                    serde_json::from_str::<Value>(&event.data).ok().and_then(|v| v.get("id").map(Value::to_string))
                });
                let _ = tx.send((idx, Note::Comment { at, id }));
            }
        });
        heartbeats.fetch_add(self.parser.comments - seen, Ordering::Relaxed);
        Ok(finished)
    }
}
