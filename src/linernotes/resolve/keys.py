"""Keep the blocking keys of artists in step with their names, and say which artists changed.

Marks record how far the resolver has looked (the highest artist id, name row and credit id seen),
so an incremental resolve compares only artists that are new, gained a name or gained a credit.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import combinations

from linernotes.resolve.name_keys import KEYS_VERSION, person_keys
from linernotes.resolve.profiles import ID_TABLE, NAMES, id_blocks
from linernotes.store.db import DIALECT_WORDS, Database

_MARKS = {
    "artist": "SELECT max(id) FROM artist",
    "artist_name": "SELECT max(rowid) FROM artist_name",
    "credit": "SELECT max(id) FROM credit",
}
# No DISTINCT: it would make SQLite read the whole credit index in artist order rather than the
# new credits alone by id.
_CHANGED = (
    "SELECT id FROM artist WHERE id > ?",
    "SELECT artist_id FROM artist_name WHERE rowid > ?",
    "SELECT artist_id FROM credit WHERE id > ?",
)
_KEY_NAMES = (
    f"SELECT a.id, a.name FROM {ID_TABLE} t CROSS JOIN artist a WHERE a.id = t.id",
    *NAMES,
)
KEY_TABLE = "resolve_keys"
# The members of each key the changed artists have, read once per key. A fuzzy key (prefix,
# suffix) with more than ? members is skipped in SQL, after counting at most ?+1 of them, so a
# block of thousands is never read. Exact-name keys ("n:") are always used.
_MEMBERS = (
    f"SELECT q.key, k.entity_id FROM {KEY_TABLE} q CROSS JOIN identity_key k"
    " WHERE k.entity_kind = 'artist' AND k.key = q.key AND q.n > ? AND q.n <= ?"
    " AND (substr(q.key, 1, 2) = 'n:' OR (SELECT count(*) FROM (SELECT 1 FROM identity_key x"
    " WHERE x.entity_kind = 'artist' AND x.key = q.key LIMIT ?) AS b) <= ?)"
)
KEYS_PER_PASS = 100_000


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
        _mark(db, name, int(row[0]) if row and row[0] is not None else 0)
    _mark(db, KEYS_MARK, KEYS_VERSION)


def _mark(db: Database, name: str, value: int) -> None:
    db.execute(
        "INSERT INTO identity_mark (name, value) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )


KEYS_MARK = "keys"  # the KEYS_VERSION the catalog's blocking keys were built with


def refresh_outdated(db: Database, done: list[int]) -> int:
    """Rebuild the keys of every artist but `done` when they were built by an older
    `person_keys` (a catalog resolved before a new kind of key); how many were rebuilt."""
    row = db.one("SELECT value FROM identity_mark WHERE name = ?", (KEYS_MARK,))
    if (row is not None and int(row[0]) == KEYS_VERSION) or not marks(db):
        return 0  # current, or never resolved: the changed artists are all of them
    left = sorted({int(r[0]) for r in db.execute("SELECT id FROM artist")} - set(done))
    refresh_keys(db, left)
    return len(left)


@lru_cache(maxsize=1 << 18)
def _keys_of(name: str) -> frozenset[str]:
    return frozenset(person_keys(name))


def refresh_keys(
    db: Database, ids: list[int], compacts: dict[str, str] | None = None
) -> dict[int, set[str]]:
    """Rewrite the blocking keys of these artists from all their names. Returns what it read on
    the way: each artist's compact aliases and names as credited (its exact-name keys); and
    `compacts` gets the compact form of every name read (its "n:" key, or "" if it has none).
    Only keys that change are written: most artists that gained a credit keep all theirs."""
    compacts = compacts if compacts is not None else {}
    others: dict[int, set[str]] = defaultdict(set)
    for block in id_blocks(db, ids):
        others.update((i, set()) for i in block)  # read, even if it has none
        keys: set[tuple[str, int]] = set()
        for number, sql in enumerate(_KEY_NAMES):
            for artist_id, name in db.execute(sql):
                found = _keys_of(name)
                keys.update((key, artist_id) for key in found)
                exact = compacts[name] = next((k[2:] for k in found if k.startswith("n:")), "")
                if number and exact:  # not the artist's own name
                    others[artist_id].add(exact)
        old = {(str(key), int(i)) for key, i in db.execute(_OLD_KEYS)}
        db.executemany(
            "DELETE FROM identity_key WHERE entity_kind = 'artist' AND key = ? AND entity_id = ?",
            sorted(old - keys),
        )
        db.executemany(
            "INSERT INTO identity_key (entity_kind, key, entity_id) VALUES ('artist', ?, ?)",
            sorted(keys - old),  # in key order: inserts walk the key index instead of jumping
        )
    db.grown(("identity_key",))
    return others


_OLD_KEYS = (
    f"SELECT k.key, k.entity_id FROM {ID_TABLE} t CROSS JOIN identity_key k"
    " WHERE k.entity_kind = 'artist' AND k.entity_id = t.id"
)


def candidate_pairs(db: Database, changed: list[int], max_block: int) -> set[tuple[int, int]]:
    """Pairs (low id, high id) sharing a blocking key, at least one of them changed.

    A fuzzy key (prefix, suffix) shared by more than `max_block` artists is skipped: it would
    pair thousands for little. Exact-name keys are always used.
    """
    changed_set = set(changed)
    pairs: set[tuple[int, int]] = set()
    count = _changed_keys(db, changed)
    for start in range(0, count, KEYS_PER_PASS):
        members: dict[str, list[int]] = defaultdict(list)
        bounds = (start, start + KEYS_PER_PASS, max_block + 1, max_block)
        for key, entity_id in db.execute(_MEMBERS, bounds):
            members[str(key)].append(int(entity_id))
        for ids in members.values():
            _pair_up(ids, changed_set, pairs)
    db.execute(f"DELETE FROM {KEY_TABLE}")
    return pairs


def _changed_keys(db: Database, changed: list[int]) -> int:
    """Put the distinct keys of the changed artists in a temporary table; return how many."""
    # Made afresh so its numbers (n) start at 1 on either backend.
    db.execute(f"DROP TABLE IF EXISTS {KEY_TABLE}")
    db.execute(
        f"CREATE TEMP TABLE {KEY_TABLE} (n {DIALECT_WORDS[db.dialect]['ID']},"
        " key TEXT NOT NULL UNIQUE)"
    )
    for _ in id_blocks(db, changed):
        db.execute(
            f"INSERT INTO {KEY_TABLE} (key) SELECT k.key FROM {ID_TABLE} t"
            " CROSS JOIN identity_key k WHERE k.entity_kind = 'artist' AND k.entity_id = t.id"
            " ON CONFLICT DO NOTHING"
        )
    row = db.one(f"SELECT max(n) FROM {KEY_TABLE}")
    return int(row[0]) if row and row[0] is not None else 0


def _pair_up(ids: list[int], changed: set[int], pairs: set[tuple[int, int]]) -> None:
    if len(ids) < 2:
        return
    ids.sort()  # combinations of a sorted list come as (low, high)
    if all(i in changed for i in ids):
        pairs.update(combinations(ids, 2))
    else:
        pairs.update(p for p in combinations(ids, 2) if p[0] in changed or p[1] in changed)
