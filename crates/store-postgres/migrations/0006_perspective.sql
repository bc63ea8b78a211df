-- The Perspective-compatible endpoint: API keys and labelled examples kept
-- for retraining the scorer. The SQLite migration of the same number has
-- the same tables.

-- Only a SHA-256 hash of each key is kept; the key itself is shown once.
CREATE TABLE api_keys (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT    NOT NULL,
    key_hash   TEXT    NOT NULL UNIQUE,
    created_by TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    revoked_at BIGINT
);

-- What a client (comments:suggestscore) or a moderator said a comment is.
-- text is NULL when the client asked that nothing of it be stored. A
-- moderator's decision names its comment instead of copying the text, so
-- that erasing the comment (or its account) erases the example's text too.
CREATE TABLE labelled_examples (
    id         BIGSERIAL PRIMARY KEY,
    text       TEXT,
    comment_id BIGINT  REFERENCES comments (id) ON DELETE CASCADE,
    -- JSON object: attribute name -> score between 0 and 1.
    labels     TEXT    NOT NULL,
    source     TEXT    NOT NULL CHECK (source IN ('suggestscore', 'moderator')),
    created_at BIGINT  NOT NULL
);
