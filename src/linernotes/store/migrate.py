"""Schema migrations: numbered SQL files, applied in order on open, each recorded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from linernotes.store.db import DIALECT_WORDS, Database

# 0007_search_dirty.sql for every backend; 0007_search_dirty.postgresql.sql, when present,
# replaces it on that backend (triggers are spelled differently), and a migration that exists
# only for another backend is recorded as applied with nothing to do.
_NAME = re.compile(r"(\d{4})_([a-z0-9_]+)(?:\.(sqlite|postgresql))?\.sql")
_WORD = re.compile(r"\{([A-Z]+)\}")
# Types whose name means something else on a backend: PostgreSQL's REAL is 4 bytes, SQLite's 8.
_TYPES: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "sqlite": (),
    "postgresql": ((re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),),
}


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available(dialect: str = "sqlite") -> list[Migration]:
    """The migrations shipped with the package for `dialect`, in version order."""
    generic: dict[int, Migration] = {}
    own: dict[int, Migration] = {}
    for entry in resources.files("linernotes.store").joinpath("migrations").iterdir():
        match = _NAME.fullmatch(entry.name)
        if not match:
            continue
        version, name, only = int(match[1]), match[2], match[3]
        if only is None:
            generic[version] = Migration(version, name, entry.read_text(encoding="utf-8"))
        elif only == dialect:
            own[version] = Migration(version, name, entry.read_text(encoding="utf-8"))
        else:
            generic.setdefault(version, Migration(version, name, ""))
    return sorted({**generic, **own}.values(), key=lambda m: m.version)


def render(sql: str, dialect: str) -> str:
    words = DIALECT_WORDS[dialect]
    sql = _WORD.sub(lambda m: words[m[1]], sql)
    for pattern, spelled in _TYPES[dialect]:
        sql = pattern.sub(spelled, sql)
    return sql


def applied(db: Database) -> dict[int, str]:
    with db.transaction():
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    return dict(db.execute("SELECT version, name FROM schema_migration"))


def migrate(db: Database) -> list[Migration]:
    """Apply every migration not yet recorded; return those applied now.

    Each runs in a transaction that first checks again that nobody applied it meanwhile: two
    processes opening a PostgreSQL catalog at once apply each migration once (writers'
    transactions are serialised, see the backends' `transaction`)."""
    done = applied(db)
    newly: list[Migration] = []
    for migration in available(db.dialect):
        if migration.version in done:
            continue
        with db.transaction():
            if db.one("SELECT 1 FROM schema_migration WHERE version = ?", (migration.version,)):
                continue
            _apply(db, render(migration.sql, db.dialect))
            db.execute(
                "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)",
                (
                    migration.version,
                    migration.name,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )
        newly.append(migration)
    return newly


def _apply(db: Database, sql: str) -> None:
    if db.dialect == "postgresql":
        # One script: PostgreSQL runs several statements (and function bodies holding ';')
        # in one call, inside the open transaction.
        if sql.strip():
            db.executescript(sql)
        return
    for statement in _statements(sql):
        db.execute(statement)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (our migrations keep ';' out of strings and comments).

    A trigger's body holds statements of its own: its pieces are joined up to its END.
    """
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    statements: list[str] = []
    pending = ""
    for piece in "\n".join(lines).split(";"):
        pending = f"{pending};{piece}" if pending else piece.strip()
        if pending.upper().startswith("CREATE TRIGGER") and not pending.upper().endswith("END"):
            continue
        if pending.strip():
            statements.append(pending.strip())
        pending = ""
    return statements
