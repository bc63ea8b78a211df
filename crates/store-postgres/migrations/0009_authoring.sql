-- The newsroom's writing workflow. An article has a state (draft, submitted,
-- scheduled, published, unpublished); readers see only 'published' ones.
-- `revision` is the number of the newest row in article_revisions: every save
-- adds one, and a save names the revision it started from.
ALTER TABLE articles ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE articles ADD COLUMN updated_at BIGINT;
ALTER TABLE articles ADD COLUMN author_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

-- Existing rows get the state their publication time implies.
UPDATE articles SET status = CASE
    WHEN published_at IS NULL THEN 'draft'
    WHEN published_at > (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT THEN 'scheduled'
    ELSE 'published' END;

-- What the scheduler looks for, and each state's list in the newsroom.
CREATE INDEX articles_status_due ON articles (status, published_at);
CREATE INDEX articles_author ON articles (author_id, status);

CREATE TABLE article_revisions (
    article_id    BIGINT  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    author_id     BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    author_name   TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    slug          TEXT    NOT NULL,
    headline      TEXT    NOT NULL,
    standfirst    TEXT    NOT NULL,
    byline        TEXT    NOT NULL,
    section       TEXT    NOT NULL,
    tags          TEXT    NOT NULL,
    body_markdown TEXT    NOT NULL,
    PRIMARY KEY (article_id, number)
);

-- Every existing article's text becomes its first revision.
INSERT INTO article_revisions (article_id, number, author_id, author_name, created_at, slug, headline,
    standfirst, byline, section, tags, body_markdown)
SELECT id, 1, NULL, byline, created_at, slug, headline, standfirst, byline, section, tags, body_markdown
FROM articles;
UPDATE articles SET revision = 1;

-- A published article's former slugs, each answering 301 to the article.
CREATE TABLE article_slug_redirects (
    old_slug   TEXT   NOT NULL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);

-- One row per publication of a scheduled article by the scheduler: the
-- claim that moved it, so a publication is recorded (and announced) once.
CREATE TABLE article_publications (
    article_id   BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    published_at BIGINT NOT NULL,
    claimed_at   BIGINT NOT NULL
);
CREATE INDEX article_publications_article ON article_publications (article_id);

-- Who has the editor open: a warning for the next one to open it.
CREATE TABLE article_editor_presence (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_name  TEXT   NOT NULL,
    seen_at    BIGINT NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
