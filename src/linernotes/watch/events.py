"""Change events: the change log's new rows grouped into one event per subject.

The catalog's triggers log every credit and handle row created or removed (0013). Here the rows
past the cursor (watch_cursor 'events') become what a user is told: the changes of one song,
release or person's handles together, netted (a credit removed and written again is no change),
a person's removed credit and added credit on one subject paired as "corrected", with names and
titles as they are now. Changes of entities merged away since are told as the kept entity's.

The event JSON (watch_event.summary) is what webhooks, email, the feed and the API show:
    {"id": "evt_<id>", "type": "credits.changed" | "handles.changed", "created_at",
     "subject": {"kind", "id", "title", "artists", "path"}, "new_subject": bool,
     "changes": [{"change", "person", "role", "role_label", "family", "detail",
                  "previous_role"} | {"change", "platform", "person"}]}
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from linernotes.normalize.roles import FAMILY_ORDER, ROLES, Family
from linernotes.store.db import Database, Row

CURSOR = "events"  # watch_cursor's row for the last change grouped
KEEP_LOG = 1_000_000  # change_log rows kept behind the cursor (for looking into what happened)
CHUNK = 500  # ids per IN list: well under both backends' limits on parameters
_ROLE_ORDER = {code: i for i, code in enumerate(ROLES)}
_FAMILY_RANK = {family: i for i, family in enumerate(FAMILY_ORDER)}
SUBJECT_PATHS = {"recording": "/song/{}", "release": "/album/{}", "artist": "/person/{}"}


@dataclass(frozen=True, slots=True)
class Change:
    """One change_log row."""

    id: int
    change: str  # added | removed
    what: str  # credit | handle
    artist_id: int
    role: str  # a credit's role, or a handle's platform
    detail: str  # a credit's detail, or the handle
    subject_kind: str  # recording | release | artist (handles)
    subject_id: int

    @property
    def subject(self) -> tuple[str, int]:
        return self.subject_kind, self.subject_id

    @property
    def key(self) -> tuple[int, str, str]:
        return self.artist_id, self.role, self.detail


@dataclass(frozen=True, slots=True)
class Grouping:
    """What one `group` call did."""

    changes: int  # change_log rows read (those netting to nothing included)
    events: list[NewEvent]  # the new events, by id
    more: bool  # rows are left past the cursor (the limit was reached)


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event just made, with what matching needs of it (watch/match.py)."""

    id: int
    subject_kind: str
    subject_id: int
    changes: list[Change]  # the changes standing, as told
    production: bool  # it adds a credit of the production family (or corrects one to it)


_CHANGE = (
    "SELECT id, change, what, artist_id, role, detail, subject_kind, subject_id FROM change_log"
)


def _change(row: Row) -> Change:
    return Change(
        int(row[0]),
        str(row[1]),
        str(row[2]),
        int(row[3]),
        str(row[4]),
        str(row[5]),
        str(row[6]),
        int(row[7]),
    )


def chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def marks(ids: Sequence[object]) -> str:
    return ", ".join("?" for _ in ids)


def cursor(db: Database) -> int:
    """The last change_log id grouped into events."""
    row = db.one("SELECT last_id FROM watch_cursor WHERE name = ?", (CURSOR,))
    return int(row[0]) if row else 0


def _advance(db: Database, last_id: int) -> None:
    db.execute(
        "INSERT INTO watch_cursor (name, last_id) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id",
        (CURSOR, last_id),
    )


def pending(db: Database, limit: int) -> list[Change]:
    """The next `limit` changes past the cursor, in id order. A subject whose changes straddle
    the limit gets two events: a later call tells the rest."""
    return [
        _change(r)
        for r in db.execute(f"{_CHANGE} WHERE id > ? ORDER BY id LIMIT ?", (cursor(db), limit))
    ]


def merged_into(db: Database, kind: str, ids: Sequence[int]) -> dict[int, int]:
    """Entities of `kind` among `ids` merged away since their change (identity resolution): the
    entity each ended in."""
    there = set(_lookup(db, f"SELECT id, '' FROM {kind} WHERE id IN ({{}})", sorted(set(ids))))
    gone = sorted(set(ids) - there)
    if not gone:
        return {}
    kept = {
        int(d): int(k)
        for d, k in db.execute(
            "SELECT dropped, kept FROM entity_merge WHERE entity_kind = ? ORDER BY merged_at",
            (kind,),
        )
    }
    found: dict[int, int] = {}
    for start in gone:
        at, seen = start, {start}
        while at in kept and kept[at] not in seen:  # a chain of merges ends in one entity
            at = kept[at]
            seen.add(at)
        if at != start:
            found[start] = at
    return found


def remapped(db: Database, changes: list[Change]) -> list[Change]:
    """The changes with merged-away artists and subjects replaced by the entities they are now."""
    artists = merged_into(db, "artist", [c.artist_id for c in changes])
    subjects = {
        kind: merged_into(db, kind, [c.subject_id for c in changes if c.subject_kind == kind])
        for kind in ("recording", "release")
    }
    subjects["artist"] = artists
    if not artists and not any(subjects.values()):
        return changes
    return [
        replace(
            c,
            artist_id=artists.get(c.artist_id, c.artist_id),
            subject_id=subjects[c.subject_kind].get(c.subject_id, c.subject_id),
        )
        for c in changes
    ]


