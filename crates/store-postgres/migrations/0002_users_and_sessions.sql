-- Accounts and their server-side sessions: the same tables and columns as the
-- SQLite migration of the same number. Only a SHA-256 of each session
-- token is stored, so a copy of the database cannot sign anyone in.
CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    email          TEXT    NOT NULL,
    display_name   TEXT    NOT NULL,
    password_hash  TEXT,
    role           TEXT    NOT NULL,
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT  NOT NULL,
    CONSTRAINT users_email UNIQUE (email)
);

CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

ALTER TABLE comments ADD COLUMN user_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
