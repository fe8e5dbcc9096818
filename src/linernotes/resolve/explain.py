"""Why the catalog thinks what it thinks about identity: links, merges, near matches, namesakes."""

from __future__ import annotations

from dataclasses import dataclass, field

from linernotes.resolve.name_keys import compact
from linernotes.store.db import Database


@dataclass(frozen=True, slots=True)
class Link:
    ref: str  # namespace:value
    rule: str  # source_id, source_local_key, manual ...
    source: str


@dataclass(frozen=True, slots=True)
class Joined:
    refs: tuple[str, ...]  # what the merge brought in
    method: str  # shared_id, scored, manual
    score: float | None
    reason: str
    at: str


@dataclass(frozen=True, slots=True)
class NearMatch:
    artist_id: int
    name: str
    score: float
    reason: str


@dataclass(slots=True)
class Identity:
    artist_id: int
    name: str
    links: list[Link] = field(default_factory=list)
    joined: list[Joined] = field(default_factory=list)
    near: list[NearMatch] = field(default_factory=list)  # possible same person, for review
    namesakes: list[tuple[int, str]] = field(default_factory=list)  # same name, kept apart


def identity(db: Database, artist_id: int) -> Identity:
    row = db.one("SELECT name FROM artist WHERE id = ?", (artist_id,))
    if row is None:
        raise KeyError(artist_id)
    found = Identity(artist_id, str(row[0]))
    found.links = [
        Link(f"{ns}:{value}", str(rule), str(source))
        for ns, value, rule, source in db.execute(
            "SELECT namespace, value, rule, source FROM external_id"
            " WHERE entity_kind = 'artist' AND entity_id = ? ORDER BY namespace, value",
            (artist_id,),
        )
    ]
    found.joined = [
        Joined(tuple(str(refs).split("\n")) if refs else (), str(m), s, str(r), str(at))
        for refs, m, s, r, at in db.execute(
            "SELECT dropped_refs, method, score, reason, merged_at FROM entity_merge"
            " WHERE entity_kind = 'artist' AND kept = ? ORDER BY rowid",
            (artist_id,),
        )
    ]
    found.near = [
        NearMatch(int(other), str(name), float(score), str(reason))
        for other, name, score, reason in db.execute(
            "SELECT a.id, a.name, c.score, c.reason FROM identity_candidate c"
            " JOIN artist a ON a.id = CASE WHEN c.a = ? THEN c.b ELSE c.a END"
            " WHERE c.entity_kind = 'artist' AND (c.a = ? OR c.b = ?) ORDER BY c.score DESC",
            (artist_id, artist_id, artist_id),
        )
    ]
    found.namesakes = namesakes(db, artist_id)
    return found


def namesakes(db: Database, artist_id: int) -> list[tuple[int, str]]:
    """Other artists whose name folds to the same key: the catalog keeps them as different."""
    return [
        (int(i), str(n))
        for i, n in db.execute(
            "SELECT DISTINCT a.id, a.name FROM identity_key k JOIN identity_key o"
            " ON o.entity_kind = 'artist' AND o.key = k.key AND o.entity_id <> k.entity_id"
            " JOIN artist a ON a.id = o.entity_id"
            " WHERE k.entity_kind = 'artist' AND k.entity_id = ? AND k.key = ?",
            (artist_id, f"n:{_own_key(db, artist_id)}"),
        )
    ]


def _own_key(db: Database, artist_id: int) -> str:
    row = db.one("SELECT name FROM artist WHERE id = ?", (artist_id,))
    return compact(str(row[0])) if row else ""


@dataclass(frozen=True, slots=True)
class AmbiguousName:
    name: str
    artists: list[tuple[int, str, int]]  # (id, name, credits)


def ambiguous_names(db: Database, limit: int = 50) -> list[AmbiguousName]:
    """Names borne by several catalog artists kept apart: the same name, different people."""
    groups = db.execute(
        "SELECT key, COUNT(*) FROM identity_key WHERE entity_kind = 'artist' AND key LIKE 'n:%'"
        " GROUP BY key HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, key LIMIT ?",
        (limit,),
    )
    out: list[AmbiguousName] = []
    for key, _ in groups:
        artists = [
            (int(i), str(n), int(c))
            for i, n, c in db.execute(
                "SELECT a.id, a.name, (SELECT COUNT(*) FROM credit WHERE artist_id = a.id)"
                " FROM identity_key k JOIN artist a ON a.id = k.entity_id"
                " WHERE k.entity_kind = 'artist' AND k.key = ? ORDER BY a.id",
                (key,),
            )
        ]
        out.append(AmbiguousName(artists[0][1], artists))
    return out


@dataclass(frozen=True, slots=True)
class ReviewPair:
    a: int
    a_name: str
    b: int
    b_name: str
    score: float
    reason: str


def review_queue(db: Database, limit: int = 50) -> list[ReviewPair]:
    """Possible same persons, strongest first: what a person reviewing identity looks at."""
    return [
        ReviewPair(int(a), str(an), int(b), str(bn), float(score), str(reason))
        for a, an, b, bn, score, reason in db.execute(
            "SELECT c.a, x.name, c.b, y.name, c.score, c.reason FROM identity_candidate c"
            " JOIN artist x ON x.id = c.a JOIN artist y ON y.id = c.b"
            " WHERE c.entity_kind = 'artist' ORDER BY c.score DESC, x.name LIMIT ?",
            (limit,),
        )
    ]
