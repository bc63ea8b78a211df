//! The embedded default: SQLite in WAL mode. Writes go through one connection
//! (SQLite allows one writer at a time; queuing them here avoids busy errors),
//! reads through a pool.

mod accounts;
mod articles;
mod comments;
mod group_commit;
#[cfg(test)]
mod migration_tests;
#[cfg(test)]
mod search_plan_tests;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use tribune_store::{DbError, SettingStore, Store};
use tribune_store_sql::SqlResult;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct SqliteStore {
    reader: SqlitePool,
    writer: SqlitePool,
    comments: group_commit::CommentWriter,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://` URL.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| DbError::Unavailable(format!("invalid SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Every acknowledged write survives a power cut.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // A local file does not drop connections: skip the ping before each use.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .db()?;
        let readers = std::thread::available_parallelism().map_or(4, |n| n.get() as u32 * 2);
        let reader = SqlitePoolOptions::new()
            .max_connections(readers)
            .test_before_acquire(false)
            .connect_with(options.read_only(true))
            .await
            .db()?;
        let comments = group_commit::CommentWriter::start(writer.clone());
        Ok(Self { reader, writer, comments })
    }

    /// Opens the database file at `path`.
    pub async fn open(path: &Path) -> Result<Self, DbError> {
        Self::connect(&format!("sqlite://{}", path.display())).await
    }
}

tribune_store_sql::impl_moderation_store!(SqliteStore, sqlx::Sqlite, reader: reader, writer: writer);
tribune_store_sql::impl_perspective_store!(SqliteStore, sqlx::Sqlite, reader: reader, writer: writer);
tribune_store_sql::impl_newsroom_store!(SqliteStore, sqlx::Sqlite, reader: reader, writer: writer);
tribune_store_sql::impl_media_store!(SqliteStore, sqlx::Sqlite, reader: reader, writer: writer);
tribune_store_sql::impl_corrections_store!(SqliteStore, sqlx::Sqlite, reader: reader, writer: writer);
tribune_store_sql::impl_author_store!(SqliteStore, sqlx::Sqlite, reader: reader, writer: writer);

#[async_trait]
impl Store for SqliteStore {
    async fn migrate(&self) -> Result<(), DbError> {
        MIGRATIONS.run(&self.writer).await.map_err(|e| DbError::Other(Box::new(e)))
    }

    async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.reader).await.db()?;
        Ok(())
    }
}

#[async_trait]
impl SettingStore for SqliteStore {
    async fn setting(&self, key: &str) -> Result<Option<String>, DbError> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?1")
            .bind(key)
            .fetch_optional(&self.reader)
            .await
            .db()?)
    }

    async fn insert_setting_if_absent(&self, key: &str, value: &str) -> Result<bool, DbError> {
        let done = sqlx::query("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.writer)
            .await
            .db()?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_setting_if(&self, key: &str, value: &str) -> Result<bool, DbError> {
        let done = sqlx::query("DELETE FROM settings WHERE key = ?1 AND value = ?2")
            .bind(key)
            .bind(value)
            .execute(&self.writer)
            .await
            .db()?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_setting(&self, key: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM settings WHERE key = ?1").bind(key).execute(&self.writer).await.db()?;
        Ok(())
    }
}
