//! Throwaway PostgreSQL databases for tests: one fresh, empty database per
//! test, dropped afterwards. Independent of the storage stories, so any test
//! (the web layer's too) can run on PostgreSQL.

use sqlx::{ConnectOptions, Connection, Executor, PgConnection};
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The server's admin URL; the test databases are created through it.
pub const POSTGRES_URL_ENV: &str = "TRIBUNE_TEST_POSTGRES_URL";
/// Set to `1` to skip every PostgreSQL test (they print that they skipped).
pub const SKIP_POSTGRES_ENV: &str = "TRIBUNE_TEST_SKIP_POSTGRES";
pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a test database could not be made or dropped.
#[derive(Debug)]
pub struct PgTestError(String);

impl std::fmt::Display for PgTestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PgTestError {}

/// A fresh database named `tribune_test_…` on the test server. Dropped by
/// [`PgTestDatabase::drop_database`], or, failing that, when this value is
/// dropped (best effort, from a thread of its own).
#[derive(Debug)]
pub struct PgTestDatabase {
    /// Where to connect to the new database.
    pub url: String,
    /// The new database's name.
    pub name: String,
    admin_url: String,
    dropped: bool,
}

impl PgTestDatabase {
    /// Whether `TRIBUNE_TEST_SKIP_POSTGRES=1` asks to skip PostgreSQL tests.
    pub fn skip_requested() -> bool {
        std::env::var(SKIP_POSTGRES_ENV).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
    }

    /// The admin URL from `TRIBUNE_TEST_POSTGRES_URL`, or the local default.
    pub fn admin_url() -> String {
        std::env::var(POSTGRES_URL_ENV)
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ADMIN_URL.to_owned())
    }

    /// Creates a fresh database, or panics with a message that says how to
    /// start PostgreSQL or skip its tests.
    pub async fn create() -> Self {
        match Self::try_create().await {
            Ok(db) => db,
            Err(error) => panic!("{error}"),
        }
    }

    /// `None` (having printed so) when `TRIBUNE_TEST_SKIP_POSTGRES=1`;
    /// otherwise as [`PgTestDatabase::create`], failing loudly.
    pub async fn create_unless_skipped(test: &str) -> Option<Self> {
        if Self::skip_requested() {
            // Straight to stderr: the test harness captures `eprintln!`, and a
            // skip should be seen.
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {SKIP_POSTGRES_ENV}=1, PostgreSQL tests are not run");
            return None;
        }
        Some(Self::create().await)
    }

    /// Creates a fresh database on the server at [`PgTestDatabase::admin_url`].
    pub async fn try_create() -> Result<Self, PgTestError> {
        Self::try_create_on(&Self::admin_url()).await
    }

    /// Creates a fresh database on the server at `admin_url`.
    pub async fn try_create_on(admin_url: &str) -> Result<Self, PgTestError> {
        let name = unique_name();
        let mut url =
            url::Url::parse(admin_url).map_err(|e| PgTestError(format!("{POSTGRES_URL_ENV} is not a URL ({e})")))?;
        url.set_path(&format!("/{name}"));
        let mut admin = connect_admin(admin_url).await?;
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .map_err(|e| PgTestError(format!("cannot create test database {name}: {e}")))?;
        let _ = admin.close().await;
        Ok(Self { url: url.to_string(), name, admin_url: admin_url.to_owned(), dropped: false })
    }

    /// Drops the database now, ending any connection still open to it.
    pub async fn drop_database(mut self) -> Result<(), PgTestError> {
        self.dropped = true;
        drop_database(&self.admin_url, &self.name).await
    }
}

impl Drop for PgTestDatabase {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        self.dropped = true;
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // This may run inside an async runtime, which cannot be blocked on;
        // a thread of its own with its own runtime can.
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| PgTestError(format!("no runtime to drop {name}: {e}")))?;
            runtime.block_on(drop_database(&admin_url, &name))
        });
        match dropper.join() {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("warning: {error}"),
            Err(_) => eprintln!("warning: dropping test database {} panicked", self.name),
        }
    }
}

async fn drop_database(admin_url: &str, name: &str) -> Result<(), PgTestError> {
    let mut admin = connect_admin(admin_url).await?;
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await
        .map_err(|e| PgTestError(format!("cannot drop test database {name}: {e}")))?;
    let _ = admin.close().await;
    Ok(())
}

async fn connect_admin(admin_url: &str) -> Result<PgConnection, PgTestError> {
    let options: sqlx::postgres::PgConnectOptions =
        admin_url.parse().map_err(|e| PgTestError(format!("{POSTGRES_URL_ENV} is not a PostgreSQL URL ({e})")))?;
    let place = format!("{}:{}", options.get_host(), options.get_port());
    let unreachable = |why: String| {
        PgTestError(format!(
            "PostgreSQL for tests is unreachable at {place} ({why}). Start it, point \
             {POSTGRES_URL_ENV} at a server whose user may create databases \
             (default {DEFAULT_ADMIN_URL}), or set {SKIP_POSTGRES_ENV}=1 to skip \
             the PostgreSQL tests."
        ))
    };
    tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
        .await
        .map_err(|_| unreachable(format!("no answer within {CONNECT_TIMEOUT:?}")))?
        .map_err(|e| unreachable(e.to_string()))
}

/// `tribune_test_` and a suffix unique across processes and calls: a plain
/// lower-case identifier, so it needs no quoting.
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("tribune_test_{:x}_{nanos:x}_{n}", std::process::id())
}
