use reqwest::{Client, Response};
use serde_json::{json, Value};
use std::sync::Arc;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tribune_store::{EventBus, LocalBus, Store};
use tribune_store_conformance::PgTestDatabase;
use tribune_store_postgres::{PgBus, PgOptions, PgStore};
use tribune_store_sqlite::SqliteStore;
use tribune_web::{AppState, SiteConfig, Templates};

/// A running Tribune on 127.0.0.1 and a random port, with its own database.
pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub admin_token: String,
    pub store: Arc<dyn Store>,
    /// Makes chosen store calls of the running app fail (`app.faults.fail("ping")`).
    pub faults: Arc<crate::Faults>,
    /// The app's outgoing mail queue.
    pub mailer: Arc<tribune_web::mail::Mailer>,
    /// The moderation use cases the app runs (decisions, settings, the digest).
    pub moderation: Arc<tribune_app::Moderation>,
    live: Arc<tribune_web::live::LiveHub>,
    /// Every route the instance serves.
    pub routes: Vec<tribune_web::routes::Route>,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    _dir: TempDir,
    // Declared last: dropped after the server stops using it.
    postgres_database: Option<PgTestDatabase>,
}

/// Which database `TestApp::spawn` uses: SQLite unless `TRIBUNE_TEST_BACKEND=postgres`,
/// so the same HTTP tests run on both (scripts/test runs them twice).
pub fn backend_is_postgres() -> bool {
    std::env::var("TRIBUNE_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

impl TestApp {
    /// A fresh database (see [`backend_is_postgres`]), default settings.
    pub async fn spawn() -> Self {
        Self::spawn_with(Self::config()).await
    }

    /// The default settings, except that tests may post comments as fast as
    /// they like (the flood limit has tests of its own).
    pub fn config() -> SiteConfig {
        SiteConfig { comments_per_minute: 1_000_000, ..SiteConfig::default() }
    }

    pub async fn spawn_with(config: SiteConfig) -> Self {
        Self::spawn_with_config_fn(|_| config).await
    }

    /// Like [`TestApp::spawn_with`], for settings that name the app's own
    /// address (`http://127.0.0.1:PORT`), such as `public_url`.
    pub async fn spawn_with_config_fn(config: impl FnOnce(&str) -> SiteConfig) -> Self {
        Self::try_spawn_with_config_fn(config).await.expect("start the app")
    }

    /// Like [`TestApp::spawn_with`], answering why the app would not start with these settings.
    pub async fn try_spawn_with(config: SiteConfig) -> Result<Self, tribune_web::StartError> {
        Self::try_spawn_with_config_fn(|_| config).await
    }

    async fn try_spawn_with_config_fn(
        config: impl FnOnce(&str) -> SiteConfig,
    ) -> Result<Self, tribune_web::StartError> {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let config = config(&format!("http://{}", listener.local_addr().expect("address")));
        let dir = tempfile::tempdir().expect("temp dir");
        if backend_is_postgres() {
            let database = PgTestDatabase::create().await;
            let (store, bus) = Self::connect_postgres(&database.url).await;
            let mut app = Self::spawn_on(store, bus, config, dir, listener).await?;
            app.postgres_database = Some(database);
            Ok(app)
        } else {
            let store = SqliteStore::open(&dir.path().join("tribune.db")).await.expect("open SQLite");
            Self::spawn_on(Arc::new(store), Arc::new(LocalBus::new()), config, dir, listener).await
        }
    }

    /// An instance on an existing PostgreSQL database, with the LISTEN/NOTIFY
    /// bus: several of these on one database behave like a scaled-out site.
    pub async fn spawn_on_postgres(url: &str, config: SiteConfig) -> Self {
        let (store, bus) = Self::connect_postgres(url).await;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        Self::spawn_on(store, bus, config, tempfile::tempdir().expect("temp dir"), listener)
            .await
            .expect("start the app")
    }

    /// An instance on an existing SQLite file (a restart of the site that used it).
    pub async fn spawn_on_sqlite(path: &std::path::Path, config: SiteConfig) -> Self {
        let store = SqliteStore::open(path).await.expect("open SQLite");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        Self::spawn_on(
            Arc::new(store),
            Arc::new(LocalBus::new()),
            config,
            tempfile::tempdir().expect("temp dir"),
            listener,
        )
        .await
        .expect("start the app")
    }

    async fn connect_postgres(url: &str) -> (Arc<dyn Store>, Arc<dyn EventBus>) {
        let store = PgStore::connect(url, PgOptions::default()).await.expect("connect to PostgreSQL");
        let bus = PgBus::start(store.pool().clone()).await.expect("listen for live events");
        (Arc::new(store), Arc::new(bus))
    }

    async fn spawn_on(
        store: Arc<dyn Store>,
        bus: Arc<dyn EventBus>,
        config: SiteConfig,
        dir: TempDir,
        listener: TcpListener,
    ) -> Result<Self, tribune_web::StartError> {
        let mut config = config;
        // Uploaded images go to this instance's temporary directory unless the test chose a store.
        if config.media.storage == tribune_web::media::MediaStorage::default() {
            config.media.storage = tribune_web::media::MediaStorage::Directory(dir.path().join("media"));
        }
        store.migrate().await.expect("migrate");
        let templates = Templates::load(None).expect("default theme");
        let faults = Arc::new(crate::Faults::default());
        let faulty = Arc::new(crate::FaultyStore::new(store.clone(), faults.clone()));
        let state = AppState::new(faulty, bus, templates, config).await?;
        let live = state.live.clone();
        let mailer = state.mailer.clone();
        let moderation = state.moderation.clone();
        let routes = tribune_web::router::routes(&state).table().to_vec();
        // Empty on a second instance of a database: the first one holds the token.
        let admin_token = tribune_web::auth::ensure_admin_token(&state).await.expect("token").unwrap_or_default();
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(tribune_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Ok(Self {
            address,
            client,
            admin_token,
            store,
            faults,
            mailer,
            moderation,
            live,
            routes,
            shutdown,
            server,
            _dir: dir,
            postgres_database: None,
        })
    }

    /// Shuts the server down as the binary does at SIGTERM; returns when `serve` has returned.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.shutdown.send(());
        self.server.await.expect("the server task")
    }

    /// Readers currently subscribed to an article's live stream on this instance.
    pub fn live_readers(&self, article: tribune_domain::ArticleId) -> usize {
        self.live.reader_count(article)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).json(body).send().await.expect("POST")
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client.post(self.url(path)).form(fields).send().await.expect("POST form")
    }

    /// A client of its own with a cookie jar: one reader's browser session.
    pub fn reader(&self) -> Client {
        Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
    }

    /// Signs `client` up as a new account; panics unless it worked.
    pub async fn sign_up(&self, client: &Client, name: &str, email: &str, password: &str) {
        let response = client
            .post(self.url("/signup"))
            .form(&[("display_name", name), ("email", email), ("password", password)])
            .send()
            .await
            .expect("POST /signup");
        assert_eq!(response.status(), 303, "signing up {email}");
    }

    pub fn article(&self) -> ArticleBuilder<'_> {
        ArticleBuilder {
            app: self,
            body: json!({
                "headline": "Test headline",
                "standfirst": "A standfirst.",
                "byline": "Test Reporter",
                "section": "News",
                "body": "Some *body* text.",
            }),
        }
    }

    /// Posts a top-level comment (or a reply) through the API; returns its id.
    pub async fn comment(&self, slug: &str, parent: Option<i64>, body: &str) -> i64 {
        let response = self
            .post_json(
                &format!("/api/v1/articles/{slug}/comments"),
                &json!({ "name": "Reader", "email": "reader@example.org", "body": body, "parent_id": parent }),
            )
            .await;
        assert_eq!(response.status(), 201, "posting a comment");
        response.json::<Value>().await.expect("json")["id"].as_i64().expect("id")
    }
}

