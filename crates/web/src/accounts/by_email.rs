//! What goes through the reader's inbox: sign-in links ("magic links"),
//! password resets, and confirming an address. Requests never reveal whether
//! an account uses an address; every link works once, within a day.

use super::links::issue_token;
use super::{password, session, token_digest};
use crate::error::AppError;
use crate::extract::PageForm;
use crate::limits::{AccountDoor, ClientIp, Door};
use crate::mail::{Mail, MailError};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use tribune_domain::account::Password;
use tribune_domain::{Email, Timestamp};
use tribune_store::{DbError, User};

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

#[derive(Deserialize)]
pub struct TokenForm {
    token: String,
    #[serde(default)]
    new_password: String,
}

/// The two ways to ask for a link by e-mail.
#[derive(Clone, Copy)]
enum Purpose {
    SignIn,
    Reset,
}

impl Purpose {
    fn page(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::SignIn => ("Sign in by e-mail", "/signin/email", "We will e-mail you a link that signs you in."),
            Self::Reset => {
                ("Reset your password", "/password/reset", "We will e-mail you a link to choose a new password.")
            }
        }
    }
}

fn email_page(state: &AppState, purpose: Purpose, sent: bool) -> Result<Response, AppError> {
    email_page_with(state, purpose, sent, StatusCode::OK, None, "")
}

fn email_page_with(
    state: &AppState,
    purpose: Purpose,
    sent: bool,
    status: StatusCode,
    error: Option<&str>,
    typed: &str,
) -> Result<Response, AppError> {
    let (title, action, explanation) = purpose.page();
    let html = state.templates.render(
        "email_form.html",
        context! { site_name => &state.config.site_name, title, action, explanation, sent, error, typed },
    )?;
    Ok((status, Html(html)).into_response())
}

pub async fn signin_form(State(state): State<AppState>) -> Result<Response, AppError> {
    email_page(&state, Purpose::SignIn, false)
}

pub async fn reset_form(State(state): State<AppState>) -> Result<Response, AppError> {
    email_page(&state, Purpose::Reset, false)
}

pub async fn send_signin(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    PageForm(form): PageForm<EmailForm>,
) -> Result<Response, AppError> {
    send(&state, ip, &form.email, Purpose::SignIn).await
}

pub async fn send_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    PageForm(form): PageForm<EmailForm>,
) -> Result<Response, AppError> {
    send(&state, ip, &form.email, Purpose::Reset).await
}

async fn send(state: &AppState, ip: std::net::IpAddr, email: &str, purpose: Purpose) -> Result<Response, AppError> {
    state.limits.check(Door::SignIn, ip)?;
    let email = match Email::parse(email) {
        Ok(email) => {
            state.limits.check_account(AccountDoor::Mail, email.as_str())?;
            email
        }
        Err(error) => {
            return email_page_with(
                state,
                purpose,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&error.message),
                email,
            )
        }
    };
    // The rest happens after the answer, so that the answer, and the time it
    // takes, are the same whether or not an account uses the address. The
    // rate limits above bound how many of these run.
    let (state_for_mail, email) = (state.clone(), email.as_str().to_lowercase());
    tokio::spawn(async move {
        if let Err(error) = mail_link(&state_for_mail, &email, purpose).await {
            tracing::error!(%error, "could not prepare an e-mailed link");
        }
    });
    email_page(state, purpose, true)
}

#[derive(Debug, thiserror::Error)]
enum LinkMailError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

/// Queues the link for the account `email` names; nothing when none does.
async fn mail_link(state: &AppState, email: &str, purpose: Purpose) -> Result<(), LinkMailError> {
    let user = match state.store.user_by_email(email).await {
        Ok(user) => user,
        Err(DbError::NotFound) => return Ok(()),
        Err(other) => return Err(other.into()),
    };
    let token = issue_token(state.store.as_ref(), user.id).await?;
    let base = state.config.public_url.trim_end_matches('/');
    let (subject, path, action) = match purpose {
        Purpose::SignIn => ("Your sign-in link", "signin/link", "sign in"),
        Purpose::Reset => ("Reset your password", "password/reset", "choose a new password"),
    };
    let body = format!(
        "Hello {},\n\nOpen this link to {action} on {}:\n\n{base}/{path}/{token}\n\n\
         It works once, within 24 hours. If you did not ask for it, ignore this message.\n",
        user.display_name, state.config.site_name
    );
    state.mailer.enqueue(Mail::new(&user.email, subject, body)?)?;
    Ok(())
}

pub async fn reset_page(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    let html = state.templates.render(
        "password_reset.html",
        context! { site_name => &state.config.site_name, token, errors => context! {} },
    )?;
    Ok(Html(html).into_response())
}

pub async fn reset_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageForm(form): PageForm<TokenForm>,
) -> Result<Response, AppError> {
    // Check the new password before spending the link on it.
    let new = match Password::parse(&form.new_password) {
        Ok(new) => new,
        Err(error) => {
            let html = state.templates.render(
                "password_reset.html",
                context! { site_name => &state.config.site_name, token => &form.token, errors => context! { new_password => error.message } },
            )?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        }
    };
    let user = take(&state, &form.token).await?;
    let hash = password::hash_blocking(new).await.map_err(AppError::Internal)?;
    state.store.set_password_hash(user, &hash).await?;
    // Following the link proved the address, too.
    state.store.set_email_verified(user).await?;
    state.store.delete_user_sessions(user).await?;
    let cookie = session::start(&state, &headers, user).await?;
    let mut response = Redirect::to("/account").into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    Ok(response)
}

/// Sends the new account a link that confirms its address.
pub async fn send_confirmation(state: &AppState, user: &User) -> Result<(), AppError> {
    let token = issue_token(state.store.as_ref(), user.id).await?;
    let base = state.config.public_url.trim_end_matches('/');
    let body = format!(
        "Hello {},\n\nPlease confirm your e-mail address for {}:\n\n{base}/verify/{token}\n\nIt works once, within 24 hours.\n",
        user.display_name, state.config.site_name
    );
    state.mailer.enqueue(Mail::new(&user.email, "Confirm your e-mail address", body)?)?;
    Ok(())
}

pub async fn verify_page(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    let html = state.templates.render(
        "signin_link.html",
        context! { site_name => &state.config.site_name, token, action => "/verify", title => "Confirm your e-mail address", button => "Confirm" },
    )?;
    Ok(Html(html).into_response())
}

pub async fn verify(State(state): State<AppState>, PageForm(form): PageForm<TokenForm>) -> Result<Response, AppError> {
    let user = take(&state, &form.token).await?;
    state.store.set_email_verified(user).await?;
    Ok(Redirect::to("/account").into_response())
}

async fn take(state: &AppState, token: &str) -> Result<tribune_domain::UserId, AppError> {
    state.store.take_sign_in_token(&token_digest(token.trim()), Timestamp::now()).await?.ok_or(AppError::BadRequest {
        code: "invalid_link",
        message: "This link has been used or has expired.".to_owned(),
    })
}
