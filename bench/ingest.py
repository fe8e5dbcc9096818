"""Ingest throughput: generate large dumps from the real samples, then time reading and loading.

    .venv/bin/python bench/ingest.py                       # 10k and 100k releases (~10 min)
    .venv/bin/python bench/ingest.py --sizes 10000 --repeats 1          # a quick look (~1 min)
    .venv/bin/python bench/ingest.py --large               # also 1M releases (~40 min more)
    .venv/bin/python bench/ingest.py --generate-only --sizes 1000000    # just write the dumps
    .venv/bin/python bench/ingest.py --sizes 2000 --ingest-only         # make bench: both backends
    .venv/bin/python bench/ingest.py --backend postgresql               # PostgreSQL only

The generator cycles the 800 real <release> elements of the Discogs sample, each written as it is
but for a fresh release id (track positions unchanged, so track keys are fresh too). Artist ids
are renewed per artist every `--artist-every` cycles, staggered by id, so the artist table keeps
growing as in a real dump (0: never, artists shared by all cycles; 1: all new every cycle). The
MusicBrainz recording dump (.tar.xz, mbdump/recording) cycles the recorded ws/2 recording documents,
each line with a fresh MBID (uuid5 of its line number). Both are written streaming and cached under
--work (not in the repository); catalogs are temporary.

Each measurement runs in a fresh child process (its ru_maxrss is that measurement's peak alone):
a bare lxml iterparse loop; the reader up to the internal dicts (`iter_release_dicts`); the reader
up to source records (`iter_releases`, parse only); and `ingest` end to end into a new catalog
(bulk writer), plus, at the smallest size, once record by record (`bulk=False`) for a same-run
comparison. Rates are medians of --repeats runs. A cProfile of a 5k-release ingest says where
the time goes. Writes bench/results/ingest.json.

PostgreSQL (--backend postgresql or both, the default): the same dump end to end into a fresh
database of a PostgreSQL 15 the benchmark starts (store.pg_local, on loopback, stopped by its pid)
with durable settings (PG_SETTINGS: fsync, synchronous_commit and full_page_writes on), each run
a new database made beforehand and dropped after; with the catalog's indexes in place, or with
`--pg-indexes after` (or `both`) its secondary indexes dropped before the load and built after it
(`indexes_after`; the build is part of the timed run: measured no faster, so not the default).
Peak memory is the client's (ru_maxrss of the child, as for SQLite) and the server's apart: the
largest PSS of the postmaster and its processes together, sampled every 0.25 s while the child
runs (shared buffers counted once).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import itertools
import json
import os
import platform
import pstats
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson
from lxml import etree  # type: ignore[import-untyped]
from search_peers import children, pss_bytes

from linernotes.ingest import dumps
from linernotes.ingest.pipeline import Item, Stream, ingest
from linernotes.normalize.discogs_release import release_record
from linernotes.normalize.musicbrainz import PARSERS
from linernotes.normalize.records import SourceRecord
from linernotes.sources import discogs_dump, musicbrainz_dump
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.store.pg_local import LocalPostgres

VERSION = 1  # bump when the generated dumps change (cached files are keyed by it)
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src/linernotes/demo/data"
DISCOGS_SAMPLE = DATA / "discogs/dump/discogs_20200806_releases.sample800.xml.gz"
MB_SAMPLES = sorted((DATA / "musicbrainz/ws2-json").glob("recording*.json.gz"))
RESULTS = Path(__file__).resolve().parent / "results" / "ingest.json"
WORK = Path(tempfile.gettempdir()) / "linernotes-bench-ingest"
SIZES = (10_000, 100_000)
LARGE = 1_000_000
PROFILE_SIZE = 5_000
ARTIST_OFFSET = 100_000_000  # above every real Discogs artist id
ARTIST_EVERY = 12  # 5,476 distinct artists per 800 releases / 12 = ~0.57 new artists a release
MB_NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # uuid.NAMESPACE_URL
MB_PLACEHOLDER = b'"id":"@@MBID@@"'
PEERS = {"discogs-xml2db Python exporter to CSV": 4_500, "bare lxml loop (issue)": 16_000}
TARGET = {"releases_per_s": 6_000, "peak_mb_at_1m": 1_024}
_RELEASE_ID = re.compile(rb'^<release id="\d+"')
_ARTIST_ID = re.compile(rb"<artist><id>(\d+)</id>")


# -- Discogs generator -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Template:
    """One real release element, cut where the release id and the artist ids go."""

    parts: tuple[bytes, ...]  # literal bytes around the artist ids (one more than the ids)
    artist_ids: tuple[int, ...]
    xml_credits: int  # <artist> elements under <artists>/<extraartists>, tracks included
    credits: int  # credit records the reader makes of it (roles split, artists billed per track)


@dataclass(slots=True)
class DumpStats:
    path: str
    items: int = 0
    item_bytes: int = 0  # uncompressed bytes of the elements or lines themselves
    xml_credits: int = 0
    credits: int = 0
    file_bytes: int = 0
    seconds: float = 0.0

    def averages(self) -> dict[str, float]:
        n = max(self.items, 1)
        return {
            "bytes_per_item": round(self.item_bytes / n),
            "xml_credits_per_item": round(self.xml_credits / n, 2),
            "credits_per_item": round(self.credits / n, 2),
        }


def discogs_templates(sample: Path = DISCOGS_SAMPLE) -> list[Template]:
    with gzip.open(sample) as f:
        return [_template(el) for _, el in _elements(f, "release")]


def _elements(f: Any, tag: str) -> Iterator[tuple[str, Any]]:
    for event, element in etree.iterparse(f, events=("end",), tag=tag, huge_tree=True):
        yield event, element
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


def _template(element: Any) -> Template:
    credits = len(release_record(discogs_dump.release_from_element(element), "x").credits)
    raw = _RELEASE_ID.sub(b"", etree.tostring(element, with_tail=False), count=1)
    pieces = _ARTIST_ID.split(raw)
    ids = tuple(int(x) for x in pieces[1::2])
    xml_credits = len(element.findall(".//artist"))  # release and track credits alike
    return Template(tuple(pieces[0::2]), ids, xml_credits, credits)


def artist_id(original: int, cycle: int, every: int) -> int:
    """The artist id in `cycle`: renewed every `every` cycles, each artist at its own phase."""
    if every <= 0 or original <= 0:
        return original
    return original + ARTIST_OFFSET * ((cycle + original % every) // every)


def render(template: Template, release_id: int, cycle: int, every: int) -> bytes:
    out = [b'<release id="%d"' % release_id, template.parts[0]]
    for original, literal in zip(template.artist_ids, template.parts[1:], strict=True):
        out += (b"<artist><id>%d</id>" % artist_id(original, cycle, every), literal)
    return b"".join(out)


def write_discogs(path: Path, count: int, every: int) -> DumpStats:
    templates = discogs_templates()
    stats, start = DumpStats(str(path)), time.perf_counter()
    with gzip.open(path, "wb", compresslevel=6) as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<releases>\n')
        for chunk in _chunks(count, 1000):
            out.write(b"".join(_discogs_release(templates, i, every, stats) for i in chunk))
        out.write(b"</releases>\n")
    stats.file_bytes, stats.seconds = path.stat().st_size, time.perf_counter() - start
    return stats


def _chunks(count: int, size: int) -> Iterator[range]:
    return (range(i, min(i + size, count)) for i in range(0, count, size))


def _discogs_release(templates: list[Template], i: int, every: int, stats: DumpStats) -> bytes:
    template = templates[i % len(templates)]
    data = render(template, i + 1, i // len(templates), every) + b"\n"
    stats.items += 1
    stats.item_bytes += len(data) - 1
    stats.xml_credits += template.xml_credits
    stats.credits += template.credits
    return data


# -- MusicBrainz generator ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineTemplate:
    head: bytes
    tail: bytes  # after the MBID, newline included
    credits: int

    @property
    def size(self) -> int:
        return len(self.head) + 36 + len(self.tail)


def mb_templates() -> list[LineTemplate]:
    out = []
    for sample in MB_SAMPLES:
        doc = orjson.loads(gzip.decompress(sample.read_bytes()))
        head, tail = orjson.dumps({**doc, "id": "@@MBID@@"}).split(MB_PLACEHOLDER)
        record = musicbrainz_dump.parse_line(orjson.dumps(doc), PARSERS["recording"], "x", "x")
        credits = len(record.credits) if isinstance(record, SourceRecord) else 0
        out.append(LineTemplate(head + b'"id":"', b'"' + tail + b"\n", credits))
    return out


def mb_line(templates: list[LineTemplate], i: int) -> bytes:
    template = templates[i % len(templates)]
    return template.head + str(uuid.uuid5(MB_NAMESPACE, str(i + 1))).encode() + template.tail


class _Lines(io.BytesIO):
    """A read-only file over generated lines: tarfile copies a member from it chunk by chunk."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        super().__init__()
        self._lines, self._buffer = iter(lines), bytearray()

    def read(self, size: int | None = -1) -> bytes:
        want = sys.maxsize if size is None or size < 0 else size
        while len(self._buffer) < want:
            line = next(self._lines, None)
            if line is None:
                break
            self._buffer += line
        data = bytes(self._buffer[:want])
        del self._buffer[:want]
        return data


