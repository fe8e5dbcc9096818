-- PostgreSQL's spelling of 0017_person_digest_cells.sqlite.sql.
ALTER TABLE person_digest ADD COLUMN cells TEXT NOT NULL DEFAULT '[]';
-- Digests made before hold no cells: each is counted again before it is read.
UPDATE person_digest SET version = version + 1, stale = 1;

-- Now every credit counts: on a song, for everyone on it (collaborators); on an album, for the
-- person credited (their credits by role and year).
CREATE OR REPLACE FUNCTION digest_stale_credits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM person_digest) THEN
        RETURN NULL;
    END IF;
    UPDATE person_digest d SET version = d.version + 1, stale = 1
    FROM (
        SELECT c.artist_id FROM changed x
        JOIN credit c ON c.subject_id = x.subject_id AND c.subject_kind = 'recording'
        WHERE x.subject_kind = 'recording'
        UNION SELECT x.artist_id FROM changed x
    ) touched
    WHERE d.artist_id = touched.artist_id;
    RETURN NULL;
END
$$;

-- TG_ARGV[0]: the subject kind of the table whose date changed.
CREATE FUNCTION digest_stale_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.date IS DISTINCT FROM NEW.date THEN
        UPDATE person_digest SET version = version + 1, stale = 1 WHERE artist_id IN (
            SELECT artist_id FROM credit
            WHERE subject_id = NEW.id AND subject_kind = TG_ARGV[0]);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER digest_recording_date AFTER UPDATE OF date ON recording
    FOR EACH ROW EXECUTE FUNCTION digest_stale_date('recording');
CREATE TRIGGER digest_release_date AFTER UPDATE OF date ON release
    FOR EACH ROW EXECUTE FUNCTION digest_stale_date('release');
