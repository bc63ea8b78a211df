//! A store that fails on demand: every `TestApp` talks to its database
//! through one, so a test can make chosen store calls answer "database
//! unavailable" (`app.faults.fail("comment")`) and check what the site does
//! when the database does not answer.

use async_trait::async_trait;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tribune_domain::account::Role;
use tribune_domain::authoring::Writer;
use tribune_domain::moderation::AuthorKey;
use tribune_domain::{ArticleId, CommentId, NewArticle, NewComment, Slug, Timestamp, UserId};
use tribune_store::{ApiKey, ExtrasWrite, LabelledExample, NewApiKey, PerspectiveStore};
use tribune_store::{
    Article, ArticleListQuery, ArticleStore, ArticleSummary, Attempt, AuditEntry, AuditQuery, AuthorCounts,
    AuthorRestriction, AuthorStanding, AuthoredComment, Comment, CommentChange, CommentEdit, CommentStore, DbError,
    DeletedComments, Delivery, Endpoint, ModerationStore, ModeratorNote, NewAuditEntry, NewEndpoint, NewReport,
    NewSession, NewUser, PastComment, QueueCounts, QueueFilter, QueueItem, QueueQuery, Report, SearchHit, SearchQuery,
    SessionStore, SettingStore, Store, ThreadPage, ThreadQuery, User, UserQuery, UserStore, WebhookStore,
};
use tribune_store::{
    ArticleSave, ClaimedArticle, NewsroomFilter, NewsroomItem, NewsroomStore, Presence, Revision, RevisionSummary,
    StatusChange,
};
use tribune_store::{AuthorProfile, AuthorProfileWrite, AuthorStore};
use tribune_store::{Correction, CorrectionPage, CorrectionStore, ListedCorrection, NewCorrection};
use tribune_store::{FeaturedImage, MediaStore, NewImage, StoredImage};

/// The store methods that fail, by name.
#[derive(Default)]
pub struct Faults {
    failing: Mutex<HashSet<String>>,
}

impl Faults {
    /// From now on, the store method `method` (e.g. `"ping"`) answers `DbError::Unavailable`.
    pub fn fail(&self, method: &str) {
        self.failing.lock().expect("faults").insert(method.to_owned());
    }

    /// Every method works again.
    pub fn heal(&self) {
        self.failing.lock().expect("faults").clear();
    }

    fn check(&self, method: &str) -> Result<(), DbError> {
        if self.failing.lock().expect("faults").contains(method) {
            Err(DbError::Unavailable(format!("a test made {method} fail")))
        } else {
            Ok(())
        }
    }
}

pub struct FaultyStore {
    inner: Arc<dyn Store>,
    faults: Arc<Faults>,
}

impl FaultyStore {
    pub fn new(inner: Arc<dyn Store>, faults: Arc<Faults>) -> Self {
        Self { inner, faults }
    }
}

/// Implements a store trait by checking for a fault, then asking the real store.
macro_rules! delegate {
    ($trait:ident { $(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)* }) => {
        #[async_trait]
        impl $trait for FaultyStore {
            $(async fn $name(&self, $($arg: $ty),*) -> Result<$ret, DbError> {
                self.faults.check(stringify!($name))?;
                self.inner.$name($($arg),*).await
            })*
        }
    };
}

delegate!(ArticleStore {
    fn create_article(article: &NewArticle) -> Article;
    fn article_by_slug(slug: &Slug) -> Article;
    fn article(id: ArticleId) -> Article;
    fn published_articles(now: Timestamp, limit: u32) -> Vec<ArticleSummary>;
    fn list_published(query: &ArticleListQuery) -> Vec<ArticleSummary>;
    fn most_discussed(since: Timestamp, now: Timestamp, limit: u32) -> Vec<ArticleSummary>;
    fn search_articles(query: &SearchQuery) -> Vec<SearchHit>;
    fn count_articles() -> i64;
});

