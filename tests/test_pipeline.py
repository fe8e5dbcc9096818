"""Ingest guarantees: idempotent, resumable, per-source retraction, problems reported not fatal."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from backends import Backend
from linernotes.demo.build import build_demo
from linernotes.ingest import readers
from linernotes.ingest.pipeline import Item, Stream, ingest
from linernotes.normalize.handles import EvidenceKind, Platform
from linernotes.normalize.records import (
    NAME,
    ArtistRecord,
    CreditRecord,
    EntityKind,
    HandleRecord,
    Problem,
    RecordingRecord,
    Ref,
    SourceRecord,
)
from linernotes.store.catalog import Catalog

TABLES = (
    "artist",
    "artist_name",
    "release",
    "recording",
    "track",
    "external_id",
    "credit",
    "credit_source",
    "fact",
    "fact_source",
    "handle",
    "handle_evidence",
    "chart_entry",
)


def snapshot(catalog: Catalog) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(catalog.db.execute(f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def artist(genius_id: int, name: str) -> ArtistRecord:
    return ArtistRecord(Ref(EntityKind.ARTIST, "genius", str(genius_id)), name)


SONG = Ref(EntityKind.RECORDING, "genius", "1")


def song_record(
    source: str, producers: list[tuple[int, str]], role: str = "producer"
) -> SourceRecord:
    record = SourceRecord(source, "songs/1", "2026-11-01")
    record.artists = [artist(i, n) for i, n in producers]
    record.recordings = [RecordingRecord(SONG, "A Song")]
    record.credits = [
        CreditRecord(Ref(EntityKind.ARTIST, "genius", str(i)), SONG, role, role, n)
        for i, n in producers
    ]
    return record


def stream_of(name: str, items: list[Item], fingerprint: str = "v1") -> Stream:
    def numbered(after: int) -> Iterator[tuple[int, Item]]:
        for number, item in enumerate(items, start=1):
            if number > after:
                yield number, item

    return Stream(name, fingerprint, numbered)


def credits_of(catalog: Catalog) -> set[tuple[str, str, str]]:
    rows = catalog.db.execute(
        "SELECT a.name, c.role, s.source FROM credit c JOIN artist a ON a.id = c.artist_id"
        " JOIN credit_source s ON s.credit_id = c.id"
    )
    return {(str(r[0]), str(r[1]), str(r[2])) for r in rows}


def test_demo_ingest_twice_changes_nothing(backend: Backend, demo_path: Path | str) -> None:
    # The session's demo catalog is the first build (build_demo on an empty catalog); a copy of
    # it is built again. A build of its own here would cost the demo's whole build once more.
    again = Catalog.open(backend.copy(demo_path, "demo_again", index=False))
    try:
        before = snapshot(again)
        reports = build_demo(again)
        assert all(r.already_done for r in reports)
        assert snapshot(again) == before
    finally:
        again.close()


def test_changed_stream_rewrites_only_changed_records(empty: Catalog) -> None:
    first = song_record("genius", [(1, "Vinylz")])
    ingest(empty.db, stream_of("s", [first]))
    before = snapshot(empty)
    report = ingest(empty.db, stream_of("s", [song_record("genius", [(1, "Vinylz")])], "v2"))
    assert (report.written, report.unchanged) == (0, 1)
    assert snapshot(empty) == before


def test_same_fact_from_two_sources_is_one_credit_with_two_sources(empty: Catalog) -> None:
    ingest(empty.db, stream_of("a", [song_record("genius", [(1, "Vinylz")])]))
    ingest(empty.db, stream_of("b", [song_record("genius-2017", [(1, "Vinylz")])]))
    assert empty.counts()["credit"] == 1
    assert empty.counts()["credit_source"] == 2


def test_reingest_retracts_only_what_that_source_no_longer_states(empty: Catalog) -> None:
    ingest(empty.db, stream_of("a", [song_record("genius", [(1, "Vinylz"), (2, "Frank Dukes")])]))
    ingest(empty.db, stream_of("b", [song_record("genius-2017", [(2, "Frank Dukes")])]))
    # Genius now says only Vinylz produced it.
    ingest(empty.db, stream_of("a", [song_record("genius", [(1, "Vinylz")])], "v2"))
    assert credits_of(empty) == {
        ("Vinylz", "producer", "genius"),
        ("Frank Dukes", "producer", "genius-2017"),
    }
    # And when the last source drops it, the credit is gone.
    ingest(empty.db, stream_of("b", [song_record("genius-2017", [])], "v2"))
    assert credits_of(empty) == {("Vinylz", "producer", "genius")}
    assert empty.counts()["credit"] == 1


def test_interrupted_ingest_keeps_whole_batches_and_resumes_without_duplicates(
    empty: Catalog,
) -> None:
    records = [song_record("genius", [(i, f"Producer {i}")]) for i in range(1, 8)]
    for i, record in enumerate(records, start=1):
        record.record_id = f"songs/{i}"
        record.recordings = [RecordingRecord(Ref(EntityKind.RECORDING, "genius", str(i)), f"S{i}")]
        record.credits = [
            CreditRecord(
                Ref(EntityKind.ARTIST, "genius", str(i)),
                record.recordings[0].ref,
                "producer",
                "p",
                "",
            )
        ]

    def crashing(after: int) -> Iterator[tuple[int, Item]]:
        for number, item in enumerate(records, start=1):
            if number == 6:
                raise KeyboardInterrupt  # the machine stops mid-stream
            if number > after:
                yield number, item

    with pytest.raises(KeyboardInterrupt):
        ingest(empty.db, Stream("s", "v1", crashing), batch_size=2)
    assert empty.counts()["recording"] == 4  # two whole batches, nothing half-written
    report = ingest(empty.db, stream_of("s", list(records)), batch_size=2)
    assert report.resumed_from == 4 and report.written == 3
    assert empty.counts()["recording"] == 7 and empty.counts()["credit"] == 7


def test_bad_lines_are_reported_with_file_and_line_and_the_rest_goes_on(
    empty: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "artists.jsonl"
    path.write_text(
        '{"id": 1, "name": "Vinylz"}\n{"id": 2, "name": \n[1, 2]\n'
        '{"name": "no id"}\n{"id": 3, "name": "Frank Dukes"}\n',
        encoding="utf-8",
    )
    report = ingest(empty.db, readers.snapshot_artists(path))
    assert report.written == 2
    found = {(p.locator, p.kind) for p in report.problems}
    assert found == {
        ("artists.jsonl:2", "bad_json"),
        ("artists.jsonl:3", "bad_json"),
        ("artists.jsonl:4", "bad_record"),
    }
    assert "no usable id" in next(p.message for p in report.problems if p.kind == "bad_record")
    stored = empty.db.execute("SELECT locator FROM ingest_problem ORDER BY locator")
    assert [r[0] for r in stored] == ["artists.jsonl:2", "artists.jsonl:3", "artists.jsonl:4"]


def _handle_for(name: str) -> SourceRecord:
    record = SourceRecord("handles-file", f"{name}/instagram", "2026-11-01")
    record.handles = [
        HandleRecord(
            Ref(EntityKind.ARTIST, NAME, name),
            Platform.INSTAGRAM,
            "someone",
            EvidenceKind.WEAK,
            0.4,
        )
    ]
    return record


def test_name_attaches_only_when_unique_and_says_how(empty: Catalog) -> None:
    people = SourceRecord("genius", "artists", "2026-11-01")
    people.artists = [artist(1, "Șerban Ghenea"), artist(2, "Kim"), artist(3, "KIM")]
    ingest(empty.db, stream_of("people", [people]))
    report = ingest(
        empty.db,
        stream_of("h", [_handle_for("serban ghenea"), _handle_for("Kim"), _handle_for("Nobody")]),
    )
    kinds = sorted(p.kind for p in report.problems)
    assert kinds == ["ambiguous_name", "unmatched_name"]
    rules = empty.db.execute(
        "SELECT a.name, e.match_rule FROM handle h JOIN artist a"
        " ON a.id = h.artist_id JOIN handle_evidence e ON e.handle_id = h.id"
    )
    assert rules == [("Șerban Ghenea", "unique_folded_name")]


def test_unresolved_record_is_retried_when_the_name_appears(empty: Catalog) -> None:
    ingest(empty.db, stream_of("h", [_handle_for("Vinylz")]))
    assert empty.counts()["handle"] == 0
    ingest(empty.db, stream_of("people", [song_record("genius", [(1, "Vinylz")])]))
    ingest(empty.db, stream_of("h", [_handle_for("Vinylz")], "v2"))
    assert empty.counts()["handle"] == 1


def test_album_from_api_attaches_to_snapshot_album_by_source_local_key(demo: Catalog) -> None:
    rows = demo.db.execute(
        "SELECT namespace, rule FROM external_id WHERE entity_kind = 'release' AND entity_id ="
        " (SELECT entity_id FROM external_id WHERE namespace = 'genius' AND value = '229460'"
        " AND entity_kind = 'release')"
    )
    assert set(rows) == {("genius", "source_local_key"), ("genius-album-key", "source_local_key")}
    albums = demo.db.execute("SELECT count(*) FROM release WHERE title = '24K Magic'")
    assert albums == [(1,)]


def test_unknown_role_is_kept_counted_and_reported(empty: Catalog, tmp_path: Path) -> None:
    payload = {
        "id": 9,
        "title": "T",
        "primary_artist": {"id": 1, "name": "A"},
        "custom_performances": [
            {"label": "Theremin Whisperer", "artists": [{"id": 2, "name": "B"}]}
        ],
    }
    path = tmp_path / "song_9.json.gz"
    with gzip.open(path, "wt") as f:
        json.dump(payload, f)
    report = ingest(empty.db, readers.genius_api_files([path], "2026-11-01"))
    assert report.unmapped_roles == {"Theremin Whisperer": 1}
    assert [p.kind for p in report.problems] == ["unknown_role"]
    assert "Theremin Whisperer" in report.problems[0].message
    assert credits_of(empty) >= {("B", "unmapped", "genius")}
    assert isinstance(report.problems[0], Problem)


def test_problems_of_unchanged_records_survive_a_changed_stream(empty: Catalog) -> None:
    record = song_record("genius", [(1, "Vinylz")])
    record.problems = [Problem("songs.jsonl:1", "unknown_role", "role 'x' kept as written")]
    ingest(empty.db, stream_of("s", [record]))
    # The file changed elsewhere (new fingerprint): this record is unchanged and skipped...
    report = ingest(
        empty.db, stream_of("s", [record, Problem("songs.jsonl:2", "bad_json", "x")], "v2")
    )
    assert report.unchanged == 1
    # ...but its problem is still on record, beside the new one.
    kinds = sorted(r[0] for r in empty.db.execute("SELECT kind FROM ingest_problem"))
    assert kinds == ["bad_json", "unknown_role"]
