-- A person's credits by role and year join the digest (store/digest.py): each cell's count and
-- latest works. Beyond 0016's moments, a digest is made stale when the person gains or loses an
-- album credit, or a song or album they are credited on changes its date (its year).
ALTER TABLE person_digest ADD COLUMN cells TEXT NOT NULL DEFAULT '[]';
-- Digests made before hold no cells: each is counted again before it is read.
UPDATE person_digest SET version = version + 1, stale = 1;

CREATE TRIGGER digest_release_credit_insert AFTER INSERT ON credit
WHEN NEW.subject_kind = 'release' AND EXISTS (SELECT 1 FROM person_digest)
BEGIN
    UPDATE person_digest SET version = version + 1, stale = 1 WHERE artist_id = NEW.artist_id;
END;

CREATE TRIGGER digest_release_credit_delete AFTER DELETE ON credit
WHEN OLD.subject_kind = 'release' AND EXISTS (SELECT 1 FROM person_digest)
BEGIN
    UPDATE person_digest SET version = version + 1, stale = 1 WHERE artist_id = OLD.artist_id;
END;

CREATE TRIGGER digest_recording_date AFTER UPDATE OF date ON recording
WHEN OLD.date IS NOT NEW.date AND EXISTS (SELECT 1 FROM person_digest)
BEGIN
    UPDATE person_digest SET version = version + 1, stale = 1 WHERE artist_id IN (
        SELECT artist_id FROM credit WHERE subject_id = NEW.id AND subject_kind = 'recording');
END;

CREATE TRIGGER digest_release_date AFTER UPDATE OF date ON release
WHEN OLD.date IS NOT NEW.date AND EXISTS (SELECT 1 FROM person_digest)
BEGIN
    UPDATE person_digest SET version = version + 1, stale = 1 WHERE artist_id IN (
        SELECT artist_id FROM credit WHERE subject_id = NEW.id AND subject_kind = 'release');
END;
