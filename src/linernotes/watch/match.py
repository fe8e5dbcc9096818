"""Match new events to follows: who is told about what, and by which channels when.

One `process` call, in one transaction: group the pending changes into events (events.py), find
every (account, event, follow) that matches with a few set-wise queries (one per kind of follow,
each driven by the new events and the follow table's index, never a loop over pairs), write one
notification per (account, event) with the follows that matched as its reasons, and queue a
delivery per push channel: email when the account wants it, each active webhook endpoint. A crash
anywhere rolls all of it back, and the changes stay pending for the next call.

Matching rules: a person follow matches a change of that person; an artist follow an event whose
subject has the artist as main artist (now, or in the event's own changes) or the artist's
handles event; a release follow the release or a recording on it; a trending follow a recording
in the chart's latest top N whose event adds (or corrects to) a production credit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from linernotes.store.db import Database, Row
from linernotes.watch import events

DEFAULT_MODE, DEFAULT_HOUR, DEFAULT_EMAIL = "instant", 8, 1  # notify_setting's column defaults


@dataclass(frozen=True, slots=True)
class MatchReport:
    changes: int  # change_log rows grouped
    events: int  # events made
    notifications: int
    deliveries: int
    more: bool  # changes are still pending (the limit was reached): call again


# The new events and their standing changes, for matching them set-wise (this connection's own
# tables: the change log keeps no event ids).
NEW_EVENT = "watch_new_event"
NEW_CHANGE = "watch_new_change"
_TEMP_TABLES = (
    f"CREATE TEMP TABLE IF NOT EXISTS {NEW_EVENT} (id BIGINT PRIMARY KEY, kind TEXT NOT NULL,"
    " subject_kind TEXT NOT NULL, subject_id BIGINT NOT NULL, production INTEGER NOT NULL)",
    f"CREATE TEMP TABLE IF NOT EXISTS {NEW_CHANGE} (event_id BIGINT NOT NULL,"
    " what TEXT NOT NULL, artist_id BIGINT NOT NULL, role TEXT NOT NULL)",
)

# Each branch: (account_id, event_id, follow_id, chart position or NULL). CROSS JOIN keeps
# SQLite's planner starting from the new events (its temporary tables have no statistics) and
# probing the follow table's (kind, target_id) index; PostgreSQL plans them after ANALYZE.
_NO_POSITION = "CAST(NULL AS INTEGER)"  # typed: PostgreSQL's UNION takes a bare NULL as text
_PERSON = (
    f"SELECT f.account_id, c.event_id, f.id, {_NO_POSITION} FROM watch_new_change c"
    " CROSS JOIN follow f"
    " WHERE f.kind = 'person' AND f.target_id = c.artist_id"
)
_ARTIST_NOW = (
    f"SELECT f.account_id, e.id, f.id, {_NO_POSITION} FROM watch_new_event e CROSS JOIN credit c"
    " CROSS JOIN follow f WHERE e.kind = 'credits' AND c.subject_kind = e.subject_kind"
    " AND c.subject_id = e.subject_id AND c.role = 'main_artist'"
    " AND f.kind = 'artist' AND f.target_id = c.artist_id"
)
_ARTIST_CHANGED = (
    f"SELECT f.account_id, c.event_id, f.id, {_NO_POSITION} FROM watch_new_change c"
    " CROSS JOIN follow f"
    " WHERE c.what = 'credit' AND c.role = 'main_artist'"
    " AND f.kind = 'artist' AND f.target_id = c.artist_id"
)
_ARTIST_HANDLES = (
    f"SELECT f.account_id, e.id, f.id, {_NO_POSITION} FROM watch_new_event e CROSS JOIN follow f"
    " WHERE e.kind = 'handles' AND f.kind = 'artist' AND f.target_id = e.subject_id"
)
_RELEASE = (
    f"SELECT f.account_id, e.id, f.id, {_NO_POSITION} FROM watch_new_event e CROSS JOIN follow f"
    " WHERE e.subject_kind = 'release' AND f.kind = 'release' AND f.target_id = e.subject_id"
)
_RELEASE_TRACK = (
    f"SELECT f.account_id, e.id, f.id, {_NO_POSITION} FROM watch_new_event e CROSS JOIN track t"
    " CROSS JOIN follow f WHERE e.subject_kind = 'recording' AND t.recording_id = e.subject_id"
    " AND f.kind = 'release' AND f.target_id = t.release_id"
)
_TRENDING = (
    "SELECT f.account_id, e.id, f.id, ce.position FROM watch_new_event e"
    " CROSS JOIN chart_entry ce CROSS JOIN follow f"
    " WHERE e.subject_kind = 'recording' AND e.production = 1 AND ce.recording_id = e.subject_id"
    " AND ce.date = (SELECT max(l.date) FROM chart_entry l WHERE l.chart = ce.chart)"
    " AND f.kind = 'trending' AND f.chart = ce.chart AND ce.position <= f.top_n"
)
BRANCHES = (
    _PERSON,
    _ARTIST_NOW,
    _ARTIST_CHANGED,
    _ARTIST_HANDLES,
    _RELEASE,
    _RELEASE_TRACK,
    _TRENDING,
)


def _matches_sql() -> str:
    """The follows matched, with what a reason shows of them (names as they are now). The
    first branch names the union's columns for all."""
    first = BRANCHES[0].replace(
        f"SELECT f.account_id, c.event_id, f.id, {_NO_POSITION}",
        "SELECT f.account_id AS account_id, c.event_id AS event_id, f.id AS follow_id,"
        " CAST(NULL AS INTEGER) AS position",
        1,
    )
    union = " UNION ALL ".join((first, *BRANCHES[1:]))
    return (
        "SELECT m.account_id, m.event_id, f.id, f.kind, f.target_id, f.chart, f.top_n,"
        " min(m.position),"
        " CASE f.kind WHEN 'release' THEN (SELECT r.title FROM release r"
        " WHERE r.id = f.target_id) WHEN 'trending' THEN ''"
        " ELSE (SELECT a.name FROM artist a WHERE a.id = f.target_id) END"
        f" FROM ({union}) m JOIN follow f ON f.id = m.follow_id"
        " GROUP BY m.account_id, m.event_id, f.id, f.kind, f.target_id, f.chart, f.top_n"
        " ORDER BY m.account_id, m.event_id, f.id"
    )


