//! Accounts and sessions.

use crate::fixtures::unique;

fn named(prefix: &str) -> String {
    format!("{prefix}-{:x}", unique())
}
use std::sync::Arc;
use tribune_domain::account::Role;
use tribune_domain::{Timestamp, UserId};
use tribune_store::{DbError, NewSession, NewUser, Store};

fn new_user(email: &str) -> NewUser {
    NewUser {
        email: email.to_owned(),
        display_name: "Rosa Reader".to_owned(),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned()),
        role: Role::Commenter,
        email_verified: false,
        created_at: Timestamp(1_700_000_000_000),
    }
}

fn session(token: &str, user: UserId, expires_at: i64) -> NewSession {
    NewSession {
        token_hash: token.to_owned(),
        user_id: user,
        created_at: Timestamp(1_000),
        expires_at: Timestamp(expires_at),
    }
}

pub async fn an_account_is_stored_found_by_email_and_unique_by_email(store: Arc<dyn Store>) {
    let email = format!("{}@example.org", named("user"));
    let user = store.create_user(&new_user(&email)).await.expect("create");
    assert_eq!(user.email, email);
    assert_eq!(user.role, Role::Commenter);
    assert!(user.password_hash.as_deref().is_some_and(|h| h.starts_with("$argon2id$")));
    assert_eq!(store.user_by_email(&email).await.expect("by email").id, user.id);
    assert_eq!(store.user(user.id).await.expect("by id").email, email);
    match store.create_user(&new_user(&email)).await {
        Err(DbError::Conflict { constraint }) => assert_eq!(constraint, "users_email"),
        other => panic!("a second account for one address is a conflict, got {other:?}"),
    }
    assert!(matches!(store.user_by_email("nobody@example.org").await, Err(DbError::NotFound)));
}

pub async fn roles_and_passwords_change_and_unknown_accounts_are_not_found(store: Arc<dyn Store>) {
    let user = store.create_user(&new_user(&format!("{}@example.org", named("role")))).await.expect("create");
    store.set_role(user.id, Role::Editor).await.expect("set role");
    store.set_password_hash(user.id, "$argon2id$new").await.expect("set password");
    store.set_display_name(user.id, "Rosa R.").await.expect("set name");
    let changed = store.user(user.id).await.expect("read");
    assert_eq!(changed.role, Role::Editor);
    assert_eq!(changed.password_hash.as_deref(), Some("$argon2id$new"));
    assert_eq!(changed.display_name, "Rosa R.");
    assert!(matches!(store.set_role(UserId(i64::MAX - 3), Role::Admin).await, Err(DbError::NotFound)));
    assert!(store.count_users().await.expect("count") >= 1);
}

pub async fn a_session_signs_in_until_it_expires_or_ends(store: Arc<dyn Store>) {
    let user = store.create_user(&new_user(&format!("{}@example.org", named("sess")))).await.expect("create");
    let (a, b, old) = (named("token-a"), named("token-b"), named("token-old"));
    store.create_session(&session(&a, user.id, 10_000)).await.expect("session a");
    store.create_session(&session(&b, user.id, 10_000)).await.expect("session b");
    store.create_session(&session(&old, user.id, 5_000)).await.expect("old session");

    assert_eq!(store.session_user(&a, Timestamp(6_000)).await.unwrap().map(|u| u.id), Some(user.id));
    assert!(store.session_user(&old, Timestamp(6_000)).await.unwrap().is_none(), "expired");
    assert!(store.session_user("never-issued", Timestamp(6_000)).await.unwrap().is_none());

    store.delete_session(&a).await.expect("sign out");
    assert!(store.session_user(&a, Timestamp(6_000)).await.unwrap().is_none());
    assert!(store.session_user(&b, Timestamp(6_000)).await.unwrap().is_some(), "other devices stay signed in");

    assert_eq!(store.delete_user_sessions(user.id).await.expect("everywhere"), 2);
    assert!(store.session_user(&b, Timestamp(6_000)).await.unwrap().is_none());
}

