//! Rows as the database returns them (plain integers and strings), and
//! their mapping to the store's types. One derive serves both backends.

use sqlx::FromRow;
use tribune_domain::account::Role;
use tribune_domain::moderation::RejectReason;
use tribune_domain::{ArticleId, CommentId, CommentStatus, Timestamp, UserId};
use tribune_store::{Article, ArticleSummary, AuthoredComment, Comment, DbError, SearchHit, User};

/// Maps fetched rows (one, several, or maybe one) to the store's types.
pub trait IntoModel<T> {
    fn model(self) -> Result<T, DbError>;
}

impl<R, T> IntoModel<Vec<T>> for Vec<R>
where
    R: IntoModel<T>,
{
    fn model(self) -> Result<Vec<T>, DbError> {
        self.into_iter().map(IntoModel::model).collect()
    }
}

impl<R, T> IntoModel<Option<T>> for Option<R>
where
    R: IntoModel<T>,
{
    fn model(self) -> Result<Option<T>, DbError> {
        self.map(IntoModel::model).transpose()
    }
}

/// A stored value the code does not know: the schema and the code disagree.
pub(crate) fn corrupt(what: &str, value: &str) -> DbError {
    DbError::Other(format!("unknown {what} {value:?} in the database").into())
}

#[derive(Debug, FromRow)]
pub struct ArticleRow {
    id: i64,
    slug: String,
    headline: String,
    standfirst: String,
    byline: String,
    section: String,
    section_slug: String,
    body_markdown: String,
    body_html: String,
    published_at: Option<i64>,
    comments_open: bool,
    created_at: i64,
    discussion: String,
    tags: String,
    status: String,
    updated_at: Option<i64>,
    author_id: Option<i64>,
    revision: i32,
}

impl ArticleRow {
    pub fn id(&self) -> i64 {
        self.id
    }
}

impl IntoModel<Article> for ArticleRow {
    fn model(self) -> Result<Article, DbError> {
        Ok(Article {
            id: ArticleId(self.id),
            slug: self.slug,
            headline: self.headline,
            standfirst: self.standfirst,
            byline: self.byline,
            section: self.section,
            section_slug: self.section_slug,
            tags: self.tags.lines().filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            body_markdown: self.body_markdown,
            body_html: self.body_html,
            published_at: self.published_at.map(Timestamp),
            comments_open: self.comments_open,
            created_at: Timestamp(self.created_at),
            discussion: self.discussion,
            status: tribune_domain::ArticleStatus::parse(&self.status)
                .ok_or_else(|| corrupt("article status", &self.status))?,
            updated_at: self.updated_at.map(Timestamp),
            author_id: self.author_id.map(UserId),
            revision: self.revision,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct SearchHitRow {
    #[sqlx(flatten)]
    article: ArticleSummaryRow,
    body_markdown: String,
}

impl IntoModel<SearchHit> for SearchHitRow {
    fn model(self) -> Result<SearchHit, DbError> {
        Ok(SearchHit { article: self.article.model()?, body_markdown: self.body_markdown })
    }
}

#[derive(Debug, FromRow)]
pub struct ArticleSummaryRow {
    id: i64,
    slug: String,
    headline: String,
    standfirst: String,
    byline: String,
    section: String,
    section_slug: String,
    tags: String,
    published_at: Option<i64>,
    updated_at: Option<i64>,
    comment_count: i64,
}

impl IntoModel<ArticleSummary> for ArticleSummaryRow {
    fn model(self) -> Result<ArticleSummary, DbError> {
        Ok(ArticleSummary {
            id: ArticleId(self.id),
            slug: self.slug,
            headline: self.headline,
            standfirst: self.standfirst,
            byline: self.byline,
            section: self.section,
            section_slug: self.section_slug,
            tags: self.tags.lines().filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            published_at: self.published_at.map(Timestamp),
            updated_at: self.updated_at.map(Timestamp),
            comment_count: self.comment_count,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct CommentRow {
    id: i64,
    article_id: i64,
    parent_id: Option<i64>,
    root_id: i64,
    depth: i32,
    path: String,
    author_name: String,
    author_email: String,
    author_website: Option<String>,
    body_markdown: String,
    body_html: String,
    status: String,
    created_at: i64,
    user_id: Option<i64>,
    author_key: String,
    fingerprint: Option<i64>,
    reasons: String,
    reject_reason: Option<String>,
    reject_note: String,
    moderated_at: Option<i64>,
    moderated_by: Option<i64>,
    moderator_name: String,
    featured: bool,
    open_reports: i32,
    version: i32,
    notify_author: bool,
    edited_at: Option<i64>,
}

impl IntoModel<Comment> for CommentRow {
    fn model(self) -> Result<Comment, DbError> {
        Ok(Comment {
            status: CommentStatus::parse(&self.status).ok_or_else(|| corrupt("comment status", &self.status))?,
            id: CommentId(self.id),
            article_id: ArticleId(self.article_id),
            parent_id: self.parent_id.map(CommentId),
            root_id: CommentId(self.root_id),
            depth: self.depth,
            path: self.path,
            author_name: self.author_name,
            author_email: self.author_email,
            author_website: self.author_website,
            body_markdown: self.body_markdown,
            body_html: self.body_html,
            created_at: Timestamp(self.created_at),
            user_id: self.user_id.map(UserId),
            author_key: self.author_key,
            fingerprint: self.fingerprint,
            reasons: serde_json::from_str(&self.reasons).map_err(|_| corrupt("reason list", &self.reasons))?,
            reject_reason: match self.reject_reason {
                Some(code) => Some(RejectReason::parse(&code).map_err(|_| corrupt("reject reason", &code))?),
                None => None,
            },
            reject_note: self.reject_note,
            moderated_at: self.moderated_at.map(Timestamp),
            moderated_by: self.moderated_by.map(UserId),
            moderator_name: self.moderator_name,
            featured: self.featured,
            open_reports: self.open_reports,
            version: self.version,
            notify_author: self.notify_author,
            edited_at: self.edited_at.map(Timestamp),
        })
    }
}

#[derive(Debug, FromRow)]
pub struct AuthoredCommentRow {
    #[sqlx(flatten)]
    comment: CommentRow,
    article_slug: String,
    article_headline: String,
}

impl IntoModel<AuthoredComment> for AuthoredCommentRow {
    fn model(self) -> Result<AuthoredComment, DbError> {
        Ok(AuthoredComment {
            comment: self.comment.model()?,
            article_slug: self.article_slug,
            article_headline: self.article_headline,
        })
    }
}

#[derive(Debug, FromRow)]
pub struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    password_hash: Option<String>,
    role: String,
    email_verified: bool,
    created_at: i64,
    suspended: bool,
}

impl IntoModel<User> for UserRow {
    fn model(self) -> Result<User, DbError> {
        Ok(User {
            role: Role::parse(&self.role).map_err(|_| corrupt("role", &self.role))?,
            id: UserId(self.id),
            email: self.email,
            display_name: self.display_name,
            password_hash: self.password_hash,
            email_verified: self.email_verified,
            created_at: Timestamp(self.created_at),
            suspended: self.suspended,
        })
    }
}
