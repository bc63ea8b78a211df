-- Full-text search over articles: a weighted tsvector the database keeps up
-- to date, with a GIN index (the SQLite set uses an FTS5 table instead; both
-- answer ArticleStore::search_articles). Comments found by time for
-- "most discussed".
ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', headline), 'A')
    || setweight(to_tsvector('english', standfirst), 'B')
    || setweight(to_tsvector('english', body_markdown), 'C')
) STORED;
CREATE INDEX articles_search ON articles USING GIN (search_vector);

CREATE INDEX comments_published_recently ON comments (status, created_at);

-- Tags: the names as written, one per line, on the article; and one row per
-- tag's slug, for tag pages.
ALTER TABLE articles ADD COLUMN tags TEXT NOT NULL DEFAULT '';
CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_slug   TEXT   NOT NULL,
    PRIMARY KEY (tag_slug, article_id)
);
