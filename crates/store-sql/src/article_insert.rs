//! `ArticleStore::create_article` for both backends: the article, its tag
//! rows and its first revision, in one transaction.

/// Expands to the body of `create_article` for a backend whose writer pool
/// is `$pool`; `$article` is the `&NewArticle`.
#[macro_export]
macro_rules! create_article {
    ($pool:expr, $article:expr) => {{
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
        tx.commit().await.db()?;
        stored.model()
    }};
}
