//! An external moderation service, asked about each comment: a signed POST
//! with the comment, its author and article, answered within a short time
//! with publish, hold, reject or flag. A service that is slow, down or
//! answers nonsense changes nothing: the comment keeps the verdict the other
//! steps gave it, with a note for moderators.

use crate::webhooks::sign;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tribune_domain::moderation::AuthorKey;
use tribune_domain::Timestamp;
use tribune_moderation::pipeline::{ExternalAnswer, Verdict};
use tribune_store::Article;

pub struct ExternalWebhook {
    url: String,
    secret: String,
    timeout: Duration,
    client: reqwest::Client,
}

#[derive(Serialize)]
struct Question<'a> {
    comment: QuestionComment<'a>,
    article: QuestionArticle<'a>,
}

#[derive(Serialize)]
struct QuestionComment<'a> {
    text: &'a str,
    author_name: &'a str,
    /// `user:ID` or `email:ADDRESS`.
    author: String,
    /// What Tribune's own rules decided, and why.
    decision: tribune_moderation::pipeline::Decision,
    reasons: Vec<&'a str>,
}

#[derive(Serialize)]
struct QuestionArticle<'a> {
    slug: &'a str,
    headline: &'a str,
}

#[derive(Deserialize)]
struct Answer {
    action: String,
    #[serde(default)]
    reason: String,
}

impl ExternalWebhook {
    /// `url` must be http or https; `timeout` is how long a comment may wait.
    pub fn new(url: &str, secret: &str, timeout: Duration) -> Result<Self, String> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!("the moderation webhook URL must start with http:// or https://, not {url:?}"));
        }
        if secret.len() < 16 {
            return Err("the moderation webhook secret must be at least 16 characters".to_owned());
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self { url: url.to_owned(), secret: secret.to_owned(), timeout, client })
    }

    pub async fn ask(
        &self,
        article: &Article,
        author_name: &str,
        author: &AuthorKey,
        text: &str,
        verdict: &Verdict,
    ) -> ExternalAnswer {
        let question = Question {
            comment: QuestionComment {
                text,
                author_name,
                author: author.as_stored(),
                decision: verdict.decision,
                reasons: verdict.reasons.iter().map(|r| r.code.as_str()).collect(),
            },
            article: QuestionArticle { slug: &article.slug, headline: &article.headline },
        };
        let body = match serde_json::to_vec(&question) {
            Ok(body) => body,
            Err(error) => return ExternalAnswer::Failed(format!("could not encode the question: {error}")),
        };
        let signature = sign(&self.secret, Timestamp::now(), &body);
        let sent = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .header("x-tribune-signature", signature)
            .body(body)
            .send()
            .await;
        let answer = match sent {
            Ok(response) if response.status().is_success() => response.json::<Answer>().await,
            Ok(response) => return failed(format!("answered HTTP {}", response.status().as_u16())),
            Err(error) if error.is_timeout() => return failed(format!("did not answer within {:?}", self.timeout)),
            Err(error) => return failed(format!("could not be reached ({})", error_kind(&error))),
        };
        let reason = |answer: &Answer, default: &str| {
            let reason: String = answer.reason.chars().take(300).collect();
            if reason.trim().is_empty() {
                default.to_owned()
            } else {
                reason
            }
        };
        match answer {
            Ok(answer) => match answer.action.as_str() {
                "publish" => ExternalAnswer::Publish,
                "hold" => ExternalAnswer::Hold(reason(&answer, "Held by the moderation service.")),
                "reject" => ExternalAnswer::Reject(reason(&answer, "Rejected by the moderation service.")),
                "flag" => ExternalAnswer::Flag(reason(&answer, "Flagged by the moderation service.")),
                other => failed(format!("answered an unknown action {:?}", other.chars().take(40).collect::<String>())),
            },
            Err(_) => failed("answered something that is not the expected JSON".to_owned()),
        }
    }
}

fn failed(why: String) -> ExternalAnswer {
    tracing::warn!(%why, "moderation webhook");
    ExternalAnswer::Failed(format!("The moderation webhook {why}; the other rules decided."))
}

fn error_kind(error: &reqwest::Error) -> &'static str {
    if error.is_connect() {
        "connection failed"
    } else if error.is_request() {
        "request failed"
    } else {
        "error"
    }
}