_MATCHES = _matches_sql()


def reason(row: Row) -> dict[str, Any]:
    """One matched follow as a notification's reason."""
    follow_id, kind, target_id, chart, top_n, position, name = row[2:9]
    if kind == "trending":
        return {
            "follow_id": int(follow_id),
            "kind": "trending",
            "chart": str(chart),
            "top_n": int(top_n),
            "position": None if position is None else int(position),
        }
    return {
        "follow_id": int(follow_id),
        "kind": str(kind),
        "target": {"id": int(target_id), "name": str(name or "")},
    }


def load_new_events(db: Database, made: list[events.NewEvent]) -> None:
    """Fill this connection's tables of new events and their changes (emptied first)."""
    for sql in _TEMP_TABLES:
        db.execute(sql)
    db.execute(f"DELETE FROM {NEW_EVENT}")
    db.execute(f"DELETE FROM {NEW_CHANGE}")
    db.executemany(
        f"INSERT INTO {NEW_EVENT} (id, kind, subject_kind, subject_id, production)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (
                e.id,
                "handles" if e.subject_kind == "artist" else "credits",
                e.subject_kind,
                e.subject_id,
                int(e.production),
            )
            for e in made
        ],
    )
    db.executemany(
        f"INSERT INTO {NEW_CHANGE} (event_id, what, artist_id, role) VALUES (?, ?, ?, ?)",
        [(e.id, c.what, c.artist_id, c.role) for e in made for c in e.changes],
    )
    db.grown([NEW_EVENT, NEW_CHANGE])


