//! Outgoing e-mail, sent from an in-process queue: a request only puts its
//! message in the queue (`state.mailer.enqueue(mail)`) and answers at once,
//! so no answer waits for, or tells anything about, the mail server. One
//! sender task delivers the messages in order over SMTP, retrying transient
//! failures with growing pauses and logging each message it gives up on.
//! Without SMTP settings, messages are written to the console and the log, so
//! that `cargo run` still shows every link. Messages still queued when the
//! process stops are lost (they are sign-in links a reader can ask for again).

use crate::secret::Secret;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Messages waiting to be sent; past this, new ones are refused (and logged).
const QUEUE_CAPACITY: usize = 1000;
/// The longest pause between two attempts at one message.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(300);

/// How to reach the mail server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// "none" (a local relay), "starttls" or "tls".
    pub security: String,
    pub username: Option<String>,
    pub password: Option<Secret<String>>,
    /// "Site name <news@example.org>"
    pub from: String,
}

impl SmtpConfig {
    /// Whether these settings can make a transport; the reason when not.
    pub fn check(&self) -> Result<(), MailError> {
        Transport::new(Some(self)).map(|_| ())
    }
}

/// How often, and how patiently, a message is tried before it is given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailRetry {
    /// Attempts in all, the first included (at least 1).
    pub attempts: u32,
    /// The pause after the first failure; each further pause doubles, up to five minutes.
    pub first_delay: Duration,
}

impl Default for MailRetry {
    /// Six attempts over about two and a half minutes.
    fn default() -> Self {
        Self { attempts: 6, first_delay: Duration::from_secs(5) }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid [smtp] settings: {0}")]
    Settings(String),
    #[error("{0:?} is not an e-mail address")]
    BadRecipient(String),
    #[error("the mail queue is full ({QUEUE_CAPACITY} messages wait)")]
    QueueFull,
    #[error("the mail sender has stopped")]
    Stopped,
}

/// One message, its recipient already checked.
#[derive(Debug, Clone)]
pub struct Mail {
    to: Mailbox,
    subject: String,
    body: String,
}

impl Mail {
    pub fn new(to: &str, subject: impl Into<String>, body: impl Into<String>) -> Result<Self, MailError> {
        let to = to.parse().map_err(|_| MailError::BadRecipient(to.to_owned()))?;
        Ok(Self { to, subject: subject.into(), body: body.into() })
    }
}

/// The queue's end that requests hold. Cheap to share.
pub struct Mailer {
    queue: mpsc::Sender<Mail>,
    counts: Arc<Counts>,
}

#[derive(Default)]
struct Counts {
    sent: AtomicU64,
    failed: AtomicU64,
}

impl Mailer {
    /// Checks the settings and starts the sender task (so: inside a Tokio
    /// runtime). The task ends when the last `Mailer` is dropped.
    pub fn start(config: Option<&SmtpConfig>, retry: MailRetry) -> Result<Self, MailError> {
        let transport = Transport::new(config)?;
        let (queue, waiting) = mpsc::channel(QUEUE_CAPACITY);
        let counts = Arc::new(Counts::default());
        tokio::spawn(send_all(transport, waiting, retry, counts.clone()));
        Ok(Self { queue, counts })
    }

    /// Puts `mail` in the queue; never waits.
    pub fn enqueue(&self, mail: Mail) -> Result<(), MailError> {
        self.queue.try_send(mail).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => MailError::QueueFull,
            mpsc::error::TrySendError::Closed(_) => MailError::Stopped,
        })
    }

    /// Messages delivered so far.
    pub fn sent(&self) -> u64 {
        self.counts.sent.load(Ordering::Relaxed)
    }

    /// Messages given up on so far.
    pub fn failed(&self) -> u64 {
        self.counts.failed.load(Ordering::Relaxed)
    }
}

