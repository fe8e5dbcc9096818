"""Look-ups made once for a whole batch of records instead of once per record or reference.

Each answers with a few `IN (...)` queries that SQLite serves from the same indexes the
record-by-record look-ups use, so a batch of 500 Discogs releases costs a dozen queries where
record-by-record writing made about 8,000.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from linernotes.normalize.records import EntityKind, Ref, SourceRecord
from linernotes.store.db import Database

T = TypeVar("T")

# Well under SQLite's limit on parameters per statement (32,766 since 3.32, 999 before).
CHUNK = 500

# Tables whose ids the bulk writer allocates itself: max(id) + 1, as SQLite does for a rowid.
ID_TABLES = ("artist", "release", "recording", "credit", "fact")

# Assertion tables keyed by (source, source_record_id) besides credits.
_ASSERTION_TABLES = ("fact_source", "handle_evidence", "chart_entry")


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _by_source(records: Iterable[SourceRecord]) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = defaultdict(list)
    for record in records:
        ids[record.source].append(record.record_id)
    return ids


def stored_hashes(db: Database, records: Iterable[SourceRecord]) -> dict[tuple[str, str], str]:
    """(source, record id) -> the content hash stored when the record was last written."""
    found: dict[tuple[str, str], str] = {}
    for source, ids in _by_source(records).items():
        for part in chunks(ids):
            rows = db.execute(
                "SELECT record_id, content_hash FROM source_record"
                f" WHERE source = ? AND record_id IN ({_marks(len(part))})",
                (source, *part),
            )
            found.update(((source, str(r[0])), str(r[1])) for r in rows)
    return found


def records_with_assertions(db: Database, records: Iterable[SourceRecord]) -> set[tuple[str, str]]:
    """Records that already state facts, handles or chart rows though no hash of theirs is
    stored (a record written with unresolved references): writing them retracts, so they take
    the record-by-record path."""
    found: set[tuple[str, str]] = set()
    for source, ids in _by_source(records).items():
        for part in chunks(ids):
            for table in _ASSERTION_TABLES:
                rows = db.execute(
                    f"SELECT DISTINCT source_record_id FROM {table}"
                    f" WHERE source = ? AND source_record_id IN ({_marks(len(part))})",
                    (source, *part),
                )
                found.update((source, str(r[0])) for r in rows)
    return found


def entity_ids(db: Database, refs: Iterable[Ref]) -> dict[Ref, int]:
    """The catalog entity of each reference that has one (by its external id row)."""
    groups: dict[tuple[EntityKind, str], list[str]] = defaultdict(list)
    for ref in refs:
        groups[(ref.kind, ref.namespace)].append(ref.value)
    found: dict[Ref, int] = {}
    for (kind, namespace), values in groups.items():
        for part in chunks(values):
            rows = db.execute(
                "SELECT value, entity_id FROM external_id WHERE entity_kind = ?"
                f" AND namespace = ? AND value IN ({_marks(len(part))})",
                (kind.value, namespace, *part),
            )
            found.update((Ref(kind, namespace, str(r[0])), int(r[1])) for r in rows)
    return found


def max_ids(db: Database) -> dict[str, int]:
    """The largest id of each table the bulk writer allocates ids for (0 when empty)."""
    out: dict[str, int] = {}
    for table in ID_TABLES:
        row = db.one(f"SELECT coalesce(max(id), 0) FROM {table}")
        out[table] = int(row[0]) if row else 0
    return out


def last_merge(db: Database) -> int:
    """A marker that moves whenever entities are merged (merges change ids)."""
    row = db.one("SELECT coalesce(max(rowid), 0) FROM entity_merge")
    return int(row[0]) if row else 0
