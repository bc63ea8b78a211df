//! The admin's list of accounts: search, change a role, suspend or reinstate.
//! An admin cannot demote or suspend themselves, so a site always keeps the
//! admin who is looking at it.

use crate::accounts::Admin;
use crate::error::AppError;
use crate::extract::{ApiQuery, PageForm};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tribune_domain::account::Role;
use tribune_domain::UserId;
use tribune_store::{User, UserQuery};

const PER_PAGE: u32 = 50;
/// Longest search accepted; longer ones are cut, not refused.
const MAX_SEARCH_CHARS: usize = 100;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    before: Option<i64>,
}

/// An account as the list shows it (its `role` serializes as the role's name).
#[derive(Serialize)]
struct UserRow<'a> {
    #[serde(flatten)]
    user: &'a User,
    joined: String,
}

pub async fn list(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, AppError> {
    let search: String = query.q.trim().chars().take(MAX_SEARCH_CHARS).collect();
    let users = state
        .store
        .list_users(&UserQuery {
            search: (!search.is_empty()).then(|| search.clone()),
            before: query.before.map(UserId),
            limit: PER_PAGE + 1,
        })
        .await?;
    let more = users.len() > PER_PAGE as usize;
    let shown = &users[..users.len().min(PER_PAGE as usize)];
    let next_before = shown.last().filter(|_| more).map(|u| u.id.0);
    let rows: Vec<UserRow> = shown.iter().map(|user| UserRow { user, joined: user.created_at.human() }).collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    let html = state.templates.render(
        "admin_users.html",
        context! {
            site_name => &state.config.site_name,
            viewer => &admin,
            users => rows,
            roles,
            search,
            next_before,
        },
    )?;
    Ok(Html(html).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    role: String,
    /// The search the admin was looking at, kept for the way back.
    q: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    PageForm(form): PageForm<RoleForm>,
) -> Result<Response, AppError> {
    let target = other_account(&state, &admin, &id).await?;
    let role = Role::parse(&form.role).map_err(AppError::field)?;
    state.store.set_role(target.id, role).await?;
    tracing::info!(admin = admin.id.0, user = target.id.0, role = role.as_str(), "role changed");
    Ok(back_to(target.id, &form.q))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SuspensionForm {
    suspended: String,
    q: String,
}

pub async fn change_suspension(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    PageForm(form): PageForm<SuspensionForm>,
) -> Result<Response, AppError> {
    let target = other_account(&state, &admin, &id).await?;
    let suspended = match form.suspended.as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(AppError::BadRequest {
                code: "invalid_suspension",
                message: "Say whether the account is suspended: true or false.".to_owned(),
            })
        }
    };
    state.store.set_suspended(target.id, suspended).await?;
    tracing::info!(admin = admin.id.0, user = target.id.0, suspended, "suspension changed");
    Ok(back_to(target.id, &form.q))
}

/// The account named in the path, unless it is the admin's own.
async fn other_account(state: &AppState, admin: &User, raw_id: &str) -> Result<User, AppError> {
    let id = raw_id.parse::<i64>().map_err(|_| AppError::NotFound("account"))?;
    if id == admin.id.0 {
        return Err(AppError::Forbidden {
            code: "own_account",
            message: "You cannot change your own role or suspend yourself; ask another admin.",
        });
    }
    state.store.user(UserId(id)).await.map_err(|e| match e {
        tribune_store::DbError::NotFound => AppError::NotFound("account"),
        other => other.into(),
    })
}

/// Back to the list the admin was looking at, at the changed account.
fn back_to(user: UserId, search: &str) -> Response {
    let query = if search.trim().is_empty() {
        String::new()
    } else {
        format!("?q={}", percent_encoding::utf8_percent_encode(search.trim(), percent_encoding::NON_ALPHANUMERIC))
    };
    Redirect::to(&format!("/admin/users{query}#user-{}", user.0)).into_response()
}
