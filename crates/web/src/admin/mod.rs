//! The site's back office. Every handler takes the `Admin` (or a lesser role)
//! extractor, so a route cannot forget to check who is asking.

mod users;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/users", users::list)
        .post("/admin/users/{id}/role", users::change_role)
        .post("/admin/users/{id}/suspension", users::change_suspension)
}
