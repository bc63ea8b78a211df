-- Articles and their threaded comments. Times are milliseconds since the Unix
-- epoch. A comment's path is its ancestors' ids and its own, zero-padded and
-- joined by '/', so ordering by path gives a thread in display order.
CREATE TABLE articles (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    slug          TEXT    NOT NULL,
    headline      TEXT    NOT NULL,
    standfirst    TEXT    NOT NULL DEFAULT '',
    byline        TEXT    NOT NULL,
    section       TEXT    NOT NULL,
    section_slug  TEXT    NOT NULL,
    body_markdown TEXT    NOT NULL,
    body_html     TEXT    NOT NULL,
    published_at  BIGINT,
    comments_open BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT  NOT NULL,
    CONSTRAINT articles_slug UNIQUE (slug)
);
CREATE INDEX articles_published ON articles (published_at);

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id     BIGINT  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id      BIGINT  REFERENCES comments (id),
    root_id        BIGINT  NOT NULL DEFAULT 0,
    depth          INTEGER NOT NULL,
    path           TEXT    NOT NULL DEFAULT '',
    author_name    TEXT    NOT NULL,
    author_email   TEXT    NOT NULL,
    author_website TEXT,
    body_markdown  TEXT    NOT NULL,
    body_html      TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX comments_thread ON comments (article_id, status, root_id, path);
CREATE INDEX comments_roots ON comments (article_id, status, parent_id, id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
