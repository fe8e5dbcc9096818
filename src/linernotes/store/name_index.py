"""Word index over artist names and aliases, kept up to date as they are written.

Search goes through the search index (`linernotes.search`); this table serves the store's own
look-ups by whole name words: pages naming an artist with others ("21 Savage & Metro Boomin",
read_producers._combined_pages).
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
