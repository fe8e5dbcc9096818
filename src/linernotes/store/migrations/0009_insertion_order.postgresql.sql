-- SQLite numbers every row of a table as it is inserted (rowid); the store reads that order on
-- two tables without an id of their own: aliases added since the resolver last looked
-- (artist_name), and merges newest first (entity_merge). PostgreSQL gets the same column.
ALTER TABLE artist_name ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE INDEX artist_name_rowid ON artist_name (rowid);
ALTER TABLE entity_merge ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE INDEX entity_merge_rowid ON entity_merge (rowid);
