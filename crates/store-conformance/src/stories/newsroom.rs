//! The newsroom: saves as revisions, stale saves, states, former slugs,
//! editor presence and the scheduler's claim of due articles.

use crate::fixtures::{new_article, unique, unique_slug};
use std::sync::Arc;
use tribune_domain::account::Role;
use tribune_domain::authoring::Writer;
use tribune_domain::{ArticleStatus, Headline, Slug, Timestamp};
use tribune_store::{
    Article, ArticleSave, DbError, ExtrasWrite, FeaturedWrite, NewUser, NewsroomFilter, StatusChange, Store,
    STALE_REVISION,
};

async fn writer(store: &dyn Store, name: &str) -> Writer {
    let user = store
        .create_user(&NewUser {
            email: format!("writer-{:x}@example.org", unique()),
            display_name: name.to_owned(),
            password_hash: None,
            role: Role::Author,
            email_verified: true,
            created_at: Timestamp(1_700_000_000_000),
        })
        .await
        .expect("create a writer");
    Writer { id: user.id, name: name.to_owned() }
}

async fn draft(store: &dyn Store, by: &Writer) -> Article {
    let mut article = new_article(&unique_slug("newsroom"), None);
    article.author = Some(by.clone());
    store.create_article(&article).await.expect("create a draft")
}

fn save_of(article: &Article, base: i32, by: &Writer, body: &str) -> ArticleSave {
    ArticleSave {
        article: article.id,
        base_revision: base,
        writer: by.clone(),
        at: Timestamp(1_700_000_100_000),
        slug: Slug::parse(&article.slug).expect("slug"),
        headline: Headline::parse(&article.headline).expect("headline"),
        standfirst: tribune_domain::Standfirst::parse(&article.standfirst).expect("standfirst"),
        byline: tribune_domain::Byline::parse(&article.byline).expect("byline"),
        section: tribune_domain::Section::parse(&article.section).expect("section"),
        tags: Vec::new(),
        body_markdown: body.to_owned(),
        body_html: format!("<p>{body}</p>"),
        extras: ExtrasWrite::default(),
    }
}

pub async fn a_save_is_a_revision_and_a_stale_one_changes_nothing(store: Arc<dyn Store>) {
    let (ann, ed) = (writer(&*store, "Ann").await, writer(&*store, "Ed").await);
    let article = draft(&*store, &ann).await;
    assert_eq!((article.revision, article.status, article.author_id), (1, ArticleStatus::Draft, Some(ann.id)));
    let saved = store.save_article(&save_of(&article, 1, &ed, "Ed's text.")).await.expect("save");
    assert_eq!((saved.revision, saved.body_markdown.as_str()), (2, "Ed's text."));
    assert_eq!(saved.updated_at, None, "a draft's edits are not updates");
    let stale = store.save_article(&save_of(&article, 1, &ann, "Ann's text.")).await;
    assert!(matches!(stale, Err(DbError::Conflict { ref constraint }) if constraint == STALE_REVISION), "{stale:?}");
    let kept = store.article(article.id).await.expect("read");
    assert_eq!((kept.revision, kept.body_markdown.as_str()), (2, "Ed's text."));
    // Over one's own newer revision is fine.
    assert_eq!(store.save_article(&save_of(&article, 1, &ed, "Ed again.")).await.expect("own").revision, 3);
    let revisions = store.article_revisions(article.id).await.expect("revisions");
    let listed: Vec<_> = revisions.iter().map(|r| (r.number, r.author_name.as_str())).collect();
    assert_eq!(listed, [(3, "Ed"), (2, "Ed"), (1, "Ann")]);
    let first = store.article_revision(article.id, 1).await.expect("revision 1");
    assert_eq!(first.body_markdown, "Body *text*.");
    assert!(matches!(store.article_revision(article.id, 9).await, Err(DbError::NotFound)));
    let mut unknown = save_of(&article, 1, &ed, "x");
    unknown.article = tribune_domain::ArticleId(i64::MAX - 7);
    assert!(matches!(store.save_article(&unknown).await, Err(DbError::NotFound)));
}

