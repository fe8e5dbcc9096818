-- Top collaborators of the most credited people, counted ahead (store/digest.py). Counting who
-- shares songs with someone reads every credit on every one of their songs, ~100,000 index rows
-- for a person with 14,000 credits. A digest is never read stale: the triggers below bump its
-- version and mark it stale in the transaction that adds or removes a credit on any of the
-- person's songs, or makes a song a pseudo-song (or not). Whoever makes a digest writes it only
-- if its version is still the one it read before counting, so a change made while it counted
-- leaves it stale.
CREATE TABLE person_digest (
    artist_id INTEGER PRIMARY KEY,  -- the artist's id (SQLite: the rowid, for direct look-ups)
    version INTEGER NOT NULL DEFAULT 0,
    stale INTEGER NOT NULL DEFAULT 1,
    counts TEXT NOT NULL DEFAULT '[]',  -- JSON [[collaborator id, shared songs], ...]
    made_at TEXT
);
CREATE INDEX person_digest_stale ON person_digest (artist_id) WHERE stale = 1;

-- Each trigger first asks whether any digest exists: a catalog without one (every catalog until
-- a heavy person is asked for) pays one look-up per credit written, no more.
CREATE TRIGGER digest_credit_insert AFTER INSERT ON credit
WHEN NEW.subject_kind = 'recording' AND EXISTS (SELECT 1 FROM person_digest)
BEGIN
    UPDATE person_digest SET version = version + 1, stale = 1 WHERE artist_id IN (
        SELECT artist_id FROM credit
        WHERE subject_id = NEW.subject_id AND subject_kind = 'recording');
END;

CREATE TRIGGER digest_credit_delete AFTER DELETE ON credit
WHEN OLD.subject_kind = 'recording' AND EXISTS (SELECT 1 FROM person_digest)
BEGIN
    UPDATE person_digest SET version = version + 1, stale = 1 WHERE artist_id IN (
        SELECT artist_id FROM credit
        WHERE subject_id = OLD.subject_id AND subject_kind = 'recording'
        UNION SELECT OLD.artist_id);
END;

CREATE TRIGGER digest_pseudo_update AFTER UPDATE OF pseudo_reason ON recording
WHEN (OLD.pseudo_reason IS NULL) <> (NEW.pseudo_reason IS NULL)
    AND EXISTS (SELECT 1 FROM person_digest)
BEGIN
    UPDATE person_digest SET version = version + 1, stale = 1 WHERE artist_id IN (
        SELECT artist_id FROM credit WHERE subject_id = NEW.id AND subject_kind = 'recording');
END;

CREATE TRIGGER digest_artist_delete AFTER DELETE ON artist
BEGIN
    DELETE FROM person_digest WHERE artist_id = OLD.id;
END;
