//! Server-rendered pages. They work without JavaScript; `tribune.js` only
//! enhances them.

mod article;
pub mod discussion;
mod home;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", home::show)
        .get("/articles/{slug}", article::show)
        .get("/articles/{slug}/comments", article::comments_anchor)
        .post("/articles/{slug}/comments", article::post_comment_form)
}
