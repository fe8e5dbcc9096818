-- The change log's triggers (see 0012_watch.sql), PostgreSQL's spelling: a function per table
-- (PostgreSQL triggers cannot hold statements of their own). Same rows, same moments.
CREATE FUNCTION change_log_credit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed RECORD;
    verb TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
        verb := 'removed';
    ELSE
        changed := NEW;
        verb := 'added';
    END IF;
    INSERT INTO change_log (change, what, artist_id, role, detail, subject_kind, subject_id)
    VALUES (verb, 'credit', changed.artist_id, changed.role, changed.detail, changed.subject_kind,
        changed.subject_id);
    RETURN NULL;
END
$$;

CREATE FUNCTION change_log_handle() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed RECORD;
    verb TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
        verb := 'removed';
    ELSE
        changed := NEW;
        verb := 'added';
    END IF;
    INSERT INTO change_log (change, what, artist_id, role, detail, subject_kind, subject_id)
    VALUES (verb, 'handle', changed.artist_id, changed.platform, changed.handle, 'artist',
        changed.artist_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER change_credit_insert AFTER INSERT ON credit
    FOR EACH ROW EXECUTE FUNCTION change_log_credit();
CREATE TRIGGER change_credit_delete AFTER DELETE ON credit
    FOR EACH ROW EXECUTE FUNCTION change_log_credit();
CREATE TRIGGER change_handle_insert AFTER INSERT ON handle
    FOR EACH ROW EXECUTE FUNCTION change_log_handle();
CREATE TRIGGER change_handle_delete AFTER DELETE ON handle
    FOR EACH ROW EXECUTE FUNCTION change_log_handle();