pub async fn a_sign_in_token_works_once_and_only_before_it_expires(store: Arc<dyn Store>) {
    let user = store.create_user(&new_user(&format!("{}@example.org", named("link")))).await.expect("create");
    let (fresh, stale) = (named("link-fresh"), named("link-stale"));
    store.create_sign_in_token(&fresh, user.id, Timestamp(10_000)).await.expect("fresh token");
    store.create_sign_in_token(&stale, user.id, Timestamp(5_000)).await.expect("stale token");
    assert_eq!(store.take_sign_in_token(&fresh, Timestamp(6_000)).await.unwrap(), Some(user.id));
    assert_eq!(store.take_sign_in_token(&fresh, Timestamp(6_000)).await.unwrap(), None, "single use");
    assert_eq!(store.take_sign_in_token(&stale, Timestamp(6_000)).await.unwrap(), None, "expired");
    assert_eq!(store.take_sign_in_token("never-issued", Timestamp(6_000)).await.unwrap(), None);
}

pub async fn a_deleted_account_leaves_no_personal_data_behind(store: Arc<dyn Store>) {
    use crate::fixtures::{new_comment, published_article};
    use tribune_domain::CommentStatus;
    use tribune_store::DeletedComments;
    let article = published_article(&*store, "deleted-accounts").await;
    for (choice, status) in
        [(DeletedComments::Anonymize, CommentStatus::Published), (DeletedComments::Remove, CommentStatus::Removed)]
    {
        let email = format!("{}@example.org", named("gone"));
        let user = store.create_user(&new_user(&email)).await.expect("create");
        store.create_session(&session(&named("gone-session"), user.id, i64::MAX)).await.expect("session");
        let mut mine = new_comment(article.id, None, CommentStatus::Published);
        mine.user_id = Some(user.id);
        mine.author_key = tribune_domain::moderation::AuthorKey::Account(user.id);
        let mine = store.create_comment(&mine).await.expect("comment");

        store.delete_user(user.id, choice).await.expect("delete");
        assert!(matches!(store.user(user.id).await, Err(DbError::NotFound)));
        assert_eq!(store.delete_user_sessions(user.id).await.expect("sessions"), 0, "sessions went with it");
        let left = store.comment(mine.id).await.expect("the comment row stays");
        assert_eq!((left.author_name.as_str(), left.author_email.as_str()), ("[deleted]", ""));
        assert_eq!(left.status, status, "{choice:?}");
        assert_eq!(left.author_key, "", "nothing links the comment to the erased account");
        if choice == DeletedComments::Remove {
            assert!(left.body_html.is_empty());
        }
        assert!(matches!(store.delete_user(user.id, choice).await, Err(DbError::NotFound)));
    }
}

pub async fn an_email_change_is_unique_and_unverified(store: Arc<dyn Store>) {
    let first = format!("{}@example.org", named("first"));
    let second = format!("{}@example.org", named("second"));
    let a = store.create_user(&NewUser { email_verified: true, ..new_user(&first) }).await.expect("a");
    store.create_user(&new_user(&second)).await.expect("b");
    match store.set_email(a.id, &second).await {
        Err(DbError::Conflict { constraint }) => assert_eq!(constraint, "users_email"),
        other => panic!("a taken address is a conflict, got {other:?}"),
    }
    let moved = format!("{}@example.org", named("moved"));
    store.set_email(a.id, &moved).await.expect("change");
    let changed = store.user(a.id).await.expect("read");
    assert_eq!(changed.email, moved);
    assert!(!changed.email_verified);
    store.set_email_verified(a.id).await.expect("verify");
    assert!(store.user(a.id).await.expect("read").email_verified);
}

pub async fn accounts_are_listed_newest_first_searched_and_paged(store: Arc<dyn Store>) {
    use tribune_store::UserQuery;
    // A tag only this run's accounts carry, with a LIKE wildcard in it that must match literally.
    let tag = named("list_%");
    let mut made = Vec::new();
    for n in 0..3 {
        let mut user = new_user(&format!("{tag}-{n}@example.org"));
        user.display_name = format!("Lister {n}");
        made.push(store.create_user(&user).await.expect("create").id);
    }
    let mut other = new_user(&format!("{}@example.org", named("unlisted")));
    other.display_name = format!("Named {}", tag.to_uppercase());
    let by_name = store.create_user(&other).await.expect("create").id;

    let search = |before, limit| UserQuery { search: Some(tag.to_uppercase()), before, limit };
    let all: Vec<UserId> = store.list_users(&search(None, 10)).await.expect("list").iter().map(|u| u.id).collect();
    assert_eq!(all, [by_name, made[2], made[1], made[0]], "newest first, by e-mail or name, any case");
    let first: Vec<UserId> = store.list_users(&search(None, 2)).await.expect("page").iter().map(|u| u.id).collect();
    assert_eq!(first, [by_name, made[2]]);
    let next: Vec<UserId> =
        store.list_users(&search(Some(made[2]), 2)).await.expect("next").iter().map(|u| u.id).collect();
    assert_eq!(next, [made[1], made[0]]);
    let wildcard = UserQuery { search: Some(tag.replace('%', "_")), before: None, limit: 10 };
    assert!(store.list_users(&wildcard).await.expect("list").is_empty(), "`%` and `_` are matched literally");
    let everyone = UserQuery { search: None, before: None, limit: 1000 };
    assert!(store.list_users(&everyone).await.expect("list").len() >= 4);
}

