//! The admin's webhook screens: the endpoints (add one, pause or resume it,
//! rotate its secret) and the delivery log with "Send again". A signing
//! secret is shown once, in the answer to the form that made it, and never
//! again. Every change is written with its audit entry.

use crate::error::AppError;
use crate::extract::{ApiQuery, PageForm};
use crate::moderation::actor::AdminActor;
use crate::routes::Routes;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use tribune_domain::moderation::WebhookEvent;
use tribune_domain::Timestamp;
use tribune_store::{Actor, DbError, Delivery, Endpoint, NewAuditEntry, NewEndpoint, User};

/// Deliveries per page of the log.
const PER_PAGE: u32 = 50;
/// Longest endpoint address accepted.
const MAX_URL_CHARS: usize = 2_000;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/webhooks", list)
        .post("/admin/webhooks", create)
        .post("/admin/webhooks/{id}/active", set_active)
        .post("/admin/webhooks/{id}/secret", rotate_secret)
        .post("/admin/webhooks/deliveries/{id}/again", send_again)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    /// Only this endpoint's deliveries.
    endpoint: Option<i64>,
    /// The last delivery of the previous page.
    before: Option<i64>,
}

/// What the add form holds, as typed, for showing it again with its errors.
#[derive(Debug, Default, Serialize)]
struct EndpointForm {
    url: String,
    events: Vec<String>,
}

/// Messages by form field.
type FieldErrors = BTreeMap<&'static str, String>;

/// An endpoint as the add form asked for it, once parsed.
#[derive(Debug, PartialEq)]
struct WantedEndpoint {
    /// An http or https URL with a host, in its normal form.
    url: String,
    events: Vec<WebhookEvent>,
}

/// A signing secret, shown this once.
#[derive(Serialize)]
struct Revealed {
    endpoint_id: i64,
    url: String,
    secret_id: String,
    secret: String,
    rotated: bool,
}

/// What the page shows besides the endpoints and the log.
#[derive(Default)]
struct Extras {
    form: EndpointForm,
    errors: FieldErrors,
    revealed: Option<Revealed>,
}

pub async fn list(
    State(state): State<AppState>,
    admin: AdminActor,
    ApiQuery(query): ApiQuery<LogQuery>,
) -> Result<Response, AppError> {
    page(&state, admin.user.as_ref(), &query, StatusCode::OK, Extras::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    admin: AdminActor,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (form, parsed) = parse_endpoint_form(&fields);
    let WantedEndpoint { url, events } = match parsed {
        Ok(wanted) => wanted,
        Err(errors) => {
            let extras = Extras { form, errors, revealed: None };
            return page(&state, admin.user.as_ref(), &LogQuery::default(), StatusCode::UNPROCESSABLE_ENTITY, extras)
                .await;
        }
    };
    let (secret_id, secret) = new_secret();
    let now = Timestamp::now();
    let names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    let after = serde_json::json!({ "url": url, "events": names, "secret_id": secret_id }).to_string();
    let audit = audit_entry(&admin.actor, now, "webhook.create", String::new(), Some(after));
    let endpoint = NewEndpoint { url, events, secret_id, secret: secret.clone(), created_at: now };
    let created = state.store.create_endpoint(&endpoint, &audit).await?;
    tracing::info!(endpoint = created.id, actor = %admin.actor.name, "webhook endpoint added");
    let revealed =
        Revealed { endpoint_id: created.id, url: created.url, secret_id: created.secret_id, secret, rotated: false };
    secret_page(&state, admin.user.as_ref(), revealed).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActiveForm {
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    admin: AdminActor,
    Path(id): Path<String>,
    PageForm(form): PageForm<ActiveForm>,
) -> Result<Response, AppError> {
    let endpoint = endpoint_in_path(&state, &id).await?;
    let active = match form.active.as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(AppError::BadRequest {
                code: "invalid_active",
                message: "Say whether the endpoint receives deliveries: active is true or false.".to_owned(),
            })
        }
    };
    let action = if active { "webhook.resume" } else { "webhook.pause" };
    let states = |active: bool| Some(serde_json::json!({ "active": active }).to_string());
    let mut audit = audit_entry(&admin.actor, Timestamp::now(), action, endpoint.id.to_string(), states(active));
    audit.before = states(endpoint.active);
    state.store.set_endpoint_active(endpoint.id, active, &audit).await.map_err(not_found("webhook endpoint"))?;
    if active {
        // What waited while it was paused goes out now.
        state.deliveries.wake();
    }
    Ok(Redirect::to(&format!("/admin/webhooks#endpoint-{}", endpoint.id)).into_response())
}

