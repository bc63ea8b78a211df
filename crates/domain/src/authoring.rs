//! The newsroom's rules: an article's states and who may move it between
//! them. One pure function, [`check`], decides every authoring action, so
//! the pages, the JSON API and the scheduler agree.

use crate::account::Role;
use crate::error::FieldError;
use crate::ids::UserId;
use crate::timestamp::Timestamp;
use serde::Serialize;

/// Where an article is in its life. Readers see only `Published`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    /// Waiting for an editor's review.
    Submitted,
    /// Publishes itself at its `published_at`.
    Scheduled,
    Published,
    /// Taken down; kept for the newsroom.
    Unpublished,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 5] =
        [Self::Draft, Self::Submitted, Self::Scheduled, Self::Published, Self::Unpublished];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Unpublished => "unpublished",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    /// The state a new article starts in: none of a publication time is a
    /// draft, a time after `now` is scheduled.
    pub fn for_new(published_at: Option<Timestamp>, now: Timestamp) -> Self {
        match published_at {
            None => Self::Draft,
            Some(at) if at > now => Self::Scheduled,
            Some(_) => Self::Published,
        }
    }
}

/// Who writes a revision: the account and its name at the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub id: UserId,
    pub name: String,
}

/// A move between states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// Draft to submitted: asks an editor to review.
    Submit,
    /// Out now.
    Publish,
    /// Out at a future time.
    Schedule,
    /// Taken down.
    Unpublish,
}

impl Transition {
    pub const ALL: [Transition; 4] = [Self::Submit, Self::Publish, Self::Schedule, Self::Unpublish];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Publish => "publish",
            Self::Schedule => "schedule",
            Self::Unpublish => "unpublish",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw.trim()).ok_or_else(|| {
            FieldError::new("action", "invalid_action", "The action is one of submit, publish, schedule or unpublish.")
        })
    }

    /// The state it leads to from `from`, if it may start there.
    pub fn target(self, from: ArticleStatus) -> Option<ArticleStatus> {
        use ArticleStatus::*;
        match (self, from) {
            (Self::Submit, Draft) => Some(Submitted),
            (Self::Publish, Draft | Submitted | Scheduled | Unpublished) => Some(Published),
            (Self::Schedule, Draft | Submitted | Scheduled | Unpublished) => Some(Scheduled),
            (Self::Unpublish, Published | Scheduled) => Some(Unpublished),
            _ => None,
        }
    }
}

/// Something a person asks to do to an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    /// Open the editor or list the newsroom's articles.
    Read,
    Edit,
    Move(Transition),
    RestoreRevision,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The role (or not owning the article) does not allow it.
    NotAllowed,
    /// Allowed in general, not from the article's current state.
    WrongState { from: ArticleStatus },
}

/// The article an action applies to (none for `Create`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub status: ArticleStatus,
    /// Whether the person asking wrote it.
    pub own: bool,
}

/// Whether a role writes at all: authors, editors and admins (moderators
/// look after comments, not articles).
pub fn writes(role: Role) -> bool {
    matches!(role, Role::Author | Role::Editor | Role::Admin)
}

/// Whether a role publishes and edits everyone's articles.
pub fn publishes(role: Role) -> bool {
    role.allows(Role::Editor)
}

/// Who may do what. Authors create, read and edit their own drafts and
/// submitted articles and submit them; editors and admins do everything.
pub fn check(role: Role, action: Action, target: Option<Target>) -> Result<(), Refusal> {
    if !writes(role) {
        return Err(Refusal::NotAllowed);
    }
    let editor = publishes(role);
    let Some(target) = target else {
        return if matches!(action, Action::Create | Action::Read) { Ok(()) } else { Err(Refusal::NotAllowed) };
    };
    if !editor && !target.own {
        return Err(Refusal::NotAllowed);
    }
    let from = target.status;
    let author_may_edit = matches!(from, ArticleStatus::Draft | ArticleStatus::Submitted);
    match action {
        Action::Create | Action::Read => Ok(()),
        Action::Edit if editor || author_may_edit => Ok(()),
        Action::Edit => Err(Refusal::NotAllowed),
        Action::RestoreRevision if editor => Ok(()),
        Action::RestoreRevision => Err(Refusal::NotAllowed),
        Action::Move(transition) => {
            if !editor && transition != Transition::Submit {
                return Err(Refusal::NotAllowed);
            }
            transition.target(from).map(|_| ()).ok_or(Refusal::WrongState { from })
        }
    }
}

