//! The newsroom: authors write and submit articles, editors publish and
//! schedule them. The JSON API lives in `api`; the rules and use cases in
//! `tribune_app::authoring`; `scheduler` publishes scheduled articles.
//! Around published articles: corrections (a staff form and API, the public
//! list), author profiles (staff screens, public pages), the bylines that
//! link articles to them, and the home page's lead story.

mod api;
pub mod authors;
pub mod bylines;
pub mod corrections;
mod editor_extras;
mod errors;
pub mod lead;
mod list;
mod pages;
pub mod profiles;
mod revisions_page;
pub mod scheduler;

use crate::error::AppError;
use crate::routes::Routes;
use crate::state::AppState;
use crate::SiteConfig;
use async_trait::async_trait;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use tribune_app::Announce;
use tribune_domain::Slug;
use tribune_store::ArticleEvent;

pub use errors::authoring_error;

/// Announces newsroom changes on the live bus, which drops every
/// instance's cached pages of the article and the lists.
pub struct LiveAnnounce<'a>(pub &'a crate::live::LiveHub);

#[async_trait]
impl Announce for LiveAnnounce<'_> {
    async fn announce(&self, event: &ArticleEvent) {
        self.0.publish(event).await;
    }
}

/// The 301 to an article's current address, when `slug` is one it had
/// before it was renamed while published.
pub async fn moved_article(state: &AppState, raw_slug: &str) -> Result<Option<Response>, AppError> {
    let Ok(slug) = Slug::parse(raw_slug) else { return Ok(None) };
    let Some(current) = state.store.slug_redirect(&slug).await? else { return Ok(None) };
    let location = crate::views::article_url(&current);
    Ok(Some((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response()))
}

/// The newsroom's JSON API: signed-in writers (authors, editors, admins);
/// `tribune_domain::authoring::check` decides each action.
pub fn api_routes(config: &SiteConfig) -> Routes {
    let limit = DefaultBodyLimit::max(config.max_article_bytes);
    Routes::new()
        .get("/api/v1/newsroom/articles", api::list)
        .route("/api/v1/newsroom/articles", Method::POST, post(api::create).layer(limit))
        .get("/api/v1/newsroom/articles/{id}", api::show)
        .route("/api/v1/newsroom/articles/{id}", Method::PUT, put(api::save).layer(limit))
        .post("/api/v1/newsroom/articles/{id}/transitions", api::transition)
        .get("/api/v1/newsroom/articles/{id}/revisions", api::revisions)
        .get("/api/v1/newsroom/articles/{id}/revisions/compare", api::compare)
        .post("/api/v1/newsroom/articles/{id}/revisions/{number}/restore", api::restore)
}

/// The newsroom's pages: signed-in writers; forms are same-origin like
/// every page form.
pub fn page_routes(config: &SiteConfig) -> Routes {
    let limit = DefaultBodyLimit::max(config.max_article_bytes);
    Routes::new()
        .get("/newsroom", list::page)
        .get("/newsroom/new", pages::new_form)
        .route("/newsroom/articles", Method::POST, post(pages::create).layer(limit))
        .route("/newsroom/preview", Method::POST, post(pages::preview).layer(limit))
        .get("/newsroom/articles/{id}/edit", pages::edit)
        .route("/newsroom/articles/{id}", Method::POST, post(pages::save).layer(limit))
        .post("/newsroom/articles/{id}/transitions", pages::transition)
        .get("/newsroom/articles/{id}/revisions", revisions_page::show)
        .post("/newsroom/articles/{id}/revisions/{number}/restore", revisions_page::restore)
}

/// Pages: public lists and profiles, and the staff screens.
pub fn published_page_routes() -> Routes {
    Routes::new()
        .get("/corrections", corrections::list_page)
        .get("/newsroom/corrections/{slug}", corrections::form_page)
        .post("/newsroom/corrections/{slug}", corrections::submit_form)
        .get("/authors/{slug}", authors::show)
        .get("/newsroom/authors", profiles::list)
        .post("/newsroom/authors", profiles::create)
        .get("/newsroom/authors/{slug}", profiles::edit)
        .post("/newsroom/authors/{slug}", profiles::update)
        .get("/newsroom/home", lead::form)
        .post("/newsroom/home", lead::save)
}

/// The JSON API.
pub fn published_api_routes() -> Routes {
    Routes::new()
        .get("/api/v1/articles/{slug}/corrections", corrections::api_list)
        .post("/api/v1/articles/{slug}/corrections", corrections::api_create)
        .route("/api/v1/articles/{slug}/bylines", Method::PUT, put(bylines::put))
}
