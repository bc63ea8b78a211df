//! The newsroom's image page: an upload form that works without JavaScript
//! and the latest images, each with the Markdown to paste into a body.
//! Authors, editors and admins.

use super::form::{self, UploadForm};
use super::view::ImageView;
use crate::accounts::Writer;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use std::collections::BTreeMap;
use tribune_app::media::Upload;
use tribune_store::User;

const RECENT: u32 = 30;

pub async fn show(State(state): State<AppState>, Writer(editor): Writer) -> Result<Response, AppError> {
    render(&state, &editor, StatusCode::OK, None, &UploadForm::default(), BTreeMap::new()).await
}

pub async fn upload(
    State(state): State<AppState>,
    Writer(editor): Writer,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let form = match form::read(multipart, state.media.limits.max_bytes).await {
        Ok(form) => form,
        Err(error) => return refused(&state, &editor, &UploadForm::default(), error).await,
    };
    let Some(bytes) = form.file.clone() else {
        return refused(&state, &editor, &form, form::missing_file()).await;
    };
    let upload = Upload {
        bytes,
        alt: form.alt.clone(),
        caption: form.caption.clone(),
        credit: form.credit.clone(),
        uploaded_by: Some(editor.id),
    };
    match state.media.upload(state.store.as_ref(), upload).await {
        Ok(image) => {
            let view = ImageView::from(&image);
            render(&state, &editor, StatusCode::CREATED, Some(view), &UploadForm::default(), BTreeMap::new()).await
        }
        Err(error) => refused(&state, &editor, &form, error.into()).await,
    }
}

/// The form again, with each message next to its field and the words kept;
/// errors that are not about a field (the database) go to the error page.
async fn refused(state: &AppState, editor: &User, form: &UploadForm, error: AppError) -> Result<Response, AppError> {
    let status = error.status();
    let errors: BTreeMap<&'static str, String> = match &error {
        AppError::Upload { .. } | AppError::Validation(_) => {
            error.problem().errors.into_iter().map(|e| (e.field, e.message)).collect()
        }
        _ => return Err(error),
    };
    render(state, editor, status, None, form, errors).await
}

async fn render(
    state: &AppState,
    editor: &User,
    status: StatusCode,
    uploaded: Option<ImageView>,
    form: &UploadForm,
    errors: BTreeMap<&'static str, String>,
) -> Result<Response, AppError> {
    let images = state.store.recent_images(None, RECENT).await?;
    let images: Vec<ImageView> = images.iter().map(ImageView::from).collect();
    let html = state.templates.render(
        "newsroom_images.html",
        context! {
            site_name => &state.config.site_name,
            viewer => editor,
            uploaded,
            images,
            alt => &form.alt,
            caption => &form.caption,
            credit => &form.credit,
            errors,
            max_megabytes => state.media.limits.max_bytes.div_ceil(1024 * 1024),
        },
    )?;
    Ok((status, Html(html)).into_response())
}
