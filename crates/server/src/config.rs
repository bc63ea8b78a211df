//! Layered configuration: defaults, then `tribune.toml`, then `TRIBUNE_*`
//! variables and flags. Unknown keys in the file are errors.

mod media;
mod moderation;

use crate::cli::GlobalArgs;
use anyhow::{bail, Context};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tribune_web::secret::Secret;
use tribune_web::SiteConfig;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<Secret<String>>,
    theme_dir: Option<PathBuf>,
    demo: Option<bool>,
    site: Option<SiteSection>,
    comments: Option<CommentsSection>,
    database: Option<DatabaseSection>,
    limits: Option<LimitsSection>,
    sso: Option<SsoSection>,
    oidc: Option<OidcSection>,
    smtp: Option<SmtpSection>,
    connections: Option<ConnectionsSection>,
    moderation: Option<moderation::ModerationSection>,
    newsroom: Option<NewsroomSection>,
    media: Option<media::MediaSection>,
    /// The site's address as readers reach it, for links in e-mails.
    public_url: Option<String>,
}

/// Outgoing mail.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmtpSection {
    host: String,
    port: Option<u16>,
    /// none, starttls (default) or tls
    security: Option<String>,
    username: Option<String>,
    password: Option<Secret<String>>,
    from: String,
}

/// The newsroom's scheduler.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewsroomSection {
    /// How often each instance looks for scheduled articles that are due.
    schedule_poll_secs: Option<u64>,
}

/// How long a connection may keep the server waiting.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnectionsSection {
    /// For a request's headers to arrive.
    header_read_timeout_secs: Option<u64>,
    /// Idle between two requests on a kept-alive connection.
    keep_alive_timeout_secs: Option<u64>,
    /// At shutdown, for open connections (live streams) to finish.
    shutdown_grace_secs: Option<u64>,
}

/// Signed-token single sign-on.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SsoSection {
    jwt_secret: Option<Secret<String>>,
}

/// Sign-in with an OpenID Connect provider.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OidcSection {
    issuer: String,
    client_id: String,
    client_secret: Secret<String>,
    /// Shown on the button: "Sign in with …".
    display_name: String,
}

impl OidcSection {
    fn check(self) -> anyhow::Result<tribune_web::accounts::oidc::OidcConfig> {
        match url::Url::parse(&self.issuer) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {}
            Ok(_) => bail!("oidc.issuer must be an http:// or https:// URL, not {:?}", self.issuer),
            Err(e) => bail!("oidc.issuer is not a URL ({e}): {:?}", self.issuer),
        }
        for (value, name) in [
            (&self.client_id, "client_id"),
            (self.client_secret.expose(), "client_secret"),
            (&self.display_name, "display_name"),
        ] {
            if value.trim().is_empty() {
                bail!("oidc.{name} must not be empty");
            }
        }
        Ok(tribune_web::accounts::oidc::OidcConfig {
            issuer: self.issuer,
            client_id: self.client_id,
            client_secret: self.client_secret,
            display_name: self.display_name.trim().to_owned(),
        })
    }
}