def write_musicbrainz(path: Path, count: int) -> DumpStats:
    templates = mb_templates()
    sizes = [templates[i % len(templates)].size for i in range(min(count, len(templates)))]
    full, rest = divmod(count, len(templates))
    member = full * sum(t.size for t in templates) + sum(sizes[:rest])
    stats, start = DumpStats(str(path), items=count, item_bytes=member - count), time.perf_counter()
    stats.credits = full * sum(t.credits for t in templates) + sum(
        t.credits for t in templates[:rest]
    )
    with tarfile.open(path, "w:xz", preset=1) as tar:
        _add(tar, "TIMESTAMP", b"2026-05-23 00:10:01.950537+00\n")
        _add(tar, "JSON_DUMPS_SCHEMA_NUMBER", b"1\n")
        lines = (mb_line(templates, i) for i in range(count))
        _add_file(tar, "mbdump/recording", _Lines(lines), member)
    stats.file_bytes, stats.seconds = path.stat().st_size, time.perf_counter() - start
    return stats


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    _add_file(tar, name, io.BytesIO(data), len(data))


def _add_file(tar: tarfile.TarFile, name: str, data: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.mtime, info.size = 1_700_000_000, size
    tar.addfile(info, data)


# -- cached dumps ------------------------------------------------------------------------------


def dump(kind: str, count: int, every: int, work: Path) -> DumpStats:
    """The generated dump (cached in `work` with its statistics beside it)."""
    name = (
        f"discogs_20200806_releases.gen{count}-a{every}-v{VERSION}.xml.gz"
        if kind == "discogs"
        else f"recording.gen{count}-v{VERSION}.tar.xz"
    )
    path, meta = work / name, work / f"{name}.json"
    if path.exists() and meta.exists():
        return DumpStats(**json.loads(meta.read_text()))
    work.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"partial-{name}")
    write = write_discogs(partial, count, every) if kind == "discogs" else None
    stats = write if write is not None else write_musicbrainz(partial, count)
    partial.rename(path)
    stats.path = str(path)
    meta.write_text(json.dumps(asdict(stats)))
    return stats


