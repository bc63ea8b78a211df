//! What readers and API clients see of stored rows. The commenter's e-mail
//! never appears in any of these.

use serde::Serialize;
use std::collections::HashMap;
use tribune_domain::thread::{build_thread, ThreadNode};
use tribune_domain::{CommentId, CommentStatus, Slug, Timestamp};
use tribune_store::{Article, ArticleSummary, Comment, ThreadPage};

/// A tag with the address of its page.
#[derive(Debug, Serialize)]
pub struct TagView {
    pub name: String,
    pub slug: String,
}

pub fn tag_views(tags: &[String]) -> Vec<TagView> {
    tags.iter()
        .map(|name| TagView { name: name.clone(), slug: Slug::from_headline(name).as_str().to_owned() })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct ArticleView {
    pub id: i64,
    pub slug: String,
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub byline: String,
    pub section: String,
    pub section_slug: String,
    pub tags: Vec<TagView>,
    pub published_at: Option<String>,
    pub published_human: Option<String>,
    /// When a published article's text last changed ("Updated …").
    pub updated_at: Option<String>,
    pub updated_human: Option<String>,
    pub body_html: String,
    pub comments_open: bool,
}

impl From<&Article> for ArticleView {
    fn from(a: &Article) -> Self {
        Self {
            id: a.id.0,
            slug: a.slug.clone(),
            url: article_url(&a.slug),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            byline: a.byline.clone(),
            section: a.section.clone(),
            section_slug: a.section_slug.clone(),
            tags: tag_views(&a.tags),
            published_at: a.published_at.map(Timestamp::rfc3339),
            published_human: a.published_at.map(Timestamp::human),
            updated_at: a.updated_at.map(Timestamp::rfc3339),
            updated_human: a.updated_at.map(Timestamp::human),
            body_html: a.body_html.clone(),
            comments_open: a.comments_open,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ArticleSummaryView {
    pub slug: String,
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub byline: String,
    pub section: String,
    pub section_slug: String,
    pub tags: Vec<TagView>,
    pub published_at: Option<String>,
    pub published_human: Option<String>,
    pub comment_count: i64,
}

impl From<&ArticleSummary> for ArticleSummaryView {
    fn from(a: &ArticleSummary) -> Self {
        Self {
            slug: a.slug.clone(),
            url: article_url(&a.slug),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            byline: a.byline.clone(),
            section: a.section.clone(),
            section_slug: a.section_slug.clone(),
            tags: tag_views(&a.tags),
            published_at: a.published_at.map(Timestamp::rfc3339),
            published_human: a.published_at.map(Timestamp::human),
            comment_count: a.comment_count,
        }
    }
}

/// 10000 as "10,000", the way the forms state limits.
pub fn with_thousands(n: usize) -> String {
    let digits = n.to_string();
    let first_group = match digits.len() % 3 {
        0 => 3.min(digits.len()),
        short => short,
    };
    let (head, rest) = digits.split_at(first_group);
    let mut out = head.to_owned();
    for group in rest.as_bytes().chunks(3) {
        out.push(',');
        out.extend(group.iter().map(|&digit| char::from(digit)));
    }
    out
}

pub fn article_url(slug: &str) -> String {
    format!("/articles/{slug}")
}

/// One comment as shown in a thread, with its replies.
#[derive(Debug, Serialize)]
pub struct CommentView {
    pub id: i64,
    /// The comment it answers.
    pub parent_id: Option<i64>,
    /// The level it is shown at (1 for top-level), never deeper than the thread allows.
    pub depth: u32,
    pub number: String,
    pub author_name: String,
    pub author_website: Option<String>,
    /// Whom it answers, when it is shown beside that comment rather than under it.
    pub in_reply_to: Option<InReplyTo>,
    pub body_html: String,
    pub created_at: String,
    pub created_human: String,
    pub created_relative: String,
    /// `published`, or for a placeholder that keeps its replies in place,
    /// what it is now (`pending`, `rejected`, `deleted`, `removed`).
    pub status: &'static str,
    /// A placeholder: its author and text are not shown.
    pub hidden: bool,
    pub featured: bool,
    pub edited: bool,
    pub replies: Vec<CommentView>,
}

#[derive(Debug, Serialize)]
pub struct InReplyTo {
    pub id: i64,
    pub author_name: String,
}

impl CommentView {
    fn from_node(node: ThreadNode<Comment>, now: Timestamp, names: &HashMap<CommentId, String>) -> Self {
        let c = node.comment;
        let in_reply_to = node
            .in_reply_to
            .and_then(|id| names.get(&id).map(|name| InReplyTo { id: id.0, author_name: name.clone() }));
        Self {
            id: c.id.0,
            parent_id: c.parent_id.map(|p| p.0),
            depth: node.shown_depth,
            number: node.number,
            author_name: c.author_name,
            author_website: c.author_website,
            in_reply_to,
            body_html: c.body_html,
            created_at: c.created_at.rfc3339(),
            created_human: c.created_at.human(),
            created_relative: c.created_at.relative_to(now),
            status: c.status.as_str(),
            hidden: c.status != CommentStatus::Published,
            featured: c.featured,
            edited: c.edited_at.is_some(),
            replies: node.replies.into_iter().map(|r| Self::from_node(r, now, names)).collect(),
        }
    }
}

/// A page of discussion ready for a template or the API.
#[derive(Debug, Serialize)]
pub struct ThreadView {
    pub comments: Vec<CommentView>,
    pub total: i64,
    pub next_cursor: Option<String>,
}

impl ThreadView {
    /// `max_depth` is the deepest level shown; deeper replies show beside their target.
    pub fn new(page: ThreadPage, newest_first: bool, now: Timestamp, max_depth: u32) -> Self {
        let step = if newest_first { -1 } else { 1 };
        let names: HashMap<CommentId, String> = page.comments.iter().map(|c| (c.id, c.author_name.clone())).collect();
        let tree = build_thread(page.comments, page.first_number, step, max_depth);
        Self {
            comments: tree.into_iter().map(|node| CommentView::from_node(node, now, &names)).collect(),
            total: page.total_published,
            next_cursor: page.next_cursor.map(|c: CommentId| c.0.to_string()),
        }
    }

    /// The thread flattened in display order, each comment without its replies.
    pub fn flat(self) -> Vec<FlatComment> {
        fn walk(nodes: Vec<CommentView>, out: &mut Vec<FlatComment>) {
            for mut node in nodes {
                let replies = std::mem::take(&mut node.replies);
                out.push(FlatComment::from(node));
                walk(replies, out);
            }
        }
        let mut out = Vec::new();
        walk(self.comments, &mut out);
        out
    }
}

/// A comment in the API: `parent_id` names the comment it answers; `depth`
/// and `number` give its place in the thread as shown (a reply below the
/// deepest level is shown beside the comment it answers).
#[derive(Debug, Serialize)]
pub struct FlatComment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub depth: u32,
    pub number: String,
    /// `published`, or a placeholder's status (its author and text are empty).
    pub status: &'static str,
    pub featured: bool,
    pub author: Author,
    pub body_html: String,
    pub created_at: String,
}

#[derive(Debug, Serialize)]
pub struct Author {
    pub name: String,
    pub website: Option<String>,
}

impl From<CommentView> for FlatComment {
    fn from(c: CommentView) -> Self {
        Self {
            id: c.id,
            parent_id: c.parent_id,
            depth: c.depth,
            number: c.number,
            status: c.status,
            featured: c.featured,
            author: Author { name: c.author_name, website: c.author_website },
            body_html: c.body_html,
            created_at: c.created_at,
        }
    }
}

/// A comment just stored, as the API returns it.
#[derive(Debug, Serialize)]
pub struct CreatedComment {
    pub id: i64,
    /// The comment it answers.
    pub parent_id: Option<i64>,
    /// The level it is shown at, as in the thread's listing.
    pub depth: u32,
    pub status: &'static str,
    pub author: Author,
    pub body_html: String,
    pub created_at: String,
    pub url: String,
    /// For the author, when the comment waits for a moderator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'static str>,
}

impl CreatedComment {
    /// `max_depth` as for [`ThreadView::new`].
    pub fn new(c: Comment, article_slug: &str, max_depth: u32) -> Self {
        Self {
            id: c.id.0,
            parent_id: c.parent_id.map(|p| p.0),
            depth: u32::try_from(c.depth).unwrap_or(1).min(max_depth.max(2)),
            status: c.status.as_str(),
            author: Author { name: c.author_name, website: c.author_website },
            body_html: c.body_html,
            created_at: c.created_at.rfc3339(),
            url: format!("{}#comment-{}", article_url(article_slug), c.id.0),
            message: (c.status == CommentStatus::Pending).then_some(
                "Thank you. Your comment is awaiting moderation and will appear once a moderator approves it.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_thousands;

    #[test]
    fn limits_are_written_with_thousands_separators() {
        assert_eq!(with_thousands(7), "7");
        assert_eq!(with_thousands(999), "999");
        assert_eq!(with_thousands(10_000), "10,000");
        assert_eq!(with_thousands(1_234_567), "1,234,567");
    }
}
