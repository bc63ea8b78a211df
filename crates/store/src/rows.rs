//! Stored rows and the queries that read them. The e-mail stays on the stored
//! row; views built from these decide what the public sees.

use serde::Serialize;
use tribune_domain::comment::SortOrder;
use tribune_domain::moderation::{Reason, RejectReason};
use tribune_domain::thread::Threaded;
use tribune_domain::{ArticleId, CommentId, CommentStatus, Timestamp, UserId};

#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub id: ArticleId,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    pub byline: String,
    pub section: String,
    pub section_slug: String,
    /// Tag names as written; each one's slug is `Slug::from_headline(name)`.
    pub tags: Vec<String>,
    pub body_markdown: String,
    pub body_html: String,
    pub published_at: Option<Timestamp>,
    pub comments_open: bool,
    pub created_at: Timestamp,
    /// The article's discussion settings, as JSON (`DiscussionSettings`).
    pub discussion: String,
    pub status: tribune_domain::ArticleStatus,
    /// When a published article's text last changed (`None`: never since).
    pub updated_at: Option<Timestamp>,
    /// The account that wrote it in the newsroom.
    pub author_id: Option<UserId>,
    /// The newest revision's number.
    pub revision: i32,
}

impl Article {
    /// Whether readers may see it at `now`.
    pub fn is_public(&self, now: Timestamp) -> bool {
        self.status == tribune_domain::ArticleStatus::Published && self.published_at.is_some_and(|at| at <= now)
    }
}

/// Which published articles to list, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleListQuery {
    /// Articles published after this are not out yet (scheduled).
    pub now: Timestamp,
    /// Only this section's articles (by its slug).
    pub section_slug: Option<String>,
    /// Only articles published at or after this (the news sitemap's two days).
    pub since: Option<Timestamp>,
    /// Only articles with this tag (by its slug).
    pub tag_slug: Option<String>,
    pub limit: u32,
    pub offset: u32,
}

impl ArticleListQuery {
    /// The newest `limit` articles of the whole site.
    pub fn latest(now: Timestamp, limit: u32) -> Self {
        Self { now, section_slug: None, since: None, tag_slug: None, limit, offset: 0 }
    }
}

/// How many of a search's newest matching articles are ranked by
/// relevance, on every backend. A word found in half of a large archive
/// then costs what a rarer one does; older matches of so common a word are
/// not shown, a choice for news, where recent coverage is what is sought.
pub const SEARCH_WINDOW: i64 = 2_000;

/// A full-text search over published articles, best match first among the
/// newest [`SEARCH_WINDOW`] matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub terms: tribune_domain::SearchTerms,
    pub now: Timestamp,
    pub limit: u32,
    pub offset: u32,
}

/// A found article, with its text for a snippet.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub article: ArticleSummary,
    pub body_markdown: String,
}

/// A listed article: no body, with its published comment count.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    pub byline: String,
    pub section: String,
    pub section_slug: String,
    pub tags: Vec<String>,
    pub published_at: Option<Timestamp>,
    /// When its text last changed after publication.
    pub updated_at: Option<Timestamp>,
    pub comment_count: i64,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: CommentId,
    pub article_id: ArticleId,
    pub parent_id: Option<CommentId>,
    pub root_id: CommentId,
    /// 1 for a top-level comment.
    pub depth: i32,
    pub path: String,
    pub author_name: String,
    pub author_email: String,
    pub author_website: Option<String>,
    pub body_markdown: String,
    pub body_html: String,
    pub status: CommentStatus,
    pub created_at: Timestamp,
    /// The account that wrote it; `None` for a guest (or a deleted account).
    pub user_id: Option<UserId>,
    /// `user:ID` or `email:ADDRESS` (see `AuthorKey`).
    pub author_key: String,
    pub fingerprint: Option<i64>,
    /// Why it was held or rejected.
    pub reasons: Vec<Reason>,
    pub reject_reason: Option<RejectReason>,
    pub reject_note: String,
    /// The last moderator decision; `None`: never reviewed.
    pub moderated_at: Option<Timestamp>,
    pub moderated_by: Option<UserId>,
    pub moderator_name: String,
    pub featured: bool,
    pub open_reports: i32,
    /// Bumped by every moderation change.
    pub version: i32,
    pub notify_author: bool,
    pub edited_at: Option<Timestamp>,
}

/// A comment listed with the article it belongs to (an account's own comments).
#[derive(Debug, Clone)]
pub struct AuthoredComment {
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