# -- measurements (each in its own child process) ----------------------------------------------


def child_main(kind: str, path: Path, limit: int, where: str = "") -> dict[str, Any]:
    baseline = _peak_mb()
    start = time.perf_counter()
    result = PG_MEASURES[kind](path, limit, where) if where else MEASURES[kind](path, limit)
    result["seconds"] = time.perf_counter() - start
    result["peak_mb"], result["baseline_mb"] = _peak_mb(), baseline
    return result


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def bare_lxml(path: Path, limit: int) -> dict[str, Any]:
    with gzip.open(path) as f:
        count = sum(1 for _ in itertools.islice(_elements(f, "release"), limit or None))
    return {"items": count}


def release_dicts(path: Path, limit: int) -> dict[str, Any]:
    items = itertools.islice(discogs_dump.iter_release_dicts(path), limit or None)
    return {"items": sum(1 for _, item in items if isinstance(item, dict))}


def _count_records(items: Iterable[tuple[int, Item]]) -> dict[str, Any]:
    count = credits = 0
    for _, item in items:
        if isinstance(item, SourceRecord):
            count, credits = count + 1, credits + len(item.credits)
    return {"items": count, "credits": credits}


def parse_releases(path: Path, limit: int) -> dict[str, Any]:
    return _count_records(itertools.islice(discogs_dump.iter_releases(path), limit or None))


def parse_recordings(path: Path, limit: int) -> dict[str, Any]:
    items = musicbrainz_dump.iter_dump(path, "recording")
    return _count_records(itertools.islice(items, limit or None))


def _timed(items: Iterator[tuple[int, Item]], marks: list[float]) -> Iterator[tuple[int, Item]]:
    """Pass the items through, noting the elapsed time at every 10,000th."""
    start = time.perf_counter()
    for n, item in enumerate(items, 1):
        if n % 10_000 == 0:
            marks.append(round(time.perf_counter() - start, 2))
        yield item


