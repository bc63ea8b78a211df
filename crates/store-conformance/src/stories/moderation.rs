//! Moderation: queues, decisions with their audit entries, reports, edits,
//! authors' records and restrictions, settings. Stories filter queues by
//! their own article, since they share one database with other stories.

use crate::fixtures::{comment_with, ids, new_comment, published_article, unique};
use std::sync::Arc;
use tribune_domain::comment::SortOrder;
use tribune_domain::moderation::{AuthorKey, Queue, Reason, RejectReason, ReportReason, Step};
use tribune_domain::{ArticleId, CommentStatus, Timestamp, UserId};
use tribune_store::{
    Actor, AuditQuery, AuthorRestriction, BodyEdit, Comment, CommentChange, DbError, ModeratorNote, NewAuditEntry,
    NewReport, QueueFilter, QueueQuery, Store, ThreadQuery,
};

pub(crate) fn moderator() -> Actor {
    Actor { id: Some(UserId(7)), name: "Mo Derator".to_owned() }
}

pub(crate) fn audit(action: &str, article: Option<ArticleId>, target: String) -> NewAuditEntry {
    NewAuditEntry {
        at: Timestamp(1_700_000_200_000),
        actor: moderator(),
        action: action.to_owned(),
        target_kind: "comment",
        target_id: target,
        article_id: article,
        reason: "because".to_owned(),
        before: Some(r#"{"status":"pending"}"#.to_owned()),
        after: Some(r#"{"status":"published"}"#.to_owned()),
    }
}

fn approve(comment: &Comment) -> CommentChange {
    let mut change = CommentChange::new(comment.id, moderator(), Timestamp(1_700_000_200_000));
    change.expected_version = Some(comment.version);
    change.status = Some(CommentStatus::Published);
    change.reject = Some(None);
    change.mark_moderated = true;
    change.resolve_reports = true;
    change.audit = Some(audit("comment.approve", Some(comment.article_id), comment.id.to_string()));
    change
}

fn in_article(queue: Queue, article: ArticleId) -> QueueQuery {
    QueueQuery {
        queue,
        filter: QueueFilter { article: Some(article), section_slug: None },
        oldest_first: true,
        after: None,
        limit: 50,
    }
}

async fn queue_ids(store: &dyn Store, queue: Queue, article: ArticleId) -> Vec<i64> {
    let items = store.queue(&in_article(queue, article)).await.expect("read a queue");
    items.iter().map(|item| item.comment.id.0).collect()
}

async fn held(store: &dyn Store, article: ArticleId) -> Comment {
    let mut comment = new_comment(article, None, CommentStatus::Pending);
    let mut reason = Reason::new(Step::SuspectWords, "suspect_words", "Suspect: “crook”.");
    reason.words = vec![tribune_domain::moderation::WordMatch { entry: "crook".to_owned(), start: 2, end: 7 }];
    comment.reasons = vec![reason];
    comment.fingerprint = Some(-42);
    store.create_comment(&comment).await.expect("store a held comment")
}

pub async fn a_held_comment_waits_with_its_reasons_until_approved(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "held").await;
    let comment = held(s, article.id).await;
    assert_eq!((comment.status, comment.version, comment.moderated_at), (CommentStatus::Pending, 1, None));
    assert_eq!(comment.reasons[0].words[0].entry, "crook");
    assert_eq!(comment.fingerprint, Some(-42));

    let pending = s.queue(&in_article(Queue::Pending, article.id)).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].article_slug.as_str(), pending[0].section.as_str()),
        (article.slug.as_str(), "Science & Nature")
    );
    assert_eq!(pending[0].comment.reasons, comment.reasons);
    let filter = QueueFilter { article: Some(article.id), section_slug: None };
    let counts = s.queue_counts(&filter).await.unwrap();
    assert_eq!((counts.pending, counts.approved, counts.unmoderated), (1, 0, 0));
    let page = ThreadQuery { sort: SortOrder::Oldest, after_root: None, roots: 10 };
    assert!(s.thread_page(article.id, page).await.unwrap().comments.is_empty(), "readers do not see it");

    let approved = s.change_comment(&approve(&comment)).await.expect("approve");
    assert_eq!(approved.status, CommentStatus::Published);
    assert_eq!(approved.version, 2);
    assert_eq!(approved.moderator_name, "Mo Derator");
    assert_eq!(approved.moderated_by, Some(UserId(7)));
    assert!(approved.moderated_at.is_some());
    assert_eq!(queue_ids(s, Queue::Pending, article.id).await, Vec::<i64>::new());
    assert_eq!(queue_ids(s, Queue::Approved, article.id).await, vec![comment.id.0]);
    assert_eq!(ids(&s.thread_page(article.id, page).await.unwrap().comments), vec![comment.id]);

    let log = s.audit_log(&AuditQuery { article: Some(article.id), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(log.len(), 1, "one entry per decision");
    assert_eq!((log[0].action.as_str(), log[0].actor_name.as_str()), ("comment.approve", "Mo Derator"));
    assert_eq!(log[0].before.as_deref(), Some(r#"{"status":"pending"}"#));
}

pub async fn a_decision_on_a_stale_version_is_a_conflict_and_changes_nothing(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "stale").await;
    let comment = held(s, article.id).await;
    s.change_comment(&approve(&comment)).await.expect("the first moderator wins");
    let mut second =
        CommentChange::new(comment.id, Actor { id: Some(UserId(8)), name: "Late".to_owned() }, Timestamp(2));
    second.expected_version = Some(comment.version);
    second.status = Some(CommentStatus::Rejected);
    second.reject = Some(Some((RejectReason::Spam, String::new())));
    second.mark_moderated = true;
    second.audit = Some(audit("comment.reject", Some(article.id), comment.id.to_string()));
    match s.change_comment(&second).await {
        Err(DbError::Conflict { constraint }) => assert_eq!(constraint, "comment_version"),
        other => panic!("a stale decision is a conflict, got {other:?}"),
    }
    let now = s.comment(comment.id).await.unwrap();
    assert_eq!((now.status, now.moderator_name.as_str(), now.version), (CommentStatus::Published, "Mo Derator", 2));
    let log = s.audit_log(&AuditQuery { article: Some(article.id), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(log.len(), 1, "the refused decision left no audit entry");
    let missing = CommentChange::new(tribune_domain::CommentId(i64::MAX - 3), moderator(), Timestamp(3));
    assert!(matches!(s.change_comment(&missing).await, Err(DbError::NotFound)));
}

pub async fn a_rejection_keeps_its_reason_and_an_approval_clears_it(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "reject").await;
    let comment = comment_with(s, article.id, None, CommentStatus::Published).await;
    assert_eq!(queue_ids(s, Queue::Unmoderated, article.id).await, vec![comment.id.0]);
    let mut reject = CommentChange::new(comment.id, moderator(), Timestamp(5));
    reject.status = Some(CommentStatus::Rejected);
    reject.reject = Some(Some((RejectReason::OffTopic, "About another story".to_owned())));
    reject.mark_moderated = true;
    let rejected = s.change_comment(&reject).await.unwrap();
    assert_eq!(rejected.reject_reason, Some(RejectReason::OffTopic));
    assert_eq!(rejected.reject_note, "About another story");
    assert_eq!(queue_ids(s, Queue::Rejected, article.id).await, vec![comment.id.0]);
    assert_eq!(queue_ids(s, Queue::Unmoderated, article.id).await, Vec::<i64>::new());
    assert_eq!(s.rejected_count(article.id).await.unwrap(), 1);
    let approved = s.change_comment(&approve(&rejected)).await.unwrap();
    assert_eq!((approved.reject_reason, approved.reject_note.as_str()), (None, ""));
    assert_eq!(s.rejected_count(article.id).await.unwrap(), 0);
}

pub async fn reports_count_once_per_reader_and_close_with_a_decision(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "reports").await;
    let comment = comment_with(s, article.id, None, CommentStatus::Published).await;
    let report = |reporter: &str| NewReport {
        comment: comment.id,
        reporter: reporter.to_owned(),
        user_id: None,
        reason: ReportReason::Abusive,
        note: "rude".to_owned(),
        at: Timestamp(10),
    };
    let once = s.report_comment(&report("user:1")).await.unwrap();
    assert_eq!((once.open_reports, once.version), (1, 2));
    match s.report_comment(&report("user:1")).await {
        Err(DbError::Conflict { constraint }) => assert_eq!(constraint, "comment_reports_once"),
        other => panic!("a second report by one reader is a conflict, got {other:?}"),
    }
    let twice = s.report_comment(&report(&format!("guest:{}", unique()))).await.unwrap();
    assert_eq!(twice.open_reports, 2);
    assert_eq!(queue_ids(s, Queue::Reported, article.id).await, vec![comment.id.0]);
    assert_eq!(s.reports(comment.id).await.unwrap().len(), 2);
    let mut missing = report("user:2");
    missing.comment = tribune_domain::CommentId(i64::MAX - 4);
    assert!(matches!(s.report_comment(&missing).await, Err(DbError::NotFound)));

    let approved = s.change_comment(&approve(&twice)).await.unwrap();
    assert_eq!(approved.open_reports, 0);
    assert_eq!(queue_ids(s, Queue::Reported, article.id).await, Vec::<i64>::new());
    assert!(s.reports(comment.id).await.unwrap().iter().all(|r| r.resolved));
}

pub async fn an_edit_keeps_the_original_body_and_featuring_pins_a_comment(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "edit").await;
    let comment = comment_with(s, article.id, None, CommentStatus::Published).await;
    let mut edit = CommentChange::new(comment.id, moderator(), Timestamp(20));
    edit.edit = Some(BodyEdit {
        body_markdown: "I agree (edited).".to_owned(),
        body_html: "<p>I agree (edited).</p>".to_owned(),
        reason: "Removed a phone number".to_owned(),
    });
    edit.featured = Some(true);
    let edited = s.change_comment(&edit).await.unwrap();
    assert_eq!((edited.body_markdown.as_str(), edited.edited_at), ("I agree (edited).", Some(Timestamp(20))));
    let edits = s.comment_edits(comment.id).await.unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!((edits[0].body_before.as_str(), edits[0].reason.as_str()), ("I *agree*.", "Removed a phone number"));
    assert_eq!(ids(&s.featured_comments(article.id).await.unwrap()), vec![comment.id]);
    let mut unfeature = CommentChange::new(comment.id, moderator(), Timestamp(21));
    unfeature.featured = Some(false);
    s.change_comment(&unfeature).await.unwrap();
    assert!(s.featured_comments(article.id).await.unwrap().is_empty());
}

pub async fn queues_page_by_id_both_ways_and_filter_by_section(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "paging").await;
    let mut created = Vec::new();
    for _ in 0..5 {
        created.push(held(s, article.id).await.id.0);
    }
    let mut query = in_article(Queue::Pending, article.id);
    query.limit = 2;
    let first = s.queue(&query).await.unwrap();
    query.after = first.last().map(|i| i.comment.id);
    let second = s.queue(&query).await.unwrap();
    let seen: Vec<i64> = first.iter().chain(&second).map(|i| i.comment.id.0).collect();
    assert_eq!(seen, created[..4].to_vec());
    let newest = QueueQuery { oldest_first: false, limit: 3, ..in_article(Queue::Pending, article.id) };
    let newest_ids: Vec<i64> = s.queue(&newest).await.unwrap().iter().map(|i| i.comment.id.0).collect();
    assert_eq!(newest_ids, vec![created[4], created[3], created[2]]);

    let by_section = QueueQuery {
        filter: QueueFilter { article: None, section_slug: Some(article.section_slug.clone()) },
        limit: 1000,
        ..in_article(Queue::Pending, article.id)
    };
    let in_section: Vec<i64> = s.queue(&by_section).await.unwrap().iter().map(|i| i.comment.id.0).collect();
    assert!(created.iter().all(|id| in_section.contains(id)));
    let elsewhere = QueueQuery {
        filter: QueueFilter { article: None, section_slug: Some("no-such-section".to_owned()) },
        ..by_section
    };
    assert!(s.queue(&elsewhere).await.unwrap().is_empty());
}

