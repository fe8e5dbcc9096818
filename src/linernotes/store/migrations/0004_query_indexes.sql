-- Measured on the 1M-people / 10M-credit benchmark catalog: with a role-first index the planner
-- answered "release credits of these songs' albums" by reading every executive-producer credit
-- in the catalog (124 s). No question starts from a role alone, so that index goes; the
-- by-subject index now also carries the artist, so "who is credited on these songs" is answered
-- from the index alone.
DROP INDEX credit_role_subject;
DROP INDEX credit_subject;
-- subject_id leads: it is selective, so even sampled statistics (ANALYZE with analysis_limit)
-- describe it well; led by subject_kind, the samples told the planner 1,000 rows per kind.
CREATE INDEX credit_subject ON credit (subject_id, subject_kind, role, artist_id);

-- Pseudo-songs are a handful; excluding them through this partial index avoids joining every
-- credit to its recording just to read one column.
CREATE INDEX recording_pseudo ON recording (id) WHERE pseudo_reason IS NOT NULL;

-- "Which ids does this entity have": entity_id leads for the same reason as above.
DROP INDEX external_id_entity;
CREATE INDEX external_id_entity ON external_id (entity_id, entity_kind, namespace, value);
