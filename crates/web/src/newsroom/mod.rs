//! The newsroom's pages and API around published articles: corrections (a
//! staff form and API, the public list).

pub mod corrections;

use crate::routes::Routes;

/// Pages: the public list of corrections and the staff form.
pub fn page_routes() -> Routes {
    Routes::new()
        .get("/corrections", corrections::list_page)
        .get("/newsroom/articles/{slug}/corrections", corrections::form_page)
        .post("/newsroom/articles/{slug}/corrections", corrections::submit_form)
}

/// The JSON API.
pub fn api_routes() -> Routes {
    Routes::new()
        .get("/api/v1/articles/{slug}/corrections", corrections::api_list)
        .post("/api/v1/articles/{slug}/corrections", corrections::api_create)
}
