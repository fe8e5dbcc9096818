-- The catalog: artists, releases, recordings, credits with provenance, facts, handles, charts.
-- Plain SQL that SQLite and PostgreSQL both accept, apart from the id columns (see migrate.py).

CREATE TABLE artist (
    id {ID},
    name TEXT NOT NULL,
    folded TEXT NOT NULL,
    sort_name TEXT,
    kind TEXT NOT NULL DEFAULT 'unknown' CHECK (kind IN ('person', 'group', 'unknown')),
    disambiguation TEXT,
    image_url TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX artist_folded ON artist (folded);

-- Other names: aliases, alternate names, legal names, names as credited.
CREATE TABLE artist_name (
    artist_id BIGINT NOT NULL REFERENCES artist (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    folded TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (artist_id, name, kind, source)
);
CREATE INDEX artist_name_folded ON artist_name (folded);

-- Members of groups and of combined pages ("21 Savage & Metro Boomin"), only where a source says so.
CREATE TABLE artist_member (
    group_id BIGINT NOT NULL REFERENCES artist (id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES artist (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    PRIMARY KEY (group_id, member_id, source)
);
CREATE INDEX artist_member_member ON artist_member (member_id);

CREATE TABLE release (
    id {ID},
    title TEXT NOT NULL,
    folded TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'unknown'
        CHECK (kind IN ('album', 'ep', 'single', 'mixtape', 'compilation', 'unknown')),
    date TEXT,
    pseudo_reason TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX release_folded ON release (folded);

CREATE TABLE recording (
    id {ID},
    title TEXT NOT NULL,
    folded TEXT NOT NULL,
    date TEXT,
    duration_ms INTEGER,
    pseudo_reason TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX recording_folded ON recording (folded);

CREATE TABLE track (
    release_id BIGINT NOT NULL REFERENCES release (id) ON DELETE CASCADE,
    recording_id BIGINT NOT NULL REFERENCES recording (id) ON DELETE CASCADE,
    position INTEGER,
    PRIMARY KEY (release_id, recording_id)
);
CREATE INDEX track_recording ON track (recording_id);

-- (namespace, value) pairs: genius, musicbrainz, discogs, spotify, wikidata, isrc, upc, and
-- source-local keys. `rule` is the evidence for the link (source_id, source_local_key,
-- unique_folded_name).
CREATE TABLE external_id (
    entity_kind TEXT NOT NULL CHECK (entity_kind IN ('artist', 'release', 'recording')),
    namespace TEXT NOT NULL,
    value TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    rule TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (entity_kind, namespace, value)
);
CREATE INDEX external_id_entity ON external_id (entity_kind, entity_id);

-- One credit per (person, role, detail, subject, tracks); its sources are in credit_source.
CREATE TABLE credit (
    id {ID},
    artist_id BIGINT NOT NULL REFERENCES artist (id),
    role TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('recording', 'release')),
    subject_id BIGINT NOT NULL,
    tracks TEXT NOT NULL DEFAULT '',
    UNIQUE (artist_id, role, detail, subject_kind, subject_id, tracks)
);
CREATE INDEX credit_subject ON credit (subject_kind, subject_id, role);
CREATE INDEX credit_role_subject ON credit (role, subject_kind, subject_id);

CREATE TABLE credit_source (
    credit_id BIGINT NOT NULL REFERENCES credit (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    source_record_id TEXT NOT NULL,
    raw_role TEXT NOT NULL,
    credited_name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    retrieved_at TEXT NOT NULL,
    PRIMARY KEY (credit_id, source, source_record_id, raw_role)
);
CREATE INDEX credit_source_record ON credit_source (source, source_record_id);

-- Facts about a record that name companies or places: labels, premieres, publishers.
CREATE TABLE fact (
    id {ID},
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('recording', 'release')),
    subject_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    folded TEXT NOT NULL,
    UNIQUE (subject_kind, subject_id, kind, folded)
);

CREATE TABLE fact_source (
    fact_id BIGINT NOT NULL REFERENCES fact (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    source_record_id TEXT NOT NULL,
    raw TEXT NOT NULL,
    org_namespace TEXT,
    org_value TEXT,
    retrieved_at TEXT NOT NULL,
    PRIMARY KEY (fact_id, source, source_record_id)
);
CREATE INDEX fact_source_record ON fact_source (source, source_record_id);

CREATE TABLE handle (
    id {ID},
    artist_id BIGINT NOT NULL REFERENCES artist (id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    handle TEXT NOT NULL,
    UNIQUE (artist_id, platform, handle)
);
CREATE INDEX handle_lookup ON handle (platform, handle);

CREATE TABLE handle_evidence (
    handle_id BIGINT NOT NULL REFERENCES handle (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    source_record_id TEXT NOT NULL,
    evidence_kind TEXT NOT NULL,
    confidence REAL NOT NULL,
    match_rule TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    quote TEXT NOT NULL DEFAULT '',
    retrieved_at TEXT NOT NULL,
    last_checked TEXT NOT NULL,
    PRIMARY KEY (handle_id, source, source_record_id)
);
CREATE INDEX handle_evidence_record ON handle_evidence (source, source_record_id);

CREATE TABLE chart_entry (
    chart TEXT NOT NULL,
    date TEXT NOT NULL,
    position INTEGER NOT NULL,
    recording_id BIGINT NOT NULL REFERENCES recording (id),
    streams BIGINT,
    source TEXT NOT NULL,
    source_record_id TEXT NOT NULL,
    PRIMARY KEY (chart, date, position)
);
CREATE INDEX chart_entry_recording ON chart_entry (recording_id);
CREATE INDEX chart_entry_record ON chart_entry (source, source_record_id);

-- Ingest bookkeeping: what each source record said last (by hash), where each stream got to,
-- and what was wrong in the input.
CREATE TABLE source_record (
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    retrieved_at TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (source, record_id)
);

CREATE TABLE ingest_checkpoint (
    stream TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    position BIGINT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

CREATE TABLE ingest_problem (
    stream TEXT NOT NULL,
    locator TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (stream, locator, kind, message)
);