pub async fn a_renamed_published_article_keeps_its_old_slug_and_its_first_date(store: Arc<dyn Store>) {
    let ed = writer(&*store, "Ed").await;
    let article = draft(&*store, &ed).await;
    let at = Timestamp(1_700_000_050_000);
    let change = StatusChange {
        article: article.id,
        from: ArticleStatus::Draft,
        to: ArticleStatus::Published,
        published_at: Some(at),
    };
    store.change_status(&change).await.expect("publish");
    let new_slug = unique_slug("renamed");
    let mut rename = save_of(&article, 1, &ed, "Changed text.");
    rename.slug = new_slug.clone();
    let saved = store.save_article(&rename).await.expect("rename");
    assert_eq!((saved.published_at, saved.updated_at), (Some(at), Some(rename.at)));
    let old = Slug::parse(&article.slug).expect("slug");
    assert_eq!(store.slug_redirect(&old).await.expect("redirect"), Some(new_slug.as_str().to_owned()));
    assert_eq!(store.slug_redirect(&unique_slug("never")).await.expect("none"), None);
    // Another article cannot take the new slug.
    let other = draft(&*store, &ed).await;
    let mut taken = save_of(&other, 1, &ed, "x");
    taken.slug = new_slug;
    assert!(
        matches!(store.save_article(&taken).await, Err(DbError::Conflict { ref constraint }) if constraint == "articles_slug")
    );
}

pub async fn a_status_change_applies_only_from_the_state_it_expects(store: Arc<dyn Store>) {
    let ann = writer(&*store, "Ann").await;
    let article = draft(&*store, &ann).await;
    let submit = StatusChange {
        article: article.id,
        from: ArticleStatus::Draft,
        to: ArticleStatus::Submitted,
        published_at: None,
    };
    assert_eq!(store.change_status(&submit).await.expect("submit").status, ArticleStatus::Submitted);
    assert!(matches!(store.change_status(&submit).await, Err(DbError::Conflict { .. })), "no longer a draft");
    let mut unknown = submit.clone();
    unknown.article = tribune_domain::ArticleId(i64::MAX - 8);
    assert!(matches!(store.change_status(&unknown).await, Err(DbError::NotFound)));
    let filter = NewsroomFilter { author: Some(ann.id), limit: 10, ..NewsroomFilter::default() };
    let mine = store.newsroom_articles(&filter).await.expect("list");
    assert_eq!(mine.iter().map(|a| (a.id, a.status)).collect::<Vec<_>>(), [(article.id, ArticleStatus::Submitted)]);
    let drafts = NewsroomFilter { status: Some(ArticleStatus::Draft), ..filter };
    assert!(store.newsroom_articles(&drafts).await.expect("drafts").is_empty());
}

pub async fn the_newsroom_list_pages_newest_first_by_writer_and_state(store: Arc<dyn Store>) {
    let ann = writer(&*store, "Ann").await;
    let bo = writer(&*store, "Bo").await;
    let mut anns = Vec::new();
    for _ in 0..5 {
        anns.push(draft(&*store, &ann).await.id);
        draft(&*store, &bo).await;
    }
    anns.reverse();
    let first = NewsroomFilter { author: Some(ann.id), limit: 2, ..NewsroomFilter::default() };
    let mut seen = Vec::new();
    let mut page = first;
    loop {
        let items = store.newsroom_articles(&page).await.expect("a page");
        assert!(items.len() <= 2);
        let Some(last) = items.last() else { break };
        page.before = Some(last.id);
        seen.extend(items.iter().map(|i| i.id));
    }
    assert_eq!(seen, anns, "every one of Ann's, newest first, each once");
    let submit =
        StatusChange { article: anns[1], from: ArticleStatus::Draft, to: ArticleStatus::Submitted, published_at: None };
    store.change_status(&submit).await.expect("submit");
    let submitted = NewsroomFilter { status: Some(ArticleStatus::Submitted), limit: 10, ..first };
    let items = store.newsroom_articles(&submitted).await.expect("submitted");
    assert_eq!(items.iter().map(|i| i.id).collect::<Vec<_>>(), [anns[1]]);
    let older = NewsroomFilter { before: Some(anns[1]), ..submitted };
    assert!(store.newsroom_articles(&older).await.expect("none older").is_empty());
}

pub async fn concurrent_claims_publish_a_due_article_once(store: Arc<dyn Store>) {
    let ann = writer(&*store, "Ann").await;
    let article = draft(&*store, &ann).await;
    // Due at a time far before any other story's scheduled articles.
    let due = Timestamp(1_000_000_000_000 + (unique() % 1_000_000) as i64);
    let schedule = StatusChange {
        article: article.id,
        from: ArticleStatus::Draft,
        to: ArticleStatus::Scheduled,
        published_at: Some(due),
    };
    store.change_status(&schedule).await.expect("schedule");
    assert!(!store.claim_due_articles(Timestamp(due.0 - 1)).await.expect("early").iter().any(|c| c.id == article.id));
    let (a, b) = tokio::join!(store.claim_due_articles(due), store.claim_due_articles(due));
    let claims = a.expect("claim a").into_iter().chain(b.expect("claim b")).filter(|c| c.id == article.id).count();
    assert!(claims <= 1, "claimed {claims} times");
    let published = store.article(article.id).await.expect("read");
    assert_eq!((published.status, published.published_at), (ArticleStatus::Published, Some(due)));
    assert_eq!(store.scheduled_publications(article.id).await.expect("log").len(), 1);
    store.claim_due_articles(due).await.expect("again");
    assert_eq!(store.scheduled_publications(article.id).await.expect("log").len(), 1);
}

