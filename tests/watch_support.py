"""What the follow-and-notify tests share: users, a fixed clock, and the realistic scenario.

The scenario: the demo catalog built WITHOUT Genius's song 2890553 ("Fake Love" by Drake): neither
its API response nor its line in the 2017 snapshot (which states the same credits: with it, the
response would change nothing). The build's changes are grouped already (nobody followed anything
then); then the response is ingested as a live fetch would. What
the response adds is derived from the payload itself (`fake_love_credits`), not written down.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from backends import Backend
from linernotes.demo.build import API_FILES, data_dir, demo_streams
from linernotes.ingest import readers
from linernotes.ingest.pipeline import IngestReport, Item, Stream, ingest
from linernotes.normalize.genius import SNAPSHOT_RETRIEVED
from linernotes.normalize.records import SourceRecord
from linernotes.resolve.run import resolve
from linernotes.store.accounts import add_user
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.watch import events

NOW = datetime(2026, 3, 14, 22, 58, 30, 123456, tzinfo=UTC)
FAKE_LOVE_FILE = "genius-api-song_2890553.json.gz"
FAKE_LOVE_GENIUS_ID = "2890553"
FAKE_LOVE_SNAPSHOT_RECORD = "songs/2890553"
DRAKE_GENIUS_ID = "130"


def new_user(db: Database, email: str, plan: str = "free") -> int:
    return add_user(db, email, "not-a-real-hash", plan, NOW).id


def fake_love_payload() -> dict[str, Any]:
    with gzip.open(data_dir() / FAKE_LOVE_FILE, "rt", encoding="utf-8") as f:
        song: dict[str, Any] = json.load(f)  # the response's "song" object, as saved
    return song


def _without(stream: Stream, record_id: str) -> Stream:
    def items(after: int) -> Iterator[tuple[int, Item]]:
        for number, item in stream.items(after):
            if not (isinstance(item, SourceRecord) and item.record_id == record_id):
                yield number, item

    return Stream(stream.name, f"{stream.fingerprint}-without-{record_id}", items)


def streams_without_fake_love() -> list[Stream]:
    """The demo's streams without Fake Love's snapshot line and API response."""
    others = [data_dir() / f for f in API_FILES if f != FAKE_LOVE_FILE]
    streams = []
    for stream in demo_streams():
        if stream.name == "genius-api":
            stream = readers.genius_api_files(others, SNAPSHOT_RETRIEVED)
        elif stream.name == "genius-2017/songs":
            stream = _without(stream, FAKE_LOVE_SNAPSHOT_RECORD)
        streams.append(stream)
    return streams


def build_without_fake_love(catalog: Catalog) -> None:
    for stream in streams_without_fake_love():
        ingest(catalog.db, stream)
    resolve(catalog.db)
    events.skip_pending(catalog.db)  # the build itself is no news: nobody followed anything


def ingest_fake_love(db: Database) -> IngestReport:
    """Fake Love's response arriving, as a live fetch writes it (one record, by the pipeline)."""
    stream = readers.genius_api_files([data_dir() / FAKE_LOVE_FILE], SNAPSHOT_RETRIEVED)
    return ingest(db, stream)


_BASES: dict[int, Path | str] = {}


def without_fake_love(backend: Backend, name: str) -> Path | str:
    """A catalog of its own holding the scenario's start. The base is built once a session (about
    half a minute) and copied for each test."""
    if id(backend) not in _BASES:
        where = backend.new("no_fake_love")
        catalog = Catalog.open(where)
        build_without_fake_love(catalog)
        catalog.close()
        _BASES[id(backend)] = where
    return backend.copy(_BASES[id(backend)], name, index=False)


def artist_by_genius_id(db: Database, genius_id: str) -> int:
    row = db.one(
        "SELECT entity_id FROM external_id WHERE entity_kind = 'artist' AND namespace = 'genius'"
        " AND value = ?",
        (genius_id,),
    )
    assert row is not None, f"no artist with Genius id {genius_id}"
    return int(row[0])


def recording_by_genius_id(db: Database, genius_id: str) -> int:
    row = db.one(
        "SELECT entity_id FROM external_id WHERE entity_kind = 'recording'"
        " AND namespace = 'genius' AND value = ?",
        (genius_id,),
    )
    assert row is not None, f"no recording with Genius id {genius_id}"
    return int(row[0])


def pending_changes(db: Database) -> list[tuple[str, str, int, str, str, str, int]]:
    """The changes logged past the events' cursor, in order."""
    return [
        (str(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4]), str(r[5]), int(r[6]))
        for r in db.execute(
            "SELECT change, what, artist_id, role, detail, subject_kind, subject_id"
            " FROM change_log WHERE id > ? ORDER BY id",
            (events.cursor(db),),
        )
    ]


# Hand-made rows: the triggers log whatever writes credits.


def entity(db: Database, table: str, name: str) -> int:
    column = "title" if table in ("recording", "release") else "name"
    row = db.one(
        f"INSERT INTO {table} ({column}, folded, created_at) VALUES (?, ?, 'x') RETURNING id",
        (name, name.lower()),
    )
    assert row is not None
    return int(row[0])


def credit(db: Database, artist: int, role: str, kind: str, subject: int, detail: str = "") -> None:
    db.execute(
        "INSERT INTO credit (artist_id, role, detail, subject_kind, subject_id)"
        " VALUES (?, ?, ?, ?, ?)",
        (artist, role, detail, kind, subject),
    )


def uncredit(db: Database, artist: int, role: str, kind: str, subject: int) -> None:
    db.execute(
        "DELETE FROM credit WHERE artist_id = ? AND role = ? AND subject_kind = ?"
        " AND subject_id = ?",
        (artist, role, kind, subject),
    )
