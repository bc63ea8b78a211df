//! The moderation part of the benchmark: the site's moderation settings
//! (`PUT /api/v1/moderation/settings` with the admin token) for posting with
//! the pipeline off and on and for holding everything, with word lists made
//! up deterministically; and a queue of pending comments posted through the
//! API while the site holds every comment.

use crate::loopback;
use crate::seed::Sequence;
use anyhow::{bail, ensure, Context};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Mode {
    /// No lists, no link limit, repeats and history steps off (posting reads no history), no scoring.
    Off,
    /// 10,000 banned and 1,000 suspect words, a link policy, repeats and history steps on.
    On,
    /// All of `On`, and the on-device scorer rating every comment.
    Scored,
    /// Every comment held for a moderator (to fill the pending queue).
    HoldAll,
}

#[derive(Debug, clap::Args)]
pub struct SettingsArgs {
    /// The server, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    base: String,
    #[arg(long, env = "TRIBUNE_BENCH_TOKEN", hide_env_values = true)]
    token: String,
    #[arg(long, value_enum)]
    mode: Mode,
}

#[derive(Debug, clap::Args)]
pub struct PendingArgs {
    #[arg(long)]
    base: String,
    /// The article to comment on (it must exist).
    #[arg(long)]
    slug: String,
    #[arg(long, default_value_t = 100_000)]
    comments: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

/// `count` distinct made-up words of 3 to 5 syllables (`"kavoturi"`), every
/// tenth a prefix entry (`"kavo*"`): the recipe of
/// crates/moderation/benches/pipeline.rs, so both measure the same lists.
fn word_list(seed: u64, count: usize) -> Vec<String> {
    const ONSETS: [&str; 12] = ["b", "d", "f", "g", "k", "v", "z", "kr", "gl", "zv", "dr", "x"];
    const VOWELS: [&str; 5] = ["a", "e", "i", "o", "u"];
    let mut seq = Sequence(seed);
    let mut seen = HashSet::new();
    while seen.len() < count {
        let syllables = 3 + seq.below(3);
        let mut word: String =
            (0..syllables).map(|_| format!("{}{}", ONSETS[seq.below(12)], VOWELS[seq.below(5)])).collect();
        if seen.len() % 10 == 9 {
            word.push('*');
        }
        seen.insert(word);
    }
    let mut words: Vec<String> = seen.into_iter().collect();
    words.sort();
    words
}

fn settings(mode: Mode) -> Value {
    let off = json!({
        "premoderation": "none", "banned_words": [], "suspect_words": [], "max_links": null,
        "blocked_domains": [], "allowed_domains": [], "repeat_window_minutes": 0, "cooldown_seconds": 0,
        "history_max_rejected_percent": 100, "scores": {}, "think_before_posting": null,
    });
    match mode {
        Mode::Off => off,
        Mode::HoldAll => {
            let mut all = off;
            all["premoderation"] = json!("all");
            all
        }
        Mode::On | Mode::Scored => {
            let mut on = json!({
                "premoderation": "none",
                "banned_words": word_list(0xBA22_ED00_0000_0001, 10_000),
                "suspect_words": word_list(0x5005_EC70_0000_0002, 1_000),
                "max_links": 2,
                "blocked_domains": (0..200).map(|i| format!("spam{i}.example.net")).collect::<Vec<_>>(),
                "allowed_domains": ["example.com"],
                "repeat_window_minutes": 60, "cooldown_seconds": 0,
                "history_days": 30, "history_min_decided": 3, "history_max_rejected_percent": 50,
                "scores": {}, "think_before_posting": null,
            });
            if matches!(mode, Mode::Scored) {
                // "Think before you post" stays off: its 422 would read as a failed post.
                on["scores"] = json!({ "TOXICITY": { "hold": 0.9 }, "SPAM": { "hold": 0.9 } });
            }
            on
        }
    }
}

pub async fn set(args: SettingsArgs) -> anyhow::Result<()> {
    let base = loopback::base_url(&args.base)?;
    let client = loopback::client()?;
    let started = Instant::now();
    let response = client
        .put(format!("{base}/api/v1/moderation/settings"))
        .bearer_auth(&args.token)
        .json(&settings(args.mode))
        .send()
        .await?;
    let status = response.status();
    if !status.is_success() {
        bail!("PUT /api/v1/moderation/settings answered {status}: {}", response.text().await.unwrap_or_default());
    }
    eprintln!(
        "tribune-bench: moderation settings {:?} saved in {:.0} ms",
        args.mode,
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

/// A distinct comment of some 200 characters for pending comment `n`.
fn pending_text(n: usize) -> String {
    const OPENINGS: [&str; 6] = [
        "I walked past the harbour wall this morning",
        "The council deserves some credit here",
        "Fishermen on Quay Street told me",
        "Having lived on the seafront for twenty years",
        "Reading this on the train home",
        "As a member of the harbour trust",
    ];
    const MIDDLES: [&str; 5] = [
        "that the cost breakdown is still missing",
        "that the coastal path is still closed",
        "how high the next surge could reach",
        "why the budget changed between March and June",
        "who pays for the repairs on the north pier",
    ];
    format!(
        "{} and I keep wondering {}. This is comment number {n} in the queue, and the figures deserve a closer \
         look before the council votes again.",
        OPENINGS[n % OPENINGS.len()],
        MIDDLES[n / OPENINGS.len() % MIDDLES.len()]
    )
}

/// Posts `--comments` guest comments (the site must hold them all) and
/// prints how many are pending and the id halfway through, for a deep page.
pub async fn seed_pending(args: PendingArgs) -> anyhow::Result<()> {
    let base = loopback::base_url(&args.base)?;
    let client = loopback::client()?;
    let next = Arc::new(AtomicUsize::new(0));
    let ids = Arc::new(Mutex::new(Vec::with_capacity(args.comments)));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (client, next, ids) = (client.clone(), next.clone(), ids.clone());
        let url = format!("{base}/api/v1/articles/{}/comments", args.slug);
        let total = args.comments;
        workers.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    return anyhow::Ok(());
                }
                let comment = json!({
                    "name": format!("Queued Reader {}", n % 5000),
                    "email": format!("queued{}@example.org", n % 5000),
                    "body": pending_text(n),
                });
                let response = client.post(&url).json(&comment).send().await?;
                let status = response.status();
                let body: Value = response.json().await.with_context(|| format!("comment {n}: answered {status}"))?;
                ensure!(status.as_u16() == 201, "comment {n} answered {status}: {body}");
                ensure!(body["status"] == "pending", "comment {n} was not held: {body}");
                let id = body["id"].as_i64().context("the created comment has no id")?;
                ids.lock().map_err(|_| anyhow::anyhow!("a worker panicked"))?.push(id);
            }
        }));
    }
    for worker in workers {
        worker.await??;
    }
    let mut ids = ids.lock().map_err(|_| anyhow::anyhow!("a worker panicked"))?.clone();
    ids.sort_unstable();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({ "pending": ids.len(), "seconds": seconds, "per_s": ids.len() as f64 / seconds,
                "middle_id": ids.get(ids.len() / 2) })
    );
    Ok(())
}
