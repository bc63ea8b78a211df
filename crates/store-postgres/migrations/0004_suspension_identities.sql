-- Suspension (the account keeps its data but may not comment), the outside
-- identities an account signs in with (OpenID Connect, site SSO), and an
-- index for listing an account's own comments.
ALTER TABLE users ADD COLUMN suspended BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE user_identities (
    provider   TEXT   NOT NULL,
    subject    TEXT   NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

CREATE INDEX comments_by_user ON comments (user_id, id);
