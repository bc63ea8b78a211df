//! The newsroom's use cases: create, save (as a revision, refusing a stale
//! save), move between states, compare and restore revisions, and the
//! scheduler's publication of due articles. Who may do what is
//! `tribune_domain::authoring::check`; this module applies it and stores.

use crate::article_extras::{ArticleExtras, CheckedExtras};
use crate::Announce;
use tribune_domain::article::ArticleFields;
use tribune_domain::authoring::{self, Action, ArticleStatus, Refusal, Target, Transition, Writer};
use tribune_domain::{ArticleId, FieldError, Timestamp, ValidationErrors};
use tribune_store::{
    Article, ArticleEvent, ArticleSave, ClaimedArticle, DbError, Presence, Revision, RevisionSummary, StatusChange,
    Store, User, STALE_REVISION,
};

/// How long an open editor counts as "someone else is editing this".
pub const PRESENCE_WINDOW_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    #[error("no such article")]
    NotFound,
    #[error("the role does not allow this")]
    NotAllowed,
    #[error("cannot {} an article that is {}", transition.as_str(), from.as_str())]
    WrongState { from: ArticleStatus, transition: Transition },
    #[error("invalid input")]
    Invalid(ValidationErrors),
    /// Someone else saved after `base`; nothing was written.
    #[error("revision {base} is stale: {by} saved revision {current}")]
    Stale { base: i32, current: i32, by: String },
    #[error(transparent)]
    Store(DbError),
}

impl From<DbError> for AuthoringError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

impl From<FieldError> for AuthoringError {
    fn from(error: FieldError) -> Self {
        Self::Invalid(error.into())
    }
}

/// The text fields of an article as typed.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub headline: String,
    pub standfirst: String,
    pub byline: String,
    pub section: String,
    pub tags: Vec<String>,
    /// Empty: generated from the headline (a published article keeps its own).
    pub slug: String,
    pub body: String,
    /// Bylined profiles and the featured image, saved with the text.
    pub extras: ArticleExtras,
}

/// Two revisions side by side, line by line.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RevisionDiff {
    pub from: Revision,
    pub to: Revision,
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiffLine {
    /// `same`, `added` or `removed`.
    pub change: &'static str,
    pub text: String,
}

fn writer(user: &User) -> Writer {
    Writer { id: user.id, name: user.display_name.clone() }
}

fn refused(refusal: Refusal, transition: Option<Transition>) -> AuthoringError {
    match (refusal, transition) {
        (Refusal::WrongState { from }, Some(transition)) => AuthoringError::WrongState { from, transition },
        _ => AuthoringError::NotAllowed,
    }
}

/// The newsroom's use cases over one store and the live bus.
pub struct Newsroom<'a> {
    pub store: &'a dyn Store,
    pub announce: &'a dyn Announce,
}

