"""The MusicBrainz JSON dump reader, on archives built like the real ones from recorded documents.

A real dump (e.g. `recording.tar.xz`) holds metadata files (TIMESTAMP, JSON_DUMPS_SCHEMA_NUMBER,
...) and `mbdump/<entity>` with one ws/2 JSON document per line. The archives here are built the
same way from the recorded ws/2 responses, each line given its own MBID as a dump's lines have.
"""

from __future__ import annotations

import io
import tarfile
import tracemalloc
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from conftest import demo_json
from linernotes.ingest.pipeline import Item, Stream, ingest
from linernotes.normalize.records import Problem, SourceRecord
from linernotes.sources.musicbrainz_dump import dump_fingerprint, iter_dump
from linernotes.store.catalog import Catalog

RECORDINGS = (
    "recording",
    "recording_composer",
    "recording_credits",
    "recording_generic_instrument",
    "recording_instrumental",
    "recording_multiple_works",
    "recording_video",
)
TIMESTAMP = b"2026-05-23 00:10:01.950537+00\n"


def mb(name: str) -> dict[str, Any]:
    return demo_json(f"musicbrainz/ws2-json/{name}.json.gz")


def dump_lines(names: tuple[str, ...], count: int) -> list[bytes]:
    """`count` documents cycling through the recorded ones, each with a distinct MBID."""
    documents = [mb(name) for name in names]
    return [
        orjson.dumps({**documents[i % len(documents)], "id": str(uuid.UUID(int=i + 1))})
        for i in range(count)
    ]


def build_dump(path: Path, entity: str, lines: list[bytes], timestamp: bytes = TIMESTAMP) -> Path:
    members = [("COPYING", b"CC0\n"), ("JSON_DUMPS_SCHEMA_NUMBER", b"1\n")]
    if timestamp:
        members.append(("TIMESTAMP", timestamp))
    members.append((f"mbdump/{entity}", b"".join(line + b"\n" for line in lines)))
    with tarfile.open(path, "w:xz", preset=1) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    return path


def records(items: list[tuple[int, Item]]) -> list[SourceRecord]:
    return [item for _, item in items if isinstance(item, SourceRecord)]


def test_recording_dump_yields_one_record_per_line_with_its_credits(tmp_path: Path) -> None:
    path = build_dump(tmp_path / "recording.tar.xz", "recording", dump_lines(RECORDINGS, 14))
    items = list(iter_dump(path, "recording"))
    assert [n for n, _ in items] == list(range(1, 15))
    parsed = records(items)
    assert len(parsed) == 14
    first = parsed[0]
    assert first.record_id == f"recordings/{uuid.UUID(int=1)}"
    assert first.origin == "recording.tar.xz:mbdump/recording:1"
    assert first.retrieved_at == "2026-05-23T00:10:01+00:00"  # from the TIMESTAMP file
    roles = {(c.credited_name, c.role, c.raw_role) for c in first.credits}
    assert ("Amy Wadge", "songwriter", "work:writer") in roles
    assert ("Ed Sheeran", "lead_vocalist", "vocal+lead vocals") in roles
    # The eighth line is recording.json again: the same credits under its own MBID.
    assert parsed[7].recordings[0].title == "Thinking Out Loud"
    assert {c.subject.value for c in parsed[7].credits} == {str(uuid.UUID(int=8))}


def test_release_and_artist_dumps_dispatch_to_their_parsers(tmp_path: Path) -> None:
    releases = ("release", "release_djmix", "release_multidisc", "release_official_beets")
    path = build_dump(tmp_path / "release.tar.xz", "release", dump_lines(releases, 4))
    parsed = records(list(iter_dump(path, "release")))
    assert [len(r.recordings) for r in parsed] == [10, 0, 7, 1]
    assert parsed[0].releases[0].title == "The Dark Side of the Moon"
    assert any(c.role == "executive_producer" for c in parsed[1].credits)
    artists = build_dump(tmp_path / "artist.tar.xz", "artist", dump_lines(("artist",), 2))
    names = [r.artists[0].name for r in records(list(iter_dump(artists, "artist")))]
    assert names == ["Ed Sheeran", "Ed Sheeran"]


def test_resuming_after_a_line_skips_what_was_done(tmp_path: Path) -> None:
    path = build_dump(tmp_path / "recording.tar.xz", "recording", dump_lines(RECORDINGS, 9))
    assert [n for n, _ in iter_dump(path, "recording", after=6)] == [7, 8, 9]


