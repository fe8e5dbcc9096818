"""What the follow tests (CLI, API, pages, feed) share: a copy of the demo catalog whose first
build is not news, users with API keys, and notifications made the real way: a credit written to
the catalog (the triggers log it) and the matcher run over it (watch/match.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher

from api_support import demo_copy
from backends import Backend
from linernotes.store import accounts
from linernotes.store.accounts import User
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.watch import events, match
from linernotes.web import credentials

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def watch_catalog(backend: Backend, demo_path: Path | str, name: str) -> Path | str:
    """A demo copy whose building is not reported as changes (nobody followed anything then)."""
    where = demo_copy(backend, demo_path, name)
    with opened(where) as db:
        events.skip_pending(db)
    return where


@contextmanager
def opened(where: Path | str) -> Iterator[Database]:
    catalog = Catalog.open(where)
    try:
        yield catalog.db
    finally:
        catalog.close()


def add_user(db: Database, email: str) -> User:
    return accounts.add_user(db, email, CHEAP.hash("not used here"), "free", NOW)


def api_key(db: Database, user: User) -> str:
    return credentials.new_key(db, user, "tests", NOW)[1]


def artist_named(db: Database, name: str) -> int:
    row = db.one("SELECT id FROM artist WHERE name = ? ORDER BY id LIMIT 1", (name,))
    assert row is not None, name
    return int(row[0])


def song_by(db: Database, artist_id: int) -> tuple[int, str]:
    """One song where the artist is a main artist: (recording id, title)."""
    row = db.one(
        "SELECT r.id, r.title FROM credit c JOIN recording r ON r.id = c.subject_id"
        " WHERE c.artist_id = ? AND c.role = 'main_artist' AND c.subject_kind = 'recording'"
        " ORDER BY r.id LIMIT 1",
        (artist_id,),
    )
    assert row is not None, artist_id
    return int(row[0]), str(row[1])


def new_credit(db: Database, artist_id: int, recording_id: int, role: str = "producer") -> None:
    """A credit as an ingest writes it; the catalog's triggers log the change."""
    db.execute(
        "INSERT INTO credit (artist_id, role, subject_kind, subject_id) VALUES (?, ?, ?, ?)",
        (artist_id, role, "recording", recording_id),
    )


def process(db: Database, minutes: int = 0) -> match.MatchReport:
    return match.process(db, NOW + timedelta(minutes=minutes), email=False)
