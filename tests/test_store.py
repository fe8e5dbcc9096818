"""The store: WAL mode, migrations recorded and applied once, indexes that the questions use."""

from __future__ import annotations

from pathlib import Path

from linernotes.store.catalog import Catalog
from linernotes.store.migrate import available


def test_migrations_are_recorded_and_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    first = Catalog.open_sqlite(path)
    recorded = first.db.execute("SELECT version, name FROM schema_migration ORDER BY version")
    assert recorded == [(m.version, m.name) for m in available()]
    first.close()
    again = Catalog.open_sqlite(path)  # a second open applies nothing new
    assert again.db.execute("SELECT count(*) FROM schema_migration") == [(len(available()),)]
    assert again.db.one("PRAGMA journal_mode") == ("wal",)
    again.close()


def _plan(catalog: Catalog, sql: str, *params: object) -> str:
    return " ".join(str(r[-1]) for r in catalog.db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_questions_use_indexes_not_scans(demo: Catalog) -> None:
    plans = [
        _plan(demo, "SELECT id FROM artist WHERE folded = ?", "drake"),
        _plan(
            demo, "SELECT subject_id FROM credit WHERE artist_id = ? AND role = ?", 1, "producer"
        ),
        _plan(
            demo, "SELECT * FROM credit WHERE subject_kind = ? AND subject_id = ?", "recording", 1
        ),
        _plan(demo, "SELECT * FROM handle WHERE artist_id = ?", 1),
        _plan(
            demo,
            "SELECT entity_id FROM external_id WHERE entity_kind = ? AND namespace = ?"
            " AND value = ?",
            "artist",
            "genius",
            "130",
        ),
    ]
    for plan in plans:
        assert "USING" in plan and "SCAN" not in plan, plan
