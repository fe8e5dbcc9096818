-- Work that several worker processes share (`linernotes queue add`, `linernotes worker`): each
-- item is claimed by one worker at a time (on PostgreSQL with FOR UPDATE SKIP LOCKED, so
-- workers never wait on each other's claims), finished or failed with its error kept.
CREATE TABLE work_item (
    id {ID},
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT NOT NULL DEFAULT '',
    claimed_at TEXT,
    finished_at TEXT,
    error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX work_item_ready ON work_item (queue, state, id);
