//! Lists that feeds, sitemaps and section pages read: published articles by
//! section and time, and the newest published comments.

use crate::fixtures::{comment, comment_with, new_article, new_comment, unique, unique_slug};
use std::sync::Arc;
use tribune_domain::{ArticleId, CommentStatus, Section, Tag, Timestamp};
use tribune_store::{ArticleListQuery, Store};

const HOUR: i64 = 3_600_000;

/// Stores articles in a section of their own, published at `times`.
async fn in_new_section(store: &dyn Store, times: &[Option<Timestamp>]) -> (String, Vec<String>) {
    let section = Section::parse(&format!("Desk {:x}", unique())).expect("section");
    let mut slugs = Vec::new();
    for at in times {
        let mut article = new_article(&unique_slug("listed"), *at);
        article.section = section.clone();
        slugs.push(store.create_article(&article).await.expect("create").slug);
    }
    (section.slug().as_str().to_owned(), slugs)
}

pub async fn a_section_lists_its_own_published_articles_newest_first_in_pages(store: Arc<dyn Store>) {
    let now = Timestamp(1_800_000_000_000);
    let times = [Some(Timestamp(now.0 - 3 * HOUR)), Some(Timestamp(now.0 - HOUR)), None, Some(Timestamp(now.0 + HOUR))];
    let (section, slugs) = in_new_section(store.as_ref(), &times).await;
    store.create_article(&new_article(&unique_slug("elsewhere"), Some(now))).await.expect("another section");

    let mut query = ArticleListQuery { section_slug: Some(section.clone()), ..ArticleListQuery::latest(now, 10) };
    let listed: Vec<String> = store.list_published(&query).await.expect("list").into_iter().map(|a| a.slug).collect();
    assert_eq!(listed, vec![slugs[1].clone(), slugs[0].clone()], "no drafts, no future, no other section");

    query.limit = 1;
    let first = store.list_published(&query).await.expect("first page");
    query.offset = 1;
    let second = store.list_published(&query).await.expect("second page");
    query.offset = 2;
    let third = store.list_published(&query).await.expect("third page");
    assert_eq!(first[0].slug, slugs[1]);
    assert_eq!(second[0].slug, slugs[0]);
    assert!(third.is_empty());
    assert_eq!(first[0].section_slug, section);
}

pub async fn only_articles_since_a_time_are_listed_when_asked(store: Arc<dyn Store>) {
    let now = Timestamp(1_800_000_000_000);
    let times = [Some(Timestamp(now.0 - 72 * HOUR)), Some(Timestamp(now.0 - 47 * HOUR))];
    let (section, slugs) = in_new_section(store.as_ref(), &times).await;
    let query = ArticleListQuery {
        section_slug: Some(section),
        since: Some(Timestamp(now.0 - 48 * HOUR)),
        ..ArticleListQuery::latest(now, 10)
    };
    let listed: Vec<String> = store.list_published(&query).await.expect("list").into_iter().map(|a| a.slug).collect();
    assert_eq!(listed, vec![slugs[1].clone()]);
}

pub async fn recent_comments_are_published_ones_on_published_articles_newest_first(store: Arc<dyn Store>) {
    let now = Timestamp::now();
    let published = store.create_article(&new_article(&unique_slug("talked"), Some(Timestamp(1)))).await.expect("one");
    let draft = store.create_article(&new_article(&unique_slug("draft"), None)).await.expect("draft");
    let first = comment(store.as_ref(), published.id, None).await;
    let held = comment_with(store.as_ref(), published.id, None, CommentStatus::Pending).await;
    let reply = comment(store.as_ref(), published.id, Some(first.id)).await;
    let on_draft = comment(store.as_ref(), draft.id, None).await;

    let on_article = store.recent_published_comments(Some(published.id), now, 10).await.expect("article's");
    let ids: Vec<_> = on_article.iter().map(|c| c.comment.id).collect();
    assert_eq!(ids, vec![reply.id, first.id], "published only, newest first");
    assert_eq!(on_article[0].article_slug, published.slug);
    assert_eq!(on_article[0].article_headline, published.headline);

    let limited = store.recent_published_comments(Some(published.id), now, 1).await.expect("limited");
    assert_eq!(limited.len(), 1);

    let site: Vec<_> = store
        .recent_published_comments(None, now, 1000)
        .await
        .expect("site's")
        .into_iter()
        .map(|c| c.comment.id)
        .collect();
    assert!(site.contains(&first.id) && site.contains(&reply.id));
    assert!(!site.contains(&held.id), "a held comment is not listed");
    assert!(!site.contains(&on_draft.id), "a draft's comments are not listed");
    assert!(site.windows(2).all(|w| w[0] > w[1]), "newest first");
}

