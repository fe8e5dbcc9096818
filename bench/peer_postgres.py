"""PostgreSQL pg_trgm as a search peer: Debian's postgresql, started by the benchmark.

The server is the store's throwaway local PostgreSQL (linernotes.store.pg_local: as the
`postgres` user, from a temp dir of the work dir, on 127.0.0.1, a free port and a unix socket in
that dir, stopped by its pid) with this peer's own settings; the benchmark talks to it over the
socket (over loopback TCP when the work dir is too deep for a socket's path). Settings
(SETTINGS below) suit a 24 GiB box: shared_buffers 2GB, effective_cache_size 12GB,
work_mem 64MB, maintenance_work_mem 1GB (index builds), jit off (compiling costs more than it
saves on queries this short), wal_level minimal, so the table and its index, made in the load's
one transaction, skip the WAL and are fsynced once at commit; fsync stays on.

Table entry(id, kind, name, aliases, importance, folded), folded = lower(unaccent(name | aliases))
as a stored generated column, so Postgres folds as it loads. Query (DEFAULT_VARIANT): candidates by
word similarity (`fold(q) <% folded`: the best-matching stretch of folded, so a prefix or an alias
is not diluted by the rest of the string) >= 0.4, through a GIN trigram index; ranked by word
distance + whole-string distance (the whole-string term prefers the name the query spells out
entirely over a longer one that contains it), importance breaking ties. Chosen by measurement on
1M synthetic entries (bench/smoke_peers.py --pg ...): GiST was 6-10x slower to query and 4x slower
to build; threshold 0.3 tripled latency for no recall, 0.5 lost two-typo recall; the added
whole-string term lifted recall@10 from 0.885 to 0.925 at the same latency.

Engine time: the query's server-side time, measured inside the server by a plpgsql function
(clock_timestamp around a dynamic EXECUTE, so each query is planned for its own value as a plain
query is): planning + execution, one execution per search, no protocol or client time.
`last_roundtrip_ms` keeps the client's round trip over the unix socket for the same call, and
`explain_ms` gives EXPLAIN ANALYZE's Planning + Execution Time as a cross-check.

Load time: COPY (streamed from a file written beforehand, so the client only moves bytes) +
CREATE INDEX + ANALYZE. disk_bytes: pg_total_relation_size(entry): heap, TOAST and index.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg
from search_peers import EntryLike, PeerError, children, pss_bytes

from linernotes.store.pg_local import LocalPostgres, LocalPostgresError

SETTINGS = {
    "shared_buffers": "2GB",
    "effective_cache_size": "12GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "1GB",
    "max_parallel_maintenance_workers": "2",
    "jit": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "30min",
}


@dataclass(frozen=True)
class Variant:
    """One way to search with pg_trgm: which index, which filter, which order."""

    index: str  # "gin" | "gist"
    match: str  # the operator that filters (query on its left), threshold from `setting`
    order: str  # distances (1 - similarity) to sort by, smallest first; {q} is the query
    setting: str  # the pg_trgm threshold the match operator reads
    threshold: float


WORD = "pg_trgm.word_similarity_threshold"
KINDS = {  # kind -> (match, order, threshold setting)
    "word": ("<%", "{q} <<-> folded", WORD),
    # Word similarity finds the name that contains the query; adding whole-string similarity
    # prefers, among those, the one the query spells out entirely.
    "wordwhole": ("<%", "({q} <<-> folded) + ({q} <-> folded)", WORD),
    "strict": ("<<%", "{q} <<<-> folded", "pg_trgm.strict_word_similarity_threshold"),
    "whole": ("%", "{q} <-> folded", "pg_trgm.similarity_threshold"),
}
VARIANTS = {
    f"{index}-{kind}-{threshold}": Variant(index, *KINDS[kind][:2], KINDS[kind][2], threshold)
    for index in ("gin", "gist")
    for kind in KINDS
    for threshold in (0.3, 0.4, 0.5, 0.6)
}
DEFAULT_VARIANT = "gin-wordwhole-0.4"

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
-- unaccent is STABLE (its dictionary could change); pinned to one dictionary it is safe to call
-- IMMUTABLE, which a generated column needs.
CREATE OR REPLACE FUNCTION fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;
"""
TABLE = """
CREATE TABLE entry (
    id bigint NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    aliases text NOT NULL,
    importance integer NOT NULL,
    folded text GENERATED ALWAYS AS (fold(name || ' | ' || aliases)) STORED
)
"""
QUERY = (
    "SELECT ARRAY(SELECT id FROM entry WHERE {q} {match} folded"
    " ORDER BY {order}, importance DESC LIMIT {k})"
)
# Timed inside the server: planned afresh for each value (EXECUTE), as a plain query would be.
SEARCH_FUNCTION = """
CREATE OR REPLACE FUNCTION peer_search(q text, k integer, OUT ids bigint[], OUT ms float8)
LANGUAGE plpgsql AS $f$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE $q${query}$q$ INTO ids USING fold(q), k;
    ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
END
$f$
"""


def _copy_field(text: str) -> str:
    """Text escaped for COPY's text format."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_copy_file(entries: Iterable[EntryLike], path: Path) -> int:
    """Write entries as COPY text rows; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        for e in entries:
            aliases = _copy_field(" | ".join(e.aliases))
            out.write(f"{e.id}\t{_copy_field(e.kind)}\t{_copy_field(e.name)}\t{aliases}\t")
            out.write(f"{e.importance}\n")
            count += 1
    return count


