-- Corrections and author profiles: the same tables and columns as the
-- PostgreSQL migration of the same number. Times are milliseconds since the
-- Unix epoch.

-- A correction is a dated note appended to a published article; it is
-- never edited, so the record of what was corrected stays honest.
CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    note       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    created_by BIGINT  REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX corrections_by_article ON corrections (article_id, id);
CREATE INDEX corrections_newest ON corrections (created_at, id);

-- Who writes: a public profile, optionally tied to the account that may edit its bio.
CREATE TABLE author_profiles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slug       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    bio        TEXT    NOT NULL DEFAULT '',
    photo_url  TEXT    NOT NULL DEFAULT '',
    user_id    BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL,
    CONSTRAINT author_profiles_slug UNIQUE (slug),
    CONSTRAINT author_profiles_user UNIQUE (user_id)
);

-- An article's bylines, in the order they are shown.
CREATE TABLE article_bylines (
    article_id BIGINT  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  BIGINT  NOT NULL REFERENCES author_profiles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, position),
    CONSTRAINT article_bylines_once UNIQUE (article_id, author_id)
);
CREATE INDEX article_bylines_by_author ON article_bylines (author_id, article_id);
