"""Schema migrations: numbered SQL files, applied in order on open, each recorded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from linernotes.store.db import DIALECT_WORDS, Database

_NAME = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")
_WORD = re.compile(r"\{([A-Z]+)\}")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    """The migrations shipped with the package, in version order."""
    found: list[Migration] = []
    for entry in resources.files("linernotes.store").joinpath("migrations").iterdir():
        match = _NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def render(sql: str, dialect: str) -> str:
    words = DIALECT_WORDS[dialect]
    return _WORD.sub(lambda m: words[m[1]], sql)


def applied(db: Database) -> dict[int, str]:
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migration ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return dict(db.execute("SELECT version, name FROM schema_migration"))


def migrate(db: Database) -> list[Migration]:
    """Apply every migration not yet recorded; return those applied now."""
    done = applied(db)
    newly: list[Migration] = []
    for migration in available():
        if migration.version in done:
            continue
        with db.transaction():
            for statement in _statements(render(migration.sql, db.dialect)):
                db.execute(statement)
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
