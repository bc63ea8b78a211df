use crate::PgStore;
use async_trait::async_trait;
use tribune_domain::account::Role;
use tribune_domain::{Timestamp, UserId};
use tribune_store::{DbError, DeletedComments, NewSession, NewUser, SessionStore, User, UserQuery, UserStore};
use tribune_store_sql::{statements, IntoModel, SqlResult, UserRow};

#[async_trait]
impl UserStore for PgStore {
    async fn create_user(&self, user: &NewUser) -> Result<User, DbError> {
        sqlx::query_as::<_, UserRow>(
            "INSERT INTO users (email, display_name, password_hash, role, email_verified, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
        )
        .bind(&user.email)
        .bind(&user.display_name)
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(user.email_verified)
        .bind(user.created_at.0)
        .fetch_one(&self.pool)
        .await
        .db()?
        .model()
    }

    async fn user(&self, id: UserId) -> Result<User, DbError> {
        sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .db()?
            .model()
    }

    async fn user_by_email(&self, email: &str) -> Result<User, DbError> {
        sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await
            .db()?
            .model()
    }

    async fn set_role(&self, id: UserId, role: Role) -> Result<(), DbError> {
        DbError::found(
            sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                .bind(role.as_str())
                .bind(id.0)
                .execute(&self.pool)
                .await
                .db()?
                .rows_affected(),
        )
    }

    async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<(), DbError> {
        DbError::found(
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(id.0)
                .execute(&self.pool)
                .await
                .db()?
                .rows_affected(),
        )
    }

    async fn set_display_name(&self, id: UserId, name: &str) -> Result<(), DbError> {
        DbError::found(
            sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
                .bind(name)
                .bind(id.0)
                .execute(&self.pool)
                .await
                .db()?
                .rows_affected(),
        )
    }

    async fn set_email(&self, id: UserId, email: &str) -> Result<(), DbError> {
        DbError::found(
            sqlx::query("UPDATE users SET email = $1, email_verified = FALSE WHERE id = $2")
                .bind(email)
                .bind(id.0)
                .execute(&self.pool)
                .await
                .db()?
                .rows_affected(),
        )
    }

    async fn delete_user(&self, id: UserId, comments: DeletedComments) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await.db()?;
        sqlx::query(statements::delete_account_comments(comments)).bind(id.0).execute(&mut *tx).await.db()?;
        DbError::found(
            sqlx::query("DELETE FROM users WHERE id = $1").bind(id.0).execute(&mut *tx).await.db()?.rows_affected(),
        )?;
        tx.commit().await.db()?;
        Ok(())
    }

    async fn set_email_verified(&self, id: UserId) -> Result<(), DbError> {
        DbError::found(
            sqlx::query("UPDATE users SET email_verified = TRUE WHERE id = $1")
                .bind(id.0)
                .execute(&self.pool)
                .await
                .db()?
                .rows_affected(),
        )
    }

    async fn count_users(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await.db()?)
    }

    async fn list_users(&self, query: &UserQuery) -> Result<Vec<User>, DbError> {
        sqlx::query_as::<_, UserRow>(
            "SELECT * FROM users WHERE id < $1 \
             AND (lower(email) LIKE $2 ESCAPE '\\' OR lower(display_name) LIKE $2 ESCAPE '\\') \
             ORDER BY id DESC LIMIT $3",
        )
        .bind(query.before.map_or(i64::MAX, |id| id.0))
        .bind(query.like_pattern())
        .bind(i64::from(query.limit))
        .fetch_all(&self.pool)
        .await
        .db()?
        .model()
    }

    async fn staff(&self) -> Result<Vec<User>, DbError> {
        sqlx::query_as::<_, UserRow>(
            "SELECT * FROM users WHERE role IN ('moderator', 'editor', 'admin') AND NOT suspended ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .db()?
        .model()
    }

    async fn set_suspended(&self, id: UserId, suspended: bool) -> Result<(), DbError> {
        DbError::found(
            sqlx::query("UPDATE users SET suspended = $1 WHERE id = $2")
                .bind(suspended)
                .bind(id.0)
                .execute(&self.pool)
                .await
                .db()?
                .rows_affected(),
        )
    }

    async fn user_by_identity(&self, provider: &str, subject: &str) -> Result<User, DbError> {
        sqlx::query_as::<_, UserRow>(
            "SELECT users.* FROM user_identities JOIN users ON users.id = user_identities.user_id \
             WHERE user_identities.provider = $1 AND user_identities.subject = $2",
        )
        .bind(provider)
        .bind(subject)
        .fetch_one(&self.pool)
        .await
        .db()?
        .model()
    }

    async fn link_identity(&self, provider: &str, subject: &str, user: UserId, now: Timestamp) -> Result<(), DbError> {
        sqlx::query("INSERT INTO user_identities (provider, subject, user_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(provider)
            .bind(subject)
            .bind(user.0)
            .bind(now.0)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(())
    }
}

#[async_trait]
impl SessionStore for PgStore {
    async fn create_session(&self, session: &NewSession) -> Result<(), DbError> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&session.token_hash)
            .bind(session.user_id.0)
            .bind(session.created_at.0)
            .bind(session.expires_at.0)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>, DbError> {
        sqlx::query_as::<_, UserRow>(
            "SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id \
             WHERE sessions.token_hash = $1 AND sessions.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now.0)
        .fetch_optional(&self.pool)
        .await
        .db()?
        .model()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await.db()?;
        Ok(())
    }

    async fn delete_user_sessions(&self, user: UserId) -> Result<u64, DbError> {
        let done =
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&self.pool).await.db()?;
        Ok(done.rows_affected())
    }

    async fn create_sign_in_token(&self, token_hash: &str, user: UserId, expires_at: Timestamp) -> Result<(), DbError> {
        sqlx::query("INSERT INTO sign_in_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user.0)
            .bind(expires_at.0)
            .execute(&self.pool)
            .await
            .db()?;
        Ok(())
    }

    async fn take_sign_in_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<UserId>, DbError> {
        // Delete first: of two simultaneous uses, only one gets the row back.
        let taken: Option<(i64, i64)> =
            sqlx::query_as("DELETE FROM sign_in_tokens WHERE token_hash = $1 RETURNING user_id, expires_at")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await
                .db()?;
        Ok(taken.filter(|(_, expires_at)| *expires_at > now.0).map(|(user, _)| UserId(user)))
    }
}