def _ingest(
    path: Path, stream: Stream, limit: int, bulk: bool = True, where: str = "", late: bool = False
) -> dict[str, Any]:
    """Ingest into a new SQLite file, or into the PostgreSQL database `where` (empty, made for
    this run); `late`: its secondary indexes dropped first and built after, in the timed run."""
    marks: list[float] = []
    limited = Stream(
        stream.name,
        stream.fingerprint,
        lambda after: _timed(itertools.islice(stream.items(after), limit or None), marks),
    )
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        catalog = Catalog.open(where or Path(tmp) / "catalog.sqlite3")
        start = time.perf_counter()
        indexes = drop_secondary_indexes(catalog.db) if late else []
        report = ingest(catalog.db, limited, bulk=bulk)
        loaded = time.perf_counter()
        build_indexes(catalog.db, indexes)
        seconds = time.perf_counter() - start
        rows = catalog.counts()
        db_mb = _db_mb(catalog.db, Path(tmp))
        catalog.close()
    return {
        "items": report.read,
        "written": report.written,
        "bulk_written": report.bulk_written,  # of those, written set-wise by the batch writer
        "credits": report.credits_added,
        "problems": len(report.problems),
        "ingest_seconds": seconds,
        "marks_every_10k": marks,
        "rows": rows,
        "db_mb": round(db_mb, 1),
        **({"index_build_seconds": round(seconds - (loaded - start), 2)} if late else {}),
    }


def _db_mb(db: Database, folder: Path) -> float:
    if db.dialect == "postgresql":
        row = db.one("SELECT pg_database_size(current_database())")
        return int(row[0]) / 2**20 if row else 0.0
    return sum(f.stat().st_size for f in folder.iterdir()) / 2**20


# Secondary indexes the bulk load reads (batch_lookup.records_with_assertions): kept during a
# load, or each batch would scan the whole table. Measured with pg_stat_user_indexes after a
# 3k-release load: of the non-unique indexes only fact_source_record was read.
LOAD_READS = frozenset({"fact_source_record", "handle_evidence_record", "chart_entry_record"})


def drop_secondary_indexes(db: Database) -> list[str]:
    """Drop the catalog's non-unique indexes that a load does not read; their definitions.
    Unique ones stay: ON CONFLICT and the look-ups by key need them."""
    found = db.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND NOT i.indisunique ORDER BY c.relname"
    )
    dropped = [(str(name), str(sql)) for name, sql in found if name not in LOAD_READS]
    for name, _ in dropped:
        db.execute(f"DROP INDEX {name}")
    return [sql for _, sql in dropped]


def build_indexes(db: Database, definitions: list[str]) -> None:
    for sql in definitions:  # plain column indexes: the load's ANALYZE already covers them
        db.execute(sql)


def ingest_discogs(path: Path, limit: int) -> dict[str, Any]:
    return _ingest(path, dumps.discogs(path), limit)


def ingest_discogs_by_record(path: Path, limit: int) -> dict[str, Any]:
    """The record-by-record path the bulk writer replaces (its reference in the tests)."""
    return _ingest(path, dumps.discogs(path), limit, bulk=False)


def ingest_musicbrainz(path: Path, limit: int) -> dict[str, Any]:
    return _ingest(path, dumps.musicbrainz(path, "recording"), limit)


def ingest_discogs_postgres(path: Path, limit: int, where: str) -> dict[str, Any]:
    return _ingest(path, dumps.discogs(path), limit, where=where)


def ingest_discogs_postgres_late(path: Path, limit: int, where: str) -> dict[str, Any]:
    return _ingest(path, dumps.discogs(path), limit, where=where, late=True)


def profile_discogs(path: Path, limit: int) -> dict[str, Any]:
    profiler = cProfile.Profile()
    profiler.enable()
    result = _ingest(path, dumps.discogs(path), limit)
    profiler.disable()
    stats = pstats.Stats(profiler)
    result["stages"] = stage_times(stats)
    result["sql_calls"] = sql_calls(stats)
    sql = sum(call["seconds"] for call in result["sql_calls"].values())
    result["groups_percent"] = profile_groups(result["stages"], sql, result["ingest_seconds"])
    result["top"] = top_functions(stats, 15)
    return result


MEASURES: dict[str, Callable[[Path, int], dict[str, Any]]] = {
    "lxml": bare_lxml,
    "dicts": release_dicts,
    "parse": parse_releases,
    "ingest": ingest_discogs,
    "ingest-by-record": ingest_discogs_by_record,
    "profile": profile_discogs,
    "mb-parse": parse_recordings,
    "mb-ingest": ingest_musicbrainz,
}
# Kinds measured on PostgreSQL (the child gets a database URL): what they write in results.
PG_MEASURES: dict[str, Callable[[Path, int, str], dict[str, Any]]] = {
    "ingest-pg": ingest_discogs_postgres,
    "ingest-pg-late": ingest_discogs_postgres_late,
}
PG_KEYS = {"ingest-pg": "ingest_postgresql", "ingest-pg-late": "ingest_postgresql_indexes_after"}


