"""The catalog store: one object that opens the database, migrates it and is passed to queries."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from linernotes.store.db import Database, SQLiteDatabase
from linernotes.store.migrate import migrate

URL_SCHEMES = ("postgresql://", "postgres://")


def is_url(where: Path | str) -> bool:
    return isinstance(where, str) and where.startswith(URL_SCHEMES)


def shown(where: Path | str) -> str:
    """Where a catalog is, for messages: a URL without its password."""
    if not is_url(where):
        return str(where)
    parts = urlsplit(str(where))
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{user}{parts.hostname or 'localhost'}{port}{parts.path}"


class Catalog:
    """An open, migrated catalog. Read and write modules take its `db`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open(cls, where: Path | str) -> Catalog:
        """A catalog by URL (postgresql://...) or by SQLite file path."""
        if is_url(where):
            from linernotes.store.postgres import PostgresDatabase  # psycopg only when used

            return cls._ready(PostgresDatabase(str(where)))
        return cls.open_sqlite(where)

    @classmethod
    def connect(cls, where: Path | str) -> Catalog:
        """Another connection to a catalog already opened (so migrated) by `open`: a server's
        threads each take one, without checking migrations again."""
        if is_url(where):
            from linernotes.store.postgres import PostgresDatabase

            return cls(PostgresDatabase(str(where)))
        return cls(SQLiteDatabase(where))

    @classmethod
    def open_sqlite(cls, path: Path | str) -> Catalog:
        return cls._ready(SQLiteDatabase(path))

    @classmethod
    def _ready(cls, db: Database) -> Catalog:
        migrate(db)
        if not db.has_statistics():
            db.analyze()
        return cls(db)

    def counts(self) -> dict[str, int]:
        """Rows per main table: a quick health view."""
        tables = (
            "artist",
            "release",
            "recording",
            "credit",
            "credit_source",
            "fact",
            "handle",
            "chart_entry",
            "ingest_problem",
        )
        out: dict[str, int] = {}
        for table in tables:
            row = self.db.one(f"SELECT count(*) FROM {table}")
            out[table] = int(row[0]) if row else 0
        return out

    def is_empty(self) -> bool:
        return self.db.one("SELECT 1 FROM artist LIMIT 1") is None

    def close(self) -> None:
        self.db.close()
