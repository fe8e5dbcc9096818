"""Word index over artist names and aliases, kept up to date as they are written.

Search goes through the search index (`linernotes.search`); this table serves the store's own
look-ups by name words: pages naming an artist with others ("21 Savage & Metro Boomin").
Titles are not indexed here (migration 0008 removed them): nothing in the store looks them up.
"""

from __future__ import annotations

from linernotes.normalize.fold import fold
from linernotes.normalize.records import EntityKind
from linernotes.store.db import Database


def tokens(text: str) -> list[str]:
    return sorted(set(fold(text).split()))


def index_name(db: Database, kind: EntityKind, entity_id: int, name: str) -> None:
    db.executemany(
        "INSERT INTO name_token (token, entity_kind, entity_id) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [(token, kind.value, entity_id) for token in tokens(name)],
    )


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """[low, high) bounds that select every string starting with `prefix` through an index."""
    return prefix, prefix + "\U0010ffff"


def ids_matching_words(db: Database, kind: EntityKind, words: list[str], limit: int) -> list[int]:
    """Entities of `kind` having, for every word, a word of their name that starts with it."""
    if not words:
        return []
    clauses = " INTERSECT ".join(
        "SELECT entity_id FROM name_token WHERE entity_kind = ? AND token >= ? AND token < ?"
        for _ in words
    )
    params: list[str] = []
    for word in words:
        params.extend((kind.value, *prefix_bounds(word)))
    rows = db.execute(f"SELECT entity_id FROM ({clauses}) AS t LIMIT {int(limit)}", params)
    return [int(r[0]) for r in rows]
