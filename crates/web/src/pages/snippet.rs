//! Search result snippets: a window of an article's text around the first
//! match, escaped word by word, with the matching words then wrapped in
//! `<mark>`. The only markup in a snippet is the `<mark>` this writes.

use tribune_domain::SearchTerms;

const WORDS_BEFORE: usize = 10;
const WORDS_IN_SNIPPET: usize = 36;

/// `text` as the reader sees it: Markdown's marks (and quote marks) dropped, one line.
fn plain_words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '#' | '*' | '_' | '`' | '[' | ']' | '|'))
        .filter(|word| !word.is_empty() && !word.chars().all(|c| matches!(c, '>' | '-')))
        .collect()
}

/// Whether `word` is a form of one of the searched words (the backends stem,
/// so "bridges" matches a search for "bridge" and the other way round).
fn matches(word: &str, terms: &SearchTerms) -> bool {
    word.split(|c: char| !c.is_alphanumeric()).filter(|run| !run.is_empty()).any(|run| {
        let run = run.to_lowercase();
        terms
            .words()
            .iter()
            .any(|term| run.starts_with(term.as_str()) || (run.chars().count() >= 4 && term.starts_with(run.as_str())))
    })
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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
    out
}

/// Safe HTML: the words around the first match in `text`, matches marked.
pub fn highlighted(text: &str, terms: &SearchTerms) -> String {
    let words = plain_words(text);
    let first = words.iter().position(|w| matches(w, terms)).unwrap_or(0);
    let start = first.saturating_sub(WORDS_BEFORE);
    let end = (start + WORDS_IN_SNIPPET).min(words.len());
    let mut out = String::new();
    if start > 0 {
        out.push_str("… ");
    }
    for (n, word) in words[start..end].iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        let escaped = escape_html(word);
        if matches(word, terms) {
            out.push_str("<mark>");
            out.push_str(&escaped);
            out.push_str("</mark>");
        } else {
            out.push_str(&escaped);
        }
    }
    if end < words.len() {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(raw: &str) -> SearchTerms {
        SearchTerms::parse(raw).unwrap()
    }

    #[test]
    fn matches_are_marked_and_everything_else_is_escaped() {
        let html = highlighted("The <b>bridge</b> & the Bridges' \"story\"", &terms("bridge"));
        assert_eq!(
            html,
            "The <mark>&lt;b&gt;bridge&lt;/b&gt;</mark> &amp; the <mark>Bridges&#39;</mark> &quot;story&quot;"
        );
    }

    #[test]
    fn a_script_in_the_text_stays_text_even_when_it_matches() {
        let html = highlighted("<script>alert(1)</script>", &terms("script"));
        assert!(!html.contains("<script"), "{html}");
        assert!(html.starts_with("<mark>&lt;script&gt;"), "{html}");
    }

    #[test]
    fn the_window_starts_a_little_before_the_first_match() {
        let text = (1..=100).map(|n| format!("w{n}")).collect::<Vec<_>>().join(" ") + " needle tail";
        let html = highlighted(&text, &terms("needle"));
        assert!(html.starts_with("… w91 "), "{html}");
        assert!(html.contains("<mark>needle</mark> tail"), "{html}");
    }

    #[test]
    fn markdown_marks_are_dropped() {
        assert_eq!(highlighted("## A *great* [link](x)", &terms("great")), "A <mark>great</mark> link (x)");
    }
}