# -- where the time goes -----------------------------------------------------------------------

Func = tuple[str, int, str]
# Entry points whose cumulative time is one stage each (none runs inside another).
STAGES = {
    "read XML (lxml, gzip, iter_elements)": ("discogs_dump.py", "iter_elements"),
    "element -> dicts": ("discogs_dump.py", "release_from_element"),
    "dicts -> source record": ("discogs_release.py", "release_record"),
    "content digest (reader)": ("discogs_dump.py", "content_digest"),
    "record_hash": ("pipeline.py", "record_hash"),
    "batch look-ups (BatchWriter.prepare)": ("batch_writer.py", "prepare"),
    "bulk rows (BatchWriter.write)": ("batch_writer.py", "write"),
    "bulk inserts (BatchWriter.flush)": ("batch_writer.py", "flush"),
    "record by record (RecordWriter.write)": ("record_writer.py", "write"),
    "commits (transaction)": ("db.py", "transaction"),
}


def _table(stats: pstats.Stats) -> dict[Func, Any]:
    table: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]
    return table


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds in each stage's entry point."""
    out = dict.fromkeys(STAGES, 0.0)
    for (filename, _, name), value in _table(stats).items():
        for stage, (base, function) in STAGES.items():
            if Path(filename).name == base and name == function:
                out[stage] += value[3]
    return {stage: round(seconds, 2) for stage, seconds in out.items()}


def sql_calls(stats: pstats.Stats) -> dict[str, dict[str, float]]:
    """Every sqlite3 method called (execute, executemany, fetchone, ...): calls, own seconds."""
    return {
        name: {"calls": value[1], "seconds": round(value[2], 2)}
        for (_, _, name), value in _table(stats).items()
        if "sqlite3." in name
    }


def profile_groups(stages: dict[str, float], sql: float, total: float) -> dict[str, float]:
    """Per cent of the profiled ingest: parse, build records, hashing, SQL (time inside sqlite3
    calls, wherever made: inserts, look-ups, commits), and the store's Python (the rest of
    writing: planning the batch, making rows, ids, caches)."""
    names = list(STAGES)
    groups = {
        "parse (XML + dicts)": stages[names[0]] + stages[names[1]],
        "build records": stages[names[2]],
        "hashing (digest + record_hash)": stages[names[3]] + stages[names[4]],
        "SQL (inside sqlite3)": sql,
    }
    groups["store Python (rest)"] = total - sum(groups.values())
    return {group: round(100 * seconds / total, 1) for group, seconds in groups.items()}


def top_functions(stats: pstats.Stats, count: int) -> list[dict[str, Any]]:
    ranked = sorted(_table(stats).items(), key=lambda kv: kv[1][2], reverse=True)[:count]
    return [
        {
            "function": f"{Path(f[0]).name}:{f[1]}({f[2]})" if f[0] != "~" else f[2],
            "calls": v[1],
            "tottime": round(v[2], 2),
            "cumtime": round(v[3], 2),
        }
        for f, v in ranked
    ]


# -- orchestration -----------------------------------------------------------------------------


# Durable PostgreSQL sized for this box (2 cores, 24 GiB shared with other work): every commit
# flushed (fsync, synchronous_commit), torn pages guarded (full_page_writes); 1 GB of shared
# buffers holds a 100k-release catalog (~1 GB on disk at 100k); checkpoints spaced out so a load
# writes each page's full image rarely; maintenance memory for building indexes after a load.
PG_SETTINGS = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "shared_buffers": "1GB",
    "effective_cache_size": "8GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "max_connections": "20",
    "jit": "off",
}
SAMPLE_EVERY_S = 0.25


class PgServer:
    """The benchmark's PostgreSQL: one server for the run, a fresh database for each ingest."""

    def __init__(self, work: Path) -> None:
        import psycopg  # here: a SQLite-only run needs no driver

        work.chmod(0o755)  # the server runs as the postgres user and keeps its data in here
        self.server = LocalPostgres(work, PG_SETTINGS)
        self.server.start()
        try:
            self.admin = psycopg.connect(self.server.url(), autocommit=True)
        except BaseException:
            self.server.stop()
            raise
        self.count = itertools.count(1)
        row = self.admin.execute("SHOW server_version").fetchone()
        self.version = str(row[0]) if row else "?"

    @contextmanager
    def database(self) -> Iterator[str]:
        name = f"ingest_{next(self.count)}"
        self.admin.execute(f"CREATE DATABASE {name}")
        try:
            yield self.server.url(name)
        finally:
            self.admin.execute(f"DROP DATABASE {name}")

    def pid(self) -> int:
        assert self.server.proc is not None
        return self.server.proc.pid

    def stop(self) -> None:
        self.admin.close()
        self.server.stop()


