//! `/newsroom/home`: editors choose the home page's lead story (by its
//! slug), or go back to the newest article (a blank slug).

use crate::accounts::Editor;
use crate::error::AppError;
use crate::extract::PageForm;
use crate::moderation::any_article;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tribune_app::home::{chosen_lead, set_lead, LeadError};
use tribune_domain::Timestamp;
use tribune_store::{Actor, User};

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct LeadForm {
    #[serde(default)]
    slug: String,
}

fn render(
    state: &AppState,
    editor: &User,
    form: &LeadForm,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let html = state.templates.render(
        "newsroom_home.html",
        context! { site_name => &state.config.site_name, viewer => editor, form, error },
    )?;
    Ok((status, [(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

pub async fn form(State(state): State<AppState>, Editor(editor): Editor) -> Result<Response, AppError> {
    let form = LeadForm { slug: chosen_lead(state.store.as_ref()).await?.unwrap_or_default() };
    render(&state, &editor, &form, None, StatusCode::OK)
}

pub async fn save(
    State(state): State<AppState>,
    Editor(editor): Editor,
    PageForm(form): PageForm<LeadForm>,
) -> Result<Response, AppError> {
    let article = match form.slug.trim() {
        "" => None,
        slug => match any_article(state.store.as_ref(), slug).await {
            Ok(article) => Some(article),
            Err(AppError::NotFound(_)) => {
                let error = Some(format!("There is no article at \"{}\".", slug));
                return render(&state, &editor, &form, error, StatusCode::UNPROCESSABLE_ENTITY);
            }
            Err(other) => return Err(other),
        },
    };
    let actor = Actor { id: Some(editor.id), name: editor.display_name.clone() };
    let announce = state.moderation.announce.as_ref();
    match set_lead(state.store.as_ref(), announce, article.as_ref(), &actor, Timestamp::now()).await {
        Ok(()) => Ok(Redirect::to("/").into_response()),
        Err(LeadError::Invalid(error)) => {
            render(&state, &editor, &form, Some(error.message), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(LeadError::Store(error)) => Err(error.into()),
    }
}