pub async fn an_authors_record_restrictions_and_notes_are_kept(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "author").await;
    let author = AuthorKey::guest(&format!("writer{}@example.org", unique()));
    let mut statuses = Vec::new();
    for status in [CommentStatus::Published, CommentStatus::Rejected, CommentStatus::Pending, CommentStatus::Published]
    {
        let mut comment = new_comment(article.id, None, status);
        comment.author_key = author.clone();
        comment.fingerprint = Some(statuses.len() as i64);
        statuses.push(s.create_comment(&comment).await.unwrap().id);
    }
    let history = s.author_history(&author, 3).await.unwrap();
    assert_eq!(history.iter().map(|c| c.id).collect::<Vec<_>>(), vec![statuses[3], statuses[2], statuses[1]]);
    assert_eq!((history[0].status, history[0].fingerprint), (CommentStatus::Published, Some(3)));
    let counts = s.author_counts(&author).await.unwrap();
    assert_eq!((counts.published, counts.rejected, counts.pending), (2, 1, 1));
    assert_eq!(s.author_comments(&author, 10).await.unwrap().len(), 4);
    assert!(s.author_history(&AuthorKey::guest("nobody@example.org"), 5).await.unwrap().is_empty());

    assert_eq!(s.author_restriction(&author).await.unwrap(), AuthorRestriction::default());
    let standing = s.author_standing(&author, 3).await.unwrap();
    assert_eq!((standing.restriction, standing.history), (AuthorRestriction::default(), history.clone()));
    let stranger = s.author_standing(&AuthorKey::guest("nobody@example.org"), 5).await.unwrap();
    assert_eq!(stranger, Default::default());
    let banned = AuthorRestriction {
        banned: true,
        suspended_until: Some(Timestamp(99)),
        message: "Banned for spam.".to_owned(),
        warning: Some("Be civil.".to_owned()),
        always_premoderate: true,
    };
    s.set_author_restriction(&author, &banned, Timestamp(30), &audit("author.ban", None, author.as_stored()))
        .await
        .unwrap();
    assert_eq!(s.author_restriction(&author).await.unwrap(), banned);
    let standing = s.author_standing(&author, 3).await.unwrap();
    assert_eq!(standing.restriction, banned);
    assert_eq!(standing.history, history, "the standing holds the same history, newest first");
    let lifted = AuthorRestriction { always_premoderate: true, ..Default::default() };
    s.set_author_restriction(&author, &lifted, Timestamp(31), &audit("author.unban", None, author.as_stored()))
        .await
        .unwrap();
    assert_eq!(s.author_restriction(&author).await.unwrap(), lifted);

    let note = ModeratorNote {
        body: "Posts links to a shop.".to_owned(),
        moderator_name: "Mo".to_owned(),
        created_at: Timestamp(32),
    };
    s.add_moderator_note(&author, &note, Some(UserId(7)), &audit("author.note", None, author.as_stored()))
        .await
        .unwrap();
    let notes = s.moderator_notes(&author).await.unwrap();
    assert_eq!((notes.len(), notes[0].body.as_str()), (1, "Posts links to a shop."));
    let log = s
        .audit_log(&AuditQuery { action: Some("author.ban".to_owned()), limit: 500, ..Default::default() })
        .await
        .unwrap();
    assert!(log.iter().any(|e| e.target_id == author.as_stored()));
}

