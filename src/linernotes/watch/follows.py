"""What a user follows: an artist (their records' credits), a person (the credits they get and
their handles), a release, or the top N of a chart ("trending").

Only SQL and checks here; the faces (CLI, API, pages) call these and show FollowError's message.
"""

from __future__ import annotations

from dataclasses import dataclass

from linernotes.settings import TRENDING_TOP, positive_int
from linernotes.store.db import Database, Row, now_iso

KINDS = ("artist", "person", "release", "trending")
TOP_MAX = 200  # the longest chart the sources publish (Spotify's daily top 200)


class FollowError(ValueError):
    """A follow that cannot be: the message says what and where."""


@dataclass(frozen=True, slots=True)
class Follow:
    id: int
    account_id: int
    kind: str
    target_id: int
    chart: str
    top_n: int
    created_at: str
    target_name: str  # artist/person name, release title, or chart name


# The target's name is read with the follow, so lists need no second query per row.
_FOLLOW = (
    "SELECT f.id, f.account_id, f.kind, f.target_id, f.chart, f.top_n, f.created_at,"
    " CASE f.kind WHEN 'release' THEN (SELECT r.title FROM release r WHERE r.id = f.target_id)"
    " WHEN 'trending' THEN f.chart"
    " ELSE (SELECT a.name FROM artist a WHERE a.id = f.target_id) END"
    " FROM follow f"
)


def _follow(row: Row) -> Follow:
    return Follow(
        id=int(row[0]),
        account_id=int(row[1]),
        kind=str(row[2]),
        target_id=int(row[3]),
        chart=str(row[4]),
        top_n=int(row[5]),
        created_at=str(row[6]),
        target_name=str(row[7] or ""),
    )


def charts(db: Database) -> list[str]:
    """The charts the catalog holds, for the trending choices."""
    return [str(r[0]) for r in db.execute("SELECT DISTINCT chart FROM chart_entry ORDER BY chart")]


def _check(db: Database, kind: str, target_id: int, chart: str, top_n: int) -> tuple[int, str, int]:
    """The follow's (target_id, chart, top_n) as stored, or FollowError saying what is wrong."""
    if kind not in KINDS:
        raise FollowError(f"unknown follow kind {kind!r}: expected one of {', '.join(KINDS)}")
    if kind == "trending":
        if not chart:
            raise FollowError("a trending follow needs a chart")
        if db.one("SELECT 1 FROM chart_entry WHERE chart = ? LIMIT 1", (chart,)) is None:
            held = ", ".join(charts(db)) or "none"
            raise FollowError(f"no chart {chart!r} in the catalog (charts held: {held})")
        top = top_n or positive_int(TRENDING_TOP)
        if not 1 <= top <= TOP_MAX:
            raise FollowError(f"top_n must be 1..{TOP_MAX}, got {top_n}")
        return 0, chart, top
    if chart or top_n:
        raise FollowError(f"chart and top_n are for trending follows, not {kind} follows")
    table, noun = ("release", "release") if kind == "release" else ("artist", kind)
    if db.one(f"SELECT 1 FROM {table} WHERE id = ?", (target_id,)) is None:
        raise FollowError(f"no {noun} with id {target_id}")
    return target_id, "", 0


def add_follow(
    db: Database,
    account_id: int,
    kind: str,
    target_id: int = 0,
    *,
    chart: str = "",
    top_n: int = 0,
    at: str | None = None,
) -> Follow:
    """Follow something; following it again returns the existing follow (a trending follow
    of the same chart takes the new top_n)."""
    target_id, chart, top_n = _check(db, kind, target_id, chart, top_n)
    with db.transaction():
        db.execute(
            "INSERT INTO follow (account_id, kind, target_id, chart, top_n, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, kind, target_id, chart)"
            " DO UPDATE SET top_n = excluded.top_n",
            (account_id, kind, target_id, chart, top_n, at or now_iso()),
        )
        row = db.one(
            f"{_FOLLOW} WHERE f.account_id = ? AND f.kind = ? AND f.target_id = ? AND f.chart = ?",
            (account_id, kind, target_id, chart),
        )
    assert row is not None
    return _follow(row)


def remove_follow(db: Database, account_id: int, follow_id: int) -> bool:
    """Stop following; False when the account has no such follow."""
    found = db.execute(
        "DELETE FROM follow WHERE id = ? AND account_id = ? RETURNING id", (follow_id, account_id)
    )
    return bool(found)


def follows(db: Database, account_id: int) -> list[Follow]:
    return [
        _follow(r)
        for r in db.execute(f"{_FOLLOW} WHERE f.account_id = ? ORDER BY f.id", (account_id,))
    ]


def follow_of(db: Database, account_id: int, kind: str, target_id: int) -> Follow | None:
    """The account's follow of this artist, person or release (for pages' follow buttons)."""
    row = db.one(
        f"{_FOLLOW} WHERE f.account_id = ? AND f.kind = ? AND f.target_id = ? AND f.chart = ''",
        (account_id, kind, target_id),
    )
    return None if row is None else _follow(row)
