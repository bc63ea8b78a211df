//! `tribune-bench`: the pieces of the benchmark that `scripts/bench` strings
//! together. It seeds the benchmark article through the HTTP API, runs `wrk`
//! and records what it measured, holds thousands of Server-Sent-Events
//! subscribers open and times a comment's delivery to all of them, sets the
//! moderation settings and fills the pending queue for the moderation runs,
//! and prints the summary tables. Everything it talks to must be on the loopback
//! interface; any other address is refused.

mod cpu;
mod loopback;
mod moderation;
mod report;
mod report_moderation;
mod results;
mod search;
mod seed;
mod sse;
mod sse_client;
mod stats;
mod wrk;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "tribune-bench", about = "Benchmark harness for Tribune (see docs/benchmarks.md)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the benchmark article and its threaded discussion through the HTTP API.
    Seed(seed::SeedArgs),
    /// Run wrk against a URL (warm-up, then the measured run) and append the result.
    Wrk(wrk::WrkArgs),
    /// Hold N live subscribers, post one comment, time its delivery to all of them.
    Sse(sse::SseArgs),
    /// Save the site's moderation settings: the pipeline off, on (10k/1k word lists …), or holding all.
    ModerationSettings(moderation::SettingsArgs),
    /// Post N comments that the site holds, filling the pending queue.
    SeedPending(moderation::PendingArgs),
    /// Post a generated corpus of articles (100,000 by default) through the API, several at once.
    SeedArticles(search::SeedArticlesArgs),
    /// Time many `/search?q=` requests with varied terms; print the latency percentiles.
    Search(search::SearchArgs),
    /// Print the summary tables (Markdown) from a results file.
    Report(report::ReportArgs),
    /// Print a free TCP port on 127.0.0.1.
    FreePort,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Seed(args) => runtime().and_then(|rt| rt.block_on(seed::run(args))),
        Command::Wrk(args) => runtime().and_then(|rt| rt.block_on(wrk::run(args))),
        Command::Sse(args) => runtime().and_then(|rt| rt.block_on(sse::run(args))),
        Command::ModerationSettings(args) => runtime().and_then(|rt| rt.block_on(moderation::set(args))),
        Command::SeedPending(args) => runtime().and_then(|rt| rt.block_on(moderation::seed_pending(args))),
        Command::SeedArticles(args) => runtime().and_then(|rt| rt.block_on(search::seed_articles(args))),
        Command::Search(args) => runtime().and_then(|rt| rt.block_on(search::search(args))),
        Command::Report(args) => report::run(&args),
        Command::FreePort => loopback::free_port().map(|port| println!("{port}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tribune-bench: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}