/// Stores `n` comments on `article` with `status`, written at `at`.
async fn comments_at(store: &dyn Store, article: ArticleId, n: usize, status: CommentStatus, at: Timestamp) {
    for _ in 0..n {
        let mut comment = new_comment(article, None, status);
        comment.created_at = at;
        store.create_comment(&comment).await.expect("create a comment");
    }
}

/// Exclusive: counts every article's comments in a window no other story writes in.
pub async fn most_discussed_counts_recent_published_comments_only(store: Arc<dyn Store>) {
    let now = Timestamp(1_900_000_000_000);
    let since = Timestamp(now.0 - 48 * HOUR);
    let recent = Timestamp(now.0 - HOUR);
    let publish = |prefix: &str, at: Option<Timestamp>| new_article(&unique_slug(prefix), at);
    let one = store.create_article(&publish("one", Some(Timestamp(1)))).await.expect("one");
    let two = store.create_article(&publish("two", Some(Timestamp(1)))).await.expect("two");
    let old_talk = store.create_article(&publish("old-talk", Some(Timestamp(1)))).await.expect("old talk");
    let draft = store.create_article(&publish("draft", None)).await.expect("draft");
    comments_at(store.as_ref(), one.id, 1, CommentStatus::Published, recent).await;
    comments_at(store.as_ref(), two.id, 2, CommentStatus::Published, recent).await;
    comments_at(store.as_ref(), two.id, 3, CommentStatus::Pending, recent).await;
    comments_at(store.as_ref(), old_talk.id, 4, CommentStatus::Published, Timestamp(since.0 - 1)).await;
    comments_at(store.as_ref(), draft.id, 5, CommentStatus::Published, recent).await;

    let listed = store.most_discussed(since, now, 10).await.expect("most discussed");
    let found: Vec<(String, i64)> = listed.into_iter().map(|a| (a.slug, a.comment_count)).collect();
    assert_eq!(
        found,
        vec![(two.slug.clone(), 2), (one.slug.clone(), 1)],
        "recent published comments on published articles"
    );
    assert_eq!(store.most_discussed(since, now, 1).await.expect("the first").len(), 1);
}

pub async fn tags_are_kept_in_order_and_list_their_articles(store: Arc<dyn Store>) {
    let now = Timestamp(1_800_000_000_000);
    let name = format!("Topic {:x}", unique());
    let tag = Tag::parse(&name).expect("tag");
    let mut tagged = new_article(&unique_slug("tagged"), Some(Timestamp(now.0 - HOUR)));
    tagged.tags = vec![tag.clone(), Tag::parse("Second tag").expect("tag")];
    let tagged = store.create_article(&tagged).await.expect("create tagged");
    assert_eq!(tagged.tags, vec![name.clone(), "Second tag".to_owned()]);
    assert_eq!(
        store.article_by_slug(&tribune_domain::Slug::parse(&tagged.slug).unwrap()).await.unwrap().tags,
        tagged.tags
    );
    let mut draft = new_article(&unique_slug("tagged-draft"), None);
    draft.tags = vec![tag.clone()];
    store.create_article(&draft).await.expect("create a tagged draft");
    store.create_article(&new_article(&unique_slug("untagged"), Some(now))).await.expect("untagged");

    let query =
        ArticleListQuery { tag_slug: Some(tag.slug().as_str().to_owned()), ..ArticleListQuery::latest(now, 10) };
    let listed: Vec<String> = store.list_published(&query).await.expect("list").into_iter().map(|a| a.slug).collect();
    assert_eq!(listed, vec![tagged.slug], "published articles with the tag only");
}
