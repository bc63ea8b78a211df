//! Server-rendered pages. They work without JavaScript; `tribune.js` only
//! enhances them.

mod article;
mod home;

use crate::state::AppState;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/articles/{slug}", get(article::show))
        .route("/articles/{slug}/comments", get(article::comments_anchor).post(article::post_comment_form))
}
