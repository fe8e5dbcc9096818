-- Merges made because hard evidence (a shared external id) showed two entities are one.
CREATE TABLE entity_merge (
    entity_kind TEXT NOT NULL,
    kept BIGINT NOT NULL,
    dropped BIGINT NOT NULL,
    reason TEXT NOT NULL,
    merged_at TEXT NOT NULL
);
CREATE INDEX entity_merge_kept ON entity_merge (entity_kind, kept);
