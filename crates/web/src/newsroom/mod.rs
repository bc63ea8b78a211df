//! The newsroom's pages and API around published articles: corrections (a
//! staff form and API, the public list), author profiles (staff screens,
//! public pages), the bylines that link articles to them, and the home
//! page's lead story.

pub mod authors;
pub mod bylines;
pub mod corrections;
pub mod lead;
pub mod profiles;

use crate::routes::Routes;
use axum::http::Method;
use axum::routing::put;

/// Pages: public lists and profiles, and the staff screens.
pub fn published_page_routes() -> Routes {
    Routes::new()
        .get("/corrections", corrections::list_page)
        .get("/newsroom/articles/{slug}/corrections", corrections::form_page)
        .post("/newsroom/articles/{slug}/corrections", corrections::submit_form)
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
