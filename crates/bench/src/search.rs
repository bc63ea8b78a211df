//! The search benchmark: a generated corpus of articles posted through the
//! API by several workers at once (`seed-articles`), then many `/search?q=`
//! requests with varied terms, each timed, with the latency percentiles
//! printed as one JSON line (`search`).

use crate::loopback;
use crate::seed::Sequence;
use crate::stats::{millis, percentile};
use anyhow::{ensure, Context};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A small newsroom vocabulary: common words make long result lists, rare
/// ones short ones, so the terms exercise both.
const WORDS: &[&str] = &[
    "harbour",
    "council",
    "budget",
    "storm",
    "election",
    "river",
    "bridge",
    "school",
    "hospital",
    "railway",
    "festival",
    "museum",
    "market",
    "farmers",
    "drought",
    "flood",
    "housing",
    "tenants",
    "energy",
    "turbine",
    "court",
    "verdict",
    "strike",
    "teachers",
    "nurses",
    "airport",
    "runway",
    "library",
    "cyclists",
    "tram",
    "orchard",
    "vineyard",
    "glacier",
    "volcano",
    "telescope",
    "archive",
    "mayor",
    "minister",
    "referendum",
    "tariff",
];
const SECTIONS: &[&str] = &["Local", "Politics", "Business", "Science", "Culture", "Sport", "Weather", "World"];

#[derive(Debug, clap::Args)]
pub struct SeedArticlesArgs {
    #[arg(long)]
    base: String,
    #[arg(long, env = "TRIBUNE_BENCH_TOKEN", hide_env_values = true)]
    token: String,
    #[arg(long, default_value_t = 100_000)]
    articles: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    #[arg(long)]
    base: String,
    /// Searches in all (each with the next terms of a fixed sequence).
    #[arg(long, default_value_t = 5_000)]
    requests: usize,
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Searches before the measured ones (not timed).
    #[arg(long, default_value_t = 200)]
    warmup: usize,
}

/// Article `n` of the corpus: the same text on every run.
fn article(n: usize) -> Value {
    let mut words = Sequence(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1));
    let mut pick = |count: usize| -> Vec<&str> { (0..count).map(|_| WORDS[words.below(WORDS.len())]).collect() };
    let headline = format!("{} {} report {n}", pick(1)[0], pick(1)[0]);
    let body: Vec<String> =
        (0..6).map(|_| format!("The {} and the {} met the {} today.", pick(1)[0], pick(1)[0], pick(1)[0])).collect();
    json!({
        "headline": headline,
        "standfirst": format!("What the {} means for the {}.", pick(1)[0], pick(1)[0]),
        "byline": "Bench Desk",
        "section": SECTIONS[n % SECTIONS.len()],
        "slug": format!("corpus-{n}"),
        "published_at": "2026-01-01T08:00:00Z",
        "body": body.join("\n\n"),
    })
}

pub async fn seed_articles(args: SeedArticlesArgs) -> anyhow::Result<()> {
    let base = loopback::base_url(&args.base)?;
    let client = loopback::client()?;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (client, next, token) = (client.clone(), next.clone(), args.token.clone());
        let (url, total) = (format!("{base}/api/v1/articles"), args.articles);
        workers.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    return anyhow::Ok(());
                }
                let response = client.post(&url).bearer_auth(&token).json(&article(n)).send().await?;
                let status = response.status();
                ensure!(status.as_u16() == 201, "article {n} answered {status}: {}", response.text().await?);
            }
        }));
    }
    for worker in workers {
        worker.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("{}", json!({ "articles": args.articles, "seconds": seconds, "per_s": args.articles as f64 / seconds }));
    Ok(())
}

/// The terms of search `n`: one or two words, sometimes a word found nowhere.
fn terms(n: usize) -> String {
    let mut sequence = Sequence(0xD1B5_4A32_D192_ED03 ^ (n as u64 + 1));
    match sequence.below(10) {
        0 => format!("{}zz", WORDS[sequence.below(WORDS.len())]),
        1..=5 => WORDS[sequence.below(WORDS.len())].to_owned(),
        _ => format!("{} {}", WORDS[sequence.below(WORDS.len())], WORDS[sequence.below(WORDS.len())]),
    }
}

async fn run_searches(
    client: &reqwest::Client,
    base: &str,
    count: usize,
    concurrency: usize,
    offset: usize,
) -> anyhow::Result<Vec<Duration>> {
    let next = Arc::new(AtomicUsize::new(0));
    let samples = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (client, next, samples, base) = (client.clone(), next.clone(), samples.clone(), base.to_owned());
        workers.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    return anyhow::Ok(());
                }
                let started = Instant::now();
                let response = client.get(format!("{base}/search")).query(&[("q", terms(offset + n))]).send().await?;
                let status = response.status();
                let body = response.bytes().await?;
                let took = started.elapsed();
                ensure!(status.as_u16() == 200, "search {n} answered {status}");
                ensure!(!body.is_empty(), "search {n} answered nothing");
                samples.lock().map_err(|_| anyhow::anyhow!("a worker panicked"))?.push(took);
            }
        }));
    }
    for worker in workers {
        worker.await??;
    }
    let samples = samples.lock().map_err(|_| anyhow::anyhow!("a worker panicked"))?.clone();
    Ok(samples)
}

pub async fn search(args: SearchArgs) -> anyhow::Result<()> {
    let base = loopback::base_url(&args.base)?;
    let client = loopback::client()?;
    // The warm-up uses other terms than the measured run, so the page cache does not answer for it.
    run_searches(&client, &base, args.warmup, args.concurrency, 1_000_000).await?;
    let started = Instant::now();
    let mut samples = run_searches(&client, &base, args.requests, args.concurrency, 0).await?;
    let seconds = started.elapsed().as_secs_f64();
    samples.sort_unstable();
    // Search pages are cached per query like other pages: repeated terms are answered from memory.
    let distinct: std::collections::BTreeSet<String> = (0..args.requests).map(terms).collect();
    let ms = |q: f64| percentile(&samples, q).map(millis).context("no samples");
    println!(
        "{}",
        json!({
            "requests": samples.len(), "distinct_queries": distinct.len(), "concurrency": args.concurrency,
            "seconds": seconds,
            "per_s": samples.len() as f64 / seconds,
            "p50_ms": ms(0.5)?, "p90_ms": ms(0.9)?, "p99_ms": ms(0.99)?, "max_ms": ms(1.0)?,
        })
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_and_the_terms_are_the_same_on_every_run_and_vary_between_items() {
        assert_eq!(article(7), article(7));
        assert_ne!(article(7)["headline"], article(8)["headline"]);
        let distinct: std::collections::BTreeSet<String> = (0..200).map(terms).collect();
        assert!(distinct.len() > 100, "varied terms: {}", distinct.len());
    }
}
