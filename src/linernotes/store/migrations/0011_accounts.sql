-- Accounts for the web app and the API: users with a plan, their login sessions and API keys,
-- and the counters that hold plans' limits across every server process on the catalog.
-- Secrets are never stored: passwords as argon2 hashes, session tokens and API keys as sha256.
CREATE TABLE account (
    id {ID},
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    plan TEXT NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro')),
    created_at TEXT NOT NULL
);
CREATE TABLE account_session (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX account_session_account ON account_session (account_id);
CREATE TABLE api_key (
    id {ID},
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    shown TEXT NOT NULL,  -- the key's first characters, to tell keys apart in lists
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_key_account ON api_key (account_id);
-- One row per person whose handles a subject (a user, an anonymous visitor's cookie, an address)
-- saw on a day (UTC): seeing the same person again that day costs nothing.
CREATE TABLE handle_reveal (
    subject TEXT NOT NULL,
    day TEXT NOT NULL,
    artist_id BIGINT NOT NULL,
    revealed_at TEXT NOT NULL,
    PRIMARY KEY (subject, day, artist_id)
);
CREATE INDEX handle_reveal_day ON handle_reveal (day);
-- Requests counted in fixed windows (API calls a minute, sign-up and login attempts), one upsert
-- per request.
CREATE TABLE usage_window (
    subject TEXT NOT NULL,
    window_start TEXT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (subject, window_start)
);
CREATE INDEX usage_window_start ON usage_window (window_start);
