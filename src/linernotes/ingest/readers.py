"""Streams over the demo's file formats: read (sources), parse (normalize), number (checkpoints)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from itertools import groupby
from pathlib import Path
from typing import Any, cast

from linernotes.ingest.pipeline import Item, Stream
from linernotes.normalize import genius
from linernotes.normalize.handles_file import parse_handle_line
from linernotes.normalize.records import PayloadError, Problem, SourceRecord
from linernotes.sources.files import display_name, fingerprint, read_json, read_json_lines
from linernotes.sources.genius_types import SnapshotChartEntry
from linernotes.store.db import now_iso

RowParser = Callable[[Mapping[str, Any]], SourceRecord]

# Part of every stream's fingerprint: bump it when parsing or role mapping changes what a file
# yields, so catalogs built before re-read their files (records whose content did not change are
# still skipped by hash).
READERS_VERSION = 1


def stream_fingerprint(*paths: Path) -> str:
    return f"{fingerprint(*paths)}:v{READERS_VERSION}"


def _guarded(parse: Callable[[], SourceRecord], locator: str) -> Item:
    """Run one parse; input that breaks the format becomes a Problem naming where it is."""
    try:
        record = parse()
    except (PayloadError, KeyError, TypeError, ValueError) as err:
        return Problem(locator, "bad_record", f"{err}; skipped")
    record.origin = locator
    return record


def json_lines_stream(path: Path, parse: RowParser, name: str | None = None) -> Stream:
    label = name or f"{display_name(path)}"

    def items(after: int) -> Iterator[tuple[int, Item]]:
        for number, row in read_json_lines(path, after):
            locator = f"{display_name(path)}:{number}"
            if isinstance(row, Problem):
                yield number, row
            else:
                yield number, _guarded(partial(parse, row), locator)

    return Stream(label, stream_fingerprint(path), items)


def snapshot_artists(path: Path) -> Stream:
    return json_lines_stream(path, genius.parse_snapshot_artist, "genius-2017/artists")


def snapshot_songs(path: Path) -> Stream:
    return json_lines_stream(path, genius.parse_snapshot_song, "genius-2017/songs")


def snapshot_charts(path: Path) -> Stream:
    """One record per chart day (a bulk batch), numbered by the day's last line."""

    def items(after: int) -> Iterator[tuple[int, Item]]:
        rows: list[tuple[int, dict[str, Any]]] = []
        for number, row in read_json_lines(path, after):
            if isinstance(row, Problem):
                yield number, row
            else:
                rows.append((number, row))
        yield from _chart_days(rows)

    return Stream("genius-2017/chart_entries", stream_fingerprint(path), items)


def _chart_days(rows: list[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, Item]]:
    def day(entry: tuple[int, dict[str, Any]]) -> tuple[str, str]:
        return str(entry[1].get("chart", "")), str(entry[1].get("date_utc", ""))[:10]

    for (chart, date), group in groupby(rows, key=day):
        members = list(group)
        last = members[-1][0]
        locator = f"chart_entries.jsonl:{members[0][0]}-{last}"
        entries = [cast(SnapshotChartEntry, row) for _, row in members]
        parse = partial(genius.parse_snapshot_chart_day, chart, date, entries)
        yield last, _guarded(parse, locator)


def genius_api_files(paths: list[Path], retrieved_at: str) -> Stream:
    """Saved Genius API responses (songs and artists), one record per file."""

    def items(after: int) -> Iterator[tuple[int, Item]]:
        for number, path in enumerate(paths, start=1):
            if number > after:
                yield number, _api_file(path, retrieved_at)

    return Stream("genius-api", stream_fingerprint(*paths), items)


def _api_file(path: Path, retrieved_at: str) -> Item:
    payload = read_json(path)
    if isinstance(payload, Problem):
        return payload
    name = display_name(path)
    parse = genius.parse_api_artist if "artist" in name else genius.parse_api_song
    return _guarded(partial(parse, payload, retrieved_at), name)


def handles_file(path: Path) -> Stream:
    retrieved_at = now_iso()  # the file carries no dates: we know it as of when we read it

    def items(after: int) -> Iterator[tuple[int, Item]]:
        for number, row in read_json_lines(path, after):
            locator = f"{display_name(path)}:{number}"
            if isinstance(row, Problem):
                yield number, row
                continue
            parsed = parse_handle_line(row, locator, retrieved_at)
            if isinstance(parsed, SourceRecord):
                parsed.origin = locator
            yield number, parsed

    return Stream("handles-file", stream_fingerprint(path), items)
