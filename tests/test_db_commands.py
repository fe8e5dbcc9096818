"""`linernotes db migrate | status | copy`: moving a catalog between SQLite and PostgreSQL.

The demo catalog (the run's backend) is copied to PostgreSQL and from there to a new SQLite file
once for the module; the three must then hold the same rows and give the same answers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from backends import Backend, PostgresBackend
from linernotes.cli.main import cli
from linernotes.store import copy
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.store.migrate import available

MIGRATIONS = len(available())


def linernotes(*args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def as_json(*args: str) -> Any:
    return json.loads(linernotes(*args, "--json").stdout)


@dataclass(frozen=True)
class Copies:
    demo: Path | str
    postgres: str
    sqlite: Path
    there: dict[str, Any]  # `db copy --json` of each copy
    back: dict[str, Any]


@pytest.fixture(scope="module")
def copies(
    demo_path: Path | str, postgres: Backend, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Copies]:
    with pytest.MonkeyPatch.context() as env:  # a PostgreSQL catalog's index, for the module
        env.setenv("LINERNOTES_SEARCH_DIR", str(tmp_path_factory.mktemp("search")))
        target = postgres.new("copied")
        back = tmp_path_factory.mktemp("back") / "catalog.sqlite3"
        there = as_json("db", "copy", str(demo_path), str(target))
        again = as_json("db", "copy", str(target), str(back))
        yield Copies(demo_path, str(target), back, there, again)


def rows(where: Path | str) -> dict[str, int]:
    tables = as_json("--db", str(where), "db", "status")["tables"]
    return {name: n for name, n in tables.items() if name != "search_dirty"}


def test_copy_to_postgresql_and_back_keeps_every_row(copies: Copies) -> None:
    counts = rows(copies.demo)
    assert counts["credit"] > 10_000 and counts["artist_name"] > 0
    assert rows(copies.postgres) == counts
    assert rows(copies.sqlite) == counts
    for copied in (copies.postgres, copies.sqlite):  # its index is built afresh, not from these
        assert as_json("--db", str(copied), "db", "status")["tables"]["search_dirty"] == 0
    for report in (copies.there, copies.back):
        assert report["same"] is True
        assert report["rows"] == sum(n for t, n in counts.items() if t != "schema_migration")
        assert all(t["source"] == t["target"] for t in report["tables"])
        assert {t["table"] for t in report["tables"]} == set(counts) - {"schema_migration"}


QUESTIONS = (
    ("producers", "Drake"),
    ("producers", "Bruno Mars"),
    ("credits", "24K Magic"),
    ("credits", "--album", "More Life"),
    ("person", "Metro Boomin"),
    ("identity", "show", "Future"),
    ("search", "metro boomin", "--limit", "100"),
    ("search", "drak", "--limit", "100"),
)
CASES = [
    pytest.param(question, to, id=f"{' '.join(question)} on {to}")
    for question in QUESTIONS
    for to in ("postgresql", "sqlite")
]


@pytest.mark.parametrize(("question", "to"), CASES)
def test_the_copies_answer_as_the_original_does(
    copies: Copies, question: tuple[str, ...], to: str
) -> None:
    original = as_json("--db", str(copies.demo), *question)
    assert original
    where = copies.postgres if to == "postgresql" else str(copies.sqlite)
    answer = as_json("--db", where, *question)
    if question[0] == "search":
        # Equally good hits come in the order a build of the index happened to store them (two
        # builds of one catalog differ there): the same hits, and the same best one.
        assert {k: hits[:1] for k, hits in answer.items()} == {
            k: hits[:1] for k, hits in original.items()
        }
        answer, original = _untied(answer), _untied(original)
    assert answer == original


def _untied(groups: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {kind: sorted(hits, key=lambda hit: int(hit["id"])) for kind, hits in groups.items()}


def test_insertion_order_and_numbering_survive(copies: Copies) -> None:
    """The resolver reads new aliases by rowid past its mark: the rowids are copied as they are,
    and each copy numbers new rows after the copied ones."""
    ordered = (
        "SELECT rowid, artist_id, name, kind, source FROM artist_name ORDER BY rowid",
        "SELECT rowid, kept, dropped, reason FROM entity_merge ORDER BY rowid",
        "SELECT name, value FROM identity_mark ORDER BY name",
    )
    seen = []
    for where in (copies.demo, copies.postgres, copies.sqlite):
        catalog = Catalog.open(where)
        seen.append([catalog.db.execute(sql) for sql in ordered])
        catalog.close()
    assert seen[0] == seen[1] == seen[2]
    for where in (copies.postgres, copies.sqlite):
        catalog = Catalog.open(where)
        db = catalog.db
        try:
            with db.transaction():
                before = db.one("SELECT max(id) FROM artist")
                after = db.one("SELECT max(rowid) FROM artist_name")
                db.execute(
                    "INSERT INTO artist (name, folded, created_at) VALUES ('New', 'new', 'now')"
                )
                made = db.one("SELECT max(id) FROM artist")
                db.execute(
                    "INSERT INTO artist_name (artist_id, name, folded, kind, source)"
                    " VALUES (?, 'Newer', 'newer', 'alias', 'test')",
                    (made[0] if made else 0,),
                )
                added = db.one("SELECT max(rowid) FROM artist_name")
                assert before and made and made[0] > before[0]
                assert after and added and added[0] > after[0]
                raise _Undo
        except _Undo:
            pass
        finally:
            catalog.close()


class _Undo(Exception):
    """Rolls the test's own rows back out of the shared copies."""