def test_broken_lines_are_problems_and_reading_goes_on(tmp_path: Path) -> None:
    lines = dump_lines(RECORDINGS, 5)
    lines[1] = lines[1][:200]  # cut mid-document
    lines[3] = b'["an array, not a recording"]'
    lines.insert(4, b"")  # blank lines are allowed and skipped
    lines.append(orjson.dumps({"id": "not-an-mbid", "title": "x"}))
    wrong_shape = {**orjson.loads(lines[0]), "relations": [["not", "an", "object"]]}
    lines.append(orjson.dumps(wrong_shape))
    path = build_dump(tmp_path / "recording.tar.xz", "recording", lines)
    items = list(iter_dump(path, "recording"))
    problems = [(n, p.locator, p.kind) for n, p in items if isinstance(p, Problem)]
    assert problems == [
        (2, "recording.tar.xz:mbdump/recording:2", "bad_json"),
        (4, "recording.tar.xz:mbdump/recording:4", "bad_json"),
        (7, "recording.tar.xz:mbdump/recording:7", "bad_record"),
        (8, "recording.tar.xz:mbdump/recording:8", "bad_record"),
    ]
    assert [n for n, item in items if isinstance(item, SourceRecord)] == [1, 3, 6]


def test_truncated_archive_yields_what_came_before_then_says_where(tmp_path: Path) -> None:
    lines = dump_lines(RECORDINGS, 300)
    whole = build_dump(tmp_path / "recording.tar.xz", "recording", lines).read_bytes()
    cut = tmp_path / "cut.tar.xz"
    cut.write_bytes(whole[: len(whole) * 3 // 4])
    items = list(iter_dump(cut, "recording"))
    *good, (number, last) = items
    assert isinstance(last, Problem) and last.kind == "truncated_archive"
    assert 0 < len(good) < 300
    assert [n for n, _ in good] == list(range(1, len(good) + 1))
    assert all(isinstance(item, SourceRecord) for _, item in good)  # no half line parsed
    assert number == len(good) + 1
    assert last.locator == f"cut.tar.xz:mbdump/recording:{number}"
    assert f"lines 1-{len(good)} were read" in last.message


def test_archive_cut_before_the_member_and_archive_without_it(tmp_path: Path) -> None:
    whole = build_dump(tmp_path / "r.tar.xz", "recording", dump_lines(RECORDINGS, 3)).read_bytes()
    header_only = tmp_path / "header.tar.xz"
    header_only.write_bytes(whole[:60])
    ((n, problem),) = list(iter_dump(header_only, "recording"))
    assert (n, problem.kind) == (1, "truncated_archive")
    assert isinstance(problem, Problem) and "no line was read" in problem.message
    other = build_dump(tmp_path / "artist.tar.xz", "artist", dump_lines(("artist",), 1))
    ((_, missing),) = list(iter_dump(other, "recording"))
    assert isinstance(missing, Problem) and missing.kind == "missing_member"


def test_without_timestamp_file_the_member_time_is_the_retrieval_time(tmp_path: Path) -> None:
    path = build_dump(tmp_path / "r.tar.xz", "recording", dump_lines(RECORDINGS, 1), b"")
    (record,) = records(list(iter_dump(path, "recording")))
    assert record.retrieved_at == "2023-11-14T22:13:20+00:00"


def test_unknown_entity_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no MusicBrainz parser for 'label'"):
        list(iter_dump(tmp_path / "label.tar.xz", "label"))


@pytest.mark.slow
def test_memory_stays_bounded_by_a_line_not_the_dump(tmp_path: Path) -> None:
    lines = dump_lines(RECORDINGS, 1000)
    size = sum(len(line) + 1 for line in lines)
    path = build_dump(tmp_path / "recording.tar.xz", "recording", lines)
    del lines
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_dump(path, "recording"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 1000
    assert size > 10_000_000 and peak < size / 5  # measured: about 2 MB for 14 MB of lines


def test_dump_stream_ingests_and_resumes(tmp_path: Path, empty: Catalog) -> None:
    path = build_dump(tmp_path / "recording.tar.xz", "recording", dump_lines(RECORDINGS, 7))

    def items(after: int) -> Iterator[tuple[int, Item]]:
        return iter_dump(path, "recording", after)

    name = "musicbrainz/recording"
    report = ingest(empty.db, Stream(name, dump_fingerprint(path), items), batch_size=3)
    assert (report.written, report.position, report.problems) == (7, 7, [])
    assert empty.counts()["recording"] == 7
    again = ingest(empty.db, Stream(name, dump_fingerprint(path), items))
    assert again.already_done


def test_fingerprint_changes_with_the_file(tmp_path: Path) -> None:
    a = build_dump(tmp_path / "a.tar.xz", "recording", dump_lines(RECORDINGS, 2))
    b = build_dump(tmp_path / "b.tar.xz", "recording", dump_lines(RECORDINGS, 3))
    assert dump_fingerprint(a) == dump_fingerprint(a)
    assert dump_fingerprint(a) != dump_fingerprint(b)
