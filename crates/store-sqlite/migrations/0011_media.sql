-- Uploaded images and articles' featured images. The PostgreSQL migration of
-- the same number has the same tables and columns.

-- One row per upload: the original's facts (its bytes are not kept: only
-- re-encoded variants are, so nothing hidden in the file survives) and its
-- variants as a JSON list of {width, height, path, content_type, bytes}.
CREATE TABLE media_images (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    key          TEXT    NOT NULL CONSTRAINT media_images_key UNIQUE,
    content_type TEXT    NOT NULL,
    byte_size    BIGINT  NOT NULL,
    width        BIGINT  NOT NULL,
    height       BIGINT  NOT NULL,
    alt          TEXT    NOT NULL,
    caption      TEXT    NOT NULL,
    credit       TEXT    NOT NULL,
    variants     TEXT    NOT NULL,
    uploaded_by  BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT  NOT NULL
);

-- The image at the top of an article, with this article's own alt text,
-- caption and credit.
CREATE TABLE article_featured_images (
    article_id BIGINT NOT NULL PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    image_id   BIGINT NOT NULL REFERENCES media_images (id),
    alt        TEXT   NOT NULL,
    caption    TEXT   NOT NULL,
    credit     TEXT   NOT NULL
);