pub async fn editor_presence_names_only_the_others_seen_lately(store: Arc<dyn Store>) {
    let (ann, ed) = (writer(&*store, "Ann").await, writer(&*store, "Ed").await);
    let article = draft(&*store, &ann).await;
    let others = store.note_editor_presence(article.id, &ann, Timestamp(1_000), Timestamp(0)).await.expect("ann");
    assert!(others.is_empty());
    let others = store.note_editor_presence(article.id, &ed, Timestamp(2_000), Timestamp(500)).await.expect("ed");
    assert_eq!(others.iter().map(|p| p.user_name.as_str()).collect::<Vec<_>>(), ["Ann"]);
    let later = store.note_editor_presence(article.id, &ed, Timestamp(9_000), Timestamp(5_000)).await.expect("later");
    assert!(later.is_empty(), "Ann left long ago");
}

/// Bylines and the featured image are written with the article's text, in
/// its transaction: when one of them cannot be written (a profile or image
/// gone since the editor checked), neither the text nor the rest is kept.
pub async fn an_articles_extras_are_written_with_its_text_or_not_at_all(store: Arc<dyn Store>) {
    let ann = writer(&*store, "Ann").await;
    let first = store.create_author(&super::authors::profile("First Writer")).await.expect("first");
    let second = store.create_author(&super::authors::profile("Second Writer")).await.expect("second");
    let key = format!("{:016x}-2000x1000", unique());
    let image = store.create_image(&super::media::new_image(&key)).await.expect("image");
    let featured = |image: i64| FeaturedWrite {
        image,
        alt: "Boats at dawn".to_owned(),
        caption: "The harbour".to_owned(),
        credit: "Photo: Ann".to_owned(),
    };
    let ids = |profiles: Vec<tribune_store::AuthorProfile>| profiles.into_iter().map(|p| p.id).collect::<Vec<_>>();

    let mut article = new_article(&unique_slug("extras"), None);
    article.author = Some(ann.clone());
    let extras = ExtrasWrite { bylines: Some(vec![second.id, first.id]), featured: Some(Some(featured(image.id))) };
    let created = store.create_article_with(&article, &extras).await.expect("create with extras");
    assert_eq!(ids(store.bylines_of(created.id).await.unwrap()), vec![second.id, first.id]);
    let shown = store.featured_image(created.id).await.unwrap().expect("a featured image");
    assert_eq!((shown.image.id, shown.alt.as_str(), shown.credit.as_str()), (image.id, "Boats at dawn", "Photo: Ann"));

    // An image that no longer exists: the whole save is refused.
    let mut save = save_of(&created, 1, &ann, "A second text.");
    save.extras = ExtrasWrite { bylines: Some(vec![first.id]), featured: Some(Some(featured(i64::MAX))) };
    assert!(store.save_article(&save).await.is_err(), "a missing image fails the save");
    let kept = store.article(created.id).await.unwrap();
    assert_eq!((kept.revision, kept.body_markdown.as_str()), (created.revision, created.body_markdown.as_str()));
    assert_eq!(ids(store.bylines_of(created.id).await.unwrap()), vec![second.id, first.id], "bylines kept");
    assert_eq!(store.article_revisions(created.id).await.unwrap().len(), 1, "no revision written");

    // A profile that no longer exists: no article is created.
    let mut orphan = new_article(&unique_slug("extras"), None);
    orphan.author = Some(ann.clone());
    let bad = ExtrasWrite { bylines: Some(vec![first.id, i64::MAX]), featured: None };
    assert!(store.create_article_with(&orphan, &bad).await.is_err(), "a missing profile fails the create");
    assert!(matches!(store.article_by_slug(&orphan.slug).await, Err(DbError::NotFound)), "nothing created");

    // `None` leaves a part alone; `Some(None)` removes the image.
    let mut save = save_of(&created, 1, &ann, "A second text.");
    save.extras = ExtrasWrite { bylines: None, featured: Some(None) };
    let saved = store.save_article(&save).await.expect("save");
    assert_eq!(saved.body_markdown, "A second text.");
    assert!(store.featured_image(created.id).await.unwrap().is_none(), "image removed");
    assert_eq!(ids(store.bylines_of(created.id).await.unwrap()), vec![second.id, first.id]);
}
