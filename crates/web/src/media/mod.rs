//! Uploaded images on the web: served at `/media/…`, uploaded through the
//! newsroom's page or the JSON API, and set as an article's featured image.

mod api;
mod config;
mod form;
mod page;
mod serve;
pub mod view;

pub use config::{MediaConfig, MediaStorage};

use crate::routes::Routes;
use crate::SiteConfig;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware::from_fn;
use axum::routing::{delete, post, put};

/// The multipart envelope and the text fields, on top of the file itself.
const FORM_OVERHEAD_BYTES: usize = 64 * 1024;

/// Public and API routes (the API's error layer applies to these).
pub fn api_routes(config: &SiteConfig) -> Routes {
    let upload_limit = DefaultBodyLimit::max(config.media.limits.max_bytes + FORM_OVERHEAD_BYTES);
    Routes::new()
        .route(
            "/api/v1/images",
            Method::POST,
            // A multipart post needs no preflight, so a session cookie alone
            // must not let another site upload: the pages' same-origin rule.
            post(api::upload).layer(upload_limit).layer(from_fn(crate::security::same_origin_forms)),
        )
        .get("/api/v1/images", api::list)
        .route("/api/v1/articles/{slug}/featured-image", Method::PUT, put(api::set_featured))
        .route("/api/v1/articles/{slug}/featured-image", Method::DELETE, delete(api::clear_featured))
}

/// `/media/…`: outside both the API and the pages' HTML error layers.
pub fn file_routes() -> Routes {
    Routes::new().get("/media/{key}/{file}", serve::file)
}

/// The newsroom's upload page (a page route: HTML errors, same-origin forms).
pub fn page_routes(config: &SiteConfig) -> Routes {
    let upload_limit = DefaultBodyLimit::max(config.media.limits.max_bytes + FORM_OVERHEAD_BYTES);
    Routes::new().get("/newsroom/images", page::show).route(
        "/newsroom/images",
        Method::POST,
        post(page::upload).layer(upload_limit),
    )
}