pub async fn rotate_secret(
    State(state): State<AppState>,
    admin: AdminActor,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let endpoint = endpoint_in_path(&state, &id).await?;
    let (secret_id, secret) = new_secret();
    let mut audit = audit_entry(
        &admin.actor,
        Timestamp::now(),
        "webhook.rotate_secret",
        endpoint.id.to_string(),
        Some(serde_json::json!({ "secret_id": secret_id }).to_string()),
    );
    audit.before = Some(serde_json::json!({ "secret_id": endpoint.secret_id }).to_string());
    state
        .store
        .rotate_endpoint_secret(endpoint.id, &secret_id, &secret, &audit)
        .await
        .map_err(not_found("webhook endpoint"))?;
    tracing::info!(endpoint = endpoint.id, actor = %admin.actor.name, "webhook secret rotated");
    let revealed = Revealed { endpoint_id: endpoint.id, url: endpoint.url, secret_id, secret, rotated: true };
    secret_page(&state, admin.user.as_ref(), revealed).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AgainForm {
    /// The log the admin was looking at, for the way back.
    endpoint: Option<i64>,
}

pub async fn send_again(
    State(state): State<AppState>,
    admin: AdminActor,
    Path(id): Path<String>,
    PageForm(form): PageForm<AgainForm>,
) -> Result<Response, AppError> {
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound("delivery"))?;
    let now = Timestamp::now();
    let audit = audit_entry(&admin.actor, now, "webhook.redeliver", id.to_string(), None);
    let new_id = state.store.redeliver(id, now, &audit).await.map_err(not_found("delivery"))?;
    state.deliveries.wake();
    tracing::info!(delivery = id, again = new_id, actor = %admin.actor.name, "webhook delivery queued again");
    let filter = form.endpoint.map(|e| format!("?endpoint={e}")).unwrap_or_default();
    Ok(Redirect::to(&format!("/admin/webhooks{filter}#delivery-{new_id}")).into_response())
}

/// Reads the add form: an http(s) address and at least one known event.
fn parse_endpoint_form(fields: &[(String, String)]) -> (EndpointForm, Result<WantedEndpoint, FieldErrors>) {
    let mut form = EndpointForm::default();
    for (name, value) in fields {
        match name.as_str() {
            "url" => form.url = value.trim().to_owned(),
            "events" => form.events.push(value.clone()),
            _ => {}
        }
    }
    let mut errors = BTreeMap::new();
    let url = match parse_url(&form.url) {
        Ok(url) => Some(url),
        Err(message) => {
            errors.insert("url", message);
            None
        }
    };
    let mut events = Vec::new();
    for raw in &form.events {
        match WebhookEvent::parse(raw) {
            Some(event) if !events.contains(&event) => events.push(event),
            Some(_) => {}
            None => {
                errors.insert("events", format!("Unknown event {:?}.", raw.chars().take(40).collect::<String>()));
            }
        }
    }
    if form.events.is_empty() {
        errors.insert("events", "Choose at least one event to send.".to_owned());
    }
    let parsed = match url {
        Some(url) if errors.is_empty() => Ok(WantedEndpoint { url, events }),
        _ => Err(errors),
    };
    (form, parsed)
}

/// The address in its normal form, if it is an http or https URL with a host.
fn parse_url(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err("Enter the address deliveries are posted to.".to_owned());
    }
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(format!("The address may be at most {MAX_URL_CHARS} characters."));
    }
    match reqwest::Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()) => {
            Ok(url.to_string())
        }
        Ok(_) => Err("The address must start with http:// or https:// and name a host.".to_owned()),
        Err(_) => Err("This is not a web address; it looks like https://example.org/hooks/tribune.".to_owned()),
    }
}

/// A new key id and secret: random, so neither can be guessed from the other.
fn new_secret() -> (String, String) {
    let mut id = [0u8; 6];
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut id);
    rand::rng().fill_bytes(&mut secret);
    (format!("key_{}", hex::encode(id)), format!("whsec_{}", hex::encode(secret)))
}

fn audit_entry(actor: &Actor, at: Timestamp, action: &str, target: String, after: Option<String>) -> NewAuditEntry {
    NewAuditEntry {
        at,
        actor: actor.clone(),
        action: action.to_owned(),
        target_kind: "webhook",
        target_id: target,
        article_id: None,
        reason: String::new(),
        before: None,
        after,
    }
}

async fn endpoint_in_path(state: &AppState, raw_id: &str) -> Result<Endpoint, AppError> {
    let id = raw_id.parse::<i64>().map_err(|_| AppError::NotFound("webhook endpoint"))?;
    state.store.endpoint(id).await.map_err(not_found("webhook endpoint"))
}

fn not_found(what: &'static str) -> impl Fn(DbError) -> AppError {
    move |error| match error {
        DbError::NotFound => AppError::NotFound(what),
        other => other.into(),
    }
}

