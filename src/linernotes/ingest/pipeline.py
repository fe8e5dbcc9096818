"""The ingest pipeline: source records in, catalog rows with provenance out.

A stream (a file, a dump, an API crawl) yields numbered items: source records, or problems found
while reading. Each batch of records is written in one transaction together with the stream's
checkpoint, so an interruption leaves only whole records and a re-run resumes after the last
committed one. A record whose content has not changed since it was last written is skipped, so
running an ingest twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from linernotes.ingest.record_writer import RecordWriter
from linernotes.normalize.records import Problem, SourceRecord
from linernotes.store.db import Database
from linernotes.store.entities import IdCache, now_iso

Item = SourceRecord | Problem


@dataclass(frozen=True, slots=True)
class Stream:
    """A numbered sequence of items; `items(after)` yields those numbered above `after`."""

    name: str  # e.g. "genius-2017/songs.jsonl"
    fingerprint: str  # changes when the content changes (a hash of the file)
    items: Callable[[int], Iterator[tuple[int, Item]]]
    # How much of the input is read (0 to 1), where it can be told: dumps, for an ETA.
    progress: Callable[[], float | None] | None = None


@dataclass(slots=True)
class IngestReport:
    stream: str
    read: int = 0  # source records read (problems not counted)
    written: int = 0  # records written: new ones and changed ones
    updated: int = 0  # of those, records the catalog held before in another version
    unchanged: int = 0
    rejected: int = 0  # items that could not be used at all (a broken line, a bad record)
    credits_added: int = 0
    credits_retracted: int = 0
    resumed_from: int = 0  # the checkpoint this run started after
    position: int = 0  # the last item committed
    already_done: bool = False
    problems: list[Problem] = field(default_factory=list)  # the first MAX_EXAMPLES, as examples
    problem_counts: Counter[str] = field(default_factory=Counter)  # every problem, by kind
    unmapped_roles: Counter[str] = field(default_factory=Counter)
    cache: IdCache = field(default_factory=IdCache, repr=False)  # entity ids seen this run


# Problems kept in memory as examples; all of them are in the ingest_problem table. A dump can
# have hundreds of thousands, and holding every one would grow memory with the dump.
MAX_EXAMPLES = 1000


def record_hash(record: SourceRecord) -> str:
    """A hash of what the record states, ignoring when it was retrieved and where it was read."""
    kept = record.retrieved_at, record.origin, record.problems
    record.retrieved_at, record.origin, record.problems = "", "", []
    try:
        return hashlib.sha256(repr(record).encode()).hexdigest()
    finally:
        record.retrieved_at, record.origin, record.problems = kept


def ingest(db: Database, stream: Stream, batch_size: int = 500) -> IngestReport:
    report = IngestReport(stream.name)
    start = _start_position(db, stream, report)
    if report.already_done:
        return report
    if start == 0:
        db.execute("DELETE FROM ingest_problem WHERE stream = ?", (stream.name,))
    batch: list[tuple[int, Item]] = []
    report.cache = IdCache()
    for numbered in stream.items(start):
        batch.append(numbered)
        if len(batch) >= batch_size:
            _commit(db, stream, batch, report, done=False)
            batch = []
    _commit(db, stream, batch, report, done=True)
    if report.written:
        db.analyze()  # keep the planner's statistics in step with what was loaded
    return report


def _start_position(db: Database, stream: Stream, report: IngestReport) -> int:
    row = db.one(
        "SELECT fingerprint, position, done FROM ingest_checkpoint WHERE stream = ?",
        (stream.name,),
    )
    if row is None or row[0] != stream.fingerprint:
        return 0  # new or changed content: read it all; unchanged records are skipped by hash
    report.already_done = bool(row[2])
    report.resumed_from = int(row[1])
    return int(row[1])


def _commit(
    db: Database, stream: Stream, batch: list[tuple[int, Item]], report: IngestReport, *, done: bool
) -> None:
    last = batch[-1][0] if batch else max(report.position, report.resumed_from)
    with db.transaction():
        for position, item in batch:
            if isinstance(item, Problem):
                report.rejected += 1
                _record_problems(db, stream.name, [item], report)
            else:
                report.read += 1
                _write_record(db, stream.name, item, report)
            report.position = position
        db.execute(
            "INSERT INTO ingest_checkpoint (stream, fingerprint, position, done, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (stream) DO UPDATE SET"
            " fingerprint = excluded.fingerprint, position = excluded.position,"
            " done = excluded.done, updated_at = excluded.updated_at",
            (stream.name, stream.fingerprint, last, int(done), now_iso()),
        )


def _write_record(db: Database, stream: str, record: SourceRecord, report: IngestReport) -> None:
    digest = record_hash(record)
    row = db.one(
        "SELECT content_hash FROM source_record WHERE source = ? AND record_id = ?",
        (record.source, record.record_id),
    )
    if row is not None and row[0] == digest:
        report.unchanged += 1
        # The stream's problems were cleared when it restarted: the record's own still stand.
        _record_problems(db, stream, record.problems, report)
        return
    writer = RecordWriter(db, record, report.cache)
    changes = writer.write(fresh=row is None)
    report.credits_added += changes.added
    report.credits_retracted += changes.retracted
    report.updated += row is not None
    problems = record.problems + writer.problems
    _record_problems(db, stream, problems, report)
    report.unmapped_roles.update(writer.unmapped_roles)
    report.written += 1
    if writer.problems:
        # Unresolved references may resolve later (a name that gains its entity): don't mark
        # the record as done, so the next run tries it again.
        return
    db.execute(
        "INSERT INTO source_record (source, record_id, content_hash, retrieved_at, ingested_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, record_id) DO UPDATE SET"
        " content_hash = excluded.content_hash, retrieved_at = excluded.retrieved_at,"
        " ingested_at = excluded.ingested_at",
        (record.source, record.record_id, digest, record.retrieved_at, now_iso()),
    )


def _record_problems(
    db: Database, stream: str, problems: list[Problem], report: IngestReport
) -> None:
    report.problem_counts.update(p.kind for p in problems)
    room = MAX_EXAMPLES - len(report.problems)
    if room > 0:
        report.problems.extend(problems[:room])
    db.executemany(
        "INSERT INTO ingest_problem (stream, locator, kind, message, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [(stream, p.locator, p.kind, p.message, now_iso()) for p in problems],
    )
