//! The theme's static files, embedded in the binary.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const ASSETS: &[(&str, &str, &str)] = &[
    ("tribune.css", "text/css; charset=utf-8", include_str!("../assets/tribune.css")),
    ("tribune.js", "text/javascript; charset=utf-8", include_str!("../assets/tribune.js")),
    ("demo-terminal.svg", "image/svg+xml", include_str!("../assets/demo-terminal.svg")),
    ("favicon.svg", "image/svg+xml", include_str!("../assets/favicon.svg")),
];

pub async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => {
            ([(header::CONTENT_TYPE, *content_type), (header::CACHE_CONTROL, "public, max-age=3600")], *body)
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