/// The page with a secret on it: never kept by a cache or the browser's history.
async fn secret_page(state: &AppState, viewer: Option<&User>, revealed: Revealed) -> Result<Response, AppError> {
    let extras = Extras { revealed: Some(revealed), ..Extras::default() };
    let mut response = page(state, viewer, &LogQuery::default(), StatusCode::OK, extras).await?;
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// An endpoint as the list shows it.
#[derive(Serialize)]
struct EndpointRow<'a> {
    #[serde(flatten)]
    endpoint: &'a Endpoint,
    created: String,
}

/// A delivery as the log shows it.
#[derive(Serialize)]
struct DeliveryRow<'a> {
    #[serde(flatten)]
    delivery: &'a Delivery,
    endpoint_url: &'a str,
    created: String,
    last: String,
    /// `delivered`, `waiting`, `paused` or `given_up`.
    state: &'static str,
    when: String,
}

fn delivery_row<'a>(delivery: &'a Delivery, endpoints: &HashMap<i64, &'a Endpoint>) -> DeliveryRow<'a> {
    let endpoint = endpoints.get(&delivery.endpoint_id);
    let last = match (delivery.last_status, delivery.last_error.as_str()) {
        (Some(status), "") => format!("HTTP {status}"),
        (Some(status), error) if !error.starts_with("HTTP") => format!("HTTP {status}: {error}"),
        (_, "") => String::new(),
        (_, error) => error.to_owned(),
    };
    let (state, when) = match delivery.delivered_at {
        Some(at) => ("delivered", at.human()),
        None if delivery.next_attempt_at.0 == i64::MAX => ("given_up", String::new()),
        None if endpoint.is_some_and(|e| !e.active) => ("paused", String::new()),
        None => ("waiting", delivery.next_attempt_at.human()),
    };
    DeliveryRow {
        delivery,
        endpoint_url: endpoint.map_or("", |e| e.url.as_str()),
        created: delivery.created_at.human(),
        last,
        state,
        when,
    }
}

async fn page(
    state: &AppState,
    viewer: Option<&User>,
    query: &LogQuery,
    status: StatusCode,
    extras: Extras,
) -> Result<Response, AppError> {
    let endpoints = state.store.endpoints().await?;
    let by_id: HashMap<i64, &Endpoint> = endpoints.iter().map(|e| (e.id, e)).collect();
    let shown_endpoint = match query.endpoint {
        Some(id) => Some(*by_id.get(&id).ok_or(AppError::NotFound("webhook endpoint"))?),
        None => None,
    };
    let deliveries = state.store.deliveries(query.endpoint, query.before, PER_PAGE + 1).await?;
    let more = deliveries.len() > PER_PAGE as usize;
    let deliveries = &deliveries[..deliveries.len().min(PER_PAGE as usize)];
    let next_before = deliveries.last().filter(|_| more).map(|d| d.id);
    let rows: Vec<EndpointRow> =
        endpoints.iter().map(|endpoint| EndpointRow { endpoint, created: endpoint.created_at.human() }).collect();
    let log: Vec<DeliveryRow> = deliveries.iter().map(|d| delivery_row(d, &by_id)).collect();
    let all_events: Vec<&str> = WebhookEvent::ALL.iter().map(|e| e.as_str()).collect();
    let html = state.templates.render(
        "admin_webhooks.html",
        context! {
            site_name => &state.config.site_name,
            viewer,
            endpoints => rows,
            deliveries => log,
            shown_endpoint,
            next_before,
            all_events,
            form => extras.form,
            errors => extras.errors,
            revealed => extras.revealed,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn an_endpoint_needs_a_web_address_and_a_known_event() {
        let (_, parsed) =
            parse_endpoint_form(&fields(&[("url", " https://Example.org/hook "), ("events", "comment.held")]));
        let wanted =
            WantedEndpoint { url: "https://example.org/hook".to_owned(), events: vec![WebhookEvent::CommentHeld] };
        assert_eq!(parsed.unwrap(), wanted);
        for url in ["", "ftp://example.org/", "javascript:alert(1)", "https://", "not a url", "mailto:a@b.org"] {
            let (form, parsed) = parse_endpoint_form(&fields(&[("url", url), ("events", "comment.held")]));
            assert!(parsed.unwrap_err().contains_key("url"), "{url:?} is refused");
            assert_eq!(form.url, url.trim(), "and shown again as typed");
        }
        let (_, parsed) = parse_endpoint_form(&fields(&[("url", "http://127.0.0.1:9/")]));
        assert!(parsed.unwrap_err()["events"].contains("at least one"));
        let (_, parsed) = parse_endpoint_form(&fields(&[("url", "http://127.0.0.1:9/"), ("events", "comment.eaten")]));
        assert!(parsed.unwrap_err()["events"].contains("comment.eaten"));
    }

    #[test]
    fn each_secret_and_key_id_is_new() {
        let (id, secret) = new_secret();
        let (other_id, other_secret) = new_secret();
        assert!(id.starts_with("key_") && secret.starts_with("whsec_") && secret.len() == 6 + 64);
        assert_ne!((id, secret), (other_id, other_secret));
    }
}
