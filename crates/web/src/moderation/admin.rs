//! The site's moderation settings (admins), an article's discussion
//! settings (moderators), and the audit log (admins), as pages.

use crate::error::AppError;
use crate::extract::{ApiQuery, PageForm};
use crate::moderation::actor::{AdminActor, ModeratorActor};
use crate::moderation::{any_article, settings_error};
use crate::state::AppState;
use crate::views::article_url;
use axum::extract::{Path, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use tribune_app::settings::{discussion_of, SettingsError};
use tribune_domain::{FieldError, UserId, ValidationErrors};
use tribune_moderation::settings::{DiscussionSettings, ModerationSettings, Policy, Premoderation, ScoreThresholds};
use tribune_store::AuditQuery;

/// The scorer's attributes a site can set thresholds for.
pub const SCORED_ATTRIBUTES: [&str; 7] =
    ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT", "SPAM"];

/// The settings page's fields as typed; `parse` turns them into settings.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsForm {
    pub premoderation: String,
    pub new_commenter_approvals: String,
    pub trusted_after: String,
    pub banned_words: String,
    pub suspect_words: String,
    pub max_links: String,
    pub blocked_domains: String,
    pub allowed_domains: String,
    pub repeat_window_minutes: String,
    pub cooldown_seconds: String,
    pub history_days: String,
    pub history_min_decided: String,
    pub history_max_rejected_percent: String,
    pub report_threshold: String,
    #[serde(deserialize_with = "tribune_app::posting::checkbox")]
    pub guests_may_report: bool,
    pub close_after_days: String,
    pub guidelines: String,
    #[serde(deserialize_with = "tribune_app::posting::checkbox")]
    pub public_moderation_note: bool,
    pub digest_minutes: String,
    pub think_before_posting: String,
    /// `hold_TOXICITY`, `reject_SPAM` …
    #[serde(flatten)]
    pub thresholds: HashMap<String, String>,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

fn number(errors: &mut ValidationErrors, field: &'static str, raw: &str) -> u32 {
    match raw.trim().parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            errors.push(FieldError::new(field, "invalid_number", "Please give a whole number, 0 or more."));
            0
        }
    }
}

/// A score from 0 to 1, or blank for none.
fn optional_threshold(errors: &mut ValidationErrors, field: &'static str, raw: &str) -> Option<f32> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Some(value),
        _ => {
            errors.push(FieldError::new(field, "out_of_range", "Enter a number from 0 to 1, or leave it blank."));
            None
        }
    }
}

fn optional_number(errors: &mut ValidationErrors, field: &'static str, raw: &str) -> Option<u32> {
    if raw.trim().is_empty() {
        None
    } else {
        Some(number(errors, field, raw))
    }
}

impl SettingsForm {
    pub fn from_settings(s: &ModerationSettings) -> Self {
        let mut thresholds = HashMap::new();
        for (attribute, limits) in &s.scores {
            if let Some(hold) = limits.hold {
                thresholds.insert(format!("hold_{attribute}"), hold.to_string());
            }
            if let Some(reject) = limits.reject {
                thresholds.insert(format!("reject_{attribute}"), reject.to_string());
            }
        }
        Self {
            premoderation: s.premoderation.as_str().to_owned(),
            new_commenter_approvals: s.new_commenter_approvals.to_string(),
            trusted_after: s.trusted_after.to_string(),
            banned_words: s.banned_words.join("\n"),
            suspect_words: s.suspect_words.join("\n"),
            max_links: s.max_links.map(|n| n.to_string()).unwrap_or_default(),
            blocked_domains: s.blocked_domains.join("\n"),
            allowed_domains: s.allowed_domains.join("\n"),
            repeat_window_minutes: s.repeat_window_minutes.to_string(),
            cooldown_seconds: s.cooldown_seconds.to_string(),
            history_days: s.history_days.to_string(),
            history_min_decided: s.history_min_decided.to_string(),
            history_max_rejected_percent: s.history_max_rejected_percent.to_string(),
            report_threshold: s.report_threshold.to_string(),
            guests_may_report: s.guests_may_report,
            close_after_days: s.close_after_days.map(|n| n.to_string()).unwrap_or_default(),
            guidelines: s.guidelines.clone(),
            public_moderation_note: s.public_moderation_note,
            digest_minutes: s.digest_minutes.to_string(),
            think_before_posting: s.think_before_posting.map(|t| t.to_string()).unwrap_or_default(),
            thresholds,
        }
    }

