-- Entities whose name, aliases or existence changed since the search index last saw them.
-- Triggers fill it from every write path (ingest, both writers, merges, splits, manual edits);
-- the search index drains it (search.sync) after a command writes and before a search reads.
CREATE TABLE search_dirty (
    seq {ID},
    entity_kind TEXT NOT NULL,
    entity_id BIGINT NOT NULL
);

CREATE TRIGGER search_dirty_artist_insert AFTER INSERT ON artist BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('artist', NEW.id);
END;
CREATE TRIGGER search_dirty_artist_update AFTER UPDATE OF name ON artist BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('artist', NEW.id);
END;
CREATE TRIGGER search_dirty_artist_delete AFTER DELETE ON artist BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('artist', OLD.id);
END;
CREATE TRIGGER search_dirty_alias_insert AFTER INSERT ON artist_name BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('artist', NEW.artist_id);
END;
CREATE TRIGGER search_dirty_alias_delete AFTER DELETE ON artist_name BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('artist', OLD.artist_id);
END;
CREATE TRIGGER search_dirty_release_insert AFTER INSERT ON release BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('release', NEW.id);
END;
CREATE TRIGGER search_dirty_release_update AFTER UPDATE OF title ON release BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('release', NEW.id);
END;
CREATE TRIGGER search_dirty_release_delete AFTER DELETE ON release BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('release', OLD.id);
END;
CREATE TRIGGER search_dirty_recording_insert AFTER INSERT ON recording BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('recording', NEW.id);
END;
CREATE TRIGGER search_dirty_recording_update AFTER UPDATE OF title ON recording BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('recording', NEW.id);
END;
CREATE TRIGGER search_dirty_recording_delete AFTER DELETE ON recording BEGIN
    INSERT INTO search_dirty (entity_kind, entity_id) VALUES ('recording', OLD.id);
END;
