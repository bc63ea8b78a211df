//! `/docs/api`: the JSON API's documentation (docs/api.md, embedded at build
//! time), so that the `type` link of every problem document leads somewhere.
//! Each error code in a table gets an anchor, so `/docs/api#invalid_body`
//! lands on its row.

use crate::error::AppError;
use crate::routes::Routes;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

const API_MARKDOWN: &str = include_str!("../../../docs/api.md");

static API_HTML: LazyLock<String> = LazyLock::new(|| render(API_MARKDOWN));

pub fn routes() -> Routes {
    Routes::new().get("/docs/api", api)
}

async fn api(State(state): State<AppState>) -> Result<Response, AppError> {
    let html = state.templates.render(
        "api_docs.html",
        context! { site_name => &state.config.site_name, docs => minijinja::Value::from_safe_string(API_HTML.clone()) },
    )?;
    Ok(Html(html).into_response())
}

/// The Markdown as HTML; the first `code` span in a table that is a code's
/// name (lower case, digits, underscores) carries that name as its `id`.
pub fn render(markdown: &str) -> String {
    let mut in_table = false;
    let mut anchored = HashSet::new();
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| match event {
        Event::Start(Tag::Table(_)) => {
            in_table = true;
            event
        }
        Event::End(TagEnd::Table) => {
            in_table = false;
            event
        }
        Event::Code(code) if in_table && is_code_name(&code) && anchored.insert(code.to_string()) => {
            // Safe to write as is: the name has only [a-z0-9_].
            Event::InlineHtml(format!(r#"<code id="{code}">{code}</code>"#).into())
        }
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

fn is_code_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_tables_get_one_anchor_each_and_other_code_none() {
        let html = render(
            "Use `not_a_row` here.\n\n| status | code |\n|---|---|\n| 400 | `invalid_body` |\n| 400 | `invalid_body`, `Weird-Code` |\n",
        );
        assert_eq!(html.matches(r#"<code id="invalid_body">invalid_body</code>"#).count(), 1, "{html}");
        assert!(html.contains("<code>invalid_body</code>") && html.contains("<code>Weird-Code</code>"), "{html}");
        assert!(html.contains("<code>not_a_row</code>"), "{html}");
    }
}
