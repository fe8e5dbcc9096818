"""The catalog's entities as search documents: names, aliases and an importance figure.

Importance is what makes "drake" mean Drake: credits (for people, every credit they hold; for
songs and albums, the credits on them), tracks on an album, and ten per chart entry of a song.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from linernotes.search.analyze import Doc
from linernotes.store.db import Database

ALIAS_SEPARATOR = "\x1f"
CHART_WEIGHT = 10

_SELECT: dict[str, str] = {
    "artist": (
        "SELECT a.id, a.name,"
        " (SELECT group_concat(n.name, char(31)) FROM artist_name n"
        "   WHERE n.artist_id = a.id AND n.name <> a.name),"
        " (SELECT count(*) FROM credit c WHERE c.artist_id = a.id)"
        " FROM artist a"
    ),
    "release": (
        "SELECT r.id, r.title, NULL,"
        " (SELECT count(*) FROM track t WHERE t.release_id = r.id)"
        " + (SELECT count(*) FROM credit c WHERE c.subject_kind = 'release'"
        "    AND c.subject_id = r.id)"
        " FROM release r"
    ),
    "recording": (
        "SELECT r.id, r.title, NULL,"
        " (SELECT count(*) FROM credit c WHERE c.subject_kind = 'recording'"
        "   AND c.subject_id = r.id)"
        f" + {CHART_WEIGHT} * (SELECT count(*) FROM chart_entry e WHERE e.recording_id = r.id)"
        " FROM recording r"
    ),
}
KINDS = tuple(_SELECT)
# Ids per look-up when documents are made for a set of changed entities.
CHUNK = 500
PAGE = 10_000


def count(db: Database) -> int:
    """How many documents a full build makes (for its progress bar)."""
    total = 0
    for kind in KINDS:
        row = db.one(f"SELECT count(*) FROM {kind}")
        total += int(row[0]) if row else 0
    return total


def all_docs(db: Database) -> Iterator[Doc]:
    """Every entity, a page at a time (keyset paging keeps memory flat on a large catalog)."""
    for kind in KINDS:
        alias = _alias(kind)
        last = 0
        while True:
            rows = db.execute(
                f"{_SELECT[kind]} WHERE {alias}.id > ? ORDER BY {alias}.id LIMIT {PAGE}", (last,)
            )
            if not rows:
                break
            yield from _docs(kind, rows)
            last = int(rows[-1][0])


def docs_for(db: Database, kind: str, ids: Iterable[int]) -> Iterator[Doc]:
    """Documents of these entities that still exist (a merged-away id yields nothing)."""
    wanted = sorted(set(ids))
    alias = _alias(kind)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        yield from _docs(kind, db.execute(f"{_SELECT[kind]} WHERE {alias}.id IN ({marks})", chunk))


def _alias(kind: str) -> str:
    return "a" if kind == "artist" else "r"


def _docs(kind: str, rows: Iterable[tuple[object, ...]]) -> Iterator[Doc]:
    for entity_id, name, aliases, importance in rows:
        yield Doc(
            kind=kind,
            id=int(str(entity_id)),
            name=str(name),
            aliases=tuple(str(aliases).split(ALIAS_SEPARATOR)) if aliases else (),
            importance=int(str(importance or 0)),
        )