pub async fn authors_see_their_own_held_comments_and_no_one_elses(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "own").await;
    let token = format!("token-{}", unique());
    let mut by_guest = new_comment(article.id, None, CommentStatus::Pending);
    by_guest.author_token = Some(token.clone());
    let by_guest = s.create_comment(&by_guest).await.unwrap();
    let user = s
        .create_user(&tribune_store::NewUser {
            email: format!("own{}@example.org", unique()),
            display_name: "Own".to_owned(),
            password_hash: None,
            role: tribune_domain::account::Role::Commenter,
            email_verified: true,
            created_at: Timestamp(1),
        })
        .await
        .unwrap();
    let mut by_account = new_comment(article.id, None, CommentStatus::Pending);
    by_account.user_id = Some(user.id);
    let by_account = s.create_comment(&by_account).await.unwrap();
    let _someone_else = held(s, article.id).await;
    assert_eq!(ids(&s.own_pending(article.id, None, Some(&token)).await.unwrap()), vec![by_guest.id]);
    assert_eq!(ids(&s.own_pending(article.id, Some(user.id), None).await.unwrap()), vec![by_account.id]);
    assert!(s.own_pending(article.id, None, None).await.unwrap().is_empty());
    assert!(s.own_pending(article.id, None, Some("another-token")).await.unwrap().is_empty());
}