delegate!(CommentStore {
    fn create_comment(comment: &NewComment) -> Comment;
    fn comment(id: CommentId) -> Comment;
    fn published_after(article: ArticleId, after: CommentId, limit: u32) -> Vec<Comment>;
    fn last_published_id(article: ArticleId) -> Option<CommentId>;
    fn comments_by_user(user: UserId, before: Option<CommentId>, limit: u32) -> Vec<AuthoredComment>;
    fn recent_published_comments(article: Option<ArticleId>, now: Timestamp, limit: u32) -> Vec<AuthoredComment>;
    fn thread_page(article: ArticleId, query: ThreadQuery) -> ThreadPage;
});

delegate!(SettingStore {
    fn setting(key: &str) -> Option<String>;
    fn insert_setting_if_absent(key: &str, value: &str) -> bool;
    fn delete_setting_if(key: &str, value: &str) -> bool;
    fn delete_setting(key: &str) -> ();
});

delegate!(UserStore {
    fn create_user(user: &NewUser) -> User;
    fn user(id: UserId) -> User;
    fn user_by_email(email: &str) -> User;
    fn set_role(id: UserId, role: Role) -> ();
    fn set_password_hash(id: UserId, hash: &str) -> ();
    fn set_display_name(id: UserId, name: &str) -> ();
    fn set_email_verified(id: UserId) -> ();
    fn count_users() -> i64;
    fn set_email(id: UserId, email: &str) -> ();
    fn delete_user(id: UserId, comments: DeletedComments) -> ();
    fn list_users(query: &UserQuery) -> Vec<User>;
    fn staff() -> Vec<User>;
    fn set_suspended(id: UserId, suspended: bool) -> ();
    fn user_by_identity(provider: &str, subject: &str) -> User;
    fn link_identity(provider: &str, subject: &str, user: UserId, now: Timestamp) -> ();
});

delegate!(SessionStore {
    fn create_session(session: &NewSession) -> ();
    fn session_user(token_hash: &str, now: Timestamp) -> Option<User>;
    fn delete_session(token_hash: &str) -> ();
    fn delete_user_sessions(user: UserId) -> u64;
    fn create_sign_in_token(token_hash: &str, user: UserId, expires_at: Timestamp) -> ();
    fn take_sign_in_token(token_hash: &str, now: Timestamp) -> Option<UserId>;
});

delegate!(ModerationStore {
    fn queue(query: &QueueQuery) -> Vec<QueueItem>;
    fn queue_counts(filter: &QueueFilter) -> QueueCounts;
    fn change_comment(change: &CommentChange) -> Comment;
    fn comment_edits(comment: CommentId) -> Vec<CommentEdit>;
    fn report_comment(report: &NewReport) -> Comment;
    fn reports(comment: CommentId) -> Vec<Report>;
    fn author_history(author: &AuthorKey, limit: u32) -> Vec<PastComment>;
    fn author_counts(author: &AuthorKey) -> AuthorCounts;
    fn author_comments(author: &AuthorKey, limit: u32) -> Vec<Comment>;
    fn author_restriction(author: &AuthorKey) -> AuthorRestriction;
    fn author_standing(author: &AuthorKey, history_limit: u32) -> AuthorStanding;
    fn set_author_restriction(author: &AuthorKey, restriction: &AuthorRestriction, at: Timestamp, audit: &NewAuditEntry) -> ();
    fn add_moderator_note(author: &AuthorKey, note: &ModeratorNote, moderator: Option<UserId>, audit: &NewAuditEntry) -> ();
    fn moderator_notes(author: &AuthorKey) -> Vec<ModeratorNote>;
    fn append_audit(entry: &NewAuditEntry) -> ();
    fn audit_log(query: &AuditQuery) -> Vec<AuditEntry>;
    fn save_setting_audited(key: &str, value: &str, audit: &NewAuditEntry) -> ();
    fn set_discussion(article: ArticleId, comments_open: bool, discussion: &str, audit: &NewAuditEntry) -> ();
    fn featured_comments(article: ArticleId) -> Vec<Comment>;
    fn own_pending(article: ArticleId, user: Option<UserId>, token_hash: Option<&str>) -> Vec<Comment>;
    fn rejected_count(article: ArticleId) -> i64;
});