def net(changes: Sequence[Change]) -> tuple[list[Change], list[Change]]:
    """(the changes that stand, those that cancel out): an add and a removal of one credit (or
    handle) on one subject cancel, whatever their order."""
    balance: Counter[tuple[int, str, str]] = Counter()
    for c in changes:
        balance[c.key] += 1 if c.change == "added" else -1
    standing: list[Change] = []
    cancelled: list[Change] = []
    for c in reversed(changes):  # the latest rows stand for the net change
        wanted = balance[c.key]
        if (wanted > 0 and c.change == "added") or (wanted < 0 and c.change == "removed"):
            standing.append(c)
            balance[c.key] -= 1 if wanted > 0 else -1
        else:
            cancelled.append(c)
    standing.reverse()
    cancelled.reverse()
    return standing, cancelled


# Names ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Names:
    """What the events of one grouping name, read in a few queries."""

    people: dict[int, str]
    titles: dict[tuple[str, int], str]
    artists: dict[tuple[str, int], list[str]]


def names(db: Database, changes: Sequence[Change]) -> Names:
    people_ids = sorted({c.artist_id for c in changes} | _ids(changes, "artist"))
    people = _lookup(db, "SELECT id, name FROM artist WHERE id IN ({})", people_ids)
    titles: dict[tuple[str, int], str] = {
        ("artist", i): people.get(i, "") for i in _ids(changes, "artist")
    }
    artists: dict[tuple[str, int], list[str]] = defaultdict(list)
    for kind in ("recording", "release"):
        ids = sorted(_ids(changes, kind))
        for i, title in _lookup(
            db, f"SELECT id, title FROM {kind} WHERE id IN ({{}})", ids
        ).items():
            titles[kind, i] = title
        for part in chunks(ids):
            for subject_id, name in db.execute(
                "SELECT c.subject_id, a.name FROM credit c JOIN artist a ON a.id = c.artist_id"
                f" WHERE c.subject_kind = ? AND c.role = 'main_artist'"
                f" AND c.subject_id IN ({marks(part)}) ORDER BY c.subject_id, c.id",
                (kind, *part),
            ):
                if str(name) not in artists[kind, int(subject_id)]:
                    artists[kind, int(subject_id)].append(str(name))
    return Names(people, titles, dict(artists))


def _ids(changes: Sequence[Change], kind: str) -> set[int]:
    return {c.subject_id for c in changes if c.subject_kind == kind}


