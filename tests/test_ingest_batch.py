"""The bulk writer gives exactly the catalog record-by-record writing gives: same rows, same ids.

Both paths ingest the demo's sources (the real 800-release Discogs sample among them) into fresh
catalogs, and every table is compared row by row, times aside.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from backends import Backend, Fresh
from canonical import comparable, exact
from linernotes.demo.build import data_dir, demo_streams
from linernotes.ingest import dumps
from linernotes.ingest.pipeline import IngestReport, Item, Stream, ingest, record_hash
from linernotes.normalize.records import (
    ArtistRecord,
    CreditRecord,
    EntityKind,
    FactRecord,
    Problem,
    RecordingRecord,
    Ref,
    ReleaseRecord,
    SourceRecord,
)
from linernotes.sources import discogs_dump
from linernotes.store.bulk_insert import insert_rows, multi_row
from linernotes.store.catalog import Catalog

SAMPLE = data_dir() / "discogs" / "dump" / "discogs_20200806_releases.sample800.xml.gz"
ARTISTS = data_dir() / "discogs" / "dump" / "discogs_20200806_artists.xml.gz"


# Columns that say when (or in which order), not what.
def summary(report: IngestReport) -> tuple[object, ...]:
    return (
        report.stream,
        report.read,
        report.written,
        report.updated,
        report.unchanged,
        report.rejected,
        report.credits_added,
        report.credits_retracted,
        report.position,
        report.problems,
        dict(report.problem_counts),
        dict(report.unmapped_roles),
    )


def both_ways(
    fresh: Fresh, streams: list[Stream], batch_size: int = 500
) -> tuple[Catalog, Catalog, list[IngestReport], list[IngestReport]]:
    one, bulk = fresh("one_by_one"), fresh("bulk")
    slow = [ingest(one.db, s, batch_size, bulk=False) for s in streams]
    fast = [ingest(bulk.db, s, batch_size, bulk=True) for s in streams]
    return one, bulk, slow, fast


@pytest.mark.slow
def test_demo_sources_bulk_and_record_by_record_give_the_same_catalog(
    fresh: Fresh,
) -> None:
    one, bulk, slow, fast = both_ways(fresh, demo_streams())
    assert [summary(r) for r in fast] == [summary(r) for r in slow]
    assert comparable(bulk.db) == comparable(one.db)
    releases = next(r for r in fast if "releases.sample800" in r.stream)
    assert releases.bulk_written >= 0.9 * releases.written  # the Discogs sample is mostly new
    assert sum(r.bulk_written for r in slow) == 0


# The reports' summaries and the catalog's rows (see canonical.comparable).
Reference = tuple[list[tuple[object, ...]], dict[str, list[tuple[Any, ...]]]]


def discogs_streams() -> list[Stream]:
    return [dumps.discogs(ARTISTS), dumps.discogs(SAMPLE)]


@pytest.fixture(scope="module")
def discogs_one_by_one(backend: Backend) -> Reference:
    """The Discogs sample written record by record, once for every batch size below: writing
    one record at a time, the batch size only says where a transaction commits."""
    one = Catalog.open(backend.new("one_by_one"))
    try:
        slow = [ingest(one.db, s, bulk=False) for s in discogs_streams()]
        return [summary(r) for r in slow], comparable(one.db)
    finally:
        one.close()


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [7, 50])
def test_discogs_sample_in_small_batches(
    fresh: Fresh, discogs_one_by_one: Reference, batch_size: int
) -> None:
    """Small batches put record-by-record writes (unlinked names, repeated records) between
    bulk flushes at many different places."""
    bulk = fresh("bulk")
    fast = [ingest(bulk.db, s, batch_size, bulk=True) for s in discogs_streams()]
    summaries, rows = discogs_one_by_one
    assert [summary(r) for r in fast] == summaries
    assert comparable(bulk.db) == rows


def test_bulk_ingest_twice_adds_nothing(empty: Catalog) -> None:
    first = ingest(empty.db, dumps.discogs(SAMPLE))
    before = exact(empty.db)
    again = ingest(empty.db, dumps.discogs(SAMPLE))
    assert first.written == 800 and again.already_done
    stream = dumps.discogs(SAMPLE)
    changed = Stream(stream.name, "another fingerprint", stream.items)
    third = ingest(empty.db, changed)  # read again in full: every record unchanged by hash
    assert (third.written, third.unchanged) == (0, 800)
    after = exact(empty.db)
    after.pop("ingest_checkpoint"), before.pop("ingest_checkpoint")
    assert after == before


def listed(name: str, make: Callable[[], list[Item]]) -> Stream:
    """A stream that makes its items afresh on each read, as reading a file does (writing a
    record moves its barcodes to facts)."""

    def numbered(after: int) -> Iterator[tuple[int, Item]]:
        yield from ((n, item) for n, item in enumerate(make(), start=1) if n > after)

    return Stream(name, "v1", numbered)


def release(
    record_id: str, title: str, producer: tuple[str, str], barcode: str = ""
) -> SourceRecord:
    record = SourceRecord("test", record_id, "2026-11-01")
    subject = Ref(EntityKind.RELEASE, "test", record_id)
    also = [Ref(EntityKind.RELEASE, "upc", barcode)] if barcode else []
    record.releases = [ReleaseRecord(subject, title, also_known_as=also)]
    track = Ref(EntityKind.RECORDING, "test_track", f"{record_id}:1")
    record.recordings = [RecordingRecord(track, f"{title} (song)", release=subject)]
    artist = Ref(EntityKind.ARTIST, "test", producer[0])
    record.artists = [ArtistRecord(artist, producer[1])]
    record.credits = [
        CreditRecord(artist, track, "producer", "Producer", producer[1]),
        CreditRecord(artist, track, "producer", "Produced By", producer[1]),  # same credit
        CreditRecord(artist, subject, "main_artist", "Main", producer[1]),
    ]
    record.facts = [
        FactRecord(subject, "label", "Label A", "label"),
        FactRecord(subject, "label", "LABEL A", "label"),  # the same fact, folded
    ]
    return record


def test_awkward_batches_match_record_by_record(fresh: Fresh) -> None:
    """Repeats and changes of one record inside a batch, an artist credited under another name,
    bad barcodes, problems between records, unknown references."""

    def items() -> list[Item]:
        unknown = release("r5", "Five", ("p9", "Nobody"))
        ghost = Ref(EntityKind.ARTIST, "test", "ghost")
        unknown.credits.append(CreditRecord(ghost, unknown.releases[0].ref, "x", "x", ""))
        return [
            release("r1", "One", ("p1", "Ann")),
            release("r2", "Two", ("p1", "Ann B."), barcode="0 74646 36282 2"),
            Problem("file:3", "bad_json", "broken"),
            release("r1", "One", ("p1", "Ann")),  # repeated: unchanged
            release("r1", "One again", ("p2", "Bob")),  # changed within the batch
            release("r3", "Three", ("p2", "Bob"), barcode="12345"),  # not a barcode
            unknown,
            release("r4", "Four", ("p1", "Ann")),
        ]

    streams = [listed("awkward", items)]
    one, bulk, slow, fast = both_ways(fresh, streams)
    assert [summary(r) for r in fast] == [summary(r) for r in slow]
    assert comparable(bulk.db) == comparable(one.db)
    assert fast[0].bulk_written == 3  # r1, r2 and r4; the rest record by record


def test_dump_records_carry_a_cheap_content_hash() -> None:
    first = [r for _, r in discogs_dump.iter_releases(SAMPLE) if isinstance(r, SourceRecord)]
    again = [r for _, r in discogs_dump.iter_releases(SAMPLE) if isinstance(r, SourceRecord)]
    assert all(r.content_hash for r in first)
    assert [record_hash(r) for r in first] == [record_hash(r) for r in again]
    assert len({record_hash(r) for r in first}) == len(first)
    # Without the reader's digest the record's own content is hashed, as before.
    plain = first[0]
    plain.content_hash = ""
    assert record_hash(plain) != record_hash(again[0])


def test_multi_row_inserts_keep_the_order_of_conflicts(empty: Catalog) -> None:
    """Rows go in many at a statement, in order: the first of two conflicting rows stands, as
    it does one row a statement; a remainder smaller than a statement goes in too."""
    sql = (
        "INSERT INTO name_token (token, entity_kind, entity_id) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING"
    )
    assert multi_row(sql, 2).count("(?, ?, ?)") == 2
    rows = [(f"t{i % 400}", "artist", i % 400) for i in range(1_000)]  # 600 repeats
    with empty.db.transaction():
        insert_rows(empty.db, sql, rows)
    stored = empty.db.execute("SELECT token, entity_id FROM name_token ORDER BY entity_id")
    assert stored == [(f"t{i}", i) for i in range(400)]
    checked = (
        "INSERT INTO external_id (entity_kind, namespace, value, entity_id, rule, source)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
    )
    first = [("artist", "test", str(i), i, "source_id", "one") for i in range(1, 400)]
    again = [("artist", "test", str(i), i, "source_id", "two") for i in range(1, 400)]
    with empty.db.transaction():
        insert_rows(empty.db, checked, first + again)
    sources = empty.db.execute("SELECT DISTINCT source FROM external_id")
    assert sources == [("one",)]
