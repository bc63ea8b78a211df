//! Stored rows and the queries that read them. The e-mail stays on the stored
//! row; views built from these decide what the public sees.

use serde::Serialize;
use sqlx::FromRow;
use tribune_domain::comment::SortOrder;
use tribune_domain::thread::Threaded;
use tribune_domain::{ArticleId, CommentId, CommentStatus, Timestamp};

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Article {
    #[sqlx(try_from = "i64")]
    pub id: ArticleId,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    pub byline: String,
    pub section: String,
    pub section_slug: String,
    pub body_markdown: String,
    pub body_html: String,
    #[sqlx(try_from = "Option<i64>")]
    pub published_at: OptionalTimestamp,
    pub comments_open: bool,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

/// A listed article: no body, with its published comment count.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ArticleSummary {
    #[sqlx(try_from = "i64")]
    pub id: ArticleId,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    pub byline: String,
    pub section: String,
    pub section_slug: String,
    #[sqlx(try_from = "Option<i64>")]
    pub published_at: OptionalTimestamp,
    pub comment_count: i64,
}

/// `Option<Timestamp>` that sqlx can build from a nullable integer column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct OptionalTimestamp(pub Option<Timestamp>);

impl From<Option<i64>> for OptionalTimestamp {
    fn from(value: Option<i64>) -> Self {
        Self(value.map(Timestamp))
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct Comment {
    #[sqlx(try_from = "i64")]
    pub id: CommentId,
    #[sqlx(try_from = "i64")]
    pub article_id: ArticleId,
    #[sqlx(try_from = "Option<i64>")]
    pub parent_id: OptionalCommentId,
    #[sqlx(try_from = "i64")]
    pub root_id: CommentId,
    /// 1 for a top-level comment.
    pub depth: i32,
    pub path: String,
    pub author_name: String,
    pub author_email: String,
    pub author_website: Option<String>,
    pub body_markdown: String,
    pub body_html: String,
    #[sqlx(try_from = "String")]
    pub status: StoredStatus,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

/// A comment listed with the article it belongs to (an account's own comments).
#[derive(Debug, Clone, FromRow)]
pub struct AuthoredComment {
    #[sqlx(flatten)]
    pub comment: Comment,
    pub article_slug: String,
    pub article_headline: String,
}

impl Threaded for Comment {
    fn id(&self) -> CommentId {
        self.id
    }
    fn path(&self) -> &str {
        &self.path
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalCommentId(pub Option<CommentId>);

impl From<Option<i64>> for OptionalCommentId {
    fn from(value: Option<i64>) -> Self {
        Self(value.map(CommentId))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredStatus(pub CommentStatus);

impl TryFrom<String> for StoredStatus {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CommentStatus::parse(&value).map(Self).ok_or_else(|| format!("unknown comment status {value:?}"))
    }
}

/// Which page of a discussion to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadQuery {
    pub sort: SortOrder,
    /// The last top-level comment of the previous page.
    pub after_root: Option<CommentId>,
    /// Top-level comments per page (their replies come along).
    pub roots: u32,
}

impl ThreadQuery {
    /// Identifies the page for caches: sort, cursor and size.
    pub fn cache_key(&self) -> String {
        format!("{}:{}:{}", self.sort.as_str(), self.after_root.map_or(-1, |c| c.0), self.roots)
    }
}

#[derive(Debug, Clone)]
pub struct ThreadPage {
    /// Published comments of this page's threads, parents before replies.
    pub comments: Vec<Comment>,
    /// The thread number of this page's first top-level comment: top-level
    /// comments are numbered oldest-first, whichever way the page is sorted.
    pub first_number: i64,
    /// Published comments on the whole article.
    pub total_published: i64,
    /// Where the next page starts, if there is one.
    pub next_cursor: Option<CommentId>,
}
