//! Runs wrk (a warm-up, then the measured run) and turns its report into a
//! `WrkRecord`. The Lua scripts are built into this binary and written next
//! to the raw output, so a results directory shows exactly what ran.

use crate::cpu::{self, Ours};
use crate::loopback;
use crate::results::{self, Latency, Record, WrkErrors, WrkRecord};
use anyhow::{bail, Context};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::process::Command;

const DONE: &str = include_str!("../wrk/done.lua");
const GET: &str = include_str!("../wrk/get.lua");
const POST: &str = include_str!("../wrk/post.lua");
const POST_VARIED: &str = include_str!("../wrk/post-varied.lua");

#[derive(Debug, clap::Args)]
pub struct WrkArgs {
    /// The URL to load (loopback only).
    #[arg(long)]
    url: String,
    /// Label: the storage backend this run belongs to.
    #[arg(long)]
    backend: String,
    /// Label: `page`, `page-br`, `home`, `json` or `post`.
    #[arg(long)]
    target: String,
    /// A request header for every request (`Name: value`), such as `Accept-Encoding: br`.
    #[arg(long = "header")]
    headers: Vec<String>,
    /// Label: who answers, `tribune` or `nginx`.
    #[arg(long, default_value = "tribune")]
    server: String,
    /// POST a distinct comment per request and count the 201s.
    #[arg(long)]
    post: bool,
    /// POST varied news-comment text (moderation runs): count the 201s and those held.
    #[arg(long, conflicts_with = "post")]
    post_varied: bool,
    #[arg(long, default_value_t = 64)]
    connections: u32,
    #[arg(long, default_value_t = 2)]
    threads: u32,
    /// Seconds of the measured run.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Seconds of warm-up before it (not recorded); 0 for none.
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// wrk's per-request timeout.
    #[arg(long, default_value = "5s")]
    timeout: String,
    /// Where the Lua scripts and wrk's raw output go.
    #[arg(long)]
    out_dir: PathBuf,
    /// The results file (JSON lines) to append to.
    #[arg(long)]
    results: PathBuf,
    /// The process answering (its children count too), to tell its CPU use from others'.
    #[arg(long)]
    server_pid: Option<u32>,
    /// The PostgreSQL database behind it, whose backends count as ours.
    #[arg(long)]
    database: Option<String>,
}

/// The line `done.lua` prints.
#[derive(Debug, Deserialize)]
struct Done {
    requests: u64,
    duration_us: u64,
    bytes: u64,
    ok: i64,
    #[serde(default)]
    held: u64,
    errors: WrkErrors,
    latency_us: LatencyUs,
}

#[derive(Debug, Deserialize)]
struct LatencyUs {
    mean: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

pub async fn run(args: WrkArgs) -> anyhow::Result<()> {
    loopback::addr_of(&args.url)?;
    std::fs::create_dir_all(&args.out_dir)?;
    let (name, body) = match (args.post, args.post_varied) {
        (true, _) => ("wrk-post.lua", POST),
        (_, true) => ("wrk-post-varied.lua", POST_VARIED),
        _ => ("wrk-get.lua", GET),
    };
    let script = args.out_dir.join(name);
    std::fs::write(&script, format!("{body}\n{DONE}"))?;
    let label = format!("{}-{}-{}-c{}", args.backend, args.target, args.server, args.connections);
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();

    if args.warmup > 0 {
        wrk(&args, &script, args.warmup, &format!("{label}-warmup-{stamp}")).await.context("warm-up run")?;
    }
    let ours = Ours { server_pid: args.server_pid, database: args.database.clone() };
    let before = ours.snapshot();
    let output = wrk(&args, &script, args.duration, &format!("{label}-{stamp}")).await?;
    let others_cpu_percent = cpu::others_percent(before, ours.snapshot());
    std::fs::write(args.out_dir.join(format!("{label}.txt")), &output)?;
    let done = parse_done(&output)?;

    let duration_s = done.duration_us as f64 / 1e6;
    let ok = if done.ok >= 0 { done.ok as u64 } else { done.requests.saturating_sub(done.errors.status) };
    let ms = |us: f64| us / 1000.0;
    let record = WrkRecord {
        backend: args.backend.clone(),
        target: args.target.clone(),
        server: args.server.clone(),
        url: args.url.clone(),
        connections: args.connections,
        threads: args.threads,
        duration_s,
        requests: done.requests,
        ok,
        requests_per_s: done.requests as f64 / duration_s,
        ok_per_s: ok as f64 / duration_s,
        held: args.post_varied.then_some(done.held),
        latency_ms: Latency {
            mean: ms(done.latency_us.mean),
            p50: ms(done.latency_us.p50),
            p90: ms(done.latency_us.p90),
            p99: ms(done.latency_us.p99),
            max: ms(done.latency_us.max),
        },
        errors: done.errors,
        bytes: done.bytes,
        others_cpu_percent,
    };
    println!(
        "{label}: {:.0} req/s ({} ok of {}{}), p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms, errors {:?}, \
         other processes {}",
        record.requests_per_s,
        record.ok,
        record.requests,
        record.held.map_or(String::new(), |held| format!(", {held} of them held")),
        record.latency_ms.p50,
        record.latency_ms.p99,
        record.latency_ms.max,
        record.errors,
        record.others_cpu_percent.map_or("?".to_owned(), |p| format!("{p:.0} % of the CPUs")),
    );
    results::append(&args.results, &Record::Wrk(record))
}

async fn wrk(args: &WrkArgs, script: &Path, seconds: u64, tag: &str) -> anyhow::Result<String> {
    let mut command = Command::new("wrk");
    command
        .arg(format!("--threads={}", args.threads))
        .arg(format!("--connections={}", args.connections))
        .arg(format!("--duration={seconds}s"))
        .arg(format!("--timeout={}", args.timeout))
        .arg("--latency")
        .args(args.headers.iter().flat_map(|header| ["--header", header.as_str()]))
        .arg(format!("--script={}", script.display()))
        .arg(&args.url)
        .arg("--")
        .arg(tag)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = command.spawn().context("cannot start wrk (is it installed?)")?;
    let output = tokio::time::timeout(Duration::from_secs(seconds + 30), child.wait_with_output())
        .await
        .context("wrk did not finish in time")??;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        bail!("wrk failed ({}): {}{}", output.status, stdout, String::from_utf8_lossy(&output.stderr));
    }
    Ok(stdout)
}

fn parse_done(output: &str) -> anyhow::Result<Done> {
    let line = output
        .lines()
        .find_map(|line| line.strip_prefix("@@TRIBUNE_BENCH "))
        .with_context(|| format!("wrk printed no summary line:\n{output}"))?;
    serde_json::from_str(line).context("cannot read wrk's summary line")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_is_found_among_wrks_report() {
        let output = "Running 10s test @ http://127.0.0.1:1/\n  2 threads and 64 connections\n\
            @@TRIBUNE_BENCH {\"requests\":100,\"duration_us\":10000000,\"bytes\":5000,\"ok\":-1,\
            \"errors\":{\"connect\":0,\"read\":0,\"write\":0,\"status\":2,\"timeout\":0},\
            \"latency_us\":{\"mean\":1500.5,\"p50\":1200,\"p90\":2000,\"p99\":9000,\"max\":12000}}\n";
        let done = parse_done(output).unwrap();
        assert_eq!(done.requests, 100);
        assert_eq!(done.errors.status, 2);
        assert_eq!(done.latency_us.p99, 9000.0);
    }
}
