//! `tribune user …`: accounts from the command line, for the first admin and
//! for sites without a mail server.

use crate::cli::UserCommand;
use crate::config::Config;
use crate::storage;
use anyhow::{bail, Context};
use std::io::Read;
use tribune_domain::account::Role;
use tribune_store::DbError;
use tribune_web::AppError;

pub async fn run(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let store = storage::open(config).await?;
    store.migrate().await?;
    match command {
        UserCommand::Create { email, name, role, password_stdin } => {
            let role = Role::parse(&role).map_err(|e| anyhow::anyhow!(e.message))?;
            let password = if password_stdin {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).context("cannot read the password from standard input")?;
                text.trim_end_matches(['\r', '\n']).to_owned()
            } else {
                bail!("give the password on standard input with --password-stdin (it never goes in a flag or the shell history)")
            };
            match tribune_web::accounts::create_account(store.as_ref(), &name, &email, &password, role).await {
                Ok(user) => {
                    println!("Created {} ({}) as {}.", user.display_name, user.email, role.as_str());
                    Ok(())
                }
                Err(AppError::Validation(errors)) => bail!("cannot create the account: {errors}"),
                Err(other) => bail!("cannot create the account: {other}"),
            }
        }
        UserCommand::SetRole { email, role } => {
            let role = Role::parse(&role).map_err(|e| anyhow::anyhow!(e.message))?;
            let user = find(store.as_ref(), &email).await?;
            store.set_role(user.id, role).await?;
            println!("{} is now {}.", user.email, role.as_str());
            Ok(())
        }
        UserCommand::SignInLink { email } => {
            let user = find(store.as_ref(), &email).await?;
            let path = tribune_web::accounts::links::issue_sign_in_link(store.as_ref(), user.id).await?;
            // `public_url` when set, else the listen address: a link to open as it is.
            let link = format!("{}{path}", config.site.public_url.trim_end_matches('/'));
            println!("Open this within 24 hours to sign in as {} (it works once): {link}", user.email);
            Ok(())
        }
        UserCommand::Suspend { email } => set_suspended(store.as_ref(), &email, true).await,
        UserCommand::Reinstate { email } => set_suspended(store.as_ref(), &email, false).await,
        UserCommand::SignOutEverywhere { email } => {
            let user = find(store.as_ref(), &email).await?;
            let ended = store.delete_user_sessions(user.id).await?;
            println!("Ended {ended} session(s) of {}.", user.email);
            Ok(())
        }
    }
}

async fn set_suspended(store: &dyn tribune_store::Store, email: &str, suspended: bool) -> anyhow::Result<()> {
    let user = find(store, email).await?;
    store.set_suspended(user.id, suspended).await?;
    println!("{} is {}.", user.email, if suspended { "suspended" } else { "reinstated" });
    Ok(())
}

async fn find(store: &dyn tribune_store::Store, email: &str) -> anyhow::Result<tribune_store::User> {
    match store.user_by_email(&email.trim().to_lowercase()).await {
        Ok(user) => Ok(user),
        Err(DbError::NotFound) => bail!("no account has the e-mail address {email}"),
        Err(other) => Err(other.into()),
    }
}
