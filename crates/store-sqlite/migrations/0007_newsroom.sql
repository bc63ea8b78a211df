-- Full-text search over articles: an FTS5 index kept in step with the
-- articles table by triggers (the PostgreSQL set uses a tsvector column
-- instead; both answer ArticleStore::search_articles). Comments found by
-- time for "most discussed".
CREATE VIRTUAL TABLE article_search USING fts5(
    headline, standfirst, body_markdown,
    content = 'articles', content_rowid = 'id', tokenize = 'porter unicode61'
);
INSERT INTO article_search (article_search) VALUES ('rebuild');

CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search (rowid, headline, standfirst, body_markdown)
    VALUES (new.id, new.headline, new.standfirst, new.body_markdown);
END;
CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, headline, standfirst, body_markdown)
    VALUES ('delete', old.id, old.headline, old.standfirst, old.body_markdown);
END;
CREATE TRIGGER article_search_update AFTER UPDATE OF headline, standfirst, body_markdown ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, headline, standfirst, body_markdown)
    VALUES ('delete', old.id, old.headline, old.standfirst, old.body_markdown);
    INSERT INTO article_search (rowid, headline, standfirst, body_markdown)
    VALUES (new.id, new.headline, new.standfirst, new.body_markdown);
END;

CREATE INDEX comments_published_recently ON comments (status, created_at);

-- Tags: the names as written, one per line, on the article; and one row per
-- tag's slug, for tag pages.
ALTER TABLE articles ADD COLUMN tags TEXT NOT NULL DEFAULT '';
CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_slug   TEXT   NOT NULL,
    PRIMARY KEY (tag_slug, article_id)
);
