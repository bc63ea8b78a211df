//! Outgoing e-mail: over SMTP when the site configures it, otherwise written
//! to the console and the log, so that `cargo run` still shows every link.

use crate::error::AppError;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How to reach the mail server.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// "none" (a local relay), "starttls" or "tls".
    pub security: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// "Site name <news@example.org>"
    pub from: String,
}

/// The password never reaches a log.
impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .finish()
    }
}

pub enum Mailer {
    Smtp { transport: Box<AsyncSmtpTransport<Tokio1Executor>>, from: Mailbox },
    Console,
}

impl Mailer {
    pub fn new(config: Option<&SmtpConfig>) -> Result<Self, String> {
        let Some(config) = config else { return Ok(Self::Console) };
        let from: Mailbox = config.from.parse().map_err(|e| format!("smtp.from is not an address: {e}"))?;
        let builder = match config.security.as_str() {
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
            "starttls" => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host).map_err(|e| e.to_string())?
            }
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host).map_err(|e| e.to_string())?,
            other => return Err(format!("smtp.security must be none, starttls or tls, not {other:?}")),
        };
        let mut builder = builder.port(config.port);
        if let (Some(user), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self::Smtp { transport: Box::new(builder.build()), from })
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), AppError> {
        match self {
            Self::Console => {
                tracing::info!(%to, %subject, "no SMTP configured; the message follows on the console");
                println!("--- e-mail to {to}: {subject}\n{body}\n---");
                Ok(())
            }
            Self::Smtp { transport, from } => {
                let to: Mailbox = to.parse().map_err(|e| AppError::Internal(format!("bad recipient: {e}")))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(subject)
                    .body(body)
                    .map_err(|e| AppError::Internal(format!("building an e-mail: {e}")))?;
                transport.send(message).await.map_err(|e| {
                    tracing::error!(error = %e, "the mail server refused a message");
                    AppError::Unavailable
                })?;
                Ok(())
            }
        }
    }
}
