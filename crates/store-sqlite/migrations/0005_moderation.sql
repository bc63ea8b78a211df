-- Moderation: why each comment was held or rejected and by whom, reader
-- reports, moderators' edits, restrictions on authors, moderator notes, the
-- append-only audit log, per-article discussion settings, and the webhook
-- outbox. The PostgreSQL migration of the same number has the same tables
-- and columns.

-- Who wrote it, for history and restrictions: 'user:ID' or 'email:ADDRESS'.
ALTER TABLE comments ADD COLUMN author_key TEXT NOT NULL DEFAULT '';
-- SimHash of the folded text, to find repeats without re-reading texts.
ALTER TABLE comments ADD COLUMN fingerprint BIGINT;
-- JSON list of the reasons it was held or rejected.
ALTER TABLE comments ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE comments ADD COLUMN reject_reason TEXT;
ALTER TABLE comments ADD COLUMN reject_note TEXT NOT NULL DEFAULT '';
-- The last moderator decision; NULL: never reviewed.
ALTER TABLE comments ADD COLUMN moderated_at BIGINT;
ALTER TABLE comments ADD COLUMN moderated_by BIGINT;
ALTER TABLE comments ADD COLUMN moderator_name TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN featured BOOLEAN NOT NULL DEFAULT FALSE;
-- Reports not yet reviewed.
ALTER TABLE comments ADD COLUMN open_reports INTEGER NOT NULL DEFAULT 0;
-- Bumped by every moderation change: two moderators acting on one comment
-- cannot both apply a change to the same version.
ALTER TABLE comments ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- SHA-256 of a guest's browser token: they see their own held comments.
ALTER TABLE comments ADD COLUMN author_token TEXT;
-- The author asked to be told by e-mail when a held comment is reviewed.
ALTER TABLE comments ADD COLUMN notify_author BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE comments ADD COLUMN edited_at BIGINT;

UPDATE comments SET author_key = CASE WHEN user_id IS NOT NULL THEN 'user:' || user_id
                                      ELSE 'email:' || lower(author_email) END;

CREATE INDEX comments_author ON comments (author_key, id);
CREATE INDEX comments_status ON comments (status, id);
CREATE INDEX comments_article_status ON comments (article_id, status, id);
CREATE INDEX comments_reported ON comments (id) WHERE open_reports > 0;
CREATE INDEX comments_unmoderated ON comments (id) WHERE status = 'published' AND moderated_at IS NULL;
CREATE INDEX comments_approved ON comments (id) WHERE status = 'published' AND moderated_at IS NOT NULL;
CREATE INDEX comments_featured ON comments (article_id) WHERE featured;
CREATE INDEX comments_own_pending ON comments (article_id, author_token) WHERE status = 'pending';

-- An article's discussion settings (JSON): closed message, automatic
-- closing, pre-moderation and other overrides, guidelines.
ALTER TABLE articles ADD COLUMN discussion TEXT NOT NULL DEFAULT '{}';

CREATE TABLE comment_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id  BIGINT  NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    -- 'user:ID' or 'guest:TOKEN-HASH': one report per reader and comment.
    reporter    TEXT    NOT NULL,
    user_id     BIGINT,
    reason      TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    resolved_at BIGINT,
    CONSTRAINT comment_reports_once UNIQUE (comment_id, reporter)
);

CREATE TABLE comment_edits (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id    BIGINT  NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    edited_at     BIGINT  NOT NULL,
    editor_id     BIGINT,
    editor_name   TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    body_before   TEXT    NOT NULL,
    body_after    TEXT    NOT NULL
);
CREATE INDEX comment_edits_comment ON comment_edits (comment_id, id);

-- Appended to, never changed: nothing in the product updates or deletes it.
CREATE TABLE moderation_audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           BIGINT  NOT NULL,
    actor_id     BIGINT,
    actor_name   TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    target_kind  TEXT    NOT NULL,
    target_id    TEXT    NOT NULL DEFAULT '',
    article_id   BIGINT,
    reason       TEXT    NOT NULL DEFAULT '',
    before_state TEXT,
    after_state  TEXT
);
CREATE INDEX moderation_audit_actor ON moderation_audit (actor_id, id);
CREATE INDEX moderation_audit_action ON moderation_audit (action, id);
CREATE INDEX moderation_audit_article ON moderation_audit (article_id, id);

-- What moderators decided about an author ('user:ID' or 'email:ADDRESS').
CREATE TABLE author_restrictions (
    author_key         TEXT    PRIMARY KEY,
    banned             BOOLEAN NOT NULL DEFAULT FALSE,
    suspended_until    BIGINT,
    -- Shown to the author while banned or suspended.
    message            TEXT    NOT NULL DEFAULT '',
    -- A warning the author must acknowledge before commenting again.
    warning            TEXT,
    always_premoderate BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at         BIGINT  NOT NULL
);

CREATE TABLE moderator_notes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    author_key     TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    moderator_id   BIGINT,
    moderator_name TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX moderator_notes_author ON moderator_notes (author_key, id);

CREATE TABLE webhook_endpoints (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    url        TEXT    NOT NULL,
    -- Space-separated event names it receives.
    events     TEXT    NOT NULL,
    -- Sent with each delivery so receivers know which secret signed it.
    secret_id  TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT  NOT NULL
);

-- The outbox: queued in the same transaction as what it reports, so a
-- restart or a receiver outage loses nothing.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id     BIGINT  NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event           TEXT    NOT NULL,
    comment_id      BIGINT,
    created_at      BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    locked_until    BIGINT,
    delivered_at    BIGINT,
    last_status     INTEGER,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
