"""What a request handler reads from: one catalog connection per server thread, and the index.

FastAPI runs plain `def` handlers on a thread pool; a SQLite or psycopg connection must not be
used by two threads at once, so each thread opens its own on first use and keeps it. Opening
once per thread (not per request) keeps a page's server time to its queries.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import Request

from linernotes.search.engine import NameIndex
from linernotes.search.sync import index_path
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.web.config import WebConfig


class Catalogs:
    """A connection per thread to one catalog, closed together when the app stops."""

    def __init__(self, where: Path | str) -> None:
        self.where = where
        self._local = threading.local()
        self._all: list[Catalog] = []
        self._lock = threading.Lock()

    def db(self) -> Database:
        catalog: Catalog | None = getattr(self._local, "catalog", None)
        if catalog is None:
            catalog = Catalog.connect(self.where)
            self._local.catalog = catalog
            with self._lock:
                self._all.append(catalog)
        return catalog.db

    def close(self) -> None:
        with self._lock:
            for catalog in self._all:
                catalog.close()
            self._all.clear()


def open_index(db: Database) -> NameIndex:
    """The catalog's search index, read as it is (`prepare` built and synced it)."""
    return NameIndex(index_path(db))


def db(request: Request) -> Database:
    catalogs: Catalogs = request.app.state.catalogs
    return catalogs.db()


def index(request: Request) -> NameIndex:
    found: NameIndex = request.app.state.index
    return found


def config(request: Request) -> WebConfig:
    found: WebConfig = request.app.state.config
    return found
