-- The moderation desk counts every queue on every page load, up to 10,001
-- comments each. Counting "unmoderated" and "approved" through
-- comments_status (status, id) read each published comment's row to test
-- moderated_at: with 100,000 comments that was tens of milliseconds per
-- page. With moderated_at in the index the counts (and those queues'
-- pages) read the index alone.
CREATE INDEX comments_status_moderated ON comments (status, moderated_at, id);
