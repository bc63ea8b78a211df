//! Statements both backends run unchanged (`$1` placeholders work on both).

use tribune_store::DeletedComments;

/// What happens to a deleted account's comments; `$1` is the account id.
pub fn delete_account_comments(comments: DeletedComments) -> &'static str {
    match comments {
        DeletedComments::Anonymize => {
            "UPDATE comments SET author_name = '[deleted]', author_email = '', author_website = NULL, \
             author_key = '', author_token = NULL, user_id = NULL WHERE user_id = $1"
        }
        DeletedComments::Remove => {
            "UPDATE comments SET author_name = '[deleted]', author_email = '', author_website = NULL, \
             author_key = '', author_token = NULL, body_markdown = '', body_html = '', status = 'removed', \
             user_id = NULL WHERE user_id = $1"
        }
    }
}

/// Queues one event for every active endpoint that wants it:
/// `$1` event name, `$2` comment id, `$3` now.
pub const QUEUE_WEBHOOK: &str =
    "INSERT INTO webhook_deliveries (endpoint_id, event, comment_id, created_at, next_attempt_at) \
     SELECT id, $1, $2, $3, $3 FROM webhook_endpoints \
     WHERE active AND (' ' || events || ' ') LIKE ('% ' || $1 || ' %')";

/// Appends to the audit log; the columns in `NewAuditEntry`'s order.
pub const APPEND_AUDIT: &str = "INSERT INTO moderation_audit \
     (at, actor_id, actor_name, action, target_kind, target_id, article_id, reason, before_state, after_state) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// The columns a new comment is stored with, after `id`, in the order of
/// `NewComment`'s fields as the backends bind them.
/// An author's restriction (a row of kind 1, if any) and latest comments
/// (kind 2, at most `$2`) in one statement; the typed NULLs keep both
/// databases agreeing on each column's type.
pub const AUTHOR_STANDING: &str = "SELECT 1 AS kind, banned, suspended_until, message, warning, always_premoderate, \
     CAST(NULL AS BIGINT) AS id, CAST(NULL AS TEXT) AS status, CAST(NULL AS BIGINT) AS created_at, \
     CAST(NULL AS BIGINT) AS fingerprint \
     FROM author_restrictions WHERE author_key = $1 \
     UNION ALL SELECT * FROM (SELECT 2 AS kind, CAST(NULL AS BOOLEAN), CAST(NULL AS BIGINT), CAST(NULL AS TEXT), \
     CAST(NULL AS TEXT), CAST(NULL AS BOOLEAN), id, status, created_at, fingerprint \
     FROM comments WHERE author_key = $1 ORDER BY id DESC LIMIT $2) AS history";

pub const NEW_COMMENT_COLUMNS: &str = "article_id, parent_id, author_name, author_email, author_website, \
     body_markdown, body_html, status, created_at, user_id, author_key, fingerprint, reasons, reject_reason, \
     open_reports, author_token, notify_author";

/// A top-level comment readers see: published, or standing above a
/// published reply (shown as a placeholder). Used on `comments` unaliased.
pub const VISIBLE_ROOT: &str = "parent_id IS NULL AND (status = 'published' OR EXISTS (SELECT 1 FROM comments d \
     WHERE d.article_id = comments.article_id AND d.root_id = comments.id AND d.id <> comments.id \
     AND d.status = 'published'))";

/// Published articles, newest first: `$1` now, `$2` section slug (`''`: all),
/// `$3` earliest publication time, `$4` limit, `$5` offset, `$6` tag slug (`''`: any).
pub const LIST_PUBLISHED_ARTICLES: &str =
    "SELECT a.id, a.slug, a.headline, a.standfirst, a.byline, a.section, a.section_slug, a.tags, a.published_at, a.updated_at, \
     (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'published') AS comment_count \
     FROM articles a WHERE a.status = 'published' AND a.published_at <= $1 \
     AND (CAST($2 AS TEXT) = '' OR a.section_slug = $2) AND a.published_at >= $3 \
     AND (CAST($6 AS TEXT) = '' OR EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag_slug = $6)) \
     ORDER BY a.published_at DESC, a.id DESC LIMIT $4 OFFSET $5";

/// The newest published comments on published articles: `$1` article id
/// (`0`: every article), `$2` now, `$3` limit.
pub const RECENT_PUBLISHED_COMMENTS: &str =
    "SELECT comments.*, articles.slug AS article_slug, articles.headline AS article_headline \
     FROM comments JOIN articles ON articles.id = comments.article_id \
     WHERE comments.status = 'published' AND (CAST($1 AS BIGINT) = 0 OR comments.article_id = $1) \
     AND articles.status = 'published' AND articles.published_at <= $2 \
     ORDER BY comments.id DESC LIMIT $3";

/// Published articles by comments published since `$1`, most first: `$2`
/// now, `$3` limit. Articles without such comments are left out.
pub const MOST_DISCUSSED: &str =
    "SELECT a.id, a.slug, a.headline, a.standfirst, a.byline, a.section, a.section_slug, a.tags, a.published_at, a.updated_at, \
     COUNT(c.id) AS comment_count \
     FROM articles a JOIN comments c ON c.article_id = a.id AND c.status = 'published' AND c.created_at >= $1 \
     WHERE a.status = 'published' AND a.published_at <= $2 \
     GROUP BY a.id, a.slug, a.headline, a.standfirst, a.byline, a.section, a.section_slug, a.tags, a.published_at, \
     a.updated_at \
     ORDER BY comment_count DESC, a.published_at DESC, a.id DESC LIMIT $3";

/// Files an article under a tag: `$1` article id, `$2` the tag's slug.
pub const TAG_ARTICLE: &str = "INSERT INTO article_tags (article_id, tag_slug) VALUES ($1, $2)";

/// Stores a new article at revision 1: `$1` slug, `$2` headline, `$3`
/// standfirst, `$4` byline, `$5` section, `$6` section slug, `$7` body
/// Markdown, `$8` body HTML, `$9` published at, `$10` comments open, `$11`
/// created at, `$12` status, `$13` author id, `$14` tags (one per line).
pub const INSERT_ARTICLE: &str = "INSERT INTO articles (slug, headline, standfirst, byline, section, section_slug, \
     body_markdown, body_html, published_at, comments_open, created_at, status, author_id, tags, revision) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1) RETURNING *";

/// Appends a revision: `$1` article id, `$2` number, `$3` author id, `$4`
/// author name, `$5` at, `$6` slug, `$7` headline, `$8` standfirst, `$9`
/// byline, `$10` section, `$11` tags (one per line), `$12` body Markdown.
pub const INSERT_REVISION: &str = "INSERT INTO article_revisions (article_id, number, author_id, author_name, \
     created_at, slug, headline, standfirst, byline, section, tags, body_markdown) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
