//! How the newsroom's refusals answer: each with its own code.

use crate::error::AppError;
use tribune_app::authoring::AuthoringError;
use tribune_domain::authoring::Transition;

pub fn authoring_error(error: AuthoringError, article: Option<i64>) -> AppError {
    match error {
        AuthoringError::NotFound => AppError::NotFound("article"),
        AuthoringError::NotAllowed => {
            AppError::Forbidden { code: "forbidden", message: "Your role does not allow this on this article." }
        }
        AuthoringError::WrongState { from, transition } => AppError::Conflict {
            code: "invalid_transition",
            message: format!("An article that is {} cannot be {}.", from.as_str(), participle(transition)),
        },
        AuthoringError::Invalid(errors) => AppError::Validation(errors),
        AuthoringError::Stale { base, current, by } => {
            let compare = article.map_or(String::new(), |id| {
                format!(" Compare them: /api/v1/newsroom/articles/{id}/revisions/compare?from={base}&to={current}")
            });
            AppError::Conflict {
                code: "stale_revision",
                message: format!(
                    "{by} saved revision {current} after revision {base}, which this save started from; \
                     nothing was saved.{compare}"
                ),
            }
        }
        AuthoringError::Store(error) => error.into(),
    }
}

fn participle(transition: Transition) -> &'static str {
    match transition {
        Transition::Submit => "submitted",
        Transition::Publish => "published",
        Transition::Schedule => "scheduled",
        Transition::Unpublish => "unpublished",
    }
}
