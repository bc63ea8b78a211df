//! The theme: auto-escaping minijinja templates. The default theme is built
//! into the binary; a theme directory may override any file or add new ones.
//! Every template is compiled at start, so a broken theme stops the server
//! with the file and line instead of failing a reader's request later.

use crate::error::AppError;
use minijinja::Environment;
use serde::Serialize;
use std::path::Path;

/// The default theme, embedded at build time.
pub const DEFAULT_THEME: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("teasers.html", include_str!("../templates/teasers.html")),
    ("section.html", include_str!("../templates/section.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("story.html", include_str!("../templates/story.html")),
    ("newsroom_list.html", include_str!("../templates/newsroom_list.html")),
    ("newsroom_edit.html", include_str!("../templates/newsroom_edit.html")),
    ("newsroom_revisions.html", include_str!("../templates/newsroom_revisions.html")),
    ("comments.html", include_str!("../templates/comments.html")),
    ("comment_form.html", include_str!("../templates/comment_form.html")),
    ("forms.html", include_str!("../templates/forms.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("signin.html", include_str!("../templates/signin.html")),
    ("signup.html", include_str!("../templates/signup.html")),
    ("account.html", include_str!("../templates/account.html")),
    ("signin_link.html", include_str!("../templates/signin_link.html")),
    ("email_form.html", include_str!("../templates/email_form.html")),
    ("password_reset.html", include_str!("../templates/password_reset.html")),
    ("admin_users.html", include_str!("../templates/admin_users.html")),
    ("admin_webhooks.html", include_str!("../templates/admin_webhooks.html")),
    ("admin_api_keys.html", include_str!("../templates/admin_api_keys.html")),
    ("report.html", include_str!("../templates/report.html")),
    ("moderation_queue.html", include_str!("../templates/moderation_queue.html")),
    ("moderation_author.html", include_str!("../templates/moderation_author.html")),
    ("moderation_edit.html", include_str!("../templates/moderation_edit.html")),
    ("moderation_article.html", include_str!("../templates/moderation_article.html")),
    ("admin_moderation.html", include_str!("../templates/admin_moderation.html")),
    ("admin_audit.html", include_str!("../templates/admin_audit.html")),
    ("api_docs.html", include_str!("../templates/api_docs.html")),
    ("newsroom_images.html", include_str!("../templates/newsroom_images.html")),
    ("corrections_notes.html", include_str!("../templates/corrections_notes.html")),
    ("corrections.html", include_str!("../templates/corrections.html")),
    ("newsroom_corrections.html", include_str!("../templates/newsroom_corrections.html")),
    ("author.html", include_str!("../templates/author.html")),
    ("newsroom_home.html", include_str!("../templates/newsroom_home.html")),
    ("newsroom_authors.html", include_str!("../templates/newsroom_authors.html")),
    ("newsroom_author.html", include_str!("../templates/newsroom_author.html")),
    ("newsroom_author_fields.html", include_str!("../templates/newsroom_author_fields.html")),
];

#[derive(Debug, thiserror::Error)]
#[error("template {file}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
pub struct TemplateError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// The default theme, overridden by the `.html` files in `theme_dir`.
    pub fn load(theme_dir: Option<&Path>) -> Result<Self, TemplateError> {
        let mut sources: Vec<(String, String)> =
            DEFAULT_THEME.iter().map(|(name, source)| ((*name).to_owned(), (*source).to_owned())).collect();
        if let Some(dir) = theme_dir {
            for (name, source) in read_theme_dir(dir)? {
                match sources.iter_mut().find(|(known, _)| *known == name) {
                    Some(slot) => slot.1 = source,
                    None => sources.push((name, source)),
                }
            }
        }
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.add_function("asset", asset_url);
        for (name, source) in sources {
            env.add_template_owned(name.clone(), source).map_err(|e| TemplateError {
                file: name.clone(),
                line: e.line(),
                message: e.detail().map_or_else(|| e.kind().to_string(), str::to_owned),
            })?;
        }
        Ok(Self { env })
    }

    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String, AppError> {
        let template =
            self.env.get_template(name).map_err(|e| AppError::Internal(format!("template {name}: {e:#}")))?;
        template.render(context).map_err(|e| AppError::Internal(format!("rendering {name}: {e:#}")))
    }

    pub fn names(&self) -> Vec<String> {
        self.env.templates().map(|(name, _)| name.to_owned()).collect()
    }
}

/// `{{ asset("tribune.css") }}`: the file's address with its content hash,
/// so a new version gets a new address. An unknown name fails the render.
/// The address is ours (a known name and hex digits), so it is not escaped.
fn asset_url(name: &str) -> Result<minijinja::Value, minijinja::Error> {
    crate::assets::url(name).map(minijinja::Value::from_safe_string).ok_or_else(|| {
        minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("there is no asset named {name:?}"))
    })
}

fn read_theme_dir(dir: &Path) -> Result<Vec<(String, String)>, TemplateError> {
    let unreadable = |message: String| TemplateError { file: dir.display().to_string(), line: None, message };
    let entries = std::fs::read_dir(dir).map_err(|e| unreadable(format!("cannot read theme directory: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| unreadable(e.to_string()))?.path();
        if path.extension().is_some_and(|ext| ext == "html") {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let source = std::fs::read_to_string(&path).map_err(|e| TemplateError {
                file: path.display().to_string(),
                line: None,
                message: format!("cannot read: {e}"),
            })?;
            files.push((name, source));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample_context() -> serde_json::Value {
        let comment = json!({
            "id": 7, "parent_id": null, "depth": 1, "number": "1", "author_name": "Ada <b>",
            "author_website": "https://example.org", "body_html": "<p>Hi</p>", "created_at": "2026-11-29T08:00:00Z",
            "created_human": "29 November 2026, 08:00 UTC", "created_relative": "just now",
            "replies": [{"id": 8, "parent_id": 7, "depth": 2, "number": "1.1", "author_name": "Bo",
                "author_website": null, "body_html": "<p>Re</p>", "created_at": "2026-11-29T08:01:00Z",
                "created_human": "", "created_relative": "just now", "replies": []}]
        });
        let mut base = json!({
                   "site_name": "Test Site",
                   "articles": [{"url": "/articles/a", "headline": "A", "standfirst": "S", "byline": "B", "section": "News",
                       "published_at": "2026-11-29T08:00:00Z", "published_human": "29 November 2026", "comment_count": 1}],
                   "article": {"url": "/articles/a", "slug": "a", "headline": "Head <i>", "standfirst": "S", "byline": "B",
                       "section": "News", "published_at": "2026-11-29T08:00:00Z", "published_human": "29 November 2026",
                       "body_html": "<p>Body</p>", "comments_open": true},
                   "thread": {"comments": [comment], "total": 2, "next_cursor": "7"},
                   "author": {"name": "Ada <b>", "slug": "ada", "url": "/authors/ada", "bio_html": "<p>Bio</p>",
                       "photo_url": "/media/ada.jpg"},
                   "bylines": [{"name": "Ada <b>", "slug": "ada", "url": "/authors/ada"}],
                   "corrections": [{"id": 1, "note_html": "<p>Fixed</p>", "created_at": "2026-11-29T08:00:00Z",
                       "created_human": "29 November 2026"}],
                   "listed": [{"correction": {"id": 1, "note_html": "<p>Fixed</p>", "created_at": "", "created_human": ""},
                       "article_url": "/articles/a", "article_headline": "Head <i>"}],
                   "sort": "oldest", "is_first_page": true, "next_page_url": "/articles/a?cursor=7",
                   "form": {"thresholds": {"hold_TOXICITY": "0.8<b>"}, "premoderation": "all", "banned_words": "w <b>",
                       "values": {"name": "N", "email": "e@x.org", "website": "", "body": "typed", "parent_id": "7"},
                       "errors": {"body": "Please write a comment."}, "replying_to": {"id": 7, "author_name": "Ada"}},
                   "problem": {"title": "Not found", "detail": "The page does not exist.", "errors": [], "status": 401},
                   "viewer": {"display_name": "Vi <u>", "email": "vi@example.org"}, "role": "editor",
                   "guests_may_comment": true,
                   "discussion": {"closed_message": null, "guidelines": ["Be kind <b>"], "moderation_note": "1 comment <b>",
                       "featured": [{"id": 7, "author_name": "Ada <b>", "body_html": "<p>Hi</p>", "created_at": "", "created_human": ""}],
                       "own_pending": [{"id": 9, "author_name": "Me <b>", "body_html": "<p>Mine</p>", "created_at": "", "created_human": ""}],
                       "refusal": null, "warning": "Be civil <u>", "can_report": true},
                   "comment": {"id": 7, "author_name": "Ada <b>", "body_html": "<p>Hi</p>"}, "headline": "Head <i>",
                   "article_url": "/articles/a", "reasons": [{"code": "spam", "label": "Spam <b>"}],
                   "values": {"reason": "spam", "note": "typed <b>"},
        "token": "abc", "title": "T", "action": "/a", "button": "B", "explanation": "E",
                   "errors": {"email": "Taken <b>", "form": "No match"},
               });
        for (key, value) in moderation_sample().as_object().cloned().unwrap_or_default() {
            base[&key] = value;
        }
        base
    }

    /// What the moderation pages show, each user-written value with markup to escape.
    fn moderation_sample() -> serde_json::Value {
        let card = json!({"id": 7, "version": 2, "status": "pending", "featured": false, "author_name": "Ada <b>",
                "author_email": "a@x.org", "author_key": "user:1", "author_is_guest": false, "body_html": "<p>Hi</p>",
                "source": [{"text": "you <b>", "marked": false}, {"text": "idiot <i>", "marked": true}], "has_marks": true,
                "created_at": "", "created_human": "", "reject_reason": null, "reject_code": null, "reject_note": "",
                "reasons": [{"step": "Banned words", "code": "banned_words", "detail": "Banned <b>", "words": ["w<i>"], "score": "0.9"}],
                "moderator_name": "Mo <u>", "moderated_human": null, "open_reports": 1, "article_slug": "a",
                "article_url": "/articles/a", "article_headline": "Head <i>", "section": "News <b>",
                "parent": {"id": 1, "author_name": "P <b>", "excerpt": "x <i>", "status": "rejected"},
                "history": {"published": 1, "pending": 0, "rejected": 0, "deleted": 0},
                "reports": [{"reason": "Spam", "note": "n <b>", "created_human": "", "resolved": false}],
                "edits": [{"edited_human": "", "editor_name": "E <b>", "reason": "r <u>", "body_before": "b <i>"}]});
        let rows = json!([{"id": 1, "at": "", "actor_name": "A <b>", "actor_id": 1, "action": "comment.reject", "target": "comment 1", "reason": "r <i>", "before": "{\"s\": \"<b>\"}", "after": null}]);
        json!({
            "tabs": [{"code": "pending", "label": "Pending", "count": "3", "current": true, "url": "/moderation?queue=pending"}],
            "queue": "pending", "queue_label": "Pending", "params": {"article": "a<b>"}, "oldest_first": true,
            "here": "/moderation?queue=pending", "reject_reasons": [["spam", "Spam <b>"]],
            "flash": {"message": "Approved <b>", "error": false, "undo": {"comment": 7, "action": "hold", "reason": null, "version": 2}},
            "cards": [card],
            "key": "user:1", "is_account": true, "name": "Ada <b>", "email": "a@x.org",
            "counts": {"published": 1, "pending": 2, "rejected": 3, "deleted": 0}, "banned": true,
            "suspended_until": "soon", "message": "m <b>", "warning": "w <u>", "always_premoderate": true,
            "notes": [{"body": "n <b>", "by": "m <i>", "at": ""}],
            "recent": [{"id": 1, "status": "published", "excerpt": "e <b>", "created_human": "", "url": "/articles/a#comment-1"}],
            "modes": ["none", "all"], "attributes": ["TOXICITY"], "saved": true,
            "rows": rows,
            "slug": "a", "comment_id": 7, "body": "b <u>", "reason": "r <i>", "version": "2", "return_to": "/moderation"
        })
    }

    #[test]
    fn every_default_template_renders_and_escapes() {
        let templates = Templates::load(None).unwrap();
        // forms.html and corrections_notes.html hold only macros for the others.
        let macros_only = ["forms.html", "corrections_notes.html"];
        for (name, _) in DEFAULT_THEME.iter().filter(|(name, _)| !macros_only.contains(name)) {
            let html = templates.render(name, sample_context()).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!html.trim().is_empty(), "{name} rendered nothing");
            assert!(
                !html.contains("<i>") && !html.contains("<b>") && !html.contains("<u>"),
                "{name} must escape: {html}"
            );
        }
        let mut members_only = sample_context();
        members_only["viewer"] = serde_json::Value::Null;
        members_only["guests_may_comment"] = json!(false);
        let page = templates.render("article.html", members_only).unwrap();
        assert!(page.contains("href=\"/signin?next=&#x2f;articles&#x2f;a\""), "{page}");
        let mut signin = sample_context();
        signin["form"] = json!({"next": "/articles/a", "email": "typed@example.org"});
        assert!(templates.render("signin.html", signin).unwrap().contains("value=\"typed@example.org\""));
        let article = templates.render("article.html", sample_context()).unwrap();
        assert!(article.contains("2 comments on “Head &lt;i&gt;”"), "{article}");
        assert!(article.contains("data-number=\"1.1\""));
        assert!(article.contains("Please write a comment."));
    }

    #[test]
    fn templates_link_assets_by_their_hashed_address() {
        let templates = Templates::load(None).unwrap();
        let page = templates.render("home.html", sample_context()).unwrap();
        let css = crate::assets::url("tribune.css").unwrap();
        assert!(page.contains(&format!("<link rel=\"stylesheet\" href=\"{css}\">")), "{page}");
        assert!(page.contains(&format!("<script src=\"{}\" defer>", crate::assets::url("tribune.js").unwrap())));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("home.html"), "{{ asset(\"nope.css\") }}").unwrap();
        let error = Templates::load(Some(dir.path())).unwrap().render("home.html", sample_context()).unwrap_err();
        assert!(error.to_string().contains("no asset named \"nope.css\""), "{error}");
    }

    #[test]
    fn a_theme_directory_overrides_and_adds_templates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("home.html"), "<p>My own {{ site_name }}</p>").unwrap();
        std::fs::write(dir.path().join("extra.html"), "extra").unwrap();
        let templates = Templates::load(Some(dir.path())).unwrap();
        assert_eq!(templates.render("home.html", sample_context()).unwrap(), "<p>My own Test Site</p>");
        assert!(templates.names().contains(&"extra.html".to_owned()));
        assert!(templates.render("article.html", sample_context()).is_ok(), "the rest stay built in");
    }

    #[test]
    fn a_broken_theme_template_names_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("article.html"), "line one\n{% if %}\n").unwrap();
        let error = Templates::load(Some(dir.path())).err().expect("a syntax error");
        assert_eq!(error.file, "article.html");
        assert_eq!(error.line, Some(2));
        assert!(error.to_string().starts_with("template article.html line 2:"), "{error}");
    }

    #[test]
    fn a_missing_theme_directory_is_an_error() {
        assert!(Templates::load(Some(Path::new("/nonexistent/theme"))).is_err());
    }
}
