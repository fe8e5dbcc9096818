"""Fixtures of the look-up pages' tests (TestClient and browser): catalogs built once a session,
and the web app over a copy of one with look-ups on and the sources answering from recordings.

Two catalogs: one that has never heard of "24K Magic" (tests/lookup_support.py), for searches a
look-up must answer; and one with the album as the Genius 2017 snapshot has it (its songwriters
and producer, no engineers, checked in 2018), for song and album pages whose credits a look-up
refreshes. Import the fixtures into a test module: `from lookup_fixtures import ...`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from backends import Backend
from linernotes.ingest import readers
from linernotes.ingest.pipeline import Stream, ingest
from linernotes.lookup.service import LookupSettings
from linernotes.normalize.records import EntityKind
from linernotes.resolve.run import resolve
from linernotes.search import sync
from linernotes.sources.replay import Route
from linernotes.store.catalog import Catalog
from linernotes.store.read_names import exact
from linernotes.web.app import create_app, prepare
from linernotes.web.config import WebConfig, plans_from_settings
from lookup_support import DEMO, Sources, without_24k_magic

QUERY = "24k magic bruno mars"
# Credits are stale after 30 years: no song page starts a look-up unless a test wants it to.
LOOKUPS_ON = LookupSettings(
    enabled=True, budget=20.0, stale=timedelta(days=365 * 30), reuse=timedelta(minutes=60)
)
LOOKUPS_OFF = LookupSettings(
    enabled=False, budget=20.0, stale=timedelta(days=365), reuse=timedelta(minutes=60)
)


def _build(backend: Backend, name: str, streams: list[Stream]) -> Path | str:
    where = backend.new(name)
    catalog = Catalog.open(where)
    try:
        for stream in streams:
            ingest(catalog.db, stream)
        resolve(catalog.db)
        sync.rebuild(catalog.db)
    finally:
        catalog.close()
    return backend.shared(where)


def discogs_no_hits(request: httpx.Request) -> httpx.Response:
    """A Discogs database search that finds nothing, in its documented shape
    (discogs.com/developers, "Database > Search": `pagination` and `results`). A refresh asks
    Discogs without a token; the recordings hold no such search."""
    pagination = {"page": 1, "pages": 0, "per_page": 10, "items": 0, "urls": {}}
    return httpx.Response(200, json={"pagination": pagination, "results": []})


DISCOGS_NO_HITS = Route("GET", "api.discogs.com", r"/database/search", discogs_no_hits)


def with_snapshot_24k() -> list[Stream]:
    """The 2017 snapshot and the handles file, "24K Magic" included (as the snapshot has it)."""
    return [
        readers.snapshot_artists(DEMO / "genius-2017-artists.jsonl.gz"),
        readers.snapshot_songs(DEMO / "genius-2017-songs.jsonl.gz"),
        readers.handles_file(DEMO / "instagram_handles.jsonl.gz"),
    ]


@pytest.fixture(scope="session")
def never_heard_path(backend: Backend) -> Path | str:
    return _build(backend, "never_heard", without_24k_magic())


@pytest.fixture(scope="session")
def snapshot_24k_path(backend: Backend) -> Path | str:
    return _build(backend, "snapshot_24k", with_snapshot_24k())


@dataclass
class LookupSite:
    """A catalog copy, the sources' recordings, and the app serving the one from the other."""

    where: Path | str
    sources: Sources
    catalog: Catalog  # for the tests' own reads (ids, look-up rows)

    def app(self, settings: LookupSettings = LOOKUPS_ON) -> FastAPI:
        config = WebConfig(
            self.where,
            plans=plans_from_settings(),
            lookups=settings,
            http=self.sources.client_for,
        )
        return create_app(config)

    def song_id(self, title: str) -> int:
        found = exact(self.catalog.db, EntityKind.RECORDING, title)
        assert len(found) == 1, f"{title!r}: {found}"
        return found[0].id

    def lookups_made(self) -> int:
        row = self.catalog.db.one("SELECT count(*) FROM lookup_job")
        return int(row[0]) if row else 0


@contextmanager
def site_on(
    backend: Backend, base: Path | str, name: str, tmp_path: Path, extra: list[Route] | None = None
) -> Iterator[LookupSite]:
    """A LookupSite over a new copy of `base` (its search index ready to serve); `extra` routes
    answer before the usual recordings."""
    where = backend.copy(base, name)
    catalog = Catalog.open(where)
    prepare(catalog)
    sources = Sources(tmp_path / "http-cache", [*(extra or []), DISCOGS_NO_HITS])
    try:
        yield LookupSite(where, sources, catalog)
    finally:
        sources.close()
        catalog.close()


@pytest.fixture
def never_heard(
    backend: Backend, never_heard_path: Path | str, tmp_path: Path
) -> Iterator[LookupSite]:
    """A site whose catalog has never heard of "24K Magic"."""
    with site_on(backend, never_heard_path, "pages_never_heard", tmp_path) as site:
        yield site


@pytest.fixture
def snapshot_24k(
    backend: Backend, snapshot_24k_path: Path | str, tmp_path: Path
) -> Iterator[LookupSite]:
    """A site whose catalog has "24K Magic" from the 2017 snapshot only (no engineers)."""
    with site_on(backend, snapshot_24k_path, "pages_snapshot_24k", tmp_path) as site:
        yield site
