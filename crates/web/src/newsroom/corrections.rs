//! Corrections: editors append a dated note to a published article, through
//! a form (`/newsroom/corrections/{slug}`) or the API; readers see
//! the notes on the article and in the site-wide list at `/corrections`.

use crate::accounts::Editor;
use crate::auth::Publisher;
use crate::cache::{self, CacheKey};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery, PageForm};
use crate::feeds::public_base;
use crate::moderation::any_article;
use crate::posting::published_article;
use crate::state::AppState;
use crate::views::article_url;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, LOCATION};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tribune_app::corrections::{add_correction, CorrectionError};
use tribune_domain::correction::MAX_CORRECTION_CHARS;
use tribune_domain::markdown::render_comment;
use tribune_domain::{Timestamp, UserId};
use tribune_store::{Article, Correction, CorrectionPage, ListedCorrection, User};

/// Corrections per page of the site-wide list.
pub const CORRECTIONS_PER_PAGE: u32 = 30;

/// A correction as pages and the API show it.
#[derive(Debug, Serialize)]
pub struct CorrectionView {
    pub id: i64,
    pub note: String,
    pub note_html: String,
    pub created_at: String,
    pub created_human: String,
}

impl From<&Correction> for CorrectionView {
    fn from(c: &Correction) -> Self {
        Self {
            id: c.id,
            note: c.note.clone(),
            note_html: render_comment(&c.note),
            created_at: c.created_at.rfc3339(),
            created_human: c.created_at.human(),
        }
    }
}

/// An article's corrections, oldest first, for its page.
pub async fn corrections_view(state: &AppState, article: &Article) -> Result<Vec<CorrectionView>, AppError> {
    Ok(state.store.corrections_of(article.id).await?.iter().map(CorrectionView::from).collect())
}

fn refusal(error: CorrectionError) -> AppError {
    match error {
        CorrectionError::Invalid(errors) => AppError::Validation(errors),
        CorrectionError::Store(error) => error.into(),
    }
}

async fn append(state: &AppState, article: &Article, note: &str, by: Option<UserId>) -> Result<Correction, AppError> {
    let announce = state.moderation.announce.as_ref();
    add_correction(state.store.as_ref(), announce, article, note, by, Timestamp::now()).await.map_err(refusal)
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct CorrectionForm {
    #[serde(default)]
    note: String,
}

fn render_form(
    state: &AppState,
    editor: &User,
    article: &Article,
    corrections: &[CorrectionView],
    form: &CorrectionForm,
    errors: BTreeMap<&'static str, String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let html = state.templates.render(
        "newsroom_corrections.html",
        context! {
            site_name => &state.config.site_name,
            viewer => editor,
            headline => &article.headline,
            slug => &article.slug,
            article_url => article_url(&article.slug),
            published => article.is_public(Timestamp::now()),
            corrections,
            form,
            errors,
            max_chars => MAX_CORRECTION_CHARS,
        },
    )?;
    Ok((status, [(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

pub async fn form_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Editor(editor): Editor,
) -> Result<Response, AppError> {
    let article = any_article(state.store.as_ref(), &slug).await?;
    let corrections = corrections_view(&state, &article).await?;
    render_form(&state, &editor, &article, &corrections, &CorrectionForm::default(), BTreeMap::new(), StatusCode::OK)
}

/// On success, back to the article at its newest correction; on a mistake,
/// the form again with the message next to the note and the text kept.
pub async fn submit_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Editor(editor): Editor,
    PageForm(form): PageForm<CorrectionForm>,
) -> Result<Response, AppError> {
    let article = any_article(state.store.as_ref(), &slug).await?;
    match append(&state, &article, &form.note, Some(editor.id)).await {
        Ok(correction) => {
            Ok(Redirect::to(&format!("{}#correction-{}", article_url(&article.slug), correction.id)).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let errors = errors.0.into_iter().map(|e| (e.field, e.message)).collect();
            let corrections = corrections_view(&state, &article).await?;
            render_form(&state, &editor, &article, &corrections, &form, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other),
    }
}

/// The body of `POST /api/v1/articles/{slug}/corrections`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCorrection {
    note: String,
}

#[derive(Debug, Serialize)]
pub struct CorrectionList {
    corrections: Vec<CorrectionView>,
}

pub async fn api_list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<CorrectionList>, AppError> {
    let article = published_article(&state, &slug).await?;
    Ok(Json(CorrectionList { corrections: corrections_view(&state, &article).await? }))
}

pub async fn api_create(
    publisher: Publisher,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<CreateCorrection>,
) -> Result<Response, AppError> {
    let article = any_article(state.store.as_ref(), &slug).await?;
    let correction = append(&state, &article, &request.note, publisher.user_id()).await?;
    let location = format!("{}#correction-{}", article_url(&article.slug), correction.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(CorrectionView::from(&correction))).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    before: Option<String>,
}

#[derive(Debug, Serialize)]
struct ListedView {
    correction: CorrectionView,
    article_url: String,
    article_headline: String,
}

impl From<&ListedCorrection> for ListedView {
    fn from(item: &ListedCorrection) -> Self {
        Self {
            correction: CorrectionView::from(&item.correction),
            article_url: article_url(&item.article_slug),
            article_headline: item.article_headline.clone(),
        }
    }
}

/// `/corrections?before=ID`: every correction, newest first, in pages.
pub async fn list_page(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let before = match params.before.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or(AppError::NotFound("page"))?),
    };
    // A list shows every article: it is dropped with any article's change.
    let key = CacheKey::new("", "corrections", before.map(|id| id.to_string()).unwrap_or_default());
    state
        .cache
        .get_or_render(key, cache::HTML, &headers, || async {
            let page = CorrectionPage { now: Timestamp::now(), before, limit: CORRECTIONS_PER_PAGE + 1 };
            let mut items = state.store.list_corrections(&page).await?;
            let more = items.len() > CORRECTIONS_PER_PAGE as usize;
            items.truncate(CORRECTIONS_PER_PAGE as usize);
            let next_page_url =
                more.then(|| items.last().map(|last| format!("/corrections?before={}", last.correction.id))).flatten();
            let listed: Vec<ListedView> = items.iter().map(ListedView::from).collect();
            let html = state.templates.render(
                "corrections.html",
                context! {
                    site_name => &state.config.site_name,
                    canonical_url => format!("{}/corrections", public_base(&state)),
                    listed,
                    next_page_url,
                    is_first_page => before.is_none(),
                },
            )?;
            Ok::<_, AppError>(html.into())
        })
        .await
}
