-- Live look-ups (issue 9): one row per look-up of the sources while a user waits. Identical
-- requests share one: `key` says what is looked up, and at most one look-up per key is open
-- (queued or running) at a time, whichever server process asked, so a second request for the
-- same thing joins the first instead of asking the sources again. `progress` holds each
-- source's state as JSON; `heartbeat_at` lets another process take over a look-up whose runner
-- died.
CREATE TABLE lookup_job (
    id {ID},
    key TEXT NOT NULL,
    request TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress TEXT NOT NULL DEFAULT '{}',
    result TEXT NOT NULL DEFAULT '{}',
    error TEXT NOT NULL DEFAULT '',
    runner TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    started_at TEXT,
    heartbeat_at TEXT,
    finished_at TEXT
);
CREATE UNIQUE INDEX lookup_job_open ON lookup_job (key) WHERE state IN ('queued', 'running');
CREATE INDEX lookup_job_key ON lookup_job (key, id);
