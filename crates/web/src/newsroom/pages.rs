//! The newsroom's pages under `/newsroom`: the list by state, the editor
//! (preview on a button, save with its base revision, transition buttons for
//! the role) and its refusals shown next to the fields with the text kept.

use super::editor_extras::{self, ExtrasFields};
use super::{authoring_error, LiveAnnounce};
use crate::accounts::SignedIn;
use crate::error::AppError;
use crate::extract::PageForm;
use crate::state::AppState;
use crate::views::tag_views;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tribune_app::authoring::{ArticleInput, AuthoringError, Newsroom};
use tribune_domain::authoring::{self, Action, ArticleStatus, Target, Transition};
use tribune_domain::markdown::render_article;
use tribune_domain::{ArticleId, Timestamp, ValidationErrors};
use tribune_store::{Article, Presence, User};

/// The editor's fields as typed (tags as one comma-separated line).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct EditForm {
    headline: String,
    standfirst: String,
    byline: String,
    section: String,
    tags: String,
    slug: String,
    body: String,
    /// Bylines and the featured image.
    #[serde(flatten)]
    extras: ExtrasFields,
    #[serde(skip_serializing)]
    base_revision: String,
    /// `preview` or `save`.
    #[serde(skip_serializing)]
    intent: String,
}

impl EditForm {
    async fn of(state: &AppState, article: &Article) -> Result<Self, AppError> {
        Ok(Self {
            headline: article.headline.clone(),
            standfirst: article.standfirst.clone(),
            byline: article.byline.clone(),
            section: article.section.clone(),
            tags: article.tags.join(", "),
            slug: article.slug.clone(),
            body: article.body_markdown.clone(),
            extras: ExtrasFields::of(state, article.id).await?,
            ..Self::default()
        })
    }

    fn input(&self) -> ArticleInput {
        ArticleInput {
            headline: self.headline.clone(),
            standfirst: self.standfirst.clone(),
            byline: self.byline.clone(),
            section: self.section.clone(),
            tags: self.tags.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
            slug: self.slug.clone(),
            body: self.body.clone(),
            extras: self.extras.extras(),
        }
    }

    /// The article as the public page would show it.
    fn preview(&self) -> serde_json::Value {
        serde_json::json!({
            "headline": self.headline.trim(),
            "standfirst": self.standfirst.trim(),
            "byline": self.byline.trim(),
            "section": self.section.trim(),
            "section_slug": tribune_domain::Slug::from_headline(&self.section).as_str(),
            "tags": tag_views(&self.input().tags),
            "body_html": render_article(&self.body),
        })
    }
}

#[derive(Serialize)]
struct Conflict {
    base: i32,
    current: i32,
    by: String,
}

/// Everything the editor page shows besides the fields.
#[derive(Default)]
struct EditorPage {
    article: Option<Article>,
    values: EditForm,
    base_revision: i32,
    errors: BTreeMap<&'static str, String>,
    preview: bool,
    conflict: Option<Conflict>,
    others: Vec<Presence>,
    publish_at: String,
    saved: bool,
}

fn errors_of(errors: ValidationErrors) -> BTreeMap<&'static str, String> {
    errors.0.into_iter().map(|e| (e.field, e.message)).collect()
}