class PeakPss:
    """The largest PSS of a process and its children together, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakPss:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()

    def _sample(self) -> None:
        while not self.done.wait(SAMPLE_EVERY_S):
            self.peak = max(self.peak, pss_bytes([self.pid, *children(self.pid)]))

    @property
    def mb(self) -> float:
        return round(self.peak / 2**20, 1)


def run_child(kind: str, path: Path, limit: int = 0, pg: PgServer | None = None) -> dict[str, Any]:
    if pg is None:
        return _child([sys.executable, __file__, "--child", kind, str(path), str(limit)])
    with pg.database() as url, PeakPss(pg.pid()) as server:
        result = _child([sys.executable, __file__, "--child", kind, str(path), str(limit), url])
    result["server_peak_mb"] = server.mb
    return result


def _child(command: list[str]) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"{command[3]} on {Path(command[4]).name} failed:\n{done.stderr[-3000:]}"
        )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def measure(
    kind: str, path: Path, repeats: int, limit: int = 0, pg: PgServer | None = None
) -> dict[str, Any]:
    runs = [run_child(kind, path, limit, pg) for _ in range(repeats)]
    seconds = [r.get("ingest_seconds", r["seconds"]) for r in runs]
    median = statistics.median(seconds)
    last = runs[-1]
    summary = {
        "runs": len(runs),
        "seconds": [round(s, 2) for s in seconds],
        "items": last["items"],
        "items_per_s": round(last["items"] / median),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "baseline_mb": last["baseline_mb"],
    }
    if "credits" in last:
        summary["credits_per_s"] = round(last["credits"] / median)
    if pg is not None:
        summary["server_peak_mb"] = max(r["server_peak_mb"] for r in runs)
        summary["index_build_seconds"] = [
            r["index_build_seconds"] for r in runs if "index_build_seconds" in r
        ]
    extra = ("credits", "written", "bulk_written", "problems", "marks_every_10k", "rows", "db_mb")
    summary.update({k: last[k] for k in extra if k in last})
    server = f" + server {summary['server_peak_mb']:,.0f} MB" if pg is not None else ""
    print(
        f"  {kind:<14} {summary['items_per_s']:>7,}/s  peak {summary['peak_mb']:,.0f} MB{server}  "
        f"{[round(s, 1) for s in seconds]} s",
        flush=True,
    )
    return summary


def measure_size(size: int, args: argparse.Namespace, pg: PgServer | None) -> dict[str, Any]:
    stats = dump("discogs", size, args.artist_every, args.work)
    path = Path(stats.path)
    print(f"{size:,} releases: {path.name} ({stats.file_bytes / 2**20:,.0f} MB gz)", flush=True)
    out: dict[str, Any] = {"dump": {**asdict(stats), **stats.averages()}}
    kinds = [] if args.ingest_only else ["lxml", "dicts", "parse"]
    kinds += ["ingest"] if args.backend in ("sqlite", "both") else []
    for kind in kinds:
        large = kind in ("dicts", "ingest") and size > min(args.sizes)
        out[kind] = measure(kind, path, args.large_repeats if large else args.repeats)
    if size == min(args.sizes) and not args.ingest_only and "ingest" in out:
        out["ingest_by_record"] = measure("ingest-by-record", path, 1)  # the same run's rate
    for kind in PG_KINDS[args.pg_indexes] if pg is not None else ():
        repeats = args.large_repeats if size > min(args.sizes) else args.repeats
        out[PG_KEYS[kind]] = measure(kind, path, repeats, pg=pg)
    if pg is not None and "ingest" in out:
        out["postgresql_vs_sqlite"] = versus(out)
    return out


PG_KINDS = {
    "kept": ("ingest-pg",),
    "after": ("ingest-pg-late",),
    "both": ("ingest-pg", "ingest-pg-late"),
}


def versus(out: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL's rate over SQLite's (1.0: as fast), for its better way with indexes."""
    measured = [k for k in ("ingest_postgresql", "ingest_postgresql_indexes_after") if k in out]
    best = max(measured, key=lambda k: out[k]["items_per_s"])
    return {
        "postgresql": best,
        "releases_per_s": round(out[best]["items_per_s"] / out["ingest"]["items_per_s"], 3),
        "credits_per_s": round(out[best]["credits_per_s"] / out["ingest"]["credits_per_s"], 3),
    }