    pub fn parse(&self) -> Result<ModerationSettings, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let premoderation = errors.check(Premoderation::parse(&self.premoderation)).unwrap_or_default();
        let mut scores = BTreeMap::new();
        for attribute in SCORED_ATTRIBUTES {
            let mut limit = |kind: &str| -> Option<f32> {
                let raw = self.thresholds.get(&format!("{kind}_{attribute}")).map(|v| v.trim()).unwrap_or("");
                if raw.is_empty() {
                    return None;
                }
                match raw.parse::<f32>() {
                    Ok(value) if (0.0..=1.0).contains(&value) => Some(value),
                    _ => {
                        errors.push(FieldError::new(
                            "scores",
                            "out_of_range",
                            format!("{attribute}: thresholds are numbers from 0 to 1."),
                        ));
                        None
                    }
                }
            };
            let limits = ScoreThresholds { hold: limit("hold"), reject: limit("reject") };
            if limits.hold.is_some() || limits.reject.is_some() {
                scores.insert(attribute.to_owned(), limits);
            }
        }
        let settings = ModerationSettings {
            premoderation,
            new_commenter_approvals: number(&mut errors, "new_commenter_approvals", &self.new_commenter_approvals),
            trusted_after: number(&mut errors, "trusted_after", &self.trusted_after),
            banned_words: lines(&self.banned_words),
            suspect_words: lines(&self.suspect_words),
            max_links: optional_number(&mut errors, "max_links", &self.max_links),
            blocked_domains: lines(&self.blocked_domains),
            allowed_domains: lines(&self.allowed_domains),
            repeat_window_minutes: number(&mut errors, "repeat_window_minutes", &self.repeat_window_minutes),
            cooldown_seconds: number(&mut errors, "cooldown_seconds", &self.cooldown_seconds),
            history_days: number(&mut errors, "history_days", &self.history_days),
            history_min_decided: number(&mut errors, "history_min_decided", &self.history_min_decided),
            history_max_rejected_percent: number(
                &mut errors,
                "history_max_rejected_percent",
                &self.history_max_rejected_percent,
            ),
            report_threshold: number(&mut errors, "report_threshold", &self.report_threshold),
            guests_may_report: self.guests_may_report,
            scores,
            think_before_posting: optional_threshold(&mut errors, "think_before_posting", &self.think_before_posting),
            close_after_days: optional_number(&mut errors, "close_after_days", &self.close_after_days),
            guidelines: self.guidelines.trim().to_owned(),
            public_moderation_note: self.public_moderation_note,
            digest_minutes: number(&mut errors, "digest_minutes", &self.digest_minutes),
        };
        // The lists and the other checks, so every problem shows at once.
        if let Err(more) = Policy::compile(settings.clone()) {
            for error in more.0 {
                if errors.for_field(error.field).is_none() {
                    errors.push(error);
                }
            }
        }
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }
}

