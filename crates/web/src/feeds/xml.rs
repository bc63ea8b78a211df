//! RSS 2.0 and Atom documents, written with an XML writer that escapes
//! every text and attribute: no user text is ever pasted into markup.

use super::model::{EntryBody, Feed};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::borrow::Cow;
use std::io;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

/// Drops the characters XML 1.0 cannot carry at all (control characters
/// other than tab and newlines), which escaping cannot help.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}');
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

/// Escaped text content.
pub fn text(value: &str) -> BytesText<'static> {
    BytesText::new(&xml_safe(value)).into_owned()
}

/// A new document with its XML declaration.
pub fn document() -> io::Result<Writer<Vec<u8>>> {
    let mut writer = Writer::new(Vec::with_capacity(16 * 1024));
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(writer)
}

pub fn rss(feed: &Feed) -> io::Result<Vec<u8>> {
    let mut w = document()?;
    w.create_element("rss")
        .with_attributes([("version", "2.0"), ("xmlns:atom", ATOM_NS), ("xmlns:dc", DC_NS)])
        .write_inner_content(|w| {
            w.create_element("channel").write_inner_content(|w| {
                w.create_element("title").write_text_content(text(&feed.title))?;
                w.create_element("link").write_text_content(text(&feed.page_url))?;
                w.create_element("description").write_text_content(text(&feed.description))?;
                w.create_element("atom:link")
                    .with_attributes([
                        ("href", &*xml_safe(&feed.self_url)),
                        ("rel", "self"),
                        ("type", "application/rss+xml"),
                    ])
                    .write_empty()?;
                w.create_element("lastBuildDate").write_text_content(text(&feed.updated.rfc2822()))?;
                for entry in &feed.entries {
                    w.create_element("item").write_inner_content(|w| {
                        w.create_element("title").write_text_content(text(&entry.title))?;
                        w.create_element("link").write_text_content(text(&entry.url))?;
                        w.create_element("guid")
                            .with_attribute(("isPermaLink", "true"))
                            .write_text_content(text(&entry.id))?;
                        w.create_element("dc:creator").write_text_content(text(&entry.author))?;
                        w.create_element("pubDate").write_text_content(text(&entry.published.rfc2822()))?;
                        let (EntryBody::Text(body) | EntryBody::Html(body)) = &entry.body;
                        w.create_element("description").write_text_content(text(body))?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(w.into_inner())
}

pub fn atom(feed: &Feed) -> io::Result<Vec<u8>> {
    let mut w = document()?;
    w.create_element("feed").with_attribute(("xmlns", ATOM_NS)).write_inner_content(|w| {
        w.create_element("title").write_text_content(text(&feed.title))?;
        w.create_element("subtitle").write_text_content(text(&feed.description))?;
        w.create_element("id").write_text_content(text(&feed.self_url))?;
        link(w, "alternate", "text/html", &feed.page_url)?;
        link(w, "self", "application/atom+xml", &feed.self_url)?;
        w.create_element("updated").write_text_content(text(&feed.updated.rfc3339()))?;
        for entry in &feed.entries {
            w.create_element("entry").write_inner_content(|w| {
                w.create_element("title").write_text_content(text(&entry.title))?;
                w.create_element("id").write_text_content(text(&entry.id))?;
                link(w, "alternate", "text/html", &entry.url)?;
                w.create_element("published").write_text_content(text(&entry.published.rfc3339()))?;
                w.create_element("updated").write_text_content(text(&entry.updated.rfc3339()))?;
                w.create_element("author").write_inner_content(|w| {
                    w.create_element("name").write_text_content(text(&entry.author))?;
                    Ok(())
                })?;
                match &entry.body {
                    EntryBody::Text(summary) => w
                        .create_element("summary")
                        .with_attribute(("type", "text"))
                        .write_text_content(text(summary))?,
                    EntryBody::Html(html) => {
                        w.create_element("content").with_attribute(("type", "html")).write_text_content(text(html))?
                    }
                };
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(w.into_inner())
}

fn link(w: &mut Writer<Vec<u8>>, rel: &str, kind: &str, href: &str) -> io::Result<()> {
    w.create_element("link")
        .with_attributes([("rel", rel), ("type", kind), ("href", &*xml_safe(href))])
        .write_empty()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_carry_are_dropped_and_the_rest_kept() {
        assert_eq!(xml_safe("a\u{1}b\u{FFFF}c\td"), "abc\td");
        assert!(matches!(xml_safe("plain <text> & more"), Cow::Borrowed(_)));
    }
}
