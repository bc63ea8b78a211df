//! How the moderation use cases' errors answer over HTTP.

use crate::error::AppError;
use tribune_app::authors::AuthorError;
use tribune_app::decisions::ActionError;
use tribune_app::reports::ReportError;
use tribune_app::settings::SettingsError;

pub fn action_error(error: ActionError) -> AppError {
    match error {
        ActionError::NotFound => AppError::NotFound("comment"),
        ActionError::ChangedMeanwhile { by, at, status } => AppError::Conflict {
            code: "changed_meanwhile",
            message: format!(
                "{by} acted on this comment first{}; it is now {}. Nothing was changed.",
                at.map(|t| format!(" ({})", t.human())).unwrap_or_default(),
                status.as_str()
            ),
        },
        ActionError::AlreadyDone { by, status } => AppError::Conflict {
            code: "already_moderated",
            message: if by.is_empty() {
                format!("This comment is already {}.", status.as_str())
            } else {
                format!("This comment is already {} (by {by}).", status.as_str())
            },
        },
        ActionError::Gone => AppError::Conflict {
            code: "comment_gone",
            message: "Its author deleted this comment, or it was taken down with its account.".to_owned(),
        },
        ActionError::Invalid(error) => AppError::field(error),
        ActionError::Store(error) => error.into(),
    }
}

pub fn author_error(error: AuthorError) -> AppError {
    match error {
        AuthorError::Invalid(error) => AppError::field(error),
        AuthorError::Store(error) => error.into(),
    }
}

pub fn report_error(error: ReportError) -> AppError {
    match error {
        ReportError::NotFound => AppError::NotFound("comment"),
        ReportError::AlreadyReported => AppError::Conflict {
            code: "already_reported",
            message: "You have already reported this comment; a moderator will look at it.".to_owned(),
        },
        ReportError::SignInRequired => AppError::SignInRequired,
        ReportError::Invalid(error) => AppError::field(error),
        ReportError::Store(error) => error.into(),
        ReportError::Settings(error) => settings_error(error),
    }
}

pub fn settings_error(error: SettingsError) -> AppError {
    match error {
        SettingsError::Invalid(errors) => AppError::Validation(errors),
        SettingsError::Corrupt(cause) => AppError::Internal(cause),
        SettingsError::Store(error) => error.into(),
    }
}
