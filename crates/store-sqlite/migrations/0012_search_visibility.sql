-- Search checks up to 2,000 matches per query for being published and not
-- in the future. Read from the articles table, each check loads a page of
-- article text (four or five articles to a page); this index holds only the
-- three columns the check needs, so the same 2,000 checks read a few dozen
-- small pages. SQLite only (PostgreSQL's search reads its own index).
CREATE INDEX articles_visibility ON articles (id, status, published_at);
