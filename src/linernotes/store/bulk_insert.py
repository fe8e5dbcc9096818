"""Insert many rows at once: multi-row VALUES statements on SQLite, COPY on PostgreSQL.

SQLite: `executemany` runs its statement once per row, and each run opens the table's and
indexes' cursors again; a CHECK (x IN (a, b, c)) constraint even builds a small temporary table
per run. One statement inserting a hundred rows or more pays those once. Measured on the ingest's
rows (SQLite 3.40, 3k-release catalog): external ids 7.8 -> 4.4 us a row, tracks 2.6 -> 1.3,
credit sources 4.2 -> 3.0, credits 4.6 -> 3.9; name tokens (3 columns) and recordings gained
nothing (5.0 -> 5.3 and 5.6 -> 6.0), so callers choose per table.

PostgreSQL: COPY, and for a statement with ON CONFLICT, COPY into a temporary table and one
INSERT ... SELECT ... ON CONFLICT from it in the rows' order. Measured on the bulk writer's rows
(fsync on; seconds inside the insert calls):

- Plain tables, 10k generated Discogs releases end to end (server-side prepared statements off,
  see bench/README.md), two runs each: multi-row VALUES of 999 parameters -> COPY: credits (234k
  rows) 9.3, 8.4 -> 4.6, 4.6; credit sources 9.1, 7.4 -> 4.6, 3.8; tracks 3.6, 3.4 -> 2.4, 2.1;
  all SQL of the load 52, 46 -> 36, 32.
- ON CONFLICT tables, the rows of 5k releases replayed, medians of 3 alternated runs: external
  ids (58k rows, DO NOTHING) VALUES of 999 parameters 1.9-2.3, of 65,535 parameters 4.5,
  unnest() of one array a column 2.5, staged COPY 1.5; name tokens (16k) 0.6-0.9, 0.7, 0.5,
  0.4; source records (DO UPDATE, 5k) 0.2, 0.3, 0.2, 0.1. A VALUES list of thousands of rows
  costs the server more to plan than its rows cost to insert.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

from linernotes.store.db import Database

# SQLite before 3.32 allows 999 parameters a statement; stay under it whatever the version.
MAX_PARAMETERS = 999

# A one-row INSERT whose values are all parameters: the shape COPY can take over.
_INSERT = re.compile(
    r"INSERT INTO (\w+) \(([\w, ]+)\) VALUES \(\?(?:, \?)*\)(?P<conflict> ON CONFLICT .*)?",
    re.DOTALL,
)


@runtime_checkable
class Copying(Protocol):
    """A database that bulk-loads with COPY (store.postgres.PostgresDatabase)."""

    def copy_rows(self, table: str, columns: tuple[str, ...], rows: Iterable[Any]) -> None: ...


@dataclass(frozen=True, slots=True)
class Insert:
    table: str
    columns: tuple[str, ...]
    conflict: str  # " ON CONFLICT ..." or ""


@lru_cache(maxsize=64)
def parse(sql: str) -> Insert | None:
    """`INSERT INTO t (a, b) VALUES (?, ?) [ON CONFLICT ...]` taken apart, or None when the
    statement has another shape (a value that is an expression, a SELECT, ...)."""
    match = _INSERT.fullmatch(sql)
    if match is None:
        return None
    columns = tuple(c.strip() for c in match[2].split(","))
    if sql.partition(" VALUES ")[2].partition(")")[0].count("?") != len(columns):
        return None
    return Insert(match[1], columns, match["conflict"] or "")


@lru_cache(maxsize=64)
def multi_row(sql: str, rows: int) -> str:
    """`INSERT ... VALUES (?, ...) [ON CONFLICT ...]` made to insert `rows` rows at once."""
    head, _, rest = sql.partition(" VALUES ")
    values, conflict, tail = rest.partition(" ON CONFLICT")
    return f"{head} VALUES {', '.join([values] * rows)}{conflict}{tail}"


def insert_rows(db: Database, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
    """Insert `rows` with `sql` (a one-row INSERT ... VALUES), many rows a statement.

    Rows go in the order given, so conflicts resolve as they would one by one. On PostgreSQL
    an ON CONFLICT ... DO UPDATE may not meet one row twice in a call (its rule for a single
    statement); the ingest never gives it two rows with one key."""
    if not rows:
        return
    insert = parse(sql) if db.dialect == "postgresql" else None
    if insert is not None and isinstance(db, Copying):
        if insert.conflict:
            _staged(db, insert, rows)
        else:
            db.copy_rows(insert.table, insert.columns, rows)
        return
    per = max(1, MAX_PARAMETERS // len(rows[0]))
    whole = len(rows) - len(rows) % per
    if whole:
        statement = multi_row(sql, per)
        db.executemany(
            statement,
            [[v for row in rows[k : k + per] for v in row] for k in range(0, whole, per)],
        )
    if whole < len(rows):
        db.executemany(sql, rows[whole:])


class _CopyingDatabase(Database, Copying, Protocol):
    pass


def _staged(db: _CopyingDatabase, insert: Insert, rows: Sequence[tuple[object, ...]]) -> None:
    """COPY into a session-local table, then insert from it in the rows' order (`bulk_order`),
    so the first of two conflicting rows is the one that stays, as one row a statement."""
    names = ", ".join(insert.columns)
    stage = f"bulk_{insert.table}_{zlib.crc32(names.encode()):08x}"  # one per column list
    with db.transaction():
        # Kept for the session (created once, emptied after each use): a temporary table
        # created per call would add catalog rows on every flush.
        db.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} AS"
            f" SELECT 0::bigint AS bulk_order, {names} FROM {insert.table} LIMIT 0"
        )
        db.copy_rows(stage, ("bulk_order", *insert.columns), _numbered(rows))
        db.execute(
            f"INSERT INTO {insert.table} ({names}) SELECT {names} FROM {stage}"
            f" ORDER BY bulk_order{insert.conflict}"
        )
        db.execute(f"TRUNCATE {stage}")


def _numbered(rows: Sequence[tuple[object, ...]]) -> Iterable[tuple[object, ...]]:
    return ((i, *row) for i, row in enumerate(rows))
