//! `tribune`: a thin entry point over the `tribune_server` library.

use clap::Parser;
use std::process::ExitCode;
use tribune_server::cli::Cli;

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
