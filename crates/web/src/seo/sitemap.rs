//! Sitemap documents (sitemaps.org 0.9, and Google's news extension),
//! written with the same escaping XML writer as the feeds.

use crate::feeds::xml::{document, text};
use crate::views::article_url;
use std::collections::BTreeSet;
use std::io;
use tribune_domain::Slug;
use tribune_store::ArticleSummary;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// The home page, every section, tag and author page (`authors` are
/// profile slugs), and every listed article with its publication time.
pub fn urls(base: &str, articles: &[ArticleSummary], authors: &[String]) -> io::Result<Vec<u8>> {
    let mut pages = vec![format!("{base}/")];
    let sections: BTreeSet<&str> = articles.iter().map(|a| a.section_slug.as_str()).collect();
    pages.extend(sections.iter().map(|slug| format!("{base}/sections/{slug}")));
    let tags: BTreeSet<String> =
        articles.iter().flat_map(|a| a.tags.iter().map(|t| Slug::from_headline(t).as_str().to_owned())).collect();
    pages.extend(tags.iter().map(|slug| format!("{base}/tags/{slug}")));
    pages.extend(authors.iter().map(|slug| format!("{base}/authors/{slug}")));
    let mut w = document()?;
    w.create_element("urlset").with_attribute(("xmlns", SITEMAP_NS)).write_inner_content(|w| {
        for page in &pages {
            w.create_element("url").write_inner_content(|w| {
                w.create_element("loc").write_text_content(text(page))?;
                Ok(())
            })?;
        }
        for article in articles {
            w.create_element("url").write_inner_content(|w| {
                w.create_element("loc").write_text_content(text(&format!("{base}{}", article_url(&article.slug))))?;
                if let Some(at) = article.published_at {
                    w.create_element("lastmod").write_text_content(text(&at.rfc3339()))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(w.into_inner())
}

/// Each article as a news item: the publication, its date and headline.
pub fn news(base: &str, site_name: &str, articles: &[ArticleSummary]) -> io::Result<Vec<u8>> {
    let mut w = document()?;
    w.create_element("urlset").with_attributes([("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)]).write_inner_content(
        |w| {
            for article in articles {
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(text(&format!("{base}{}", article_url(&article.slug))))?;
                    w.create_element("news:news").write_inner_content(|w| {
                        w.create_element("news:publication").write_inner_content(|w| {
                            w.create_element("news:name").write_text_content(text(site_name))?;
                            w.create_element("news:language").write_text_content(text("en"))?;
                            Ok(())
                        })?;
                        if let Some(at) = article.published_at {
                            w.create_element("news:publication_date").write_text_content(text(&at.rfc3339()))?;
                        }
                        w.create_element("news:title").write_text_content(text(&article.headline))?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        },
    )?;
    Ok(w.into_inner())
}
