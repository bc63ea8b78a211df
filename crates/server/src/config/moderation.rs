//! `[moderation]` in `tribune.toml`: what belongs to the operator rather than
//! to the moderators (whose settings live in the database): how often the
//! digest is checked, how webhook deliveries are paced, and the external
//! moderation webhook asked about each comment.

use anyhow::bail;
use serde::Deserialize;
use std::time::Duration;
use tribune_web::config::{ModerationConfig, ModerationWebhook, RetrainSchedule};
use tribune_web::secret::Secret;

/// The longest a comment may wait for the external moderation webhook.
const MAX_WEBHOOK_TIMEOUT_MS: u64 = 10_000;
const DEFAULT_WEBHOOK_TIMEOUT_MS: u64 = 2_000;
const MIN_SECRET_CHARS: usize = 16;
const DEFAULT_RETRAIN_CHECK_SECS: u64 = 600;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ModerationSection {
    /// How often each instance looks whether the moderators' digest is due.
    digest_check_secs: Option<u64>,
    /// How often the webhook outbox is read when nothing wakes the worker.
    webhook_poll_secs: Option<u64>,
    /// How long a receiver may take to answer a delivery.
    webhook_timeout_secs: Option<u64>,
    /// The first retry's delay; each later one doubles it.
    webhook_retry_base_secs: Option<u64>,
    /// How long an instance holds the deliveries it is sending.
    webhook_lease_secs: Option<u64>,
    /// The site's scorer model (`tribune moderation retrain` writes it);
    /// unset: the model built into the binary.
    model_file: Option<std::path::PathBuf>,
    /// How often each instance looks whether `model_file` was replaced.
    model_check_secs: Option<u64>,
    /// Retrain the site's model this often (needs `model_file` and `training_data`).
    retrain_every_hours: Option<u64>,
    /// The public data sets' directory the retrain reads.
    training_data: Option<std::path::PathBuf>,
    /// How often each instance looks whether a scheduled retrain is due.
    retrain_check_secs: Option<u64>,
    webhook: Option<WebhookSection>,
    /// Whether comments are scored in the pipeline (default: yes).
    scoring: Option<bool>,
}

/// The external moderation webhook.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookSection {
    url: String,
    secret: Secret<String>,
    timeout_ms: Option<u64>,
}

impl ModerationSection {
    pub(super) fn check(self) -> anyhow::Result<ModerationConfig> {
        let mut config = ModerationConfig::default();
        let delivery = &mut config.delivery;
        for (value, name, slot) in [
            (self.digest_check_secs, "digest_check_secs", None),
            (self.webhook_poll_secs, "webhook_poll_secs", Some(&mut delivery.poll)),
            (self.webhook_timeout_secs, "webhook_timeout_secs", Some(&mut delivery.timeout)),
            (self.webhook_retry_base_secs, "webhook_retry_base_secs", Some(&mut delivery.retry_base)),
            (self.webhook_lease_secs, "webhook_lease_secs", Some(&mut delivery.lease)),
        ] {
            match (value, slot) {
                (Some(0), _) => bail!("moderation.{name} must be at least 1"),
                (Some(secs), Some(slot)) => *slot = Duration::from_secs(secs),
                (Some(secs), None) => config.digest_check_secs = secs,
                (None, _) => {}
            }
        }
        let delivery = &config.delivery;
        if delivery.lease <= delivery.timeout {
            bail!(
                "moderation.webhook_lease_secs ({}) must be longer than webhook_timeout_secs ({}): \
                 a delivery still being sent would be sent again by another instance",
                delivery.lease.as_secs(),
                delivery.timeout.as_secs()
            );
        }
        config.scoring = self.scoring.unwrap_or(true);
        if let Some(webhook) = self.webhook {
            config.webhook = Some(webhook.check()?);
        }
        config.model_file = self.model_file;
        match self.model_check_secs {
            Some(0) => bail!("moderation.model_check_secs must be at least 1"),
            Some(secs) => config.model_check_secs = secs,
            None => {}
        }
        config.retrain = retrain_schedule(
            self.retrain_every_hours,
            self.training_data,
            self.retrain_check_secs,
            config.model_file.is_some(),
        )?;
        Ok(config)
    }
}

fn retrain_schedule(
    every_hours: Option<u64>,
    data: Option<std::path::PathBuf>,
    check_secs: Option<u64>,
    has_model_file: bool,
) -> anyhow::Result<Option<RetrainSchedule>> {
    let Some(hours) = every_hours else {
        if data.is_some() || check_secs.is_some() {
            bail!("moderation.training_data and retrain_check_secs are for the schedule: set retrain_every_hours too");
        }
        return Ok(None);
    };
    if hours == 0 {
        bail!("moderation.retrain_every_hours must be at least 1");
    }
    if !has_model_file {
        bail!("moderation.retrain_every_hours needs model_file: where the retrained model is written");
    }
    let Some(data) = data else {
        bail!("moderation.retrain_every_hours needs training_data: the directory of the public data sets");
    };
    if !data.is_dir() {
        bail!("moderation.training_data is not a directory: {}", data.display());
    }
    if check_secs == Some(0) {
        bail!("moderation.retrain_check_secs must be at least 1");
    }
    Ok(Some(RetrainSchedule {
        every: Duration::from_secs(hours.saturating_mul(3600)),
        data,
        check: Duration::from_secs(check_secs.unwrap_or(DEFAULT_RETRAIN_CHECK_SECS)),
    }))
}

impl WebhookSection {
    fn check(self) -> anyhow::Result<ModerationWebhook> {
        match url::Url::parse(&self.url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()) => {}
            Ok(_) => bail!("moderation.webhook.url must be an http:// or https:// URL, not {:?}", self.url),
            Err(e) => bail!("moderation.webhook.url is not a URL ({e}): {:?}", self.url),
        }
        if self.secret.expose().trim().chars().count() < MIN_SECRET_CHARS {
            bail!("moderation.webhook.secret must be at least {MIN_SECRET_CHARS} characters");
        }
        let timeout_ms = self.timeout_ms.unwrap_or(DEFAULT_WEBHOOK_TIMEOUT_MS);
        if !(1..=MAX_WEBHOOK_TIMEOUT_MS).contains(&timeout_ms) {
            bail!(
                "moderation.webhook.timeout_ms must be between 1 and {MAX_WEBHOOK_TIMEOUT_MS} \
                 (a comment waits that long for the answer), not {timeout_ms}"
            );
        }
        Ok(ModerationWebhook { url: self.url, secret: self.secret, timeout_ms })
    }
}
