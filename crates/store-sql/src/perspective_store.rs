//! `PerspectiveStore` for both backends, written once like
//! [`impl_moderation_store!`](crate::impl_moderation_store): API keys and
//! labelled examples, in portable SQL.

use crate::rows::{corrupt, IntoModel};
use sqlx::FromRow;
use tribune_domain::{CommentId, Timestamp};
use tribune_store::{ApiKey, DbError, ExampleSource, LabelledExample};

#[derive(Debug, FromRow)]
pub struct ApiKeyRow {
    id: i64,
    name: String,
    created_by: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl IntoModel<ApiKey> for ApiKeyRow {
    fn model(self) -> Result<ApiKey, DbError> {
        Ok(ApiKey {
            id: self.id,
            name: self.name,
            created_by: self.created_by,
            created_at: Timestamp(self.created_at),
            revoked_at: self.revoked_at.map(Timestamp),
        })
    }
}

#[derive(Debug, FromRow)]
pub struct ExampleRow {
    id: i64,
    text: Option<String>,
    labels: String,
    source: String,
    created_at: i64,
    comment_id: Option<i64>,
}

impl IntoModel<(i64, LabelledExample)> for ExampleRow {
    fn model(self) -> Result<(i64, LabelledExample), DbError> {
        let labels: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&self.labels).map_err(|_| corrupt("example labels", &self.labels))?;
        let labels = labels.into_iter().map(|(name, value)| (name, value.as_f64().unwrap_or(0.0) as f32)).collect();
        let source = ExampleSource::parse(&self.source).ok_or_else(|| corrupt("example source", &self.source))?;
        let example = LabelledExample {
            text: self.text,
            comment_id: self.comment_id.map(CommentId),
            labels,
            source,
            created_at: Timestamp(self.created_at),
        };
        Ok((self.id, example))
    }
}

/// The labels as stored: a JSON object, attribute name to score.
pub fn labels_json(labels: &[(String, f32)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        labels.iter().map(|(name, score)| (name.clone(), serde_json::Value::from(f64::from(*score)))).collect();
    serde_json::Value::Object(map).to_string()
}

#[macro_export]
macro_rules! impl_perspective_store {
    ($store:ty, $db:ty, reader: $reader:ident, writer: $writer:ident) => {
        const _: () = {
            use $crate::tribune_domain::Timestamp;
            use $crate::tribune_store::{ApiKey, DbError, LabelledExample, NewApiKey, NewAuditEntry, PerspectiveStore};
            use $crate::{statements, IntoModel, SqlResult};

            async fn append_audit(
                conn: &mut <$db as sqlx::Database>::Connection,
                entry: &NewAuditEntry,
            ) -> Result<(), DbError> {
                sqlx::query(statements::APPEND_AUDIT)
                    .bind(entry.at.0)
                    .bind(entry.actor.id.map(|id| id.0))
                    .bind(&entry.actor.name)
                    .bind(&entry.action)
                    .bind(entry.target_kind)
                    .bind(&entry.target_id)
                    .bind(entry.article_id.map(|id| id.0))
                    .bind(&entry.reason)
                    .bind(&entry.before)
                    .bind(&entry.after)
                    .execute(&mut *conn)
                    .await
                    .db()?;
                Ok(())
            }

            const KEY_COLUMNS: &str = "id, name, created_by, created_at, revoked_at";

            #[$crate::async_trait::async_trait]
            impl PerspectiveStore for $store {
                async fn create_api_key(&self, key: &NewApiKey, audit: &NewAuditEntry) -> Result<ApiKey, DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    let created: ApiKey = sqlx::query_as::<_, $crate::ApiKeyRow>(&format!(
                        "INSERT INTO api_keys (name, key_hash, created_by, created_at) \
                         VALUES ($1, $2, $3, $4) RETURNING {KEY_COLUMNS}"
                    ))
                    .bind(&key.name)
                    .bind(&key.key_hash)
                    .bind(&key.created_by)
                    .bind(key.created_at.0)
                    .fetch_one(&mut *tx)
                    .await
                    .db()?
                    .model()?;
                    let mut audit = audit.clone();
                    audit.target_id = created.id.to_string();
                    append_audit(&mut tx, &audit).await?;
                    tx.commit().await.db()?;
                    Ok(created)
                }

                async fn api_keys(&self) -> Result<Vec<ApiKey>, DbError> {
                    sqlx::query_as::<_, $crate::ApiKeyRow>(&format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY id"))
                        .fetch_all(&self.$reader)
                        .await
                        .db()?
                        .model()
                }

                async fn active_api_key(&self, key_hash: &str) -> Result<Option<ApiKey>, DbError> {
                    let row = sqlx::query_as::<_, $crate::ApiKeyRow>(&format!(
                        "SELECT {KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL"
                    ))
                    .bind(key_hash)
                    .fetch_optional(&self.$reader)
                    .await
                    .db()?;
                    row.map(IntoModel::model).transpose()
                }

                async fn revoke_api_key(&self, id: i64, at: Timestamp, audit: &NewAuditEntry) -> Result<(), DbError> {
                    let mut tx = self.$writer.begin().await.db()?;
                    let done = sqlx::query("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
                        .bind(at.0)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .db()?;
                    DbError::found(done.rows_affected())?;
                    append_audit(&mut tx, audit).await?;
                    tx.commit().await.db()
                }

                async fn add_example(&self, example: &LabelledExample) -> Result<i64, DbError> {
                    sqlx::query_scalar(
                        "INSERT INTO labelled_examples (text, labels, source, created_at, comment_id) \
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(&example.text)
                    .bind($crate::perspective_store::labels_json(&example.labels))
                    .bind(example.source.as_str())
                    .bind(example.created_at.0)
                    .bind(example.comment_id.map(|id| id.0))
                    .fetch_one(&self.$writer)
                    .await
                    .db()
                }

                async fn examples(&self, after: i64, limit: u32) -> Result<Vec<(i64, LabelledExample)>, DbError> {
                    sqlx::query_as::<_, $crate::ExampleRow>(
                        "SELECT e.id, e.labels, e.source, e.created_at, e.comment_id, \
                         CASE WHEN e.comment_id IS NULL THEN e.text \
                              WHEN c.status IN ('deleted', 'removed') THEN NULL \
                              ELSE c.body_markdown END AS text \
                         FROM labelled_examples e LEFT JOIN comments c ON c.id = e.comment_id \
                         WHERE e.id > $1 ORDER BY e.id LIMIT $2",
                    )
                    .bind(after)
                    .bind(i64::from(limit))
                    .fetch_all(&self.$reader)
                    .await
                    .db()?
                    .model()
                }
            }
        };
    };
}