class PostgresPeer:
    """PostgreSQL 15 with pg_trgm; see the module docstring for what is timed."""

    name = "postgres-pg_trgm"

    def __init__(self, variant: str = DEFAULT_VARIANT) -> None:
        self.variant_name = variant
        self.variant = VARIANTS[variant]
        self.server: LocalPostgres | None = None
        # One connection per calling thread, so a harness measuring QPS from several threads
        # gets as many server backends working at once.
        self.local = threading.local()
        self.conns: list[psycopg.Connection[Any]] = []
        self.lock = threading.Lock()
        self.last_roundtrip_ms = 0.0
        self.load_stats: dict[str, float] = {}

    def __enter__(self) -> PostgresPeer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self, workdir: Path) -> None:
        settings = {**SETTINGS, self.variant.setting: str(self.variant.threshold)}  # all sessions
        self.server = LocalPostgres(workdir, settings)
        try:
            self.server.start()
        except LocalPostgresError as error:
            self.server.stop()
            raise PeerError(f"postgres: {error}") from None

    def _db(self) -> psycopg.Connection[Any]:
        """This thread's connection (over the unix socket), opened on first use."""
        conn: psycopg.Connection[Any] | None = getattr(self.local, "conn", None)
        if conn is None:
            if self.server is None:
                raise PeerError("postgres peer not started")
            conn = psycopg.connect(self.server.url(), autocommit=True)
            self.local.conn = conn
            with self.lock:
                self.conns.append(conn)
        return conn

    def load(self, entries: Iterable[EntryLike]) -> float:
        """COPY the entries, build the trigram index, ANALYZE; returns those seconds."""
        db = self._db()
        assert self.server is not None and self.server.folder is not None
        rows = self.server.folder / "entries.copy"  # goes with the server's folder
        t0 = time.perf_counter()
        count = write_copy_file(entries, rows)
        prepared = time.perf_counter()
        db.execute(SCHEMA)
        with db.transaction():
            db.execute("DROP TABLE IF EXISTS entry")
            db.execute(TABLE)
            with (
                db.cursor() as cur,
                cur.copy("COPY entry (id, kind, name, aliases, importance) FROM STDIN") as copy,
                rows.open("rb") as source,
            ):
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
            copied = time.perf_counter()
            ops = "gin_trgm_ops" if self.variant.index == "gin" else "gist_trgm_ops"
            db.execute(
                f"CREATE INDEX entry_folded ON entry USING {self.variant.index} (folded {ops})"
            )
            indexed = time.perf_counter()
        db.execute("ANALYZE entry")
        done = time.perf_counter()
        rows.unlink()
        db.execute(SEARCH_FUNCTION.format(query=self._query("$1", "$2")))
        self.load_stats = {
            "entries": count,
            "prepare_s": prepared - t0,
            "copy_s": copied - prepared,
            "index_s": indexed - copied,
            "analyze_s": done - indexed,
        }
        return done - prepared

    def _query(self, q: str, k: str, escape: bool = False) -> str:
        """The search query; `escape` doubles the operator's % for psycopg's placeholders."""
        match = self.variant.match.replace("%", "%%") if escape else self.variant.match
        return QUERY.format(q=q, k=k, match=match, order=self.variant.order.format(q=q))

    def disk_bytes(self) -> int:
        row = self._db().execute("SELECT pg_total_relation_size('entry')").fetchone()
        assert row is not None
        return int(row[0])

    def memory_bytes(self) -> int:
        """The server's resident memory: Pss of the postmaster and its children together."""
        assert self.server is not None and self.server.proc is not None
        pid = self.server.proc.pid
        return pss_bytes([pid, *children(pid)])

    def search(self, query: str, k: int = 10) -> tuple[list[int], float]:
        """Top-k ids and the server-side time of the query in ms (planning + execution)."""
        t0 = time.perf_counter()
        row = self._db().execute("SELECT * FROM peer_search(%s, %s)", (query, k)).fetchone()
        self.last_roundtrip_ms = (time.perf_counter() - t0) * 1000
        assert row is not None
        return list(row[0] or []), float(row[1])

    def explain_ms(self, query: str, k: int = 10) -> float:
        """EXPLAIN ANALYZE's Planning + Execution Time for the same query (runs it once more)."""
        sql = "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + self._query(
            "fold(%(q)s)", "%(k)s", escape=True
        )
        # Client-side binding: the server plans for the literal, as peer_search's EXECUTE does.
        row = psycopg.ClientCursor(self._db()).execute(sql, {"q": query, "k": k}).fetchone()
        assert row is not None
        plan = row[0][0]
        return float(plan["Planning Time"]) + float(plan["Execution Time"])

    def plan(self, query: str, k: int = 10) -> str:
        """The plan the server picks for a query, for reports."""
        sql = "EXPLAIN " + self._query("fold(%(q)s)", "%(k)s", escape=True)
        rows = psycopg.ClientCursor(self._db()).execute(sql, {"q": query, "k": k})
        return "\n".join(r[0] for r in rows)

    def stop(self) -> None:
        """Stop the server by its pid (fast shutdown); its temp dir goes with it."""
        try:
            with self.lock:
                for conn in self.conns:
                    conn.close()
                self.conns.clear()
            self.local = threading.local()
        finally:
            if self.server is not None:
                self.server.stop()
                self.server = None
