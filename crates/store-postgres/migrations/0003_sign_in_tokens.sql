-- Single-use sign-in links (the first admin's, and later e-mailed ones).
-- Only a SHA-256 of each token is stored; using a link deletes it.
CREATE TABLE sign_in_tokens (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