pub async fn a_suspension_is_kept_and_lifted(store: Arc<dyn Store>) {
    let user = store.create_user(&new_user(&format!("{}@example.org", named("suspended")))).await.expect("create");
    assert!(!user.suspended, "accounts start in good standing");
    store.set_suspended(user.id, true).await.expect("suspend");
    assert!(store.user(user.id).await.expect("read").suspended);
    store.create_session(&session(&named("suspended-session"), user.id, i64::MAX)).await.expect("session");
    store.set_suspended(user.id, false).await.expect("lift");
    assert!(!store.user(user.id).await.expect("read").suspended);
    assert!(matches!(store.set_suspended(UserId(i64::MAX - 5), true).await, Err(DbError::NotFound)));
}

pub async fn an_outside_identity_finds_its_one_account(store: Arc<dyn Store>) {
    let user = store.create_user(&new_user(&format!("{}@example.org", named("linked")))).await.expect("create");
    let subject = named("subject");
    let issuer = "https://id.example.org";
    assert!(matches!(store.user_by_identity(issuer, &subject).await, Err(DbError::NotFound)));
    store.link_identity(issuer, &subject, user.id, Timestamp(5)).await.expect("link");
    assert_eq!(store.user_by_identity(issuer, &subject).await.expect("found").id, user.id);
    assert!(matches!(store.user_by_identity("https://other.example.org", &subject).await, Err(DbError::NotFound)));
    let someone_else = store.create_user(&new_user(&format!("{}@example.org", named("other")))).await.expect("create");
    assert!(matches!(
        store.link_identity(issuer, &subject, someone_else.id, Timestamp(6)).await,
        Err(DbError::Conflict { .. })
    ));
    assert!(matches!(
        store.link_identity(issuer, &named("nobody"), UserId(i64::MAX - 7), Timestamp(6)).await,
        Err(DbError::NotFound)
    ));
    store.delete_user(user.id, tribune_store::DeletedComments::Anonymize).await.expect("delete");
    assert!(matches!(store.user_by_identity(issuer, &subject).await, Err(DbError::NotFound)), "gone with the account");
}

pub async fn an_account_lists_its_own_comments_with_their_articles(store: Arc<dyn Store>) {
    use crate::fixtures::{new_comment, published_article};
    use tribune_domain::CommentStatus;
    let article = published_article(&*store, "my-comments").await;
    let user = store.create_user(&new_user(&format!("{}@example.org", named("author")))).await.expect("create");
    let mut ids = Vec::new();
    for status in [CommentStatus::Published, CommentStatus::Published, CommentStatus::Deleted] {
        let mut mine = new_comment(article.id, None, status);
        mine.user_id = Some(user.id);
        ids.push(store.create_comment(&mine).await.expect("comment").id);
    }
    store.create_comment(&new_comment(article.id, None, CommentStatus::Published)).await.expect("someone else's");

    let listed = store.comments_by_user(user.id, None, 10).await.expect("list");
    let listed_ids: Vec<_> = listed.iter().map(|c| c.comment.id).collect();
    assert_eq!(listed_ids, [ids[1], ids[0]], "newest first, deleted ones left out");
    assert_eq!(listed[0].article_slug, article.slug);
    assert_eq!(listed[0].article_headline, article.headline);
    let older = store.comments_by_user(user.id, Some(ids[1]), 10).await.expect("older");
    assert_eq!(older.iter().map(|c| c.comment.id).collect::<Vec<_>>(), [ids[0]]);
    assert!(store.comments_by_user(UserId(i64::MAX - 9), None, 10).await.expect("nobody's").is_empty());
}
