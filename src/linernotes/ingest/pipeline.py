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
from functools import cache

from linernotes.ingest.batch_lookup import stored_hashes
from linernotes.ingest.batch_writer import MARK_DONE, BatchWriter, BulkRun, Written
from linernotes.ingest.record_writer import RecordWriter
from linernotes.normalize.records import Problem, SourceRecord
from linernotes.store.db import Database, now_iso
from linernotes.store.entities import IdCache

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
    bulk_written: int = 0  # of the records written, those the bulk writer took (set-wise)
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
    """A hash of what the record states, ignoring when it was retrieved and where it was read.

    A reader that digests the payload itself (`content_hash`) saves hashing the record: that
    digest, with READERS_VERSION (bumped whenever parsing changes what a payload yields), stands
    for the record. Others hash the record's repr (~270 us for a Discogs release, against ~15).
    """
    if record.content_hash:
        text = f"{_readers_version()}:{record.content_hash}"
        return hashlib.sha256(text.encode()).hexdigest()
    kept = record.retrieved_at, record.origin, record.problems
    record.retrieved_at, record.origin, record.problems = "", "", []
    try:
        return hashlib.sha256(repr(record).encode()).hexdigest()
    finally:
        record.retrieved_at, record.origin, record.problems = kept


@cache
def _readers_version() -> int:
    # Imported late: the readers module builds its streams on this one.
    from linernotes.ingest.readers import READERS_VERSION

    return READERS_VERSION


def ingest(
    db: Database, stream: Stream, batch_size: int = 500, *, bulk: bool = True
) -> IngestReport:
    """Read the stream into the catalog. `bulk` writes each batch set-wise where that gives the
    very rows record-by-record writing gives (see `batch_writer`); False writes one record at a
    time, the reference the bulk writer is tested against."""
    report = IngestReport(stream.name)
    start = _start_position(db, stream, report)
    if report.already_done:
        return report
    if start == 0:
        db.execute("DELETE FROM ingest_problem WHERE stream = ?", (stream.name,))
    batch: list[tuple[int, Item]] = []
    report.cache = IdCache()
    run = BulkRun() if bulk else None
    for numbered in stream.items(start):
        batch.append(numbered)
        if len(batch) >= batch_size:
            _commit(db, stream, batch, report, run, done=False)
            batch = []
    _commit(db, stream, batch, report, run, done=True)
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
    db: Database,
    stream: Stream,
    batch: list[tuple[int, Item]],
    report: IngestReport,
    run: BulkRun | None,
    *,
    done: bool,
) -> None:
    last = batch[-1][0] if batch else max(report.position, report.resumed_from)
    with db.transaction():
        if run is None:
            for position, item in batch:
                _write_item(db, stream.name, item, report)
                report.position = position
        else:
            _write_batch(db, stream.name, batch, report, run)
        db.execute(
            "INSERT INTO ingest_checkpoint (stream, fingerprint, position, done, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (stream) DO UPDATE SET"
            " fingerprint = excluded.fingerprint, position = excluded.position,"
            " done = excluded.done, updated_at = excluded.updated_at",
            (stream.name, stream.fingerprint, last, int(done), now_iso()),
        )


def _write_item(db: Database, stream: str, item: Item, report: IngestReport) -> None:
    """One item, record by record: the reference behaviour."""
    if isinstance(item, Problem):
        report.rejected += 1
        _record_problems(db, stream, [item], report)
        return
    report.read += 1
    digest = record_hash(item)
    _write_record(db, stream, item, report, digest, stored_hash(db, item))


def _write_batch(
    db: Database, stream: str, batch: list[tuple[int, Item]], report: IngestReport, run: BulkRun
) -> None:
    """The same outcome as `_write_item` on each item in turn, with the batch's look-ups made
    together and new records written by the bulk writer; a record it cannot take (seen before,
    or attached by name, ...) is written record by record between two of its flushes."""
    records = [item for _, item in batch if isinstance(item, SourceRecord)]
    digests = [record_hash(r) for r in records]
    stored = stored_hashes(db, records)
    writer = BatchWriter(db, report.cache, run)
    writer.prepare([r for r in records if stored.get((r.source, r.record_id)) is None])
    done = iter(zip(records, digests, strict=True))
    for position, item in batch:
        report.position = position
        if isinstance(item, Problem):
            report.rejected += 1
            _record_problems(db, stream, [item], report)
            continue
        record, digest = next(done)
        report.read += 1
        key = (record.source, record.record_id)
        if stored.get(key) == digest:
            _unchanged(db, stream, record, report)
            continue
        written = writer.write(record, digest) if stored.get(key) is None else None
        if written is not None:
            _written(db, stream, record, report, written, [])
            report.bulk_written += 1
            stored[key] = digest
            continue
        writer.flush()
        if _write_record(db, stream, record, report, digest, stored.get(key)):
            stored[key] = digest
        writer.after_slow_write(record)
    writer.flush()


def stored_hash(db: Database, record: SourceRecord) -> str | None:
    row = db.one(
        "SELECT content_hash FROM source_record WHERE source = ? AND record_id = ?",
        (record.source, record.record_id),
    )
    return None if row is None else str(row[0])


def _unchanged(db: Database, stream: str, record: SourceRecord, report: IngestReport) -> None:
    report.unchanged += 1
    # The stream's problems were cleared when it restarted: the record's own still stand.
    _record_problems(db, stream, record.problems, report)


def _written(
    db: Database,
    stream: str,
    record: SourceRecord,
    report: IngestReport,
    written: Written,
    problems: list[Problem],
) -> None:
    report.credits_added += written.changes.added
    report.credits_retracted += written.changes.retracted
    _record_problems(db, stream, record.problems + problems, report)
    report.unmapped_roles.update(written.unmapped_roles)
    report.written += 1


def _write_record(
    db: Database,
    stream: str,
    record: SourceRecord,
    report: IngestReport,
    digest: str,
    stored: str | None,
) -> bool:
    """Write one record by itself; True when it is marked done (its hash stored)."""
    if stored == digest:
        _unchanged(db, stream, record, report)
        return False
    writer = RecordWriter(db, record, report.cache)
    changes = writer.write(fresh=stored is None)
    report.updated += stored is not None
    _written(db, stream, record, report, Written(changes, writer.unmapped_roles), writer.problems)
    if writer.problems:
        # Unresolved references may resolve later (a name that gains its entity): don't mark
        # the record as done, so the next run tries it again.
        return False
    db.execute(MARK_DONE, (record.source, record.record_id, digest, record.retrieved_at, now_iso()))
    return True


def _record_problems(
    db: Database, stream: str, problems: list[Problem], report: IngestReport
) -> None:
    if not problems:
        return
    report.problem_counts.update(p.kind for p in problems)
    room = MAX_EXAMPLES - len(report.problems)
    if room > 0:
        report.problems.extend(problems[:room])
    db.executemany(
        "INSERT INTO ingest_problem (stream, locator, kind, message, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [(stream, p.locator, p.kind, p.message, now_iso()) for p in problems],
    )
