//! `tribune`: a thin entry point over the `tribune_server` library.

use clap::Parser;
use std::process::ExitCode;
use tribune_server::cli::Cli;

/// mimalloc instead of the system allocator: a cached page's request makes
/// a few dozen small allocations, and glibc's malloc and free were about
/// 8 % of the server's CPU under load (docs/benchmarks.md, home page).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tribune_server::logging::init();
    match tribune_server::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