def matches(
    db: Database, made: list[events.NewEvent]
) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """(account, event) -> the reasons, for the events just made."""
    load_new_events(db, made)
    found: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in db.execute(_MATCHES):
        found[int(row[0]), int(row[1])].append(reason(row))
    return dict(found)


# Deliveries -----------------------------------------------------------------------------------


def next_digest(now: datetime, hour: int) -> datetime:
    """The next `hour`:00 UTC at or after `now`: when a daily digest goes out."""
    at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at >= now else at + timedelta(days=1)


def _due_sql(now: datetime) -> tuple[str, list[str]]:
    """A CASE giving each account's due time, from its settings (no row: the defaults)."""
    hours = " ".join("WHEN ? THEN ?" for _ in range(24))
    params: list[Any] = []
    for hour in range(24):
        params += [hour, events.stamp(next_digest(now, hour))]
    sql = (
        f"CASE WHEN coalesce(s.mode, '{DEFAULT_MODE}') = 'daily'"
        f" THEN CASE coalesce(s.digest_hour, {DEFAULT_HOUR}) {hours} END ELSE ? END"
    )
    return sql, [*params, events.stamp(now)]


def queue_deliveries(db: Database, after: int, now: datetime, *, email: bool) -> int:
    """Deliveries for the notifications with ids above `after`; how many were queued."""
    due, due_params = _due_sql(now)
    base = (
        " FROM notification n LEFT JOIN notify_setting s ON s.account_id = n.account_id"
        " {join} WHERE n.id > ?{where}"
    )
    db.execute(
        "INSERT INTO delivery (notification_id, channel, endpoint_id, due_at)"
        f" SELECT n.id, 'webhook', w.id, {due}"
        + base.format(
            join="JOIN webhook_endpoint w ON w.account_id = n.account_id AND w.disabled_at IS NULL",
            where="",
        ),
        (*due_params, after),
    )
    if email:
        db.execute(
            "INSERT INTO delivery (notification_id, channel, endpoint_id, due_at)"
            f" SELECT n.id, 'email', NULL, {due}"
            + base.format(join="", where=f" AND coalesce(s.email, {DEFAULT_EMAIL}) = 1"),
            (*due_params, after),
        )
    row = db.one("SELECT count(*) FROM delivery WHERE notification_id > ?", (after,))
    return int(row[0]) if row else 0


def _last_id(db: Database, table: str) -> int:
    row = db.one(f"SELECT coalesce(max(id), 0) FROM {table}")
    return int(row[0]) if row else 0


def process(db: Database, now: datetime, *, email: bool, limit: int = 5000) -> MatchReport:
    """Group, match, notify and queue, in one transaction (a failure leaves the cursor where it
    was: the changes are grouped again next time). `now` must be timezone-aware (UTC);
    `email`: whether email can be sent at all (SMTP is configured)."""
    if now.tzinfo is None or now.utcoffset() != timedelta(0):
        raise ValueError(f"process needs `now` in UTC, got {now.isoformat()}")
    with db.transaction():
        grouping = events.group(db, now, limit=limit)
        if not grouping.events:
            return MatchReport(grouping.changes, 0, 0, 0, grouping.more)
        found = matches(db, grouping.events)
        after = _last_id(db, "notification")
        created = events.stamp(now)
        db.executemany(
            "INSERT INTO notification (account_id, event_id, reasons, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (account_id, event_id) DO NOTHING",
            [
                (account, event, json.dumps(reasons), created)
                for (account, event), reasons in sorted(found.items(), key=lambda i: i[0][::-1])
            ],
        )
        made = db.one("SELECT count(*) FROM notification WHERE id > ?", (after,))
        deliveries = queue_deliveries(db, after, now, email=email)
    return MatchReport(
        grouping.changes,
        len(grouping.events),
        int(made[0]) if made else 0,
        deliveries,
        grouping.more,
    )
