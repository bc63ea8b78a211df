//! Structured data for an article page: a schema.org `NewsArticle` with its
//! published discussion as `Comment` items, serialized with serde_json and
//! made safe to embed in a `<script>` element.

use crate::views::article_url;
use serde_json::{json, Value};
use std::collections::HashSet;
use tribune_domain::Timestamp;
use tribune_store::{Article, AuthorProfile, Comment, Correction};

/// What the page knows besides the article.
pub struct Publisher<'a> {
    pub base: &'a str,
    pub site_name: &'a str,
}

/// The `NewsArticle` for `article`; `comments` are its published comments, oldest first.
pub fn news_article(publisher: &Publisher<'_>, article: &Article, comment_count: i64, comments: &[Comment]) -> Value {
    let url = format!("{}{}", publisher.base, article_url(&article.slug));
    let published = article.published_at.map(Timestamp::rfc3339);
    let shown: HashSet<i64> = comments.iter().map(|c| c.id.0).collect();
    let comment_id = |id: i64| format!("{url}#comment-{id}");
    let items: Vec<Value> = comments
        .iter()
        .map(|c| {
            let mut item = json!({
                "@type": "Comment",
                "@id": comment_id(c.id.0),
                "url": comment_id(c.id.0),
                "author": { "@type": "Person", "name": c.author_name },
                "dateCreated": c.created_at.rfc3339(),
                "text": c.body_markdown,
            });
            // A reply names its parent only when the parent is shown too.
            if let Some(parent) = c.parent_id.filter(|p| shown.contains(&p.0)) {
                item["parentItem"] = json!({ "@id": comment_id(parent.0) });
            }
            item
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.headline,
        "description": article.standfirst,
        "articleSection": article.section,
        "keywords": article.tags,
        "datePublished": published,
        "dateModified": article.updated_at.or(article.published_at).map(Timestamp::rfc3339),
        "author": [{ "@type": "Person", "name": article.byline }],
        "publisher": { "@type": "Organization", "name": publisher.site_name, "url": format!("{}/", publisher.base) },
        "commentCount": comment_count,
        "comment": items,
    })
}

/// Adds an article's corrections (oldest first) as schema.org
/// `CorrectionComment` items; `dateModified` becomes the newest one's date.
pub fn add_corrections(news_article: &mut Value, corrections: &[Correction]) {
    let Some(newest) = corrections.last() else { return };
    let url = news_article["url"].as_str().unwrap_or_default().to_owned();
    let items: Vec<Value> = corrections
        .iter()
        .map(|c| {
            json!({
                "@type": "CorrectionComment",
                "url": format!("{url}#correction-{}", c.id),
                "datePublished": c.created_at.rfc3339(),
                "text": c.note,
            })
        })
        .collect();
    news_article["correction"] = Value::Array(items);
    news_article["dateModified"] = json!(newest.created_at.rfc3339());
}

/// The article's bylined authors as schema.org `Person`s with their pages
/// (and photos); without profiles, the free-text byline stays.
pub fn set_authors(news_article: &mut Value, base: &str, bylines: &[AuthorProfile]) {
    if bylines.is_empty() {
        return;
    }
    let people: Vec<Value> = bylines
        .iter()
        .map(|author| {
            let mut person = json!({
                "@type": "Person",
                "name": author.name,
                "url": format!("{base}{}", crate::newsroom::authors::author_url(&author.slug)),
            });
            if !author.photo_url.is_empty() {
                let photo = if author.photo_url.starts_with('/') {
                    format!("{base}{}", author.photo_url)
                } else {
                    author.photo_url.clone()
                };
                person["image"] = json!(photo);
            }
            person
        })
        .collect();
    news_article["author"] = Value::Array(people);
}

/// JSON text that cannot end its `<script>` element or open a comment in it:
/// every `<`, `>` and `&` is written as a JSON escape, which means the same.
pub fn script_safe(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_its_script_or_open_a_comment_and_reads_back_the_same() {
        let value = json!({ "text": "</script><!-- <script>alert(1)</script> & \u{2028}" });
        let safe = script_safe(&value);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), value);
    }
}
