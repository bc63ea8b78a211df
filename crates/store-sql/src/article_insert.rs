//! `ArticleStore::create_article` for both backends: the article, its tag
//! rows, its first revision and the editor's extras (bylines, featured
//! image), in one transaction; and the extras' writes, which a save of the
//! article's text also makes inside its own transaction.

/// Expands to the body of `create_article` for a backend whose writer pool
/// is `$pool`; `$article` is the `&NewArticle`, `$extras` the
/// `&ExtrasWrite` (none when left out).
#[macro_export]
macro_rules! create_article {
    ($pool:expr, $article:expr) => {
        $crate::create_article!($pool, $article, &$crate::tribune_store::ExtrasWrite::default())
    };
    ($pool:expr, $article:expr, $extras:expr) => {{
        use $crate::{IntoModel as _, SqlResult as _};
        let article: &$crate::tribune_domain::NewArticle = $article;
        let tags: Vec<&str> = article.tags.iter().map(|t| t.as_str()).collect();
        let mut tx = $pool.begin().await.db()?;
        let stored = sqlx::query_as::<_, $crate::ArticleRow>($crate::statements::INSERT_ARTICLE)
            .bind(article.slug.as_str())
            .bind(article.headline.as_str())
            .bind(article.standfirst.as_str())
            .bind(article.byline.as_str())
            .bind(article.section.as_str())
            .bind(article.section.slug().as_str())
            .bind(&article.body_markdown)
            .bind(&article.body_html)
            .bind(article.published_at.map(|t| t.0))
            .bind(article.comments_open)
            .bind(article.created_at.0)
            .bind(article.status.as_str())
            .bind(article.author.as_ref().map(|w| w.id.0))
            .bind(tags.join("\n"))
            .fetch_one(&mut *tx)
            .await
            .db()?;
        for tag in &article.tags {
            sqlx::query($crate::statements::TAG_ARTICLE)
                .bind(stored.id())
                .bind(tag.slug().as_str())
                .execute(&mut *tx)
                .await
                .db()?;
        }
        sqlx::query($crate::statements::INSERT_REVISION)
            .bind(stored.id())
            .bind(1_i32)
            .bind(article.author.as_ref().map(|w| w.id.0))
            .bind(article.author.as_ref().map_or(article.byline.as_str(), |w| w.name.as_str()))
            .bind(article.created_at.0)
            .bind(article.slug.as_str())
            .bind(article.headline.as_str())
            .bind(article.standfirst.as_str())
            .bind(article.byline.as_str())
            .bind(article.section.as_str())
            .bind(tags.join("\n"))
            .bind(&article.body_markdown)
            .execute(&mut *tx)
            .await
            .db()?;
        $crate::write_extras!(&mut tx, stored.id(), $extras);
        tx.commit().await.db()?;
        stored.model()
    }};
}

/// Writes an `&ExtrasWrite` for article id `$article` (an `i64`) inside the
/// open transaction `$tx`; expands to statements that return early on error.
#[macro_export]
macro_rules! write_extras {
    ($tx:expr, $article:expr, $extras:expr) => {{
        let tx = $tx;
        let article: i64 = $article;
        let extras: &$crate::tribune_store::ExtrasWrite = $extras;
        if let Some(authors) = &extras.bylines {
            sqlx::query("DELETE FROM article_bylines WHERE article_id = $1")
                .bind(article)
                .execute(&mut **tx)
                .await
                .db()?;
            for (position, author) in authors.iter().enumerate() {
                sqlx::query("INSERT INTO article_bylines (article_id, author_id, position) VALUES ($1, $2, $3)")
                    .bind(article)
                    .bind(*author)
                    .bind(position as i32)
                    .execute(&mut **tx)
                    .await
                    .db()?;
            }
        }
        match &extras.featured {
            Some(Some(featured)) => {
                sqlx::query(
                    "INSERT INTO article_featured_images (article_id, image_id, alt, caption, credit) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (article_id) DO UPDATE SET image_id = excluded.image_id, \
                     alt = excluded.alt, caption = excluded.caption, credit = excluded.credit",
                )
                .bind(article)
                .bind(featured.image)
                .bind(&featured.alt)
                .bind(&featured.caption)
                .bind(&featured.credit)
                .execute(&mut **tx)
                .await
                .db()?;
            }
            Some(None) => {
                sqlx::query("DELETE FROM article_featured_images WHERE article_id = $1")
                    .bind(article)
                    .execute(&mut **tx)
                    .await
                    .db()?;
            }
            None => {}
        }
    }};
}
