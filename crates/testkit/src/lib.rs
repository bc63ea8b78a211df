//! Everything a test needs to talk to a real Tribune: `TestApp::spawn()`
//! starts the real router on port 0 over a fresh database; `Browser` drives
//! a real headless Chromium through chromedriver.

mod accounts;
mod app;
mod browser;
mod faults;
mod logs;
pub mod markup;
mod oidc_provider;
mod process;
mod smtp;
mod sse;
mod sso;
mod webhook_receiver;

pub use app::{backend_is_postgres, ArticleBuilder, SharedDatabase, TestApp};
pub use browser::{Browser, JavaScript, Launch};
pub use faults::{Faults, FaultyStore};
pub use logs::Logs;
pub use oidc_provider::{OidcProvider, OidcUser, TokenFault};
pub use process::ServerProcess;
pub use smtp::SmtpSink;
pub use sse::{SseClient, SseEvent};
pub use sso::{sso_claims, sso_token};
pub use tribune_store_conformance::PgTestDatabase;
pub use webhook_receiver::{Answer, Received, WebhookReceiver};
