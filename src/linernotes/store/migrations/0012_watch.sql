-- Follow and get notified (watch/). Changes to credits and handles are logged by triggers in the
-- transaction that makes them, so a change is logged exactly when it happens, whichever writer
-- made it (record by record, the bulk writer, PostgreSQL's COPY). The worker groups logged
-- changes into events (one per subject), matches events to follows, and queues deliveries.

-- One row per credit or handle created or removed. A credit upserted again is no change.
-- Kept lean (no time, no index beyond the id): the triggers add a row per credit a bulk load
-- writes. The worker reads rows past its cursor (watch_cursor) in id order, holding the writers'
-- lock on PostgreSQL so that no writer with smaller ids is still uncommitted.
CREATE TABLE change_log (
    id {ID},
    change TEXT NOT NULL CHECK (change IN ('added', 'removed')),
    what TEXT NOT NULL CHECK (what IN ('credit', 'handle')),
    artist_id BIGINT NOT NULL,
    role TEXT NOT NULL DEFAULT '',  -- a credit's role, or a handle's platform
    detail TEXT NOT NULL DEFAULT '',  -- a credit's detail, or the handle itself
    subject_kind TEXT NOT NULL DEFAULT 'artist',  -- recording or release, or artist for a handle
    subject_id BIGINT NOT NULL  -- for a handle, the artist
);

-- How far a reader of change_log has gone ('events': the last change grouped into events).
CREATE TABLE watch_cursor (
    name TEXT PRIMARY KEY,
    last_id BIGINT NOT NULL
);

-- What a user is told about: the changes to one subject (a song, a release, a person's handles)
-- grouped together. `summary` is the event as JSON (names and titles as they were then).
CREATE TABLE watch_event (
    id {ID},
    kind TEXT NOT NULL CHECK (kind IN ('credits', 'handles')),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('recording', 'release', 'artist')),
    subject_id BIGINT NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX watch_event_subject ON watch_event (subject_kind, subject_id);

-- A user follows an artist (their records' credits), a person (the credits they get, their
-- handles), a release, or the top N of a chart ("trending": target_id 0).
CREATE TABLE follow (
    id {ID},
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('artist', 'person', 'release', 'trending')),
    target_id BIGINT NOT NULL DEFAULT 0,
    chart TEXT NOT NULL DEFAULT '',
    top_n INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (account_id, kind, target_id, chart)
);
CREATE INDEX follow_target ON follow (kind, target_id);

-- How a user is told: instant or a daily digest at an hour (UTC), by email or not; the secret of
-- their Atom feed's address (kept in clear, like a calendar's private address: it is shown again).
CREATE TABLE notify_setting (
    account_id BIGINT PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    mode TEXT NOT NULL DEFAULT 'instant' CHECK (mode IN ('instant', 'daily')),
    digest_hour INTEGER NOT NULL DEFAULT 8 CHECK (digest_hour BETWEEN 0 AND 23),
    email INTEGER NOT NULL DEFAULT 1,
    feed_token TEXT NOT NULL UNIQUE
);

-- A user's webhook receivers. The signing secret is kept in clear: signing needs it.
CREATE TABLE webhook_endpoint (
    id {ID},
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    UNIQUE (account_id, url)
);

-- One per (user, event): the in-app list and the feed read these; `reasons` (JSON) says which
-- follows matched.
CREATE TABLE notification (
    id {ID},
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES watch_event (id) ON DELETE CASCADE,
    reasons TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    UNIQUE (account_id, event_id)
);
CREATE INDEX notification_account ON notification (account_id, id);

-- One per (notification, channel, endpoint) that pushes: webhooks and email. A worker claims due
-- rows with a lease (`claimed_until`): one killed mid-send loses its claim when the lease ends.
-- Times here are ISO 8601 UTC to the microsecond, so text order is time order.
CREATE TABLE delivery (
    id {ID},
    notification_id BIGINT NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
    endpoint_id BIGINT REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT NOT NULL DEFAULT '',
    claimed_until TEXT,
    delivered_at TEXT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_due ON delivery (due_at, id) WHERE state IN ('pending', 'sending');
CREATE INDEX delivery_notification ON delivery (notification_id);

-- Every try of a delivery, kept: what was sent when, and what came back.
CREATE TABLE delivery_attempt (
    id {ID},
    delivery_id BIGINT NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    worker TEXT NOT NULL,
    started_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL,  -- delivered, rejected (an HTTP status), refused, timeout, error
    status_code INTEGER,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempt_delivery ON delivery_attempt (delivery_id);

-- Trending records are asked again for credits on a schedule (credits arrive late).
CREATE TABLE trending_recheck (
    recording_id BIGINT PRIMARY KEY REFERENCES recording (id) ON DELETE CASCADE,
    next_at TEXT NOT NULL,
    last_at TEXT,
    last_result TEXT NOT NULL DEFAULT ''
);
