"""Streams over saved files of the other sources: API responses, charts, credit sheets.

Every file is one numbered item group: a file may yield several records (a Spotify album and
its tracks; a credit sheet's songs), and the checkpoint resumes after the last whole file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from linernotes.ingest.pipeline import Item, Stream
from linernotes.ingest.readers import stream_fingerprint
from linernotes.normalize import charts, credit_sheet, discogs, musicbrainz, spotify, wikidata
from linernotes.normalize.records import PayloadError, Problem, SourceRecord
from linernotes.sources.files import display_name, open_binary

FileParser = Callable[[Path], Sequence[Item]]

# Failures a parser raises for input that breaks its format; anything else is a bug and surfaces.
FORMAT_ERRORS = (
    PayloadError,
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    orjson.JSONDecodeError,
)


def saved_files(name: str, paths: Sequence[Path], parse: FileParser) -> Stream:
    def items(after: int) -> Iterator[tuple[int, Item]]:
        for number, path in enumerate(paths, start=1):
            if number > after:
                for item in _guarded(parse, path):
                    yield number, item

    return Stream(name, stream_fingerprint(*paths), items)


def _guarded(parse: FileParser, path: Path) -> Sequence[Item]:
    """One file's items; a file that breaks its format becomes one Problem naming it."""
    try:
        items = parse(path)
    except FORMAT_ERRORS as err:
        return [Problem(display_name(path), "bad_record", f"{err}; file skipped")]
    for item in items:
        if isinstance(item, SourceRecord) and not item.origin:
            item.origin = display_name(path)
    return items


def read_bytes(path: Path) -> bytes:
    with open_binary(path) as f:
        return f.read()


def read_json(path: Path) -> Any:
    return orjson.loads(read_bytes(path))


# -- per source --------------------------------------------------------------------------------

MUSICBRAINZ_PARSERS = (
    ("release-group", musicbrainz.parse_release_group),
    ("release_group", musicbrainz.parse_release_group),
    ("release", musicbrainz.parse_release),
    ("recording", musicbrainz.parse_recording),
    ("artist", musicbrainz.parse_artist),
)


def musicbrainz_files(paths: Sequence[Path], retrieved_at: str) -> Stream:
    """Saved ws/2 JSON lookups; the kind of entity is read from the file name."""

    def parse(path: Path) -> list[Item]:
        name = display_name(path)
        for prefix, parser in MUSICBRAINZ_PARSERS:
            if name.startswith(prefix):
                return [parser(read_json(path), retrieved_at)]
        kinds = ", ".join(p for p, _ in MUSICBRAINZ_PARSERS)
        return [Problem(name, "bad_record", f"cannot tell the entity from the name ({kinds})")]

    return saved_files("musicbrainz-files", paths, parse)


def spotify_files(paths: Sequence[Path], retrieved_at: str) -> Stream:
    """Saved Spotify Web API responses (several JSON documents in one file are allowed)."""

    def parse(path: Path) -> list[Item]:
        items: list[Item] = []
        for document in spotify.documents(read_bytes(path)):
            if isinstance(document, dict) and isinstance(document.get("error"), dict):
                error = document["error"]
                items.append(
                    Problem(
                        display_name(path),
                        "source_error",
                        f"Spotify answered {error.get('status')}: {error.get('message')}",
                    )
                )
            elif isinstance(document, dict) and _is_search(document):
                continue  # search results identify candidates; they state nothing to store
            else:
                items.extend(spotify.parse_response(document, retrieved_at))
        return items

    return saved_files("spotify-files", paths, parse)


def _is_search(document: dict[str, Any]) -> bool:
    """A search response: only paged lists keyed by type ("tracks", "artists", ...)."""
    keys = set(document)
    return (
        bool(keys)
        and keys <= {"tracks", "artists", "albums", "playlists"}
        and all(isinstance(document[k], dict) and "items" in document[k] for k in keys)
    )


def wikidata_files(paths: Sequence[Path]) -> Stream:
    return saved_files(
        "wikidata-files", paths, lambda path: [wikidata.parse_entity(read_json(path))]
    )


def billboard_files(paths: Sequence[Path]) -> Stream:
    return saved_files(
        "billboard-files",
        paths,
        lambda path: [charts.parse_billboard_week(read_json(path), display_name(path))],
    )


def number_ones(path: Path) -> Stream:
    def parse(p: Path) -> list[Item]:
        sheet = credit_sheet.parse_number_ones(read_bytes(p).decode("utf-8"), display_name(p))
        return [*sheet.records, *sheet.problems]

    return saved_files("number-ones", [path], parse)


def credit_sheets(paths: Sequence[Path], retrieved_at: str) -> Stream:
    def parse(p: Path) -> list[Item]:
        text = read_bytes(p).decode("utf-8-sig")
        sheet = credit_sheet.parse_credit_sheet(text, display_name(p), retrieved_at)
        return [*sheet.records, *sheet.problems]

    return saved_files("credit-sheets:" + ",".join(display_name(p) for p in paths), paths, parse)


DISCOGS_PARSERS = (
    ("releases_", discogs.parse_api_release),
    ("masters_", discogs.parse_api_master),
    ("artists_", discogs.parse_api_artist),
)


def discogs_files(paths: Sequence[Path], retrieved_at: str) -> Stream:
    """Saved Discogs API responses. Listings (search, an artist's releases) and labels name
    records without stating credits, so they yield nothing to store."""

    def parse(path: Path) -> list[Item]:
        name = display_name(path)
        payload = read_json(path)
        if not isinstance(payload, dict) or "pagination" in payload or "results" in payload:
            return []
        for prefix, parser in DISCOGS_PARSERS:
            if name.startswith(prefix):
                return [parser(payload, retrieved_at)]
        return []

    return saved_files("discogs-files", paths, parse)