/// A publication time for `Schedule`: it must lie after `now`.
pub fn schedule_time(raw: Option<&str>, now: Timestamp) -> Result<Timestamp, FieldError> {
    let raw = raw.map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Err(FieldError::new("publish_at", "empty", "Give the time the article should publish itself."));
    }
    let at = Timestamp::parse(raw)
        .ok_or_else(|| FieldError::new("publish_at", "invalid_date", "Use a date like 2026-11-29T08:00:00Z."))?;
    if at <= now {
        return Err(FieldError::new(
            "publish_at",
            "in_the_past",
            "That time has passed; choose a time in the future, or publish now.",
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ArticleStatus::*;

    fn own(status: ArticleStatus) -> Option<Target> {
        Some(Target { status, own: true })
    }

    #[test]
    fn an_author_writes_and_submits_only_their_own_drafts() {
        assert_eq!(check(Role::Author, Action::Create, None), Ok(()));
        assert_eq!(check(Role::Author, Action::Edit, own(Draft)), Ok(()));
        assert_eq!(check(Role::Author, Action::Move(Transition::Submit), own(Draft)), Ok(()));
        assert_eq!(check(Role::Author, Action::Edit, own(Submitted)), Ok(()));
        assert_eq!(
            check(Role::Author, Action::Edit, Some(Target { status: Draft, own: false })),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(check(Role::Author, Action::Edit, own(Published)), Err(Refusal::NotAllowed));
        assert_eq!(check(Role::Author, Action::Move(Transition::Publish), own(Submitted)), Err(Refusal::NotAllowed));
        assert_eq!(check(Role::Author, Action::RestoreRevision, own(Draft)), Err(Refusal::NotAllowed));
    }

    #[test]
    fn editors_and_admins_move_anyones_article() {
        let theirs = Some(Target { status: Submitted, own: false });
        for role in [Role::Editor, Role::Admin] {
            assert_eq!(check(role, Action::Move(Transition::Publish), theirs), Ok(()));
            assert_eq!(check(role, Action::Move(Transition::Schedule), theirs), Ok(()));
            assert_eq!(check(role, Action::RestoreRevision, theirs), Ok(()));
        }
    }

    #[test]
    fn commenters_and_moderators_do_not_write() {
        for role in [Role::Commenter, Role::Moderator] {
            assert_eq!(check(role, Action::Create, None), Err(Refusal::NotAllowed));
            assert_eq!(check(role, Action::Edit, own(Draft)), Err(Refusal::NotAllowed));
        }
    }

    #[test]
    fn a_transition_from_the_wrong_state_names_it() {
        assert_eq!(
            check(Role::Editor, Action::Move(Transition::Unpublish), own(Draft)),
            Err(Refusal::WrongState { from: Draft })
        );
        assert_eq!(
            check(Role::Editor, Action::Move(Transition::Publish), own(Published)),
            Err(Refusal::WrongState { from: Published })
        );
    }

    #[test]
    fn a_schedule_in_the_past_is_refused_with_a_field_message() {
        let now = Timestamp::parse("2026-12-03T09:00:00Z").unwrap();
        assert_eq!(schedule_time(Some("2026-12-02T09:00:00Z"), now).unwrap_err().code, "in_the_past");
        assert_eq!(schedule_time(Some("soon"), now).unwrap_err().code, "invalid_date");
        assert!(schedule_time(Some("2026-12-04T09:00:00Z"), now).is_ok());
    }

    #[test]
    fn a_new_article_starts_by_its_publication_time() {
        let now = Timestamp(1000);
        assert_eq!(ArticleStatus::for_new(None, now), Draft);
        assert_eq!(ArticleStatus::for_new(Some(Timestamp(2000)), now), Scheduled);
        assert_eq!(ArticleStatus::for_new(Some(Timestamp(1000)), now), Published);
    }
}