def test_the_postgresql_copy_has_the_schema_of_a_new_catalog(
    copies: Copies, postgres: Backend
) -> None:
    """The copy loads tables without their keys, indexes and triggers: all are back after."""

    def schema(where: str) -> list[list[Any]]:
        catalog = Catalog.open(where)
        found = [
            catalog.db.execute(sql)
            for sql in (
                "SELECT tablename, indexname, indexdef FROM pg_indexes"
                " WHERE schemaname = current_schema() ORDER BY 1, 2",
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated"
                " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
                " ORDER BY 1, 2",
                "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger"
                " WHERE NOT tgisinternal ORDER BY 1, 2",
            )
        ]
        catalog.close()
        return found

    copied = schema(copies.postgres)
    assert all(copied)
    assert copied == schema(str(postgres.new("fresh")))


def test_the_sqlite_copy_has_the_schema_of_a_new_catalog(copies: Copies, tmp_path: Path) -> None:
    def schema(where: Path) -> list[tuple[str, ...]]:
        with sqlite3.connect(where) as raw:
            return raw.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master"
                " WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name"
            ).fetchall()

    Catalog.open(tmp_path / "fresh.sqlite3").close()
    copied = schema(copies.sqlite)
    assert {row[0] for row in copied} == {"table", "index", "trigger"}
    assert copied == schema(tmp_path / "fresh.sqlite3")


# -- refusing, replacing, checking -------------------------------------------------------------


def small_catalog(where: Path | str, artists: int) -> Path | str:
    catalog = Catalog.open(where)
    with catalog.db.transaction():
        for n in range(1, artists + 1):
            catalog.db.execute(
                "INSERT INTO artist (id, name, folded, created_at) VALUES (?, ?, ?, 'now')",
                (n, f"Artist {n}", f"artist {n}"),
            )
        catalog.db.execute(
            "INSERT INTO identity_override (id, entity_kind, action, ref_a, ref_b, created_at)"
            " VALUES (1, 'artist', 'merge', 'genius:1', 'discogs:2', 'now')"
        )
        catalog.db.execute(
            "INSERT INTO ingest_problem VALUES ('s', 'file:1', 'bad', 'one', 'now'),"
            " ('s', 'file:2', 'bad', 'two', 'now')"
        )
    catalog.close()
    return where


def artist_names(where: Path | str) -> list[str]:
    catalog = Catalog.open(where)
    names = [str(r[0]) for r in catalog.db.execute("SELECT name FROM artist ORDER BY id")]
    catalog.close()
    return names


def test_refuses_a_target_that_holds_a_catalog_unless_told_to_replace(
    new_catalog: Callable[[str], Path | str], postgres: Backend, tmp_path: Path
) -> None:
    source = small_catalog(new_catalog("source"), 3)
    target = small_catalog(postgres.new("held"), 1)
    refused = linernotes("db", "copy", str(source), str(target), code=1)
    assert "already holds a catalog" in refused.output and "--replace" in refused.output
    assert "nothing was copied" in refused.output
    assert artist_names(target) == ["Artist 1"]

    linernotes("db", "copy", str(source), str(target), "--replace")
    assert artist_names(target) == ["Artist 1", "Artist 2", "Artist 3"]

    held = small_catalog(tmp_path / "held.sqlite3", 1)  # and the same into SQLite
    linernotes("db", "copy", str(target), str(held), code=1)
    assert artist_names(held) == ["Artist 1"]
    linernotes("db", "copy", str(target), str(held), "--replace")
    assert artist_names(held) == ["Artist 1", "Artist 2", "Artist 3"]


def test_new_rows_on_postgresql_are_numbered_after_the_copied_ones(
    new_catalog: Callable[[str], Path | str], postgres: Backend
) -> None:
    """One identity_override with id 1: a new sequence must still move past it."""
    source = small_catalog(new_catalog("source"), 1)
    target = postgres.new("numbered")
    linernotes("db", "copy", str(source), str(target))
    catalog = Catalog.open(target)
    made = catalog.db.one(
        "INSERT INTO identity_override (entity_kind, action, ref_a, ref_b, created_at)"
        " VALUES ('artist', 'split', 'genius:3', 'genius:4', 'now') RETURNING id"
    )
    artist = catalog.db.one(
        "INSERT INTO artist (name, folded, created_at) VALUES ('B', 'b', 'now') RETURNING id"
    )
    catalog.close()
    assert made == (2,) and artist == (2,)


