"""The store: WAL mode, migrations recorded and applied once, indexes that the questions use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from linernotes.store.catalog import Catalog
from linernotes.store.migrate import available


def test_migrations_are_recorded_and_applied_once(
    new_catalog: Callable[[str], Path | str],
) -> None:
    where = new_catalog("c")
    first = Catalog.open(where)
    recorded = first.db.execute("SELECT version, name FROM schema_migration ORDER BY version")
    assert recorded == [(m.version, m.name) for m in available(first.db.dialect)]
    first.close()
    again = Catalog.open(where)  # a second open applies nothing new
    assert again.db.execute("SELECT count(*) FROM schema_migration") == [(len(recorded),)]
    again.close()


def test_sqlite_catalog_lets_readers_read_while_one_writes(tmp_path: Path) -> None:
    catalog = Catalog.open_sqlite(tmp_path / "c.sqlite3")
    assert catalog.db.one("PRAGMA journal_mode") == ("wal",)
    catalog.close()


def _plan(catalog: Catalog, sql: str, *params: object) -> str:
    """The query plan, in SQLite's words ("SEARCH ... USING INDEX", "SCAN") either way."""
    if catalog.db.dialect == "sqlite":
        rows = catalog.db.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(r[-1]) for r in rows)
    # The demo's tables are small enough that PostgreSQL would rightly read them whole: forbid
    # that to see whether an index can answer at all (as it must on a large catalog).
    with catalog.db.transaction():
        catalog.db.execute("SET LOCAL enable_seqscan = off")
        rows = catalog.db.execute(f"EXPLAIN {sql}", params)
    plan = " ".join(str(r[0]) for r in rows)
    return plan.replace("Index", "USING Index").replace("Seq Scan", "SCAN")


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
