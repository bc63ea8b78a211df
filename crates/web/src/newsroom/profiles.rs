//! The staff screens for author profiles: editors and admins list, create
//! and edit them (`/newsroom/authors`); the account tied to a profile may
//! edit its own bio there too.

use crate::accounts::{Editor, SignedIn};
use crate::error::AppError;
use crate::extract::PageForm;
use crate::newsroom::authors::{author_url, profile, AuthorView};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tribune_app::profiles::{save_own_bio, save_profile, ProfileError};
use tribune_domain::account::Role;
use tribune_domain::author::AuthorProfileInput;
use tribune_domain::{FieldError, UserId, ValidationErrors};
use tribune_store::{AuthorProfile, DbError, User};

/// The profile form as typed; `user_email` names the account that may edit the bio.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    photo_url: String,
    #[serde(default)]
    user_email: String,
}

impl ProfileForm {
    fn of(profile: &AuthorProfile, email: Option<String>) -> Self {
        Self {
            name: profile.name.clone(),
            slug: profile.slug.clone(),
            bio: profile.bio.clone(),
            photo_url: profile.photo_url.clone(),
            user_email: email.unwrap_or_default(),
        }
    }

    fn input(&self) -> AuthorProfileInput {
        AuthorProfileInput {
            name: self.name.clone(),
            slug: self.slug.clone(),
            bio: self.bio.clone(),
            photo_url: self.photo_url.clone(),
        }
    }
}

type Errors = BTreeMap<&'static str, String>;

fn errors_of(errors: ValidationErrors) -> Errors {
    let mut map = Errors::new();
    for error in errors.0 {
        map.entry(error.field).or_insert(error.message);
    }
    map
}

/// The account a form names by e-mail address; blank is none.
async fn account(state: &AppState, email: &str) -> Result<Result<Option<UserId>, FieldError>, AppError> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(Ok(None));
    }
    match state.store.user_by_email(&email.to_lowercase()).await {
        Ok(user) => Ok(Ok(Some(user.id))),
        Err(DbError::NotFound) => {
            Ok(Err(FieldError::new("user_email", "unknown_account", "No account has this e-mail address.")))
        }
        Err(other) => Err(other.into()),
    }
}

fn is_staff(user: &User) -> bool {
    !user.suspended && user.role.allows(Role::Editor)
}

fn page(state: &AppState, template: &str, context: minijinja::Value, status: StatusCode) -> Result<Response, AppError> {
    let html = state.templates.render(template, context)?;
    Ok((status, [(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

fn list_page(
    state: &AppState,
    editor: &User,
    authors: &[AuthorProfile],
    form: &ProfileForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let authors: Vec<AuthorView> = authors.iter().map(AuthorView::from).collect();
    let context = context! { site_name => &state.config.site_name, viewer => editor, authors, form, errors };
    page(state, "newsroom_authors.html", context, status)
}

pub async fn list(State(state): State<AppState>, Editor(editor): Editor) -> Result<Response, AppError> {
    let authors = state.store.authors().await?;
    list_page(&state, &editor, &authors, &ProfileForm::default(), Errors::new(), StatusCode::OK)
}

/// Saves the profile `form` describes (a new one when `existing` is `None`).
async fn save(
    state: &AppState,
    existing: Option<&AuthorProfile>,
    form: &ProfileForm,
) -> Result<Result<AuthorProfile, Errors>, AppError> {
    let user = match account(state, &form.user_email).await? {
        Ok(user) => user,
        Err(error) => {
            // Report the account with whatever else is wrong.
            let mut errors = form.input().parse().err().unwrap_or_default();
            errors.push(error);
            return Ok(Err(errors_of(errors)));
        }
    };
    let announce = state.moderation.announce.as_ref();
    match save_profile(state.store.as_ref(), announce, existing, &form.input(), user).await {
        Ok(saved) => Ok(Ok(saved)),
        Err(ProfileError::Invalid(errors)) => Ok(Err(errors_of(errors))),
        Err(ProfileError::Store(error)) => Err(error.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Editor(editor): Editor,
    PageForm(form): PageForm<ProfileForm>,
) -> Result<Response, AppError> {
    match save(&state, None, &form).await? {
        Ok(saved) => Ok(Redirect::to(&format!("/newsroom/authors/{}?saved=1", saved.slug)).into_response()),
        Err(errors) => {
            let authors = state.store.authors().await?;
            list_page(&state, &editor, &authors, &form, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Whom the edit screen is for: staff edit everything, the profile's own
/// account its bio; anyone else is refused.
fn may_edit(user: &User, author: &AuthorProfile) -> Result<bool, AppError> {
    if is_staff(user) {
        Ok(true)
    } else if author.user_id == Some(user.id) && !user.suspended {
        Ok(false)
    } else if user.suspended {
        Err(AppError::suspended())
    } else {
        Err(AppError::Forbidden { code: "forbidden", message: "Your role does not allow this." })
    }
}

#[allow(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    viewer: &User,
    author: &AuthorProfile,
    full: bool,
    form: &ProfileForm,
    errors: Errors,
    saved: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let context = context! {
        site_name => &state.config.site_name,
        viewer,
        author => AuthorView::from(author),
        author_url => author_url(&author.slug),
        full,
        form,
        errors,
        saved,
    };
    page(state, "newsroom_author.html", context, status)
}

#[derive(Debug, Default, Deserialize)]
pub struct EditParams {
    saved: Option<String>,
}

pub async fn edit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(user): SignedIn,
    crate::extract::ApiQuery(params): crate::extract::ApiQuery<EditParams>,
) -> Result<Response, AppError> {
    let author = profile(&state, &slug).await?;
    let full = may_edit(&user, &author)?;
    let email = match author.user_id {
        Some(id) if full => Some(state.store.user(id).await?.email),
        _ => None,
    };
    let form = ProfileForm::of(&author, email);
    edit_page(&state, &user, &author, full, &form, Errors::new(), params.saved.is_some(), StatusCode::OK).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(user): SignedIn,
    PageForm(form): PageForm<ProfileForm>,
) -> Result<Response, AppError> {
    let author = profile(&state, &slug).await?;
    let full = may_edit(&user, &author)?;
    let saved = if full {
        save(&state, Some(&author), &form).await?
    } else {
        let announce = state.moderation.announce.as_ref();
        match save_own_bio(state.store.as_ref(), announce, &author, &form.bio).await {
            Ok(saved) => Ok(saved),
            Err(ProfileError::Invalid(errors)) => Err(errors_of(errors)),
            Err(ProfileError::Store(error)) => return Err(error.into()),
        }
    };
    match saved {
        Ok(saved) => Ok(Redirect::to(&format!("/newsroom/authors/{}?saved=1", saved.slug)).into_response()),
        Err(errors) => {
            edit_page(&state, &user, &author, full, &form, errors, false, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
