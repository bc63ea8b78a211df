//! What of a thread readers see: its published comments, and in place of
//! an unpublished comment that has published replies, a placeholder that
//! keeps the replies where they belong but says nothing of what it was.

use std::collections::HashSet;
use tribune_domain::thread::ThreadPath;
use tribune_domain::{CommentId, CommentStatus};
use tribune_store::Comment;

/// Keeps, in order, the published comments and the unpublished ancestors of
/// published ones, emptied of their author and text.
pub fn visible_thread(comments: Vec<Comment>) -> Vec<Comment> {
    let needed: HashSet<CommentId> = comments
        .iter()
        .filter(|c| c.status == CommentStatus::Published)
        .flat_map(|c| ThreadPath::ids(&c.path).filter(move |id| *id != c.id))
        .collect();
    comments
        .into_iter()
        .filter(|c| c.status == CommentStatus::Published || needed.contains(&c.id))
        .map(|mut c| {
            if c.status != CommentStatus::Published {
                c.author_name.clear();
                c.author_email.clear();
                c.author_website = None;
                c.body_markdown.clear();
                c.body_html.clear();
                c.reasons.clear();
                c.reject_note.clear();
                c.featured = false;
            }
            c
        })
        .collect()
}
