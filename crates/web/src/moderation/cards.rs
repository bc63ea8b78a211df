//! What a moderator sees of a comment: the card in a queue, with its
//! reasons and the matched words marked in the text, where it was posted,
//! what it replies to, and who wrote it.

use crate::views::article_url;
use serde::Serialize;
use tribune_domain::moderation::{AuthorKey, Reason, WordMatch};
use tribune_store::{AuthorCounts, Comment, CommentEdit, QueueItem, Report};

/// A stretch of the comment's text, marked if a list entry matched it. The
/// template escapes each piece, so marking never lets text become markup.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub marked: bool,
}

/// `text` cut at the matches' boundaries (byte offsets; overlapping or
/// out-of-range spans are merged or dropped, never split a character).
pub fn highlight(text: &str, matches: &[&WordMatch]) -> Vec<Segment> {
    let mut spans: Vec<(usize, usize)> = matches
        .iter()
        .filter(|m| {
            m.start < m.end && m.end <= text.len() && text.is_char_boundary(m.start) && text.is_char_boundary(m.end)
        })
        .map(|m| (m.start, m.end))
        .collect();
    spans.sort_unstable();
    let mut segments = Vec::new();
    let mut at = 0;
    for (start, end) in spans {
        let start = start.max(at);
        if start >= end {
            continue;
        }
        if start > at {
            segments.push(Segment { text: text[at..start].to_owned(), marked: false });
        }
        segments.push(Segment { text: text[start..end].to_owned(), marked: true });
        at = end;
    }
    if at < text.len() {
        segments.push(Segment { text: text[at..].to_owned(), marked: false });
    }
    segments
}

#[derive(Debug, Serialize)]
pub struct ReasonView {
    pub step: &'static str,
    pub code: String,
    pub detail: String,
    pub words: Vec<String>,
    pub score: Option<String>,
}

impl From<&Reason> for ReasonView {
    fn from(r: &Reason) -> Self {
        Self {
            step: r.step.label(),
            code: r.code.clone(),
            detail: r.detail.clone(),
            words: r.words.iter().map(|w| w.entry.clone()).collect(),
            score: r.score.map(|s| format!("{s:.2}")),
        }
    }
}

/// One comment as its card shows it.
#[derive(Debug, Serialize)]
pub struct Card {
    pub id: i64,
    pub version: i32,
    pub status: &'static str,
    pub featured: bool,
    pub author_name: String,
    pub author_email: String,
    /// `user:ID` / `email:ADDRESS`, for the author's page.
    pub author_key: String,
    pub author_is_guest: bool,
    pub body_html: String,
    /// The Markdown source, cut where list entries matched.
    pub source: Vec<Segment>,
    pub has_marks: bool,
    pub created_at: String,
    pub created_human: String,
    pub reasons: Vec<ReasonView>,
    /// Its label, for people.
    pub reject_reason: Option<&'static str>,
    /// Its code, for the undo button.
    pub reject_code: Option<&'static str>,
    pub reject_note: String,
    pub moderator_name: String,
    pub moderated_human: Option<String>,
    pub open_reports: i32,
    pub article_slug: String,
    pub article_url: String,
    pub article_headline: String,
    pub section: String,
    pub parent: Option<ParentView>,
    pub history: Option<AuthorCounts>,
    pub reports: Vec<ReportView>,
    pub edits: Vec<EditView>,
}

#[derive(Debug, Serialize)]
pub struct ParentView {
    pub id: i64,
    pub author_name: String,
    pub excerpt: String,
    pub status: &'static str,
}

impl From<&Comment> for ParentView {
    fn from(c: &Comment) -> Self {
        Self {
            id: c.id.0,
            author_name: c.author_name.clone(),
            excerpt: excerpt(&c.body_markdown, 280),
            status: c.status.as_str(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ReportView {
    pub reason: &'static str,
    pub note: String,
    pub created_human: String,
    pub resolved: bool,
}

impl From<&Report> for ReportView {
    fn from(r: &Report) -> Self {
        Self {
            reason: r.reason.label(),
            note: r.note.clone(),
            created_human: r.created_at.human(),
            resolved: r.resolved,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct EditView {
    pub edited_human: String,
    pub editor_name: String,
    pub reason: String,
    pub body_before: String,
}

impl From<&CommentEdit> for EditView {
    fn from(e: &CommentEdit) -> Self {
        Self {
            edited_human: e.edited_at.human(),
            editor_name: e.editor_name.clone(),
            reason: e.reason.clone(),
            body_before: e.body_before.clone(),
        }
    }
}

impl Card {
    pub fn new(item: QueueItem) -> Self {
        let c = item.comment;
        let matches: Vec<&WordMatch> = c.reasons.iter().flat_map(|r| &r.words).collect();
        let source = highlight(&c.body_markdown, &matches);
        let author_is_guest = matches!(AuthorKey::parse_stored(&c.author_key), Some(AuthorKey::Guest(_)) | None);
        Self {
            id: c.id.0,
            version: c.version,
            status: c.status.as_str(),
            featured: c.featured,
            has_marks: source.iter().any(|s| s.marked),
            source,
            author_name: c.author_name,
            author_email: c.author_email,
            author_key: c.author_key,
            author_is_guest,
            body_html: c.body_html,
            created_at: c.created_at.rfc3339(),
            created_human: c.created_at.human(),
            reasons: c.reasons.iter().map(ReasonView::from).collect(),
            reject_reason: c.reject_reason.map(|r| r.label()),
            reject_code: c.reject_reason.map(|r| r.as_str()),
            reject_note: c.reject_note,
            moderator_name: c.moderator_name,
            moderated_human: c.moderated_at.map(|t| t.human()),
            open_reports: c.open_reports,
            article_url: article_url(&item.article_slug),
            article_slug: item.article_slug,
            article_headline: item.article_headline,
            section: item.section,
            parent: None,
            history: None,
            reports: Vec::new(),
            edits: Vec::new(),
        }
    }
}

pub fn excerpt(text: &str, max_chars: usize) -> String {
    let mut out: String = text.chars().take(max_chars).collect();
    if text.chars().count() > max_chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(start: usize, end: usize) -> WordMatch {
        WordMatch { entry: "x".to_owned(), start, end }
    }

    #[test]
    fn matches_are_marked_and_the_rest_kept_in_order() {
        let text = "You idiot, you fool";
        let a = matched(4, 9);
        let b = matched(15, 19);
        let segments = highlight(text, &[&b, &a]);
        let parts: Vec<(&str, bool)> = segments.iter().map(|s| (s.text.as_str(), s.marked)).collect();
        assert_eq!(parts, vec![("You ", false), ("idiot", true), (", you ", false), ("fool", true)]);
    }

    #[test]
    fn overlapping_and_broken_spans_never_split_or_repeat_text() {
        let text = "héllo wörld";
        let a = matched(0, 6);
        let overlapping = matched(3, 8);
        let inside_a_char = matched(2, 4);
        let past_the_end = matched(5, 99);
        let segments = highlight(text, &[&a, &overlapping, &inside_a_char, &past_the_end]);
        let joined: String = segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        assert!(segments[0].marked);
    }
}