impl Newsroom<'_> {
    /// An article the user may act on in the newsroom. Someone who may not
    /// even read it gets `NotFound` only if it does not exist.
    async fn article_for(&self, user: &User, id: ArticleId, action: Action) -> Result<Article, AuthoringError> {
        if user.suspended {
            return Err(AuthoringError::NotAllowed);
        }
        let article = self.store.article(id).await?;
        let target = Target { status: article.status, own: article.author_id == Some(user.id) };
        let transition = match action {
            Action::Move(t) => Some(t),
            _ => None,
        };
        authoring::check(user.role, action, Some(target)).map_err(|r| refused(r, transition))?;
        Ok(article)
    }

    /// Starts a draft written by `user`, at revision 1.
    pub async fn create(&self, user: &User, input: ArticleInput, now: Timestamp) -> Result<Article, AuthoringError> {
        if user.suspended {
            return Err(AuthoringError::NotAllowed);
        }
        authoring::check(user.role, Action::Create, None).map_err(|r| refused(r, None))?;
        let (mut article, extras) = self.checked(input, None, now).await?;
        article.published_at = None;
        article.status = ArticleStatus::Draft;
        article.author = Some(writer(user));
        let created = self
            .store
            .create_article_with(&article, &extras.to_write())
            .await
            .map_err(|e| slug_taken(e, article.slug.as_str()))?;
        extras.announce(self.announce, &created).await;
        Ok(created)
    }

    /// The typed fields parsed and the extras looked up, every problem at once.
    async fn checked(
        &self,
        mut input: ArticleInput,
        keep_slug: Option<String>,
        now: Timestamp,
    ) -> Result<(tribune_domain::NewArticle, CheckedExtras), AuthoringError> {
        let extras = std::mem::take(&mut input.extras);
        let mut errors = ValidationErrors::default();
        let parsed = fields(input, keep_slug).parse(now).map_err(|found| errors.0.extend(found.0)).ok();
        let extras = extras.check(self.store, &mut errors).await?;
        match parsed {
            Some(parsed) if errors.is_empty() => Ok((parsed, extras)),
            _ => Err(AuthoringError::Invalid(errors)),
        }
    }

    /// Opens an article in the editor.
    pub async fn open(&self, user: &User, id: ArticleId) -> Result<Article, AuthoringError> {
        self.article_for(user, id, Action::Read).await
    }

    /// Opens an article in the editor, noting who has it open; returns the
    /// others who opened it within `PRESENCE_WINDOW_MS`.
    pub async fn open_noting_presence(
        &self,
        user: &User,
        id: ArticleId,
        now: Timestamp,
    ) -> Result<(Article, Vec<Presence>), AuthoringError> {
        let article = self.article_for(user, id, Action::Read).await?;
        let since = Timestamp(now.0 - PRESENCE_WINDOW_MS);
        let others = self.store.note_editor_presence(id, &writer(user), now, since).await?;
        Ok((article, others))
    }

    /// Saves the text as a new revision, if `base_revision` is still the
    /// newest one someone else wrote.
    pub async fn save(
        &self,
        user: &User,
        id: ArticleId,
        base_revision: i32,
        input: ArticleInput,
        now: Timestamp,
    ) -> Result<Article, AuthoringError> {
        let article = self.article_for(user, id, Action::Edit).await?;
        self.write_revision(user, &article, base_revision, input, now).await
    }

    async fn write_revision(
        &self,
        user: &User,
        article: &Article,
        base_revision: i32,
        input: ArticleInput,
        now: Timestamp,
    ) -> Result<Article, AuthoringError> {
        // Once out, an article keeps its address unless one is typed.
        let keep_slug = (article.status != ArticleStatus::Draft && article.status != ArticleStatus::Submitted)
            .then(|| article.slug.clone());
        let (parsed, extras) = self.checked(input, keep_slug, now).await?;
        let save = ArticleSave {
            article: article.id,
            base_revision,
            writer: writer(user),
            at: now,
            slug: parsed.slug,
            headline: parsed.headline,
            standfirst: parsed.standfirst,
            byline: parsed.byline,
            section: parsed.section,
            tags: parsed.tags,
            body_markdown: parsed.body_markdown,
            body_html: parsed.body_html,
            extras: extras.to_write(),
        };
        let saved = match self.store.save_article(&save).await {
            Ok(saved) => saved,
            Err(DbError::Conflict { constraint }) if constraint == STALE_REVISION => {
                let newest = self.store.article_revisions(article.id).await?;
                let (current, by) = newest.first().map_or((0, String::new()), |r| (r.number, r.author_name.clone()));
                return Err(AuthoringError::Stale { base: base_revision, current, by });
            }
            Err(other) => return Err(slug_taken(other, save.slug.as_str())),
        };
        extras.announce(self.announce, &saved).await;
        if saved.status == ArticleStatus::Published {
            self.announce_change(article, &saved).await;
        }
        Ok(saved)
    }

    /// Moves an article to another state; `publish_at` is read for `Schedule`.
    pub async fn transition(
        &self,
        user: &User,
        id: ArticleId,
        transition: Transition,
        publish_at: Option<&str>,
        now: Timestamp,
    ) -> Result<Article, AuthoringError> {
        let article = self.article_for(user, id, Action::Move(transition)).await?;
        let from = article.status;
        let to = transition.target(from).ok_or(AuthoringError::WrongState { from, transition })?;
        let published_at = match transition {
            Transition::Schedule => Some(authoring::schedule_time(publish_at, now)?),
            // A return to print keeps the first publication date.
            Transition::Publish if from == ArticleStatus::Unpublished && article.published_at.is_some() => None,
            Transition::Publish => Some(now),
            Transition::Submit | Transition::Unpublish => None,
        };
        let change = StatusChange { article: id, from, to, published_at };
        let moved = self.store.change_status(&change).await.map_err(|e| match e {
            DbError::Conflict { .. } => AuthoringError::WrongState { from, transition },
            other => other.into(),
        })?;
        if from == ArticleStatus::Published || to == ArticleStatus::Published {
            self.announce_change(&article, &moved).await;
        }
        Ok(moved)
    }

    /// The article's revisions, newest first.
    pub async fn revisions(&self, user: &User, id: ArticleId) -> Result<Vec<RevisionSummary>, AuthoringError> {
        self.article_for(user, id, Action::Read).await?;
        Ok(self.store.article_revisions(id).await?)
    }

    /// Two revisions and the line difference of their text.
    pub async fn compare(
        &self,
        user: &User,
        id: ArticleId,
        from: i32,
        to: i32,
    ) -> Result<RevisionDiff, AuthoringError> {
        self.article_for(user, id, Action::Read).await?;
        let older = self.store.article_revision(id, from).await?;
        let newer = self.store.article_revision(id, to).await?;
        let lines = diff_lines(&revision_text(&older), &revision_text(&newer));
        Ok(RevisionDiff { from: older, to: newer, lines })
    }

    /// Makes an old revision's text the newest revision.
    pub async fn restore(
        &self,
        user: &User,
        id: ArticleId,
        number: i32,
        now: Timestamp,
    ) -> Result<Article, AuthoringError> {
        let article = self.article_for(user, id, Action::RestoreRevision).await?;
        let old = self.store.article_revision(id, number).await?;
        let input = ArticleInput {
            headline: old.headline,
            standfirst: old.standfirst,
            byline: old.byline,
            section: old.section,
            tags: old.tags,
            slug: old.slug,
            body: old.body_markdown,
            // Revisions keep the text; bylines and the image stay as they are.
            extras: ArticleExtras::default(),
        };
        self.write_revision(user, &article, article.revision, input, now).await
    }

    async fn announce_change(&self, before: &Article, after: &Article) {
        let event = if before.slug == after.slug {
            ArticleEvent::ArticleChanged { article_id: after.id, article_slug: after.slug.clone() }
        } else {
            // Pages cached under the old address are stale too.
            ArticleEvent::ManyChanged
        };
        self.announce.announce(&event).await;
    }
}

