//! Images in an article body that point at Tribune's own media become
//! responsive: every variant in `srcset`, the size reserved with
//! `width`/`height`, loaded when near the screen. Other images are left to
//! the sanitizer's ordinary rules.

use crate::media::MediaUrl;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The layout width of an article body's images; smaller screens take the whole width.
const SIZES: &str = "(max-width: 1600px) 100vw, 1600px";

pub(super) fn responsive_media_images(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    while let Some(event) = events.next() {
        let media = match &event {
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                MediaUrl::parse(dest_url).map(|url| (url, title.to_string()))
            }
            _ => None,
        };
        let Some((url, title)) = media else {
            out.push(event);
            continue;
        };
        // The alt text is the plain text up to the image's end.
        let mut alt = String::new();
        for inner in events.by_ref() {
            match inner {
                Event::End(TagEnd::Image) => break,
                Event::Text(text) | Event::Code(text) => alt.push_str(&text),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        out.push(Event::InlineHtml(CowStr::from(img_element(&url, &alt, &title))));
    }
    out
}

fn img_element(url: &MediaUrl, alt: &str, title: &str) -> String {
    let (width, height) = url.largest();
    let mut html = String::with_capacity(256);
    html.push_str("<img src=\"");
    escape_into(&mut html, &url.variant_path(width));
    html.push_str("\" srcset=\"");
    escape_into(&mut html, &url.srcset());
    html.push_str("\" sizes=\"");
    html.push_str(SIZES);
    html.push_str(&format!("\" width=\"{width}\" height=\"{height}\" alt=\""));
    escape_into(&mut html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        escape_into(&mut html, title);
        html.push('"');
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\">");
    html
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

/// The sanitizer keeps `srcset` only when every candidate is Tribune media,
/// and `loading`/`decoding` only with their harmless values.
pub(super) fn keep_attribute(element: &str, attribute: &str, value: &str) -> Option<String> {
    match (element, attribute) {
        ("img", "srcset") => value
            .split(',')
            .all(|candidate| candidate.split_whitespace().next().is_some_and(|url| MediaUrl::parse(url).is_some()))
            .then(|| value.to_owned()),
        ("img", "loading") => matches!(value, "lazy" | "eager").then(|| value.to_owned()),
        ("img", "decoding") => matches!(value, "async" | "sync" | "auto").then(|| value.to_owned()),
        ("img", "sizes") => {
            value.chars().all(|c| c.is_ascii_alphanumeric() || " (),:-.".contains(c)).then(|| value.to_owned())
        }
        _ => Some(value.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::render_article;

    const KEY: &str = "0123456789abcdef0123456789abcdef-2400x1200";

    #[test]
    fn a_tribune_image_gets_every_variant_its_size_and_lazy_loading() {
        let html = render_article(&format!("![A \"harbour\" & <b>dawn</b>](/media/{KEY}/960.jpg \"Boats\")"));
        assert!(html.contains(&format!(r#"src="/media/{KEY}/1600.jpg""#)), "{html}");
        assert!(
            html.contains(&format!(
                r#"srcset="/media/{KEY}/480.jpg 480w, /media/{KEY}/960.jpg 960w, /media/{KEY}/1600.jpg 1600w""#
            )),
            "{html}"
        );
        assert!(html.contains(r#"width="1600" height="800""#) && html.contains(r#"loading="lazy""#), "{html}");
        assert!(html.contains(r#"alt="A &quot;harbour&quot; &amp; dawn""#), "{html}");
        assert!(html.contains(r#"title="Boats""#), "{html}");
    }

    #[test]
    fn other_images_keep_the_ordinary_rules() {
        let html = render_article("![Elsewhere](https://example.org/a.jpg)");
        assert!(html.contains(r#"<img src="https://example.org/a.jpg" alt="Elsewhere">"#), "{html}");
        assert!(!html.contains("srcset") && !html.contains("loading"), "{html}");
    }

    #[test]
    fn raw_html_cannot_borrow_the_media_attributes_for_other_addresses() {
        let html = render_article(
            r#"<img src="/x.jpg" srcset="https://tracker.example/p.gif 1w" loading="onload" onerror="alert(1)" alt="x">"#,
        );
        assert!(!html.contains("srcset") && !html.contains("loading") && !html.contains("onerror"), "{html}");
    }
}
