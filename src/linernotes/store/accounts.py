"""Accounts in the catalog: users and their plans, login sessions, API keys, and the counters
behind plans' limits (handle reveals a day, requests in a window).

Only SQL here; hashing and checking secrets is web/credentials.py's job. Times are UTC ISO 8601
strings to the second, compared as text (one format everywhere, so text order is time order).
Counters live in the catalog so that every server process on it sees the same counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from linernotes.store.db import Database

PLANS = ("free", "pro")  # what a user can be on; "anonymous" is everyone else


class AccountExists(ValueError):
    """An account with this email is there already."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    plan: str
    created_at: str
    password_hash: str = ""


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: int
    user_id: int
    name: str
    shown: str  # the first characters of the key: enough to recognise it, useless to an attacker
    created_at: str
    last_used_at: str | None
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def stamp(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


_USER = "SELECT id, email, plan, created_at, password_hash FROM account"


def _user(row: tuple[object, ...] | None) -> User | None:
    if row is None:
        return None
    return User(int(str(row[0])), str(row[1]), str(row[2]), str(row[3]), str(row[4]))


def add_user(db: Database, email: str, password_hash: str, plan: str, at: datetime) -> User:
    """A new user; AccountExists if the email is taken (checked by the unique index, so two
    sign-ups racing for one email cannot both win)."""
    with db.transaction():
        if db.one("SELECT 1 FROM account WHERE email = ?", (email,)) is not None:
            raise AccountExists(email)
        row = db.one(
            "INSERT INTO account (email, password_hash, plan, created_at) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            (email, password_hash, plan, stamp(at)),
        )
    assert row is not None
    return User(int(row[0]), email, plan, stamp(at), password_hash)


def user_by_email(db: Database, email: str) -> User | None:
    return _user(db.one(f"{_USER} WHERE email = ?", (email,)))


def user_by_id(db: Database, user_id: int) -> User | None:
    return _user(db.one(f"{_USER} WHERE id = ?", (user_id,)))


def users(db: Database) -> list[User]:
    found = [_user(r) for r in db.execute(f"{_USER} ORDER BY id")]
    return [u for u in found if u is not None]


def set_password_hash(db: Database, user_id: int, password_hash: str) -> None:
    db.execute("UPDATE account SET password_hash = ? WHERE id = ?", (password_hash, user_id))


def set_plan(db: Database, user_id: int, plan: str) -> None:
    db.execute("UPDATE account SET plan = ? WHERE id = ?", (plan, user_id))


def remove_user(db: Database, user_id: int) -> None:
    """The user, their sessions and keys (cascade); counts of their reveals go with them."""
    with db.transaction():
        db.execute("DELETE FROM handle_reveal WHERE subject = ?", (f"user:{user_id}",))
        db.execute("DELETE FROM account WHERE id = ?", (user_id,))


# Sessions -------------------------------------------------------------------------------------


def add_session(db: Database, user_id: int, token_hash: str, at: datetime, until: datetime) -> None:
    db.execute(
        "INSERT INTO account_session (token_hash, account_id, created_at, expires_at)"
        " VALUES (?, ?, ?, ?)",
        (token_hash, user_id, stamp(at), stamp(until)),
    )


def session_user(db: Database, token_hash: str, at: datetime) -> User | None:
    """The user a session belongs to while it has not expired."""
    return _user(
        db.one(
            "SELECT a.id, a.email, a.plan, a.created_at, a.password_hash"
            " FROM account_session s JOIN account a ON a.id = s.account_id"
            " WHERE s.token_hash = ? AND s.expires_at > ?",
            (token_hash, stamp(at)),
        )
    )


def remove_session(db: Database, token_hash: str) -> None:
    db.execute("DELETE FROM account_session WHERE token_hash = ?", (token_hash,))


def remove_expired_sessions(db: Database, user_id: int, at: datetime) -> None:
    db.execute(
        "DELETE FROM account_session WHERE account_id = ? AND expires_at <= ?",
        (user_id, stamp(at)),
    )


# API keys -------------------------------------------------------------------------------------

_KEY = "SELECT id, account_id, name, shown, created_at, last_used_at, revoked_at FROM api_key"


def _key(row: tuple[object, ...]) -> ApiKey:
    return ApiKey(
        int(str(row[0])),
        int(str(row[1])),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        None if row[5] is None else str(row[5]),
        None if row[6] is None else str(row[6]),
    )


def add_key(
    db: Database, user_id: int, name: str, shown: str, key_hash: str, at: datetime
) -> ApiKey:
    row = db.one(
        "INSERT INTO api_key (account_id, name, shown, key_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        (user_id, name, shown, key_hash, stamp(at)),
    )
    assert row is not None
    return ApiKey(int(row[0]), user_id, name, shown, stamp(at), None, None)


def keys(db: Database, user_id: int) -> list[ApiKey]:
    return [_key(r) for r in db.execute(f"{_KEY} WHERE account_id = ? ORDER BY id", (user_id,))]


def key_by_id(db: Database, key_id: int) -> ApiKey | None:
    row = db.one(f"{_KEY} WHERE id = ?", (key_id,))
    return None if row is None else _key(row)


def key_by_hash(db: Database, key_hash: str) -> tuple[ApiKey, str] | None:
    """The key with this hash and the hash as stored (for a constant-time check)."""
    row = db.one(
        "SELECT id, account_id, name, shown, created_at, last_used_at, revoked_at, key_hash"
        " FROM api_key WHERE key_hash = ?",
        (key_hash,),
    )
    return None if row is None else (_key(row), str(row[7]))


def touch_key(db: Database, key_id: int, at: datetime) -> None:
    db.execute("UPDATE api_key SET last_used_at = ? WHERE id = ?", (stamp(at), key_id))


def revoke_key(db: Database, key_id: int, at: datetime) -> bool:
    """Revoke a key; False when there is no such key or it was revoked already."""
    rows = db.execute(
        "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id",
        (stamp(at), key_id),
    )
    return bool(rows)


# Counters -------------------------------------------------------------------------------------


def hit(db: Database, subject: str, window_start: str) -> int:
    """Count one request of `subject` in the window starting at `window_start`; the count so far,
    this one included. One statement: atomic on both backends, whatever other processes do."""
    row = db.one(
        "INSERT INTO usage_window (subject, window_start, hits) VALUES (?, ?, 1)"
        " ON CONFLICT (subject, window_start) DO UPDATE SET hits = usage_window.hits + 1"
        " RETURNING hits",
        (subject, window_start),
    )
    assert row is not None
    hits = int(row[0])
    if hits == 1:  # a new window: windows that ended long ago are of no use to anyone
        forget_windows(db, window_start)
    return hits


def forget_windows(db: Database, before: str) -> None:
    """Drop the windows that started a day or more before `before` (text: ISO times)."""
    db.execute("DELETE FROM usage_window WHERE window_start < ?", (_day_before(before),))


def _day_before(iso: str) -> str:
    return stamp(datetime.fromisoformat(iso).replace(microsecond=0) - timedelta(days=1))


def revealed(db: Database, subject: str, day: str) -> set[int]:
    """The people whose handles `subject` has seen on `day`."""
    rows = db.execute(
        "SELECT artist_id FROM handle_reveal WHERE subject = ? AND day = ?", (subject, day)
    )
    return {int(r[0]) for r in rows}


def add_reveals(
    db: Database, subject: str, day: str, artist_ids: Iterable[int], at: datetime
) -> None:
    db.executemany(
        "INSERT INTO handle_reveal (subject, day, artist_id, revealed_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (subject, day, artist_id) DO NOTHING",
        [(subject, day, artist_id, stamp(at)) for artist_id in artist_ids],
    )


def forget_reveals(db: Database, before_day: str) -> None:
    """Drop reveals of days before `before_day`: only today's count against a plan."""
    db.execute("DELETE FROM handle_reveal WHERE day < ?", (before_day,))
