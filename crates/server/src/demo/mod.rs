//! The demo a newcomer sees on an empty database: one original article and a
//! threaded discussion under it (Saltmarsh is invented).

use tribune_domain::article::ArticleFields;
use tribune_domain::markdown::render_comment;
use tribune_domain::moderation::AuthorKey;
use tribune_domain::{AuthorName, CommentBody, CommentId, CommentStatus, Email, NewComment, Timestamp};
use tribune_store::{DbError, Store};

const ARTICLE: &str = include_str!("article.md");

/// (reply to the comment at this index, name, body, minutes before now)
const DISCUSSION: &[(Option<usize>, &str, &str, i64)] = &[
    (None, "Ines Calder", "About time. I used to wait for the 7:40 crossing in that lounge every morning; it has the best light in town.", 300),
    (Some(0), "Ravi Menon", "Same here. If they keep the long benches by the windows I will happily never go home.", 280),
    (Some(1), "Ines Calder", "The plans say *long tables under the windows*, so I think we are both in luck.", 262),
    (None, "Harbour Ward resident", "Councillor Lindqvist has a point about the foundations. Has anyone published the full surveyors' report, not just the summary?", 240),
    (Some(3), "Noor Haddad (Tribune)", "We have asked the council for the full report and will link it here when we get it.", 200),
    (Some(3), "Pieter Vos", "The summary says the frame is sound and the 12% contingency covers the windows. That is more than most projects get.", 190),
    (Some(5), "Harbour Ward resident", "Fair. I would still like to read it myself.", 150),
    (None, "Maya", "A study hall open until midnight is wonderful news for anyone sharing a flat with three people during exams.", 95),
    (None, "Jonas Reed", "Please keep the clock at twenty past four. It is the most honest clock in Saltmarsh.", 20),
];

pub async fn seed(store: &dyn Store) -> Result<(), DbError> {
    let now = Timestamp::now();
    let fields = ArticleFields::from_markdown_file(ARTICLE).map_err(invalid)?;
    let article = fields.parse(Timestamp(now.0 - 6 * 3_600_000)).map_err(invalid)?;
    let article = store.create_article(&article).await?;

    let mut ids: Vec<CommentId> = Vec::new();
    for (index, (reply_to, name, body, minutes_ago)) in DISCUSSION.iter().enumerate() {
        let body = CommentBody::parse(body, usize::MAX).map_err(invalid)?;
        let email = format!("reader{index}@demo.tribune.invalid");
        let comment = NewComment {
            article_id: article.id,
            parent_id: reply_to.map(|index| ids[index]),
            author_name: AuthorName::parse(name).map_err(invalid)?,
            author_email: Email::parse(&email).map_err(invalid)?,
            author_website: None,
            body_html: render_comment(body.as_str()),
            body,
            status: CommentStatus::Published,
            created_at: Timestamp(now.0 - minutes_ago * 60_000),
            user_id: None,
            author_key: AuthorKey::guest(&email),
            fingerprint: None,
            reasons: Vec::new(),
            reject_reason: None,
            flagged: false,
            author_token: None,
            notify_author: false,
            events: Vec::new(),
        };
        ids.push(store.create_comment(&comment).await?.id);
    }
    Ok(())
}

fn invalid(error: impl std::error::Error + Send + Sync + 'static) -> DbError {
    DbError::Other(Box::new(error))
}