def _lookup(db: Database, sql: str, ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for part in chunks(ids):
        for i, name in db.execute(sql.format(marks(part)), tuple(part)):
            found[int(i)] = str(name)
    return found


# The event JSON -------------------------------------------------------------------------------


def _person(artist_id: int, names: Names) -> dict[str, Any]:
    return {
        "id": artist_id,
        "name": names.people.get(artist_id, ""),
        "path": f"/person/{artist_id}",
    }


def _role(code: str) -> tuple[str, str]:
    """(label, family) of a role code; a code outside the vocabulary shows as itself."""
    role = ROLES.get(code)
    if role is None:
        return code.replace("_", " ").capitalize(), Family.OTHER.value
    return role.label, role.family.value


def credit_change(
    change: str, c: Change, names: Names, previous: Change | None = None
) -> dict[str, Any]:
    label, family = _role(c.role)
    return {
        "change": change,
        "person": _person(c.artist_id, names),
        "role": c.role,
        "role_label": label,
        "family": family,
        "detail": c.detail,
        "previous_role": None if previous is None else previous.role,
    }


def _order(c: Change, names: Names) -> tuple[int, int, str, int]:
    family = ROLES[c.role].family if c.role in ROLES else Family.OTHER
    return (
        _FAMILY_RANK[family],
        _ROLE_ORDER.get(c.role, len(_ROLE_ORDER)),
        names.people.get(c.artist_id, "").casefold(),
        c.artist_id,
    )


def credit_changes(standing: Sequence[Change], names: Names) -> list[dict[str, Any]]:
    """A person's removed credits paired with their added ones (same subject) as corrections,
    in role order; what is left over stays added or removed."""
    added: dict[int, list[Change]] = defaultdict(list)
    removed: dict[int, list[Change]] = defaultdict(list)
    for c in sorted(standing, key=lambda c: _order(c, names)):
        (added if c.change == "added" else removed)[c.artist_id].append(c)
    told: list[tuple[tuple[int, int, str, int], dict[str, Any]]] = []
    for person in sorted(set(added) | set(removed)):
        new, old = added[person], removed[person]
        for now, before in zip(new, old, strict=False):
            told.append((_order(now, names), credit_change("corrected", now, names, before)))
        for c in new[len(old) :]:
            told.append((_order(c, names), credit_change("added", c, names)))
        for c in old[len(new) :]:
            told.append((_order(c, names), credit_change("removed", c, names)))
    told.sort(key=lambda pair: pair[0])
    return [change for _, change in told]


def handle_changes(standing: Sequence[Change], names: Names) -> list[dict[str, Any]]:
    """Which platforms gained or lost a handle; never the handle itself (showing one costs a
    reveal: see web/access.py)."""
    return [
        {"change": c.change, "platform": c.role, "person": _person(c.artist_id, names)}
        for c in sorted(standing, key=lambda c: (c.role, c.change, c.id))
    ]


def summary(
    event_id: int,
    subject: tuple[str, int],
    standing: Sequence[Change],
    names: Names,
    created_at: str,
) -> dict[str, Any]:
    """The event JSON of one subject's standing changes."""
    kind, subject_id = subject
    handles = kind == "artist"
    return {
        "id": f"evt_{event_id}",
        "type": "handles.changed" if handles else "credits.changed",
        "created_at": created_at,
        "subject": {
            "kind": kind,
            "id": subject_id,
            "title": names.titles.get(subject, ""),
            "artists": [] if handles else names.artists.get(subject, []),
            "path": SUBJECT_PATHS[kind].format(subject_id),
        },
        "new_subject": any(c.change == "added" and c.role == "main_artist" for c in standing),
        "changes": handle_changes(standing, names) if handles else credit_changes(standing, names),
    }


# Grouping -------------------------------------------------------------------------------------


def stamp(at: datetime) -> str:
    """Times the watch tables write: ISO 8601 UTC to the microsecond (text order = time order)."""
    return at.isoformat(timespec="microseconds")


def reserve_ids(db: Database, count: int) -> list[int]:
    """`count` new watch_event ids, so an event's JSON can carry its own id when inserted. The
    caller holds the writer's lock (a transaction), so no one else takes ids meanwhile."""
    if count == 0:
        return []
    if db.dialect == "postgresql":
        rows = db.execute(
            "SELECT nextval(pg_get_serial_sequence('watch_event', 'id'))"
            " FROM generate_series(1, ?) ORDER BY 1",
            (count,),
        )
        return [int(r[0]) for r in rows]
    row = db.one("SELECT coalesce(max(id), 0) FROM watch_event")
    start = int(row[0]) + 1 if row else 1
    return list(range(start, start + count))


def adds_production(standing: Sequence[Change]) -> bool:
    return any(
        c.what == "credit" and c.change == "added" and _role(c.role)[1] == Family.PRODUCTION
        for c in standing
    )


def group(db: Database, now: datetime, *, limit: int = 5000) -> Grouping:
    """Group the changes past the cursor into events and move the cursor past them. Call inside
    the transaction that also matches them (watch/match.py): on PostgreSQL it holds the writers'
    lock, so no writer with smaller change ids is still uncommitted."""
    read = pending(db, limit)
    changes = remapped(db, read)
    by_subject: dict[tuple[str, int], list[Change]] = defaultdict(list)
    for c in changes:
        by_subject[c.subject].append(c)
    standing = {subject: net(rows)[0] for subject, rows in by_subject.items()}
    told = [subject for subject, rows in standing.items() if rows]
    ids = reserve_ids(db, len(told))
    names_now = names(db, [c for s in told for c in standing[s]])
    created = stamp(now)
    made: list[NewEvent] = []
    rows: list[tuple[int, str, str, int, str, str]] = []
    for event_id, subject in zip(ids, told, strict=True):
        body = summary(event_id, subject, standing[subject], names_now, created)
        kind = "handles" if subject[0] == "artist" else "credits"
        rows.append((event_id, kind, *subject, json.dumps(body), created))
        made.append(
            NewEvent(event_id, *subject, standing[subject], adds_production(standing[subject]))
        )
    db.executemany(
        "INSERT INTO watch_event (id, kind, subject_kind, subject_id, summary, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.ids_taken(["watch_event"])
    if read:
        _advance(db, read[-1].id)
    return Grouping(len(read), made, len(read) == limit)


def skip_pending(db: Database) -> int:
    """Move the cursor past every change logged so far, without events: for a catalog's first
    build, whose every credit is "added" and which nobody followed yet. How many were skipped."""
    with db.transaction():
        row = db.one(
            "SELECT coalesce(max(id), 0), count(*) FROM change_log WHERE id > ?", (cursor(db),)
        )
        last, count = (int(row[0]), int(row[1])) if row else (0, 0)
        if count:
            _advance(db, last)
    return count


def prune(db: Database, keep: int = KEEP_LOG) -> int:
    """Delete change_log rows more than `keep` ids behind the cursor; how many went."""
    with db.transaction():
        below = cursor(db) - keep
        row = db.one("SELECT count(*) FROM change_log WHERE id <= ?", (below,))
        db.execute("DELETE FROM change_log WHERE id <= ?", (below,))
    return int(row[0]) if row else 0


def event_summary(db: Database, event_id: int) -> dict[str, Any] | None:
    row = db.one("SELECT summary FROM watch_event WHERE id = ?", (event_id,))
    if row is None:
        return None
    found: dict[str, Any] = json.loads(str(row[0]))
    return found
