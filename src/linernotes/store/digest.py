"""What a much-credited person's page shows, counted ahead and never read stale.

Who shares the most songs with someone is counted over every credit on every one of their songs:
about 100,000 index rows (130 ms and more) for a person with 14,000 credits in a catalog of 1M
people; their credits by role and year read 14,000 dates. For people with at least DIGEST_FROM
credits both are kept in person_digest (migrations 0016 and 0017), made by the first reader or
by the worker, whichever comes first. Triggers mark a digest stale, in the writer's own
transaction, when a credit on any of the person's songs is added or removed, the person gains or
loses an album credit, one of their songs or albums changes its date, or a song becomes a
pseudo-song (or stops being one); a stale digest is counted again, never shown.

A digest is written only if its version is still the one read before counting: a change that
lands while it counts bumps the version, and the digest stays stale for the next reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import orjson

from linernotes.store import role_years
from linernotes.store.db import Database, now_iso
from linernotes.store.read_names import NOT_PSEUDO
from linernotes.store.role_years import Summary

DIGEST_FROM = 1_000  # credits: below this, counting live takes a few milliseconds
TOP = 10  # collaborators a digest answers for (those tied with the last of them included)
TITLES = 20  # latest works a digest keeps of each (role, year) cell
MAX_TIED = 1_000  # ties kept at the cut: enough for any page, bounded for a flat tail

Counts = dict[int, int]  # collaborator id -> songs shared


@dataclass(frozen=True, slots=True)
class Digest:
    collaborators: Counts  # the TOP and those tied with the last of them
    cells: list[Summary]  # every (role, year) cell, with its latest TITLES works


def fresh(db: Database, artist_id: int) -> Digest | None:
    """The person's digest, made now if it is missing or stale; None for a person with too
    few credits to need one (their page counts as it goes)."""
    row = db.one("SELECT stale, counts, cells FROM person_digest WHERE artist_id = ?", (artist_id,))
    if row is not None and not row[0]:
        return _decoded(str(row[1]), str(row[2]))
    if row is not None or _credits(db, artist_id) >= DIGEST_FROM:
        return make(db, artist_id)
    return None


def make(db: Database, artist_id: int) -> Digest:
    """Count this person's page and keep it, unless a credit on their songs changed while
    counting (the digest then stays stale)."""
    # The row exists before counting starts, so any writer from then on bumps its version. Taken
    # with the writers' lock: a writer that added credits before it must have committed them,
    # or the count below would miss them (PostgreSQL lets readers and writers overlap).
    with db.transaction():
        db.execute(
            "INSERT INTO person_digest (artist_id) VALUES (?) ON CONFLICT (artist_id) DO NOTHING",
            (artist_id,),
        )
        row = db.one("SELECT version FROM person_digest WHERE artist_id = ?", (artist_id,))
    version = int(row[0]) if row else 0
    found = Digest(cut(count_live(db, artist_id), TOP), role_years.summary(db, artist_id, TITLES))
    db.execute(  # a statement of its own: no need to wait for the writers' lock
        "UPDATE person_digest SET counts = ?, cells = ?, stale = 0, made_at = ?"
        " WHERE artist_id = ? AND version = ?",
        (
            orjson.dumps(sorted(found.collaborators.items())).decode(),
            orjson.dumps(found.cells).decode(),
            now_iso(),
            artist_id,
            version,
        ),
    )
    return found


def _decoded(counts: str, cells: str) -> Digest:
    return Digest(
        {int(i): int(n) for i, n in orjson.loads(counts)},
        [
            (str(r), str(y), int(n), [int(w) for w in works])
            for r, y, n, works in orjson.loads(cells)
        ],
    )


def refresh_stale(db: Database, limit: int = 20) -> int:
    """Count again up to `limit` stale digests (the worker's part); how many were made."""
    stale = [
        int(r[0])
        for r in db.execute(
            f"SELECT artist_id FROM person_digest WHERE stale = 1 ORDER BY artist_id LIMIT {limit}"
        )
    ]
    for artist_id in stale:
        make(db, artist_id)
    return len(stale)


def make_all(
    db: Database, least: int = DIGEST_FROM, progress: Callable[[int, int], None] | None = None
) -> int:
    """A digest for everyone with at least `least` credits that has no fresh one (after a bulk
    load, so that no first visitor waits); how many were made."""
    fresh = {int(r[0]) for r in db.execute("SELECT artist_id FROM person_digest WHERE stale = 0")}
    heavy = db.execute(
        "SELECT artist_id FROM credit GROUP BY artist_id HAVING count(*) >= ? ORDER BY artist_id",
        (least,),
    )
    wanted = [int(r[0]) for r in heavy if int(r[0]) not in fresh]
    for done, artist_id in enumerate(wanted, 1):
        make(db, artist_id)
        if progress is not None:
            progress(done, len(wanted))
    return len(wanted)


def count_live(db: Database, artist_id: int) -> Counts:
    """Songs shared with each other person, counted from the credit index alone over the
    person's distinct real songs."""
    return {
        int(r[0]): int(r[1])
        for r in db.execute(
            "WITH mine AS (SELECT DISTINCT c.subject_id FROM credit c WHERE c.artist_id = ?"
            f" AND c.subject_kind = 'recording' AND {NOT_PSEUDO})"
            " SELECT o.artist_id, count(DISTINCT o.subject_id) FROM mine"
            " JOIN credit o ON o.subject_id = mine.subject_id AND o.subject_kind = 'recording'"
            " WHERE o.artist_id <> ? GROUP BY o.artist_id",
            (artist_id, artist_id),
        )
    }


def cut(counts: Counts, top: int) -> Counts:
    """The `top` with most songs and those tied with the last of them (at most MAX_TIED)."""
    if not counts:
        return {}
    least = sorted(counts.values(), reverse=True)[min(top, len(counts)) - 1]
    kept = sorted((p for p, n in counts.items() if n >= least), key=lambda p: -counts[p])
    return {p: counts[p] for p in kept[: max(top, MAX_TIED)]}


def _credits(db: Database, artist_id: int) -> int:
    row = db.one(
        "SELECT count(*) FROM"
        f" (SELECT 1 FROM credit WHERE artist_id = ? LIMIT {DIGEST_FROM}) AS mine",
        (artist_id,),
    )
    return int(row[0]) if row else 0
