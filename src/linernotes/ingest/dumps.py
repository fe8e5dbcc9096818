"""Streams over bulk dumps: Discogs monthly XML (.xml.gz) and MusicBrainz JSON (.tar.xz).

Dumps are gigabytes, so their fingerprint is cheap (size plus first and last MiB, not a hash of
everything) and the checkpoint is the element or line number the readers count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from linernotes.ingest.pipeline import Item, Stream
from linernotes.ingest.readers import READERS_VERSION
from linernotes.sources import discogs_dump, musicbrainz_dump
from linernotes.sources.files import display_name, read_fraction

DumpReader = Callable[[Path, int], Iterator[tuple[int, Item]]]

DISCOGS_READERS: dict[str, DumpReader] = {
    "releases": lambda path, after: discogs_dump.iter_releases(path, after),
    "artists": lambda path, after: discogs_dump.iter_artists(path, after),
    "masters": lambda path, after: discogs_dump.iter_masters(path, after),
}


def fingerprint(path: Path) -> str:
    return f"{musicbrainz_dump.dump_fingerprint(path)}:v{READERS_VERSION}"


def discogs_kind(path: Path) -> str:
    """'releases', 'artists' or 'masters', from the dump's file name."""
    name = display_name(path)
    for kind in DISCOGS_READERS:
        if kind in name:
            return kind
    known = ", ".join(DISCOGS_READERS)
    raise ValueError(f"{name}: cannot tell which Discogs dump this is (name holds none of {known})")


def discogs(path: Path, kind: str | None = None) -> Stream:
    reader = DISCOGS_READERS[kind or discogs_kind(path)]
    return Stream(
        f"discogs-dump:{display_name(path)}",
        fingerprint(path),
        lambda after: reader(path, after),
        progress=partial(read_fraction, path),
    )


def musicbrainz(path: Path, entity: str) -> Stream:
    return Stream(
        f"musicbrainz-dump:{display_name(path)}:{entity}",
        fingerprint(path),
        lambda after: musicbrainz_dump.iter_dump(path, entity, after),
        progress=partial(read_fraction, path),
    )
