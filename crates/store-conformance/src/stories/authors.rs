//! Author profiles and the ordered bylines that tie articles to them.

use crate::fixtures::{new_article, published_article, unique, unique_slug};
use std::sync::Arc;
use tribune_domain::account::Role;
use tribune_domain::Timestamp;
use tribune_store::{AuthorProfileWrite, DbError, NewUser, Store};

pub(crate) fn profile(name: &str) -> AuthorProfileWrite {
    AuthorProfileWrite {
        slug: format!("author-{:x}", unique()),
        name: name.to_owned(),
        bio: "Writes about *bridges*.".to_owned(),
        photo_url: "/media/portrait.jpg".to_owned(),
        user_id: None,
        at: Timestamp(1_700_000_000_000),
    }
}

pub async fn a_profile_is_stored_unique_by_slug_and_account_and_edited(store: Arc<dyn Store>) {
    let account = store
        .create_user(&NewUser {
            email: format!("writer{:x}@example.org", unique()),
            display_name: "Writer".to_owned(),
            password_hash: None,
            role: Role::Commenter,
            email_verified: true,
            created_at: Timestamp(1_700_000_000_000),
        })
        .await
        .expect("account");
    let mut ada = profile("Ada Writer");
    ada.user_id = Some(account.id);
    let stored = store.create_author(&ada).await.expect("create");
    assert_eq!((stored.name.as_str(), stored.user_id, stored.created_at), ("Ada Writer", Some(account.id), ada.at));
    assert_eq!(store.author_by_slug(&ada.slug).await.expect("by slug"), stored);
    assert_eq!(store.author_of_user(account.id).await.expect("of user"), Some(stored.clone()));

    let same_slug = store.create_author(&AuthorProfileWrite { user_id: None, ..ada.clone() }).await;
    assert!(
        matches!(&same_slug, Err(DbError::Conflict { constraint }) if constraint == "author_profiles_slug"),
        "{same_slug:?}"
    );
    let same_account = store.create_author(&AuthorProfileWrite { user_id: Some(account.id), ..profile("Twin") }).await;
    assert!(
        matches!(&same_account, Err(DbError::Conflict { constraint }) if constraint == "author_profiles_user"),
        "{same_account:?}"
    );

    let edit =
        AuthorProfileWrite { bio: "Now writes about tunnels.".to_owned(), at: Timestamp(1_700_000_500_000), ..ada };
    let edited = store.update_author(stored.id, &edit).await.expect("update");
    assert_eq!(
        (edited.bio.as_str(), edited.created_at, edited.updated_at),
        ("Now writes about tunnels.", stored.created_at, edit.at)
    );
    assert!(matches!(store.update_author(i64::MAX - 3, &edit).await, Err(DbError::NotFound)));
    assert!(matches!(store.author_by_slug("no-such-author-here").await, Err(DbError::NotFound)));
    assert!(store.authors().await.expect("all").iter().any(|a| a.id == stored.id));
}

pub async fn bylines_keep_their_order_replace_at_once_and_list_an_authors_published_articles(store: Arc<dyn Store>) {
    let first = store.create_author(&profile("First Writer")).await.expect("first");
    let second = store.create_author(&profile("Second Writer")).await.expect("second");
    let older = published_article(store.as_ref(), "bylined").await;
    let newer = store
        .create_article(&new_article(&unique_slug("bylined-newer"), Some(Timestamp(1_700_000_900_000))))
        .await
        .expect("newer");
    let draft = store.create_article(&new_article(&unique_slug("bylined-draft"), None)).await.expect("draft");

    store.set_bylines(older.id, &[second.id, first.id]).await.expect("bylines");
    let names: Vec<String> = store.bylines_of(older.id).await.expect("read").into_iter().map(|a| a.name).collect();
    assert_eq!(names, ["Second Writer", "First Writer"], "in the order given");
    store.set_bylines(older.id, &[first.id]).await.expect("replace");
    assert_eq!(store.bylines_of(older.id).await.expect("read"), vec![first.clone()]);

    let unknown = store.set_bylines(older.id, &[second.id, i64::MAX - 5]).await;
    assert!(matches!(unknown, Err(DbError::NotFound)), "{unknown:?}");
    assert_eq!(store.bylines_of(older.id).await.expect("read"), vec![first.clone()], "nothing half-written");
    assert!(matches!(
        store.set_bylines(tribune_domain::ArticleId(i64::MAX - 9), &[first.id]).await,
        Err(DbError::NotFound)
    ));

    store.set_bylines(newer.id, &[first.id, second.id]).await.expect("bylines");
    store.set_bylines(draft.id, &[first.id]).await.expect("bylines");
    let now = Timestamp(1_800_000_000_000);
    let listed: Vec<String> =
        store.articles_by_author(first.id, now, 10, 0).await.expect("list").into_iter().map(|a| a.slug).collect();
    assert_eq!(listed, [newer.slug.clone(), older.slug.clone()], "published only, newest first");
    let second_page = store.articles_by_author(first.id, now, 1, 1).await.expect("page");
    assert_eq!(second_page[0].slug, older.slug);
    assert_eq!(store.articles_by_author(second.id, now, 10, 0).await.expect("list").len(), 1);
}