async fn render(state: &AppState, user: &User, page: EditorPage, status: StatusCode) -> Result<Response, AppError> {
    let target = page.article.as_ref().map(|a| Target { status: a.status, own: a.author_id == Some(user.id) });
    let transitions: Vec<&str> = Transition::ALL
        .into_iter()
        .filter(|t| target.is_some_and(|target| authoring::check(user.role, Action::Move(*t), Some(target)).is_ok()))
        .map(Transition::as_str)
        .collect();
    let labels = BTreeMap::from([
        ("submit", "Submit for review"),
        ("publish", "Publish now"),
        ("schedule", "Schedule"),
        ("unpublish", "Unpublish"),
    ]);
    let (profiles, images) = editor_extras::choices(state).await?;
    let (preview_bylines, preview_featured) = match page.preview {
        true => editor_extras::preview_parts(state, &page.values.extras).await?,
        false => (Vec::new(), None),
    };
    let html = state.templates.render(
        "newsroom_edit.html",
        context! {
            site_name => &state.config.site_name,
            viewer => user,
            id => page.article.as_ref().map(|a| a.id.0),
            status => page.article.as_ref().map(|a| a.status.as_str()),
            preview => page.preview.then(|| page.values.preview()),
            values => &page.values,
            base_revision => page.base_revision,
            errors => page.errors,
            conflict => page.conflict,
            others => page.others,
            transitions,
            transition_labels => labels,
            publish_at => page.publish_at,
            saved => page.saved,
            profiles,
            images,
            preview_bylines,
            preview_featured,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(super) fn refuse_non_writers(user: &User) -> Result<(), AppError> {
    if user.suspended || !authoring::writes(user.role) {
        return Err(authoring_error(AuthoringError::NotAllowed, None));
    }
    Ok(())
}

pub async fn new_form(SignedIn(user): SignedIn, State(state): State<AppState>) -> Result<Response, AppError> {
    refuse_non_writers(&user)?;
    authoring::check(user.role, Action::Create, None).map_err(|_| authoring_error(AuthoringError::NotAllowed, None))?;
    // A writer with a profile of their own is bylined to it unless they change it.
    let own = state.store.author_of_user(user.id).await?.map(|p| p.slug).unwrap_or_default();
    let extras = ExtrasFields { authors: own, ..ExtrasFields::default() };
    let values = EditForm { byline: user.display_name.clone(), extras, ..EditForm::default() };
    render(&state, &user, EditorPage { values, ..EditorPage::default() }, StatusCode::OK).await
}

pub async fn create(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    PageForm(form): PageForm<EditForm>,
) -> Result<Response, AppError> {
    refuse_non_writers(&user)?;
    if form.intent == "preview" {
        return render(
            &state,
            &user,
            EditorPage { values: form, preview: true, ..EditorPage::default() },
            StatusCode::OK,
        )
        .await;
    }
    let announce = LiveAnnounce(&state.live);
    let newsroom = Newsroom { store: state.store.as_ref(), announce: &announce };
    match newsroom.create(&user, form.input(), Timestamp::now()).await {
        Ok(article) => Ok(Redirect::to(&format!("/newsroom/articles/{}/edit?saved=1", article.id.0)).into_response()),
        Err(AuthoringError::Invalid(errors)) => {
            let page = EditorPage { values: form, errors: errors_of(errors), ..EditorPage::default() };
            render(&state, &user, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(authoring_error(other, None)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditParams {
    saved: Option<String>,
}

pub async fn edit(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    crate::extract::ApiQuery(params): crate::extract::ApiQuery<EditParams>,
) -> Result<Response, AppError> {
    let announce = LiveAnnounce(&state.live);
    let newsroom = Newsroom { store: state.store.as_ref(), announce: &announce };
    let (article, others) = newsroom
        .open_noting_presence(&user, ArticleId(id), Timestamp::now())
        .await
        .map_err(|e| authoring_error(e, Some(id)))?;
    let page = EditorPage {
        values: EditForm::of(&state, &article).await?,
        base_revision: article.revision,
        publish_at: article
            .published_at
            .filter(|_| article.status == ArticleStatus::Scheduled)
            .map(Timestamp::rfc3339)
            .unwrap_or_default(),
        article: Some(article),
        others,
        saved: params.saved.is_some(),
        ..EditorPage::default()
    };
    render(&state, &user, page, StatusCode::OK).await
}

pub async fn save(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(form): PageForm<EditForm>,
) -> Result<Response, AppError> {
    let announce = LiveAnnounce(&state.live);
    let newsroom = Newsroom { store: state.store.as_ref(), announce: &announce };
    let article = newsroom.open(&user, ArticleId(id)).await.map_err(|e| authoring_error(e, Some(id)))?;
    let base: i32 = form.base_revision.trim().parse().unwrap_or(0);
    let mut page = EditorPage { base_revision: base, ..EditorPage::default() };
    if form.intent == "preview" {
        page.values = form;
        page.preview = true;
        page.article = Some(article);
        return render(&state, &user, page, StatusCode::OK).await;
    }
    let status = match newsroom.save(&user, ArticleId(id), base, form.input(), Timestamp::now()).await {
        Ok(saved) => {
            return Ok(Redirect::to(&format!("/newsroom/articles/{}/edit?saved=1", saved.id.0)).into_response())
        }
        Err(AuthoringError::Invalid(errors)) => {
            page.errors = errors_of(errors);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AuthoringError::Stale { base, current, by }) => {
            page.conflict = Some(Conflict { base, current, by });
            StatusCode::CONFLICT
        }
        Err(other) => return Err(authoring_error(other, Some(id))),
    };
    // The typed text comes back in the form; nothing is lost.
    page.values = form;
    page.article = Some(article);
    render(&state, &user, page, status).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TransitionForm {
    action: String,
    publish_at: String,
}

/// `2026-12-03T09:12` (a browser's local date-time field) read as UTC.
fn with_zone(raw: &str) -> String {
    let raw = raw.trim();
    match raw.len() {
        16 if raw.as_bytes()[10] == b'T' => format!("{raw}:00Z"),
        19 if raw.as_bytes()[10] == b'T' => format!("{raw}Z"),
        _ => raw.to_owned(),
    }
}

pub async fn transition(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(form): PageForm<TransitionForm>,
) -> Result<Response, AppError> {
    let action = Transition::parse(&form.action).map_err(AppError::field)?;
    let announce = LiveAnnounce(&state.live);
    let newsroom = Newsroom { store: state.store.as_ref(), announce: &announce };
    let publish_at = with_zone(&form.publish_at);
    match newsroom.transition(&user, ArticleId(id), action, Some(&publish_at), Timestamp::now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/newsroom/articles/{id}/edit")).into_response()),
        Err(AuthoringError::Invalid(errors)) => {
            let article = newsroom.open(&user, ArticleId(id)).await.map_err(|e| authoring_error(e, Some(id)))?;
            let page = EditorPage {
                values: EditForm::of(&state, &article).await?,
                base_revision: article.revision,
                article: Some(article),
                errors: errors_of(errors),
                publish_at: form.publish_at,
                ..EditorPage::default()
            };
            render(&state, &user, page, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(authoring_error(other, Some(id))),
    }
}

/// The live preview's fragment: the story as the public page renders it.
pub async fn preview(
    SignedIn(user): SignedIn,
    State(state): State<AppState>,
    PageForm(form): PageForm<EditForm>,
) -> Result<Response, AppError> {
    refuse_non_writers(&user)?;
    let (bylines, featured) = editor_extras::preview_parts(&state, &form.extras).await?;
    let html = state.templates.render("story.html", context! { article => form.preview(), bylines, featured })?;
    Ok(Html(html).into_response())
}