delegate!(WebhookStore {
    fn create_endpoint(endpoint: &NewEndpoint, audit: &NewAuditEntry) -> Endpoint;
    fn endpoints() -> Vec<Endpoint>;
    fn endpoint(id: i64) -> Endpoint;
    fn set_endpoint_active(id: i64, active: bool, audit: &NewAuditEntry) -> ();
    fn rotate_endpoint_secret(id: i64, secret_id: &str, secret: &str, audit: &NewAuditEntry) -> ();
    fn claim_deliveries(now: Timestamp, lease_until: Timestamp, limit: u32) -> Vec<(Delivery, Endpoint)>;
    fn finish_delivery(id: i64, attempt: &Attempt, at: Timestamp) -> ();
    fn deliveries(endpoint: Option<i64>, before: Option<i64>, limit: u32) -> Vec<Delivery>;
    fn redeliver(id: i64, now: Timestamp, audit: &NewAuditEntry) -> i64;
});

delegate!(PerspectiveStore {
    fn create_api_key(key: &NewApiKey, audit: &NewAuditEntry) -> ApiKey;
    fn api_keys() -> Vec<ApiKey>;
    fn active_api_key(key_hash: &str) -> Option<ApiKey>;
    fn revoke_api_key(id: i64, at: Timestamp, audit: &NewAuditEntry) -> ();
    fn add_example(example: &LabelledExample) -> i64;
    fn examples(after: i64, limit: u32) -> Vec<(i64, LabelledExample)>;
});

delegate!(NewsroomStore {
    fn create_article_with(article: &NewArticle, extras: &ExtrasWrite) -> Article;
    fn save_article(save: &ArticleSave) -> Article;
    fn change_status(change: &StatusChange) -> Article;
    fn newsroom_articles(filter: &NewsroomFilter) -> Vec<NewsroomItem>;
    fn article_revisions(article: ArticleId) -> Vec<RevisionSummary>;
    fn article_revision(article: ArticleId, number: i32) -> Revision;
    fn slug_redirect(old_slug: &Slug) -> Option<String>;
    fn note_editor_presence(article: ArticleId, user: &Writer, at: Timestamp, since: Timestamp) -> Vec<Presence>;
    fn claim_due_articles(now: Timestamp) -> Vec<ClaimedArticle>;
    fn scheduled_publications(article: ArticleId) -> Vec<Timestamp>;
});

delegate!(CorrectionStore {
    fn add_correction(correction: &NewCorrection) -> Correction;
    fn corrections_of(article: ArticleId) -> Vec<Correction>;
    fn list_corrections(page: &CorrectionPage) -> Vec<ListedCorrection>;
});

delegate!(AuthorStore {
    fn create_author(author: &AuthorProfileWrite) -> AuthorProfile;
    fn update_author(id: i64, author: &AuthorProfileWrite) -> AuthorProfile;
    fn author_by_slug(slug: &str) -> AuthorProfile;
    fn author_of_user(user: UserId) -> Option<AuthorProfile>;
    fn authors() -> Vec<AuthorProfile>;
    fn set_bylines(article: ArticleId, authors: &[i64]) -> ();
    fn bylines_of(article: ArticleId) -> Vec<AuthorProfile>;
    fn articles_by_author(author: i64, now: Timestamp, limit: u32, offset: u32) -> Vec<ArticleSummary>;
});

delegate!(Store {
    fn migrate() -> ();
    fn ping() -> ();
});

delegate!(MediaStore {
    fn create_image(image: &NewImage) -> StoredImage;
    fn image(id: i64) -> StoredImage;
    fn image_by_key(key: &str) -> StoredImage;
    fn recent_images(before: Option<i64>, limit: u32) -> Vec<StoredImage>;
    fn set_featured_image(article: ArticleId, image: i64, alt: &str, caption: &str, credit: &str) -> ();
    fn clear_featured_image(article: ArticleId) -> ();
    fn featured_image(article: ArticleId) -> Option<FeaturedImage>;
});
