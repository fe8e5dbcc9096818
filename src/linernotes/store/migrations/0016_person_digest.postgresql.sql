-- PostgreSQL's spelling of 0016_person_digest.sqlite.sql: the same table and the same moments.
-- Credit triggers run once a statement over the rows it wrote (transition tables), so a bulk
-- COPY of a million credits asks once, not a million times.
CREATE TABLE person_digest (
    artist_id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL DEFAULT 0,
    stale INTEGER NOT NULL DEFAULT 1,
    counts TEXT NOT NULL DEFAULT '[]',
    made_at TEXT
);
CREATE INDEX person_digest_stale ON person_digest (artist_id) WHERE stale = 1;

-- The people on these songs (and those who lost a credit on them) have stale digests.
CREATE FUNCTION digest_stale_credits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM person_digest) THEN
        RETURN NULL;
    END IF;
    UPDATE person_digest d SET version = d.version + 1, stale = 1
    FROM (
        SELECT c.artist_id FROM changed x
        JOIN credit c ON c.subject_id = x.subject_id AND c.subject_kind = 'recording'
        WHERE x.subject_kind = 'recording'
        UNION SELECT x.artist_id FROM changed x WHERE x.subject_kind = 'recording'
    ) touched
    WHERE d.artist_id = touched.artist_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER digest_credit_insert AFTER INSERT ON credit
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION digest_stale_credits();
CREATE TRIGGER digest_credit_delete AFTER DELETE ON credit
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION digest_stale_credits();

CREATE FUNCTION digest_stale_pseudo() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.pseudo_reason IS NULL) <> (NEW.pseudo_reason IS NULL) THEN
        UPDATE person_digest SET version = version + 1, stale = 1 WHERE artist_id IN (
            SELECT artist_id FROM credit
            WHERE subject_id = NEW.id AND subject_kind = 'recording');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER digest_pseudo_update AFTER UPDATE OF pseudo_reason ON recording
    FOR EACH ROW EXECUTE FUNCTION digest_stale_pseudo();

CREATE FUNCTION digest_artist_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM person_digest WHERE artist_id = OLD.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER digest_artist_delete AFTER DELETE ON artist
    FOR EACH ROW EXECUTE FUNCTION digest_artist_gone();
