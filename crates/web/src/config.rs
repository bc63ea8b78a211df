//! The settings the web layer reads; the binary fills them from its layered config.

use crate::mail::MailRetry;
use crate::secret::Secret;
use std::time::Duration;
use tribune_domain::comment::MAX_BODY_CHARS_DEFAULT;
use tribune_domain::MAX_DEPTH_DEFAULT;

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub site_name: String,
    /// Longest comment body, in characters.
    pub max_comment_chars: usize,
    /// Deepest reply level; replies below it attach beside their target.
    pub max_depth: u32,
    /// Top-level comments per page.
    pub comments_per_page: u32,
    /// Largest request body accepted, in bytes.
    pub max_request_bytes: usize,
    /// Largest article create request, in bytes.
    pub max_article_bytes: usize,
    pub request_timeout_secs: u64,
    /// How long a connection may take to send a request's headers, counted
    /// from when the server starts waiting for them; a slow sender is cut off.
    pub header_read_timeout: Duration,
    /// How long a kept-alive connection may sit idle between two requests.
    /// Streams (live comments) are never idle: a response is in progress.
    pub keep_alive_timeout: Duration,
    /// At shutdown, how long open connections (live streams among them) get to finish.
    pub shutdown_grace: Duration,
    /// How long a rendered page may be served from memory (changes drop it sooner).
    pub cache_ttl_secs: u64,
    /// Comments a reconnecting live reader can catch up on before being told to reload.
    pub live_backlog: u32,
    /// Guests may comment with a name and e-mail; otherwise only signed-in accounts.
    pub guests_may_comment: bool,
    /// Mark session cookies Secure (set when the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Sign-in attempts per minute from one address (per instance).
    pub sign_ins_per_minute: u32,
    /// Accounts created per hour from one address (per instance).
    pub sign_ups_per_hour: u32,
    /// Sign-in links and password resets mailed to one address per hour (per instance).
    pub emails_per_hour: u32,
    /// Comments per minute from one account, or one guest address (per instance).
    pub comments_per_minute: u32,
    /// Requests to the Perspective-compatible endpoint per minute with one API key (per instance).
    pub analyses_per_minute: u32,
    /// Read the client's address from `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Outgoing mail; `None` writes messages to the console.
    pub smtp: Option<crate::mail::SmtpConfig>,
    /// How patiently each outgoing e-mail is retried.
    pub mail_retry: MailRetry,
    /// The site's address as readers reach it, for links in e-mails.
    pub public_url: String,
    /// What happens to the comments of a deleted account.
    pub deleted_account_comments: tribune_store::DeletedComments,
    /// The secret a site's backend signs single-sign-on tokens with (HS256); none turns SSO off.
    pub sso_jwt_secret: Option<Secret<String>>,
    /// Sign-in with an OpenID Connect provider; none turns it off.
    pub oidc: Option<crate::accounts::oidc::OidcConfig>,
    /// The moderation webhook, webhook delivery pacing, the digest.
    pub moderation: ModerationConfig,
    /// How often each instance looks for scheduled articles that are due.
    pub schedule_poll: Duration,
    /// Uploaded images: where they are kept, how large they may be.
    pub media: crate::media::MediaConfig,
}

/// Moderation settings that belong to the operator rather than the
/// moderators (those are in the database, edited in the admin).
#[derive(Debug, Clone)]
pub struct ModerationConfig {
    /// An outside service asked about every comment; none: not asked.
    pub webhook: Option<ModerationWebhook>,
    /// How the webhook outbox is worked off.
    pub delivery: tribune_app::webhooks::DeliveryTiming,
    /// How often an instance checks whether the moderators' digest is due.
    pub digest_check_secs: u64,
    /// The site's retrained scorer model; none: the one built into the binary.
    pub model_file: Option<std::path::PathBuf>,
    /// How often each instance looks whether `model_file` was replaced.
    pub model_check_secs: u64,
    /// Retrain the site's model on a schedule (the server runs it).
    pub retrain: Option<RetrainSchedule>,
    /// Whether the pipeline scores comments (the Perspective-compatible
    /// endpoint scores whatever it is sent, either way).
    pub scoring: bool,
}

/// `[moderation] retrain_every_hours` with the public data it trains from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrainSchedule {
    pub every: std::time::Duration,
    /// The public data sets' directory (`tribune moderation retrain --data`).
    pub data: std::path::PathBuf,
    /// How often an instance looks whether a retrain is due.
    pub check: std::time::Duration,
}

impl Default for ModerationConfig {
    fn default() -> Self {
        Self {
            webhook: None,
            delivery: tribune_app::webhooks::DeliveryTiming::default(),
            digest_check_secs: 60,
            model_file: None,
            model_check_secs: 60,
            retrain: None,
            scoring: true,
        }
    }
}

/// Where the moderation webhook is and how long a comment may wait for it.
#[derive(Debug, Clone)]
pub struct ModerationWebhook {
    pub url: String,
    /// Signs each request (HMAC-SHA256), so the service knows it is us.
    pub secret: Secret<String>,
    pub timeout_ms: u64,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            site_name: "Tribune".to_owned(),
            max_comment_chars: MAX_BODY_CHARS_DEFAULT,
            max_depth: MAX_DEPTH_DEFAULT,
            comments_per_page: 50,
            max_request_bytes: 64 * 1024,
            max_article_bytes: 1024 * 1024,
            request_timeout_secs: 30,
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(10),
            cache_ttl_secs: 30,
            schedule_poll: Duration::from_secs(5),
            live_backlog: 100,
            guests_may_comment: true,
            secure_cookies: false,
            sign_ins_per_minute: 10,
            sign_ups_per_hour: 20,
            emails_per_hour: 5,
            sso_jwt_secret: None,
            oidc: None,
            smtp: None,
            mail_retry: MailRetry::default(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            deleted_account_comments: tribune_store::DeletedComments::Anonymize,
            comments_per_minute: 10,
            analyses_per_minute: 600,
            trust_forwarded_for: false,
            moderation: ModerationConfig::default(),
            media: crate::media::MediaConfig::default(),
        }
    }
}
