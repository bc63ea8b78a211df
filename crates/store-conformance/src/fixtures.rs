//! Builders the stories share: unique slugs, articles and comments with
//! plausible fields.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use tribune_domain::moderation::AuthorKey;
use tribune_domain::{
    ArticleId, AuthorName, Byline, CommentBody, CommentId, CommentStatus, Email, Headline, NewArticle, NewComment,
    Section, Slug, Standfirst, Timestamp, Website,
};
use tribune_store::{Article, Comment, Store};

/// A number no other call, in this process or another, returns.
pub fn unique() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    nanos.wrapping_mul(31).wrapping_add(u64::from(std::process::id()) << 20).wrapping_add(n)
}

/// `prefix-<unique>`, so stories can share one database.
pub fn unique_slug(prefix: &str) -> Slug {
    Slug::parse(&format!("{prefix}-{:x}", unique())).expect("a valid slug")
}

/// An article with every field set; `None` keeps it a draft.
pub fn new_article(slug: &Slug, published_at: Option<Timestamp>) -> NewArticle {
    NewArticle {
        slug: slug.clone(),
        headline: Headline::parse(&format!("Headline of {slug}")).expect("headline"),
        standfirst: Standfirst::parse("What happened, in one line").expect("standfirst"),
        byline: Byline::parse("Sam Reporter").expect("byline"),
        section: Section::parse("Science & Nature").expect("section"),
        tags: Vec::new(),
        body_markdown: "Body *text*.".to_owned(),
        body_html: "<p>Body <em>text</em>.</p>\n".to_owned(),
        published_at,
        comments_open: true,
        created_at: Timestamp(1_700_000_000_000),
        // Published ones appear once `published_at` passes: the stories list
        // by time, far from the real clock.
        status: match published_at {
            Some(_) => tribune_domain::ArticleStatus::Published,
            None => tribune_domain::ArticleStatus::Draft,
        },
        author: None,
    }
}

/// Stores a published article under a fresh slug.
pub async fn published_article(store: &dyn Store, prefix: &str) -> Article {
    let article = new_article(&unique_slug(prefix), Some(Timestamp(1_700_000_000_000)));
    store.create_article(&article).await.expect("create an article")
}

/// A comment on `article`, replying to `parent` if given.
pub fn new_comment(article: ArticleId, parent: Option<CommentId>, status: CommentStatus) -> NewComment {
    NewComment {
        article_id: article,
        parent_id: parent,
        author_name: AuthorName::parse("Ada Reader").expect("name"),
        author_email: Email::parse("ada@example.org").expect("email"),
        author_website: None,
        body: CommentBody::parse("I *agree*.", 10_000).expect("body"),
        body_html: "<p>I <em>agree</em>.</p>\n".to_owned(),
        status,
        created_at: Timestamp(1_700_000_100_000),
        user_id: None,
        author_key: AuthorKey::guest("ada@example.org"),
        fingerprint: None,
        reasons: Vec::new(),
        reject_reason: None,
        flagged: false,
        author_token: None,
        notify_author: false,
        events: Vec::new(),
    }
}

/// Stores a comment with `status`.
pub async fn comment_with(
    store: &dyn Store,
    article: ArticleId,
    parent: Option<CommentId>,
    status: CommentStatus,
) -> Comment {
    store.create_comment(&new_comment(article, parent, status)).await.expect("create a comment")
}

/// Stores a published comment.
pub async fn comment(store: &dyn Store, article: ArticleId, parent: Option<CommentId>) -> Comment {
    comment_with(store, article, parent, CommentStatus::Published).await
}

/// A website, for the stories that check it round-trips.
pub fn website() -> Website {
    Website::parse_optional("https://example.org/ada").expect("website").expect("not blank")
}

/// Ids, for comparing lists of comments.
pub fn ids(comments: &[Comment]) -> Vec<CommentId> {
    comments.iter().map(|c| c.id).collect()
}
