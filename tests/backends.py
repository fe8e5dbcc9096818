"""Where the tests' catalogs live: SQLite files, or databases on a local PostgreSQL server."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import psycopg
import pytest

from linernotes.search import sync
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.store.pg_local import LocalPostgres

NewCatalog = Callable[[str], Path | str]  # the `new_catalog` fixture: a short name -> location
Fresh = Callable[[str], Catalog]  # the `fresh` fixture: a short name -> an open, empty catalog


class Backend(Protocol):
    def new(self, name: str) -> Path | str:
        """The location of a new, empty catalog."""
        ...

    def copy(self, where: Path | str, name: str, index: bool = True) -> Path | str:
        """The location of a new catalog holding what `where` holds (nobody may be writing
        it), with a copy of its search index unless `index` is false."""
        ...

    def shared(self, where: Path | str) -> Path | str:
        """Where a catalog made once for the session is used from (see PostgresBackend)."""
        ...


class SQLiteBackend:
    def __init__(self, tmp: pytest.TempPathFactory) -> None:
        self.tmp = tmp

    def new(self, name: str) -> Path:
        return self.tmp.mktemp(name) / "catalog.sqlite3"

    def copy(self, where: Path | str, name: str, index: bool = True) -> Path:
        target = self.new(name)
        shutil.copy(where, target)
        if index:
            _copy_index(where, target)
        return target

    def shared(self, where: Path | str) -> Path | str:
        return where


class PostgresBackend:
    """One database per catalog, on one server for the session. A new catalog is a copy of a
    migrated template, so tests do not pay the migrations each time."""

    def __init__(self, server: LocalPostgres, search_dir: Path) -> None:
        self.server = server
        self.search_dir = search_dir
        self.numbers = itertools.count(1)
        self.originals: dict[str, str] = {}  # a shared copy's database -> its untouched original
        self.admin = psycopg.connect(server.url(), autocommit=True)
        self.admin.execute("CREATE DATABASE migrated")
        Catalog.open(server.url("migrated")).close()

    def _create(self, name: str, template: str) -> str:
        database = f"{name}_{next(self.numbers)}"
        # FILE_COPY copies the template's files (quicker than WAL-logging each block).
        self.admin.execute(
            f"CREATE DATABASE {database} TEMPLATE {template} STRATEGY FILE_COPY"  # type: ignore[arg-type]
        )
        return self.server.url(database)

    def close(self) -> None:
        self.admin.close()

    def new(self, name: str) -> str:
        return self._create(name, "migrated")

    def copy(self, where: Path | str, name: str, index: bool = True) -> str:
        database = _database(where)
        target = self._create(name, self.originals.get(database, database))
        if index:
            _copy_index(where, target)
        return target

    def shared(self, where: Path | str) -> str:
        """A copy to use, keeping `where` untouched: PostgreSQL copies a database only while
        nobody is connected to it, and the session's shared catalogs are always open."""
        used = self.copy(where, f"{_database(where)}_used")
        self.originals[_database(used)] = _database(where)
        return used


def _copy_index(source: Path | str, target: Path | str) -> None:
    """Copy the search index of the catalog at `source` (if it has one) for `target`."""
    found, made = Catalog.open(source), Catalog.open(target)
    try:
        old, new = sync.index_path(found.db), sync.index_path(made.db)
        if old is not None and new is not None and old.is_dir():
            shutil.copytree(old, new)
    finally:
        found.close()
        made.close()


def _database(url: Path | str) -> str:
    return str(url).split("?")[0].rsplit("/", 1)[1]


def tables(db: Database) -> list[str]:
    """The catalog's tables (not the migrations' record), by name."""
    if db.dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return sorted(str(r[0]) for r in db.execute(sql) if r[0] != "schema_migration")


def columns(db: Database, table: str) -> list[str]:
    """A table's columns in their order, but PostgreSQL's insertion-order `rowid` (SQLite's
    is hidden from `SELECT *` too)."""
    if db.dialect == "sqlite":
        return [str(r[1]) for r in db.execute(f"PRAGMA table_info({table})")]
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        (table,),
    )
    return [str(r[0]) for r in rows if r[0] != "rowid"]