def test_counts_that_differ_fail_the_copy_and_write_nothing(
    new_catalog: Callable[[str], Path | str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = small_catalog(new_catalog("source"), 2)
    target = tmp_path / "target.sqlite3"
    Catalog.open(target).close()
    write = copy._write

    def losing_one(db: Database, plan: Any, rows: list[tuple[Any, ...]]) -> None:
        write(db, plan, rows[1:] if plan.name == "ingest_problem" else rows)

    monkeypatch.setattr(copy, "_write", losing_one)  # a row lost on the way, somehow
    failed = linernotes("db", "copy", str(source), str(target), code=1)
    assert "ingest_problem (2 in the source, 1 in the target)" in failed.output
    assert "nothing was written" in failed.output
    assert artist_names(target) == []


def test_a_row_postgresql_cannot_hold_fails_the_copy_and_writes_nothing(
    tmp_path: Path, postgres: Backend
) -> None:
    source = small_catalog(tmp_path / "source.sqlite3", 2)
    with sqlite3.connect(source) as raw:  # SQLite keeps a NUL inside text; PostgreSQL cannot
        raw.execute("UPDATE artist SET name = 'Bad' || char(0) || 'Name' WHERE id = 2")
    target = str(postgres.new("nul"))
    failed = linernotes("db", "copy", str(source), target, code=1)
    assert "writing artist failed, nothing was written" in failed.output
    assert "NUL" in failed.output
    assert artist_names(target) == []


def test_bad_places_are_said_plainly(demo_path: Path | str, tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    target = tmp_path / "target.sqlite3"
    said = linernotes("db", "copy", str(missing), str(target), code=2)
    assert f"no SQLite catalog at {missing}" in said.output
    assert not missing.exists() and not target.exists()

    itself = linernotes("db", "copy", str(demo_path), str(demo_path), code=2)
    assert "is SOURCE itself" in itself.output or "same database as SOURCE" in itself.output

    nowhere = "postgresql://someone:hunter2@127.0.0.1:1/catalog"
    unreachable = linernotes("db", "copy", str(demo_path), nowhere, code=1)
    assert "cannot connect to postgresql://someone@127.0.0.1:1/catalog" in unreachable.output
    assert "hunter2" not in unreachable.output

    nothing = linernotes("--db", str(missing), "db", "status", code=2)
    assert f"no SQLite catalog at {missing}" in nothing.output
    assert not missing.exists()


def test_the_same_postgresql_database_by_another_url_is_refused(postgres: Backend) -> None:
    assert isinstance(postgres, PostgresBackend)
    where = postgres.new("twice")
    database = where.split("?")[0].rsplit("/", 1)[1]
    other = postgres.server.url(database, tcp=True)  # TCP where the first is the socket
    assert other != where
    said = linernotes("db", "copy", where, other, code=2)
    assert "is the same database as SOURCE" in said.output


# -- migrate and status ------------------------------------------------------------------------


def test_status_shows_what_is_pending_and_migrate_applies_it(tmp_path: Path) -> None:
    where = tmp_path / "old.sqlite3"
    sqlite3.connect(where).close()  # a database no migration has touched yet
    before = as_json("--db", str(where), "db", "status")
    assert before["backend"] == "sqlite" and before["database"] == str(where)
    assert before["migrations"]["applied"] == []
    assert [m["version"] for m in before["migrations"]["pending"]] == list(range(1, MIGRATIONS + 1))
    assert before["migrations"]["pending"][0]["name"] == "catalog"
    assert as_json("--db", str(where), "db", "status") == before  # status changes nothing

    applied = linernotes("--db", str(where), "db", "migrate").output
    assert (
        f"Applied {MIGRATIONS} of {MIGRATIONS} migrations" in applied and "0001 catalog" in applied
    )
    assert "up to date" in linernotes("--db", str(where), "db", "migrate").output
    assert as_json("--db", str(where), "db", "migrate") == {
        "database": str(where),
        "backend": "sqlite",
        "applied": [],
        "migrations": MIGRATIONS,
    }

    after = as_json("--db", str(where), "db", "status")
    assert len(after["migrations"]["applied"]) == MIGRATIONS
    assert after["migrations"]["pending"] == []
    assert after["tables"]["artist"] == 0 and after["tables"]["schema_migration"] == MIGRATIONS
    shown = linernotes("--db", str(where), "db", "status").output
    assert "Backend:    sqlite" in shown and f"{MIGRATIONS} applied" in shown


def test_migrate_and_status_on_postgresql(postgres: Backend) -> None:
    assert isinstance(postgres, PostgresBackend)
    postgres.admin.execute("CREATE DATABASE unmigrated")
    where = postgres.server.url("unmigrated")
    assert len(as_json("--db", where, "db", "status")["migrations"]["pending"]) == MIGRATIONS
    applied = as_json("--db", where, "db", "migrate")["applied"]
    assert [m["version"] for m in applied] == list(range(1, MIGRATIONS + 1))
    state = as_json("--db", where, "db", "status")
    assert state["backend"] == "postgresql" and state["migrations"]["pending"] == []
    assert state["database"] == "postgresql://postgres@localhost/unmigrated"
    assert state["tables"]["credit"] == 0