fn render_settings(
    state: &AppState,
    admin: &AdminActor,
    form: &SettingsForm,
    errors: BTreeMap<&'static str, String>,
    saved: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let modes: Vec<&str> = Premoderation::ALL.iter().map(|m| m.as_str()).collect();
    let html = state.templates.render(
        "admin_moderation.html",
        context! {
            site_name => &state.config.site_name,
            viewer => &admin.user,
            form,
            errors,
            saved,
            modes,
            attributes => SCORED_ATTRIBUTES,
            scorer => state.scorer.status().to_string(),
            scorer_loaded => state.scorer.status().is_loaded(),
        },
    )?;
    Ok((status, [(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

pub async fn settings_page(
    State(state): State<AppState>,
    admin: AdminActor,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let form = SettingsForm::from_settings(&state.moderation.policy().settings);
    render_settings(&state, &admin, &form, BTreeMap::new(), query.contains_key("saved"), StatusCode::OK)
}

pub async fn save_settings(
    State(state): State<AppState>,
    admin: AdminActor,
    PageForm(form): PageForm<SettingsForm>,
) -> Result<Response, AppError> {
    let refused = |errors: ValidationErrors| {
        let errors: BTreeMap<&'static str, String> = errors.0.into_iter().map(|e| (e.field, e.message)).collect();
        render_settings(&state, &admin, &form, errors, false, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let settings = match form.parse() {
        Ok(settings) => settings,
        Err(errors) => return refused(errors),
    };
    match state.moderation.save_settings(settings, &admin.actor).await {
        Ok(()) => Ok(Redirect::to("/admin/moderation?saved=1").into_response()),
        Err(SettingsError::Invalid(errors)) => refused(errors),
        Err(other) => Err(settings_error(other)),
    }
}

/// An article's discussion settings as typed on its page.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DiscussionForm {
    #[serde(deserialize_with = "tribune_app::posting::checkbox")]
    pub comments_open: bool,
    pub closed_message: String,
    pub close_after_days: String,
    pub premoderation: String,
    pub guidelines: String,
    pub max_links: String,
    pub report_threshold: String,
}

impl DiscussionForm {
    fn from_settings(open: bool, d: &DiscussionSettings) -> Self {
        Self {
            comments_open: open,
            closed_message: d.closed_message.clone(),
            close_after_days: d.close_after_days.map(|n| n.to_string()).unwrap_or_default(),
            premoderation: d.premoderation.map(|p| p.as_str().to_owned()).unwrap_or_default(),
            guidelines: d.guidelines.clone(),
            max_links: d.max_links.map(|n| n.to_string()).unwrap_or_default(),
            report_threshold: d.report_threshold.map(|n| n.to_string()).unwrap_or_default(),
        }
    }

    fn parse(&self, scores: BTreeMap<String, ScoreThresholds>) -> Result<DiscussionSettings, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let premoderation = match self.premoderation.trim() {
            "" => None,
            raw => errors.check(Premoderation::parse(raw)),
        };
        let settings = DiscussionSettings {
            closed_message: self.closed_message.trim().to_owned(),
            close_after_days: optional_number(&mut errors, "close_after_days", &self.close_after_days),
            premoderation,
            guidelines: self.guidelines.trim().to_owned(),
            max_links: optional_number(&mut errors, "max_links", &self.max_links),
            report_threshold: optional_number(&mut errors, "report_threshold", &self.report_threshold),
            scores,
        };
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }
}

fn render_discussion(
    state: &AppState,
    moderator: &ModeratorActor,
    article: &tribune_store::Article,
    form: &DiscussionForm,
    errors: BTreeMap<&'static str, String>,
    saved: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let modes: Vec<&str> = Premoderation::ALL.iter().map(|m| m.as_str()).collect();
    let html = state.templates.render(
        "moderation_article.html",
        context! {
            site_name => &state.config.site_name,
            viewer => &moderator.user,
            headline => &article.headline,
            slug => &article.slug,
            article_url => article_url(&article.slug),
            form,
            errors,
            saved,
            modes,
        },
    )?;
    Ok((status, [(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

pub async fn discussion_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    moderator: ModeratorActor,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let article = any_article(state.store.as_ref(), &slug).await?;
    let settings = discussion_of(&article).map_err(settings_error)?;
    let form = DiscussionForm::from_settings(article.comments_open, &settings);
    render_discussion(&state, &moderator, &article, &form, BTreeMap::new(), query.contains_key("saved"), StatusCode::OK)
}

pub async fn save_discussion(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    moderator: ModeratorActor,
    PageForm(form): PageForm<DiscussionForm>,
) -> Result<Response, AppError> {
    let article = any_article(state.store.as_ref(), &slug).await?;
    let kept_scores = discussion_of(&article).map_err(settings_error)?.scores;
    let refused = |errors: ValidationErrors| {
        let errors: BTreeMap<&'static str, String> = errors.0.into_iter().map(|e| (e.field, e.message)).collect();
        render_discussion(&state, &moderator, &article, &form, errors, false, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let settings = match form.parse(kept_scores) {
        Ok(settings) => settings,
        Err(errors) => return refused(errors),
    };
    match state.moderation.save_discussion(&article, form.comments_open, settings, &moderator.actor).await {
        Ok(()) => Ok(Redirect::to(&format!("/moderation/articles/{}?saved=1", article.slug)).into_response()),
        Err(SettingsError::Invalid(errors)) => refused(errors),
        Err(other) => Err(settings_error(other)),
    }
}

/// The audit log's filters, as the address gives them.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct AuditParams {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub article: Option<String>,
    pub before: Option<String>,
    pub limit: Option<String>,
}

impl AuditParams {
    pub async fn query(&self, state: &AppState, default_limit: u32) -> Result<AuditQuery, AppError> {
        let bad = |code: &'static str, message: &str| AppError::BadRequest { code, message: message.to_owned() };
        let non_empty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let actor = match non_empty(&self.actor) {
            None => None,
            Some(raw) => Some(UserId(raw.parse().map_err(|_| bad("invalid_actor", "actor must be an account id."))?)),
        };
        let article = match non_empty(&self.article) {
            None => None,
            Some(raw) => Some(any_article(state.store.as_ref(), &raw).await?.id),
        };
        let before = match non_empty(&self.before) {
            None => None,
            Some(raw) => {
                Some(raw.parse().map_err(|_| bad("invalid_cursor", "The cursor is not one this server gave out."))?)
            }
        };
        let limit = match non_empty(&self.limit) {
            None => default_limit,
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=500).contains(n))
                .ok_or_else(|| bad("invalid_limit", "limit must be 1 to 500."))?,
        };
        Ok(AuditQuery { actor, action: non_empty(&self.action), article, before, limit })
    }
}

#[derive(Serialize)]
struct AuditRow {
    id: i64,
    at: String,
    actor_name: String,
    actor_id: Option<i64>,
    action: String,
    target: String,
    reason: String,
    before: Option<String>,
    after: Option<String>,
}

pub async fn audit_page(
    State(state): State<AppState>,
    admin: AdminActor,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Response, AppError> {
    let query = params.query(&state, 50).await?;
    let entries = state.store.audit_log(&query).await?;
    let next = (entries.len() == query.limit as usize).then(|| entries.last().map(|e| e.id)).flatten().map(|before| {
        let next = AuditParams { before: Some(before.to_string()), ..params.clone() };
        format!("/admin/audit?{}", serde_urlencoded::to_string(&next).unwrap_or_default())
    });
    let rows: Vec<AuditRow> = entries
        .into_iter()
        .map(|e| AuditRow {
            id: e.id,
            at: e.at.human(),
            actor_name: e.actor_name,
            actor_id: e.actor_id.map(|id| id.0),
            action: e.action,
            target: format!("{} {}", e.target_kind, e.target_id),
            reason: e.reason,
            before: e.before,
            after: e.after,
        })
        .collect();
    let html = state.templates.render(
        "admin_audit.html",
        context! { site_name => &state.config.site_name, viewer => &admin.user, rows, params, next },
    )?;
    Ok(([(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}
