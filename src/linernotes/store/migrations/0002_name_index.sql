-- Words of every name and title, for look-ups by a few letters of any word ("blanco", "metro bo").
-- The search issue replaces this with a measured engine; until then it serves the CLI.
CREATE TABLE name_token (
    token TEXT NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (token, entity_kind, entity_id)
);
