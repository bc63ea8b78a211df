//! Tribune's domain: values that cannot be invalid once parsed, and the rules
//! of articles and discussions. Nothing here knows about HTTP or SQL.

pub mod account;
pub mod article;
pub mod author;
pub mod authoring;
pub mod comment;
pub mod correction;
pub mod error;
pub mod ids;
pub mod local_path;
pub mod markdown;
pub mod media;
pub mod moderation;
pub mod search;
pub mod slug;
pub mod thread;
pub mod timestamp;

pub use article::{Byline, Headline, NewArticle, Section, Standfirst, Tag};
pub use authoring::{ArticleStatus, Writer};
pub use comment::{AuthorName, CommentBody, CommentStatus, Email, NewComment, SortOrder, Website};
pub use correction::CorrectionNote;
pub use error::{FieldError, ValidationErrors};
pub use ids::{ArticleId, CommentId, UserId};
pub use local_path::LocalPath;
pub use search::SearchTerms;
pub use slug::Slug;
pub use thread::{ThreadPath, MAX_DEPTH_DEFAULT};
pub use timestamp::Timestamp;
