-- Identity: how scored and manual links were made, what is left for review, and the user's
-- decisions, which outlive any re-ingest because they name source references, not row ids.

-- A merge now says how it was decided and which references the dropped entity carried, so a
-- person page can say why each source record is on it.
ALTER TABLE entity_merge ADD COLUMN method TEXT NOT NULL DEFAULT 'shared_id';
ALTER TABLE entity_merge ADD COLUMN score REAL;
ALTER TABLE entity_merge ADD COLUMN dropped_refs TEXT NOT NULL DEFAULT '';

-- "Possible same person": a near match without enough evidence, kept for review, never merged.
CREATE TABLE identity_candidate (
    entity_kind TEXT NOT NULL,
    a BIGINT NOT NULL,
    b BIGINT NOT NULL,
    score REAL NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (entity_kind, a, b)
);
CREATE INDEX identity_candidate_b ON identity_candidate (entity_kind, b);

-- Manual decisions: 'merge' (these two references are one) or 'split' (never one).
CREATE TABLE identity_override (
    id {ID},
    entity_kind TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    ref_a TEXT NOT NULL,
    ref_b TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX identity_override_a ON identity_override (entity_kind, ref_a);
CREATE INDEX identity_override_b ON identity_override (entity_kind, ref_b);

-- Blocking keys: entities whose names share a key are compared; others never are.
CREATE TABLE identity_key (
    entity_kind TEXT NOT NULL,
    key TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    PRIMARY KEY (entity_kind, key, entity_id)
);
CREATE INDEX identity_key_entity ON identity_key (entity_kind, entity_id, key);

-- How far the resolver has looked: rows above these marks are new since the last resolve.
CREATE TABLE identity_mark (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

-- Which source reference each credit row names its artist by, so a split can move it back.
ALTER TABLE credit_source ADD COLUMN artist_ref TEXT NOT NULL DEFAULT '';

-- Merges move an entity's name tokens: find them by entity, not by scanning every token.
CREATE INDEX name_token_entity ON name_token (entity_kind, entity_id);
