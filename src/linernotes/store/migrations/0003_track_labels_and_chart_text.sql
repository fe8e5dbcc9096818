-- Tracks keep the source's own position text ("A1", "1-05"): Discogs scopes credits by it.
ALTER TABLE track ADD COLUMN label TEXT;

-- Chart rows are kept even when no recording matches yet (trending needs every row), with the
-- chart's own title and artist text and its movement figures.
CREATE TABLE chart_row (
    chart TEXT NOT NULL,
    date TEXT NOT NULL,
    position INTEGER NOT NULL,
    recording_id BIGINT REFERENCES recording (id),
    title TEXT NOT NULL DEFAULT '',
    artist TEXT NOT NULL DEFAULT '',
    streams BIGINT,
    last_week INTEGER,
    peak_position INTEGER,
    weeks_on_chart INTEGER,
    source TEXT NOT NULL,
    source_record_id TEXT NOT NULL,
    PRIMARY KEY (chart, date, position)
);
INSERT INTO chart_row (chart, date, position, recording_id, streams, source, source_record_id)
    SELECT chart, date, position, recording_id, streams, source, source_record_id FROM chart_entry;
DROP TABLE chart_entry;
ALTER TABLE chart_row RENAME TO chart_entry;
CREATE INDEX chart_entry_recording ON chart_entry (recording_id);
CREATE INDEX chart_entry_record ON chart_entry (source, source_record_id);
