//! The admin's API key screen: create a key for the Perspective-compatible
//! endpoint (shown once, in the answer to the form that made it), list the
//! keys and revoke one. Forms go through the pages' same-origin check;
//! every change is audited by the use case.

use crate::error::AppError;
use crate::extract::PageForm;
use crate::moderation::actor::AdminActor;
use crate::routes::Routes;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tribune_app::perspective::{KeyError, MAX_KEY_NAME_CHARS};
use tribune_store::{ApiKey, DbError, User};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/api-keys", list)
        .post("/admin/api-keys", create)
        .post("/admin/api-keys/{id}/revoke", revoke)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CreateForm {
    name: String,
}

/// A new key, shown this once.
#[derive(Serialize)]
struct Revealed {
    id: i64,
    name: String,
    key: String,
}

#[derive(Default)]
struct Extras {
    name: String,
    error: Option<String>,
    revealed: Option<Revealed>,
}

pub async fn list(State(state): State<AppState>, admin: AdminActor) -> Result<Response, AppError> {
    page(&state, admin.user.as_ref(), StatusCode::OK, Extras::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    admin: AdminActor,
    PageForm(form): PageForm<CreateForm>,
) -> Result<Response, AppError> {
    match state.perspective.create_key(&form.name, &admin.actor).await {
        Ok(issued) => {
            let revealed =
                Revealed { id: issued.key.id, name: issued.key.name.clone(), key: issued.expose().to_owned() };
            let extras = Extras { revealed: Some(revealed), ..Extras::default() };
            let mut response = page(&state, admin.user.as_ref(), StatusCode::OK, extras).await?;
            // The key is on this page: never kept by a cache or the browser's history.
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Err(KeyError::BadName) => {
            let error =
                format!("Give the key a name of 1 to {MAX_KEY_NAME_CHARS} characters, such as the client it is for.");
            let extras = Extras { name: form.name, error: Some(error), revealed: None };
            page(&state, admin.user.as_ref(), StatusCode::UNPROCESSABLE_ENTITY, extras).await
        }
        Err(KeyError::Store(error)) => Err(error.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    admin: AdminActor,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound("API key"))?;
    state.perspective.revoke_key(id, &admin.actor).await.map_err(|error| match error {
        DbError::NotFound => AppError::NotFound("API key"),
        other => other.into(),
    })?;
    Ok(Redirect::to(&format!("/admin/api-keys#key-{id}")).into_response())
}

/// A key as the list shows it.
#[derive(Serialize)]
struct KeyRow<'a> {
    #[serde(flatten)]
    key: &'a ApiKey,
    created: String,
    revoked: Option<String>,
}

async fn page(
    state: &AppState,
    viewer: Option<&User>,
    status: StatusCode,
    extras: Extras,
) -> Result<Response, AppError> {
    let keys = state.store.api_keys().await?;
    let rows: Vec<KeyRow> = keys
        .iter()
        .map(|key| KeyRow { key, created: key.created_at.human(), revoked: key.revoked_at.map(|at| at.human()) })
        .collect();
    let html = state.templates.render(
        "admin_api_keys.html",
        context! {
            site_name => &state.config.site_name,
            viewer,
            keys => rows,
            name => extras.name,
            error => extras.error,
            revealed => extras.revealed,
            max_name_chars => MAX_KEY_NAME_CHARS,
        },
    )?;
    Ok((status, Html(html)).into_response())
}
