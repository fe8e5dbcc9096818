"""Keep the blocking keys of artists in step with their names, and say which artists changed.

Marks record how far the resolver has looked (the highest artist id, name row and credit id seen),
so an incremental resolve compares only artists that are new, gained a name or gained a credit.
"""

from __future__ import annotations

from collections import defaultdict

from linernotes.resolve.name_keys import person_keys
from linernotes.resolve.profiles import chunks, rows_for
from linernotes.store.db import Database

_MARKS = {
    "artist": "SELECT max(id) FROM artist",
    "artist_name": "SELECT max(rowid) FROM artist_name",
    "credit": "SELECT max(id) FROM credit",
}
_CHANGED = (
    "SELECT id FROM artist WHERE id > ?",
    "SELECT artist_id FROM artist_name WHERE rowid > ?",
    "SELECT DISTINCT artist_id FROM credit WHERE id > ?",
)
_KEY_NAMES = (
    "SELECT id, name FROM artist WHERE id IN ({q})",
    "SELECT artist_id, name FROM artist_name WHERE artist_id IN ({q})",
    "SELECT DISTINCT c.artist_id, s.credited_name FROM credit c"
    " JOIN credit_source s ON s.credit_id = c.id WHERE c.artist_id IN ({q})",
)


def marks(db: Database) -> dict[str, int]:
    return {name: int(value) for name, value in db.execute("SELECT name, value FROM identity_mark")}


def changed_artists(db: Database, *, everything: bool = False) -> list[int]:
    """Artists new or changed since the last resolve (all of them when `everything`)."""
    if everything:
        return [int(r[0]) for r in db.execute("SELECT id FROM artist ORDER BY id")]
    seen = marks(db)
    ids: set[int] = set()
    for (name, _), sql in zip(_MARKS.items(), _CHANGED, strict=True):
        ids.update(int(r[0]) for r in db.execute(sql, (seen.get(name, 0),)))
    return sorted(ids)


def advance_marks(db: Database) -> None:
    for name, sql in _MARKS.items():
        row = db.one(sql)
        db.execute(
            "INSERT INTO identity_mark (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, int(row[0]) if row and row[0] is not None else 0),
        )


def refresh_keys(db: Database, ids: list[int]) -> None:
    """Rewrite the blocking keys of these artists from all their names."""
    keys: dict[int, set[str]] = defaultdict(set)
    for sql in _KEY_NAMES:
        for artist_id, name in rows_for(db, sql, ids):
            keys[artist_id].update(person_keys(name))
    db.executemany(
        "DELETE FROM identity_key WHERE entity_kind = 'artist' AND entity_id = ?",
        [(i,) for i in ids],
    )
    db.executemany(
        "INSERT INTO identity_key (entity_kind, key, entity_id) VALUES ('artist', ?, ?)"
        " ON CONFLICT DO NOTHING",
        [(key, artist_id) for artist_id, found in keys.items() for key in found],
    )


def candidate_pairs(db: Database, changed: list[int], max_block: int) -> set[tuple[int, int]]:
    """Pairs (low id, high id) sharing a blocking key, at least one of them changed.

    A fuzzy key (prefix, suffix) shared by more than `max_block` artists is skipped: it would
    pair thousands for little. Exact-name keys are always used.
    """
    changed_set = set(changed)
    pairs: set[tuple[int, int]] = set()
    for part in chunks(changed):
        q = ", ".join("?" * len(part))
        members: dict[str, list[int]] = defaultdict(list)
        for key, entity_id in db.execute(
            "SELECT o.key, o.entity_id FROM identity_key o WHERE o.entity_kind = 'artist'"
            " AND o.key IN (SELECT key FROM identity_key WHERE entity_kind = 'artist'"
            f" AND entity_id IN ({q}))",
            part,
        ):
            members[str(key)].append(int(entity_id))
        for key, ids in members.items():
            if len(ids) < 2 or (len(ids) > max_block and not key.startswith("n:")):
                continue
            for mine in ids:
                if mine in changed_set:
                    pairs.update((min(mine, o), max(mine, o)) for o in ids if o != mine)
    return pairs