/// A database that outlives the instances started on it, for restarts and
/// for two instances side by side: a SQLite file in a temp directory, or a
/// PostgreSQL database of its own (see [`backend_is_postgres`]).
pub enum SharedDatabase {
    Sqlite(TempDir),
    Postgres(PgTestDatabase),
}

impl SharedDatabase {
    pub async fn create() -> Self {
        if backend_is_postgres() {
            Self::Postgres(PgTestDatabase::create().await)
        } else {
            Self::Sqlite(tempfile::tempdir().expect("temp dir"))
        }
    }

    /// Starts an instance on this database.
    pub async fn spawn(&self, config: SiteConfig) -> TestApp {
        match self {
            Self::Sqlite(dir) => TestApp::spawn_on_sqlite(&dir.path().join("tribune.db"), config).await,
            Self::Postgres(database) => TestApp::spawn_on_postgres(&database.url, config).await,
        }
    }
}

/// Creates an article through the admin API.
pub struct ArticleBuilder<'a> {
    app: &'a TestApp,
    body: Value,
}

impl ArticleBuilder<'_> {
    pub fn with(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.body[field] = value.into();
        self
    }

    /// Creates it and returns its slug.
    pub async fn create(self) -> String {
        let response = self
            .app
            .client
            .post(self.app.url("/api/v1/articles"))
            .bearer_auth(&self.app.admin_token)
            .json(&self.body)
            .send()
            .await
            .expect("POST article");
        let status = response.status();
        let json: Value = response.json().await.expect("json");
        assert_eq!(status, 201, "creating an article: {json}");
        json["slug"].as_str().expect("slug").to_owned()
    }
}