/// PostgreSQL pool settings (SQLite needs none).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatabaseSection {
    max_connections: Option<u32>,
    statement_timeout_secs: Option<u64>,
    acquire_timeout_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteSection {
    name: Option<String>,
    secure_cookies: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsSection {
    sign_ins_per_minute: Option<u32>,
    sign_ups_per_hour: Option<u32>,
    emails_per_hour: Option<u32>,
    comments_per_minute: Option<u32>,
    analyses_per_minute: Option<u32>,
    trust_forwarded_for: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentsSection {
    max_chars: Option<usize>,
    max_depth: Option<u32>,
    per_page: Option<u32>,
    guests_may_comment: Option<bool>,
    /// "anonymize" (default) or "remove": a deleted account's comments.
    deleted_account: Option<String>,
}

/// The database URL: `Debug` shows it with its password replaced.
#[derive(Clone)]
pub struct DatabaseUrl(Secret<String>);

impl DatabaseUrl {
    pub fn new(url: String) -> Self {
        Self(Secret::new(url))
    }

    /// The URL with its password, for connecting.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The URL without any password, for logs and messages.
    pub fn redacted(&self) -> String {
        match url::Url::parse(self.expose()) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("***"));
                url.to_string()
            }
            // A URL that does not parse may still hold a password: show only its scheme.
            Ok(_) => self.expose().to_owned(),
            Err(_) => format!("{}://…", self.expose().split("://").next().unwrap_or("?")),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: DatabaseUrl,
    pub theme_dir: Option<PathBuf>,
    pub demo: bool,
    pub site: SiteConfig,
    pub postgres: tribune_store_postgres::PgOptions,
}

impl Config {
    pub fn load(args: &GlobalArgs) -> anyhow::Result<Self> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None if Path::new("tribune.toml").exists() => read_file(Path::new("tribune.toml"))?,
            None => FileConfig::default(),
        };
        let data_dir = args.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("tribune-data"));
        let database_url = DatabaseUrl::new(
            args.database_url
                .as_ref()
                .or(file.database_url.as_ref())
                .map(|url| url.expose().clone())
                .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("tribune.db").display())),
        );
        let mut site = SiteConfig::default();
        if let Some(section) = file.site {
            if let Some(name) = section.name {
                site.site_name = name;
            }
            site.secure_cookies = section.secure_cookies.unwrap_or(site.secure_cookies);
        }
        if let Some(smtp) = file.smtp {
            let security = smtp.security.unwrap_or_else(|| "starttls".to_owned());
            let port = smtp.port.unwrap_or(match security.as_str() {
                "tls" => 465,
                "none" => 25,
                _ => 587,
            });
            let smtp = tribune_web::mail::SmtpConfig {
                host: smtp.host,
                port,
                security,
                username: smtp.username,
                password: smtp.password,
                from: smtp.from,
            };
            smtp.check()?;
            site.smtp = Some(smtp);
        }
        if let Some(secret) = file.sso.and_then(|s| s.jwt_secret) {
            if secret.expose().len() < 32 {
                bail!("sso.jwt_secret must be at least 32 characters");
            }
            site.sso_jwt_secret = Some(secret);
        }
        if let Some(oidc) = file.oidc {
            site.oidc = Some(oidc.check()?);
        }
        if let Some(limits) = file.limits {
            for (value, name) in [
                (limits.sign_ins_per_minute, "sign_ins_per_minute"),
                (limits.sign_ups_per_hour, "sign_ups_per_hour"),
                (limits.emails_per_hour, "emails_per_hour"),
                (limits.analyses_per_minute, "analyses_per_minute"),
            ] {
                if value == Some(0) {
                    bail!("limits.{name} must be at least 1");
                }
            }
            site.sign_ins_per_minute = limits.sign_ins_per_minute.unwrap_or(site.sign_ins_per_minute);
            site.sign_ups_per_hour = limits.sign_ups_per_hour.unwrap_or(site.sign_ups_per_hour);
            site.emails_per_hour = limits.emails_per_hour.unwrap_or(site.emails_per_hour);
            site.comments_per_minute = limits.comments_per_minute.unwrap_or(site.comments_per_minute);
            site.analyses_per_minute = limits.analyses_per_minute.unwrap_or(site.analyses_per_minute);
            site.trust_forwarded_for = limits.trust_forwarded_for.unwrap_or(site.trust_forwarded_for);
        }
        if let Some(comments) = file.comments {
            if let Some(max) = comments.max_chars {
                if max == 0 {
                    bail!("comments.max_chars must be at least 1");
                }
                site.max_comment_chars = max;
            }
            if let Some(depth) = comments.max_depth {
                if depth == 0 {
                    bail!("comments.max_depth must be at least 1 (1 turns threading off)");
                }
                site.max_depth = depth;
            }
            if let Some(per_page) = comments.per_page {
                if !(1..=500).contains(&per_page) {
                    bail!("comments.per_page must be between 1 and 500");
                }
                site.comments_per_page = per_page;
            }
            site.guests_may_comment = comments.guests_may_comment.unwrap_or(site.guests_may_comment);
            site.deleted_account_comments = match comments.deleted_account.as_deref() {
                None | Some("anonymize") => tribune_store::DeletedComments::Anonymize,
                Some("remove") => tribune_store::DeletedComments::Remove,
                Some(other) => bail!("comments.deleted_account must be \"anonymize\" or \"remove\", not {other:?}"),
            };
        }
        if let Some(connections) = file.connections {
            for (value, name, slot) in [
                (connections.header_read_timeout_secs, "header_read_timeout_secs", &mut site.header_read_timeout),
                (connections.keep_alive_timeout_secs, "keep_alive_timeout_secs", &mut site.keep_alive_timeout),
                (connections.shutdown_grace_secs, "shutdown_grace_secs", &mut site.shutdown_grace),
            ] {
                match value {
                    Some(0) => bail!("connections.{name} must be at least 1"),
                    Some(secs) => *slot = Duration::from_secs(secs),
                    None => {}
                }
            }
        }
        if let Some(section) = file.moderation {
            site.moderation = section.check()?;
        }
        match file.newsroom.and_then(|n| n.schedule_poll_secs) {
            Some(0) => bail!("newsroom.schedule_poll_secs must be at least 1"),
            Some(secs) => site.schedule_poll = Duration::from_secs(secs),
            None => {}
        }
        site.media = file.media.unwrap_or_default().check(&data_dir)?;
        let mut postgres = tribune_store_postgres::PgOptions::default();
        if let Some(database) = file.database {
            if let Some(max) = database.max_connections {
                if max == 0 {
                    bail!("database.max_connections must be at least 1");
                }
                postgres.max_connections = max;
            }
            if let Some(secs) = database.statement_timeout_secs {
                postgres.statement_timeout = std::time::Duration::from_secs(secs);
            }
            if let Some(secs) = database.acquire_timeout_secs {
                postgres.acquire_timeout = std::time::Duration::from_secs(secs.max(1));
            }
        }
        let listen = args.listen.or(file.listen).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        site.public_url = match file.public_url {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => url,
            Some(url) => bail!("public_url must start with http:// or https://, not {url:?}"),
            None => format!("http://{listen}"),
        };
        Ok(Self {
            postgres,
            listen,
            data_dir,
            database_url,
            theme_dir: args.theme_dir.clone().or(file.theme_dir),
            demo: !args.no_demo && file.demo.unwrap_or(true),
            site,
        })
    }

    /// The database URL without any password, for logs and messages.
    pub fn redacted_database_url(&self) -> String {
        self.database_url.redacted()
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid configuration in {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tribune_web::media::MediaStorage;

    fn load(toml: &str) -> anyhow::Result<Config> {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), toml).unwrap();
        Config::load(&GlobalArgs { config: Some(file.path().to_owned()), ..Default::default() })
    }

    #[test]
    fn defaults_put_sqlite_in_the_data_directory() {
        let config = load("").unwrap();
        assert_eq!(config.database_url.expose(), "sqlite://tribune-data/tribune.db");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn images_go_to_the_data_directory_or_a_bucket_with_its_keys() {
        let config = load("").unwrap();
        assert_eq!(config.site.media.storage, MediaStorage::Directory(PathBuf::from("tribune-data/media")));
        let toml = "[media]\nstore = 's3://news?endpoint=http://127.0.0.1:9000&region=eu-west-1'\n\
            access_key_id = 'AKIA'\nsecret_access_key = 's3-hunter2'\nmax_upload_bytes = 2048\nmax_pixels = 1000\n";
        let config = load(toml).unwrap();
        assert!(
            matches!(&config.site.media.storage, MediaStorage::S3 { access_key_id, .. } if access_key_id == "AKIA")
        );
        assert_eq!((config.site.media.limits.max_bytes, config.site.media.limits.max_pixels), (2048, 1000));
        assert!(!format!("{:?}", config.site).contains("hunter2"), "the secret key never prints");
        for (toml, says) in [
            ("[media]\nstore = 's3://news?endpoint=http://127.0.0.1:9000'\n", "access_key_id"),
            ("[media]\nstore = 's3://news'\naccess_key_id = 'a'\nsecret_access_key = 'b'\n", "endpoint"),
            ("[media]\nstore = 'ftp://files'\n", "directory or an s3://"),
            ("[media]\nmax_upload_bytes = 1\n", "max_upload_bytes"),
        ] {
            let error = format!("{:#}", load(toml).unwrap_err());
            assert!(error.contains(says), "{toml}: {error}");
        }
    }

    #[test]
    fn an_unknown_key_is_an_error() {
        let error = load("colour = 'red'\n").unwrap_err();
        assert!(format!("{error:#}").contains("colour"), "{error:#}");
    }

    #[test]
    fn file_values_are_read_and_checked() {
        let config = load("[comments]\nmax_depth = 3\nmax_chars = 500\n[database]\nmax_connections = 4\n").unwrap();
        assert_eq!(config.postgres.max_connections, 4);
        let members = load("[site]\nsecure_cookies = true\n[limits]\nsign_ins_per_minute = 3\n[comments]\nguests_may_comment = false\n").unwrap();
        assert!(members.site.secure_cookies && !members.site.guests_may_comment);
        assert_eq!(members.site.sign_ins_per_minute, 3);
        assert!(load("[limits]\nsign_ups_per_hour = 0\n").is_err());
        let mail = load("public_url = \"https://news.example.org\"\n[smtp]\nhost = \"mail.example.org\"\nfrom = \"News <news@example.org>\"\n").unwrap();
        assert_eq!(mail.site.smtp.as_ref().map(|s| (s.port, s.security.as_str())), Some((587, "starttls")));
        assert_eq!(mail.site.public_url, "https://news.example.org");
        assert!(load("[smtp]\nhost = \"h\"\nfrom = \"not an address\"\n").is_err());
        assert_eq!(config.site.max_depth, 3);
        assert_eq!(config.site.max_comment_chars, 500);
        assert!(load("[comments]\nmax_depth = 0\n").is_err());
    }

    #[test]
    fn an_oidc_section_is_checked() {
        let section = |issuer: &str, secret: &str| {
            format!(
                "[oidc]\nissuer = \"{issuer}\"\nclient_id = \"tribune\"\nclient_secret = \"{secret}\"\ndisplay_name = \"Example ID\"\n"
            )
        };
        let config = load(&section("https://id.example.org", "s3cret")).unwrap();
        let oidc = config.site.oidc.unwrap();
        assert_eq!((oidc.issuer.as_str(), oidc.display_name.as_str()), ("https://id.example.org", "Example ID"));
        assert!(load("").unwrap().site.oidc.is_none());
        let error = |toml: &str| format!("{:#}", load(toml).unwrap_err());
        assert!(error(&section("not a url", "s3cret")).contains("oidc.issuer is not a URL"));
        assert!(error(&section("ftp://id.example.org", "s3cret")).contains("http:// or https://"));
        assert!(error(&section("https://id.example.org", "")).contains("oidc.client_secret must not be empty"));
        assert!(error("[oidc]\nissuer = \"https://id.example.org\"\n").contains("client_id"));
        assert!(error(&format!("{}colour = \"red\"\n", section("https://id.example.org", "s"))).contains("colour"));
    }

    #[test]
    fn passwords_are_redacted() {
        let config = load("database_url = 'postgres://tribune:secret@db.internal/tribune'\n").unwrap();
        assert!(!config.redacted_database_url().contains("secret"));
    }

    #[test]
    fn no_secret_shows_in_debug_output() {
        let toml = "database_url = 'postgres://tribune:db-hunter2@db.internal/tribune'\n\
            [sso]\njwt_secret = 'sso-hunter2-sso-hunter2-sso-hunter2-xx'\n\
            [oidc]\nissuer = 'https://id.example.org'\nclient_id = 'tribune'\nclient_secret = 'oidc-hunter2'\ndisplay_name = 'ID'\n\
            [smtp]\nhost = 'mail.example.org'\nfrom = 'News <news@example.org>'\nusername = 'news'\npassword = 'smtp-hunter2'\n";
        let config = load(toml).unwrap();
        assert_eq!(config.database_url.expose(), "postgres://tribune:db-hunter2@db.internal/tribune");
        assert_eq!(config.site.sso_jwt_secret.as_ref().unwrap().expose(), "sso-hunter2-sso-hunter2-sso-hunter2-xx");
        let shown = format!("{config:?} {:#?}", config.site);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://tribune:***@db.internal/tribune"), "the URL is still recognisable: {shown}");
        let file: FileConfig = toml::from_str(toml).unwrap();
        assert!(!format!("{file:?}").contains("hunter2"));
        // A URL the parser cannot read is shown by its scheme alone.
        assert_eq!(DatabaseUrl::new("postgres://u:p@[bad".to_owned()).redacted(), "postgres://…");
    }

    #[test]
    fn the_schedule_poll_is_read_and_checked() {
        let config = load("[newsroom]\nschedule_poll_secs = 2\n").unwrap();
        assert_eq!(config.site.schedule_poll, Duration::from_secs(2));
        let error = format!("{:#}", load("[newsroom]\nschedule_poll_secs = 0\n").unwrap_err());
        assert!(error.contains("newsroom.schedule_poll_secs must be at least 1"), "{error}");
    }

    #[test]
    fn connection_timeouts_are_read_and_checked() {
        let config = load("[connections]\nheader_read_timeout_secs = 5\nkeep_alive_timeout_secs = 20\n").unwrap();
        assert_eq!(config.site.header_read_timeout, Duration::from_secs(5));
        assert_eq!(config.site.keep_alive_timeout, Duration::from_secs(20));
        assert_eq!(config.site.shutdown_grace, SiteConfig::default().shutdown_grace);
        let error = format!("{:#}", load("[connections]\nkeep_alive_timeout_secs = 0\n").unwrap_err());
        assert!(error.contains("connections.keep_alive_timeout_secs must be at least 1"), "{error}");
    }

    #[test]
    fn the_moderation_section_paces_deliveries_and_names_the_external_webhook() {
        let config = load(
            "[moderation]\ndigest_check_secs = 30\nwebhook_poll_secs = 2\nwebhook_timeout_secs = 5\n\
             webhook_retry_base_secs = 10\nwebhook_lease_secs = 20\n\
             [moderation.webhook]\nurl = \"https://mod.example.org/check\"\nsecret = \"sixteen-chars-hunter2\"\n",
        )
        .unwrap();
        let moderation = &config.site.moderation;
        assert_eq!(moderation.digest_check_secs, 30);
        let delivery = moderation.delivery;
        assert_eq!(
            (delivery.poll, delivery.timeout, delivery.retry_base, delivery.lease),
            (Duration::from_secs(2), Duration::from_secs(5), Duration::from_secs(10), Duration::from_secs(20))
        );
        let webhook = moderation.webhook.as_ref().unwrap();
        assert_eq!((webhook.url.as_str(), webhook.timeout_ms), ("https://mod.example.org/check", 2000));
        assert!(!format!("{config:?}").contains("hunter2"), "the secret stays out of Debug");
        assert!(load("").unwrap().site.moderation.webhook.is_none());
    }

    #[test]
    fn a_retrain_schedule_needs_its_model_file_and_data() {
        let data = std::env::temp_dir();
        let data = data.display();
        let config = load(&format!(
            "[moderation]\nmodel_file = \"m.model\"\nretrain_every_hours = 168\ntraining_data = \"{data}\"\n"
        ))
        .unwrap();
        let schedule = config.site.moderation.retrain.unwrap();
        assert_eq!((schedule.every.as_secs(), schedule.check.as_secs()), (168 * 3600, 600));
        assert_eq!(load("").unwrap().site.moderation.model_check_secs, 60);
        for (toml, named) in [
            (format!("[moderation]\nretrain_every_hours = 1\ntraining_data = \"{data}\"\n"), "model_file"),
            ("[moderation]\nmodel_file = \"m\"\nretrain_every_hours = 1\n".to_owned(), "training_data"),
            (
                "[moderation]\nmodel_file = \"m\"\nretrain_every_hours = 1\ntraining_data = \"/no/such/dir\"\n"
                    .to_owned(),
                "not a directory",
            ),
            (
                format!("[moderation]\nmodel_file = \"m\"\nretrain_every_hours = 0\ntraining_data = \"{data}\"\n"),
                "at least 1",
            ),
            (format!("[moderation]\ntraining_data = \"{data}\"\n"), "retrain_every_hours"),
            ("[moderation]\nmodel_check_secs = 0\n".to_owned(), "model_check_secs"),
        ] {
            let error = format!("{:#}", load(&toml).unwrap_err());
            assert!(error.contains(named), "{toml}: {error}");
        }
    }

    #[test]
    fn scoring_is_on_unless_turned_off() {
        assert!(load("").unwrap().site.moderation.scoring);
        assert!(!load("[moderation]\nscoring = false\n").unwrap().site.moderation.scoring);
        assert!(format!("{:#}", load("[moderation]\nscoring = \"no\"\n").unwrap_err()).contains("scoring"));
    }

    #[test]
    fn wrong_moderation_settings_stop_the_start_with_the_reason() {
        let error = |toml: &str| format!("{:#}", load(toml).unwrap_err());
        let webhook = |url: &str, secret: &str, extra: &str| {
            format!("[moderation.webhook]\nurl = \"{url}\"\nsecret = \"{secret}\"\n{extra}")
        };
        let secret = "a-secret-of-16-chars";
        assert!(error("[moderation]\ncolour = 1\n").contains("colour"));
        assert!(error(&webhook("https://m.example.org", secret, "retries = 3\n")).contains("retries"));
        assert!(
            error("[moderation]\ndigest_check_secs = 0\n").contains("moderation.digest_check_secs must be at least 1")
        );
        assert!(error("[moderation]\nwebhook_retry_base_secs = 0\n").contains("webhook_retry_base_secs"));
        assert!(error("[moderation]\nwebhook_timeout_secs = 60\n").contains("must be longer than webhook_timeout_secs"));
        assert!(error(&webhook("ftp://m.example.org", secret, "")).contains("http:// or https://"));
        assert!(error(&webhook("not a url", secret, "")).contains("moderation.webhook.url is not a URL"));
        assert!(error(&webhook("https://m.example.org", "too short", "")).contains("at least 16 characters"));
        assert!(
            error(&webhook("https://m.example.org", secret, "timeout_ms = 10001\n")).contains("between 1 and 10000")
        );
        assert!(error(&webhook("https://m.example.org", secret, "timeout_ms = 0\n")).contains("between 1 and 10000"));
        assert!(error("[moderation.webhook]\nurl = \"https://m.example.org\"\n").contains("secret"));
        let most = load(&webhook("http://127.0.0.1:9/check", secret, "timeout_ms = 10000\n")).unwrap();
        assert_eq!(most.site.moderation.webhook.unwrap().timeout_ms, 10_000);
    }
}
