//! The `tribune` binary's library: layered configuration, subcommands, the
//! choice of storage backend, and the demo site.

mod api_keys_cli;
pub mod cli;
pub mod config;
pub mod demo;
pub mod logging;
pub mod moderation_cli;
mod retrain_cli;
mod retrain_schedule;
mod serve;
pub mod storage;
mod users;

use cli::{ArticleCommand, Cli, Command};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = match cli.command.unwrap_or(Command::Serve) {
        // The scorer's tools need no configuration or database; its API keys do.
        Command::Moderation(moderation_cli::ModerationCommand::ApiKey { command }) => {
            let config = config::Config::load(&cli.global)?;
            return api_keys_cli::run(&config, command).await;
        }
        Command::Moderation(moderation_cli::ModerationCommand::Retrain { data }) => {
            let config = config::Config::load(&cli.global)?;
            return retrain_cli::retrain_site_model(&config, &data).await;
        }
        Command::Moderation(moderation_cli::ModerationCommand::Restore) => {
            return retrain_cli::restore_site_model(&config::Config::load(&cli.global)?);
        }
        Command::Moderation(command) => return moderation_cli::run(command),
        other => other,
    };
    let config = config::Config::load(&cli.global)?;
    match command {
        Command::Serve => serve::serve(config).await,
        Command::Migrate => {
            let store = storage::open(&config).await?;
            store.migrate().await?;
            println!("The database schema is up to date.");
            Ok(())
        }
        Command::Article(ArticleCommand::New { file }) => serve::publish_file(&config, &file).await,
        Command::User(command) => users::run(&config, command).await,
        Command::Moderation(_) => unreachable!("handled above"),
    }
}
