//! The moderators' desk: one queue at a time, its cards with everything
//! needed to decide, counts on every tab, filters, keyset paging, and after
//! an action (without JavaScript) what was done with a way to undo it.

use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::moderation::actor::ModeratorActor;
use crate::moderation::cards::{Card, EditView, ParentView, ReportView};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::response::{Html, IntoResponse, Response};
use futures::stream::{self, StreamExt, TryStreamExt};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tribune_domain::moderation::{AuthorKey, Queue, RejectReason};
use tribune_domain::{CommentId, CommentStatus};
use tribune_store::{DbError, QueueFilter, QueueItem, QueueQuery, Store, QUEUE_COUNT_CAP};

/// Cards on one page of a queue.
pub const PAGE_SIZE: u32 = 20;

/// The queue, its filters and paging, as the address says.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct QueueParams {
    pub queue: Option<String>,
    pub article: Option<String>,
    pub section: Option<String>,
    pub order: Option<String>,
    pub after: Option<String>,
}

/// What the last action did, for the message and its undo button. (All
/// strings: flattened query parameters arrive as text.)
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    pub done: Option<String>,
    pub comment: Option<String>,
    pub from: Option<String>,
    pub from_reason: Option<String>,
    pub error: Option<String>,
    pub count: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DeskQuery {
    #[serde(flatten)]
    pub queue: QueueParams,
    #[serde(flatten)]
    pub done: Done,
}

#[derive(Serialize)]
struct Tab {
    code: &'static str,
    label: &'static str,
    count: String,
    current: bool,
    url: String,
}

#[derive(Serialize)]
struct Flash {
    message: String,
    undo: Option<UndoForm>,
    error: bool,
}

#[derive(Serialize)]
struct UndoForm {
    comment: i64,
    action: &'static str,
    reason: Option<String>,
    version: i32,
}

impl QueueParams {
    /// Parses the address into a store query; unknown values are 400s.
    pub async fn query(&self, store: &dyn Store) -> Result<QueueQuery, AppError> {
        let queue = match self.queue.as_deref().filter(|q| !q.is_empty()) {
            None => Queue::Pending,
            Some(raw) => {
                Queue::parse(raw).map_err(|e| AppError::BadRequest { code: "invalid_queue", message: e.message })?
            }
        };
        let oldest_first = match self.order.as_deref() {
            None | Some("") | Some("oldest") => true,
            Some("newest") => false,
            Some(_) => {
                return Err(AppError::BadRequest {
                    code: "invalid_order",
                    message: "order must be \"oldest\" or \"newest\".".to_owned(),
                })
            }
        };
        let article = match self.article.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(raw) => Some(crate::moderation::any_article(store, raw).await?.id),
        };
        let section_slug = self.section.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let after = match self.after.as_deref().filter(|a| !a.is_empty()) {
            None => None,
            Some(raw) => Some(CommentId(raw.parse().map_err(|_| AppError::BadRequest {
                code: "invalid_cursor",
                message: "The cursor is not one this server gave out.".to_owned(),
            })?)),
        };
        Ok(QueueQuery { queue, filter: QueueFilter { article, section_slug }, oldest_first, after, limit: PAGE_SIZE })
    }

    /// This address with `queue` and without the cursor.
    fn url_for(&self, queue: Queue) -> String {
        let params = QueueParams { queue: Some(queue.as_str().to_owned()), after: None, ..self.clone() };
        format!("/moderation?{}", serde_urlencoded::to_string(&params).unwrap_or_default())
    }
}

/// How many of a page's lookups run at once: enough to hide the round
/// trips, few enough that one moderator's page never holds every pooled
/// connection while readers' requests wait for one.
const LOOKUPS_AT_ONCE: usize = 8;

/// Cards for `items`, each with its parent, its author's record, its
/// reports and its edits. The cards' lookups run side by side (at most
/// [`LOOKUPS_AT_ONCE`] per list): one after another they were some twenty
/// round trips to the database per page.
pub async fn cards(store: &dyn Store, items: Vec<QueueItem>) -> Result<Vec<Card>, AppError> {
    let mut authors: Vec<(String, AuthorKey)> = Vec::new();
    for item in &items {
        let key = item.comment.author_key.as_str().to_owned();
        if let Some(author) = AuthorKey::parse_stored(&key) {
            if !authors.iter().any(|(k, _)| *k == key) {
                authors.push((key, author));
            }
        }
    }
    let histories = stream::iter(authors)
        .map(|(key, author)| async move { store.author_counts(&author).await.map(|counts| (key, counts)) })
        .buffered(LOOKUPS_AT_ONCE)
        .try_collect::<Vec<_>>();
    let cards =
        stream::iter(items).map(|item| card_with_parts(store, item)).buffered(LOOKUPS_AT_ONCE).try_collect::<Vec<_>>();
    let (histories, mut cards) = tokio::try_join!(histories, cards)?;
    let histories: HashMap<String, tribune_store::AuthorCounts> = histories.into_iter().collect();
    for card in &mut cards {
        card.history = histories.get(&card.author_key).copied();
    }
    Ok(cards)
}

