//! Server-rendered pages. They work without JavaScript; `tribune.js` only
//! enhances them.

mod article;
pub mod discussion;
mod home;
pub mod report;
mod search;
pub mod section;
mod snippet;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", home::show)
        .get("/sections/{section}", section::show)
        .get("/tags/{tag}", section::show_tag)
        .get("/search", search::show)
        .get("/articles/{slug}", article::show)
        .get("/articles/{slug}/comments", article::comments_anchor)
        .post("/articles/{slug}/comments", article::post_comment_form)
        .get("/articles/{slug}/comments/{id}/report", report::form)
        .post("/articles/{slug}/comments/{id}/report", report::submit)
}
