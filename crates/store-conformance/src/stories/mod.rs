//! The storage stories, grouped by what they are about. Each is an
//! `async fn(Arc<dyn Store>)` that panics when the store misbehaves.

pub mod accounts;
pub mod articles;
pub mod authors;
pub mod corrections;
pub mod listings;
pub mod media;
pub mod moderation;
pub mod newsroom;
pub mod paging;
pub mod perspective;
pub mod search;
pub mod threads;
pub mod webhooks;
pub mod writes;