def measure_musicbrainz(size: int, args: argparse.Namespace) -> dict[str, Any]:
    stats = dump("musicbrainz", size, 0, args.work)
    path = Path(stats.path)
    print(f"{size:,} recordings: {path.name} ({stats.file_bytes / 2**20:,.1f} MB xz)", flush=True)
    out: dict[str, Any] = {"dump": {**asdict(stats), **stats.averages()}}
    out["parse"] = measure("mb-parse", path, args.repeats)
    out["ingest"] = measure("mb-ingest", path, args.repeats)
    return out


def estimate_1m(sizes: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """1M releases from the two largest measured sizes: time at the last 10k's rate for the
    rest, peak memory growing linearly with the releases."""
    (small, a), (big, b) = sorted(sizes.items())[-2:]
    marks = b["ingest"].get("marks_every_10k") or [b["ingest"]["seconds"][-1]]
    tail_rate = 10_000 / (marks[-1] - marks[-2]) if len(marks) > 1 else b["ingest"]["items_per_s"]
    hours = (statistics.median(b["ingest"]["seconds"]) + (LARGE - big) / tail_rate) / 3600
    growth = (b["ingest"]["peak_mb"] - a["ingest"]["peak_mb"]) / (big - small)
    return {
        "last_10k_rate": round(tail_rate),
        "hours": round(hours, 2),
        "peak_mb": round(b["ingest"]["peak_mb"] + growth * (LARGE - big)),
        "basis": f"{small:,} and {big:,} releases measured; 1M not run",
    }


def shares(result: dict[str, Any]) -> dict[str, float]:
    """Unprofiled: each stage's share of the end-to-end time per release, from the rates."""
    per = {k: 1 / result[k]["items_per_s"] for k in ("lxml", "dicts", "parse", "ingest")}
    stages = {
        "XML parsing (bare lxml)": per["lxml"],
        "element -> dicts": per["dicts"] - per["lxml"],
        "dicts -> source records": per["parse"] - per["dicts"],
        "store (hash, entities, credits, SQL)": per["ingest"] - per["parse"],
    }
    return {k: round(100 * v / per["ingest"], 1) for k, v in stages.items()}


def table(sizes: dict[int, dict[str, Any]]) -> str:
    head = "| releases | bare lxml /s | reader to dicts /s | parse only /s | end to end /s |"
    head += " credits/s | peak MB (end to end) | catalog MB |\n|" + "---:|" * 8
    rows = [
        f"| {size:,} | {r['lxml']['items_per_s']:,} | {r['dicts']['items_per_s']:,} "
        f"| {r['parse']['items_per_s']:,} | {r['ingest']['items_per_s']:,} "
        f"| {r['ingest']['credits_per_s']:,} | {r['ingest']['peak_mb']:,.0f} "
        f"| {r['ingest']['db_mb']:,.0f} |"
        for size, r in sorted(sizes.items())
    ]
    return "\n".join([head, *rows])


BACKENDS = (
    ("ingest", "SQLite"),
    ("ingest_postgresql", "PostgreSQL"),
    ("ingest_postgresql_indexes_after", "PostgreSQL, indexes after"),
)


def backend_table(sizes: dict[int, dict[str, Any]]) -> str:
    """End to end on each backend: medians, client and server peaks, the runs' seconds."""
    head = "| releases | backend | releases/s | credits/s | client peak MB | server peak MB |"
    head += " catalog MB | runs (s) |\n|---:|---|" + "---:|" * 5 + "---|"
    rows = [
        f"| {size:,} | {name} | {m['items_per_s']:,} | {m['credits_per_s']:,} "
        f"| {m['peak_mb']:,.0f} | {m.get('server_peak_mb', 0):,.0f} | {m['db_mb']:,.0f} "
        f"| {', '.join(f'{x:.1f}' for x in m['seconds'])} |"
        for size, r in sorted(sizes.items())
        for key, name in BACKENDS
        if (m := r.get(key)) is not None
    ]
    return "\n".join([head, *rows])


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "lxml": ".".join(map(str, etree.LXML_VERSION)),
        "load_average_at_start": os.getloadavg(),
    }


