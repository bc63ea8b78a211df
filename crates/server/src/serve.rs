use crate::config::Config;
use crate::{demo, storage};
use anyhow::{bail, Context};
use std::path::Path;
use tokio::net::TcpListener;
use tribune_domain::article::ArticleFields;
use tribune_domain::Timestamp;
use tribune_store::DbError;
use tribune_web::{AppState, Templates};

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let templates = Templates::load(config.theme_dir.as_deref()).context("the theme has an error")?;
    let storage::Backend { store, bus } = storage::open_backend(&config, true).await?;
    store.migrate().await.context("cannot bring the database schema up to date")?;
    if config.demo && store.count_articles().await? == 0 {
        match demo::seed(store.as_ref()).await {
            Ok(()) => tracing::info!("created the demo article"),
            // Another instance starting beside this one got there first.
            Err(DbError::Conflict { .. }) => {}
            Err(error) => return Err(error).context("cannot create the demo content"),
        }
    }
    let state =
        AppState::new(store.clone(), bus, templates, config.site.clone()).await.context("cannot start the site")?;
    let moderation = &config.site.moderation;
    if let (Some(schedule), Some(file)) = (&moderation.retrain, &moderation.model_file) {
        crate::retrain_schedule::start(store, file.clone(), schedule.clone());
    }
    if let Some(token) = tribune_web::auth::ensure_admin_token(&state).await? {
        println!("Admin API token (shown once, keep it safe): {token}");
    }
    let listener =
        TcpListener::bind(config.listen).await.with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(database = %config.redacted_database_url(), "storage ready");
    if let Some(invite) = tribune_web::accounts::links::first_admin_invite(state.store.as_ref()).await? {
        println!(
            "No accounts yet. Create the first admin (the link works once): http://{address}/signup?invite={invite}"
        );
    }
    println!("Tribune is running at http://{address}/");
    tribune_web::serve(listener, state, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// `tribune article new FILE.md`.
pub async fn publish_file(config: &Config, file: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let article = ArticleFields::from_markdown_file(&text)
        .and_then(|fields| fields.parse(Timestamp::now()))
        .map_err(|errors| anyhow::anyhow!("{} is not a valid article: {errors}", file.display()))?;
    let store = storage::open(config).await?;
    store.migrate().await?;
    match store.create_article(&article).await {
        Ok(stored) => {
            println!("Published “{}” at /articles/{}", stored.headline, stored.slug);
            Ok(())
        }
        Err(DbError::Conflict { .. }) => {
            bail!(
                "an article with the slug \"{}\" already exists; set another `slug:` in the front matter",
                article.slug
            )
        }
        Err(other) => Err(other.into()),
    }
}