/// One card with its parent, reports and edits (not its author's record).
async fn card_with_parts(store: &dyn Store, item: QueueItem) -> Result<Card, DbError> {
    let parent_id = item.comment.parent_id;
    let edited = item.comment.edited_at.is_some();
    let mut card = Card::new(item);
    let id = CommentId(card.id);
    let parent = async {
        match parent_id {
            None => Ok(None),
            Some(parent) => match store.comment(parent).await {
                Ok(parent) => Ok(Some(ParentView::from(&parent))),
                Err(DbError::NotFound) => Ok(None),
                Err(other) => Err(other),
            },
        }
    };
    let reports = async {
        if card.open_reports > 0 {
            store.reports(id).await.map(|r| r.iter().map(ReportView::from).collect())
        } else {
            Ok(Vec::new())
        }
    };
    let edits = async {
        if edited {
            store.comment_edits(id).await.map(|e| e.iter().map(EditView::from).collect())
        } else {
            Ok(Vec::new())
        }
    };
    let (parent, reports, edits) = tokio::try_join!(parent, reports, edits)?;
    card.parent = parent;
    card.reports = reports;
    card.edits = edits;
    Ok(card)
}

pub async fn show(
    State(state): State<AppState>,
    moderator: ModeratorActor,
    ApiQuery(query): ApiQuery<DeskQuery>,
) -> Result<Response, AppError> {
    let params = query.queue;
    let store_query = params.query(state.store.as_ref()).await?;
    let (counts, items) =
        tokio::try_join!(state.store.queue_counts(&store_query.filter), state.store.queue(&store_query))?;
    let next_after = (items.len() == PAGE_SIZE as usize).then(|| items.last().map(|i| i.comment.id.0)).flatten();
    let cards = cards(state.store.as_ref(), items).await?;
    let cap = QUEUE_COUNT_CAP;
    let tabs: Vec<Tab> = Queue::ALL
        .iter()
        .map(|q| {
            let n = counts.of(*q);
            Tab {
                code: q.as_str(),
                label: q.label(),
                count: if n > cap {
                    format!("{}+", crate::views::with_thousands(cap as usize))
                } else {
                    crate::views::with_thousands(n as usize)
                },
                current: *q == store_query.queue,
                url: params.url_for(*q),
            }
        })
        .collect();
    let next_url = next_after.map(|after| {
        let next = QueueParams {
            after: Some(after.to_string()),
            queue: Some(store_query.queue.as_str().to_owned()),
            ..params.clone()
        };
        format!("/moderation?{}", serde_urlencoded::to_string(&next).unwrap_or_default())
    });
    let here = {
        let current = QueueParams { queue: Some(store_query.queue.as_str().to_owned()), ..params.clone() };
        format!("/moderation?{}", serde_urlencoded::to_string(&current).unwrap_or_default())
    };
    let flash = flash(state.store.as_ref(), &query.done).await?;
    let reject_reasons: Vec<(&str, &str)> = RejectReason::ALL.iter().map(|r| (r.as_str(), r.label())).collect();
    let html = state.templates.render(
        "moderation_queue.html",
        context! {
            site_name => &state.config.site_name,
            viewer => &moderator.user,
            tabs,
            queue => store_query.queue.as_str(),
            queue_label => store_query.queue.label(),
            cards,
            params,
            oldest_first => store_query.oldest_first,
            next_url,
            here,
            flash,
            reject_reasons,
        },
    )?;
    Ok(([(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The message after an action, with an undo button that puts the comment
/// back as it was (the inverse action, on the comment's current version).
async fn flash(store: &dyn Store, done: &Done) -> Result<Option<Flash>, AppError> {
    if let Some(error) = &done.error {
        return Ok(Some(Flash { message: error.chars().take(300).collect(), undo: None, error: true }));
    }
    let comment = done.comment.as_deref().and_then(|id| id.parse::<i64>().ok());
    if let (Some(action), None) = (&done.done, comment) {
        let count = done.count.as_deref().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
        let message = format!("{count} comment{} {}.", if count == 1 { "" } else { "s" }, past_tense(action));
        return Ok(Some(Flash { message, undo: None, error: false }));
    }
    let (Some(action), Some(id)) = (&done.done, comment) else { return Ok(None) };
    let comment = match store.comment(CommentId(id)).await {
        Ok(comment) => comment,
        Err(DbError::NotFound) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let from = done.from.as_deref().and_then(CommentStatus::parse);
    let undo = match (action.as_str(), from) {
        ("approve", Some(CommentStatus::Pending)) | ("reject", Some(CommentStatus::Pending)) => Some(("hold", None)),
        ("approve", Some(CommentStatus::Rejected)) | ("hold", Some(CommentStatus::Rejected)) => {
            Some(("reject", done.from_reason.clone().or_else(|| Some("other".to_owned()))))
        }
        ("reject", Some(CommentStatus::Published)) | ("hold", Some(CommentStatus::Published)) => {
            Some(("approve", None))
        }
        ("feature", _) => Some(("unfeature", None)),
        ("unfeature", _) => Some(("feature", None)),
        _ => None,
    };
    let excerpt = crate::moderation::cards::excerpt(&comment.body_markdown, 60);
    Ok(Some(Flash {
        message: format!("{} {}’s comment “{excerpt}”.", capitalized(past_tense(action)), comment.author_name),
        undo: undo.map(|(action, reason)| UndoForm { comment: id, action, reason, version: comment.version }),
        error: false,
    }))
}

fn past_tense(action: &str) -> &'static str {
    match action {
        "approve" => "approved",
        "reject" => "rejected",
        "feature" => "featured",
        "unfeature" => "unfeatured",
        "hold" => "put back in the queue",
        "edit" => "edited",
        _ => "changed",
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
