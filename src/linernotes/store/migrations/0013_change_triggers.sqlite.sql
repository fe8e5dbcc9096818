-- The change log's triggers (see 0012_watch.sql), SQLite's spelling.
CREATE TRIGGER change_credit_insert AFTER INSERT ON credit BEGIN
    INSERT INTO change_log (change, what, artist_id, role, detail, subject_kind, subject_id)
    VALUES ('added', 'credit', NEW.artist_id, NEW.role, NEW.detail, NEW.subject_kind,
        NEW.subject_id);
END;
CREATE TRIGGER change_credit_delete AFTER DELETE ON credit BEGIN
    INSERT INTO change_log (change, what, artist_id, role, detail, subject_kind, subject_id)
    VALUES ('removed', 'credit', OLD.artist_id, OLD.role, OLD.detail, OLD.subject_kind,
        OLD.subject_id);
END;
CREATE TRIGGER change_handle_insert AFTER INSERT ON handle BEGIN
    INSERT INTO change_log (change, what, artist_id, role, detail, subject_kind, subject_id)
    VALUES ('added', 'handle', NEW.artist_id, NEW.platform, NEW.handle, 'artist', NEW.artist_id);
END;
CREATE TRIGGER change_handle_delete AFTER DELETE ON handle BEGIN
    INSERT INTO change_log (change, what, artist_id, role, detail, subject_kind, subject_id)
    VALUES ('removed', 'handle', OLD.artist_id, OLD.platform, OLD.handle, 'artist', OLD.artist_id);
END;
