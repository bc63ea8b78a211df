//! PostgreSQL storage, for sites that run several `tribune serve` instances
//! against one database. Behaves exactly as the SQLite store does; the
//! conformance suite (`tribune-store-conformance`) holds both to that.

mod accounts;
mod articles;
mod bus;
mod comments;

pub use bus::PgBus;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;
use tribune_store::{DbError, SettingStore, Store};
use tribune_store_sql::SqlResult;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How the pool behaves; `Default` suits one instance on a small server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgOptions {
    /// Connections this instance keeps open at most.
    pub max_connections: u32,
    /// How long a request waits for a free connection before the database
    /// counts as unavailable.
    pub acquire_timeout: Duration,
    /// How long the first connection may take before `connect` gives up.
    pub connect_timeout: Duration,
    /// The server cancels any statement running longer than this; zero
    /// means never. Migrations run without it.
    pub statement_timeout: Duration,
}

impl Default for PgOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(30),
        }
    }
}

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database at a `postgres://` URL. An unreachable or
    /// refusing server, or one that does not answer within
    /// `connect_timeout`, is `DbError::Unavailable` naming host and port
    /// (never the password).
    pub async fn connect(url: &str, options: PgOptions) -> Result<Self, DbError> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(DbError::Unavailable(
                "invalid PostgreSQL URL: it must start with postgres:// or postgresql://".into(),
            ));
        }
        let mut connect = PgConnectOptions::from_str(url)
            .map_err(|e| DbError::Unavailable(format!("invalid PostgreSQL URL: {e}")))?
            .options([("statement_timeout", options.statement_timeout.as_millis().to_string())]);
        if connect.get_application_name().is_none() {
            connect = connect.application_name("tribune");
        }
        let place = format!(
            "PostgreSQL at {}:{}/{}",
            connect.get_host(),
            connect.get_port(),
            connect.get_database().unwrap_or_default()
        );
        let unavailable = |e: sqlx::Error| DbError::Unavailable(format!("cannot connect to {place}: {e}"));

        // One plain connection first: the pool would retry a refused
        // connection until its acquire timeout and then report only that it
        // timed out, hiding why.
        let probe = tokio::time::timeout(options.connect_timeout, connect.connect())
            .await
            .map_err(|_| DbError::Unavailable(format!("{place} did not answer within {:?}", options.connect_timeout)))?
            .map_err(unavailable)?;
        if let Err(error) = probe.close().await {
            tracing::debug!(%error, "closing the probe connection");
        }

        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect)
            .await
            .map_err(unavailable)?;
        Ok(Self { pool })
    }

    /// The pool, for what the storage traits do not cover (such as
    /// `LISTEN/NOTIFY` for the live bus).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

tribune_store_sql::impl_moderation_store!(PgStore, sqlx::Postgres, reader: pool, writer: pool);
tribune_store_sql::impl_perspective_store!(PgStore, sqlx::Postgres, reader: pool, writer: pool);
tribune_store_sql::impl_newsroom_store!(PgStore, sqlx::Postgres, reader: pool, writer: pool);
tribune_store_sql::impl_media_store!(PgStore, sqlx::Postgres, reader: pool, writer: pool);
tribune_store_sql::impl_corrections_store!(PgStore, sqlx::Postgres, reader: pool, writer: pool);
tribune_store_sql::impl_author_store!(PgStore, sqlx::Postgres, reader: pool, writer: pool);

#[async_trait]
impl Store for PgStore {
    async fn migrate(&self) -> Result<(), DbError> {
        // The migrator takes an advisory lock, so instances starting together
        // migrate one at a time. A migration may run longer than a request's
        // statement timeout, so this one connection lifts it meanwhile.
        let mut conn = self.pool.acquire().await.db()?;
        sqlx::query("SET statement_timeout = 0").execute(&mut *conn).await.db()?;
        let migrated = MIGRATIONS.run_direct(&mut *conn).await;
        // A failed run may leave the migrator's session lock held; and a
        // connection without its timeout must not go back to the pool.
        let reset = sqlx::query("RESET statement_timeout").execute(&mut *conn).await;
        if migrated.is_err() || reset.is_err() {
            if let Err(error) = conn.close().await {
                tracing::debug!(%error, "closing the migration connection");
            }
        }
        migrated.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(e) => tribune_store_sql::db_error(e),
            other => DbError::Other(Box::new(other)),
        })
    }

    async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.db()?;
        Ok(())
    }
}

#[async_trait]
impl SettingStore for PgStore {
    async fn setting(&self, key: &str) -> Result<Option<String>, DbError> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .db()?)
    }

    async fn insert_setting_if_absent(&self, key: &str, value: &str) -> Result<bool, DbError> {
        let done = sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_setting_if(&self, key: &str, value: &str) -> Result<bool, DbError> {
        let done = sqlx::query("DELETE FROM settings WHERE key = $1 AND value = $2")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_setting(&self, key: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM settings WHERE key = $1").bind(key).execute(&self.pool).await.db()?;
        Ok(())
    }
}