pub async fn settings_and_discussions_are_saved_with_their_audit_entries(store: Arc<dyn Store>) {
    let s = &*store;
    let key = format!("moderation-test-{}", unique());
    s.save_setting_audited(&key, r#"{"premoderation":"all"}"#, &audit("settings.update", None, key.clone()))
        .await
        .unwrap();
    s.save_setting_audited(&key, r#"{"premoderation":"none"}"#, &audit("settings.update", None, key.clone()))
        .await
        .unwrap();
    assert_eq!(s.setting(&key).await.unwrap().as_deref(), Some(r#"{"premoderation":"none"}"#));

    let article = published_article(s, "discussion").await;
    assert_eq!(article.discussion, "{}");
    let settings = r#"{"closed_message":"Closed for the night."}"#;
    s.set_discussion(
        article.id,
        false,
        settings,
        &audit("article.discussion", Some(article.id), article.id.to_string()),
    )
    .await
    .unwrap();
    let changed = s.article_by_slug(&tribune_domain::Slug::parse(&article.slug).unwrap()).await.unwrap();
    assert_eq!((changed.comments_open, changed.discussion.as_str()), (false, settings));
    let entry = audit("article.discussion", None, String::new());
    let missing = s.set_discussion(ArticleId(i64::MAX - 9), true, "{}", &entry).await;
    assert!(matches!(missing, Err(DbError::NotFound)));
    let log = s.audit_log(&AuditQuery { article: Some(article.id), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["article.discussion"]);
}

pub async fn a_published_reply_under_a_hidden_comment_stays_under_a_placeholder(store: Arc<dyn Store>) {
    let s = &*store;
    let article = published_article(s, "placeholder").await;
    let root = comment_with(s, article.id, None, CommentStatus::Published).await;
    let reply = comment_with(s, article.id, Some(root.id), CommentStatus::Published).await;
    let _held_reply = comment_with(s, article.id, Some(root.id), CommentStatus::Pending).await;
    let hidden_alone = comment_with(s, article.id, None, CommentStatus::Published).await;
    let mut reject = CommentChange::new(root.id, moderator(), Timestamp(40));
    reject.status = Some(CommentStatus::Rejected);
    reject.reject = Some(Some((RejectReason::Abusive, String::new())));
    s.change_comment(&reject).await.unwrap();
    let mut reject_other = CommentChange::new(hidden_alone.id, moderator(), Timestamp(41));
    reject_other.status = Some(CommentStatus::Rejected);
    s.change_comment(&reject_other).await.unwrap();
    let after = comment_with(s, article.id, None, CommentStatus::Published).await;

    let query = ThreadQuery { sort: SortOrder::Oldest, after_root: None, roots: 10 };
    let page = s.thread_page(article.id, query).await.unwrap();
    assert_eq!(
        ids(&page.comments),
        vec![root.id, reply.id, after.id],
        "the held reply and the lone rejected comment are not shown"
    );
    let placeholder = &page.comments[0];
    assert_eq!(placeholder.status, CommentStatus::Rejected);
    assert!(
        placeholder.body_html.is_empty() && placeholder.author_name.is_empty() && placeholder.author_email.is_empty()
    );
    assert_eq!(page.total_published, 2, "only published comments count");
    let second = ThreadQuery { sort: SortOrder::Oldest, after_root: Some(root.id), roots: 1 };
    assert_eq!(s.thread_page(article.id, second).await.unwrap().first_number, 2, "the placeholder keeps its number");
}
