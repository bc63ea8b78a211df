//! Markdown to safe HTML. Articles get the full CommonMark set plus pull-quotes;
//! comments get a small, safe subset, with bare web addresses made links. Both
//! pass through `ammonia` last, so whatever the Markdown renderer lets
//! through, no script survives.

mod media_images;

use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeStream};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Renders an article body; a block quote whose last line starts with a dash
/// ("— Name, Role") becomes a pull-quote figure with that line as its caption.
pub fn render_article(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let events = pull_quotes(events);
    let events = media_images::responsive_media_images(events);
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    ARTICLE_SANITIZER.clean(&html).to_string()
}

/// Renders a comment: emphasis, links, code, quotes and lists. Raw HTML the
/// commenter typed is shown as text, images and headings are flattened, and
/// bare http(s) addresses become links (`rel="nofollow ugc noopener"`, like
/// every link in a comment).
pub fn render_comment(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Heading { .. }) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::Heading(_)) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    // Text arrives in pieces (raw HTML turned text, entities): whole runs, so an address is found whole.
    let events = link_bare_addresses(TextMergeStream::new(events));
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events);
    COMMENT_SANITIZER.clean(&html).to_string()
}

/// Turns http(s) addresses in plain text into links. Text inside a link or a
/// code block is left alone (inline code is an event of its own, never text).
fn link_bare_addresses<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    let mut inside_link_or_code = 0usize;
    events.flat_map(move |event| match event {
        Event::Start(Tag::Link { .. } | Tag::CodeBlock(_)) => {
            inside_link_or_code += 1;
            vec![event]
        }
        Event::End(TagEnd::Link | TagEnd::CodeBlock) => {
            inside_link_or_code = inside_link_or_code.saturating_sub(1);
            vec![event]
        }
        Event::Text(text) if inside_link_or_code == 0 => linked_text(&finder, &text),
        other => vec![other],
    })
}

fn linked_text<'a>(finder: &LinkFinder, text: &str) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    for span in finder.spans(text) {
        let piece = CowStr::from(span.as_str().to_owned());
        if span.kind() == Some(&LinkKind::Url) && is_web_address(span.as_str()) {
            events.push(Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: piece.clone(),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }));
            events.push(Event::Text(piece));
            events.push(Event::End(TagEnd::Link));
        } else {
            events.push(Event::Text(piece));
        }
    }
    events
}

fn is_web_address(url: &str) -> bool {
    let scheme = url.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
    matches!(scheme.as_deref(), Some("http" | "https"))
}

static ARTICLE_SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["figure", "figcaption", "cite"])
        .add_tag_attributes("figure", ["class"])
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .attribute_filter(|element, attribute, value| {
            media_images::keep_attribute(element, attribute, value).map(std::borrow::Cow::Owned)
        })
        .link_rel(Some("noopener"));
    builder
});

static COMMENT_SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> =
        ["p", "br", "em", "strong", "del", "a", "code", "pre", "blockquote", "ul", "ol", "li"].into();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("ol", ["start"])
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("nofollow ugc noopener"));
    builder
});

