//! Tribune's web layer: the router, its state, the one error type, the pages
//! and the JSON API. It talks to storage only through the `Store` traits.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
pub mod cache;
pub mod config;
pub mod connection;
pub mod docs;
pub mod encoding;
pub mod error;
pub mod extract;
pub mod feeds;
pub mod limits;
pub mod live;
pub mod mail;
pub mod media;
pub mod moderation;
pub mod newsroom;
pub mod pages;
pub mod perspective;
pub mod posting;
mod request_id;
pub mod router;
pub mod routes;
pub mod scorer;
pub mod secret;
pub mod security;
pub mod seo;
pub mod state;
pub mod templates;
pub mod views;

pub use config::SiteConfig;
pub use error::AppError;
pub use router::{router, serve};
pub use state::{AppState, StartError};
pub use templates::{TemplateError, Templates};