def source_state() -> dict[str, Any]:
    """The commit measured, and src/ files changed from it (read-only git calls)."""

    def git(*words: str) -> str:
        done = subprocess.run(["git", *words], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "HEAD"),
        "src_tree": git("rev-parse", "HEAD:src"),  # what is measured: src/ alone
        "src_changes": git("status", "--short", "src"),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = datetime.now(UTC)
    results: dict[str, Any] = {"date": started.isoformat(timespec="seconds"), "machine": machine()}
    results["command"] = " ".join(["bench/ingest.py", *sys.argv[1:]])
    results["source"] = source_state()
    pg = PgServer(args.work) if args.backend in ("postgresql", "both") else None
    try:
        if pg is not None:
            results["postgresql"] = {"version": pg.version, "settings": PG_SETTINGS}
        sizes = {size: measure_size(size, args, pg) for size in args.sizes}
    finally:
        if pg is not None:
            pg.stop()
    results["discogs"] = {str(k): v for k, v in sizes.items()}
    if not args.ingest_only and args.backend != "postgresql":
        more_sqlite(results, sizes, args)
    results["peers"], results["target"] = PEERS, TARGET
    results["wall_seconds"] = round((datetime.now(UTC) - started).total_seconds())
    now = source_state()
    if any(now[k] != results["source"][k] for k in ("src_tree", "src_changes")):
        results["warning"] = f"src changed during the run: now {now}"
    return results


def more_sqlite(results: dict[str, Any], sizes: dict[int, Any], args: argparse.Namespace) -> None:
    """Where the time goes (stage shares, a profile), MusicBrainz, the 1M estimate: SQLite."""
    results["shares_percent"] = {str(k): shares(v) for k, v in sizes.items()}
    profile_path = Path(dump("discogs", PROFILE_SIZE, args.artist_every, args.work).path)
    print(f"profile: {PROFILE_SIZE:,} releases end to end under cProfile", flush=True)
    results["profile"] = run_child("profile", profile_path)
    if not args.no_musicbrainz:
        results["musicbrainz"] = measure_musicbrainz(min(args.sizes), args)
    if len(sizes) >= 2 and LARGE not in sizes:
        results["estimate_1m"] = estimate_1m(sizes)


def report(results: dict[str, Any], out: Path) -> None:
    sizes = {int(k): v for k, v in results["discogs"].items()}
    if "shares_percent" in results:
        print("\n" + table(sizes))
        for size, share in results["shares_percent"].items():
            print(f"{int(size):,}: " + ", ".join(f"{k} {v}%" for k, v in share.items()))
        profile = results["profile"]
        print(
            f"profile of {profile['items']:,} releases ({profile['ingest_seconds']:.1f} s): ",
            end="",
        )
        print(", ".join(f"{k} {v}%" for k, v in profile["groups_percent"].items()))
    print("\n" + backend_table(sizes))
    for size, r in sorted(sizes.items()):
        if "postgresql_vs_sqlite" in r:
            print(f"{size:,}: PostgreSQL / SQLite {r['postgresql_vs_sqlite']}")
    if "estimate_1m" in results:
        print(f"1M estimate: {results['estimate_1m']}")
    print(f"wall time {results['wall_seconds']} s; wrote {out}; {results['source']}")
    if "warning" in results:
        print(f"WARNING: {results['warning']}: the sizes may have measured different code")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    p.add_argument("--large", action="store_true", help=f"also {LARGE:,} releases")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument(
        "--large-repeats",
        type=int,
        default=1,
        help="runs of end to end and reader-to-dicts above the smallest size (time budget)",
    )
    p.add_argument("--artist-every", type=int, default=ARTIST_EVERY)
    p.add_argument("--work", type=Path, default=WORK, help="where dumps and catalogs go")
    p.add_argument("--no-musicbrainz", action="store_true")
    p.add_argument("--generate-only", action="store_true")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    p.add_argument(
        "--pg-indexes",
        choices=tuple(PG_KINDS),
        default="kept",  # building them after measured no faster (bench/README.md)
        help="PostgreSQL: the catalog's indexes kept during the load, built after it, or both",
    )
    p.add_argument(
        "--ingest-only",
        action="store_true",
        help="only end to end on the backends (no reader stages, profile or MusicBrainz)",
    )
    args = p.parse_args(argv)
    if args.large and LARGE not in args.sizes:
        args.sizes.append(LARGE)
    return args


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        print(json.dumps(child_main(argv[1], Path(argv[2]), int(argv[3]), *argv[4:5])))
        return 0
    args = parse_args(argv)
    if args.generate_only:
        for size in args.sizes:
            print(json.dumps(dump("discogs", size, args.artist_every, args.work).averages()))
        return 0
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    report(results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