/// Rewrites top-level block quotes that end in an attribution line into
/// `<figure><blockquote>…</blockquote><figcaption>…</figcaption></figure>`.
fn pull_quotes(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i], Event::Start(Tag::BlockQuote(_))) {
            let end = matching_end(&events, i);
            match split_attribution(&events[i + 1..end]) {
                Some((quote, caption)) => {
                    out.push(Event::Html(CowStr::Borrowed("<figure class=\"pull-quote\">\n<blockquote>\n")));
                    out.extend(quote);
                    out.push(Event::Html(CowStr::Borrowed("</blockquote>\n<figcaption>")));
                    out.extend(caption);
                    out.push(Event::Html(CowStr::Borrowed("</figcaption>\n</figure>\n")));
                }
                None => out.extend(events[i..=end].iter().cloned()),
            }
            i = end + 1;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

fn matching_end(events: &[Event<'_>], start: usize) -> usize {
    let mut depth = 0;
    for (offset, event) in events[start..].iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => {
                depth -= 1;
                if depth == 0 {
                    return start + offset;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

const DASHES: [&str; 4] = ["—", "―", "–", "--"];

/// Splits a block quote's inner events into the quote and its caption events,
/// when its last paragraph's last line starts with a dash.
fn split_attribution<'a>(inner: &[Event<'a>]) -> Option<(Vec<Event<'a>>, Vec<Event<'a>>)> {
    let para_end = inner.len().checked_sub(1).filter(|&i| matches!(inner[i], Event::End(TagEnd::Paragraph)))?;
    let para_start = inner[..para_end].iter().rposition(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
    let line_break = inner[para_start..para_end].iter().rposition(|e| matches!(e, Event::SoftBreak | Event::HardBreak));
    let caption_start = line_break.map_or(para_start + 1, |b| para_start + b + 1);
    let Event::Text(first) = &inner[caption_start] else { return None };
    let dash = DASHES.iter().find(|d| first.trim_start().starts_with(*d))?;
    // A quote needs words besides its attribution.
    if line_break.is_none() && para_start == 0 {
        return None;
    }
    let stripped = first.trim_start()[dash.len()..].trim_start().to_owned();
    let mut caption_events: Vec<Event<'a>> = inner[caption_start + 1..para_end].to_vec();
    let caption = if caption_events.is_empty() {
        speaker_and_role(&stripped)
    } else {
        caption_events.insert(0, Event::Text(CowStr::from(stripped)));
        caption_events
    };
    let quote = match line_break {
        Some(b) => {
            let mut quote = inner[..para_start + b].to_vec();
            quote.push(Event::End(TagEnd::Paragraph));
            quote
        }
        None => inner[..para_start].to_vec(),
    };
    Some((quote, caption))
}

/// "Name, Role" becomes a cited speaker followed by their role.
fn speaker_and_role<'a>(text: &str) -> Vec<Event<'a>> {
    let (name, role) = match text.split_once(',') {
        Some((name, role)) => (name.trim(), Some(role.trim())),
        None => (text.trim(), None),
    };
    let mut events = vec![
        Event::Html(CowStr::Borrowed("<cite>")),
        Event::Text(CowStr::from(name.to_owned())),
        Event::Html(CowStr::Borrowed("</cite>")),
    ];
    if let Some(role) = role.filter(|r| !r.is_empty()) {
        events.push(Event::Html(CowStr::Borrowed(", <span class=\"role\">")));
        events.push(Event::Text(CowStr::from(role.to_owned())));
        events.push(Event::Html(CowStr::Borrowed("</span>")));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_with_an_attribution_line_becomes_a_figure() {
        let html = render_article("> We will not back down.\n> — Amara Okafor, Foreign Minister\n");
        assert!(html.contains("<figure class=\"pull-quote\">"), "{html}");
        assert!(html.contains("<blockquote>\n<p>We will not back down.</p>\n</blockquote>"), "{html}");
        assert!(
            html.contains(
                "<figcaption><cite>Amara Okafor</cite>, <span class=\"role\">Foreign Minister</span></figcaption>"
            ),
            "{html}"
        );
    }

    #[test]
    fn an_attribution_in_its_own_paragraph_also_counts() {
        let html = render_article("> First line.\n>\n> Second line.\n>\n> -- Lee Park, Mayor\n");
        assert!(html.contains("<p>Second line.</p>\n</blockquote>\n<figcaption><cite>Lee Park</cite>"), "{html}");
    }

    #[test]
    fn a_plain_block_quote_stays_a_block_quote() {
        let html = render_article("> Just a quote, nobody said it.\n");
        assert!(!html.contains("<figure"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
    }

    #[test]
    fn an_attribution_alone_is_not_a_pull_quote() {
        assert!(!render_article("> — Nobody\n").contains("<figure"));
    }

    #[test]
    fn article_script_and_event_handlers_are_removed() {
        let html =
            render_article("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn comment_markdown_keeps_the_safe_subset() {
        let html = render_comment("*yes* **no** `code`\n\n> quoted\n\n- one\n- two\n\n[site](https://example.org)");
        for expected in ["<em>yes</em>", "<strong>no</strong>", "<code>code</code>", "<blockquote>", "<li>one</li>"] {
            assert!(html.contains(expected), "{expected} missing from {html}");
        }
        assert!(html.contains("<a href=\"https://example.org\" rel=\"nofollow ugc noopener\">site</a>"), "{html}");
    }

    #[test]
    fn comment_html_is_shown_as_text_never_run() {
        let html = render_comment("<script>alert(1)</script> <b onmouseover=x>hi</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn comment_links_to_javascript_urls_lose_their_href() {
        let html = render_comment("[click](javascript:alert(1)) [data](data:text/html,x)");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
    }

    #[test]
    fn a_bare_web_address_in_a_comment_becomes_a_nofollow_link() {
        let html = render_comment("Minutes at https://example.org/council/minutes?page=4&x=1, see page 4.");
        assert!(
            html.contains(
                "at <a href=\"https://example.org/council/minutes?page=4&amp;x=1\" rel=\"nofollow ugc noopener\">\
                 https://example.org/council/minutes?page=4&amp;x=1</a>, see page 4."
            ),
            "{html}"
        );
        let html = render_comment("(HTTP://EXAMPLE.ORG/A) and http://example.org/b_c_d.");
        assert!(html.contains("(<a href=\"HTTP://EXAMPLE.ORG/A\""), "{html}");
        assert!(html.contains(">http://example.org/b_c_d</a>."), "{html}");
    }

    #[test]
    fn only_web_addresses_outside_links_and_code_are_linked() {
        let html = render_comment(
            "[the site](https://example.org/a) `https://example.org/code`\n\n\
             ```\nhttps://example.org/block\n```\n\nftp://example.org/f javascript:alert(1) mail@example.org",
        );
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
        assert!(html.contains("<code>https://example.org/code</code>"), "{html}");
        assert!(html.contains("<pre><code>https://example.org/block\n</code></pre>"), "{html}");
        assert!(!html.contains("href=\"ftp:") && !html.contains("href=\"javascript:"), "{html}");
    }

    #[test]
    fn a_bare_address_cannot_smuggle_markup_or_quotes() {
        let html =
            render_comment("https://example.org/\"onmouseover=alert(1)// https://example.org/<script>x</script>");
        assert!(!html.contains("<script"), "{html}");
        for link in html.split("<a ").skip(1) {
            let tag = link.split('>').next().unwrap_or_default();
            let one_href_and_rel = tag.starts_with("href=\"") && tag.ends_with("\" rel=\"nofollow ugc noopener\"");
            assert!(one_href_and_rel && tag.matches('"').count() == 4, "{html}");
        }
    }

    #[test]
    fn comment_headings_and_images_are_flattened() {
        let html = render_comment("# Big\n\n![alt](https://example.org/x.png)");
        assert!(!html.contains("<h1"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("Big"), "{html}");
    }
}
