//! `tribune moderation api-key …`: keys for the Perspective-compatible
//! endpoint from the command line. A new key is printed once; only its hash
//! is kept.

use crate::config::Config;
use crate::storage;
use anyhow::bail;
use clap::Subcommand;
use std::sync::Arc;
use tribune_app::perspective::{KeyError, Perspective};
use tribune_moderation::scorer::Model;
use tribune_store::{Actor, DbError};

/// The audit log's name for changes made here.
const CLI_ACTOR: &str = "Command line";

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key and print it (the only time it is shown).
    Create { name: String },
    /// List the keys (never the keys themselves).
    List,
    /// Revoke a key by its id; clients using it are refused from now on.
    Revoke { id: i64 },
}

pub async fn run(config: &Config, command: ApiKeyCommand) -> anyhow::Result<()> {
    let store = storage::open(config).await?;
    store.migrate().await?;
    let perspective = Perspective::new(store.clone(), Arc::new(Model::default_model().clone()));
    let actor = Actor { id: None, name: CLI_ACTOR.to_owned() };
    match command {
        ApiKeyCommand::Create { name } => match perspective.create_key(&name, &actor).await {
            Ok(issued) => {
                println!("Created API key {} ({}). It is shown this once:", issued.key.id, issued.key.name);
                println!("{}", issued.expose());
                Ok(())
            }
            Err(KeyError::BadName) => bail!("{}", KeyError::BadName),
            Err(KeyError::Store(error)) => Err(error.into()),
        },
        ApiKeyCommand::List => {
            let keys = store.api_keys().await?;
            if keys.is_empty() {
                println!("No API keys yet; create one with `tribune moderation api-key create NAME`.");
            }
            for key in keys {
                let state = match key.revoked_at {
                    Some(at) => format!("revoked {}", at.human()),
                    None => "active".to_owned(),
                };
                println!(
                    "{}\t{}\t{}\tcreated {} by {}",
                    key.id,
                    key.name,
                    state,
                    key.created_at.human(),
                    key.created_by
                );
            }
            Ok(())
        }
        ApiKeyCommand::Revoke { id } => match perspective.revoke_key(id, &actor).await {
            Ok(()) => {
                println!("API key {id} is revoked.");
                Ok(())
            }
            Err(DbError::NotFound) => bail!("there is no API key {id}; `tribune moderation api-key list` shows them"),
            Err(error) => Err(error.into()),
        },
    }
}
