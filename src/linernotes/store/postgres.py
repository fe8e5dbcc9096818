"""The catalog on PostgreSQL (psycopg 3), behind the same `Database` methods as SQLite.

Store code writes SQLite-flavoured portable SQL with `?` placeholders. This class translates it
once per statement text (cached): `?` becomes `%s` outside string literals, a literal `%` is
doubled for psycopg, and the two SQLite functions the store uses are spelled the PostgreSQL way.
Everything else the store writes (ON CONFLICT, RETURNING, partial indexes, CTEs) is the same in
both. Numbers come back as Python int and float, as they do from SQLite (PostgreSQL's numeric
would otherwise arrive as Decimal).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.adapt import Loader

from linernotes.store.catalog import shown
from linernotes.store.db import NestedTransactions, Params, Row

_LITERAL = re.compile(r"('(?:[^']|'')*')")
# SQLite spellings -> PostgreSQL spellings (applied outside string literals).
_FUNCTIONS = (
    (re.compile(r"\bgroup_concat\(", re.IGNORECASE), "string_agg("),
    (re.compile(r"\bchar\((\d+)\)", re.IGNORECASE), r"chr(\1)"),
)
# An advisory-lock key for writers (see `transaction`): "lnotes" in ASCII.
WRITER_LOCK = 0x6C6E6F746573


class _FloatLoader(Loader):
    """numeric -> float: sums and averages read as SQLite's do."""

    def load(self, data: Any) -> float:
        return float(bytes(data))


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """A store statement in psycopg's placeholder style and PostgreSQL's function names."""
    parts = _LITERAL.split(sql)
    for i, part in enumerate(parts):
        part = part.replace("%", "%%")
        if i % 2 == 0:  # outside a string literal
            part = part.replace("?", "%s")
            for pattern, spelled in _FUNCTIONS:
                part = pattern.sub(spelled, part)
        parts[i] = part
    return "".join(parts)


class PostgresDatabase(NestedTransactions):
    """One psycopg connection in autocommit mode; `transaction()` draws the bounds, as SQLite's
    does. Writers serialise on an advisory lock taken at the start of each outer transaction, so
    two ingest processes interleave whole batches, never half-written ones."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = shown(url)  # shown where a SQLite catalog shows its file
        try:
            # A bounded wait: a host that drops packets would otherwise hang for the OS's TCP
            # timeout (minutes) before saying anything.
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as error:
            raise ConnectionError(f"cannot connect to {self.path}: {error}") from None
        # No server-side prepared statements: psycopg prepares a statement after its 5th run, and
        # PostgreSQL then plans it generically; a generic plan of a batch look-up made while a
        # table is nearly empty is a sequential scan kept until autovacuum analyses the table
        # (measured: 0-65 s of a 100 s load of 10k releases; bench/README.md, PostgreSQL).
        self._conn.prepare_threshold = None
        # The server's own cached plans too: a foreign key's check (SELECT ... WHERE id = $1, run
        # per row inserted) is planned once per session, and planned while the referenced table
        # looks empty it scans that table for every row after, however large it grows (measured:
        # 1 ms per credit_source row at 10k credits; writing the Discogs sample 2.8x slower).
        self._conn.execute("SET plan_cache_mode = force_custom_plan")
        self._conn.adapters.register_loader("numeric", _FloatLoader)
        info = self._conn.info
        # Names this catalog among others (its search index folder is named after it).
        self.name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{info.host}-{info.port}-{info.dbname}")

    def _cursor(self) -> psycopg.Cursor[Any]:
        return self._conn.cursor()

    def execute(self, sql: str, params: Params = ()) -> list[Row]:
        with self._cursor() as cur:
            cur.execute(translate(sql), _values(params))
            return cur.fetchall() if cur.description is not None else []

    def one(self, sql: str, params: Params = ()) -> Row | None:
        with self._cursor() as cur:
            cur.execute(translate(sql), _values(params))
            if cur.description is None:
                return None
            row: Row | None = cur.fetchone()
            return row

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        with self._cursor() as cur:
            cur.executemany(translate(sql), [_values(r) for r in rows])

    def executescript(self, sql: str) -> None:
        self._conn.execute(sql.encode())  # bytes: no placeholder processing; several statements

    def copy_rows(self, table: str, columns: tuple[str, ...], rows: Iterable[Row]) -> None:
        """COPY rows into `table`: PostgreSQL's fast path for bulk loads."""
        with (
            self._cursor() as cur,
            cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def _begin(self) -> None:
        self._conn.execute("BEGIN")
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))

    def _end(self, commit: bool) -> None:
        self._conn.execute("COMMIT" if commit else "ROLLBACK")

    def ids_taken(self, tables: Iterable[str]) -> None:
        """Move each table's id sequence past the largest id given explicitly (never back:
        ids of deleted rows are not handed out again)."""
        for table in tables:
            self._conn.execute(
                f"SELECT setval(s, m) FROM (SELECT pg_get_serial_sequence('{table}', 'id') AS s,"
                f" (SELECT max(id) FROM {table}) AS m) AS t"
                " WHERE m > coalesce(pg_sequence_last_value(s::regclass), 0)"
            )

    def grown(self, tables: Iterable[str]) -> None:
        """ANALYZE them now: autovacuum cannot see rows not yet committed, and with the
        statistics of a nearly empty table the planner joins blocking keys by scanning them
        (measured: 2.6 s instead of milliseconds per look-up during a resolve)."""
        self._conn.execute(f"ANALYZE {', '.join(tables)}")

    def analyze(self) -> None:
        self._conn.execute("ANALYZE")

    def has_statistics(self) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'credit'"
            " LIMIT 1"
        ).fetchone()
        return row is not None

    def close(self) -> None:
        self._conn.close()


def _values(params: Params) -> Any:
    if isinstance(params, Mapping):
        return params
    return tuple(params)
