//! A feed as both formats see it: a titled list of entries with absolute
//! addresses, built from published articles or published comments.

use crate::views::article_url;
use tribune_domain::Timestamp;
use tribune_store::{ArticleSummary, AuthoredComment};

#[derive(Debug, Clone)]
pub struct Feed {
    pub title: String,
    pub description: String,
    /// The page this feed follows.
    pub page_url: String,
    /// The feed's own address (its Atom id and `rel="self"`).
    pub self_url: String,
    pub updated: Timestamp,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Permanent and unique: the entry's absolute URL.
    pub id: String,
    pub title: String,
    pub url: String,
    pub author: String,
    pub published: Timestamp,
    /// The last change: an article's "Updated" time, a comment's edit.
    pub updated: Timestamp,
    pub body: EntryBody,
}

#[derive(Debug, Clone)]
pub enum EntryBody {
    /// A plain-text summary (an article's standfirst).
    Text(String),
    /// Sanitized HTML (a comment as the page shows it); escaped into the XML.
    Html(String),
}

impl Feed {
    /// A feed dated by its newest entry (or `fallback` when it has none), so
    /// that it changes only when its entries do.
    pub fn new(title: String, description: String, page_url: String, self_url: String, entries: Vec<Entry>) -> Self {
        let updated = entries.iter().map(|e| e.updated).max().unwrap_or(Timestamp(0));
        Self { title, description, page_url, self_url, updated, entries }
    }
}

pub fn article_entry(base: &str, article: &ArticleSummary) -> Entry {
    let url = format!("{base}{}", article_url(&article.slug));
    Entry {
        id: url.clone(),
        title: article.headline.clone(),
        url,
        author: article.byline.clone(),
        published: article.published_at.unwrap_or(Timestamp(0)),
        updated: article.updated_at.or(article.published_at).unwrap_or(Timestamp(0)),
        body: EntryBody::Text(article.standfirst.clone()),
    }
}

pub fn comment_entry(base: &str, item: &AuthoredComment) -> Entry {
    let comment = &item.comment;
    let url = format!("{base}{}#comment-{}", article_url(&item.article_slug), comment.id);
    Entry {
        id: url.clone(),
        title: format!("{} on “{}”", comment.author_name, item.article_headline),
        url,
        author: comment.author_name.clone(),
        published: comment.created_at,
        updated: comment.edited_at.unwrap_or(comment.created_at),
        body: EntryBody::Html(comment.body_html.clone()),
    }
}
