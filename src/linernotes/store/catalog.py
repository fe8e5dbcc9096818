"""The catalog store: one object that opens the database, migrates it and is passed to queries."""

from __future__ import annotations

from pathlib import Path

from linernotes.store.db import Database, SQLiteDatabase
from linernotes.store.migrate import migrate


class Catalog:
    """An open, migrated catalog. Read and write modules take its `db`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open_sqlite(cls, path: Path | str) -> Catalog:
        db = SQLiteDatabase(path)
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