/// Publishes every scheduled article that is due, once across instances,
/// and tells every instance's cache.
pub async fn publish_due(
    store: &dyn Store,
    announce: &dyn Announce,
    now: Timestamp,
) -> Result<Vec<ClaimedArticle>, DbError> {
    let claimed = store.claim_due_articles(now).await?;
    for article in &claimed {
        tracing::info!(article = article.id.0, slug = %article.slug, "published a scheduled article");
        let event = ArticleEvent::ArticleChanged { article_id: article.id, article_slug: article.slug.clone() };
        announce.announce(&event).await;
    }
    Ok(claimed)
}

fn fields(input: ArticleInput, keep_slug: Option<String>) -> ArticleFields {
    let typed = Some(input.slug).filter(|s| !s.trim().is_empty());
    ArticleFields {
        headline: input.headline,
        standfirst: input.standfirst,
        byline: input.byline,
        section: input.section,
        tags: input.tags,
        slug: typed.or(keep_slug),
        published_at: None,
        comments_open: None,
        body: input.body,
    }
}

fn slug_taken(error: DbError, slug: &str) -> AuthoringError {
    match error {
        DbError::Conflict { constraint } if constraint == "articles_slug" => AuthoringError::Invalid(
            FieldError::new("slug", "slug_taken", format!("Another article already has the address \"{slug}\"."))
                .into(),
        ),
        other => other.into(),
    }
}

/// What a revision compares by: every field, one per line, then the body.
fn revision_text(revision: &Revision) -> String {
    format!(
        "Headline: {}\nStandfirst: {}\nByline: {}\nSection: {}\nTags: {}\nSlug: {}\n\n{}",
        revision.headline,
        revision.standfirst,
        revision.byline,
        revision.section,
        revision.tags.join(", "),
        revision.slug,
        revision.body_markdown
    )
}

/// A line diff of two texts.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            change: match change.tag() {
                ChangeTag::Equal => "same",
                ChangeTag::Insert => "added",
                ChangeTag::Delete => "removed",
            },
            text: change.value().trim_end_matches(['\r', '\n']).to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_diff_marks_added_and_removed_lines() {
        let lines = diff_lines("one\ntwo\nthree\n", "one\n2\nthree\n");
        let changes: Vec<_> = lines.iter().map(|l| (l.change, l.text.as_str())).collect();
        assert_eq!(changes, [("same", "one"), ("removed", "two"), ("added", "2"), ("same", "three")]);
    }
}