async fn send_all(transport: Transport, mut waiting: mpsc::Receiver<Mail>, retry: MailRetry, counts: Arc<Counts>) {
    while let Some(mail) = waiting.recv().await {
        let counter = match deliver(&transport, &mail, retry).await {
            Ok(()) => &counts.sent,
            Err(()) => &counts.failed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Tries `mail` until it is sent, refused for good, or out of attempts; logs the outcome.
async fn deliver(transport: &Transport, mail: &Mail, retry: MailRetry) -> Result<(), ()> {
    let attempts = retry.attempts.max(1);
    let mut delay = retry.first_delay;
    for attempt in 1..=attempts {
        match transport.send(mail).await {
            Ok(()) => {
                tracing::info!(to = %mail.to, subject = %mail.subject, attempt, "e-mail sent");
                return Ok(());
            }
            Err(failure) if failure.permanent || attempt == attempts => {
                tracing::error!(
                    to = %mail.to, subject = %mail.subject, attempt, error = %failure.message,
                    "gave up sending an e-mail"
                );
                return Err(());
            }
            Err(failure) => {
                tracing::warn!(
                    to = %mail.to, subject = %mail.subject, attempt, retry_in_ms = delay.as_millis() as u64,
                    error = %failure.message, "could not send an e-mail; will try again"
                );
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_RETRY_DELAY);
            }
        }
    }
    Err(())
}

struct SendFailure {
    /// The server refused this message for good: trying again cannot help.
    permanent: bool,
    message: String,
}

enum Transport {
    Smtp { transport: Box<AsyncSmtpTransport<Tokio1Executor>>, from: Mailbox },
    Console,
}

impl Transport {
    fn new(config: Option<&SmtpConfig>) -> Result<Self, MailError> {
        let Some(config) = config else { return Ok(Self::Console) };
        let invalid = MailError::Settings;
        let from: Mailbox = config.from.parse().map_err(|e| invalid(format!("smtp.from is not an address: {e}")))?;
        let builder = match config.security.as_str() {
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
            "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                .map_err(|e| invalid(format!("smtp.host: {e}")))?,
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)
                .map_err(|e| invalid(format!("smtp.host: {e}")))?,
            other => return Err(invalid(format!("smtp.security must be none, starttls or tls, not {other:?}"))),
        };
        let mut builder = builder.port(config.port);
        match (&config.username, &config.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password.expose().clone()));
            }
            (None, None) => {}
            _ => return Err(invalid("smtp.username and smtp.password go together".to_owned())),
        }
        Ok(Self::Smtp { transport: Box::new(builder.build()), from })
    }

    async fn send(&self, mail: &Mail) -> Result<(), SendFailure> {
        match self {
            Self::Console => {
                tracing::info!(to = %mail.to, subject = %mail.subject, "no SMTP configured; the message follows on the console");
                println!("--- e-mail to {}: {}\n{}\n---", mail.to, mail.subject, mail.body);
                Ok(())
            }
            Self::Smtp { transport, from } => {
                let message = Message::builder()
                    .from(from.clone())
                    .to(mail.to.clone())
                    .subject(&mail.subject)
                    .body(mail.body.clone())
                    .map_err(|e| SendFailure { permanent: true, message: format!("building the message: {e}") })?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendFailure { permanent: e.is_permanent(), message: e.to_string() })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(security: &str) -> SmtpConfig {
        SmtpConfig {
            host: "mail.example.org".to_owned(),
            port: 587,
            security: security.to_owned(),
            username: Some("news".to_owned()),
            password: Some("smtp-hunter2".into()),
            from: "News <news@example.org>".to_owned(),
        }
    }

    #[test]
    fn wrong_settings_are_refused_with_the_reason() {
        assert!(smtp("starttls").check().is_ok());
        let wrong = smtp("ssl").check().unwrap_err().to_string();
        assert!(wrong.contains("smtp.security must be none, starttls or tls"), "{wrong}");
        let from = SmtpConfig { from: "not an address".to_owned(), ..smtp("tls") };
        assert!(from.check().unwrap_err().to_string().contains("smtp.from"));
        let half = SmtpConfig { password: None, ..smtp("tls") };
        assert!(half.check().unwrap_err().to_string().contains("go together"));
    }

    #[test]
    fn the_smtp_password_is_not_in_debug_output() {
        assert!(!format!("{:?}", smtp("tls")).contains("hunter2"));
    }

    #[test]
    fn a_message_needs_a_real_recipient() {
        assert!(Mail::new("reader@example.org", "Hi", "Body").is_ok());
        assert!(matches!(Mail::new("not an address", "Hi", "Body"), Err(MailError::BadRecipient(_))));
    }
}
