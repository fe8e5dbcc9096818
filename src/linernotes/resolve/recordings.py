"""Resolve recordings: the same song across sources, and never another version of it.

Ids decide first (an ISRC or a source's id shared by two records merges them at ingest). Then
recordings sharing a title key are compared: the same title (featured credits, case, punctuation,
diacritics and edit notes aside), the same version (a remix, a live take, an acoustic one are
other recordings), a primary artist in common (after people are resolved, so it is one entity
however the sources spell them), durations within ten seconds where both are known, and no source
saying they differ (two Genius or MusicBrainz ids; a Genius song relationship: "Fake Love" by
Mila J is a remix of Drake's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar

from linernotes.normalize.genius import VERSION_FACT
from linernotes.normalize.records import EntityKind
from linernotes.resolve.person_match import Decision, Verdict
from linernotes.resolve.profiles import chunks, rows_for
from linernotes.resolve.titles import TitleKey, title_key
from linernotes.store.db import Database
from linernotes.store.merge import merge

RECORDING = EntityKind.RECORDING
DISTINCT_PER_SOURCE = frozenset({"genius", "musicbrainz"})  # one record per recording there
MAX_DURATION_GAP_MS = 10_000
MAX_BLOCK = 500  # a title shared by more recordings than this ("Intro") blocks too little
Pair = tuple[int, int]


@dataclass(frozen=True, slots=True)
class RecordingProfile:
    entity_id: int
    title: str
    key: TitleKey
    artists: frozenset[int] = frozenset()  # primary artists' entity ids
    ids: frozenset[tuple[str, str]] = frozenset()
    related: frozenset[tuple[str, str]] = frozenset()  # other versions a source names
    duration_ms: int | None = None


@dataclass(slots=True)
class SubjectReport:
    """What resolving recordings (or releases) did."""

    compared: int = 0
    pairs: int = 0
    merged: int = 0
    merges: list[tuple[str, str, str]] = field(default_factory=list)  # (kept, joined, why)


def compare_recordings(a: RecordingProfile, b: RecordingProfile) -> Verdict:
    differences = _differences(a, b)
    if differences:
        return Verdict(Decision.APART, 0.0, tuple(differences))
    reasons = ["same title", "same primary artist"]
    if a.key.version:
        reasons.append(f"same version ({', '.join(sorted(a.key.version))})")
    if a.duration_ms and b.duration_ms:
        reasons.append(f"durations agree ({a.duration_ms // 1000} s / {b.duration_ms // 1000} s)")
    return Verdict(Decision.MERGE, 1.0, tuple(reasons))


def _differences(a: RecordingProfile, b: RecordingProfile) -> list[str]:
    found = ids_apart(a.ids, b.ids, DISTINCT_PER_SOURCE)
    if a.related & b.ids or b.related & a.ids:
        found.append("a source says one is another version of the other")
    if a.key.version != b.key.version:
        found.append("different versions")
    if a.key.base != b.key.base:
        # Notes that are not known version marks still tell versions apart ("Thriller
        # (Immortal Version)"): the short title only brings candidates together.
        found.append("different titles")
    if not a.artists & b.artists:
        found.append("no primary artist in common")
    if a.duration_ms and b.duration_ms and abs(a.duration_ms - b.duration_ms) > MAX_DURATION_GAP_MS:
        found.append("durations differ")
    return found


def resolve_recordings(db: Database, *, everything: bool = False) -> SubjectReport:
    report = SubjectReport()
    report.compared, report.pairs = subject_pass(
        db, "recording", everything, lambda pairs: _join(db, pairs, report)
    )
    return report


# The helpers below serve recordings and releases alike; `table` is "recording" or "release"
# (our own names, never user input), which is also the entity kind and the mark's name.


def subject_pass(
    db: Database, table: str, everything: bool, join: Callable[[set[Pair]], None]
) -> tuple[int, int]:
    """Key what changed, pair it with what shares a title key, let `join` decide, in one
    transaction; return (subjects compared, candidate pairs)."""
    with db.transaction():
        changed = changed_subjects(db, table, everything)
        refresh_title_keys(db, table, changed)
        pairs = title_pairs(db, table, changed)
        join(pairs)
        advance_subject_mark(db, table)
    return len(changed), len(pairs)


def ids_apart(
    a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]], namespaces: frozenset[str]
) -> list[str]:
    """Namespaces where each side holds ids and none is shared: the source says they differ."""
    found: list[str] = []
    for namespace in sorted(namespaces):
        mine = {v for ns, v in a if ns == namespace}
        theirs = {v for ns, v in b if ns == namespace}
        if mine and theirs and not mine & theirs:
            found.append(f"{namespace} keeps them apart")
    return found


def changed_subjects(db: Database, table: str, everything: bool) -> list[int]:
    row = db.one("SELECT value FROM identity_mark WHERE name = ?", (table,))
    since = 0 if everything or row is None else int(row[0])
    return [int(r[0]) for r in db.execute(f"SELECT id FROM {table} WHERE id > ?", (since,))]


def advance_subject_mark(db: Database, table: str) -> None:
    row = db.one(f"SELECT max(id) FROM {table}")
    db.execute(
        "INSERT INTO identity_mark (name, value) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (table, int(row[0]) if row and row[0] is not None else 0),
    )


def refresh_title_keys(db: Database, table: str, ids: list[int]) -> None:
    rows = list(rows_for(db, f"SELECT id, title FROM {table} WHERE id IN ({{q}})", ids))
    db.executemany(
        "INSERT INTO identity_key (entity_kind, key, entity_id) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [(table, f"t:{title_key(t).short}", i) for i, t in rows if title_key(t).short],
    )
    db.grown(("identity_key",))


def title_pairs(db: Database, table: str, changed: list[int]) -> set[Pair]:
    """Pairs sharing a short-title key, at least one of them changed."""
    changed_set, pairs = set(changed), set[Pair]()
    for part in chunks(changed):
        members: dict[str, list[int]] = defaultdict(list)
        for key, entity_id in db.execute(
            "SELECT key, entity_id FROM identity_key WHERE entity_kind = ? AND key IN"
            " (SELECT key FROM identity_key WHERE entity_kind = ?"
            f" AND entity_id IN ({', '.join('?' * len(part))}))",
            (table, table, *part),
        ):
            members[str(key)].append(int(entity_id))
        for ids in members.values():
            if 1 < len(ids) <= MAX_BLOCK:
                for mine in (i for i in ids if i in changed_set):
                    pairs.update((min(mine, o), max(mine, o)) for o in ids if o != mine)
    return pairs


_ARTISTS = (
    "SELECT subject_id, artist_id FROM credit WHERE subject_kind = 'recording'"
    " AND role = 'main_artist' AND subject_id IN ({q})",
    "SELECT t.recording_id, c.artist_id FROM track t JOIN credit c ON c.subject_kind = 'release'"
    " AND c.subject_id = t.release_id AND c.role = 'main_artist' WHERE t.recording_id IN ({q})",
)


def load_recordings(db: Database, ids: set[int]) -> dict[int, RecordingProfile]:
    wanted = sorted(ids)
    base = {
        i: (t, d)
        for part in chunks(wanted)
        for i, t, d in db.execute(
            "SELECT id, title, duration_ms FROM recording"
            f" WHERE id IN ({', '.join('?' * len(part))})",
            part,
        )
    }
    artists: dict[int, set[int]] = defaultdict(set)
    for sql in _ARTISTS:
        for rec, artist in _pairs(db, sql, wanted):
            artists[rec].add(artist)
    ids_of: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for rec, ns, value in _triples(
        db,
        "SELECT entity_id, namespace, value FROM external_id"
        " WHERE entity_kind = 'recording' AND entity_id IN ({q})",
        wanted,
    ):
        ids_of[rec].add((ns, value))
    related: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for rec, ns, value in _triples(
        db,
        "SELECT f.subject_id, s.org_namespace, s.org_value FROM fact f"
        " JOIN fact_source s ON s.fact_id = f.id WHERE f.subject_kind = 'recording'"
        f" AND f.kind LIKE '{VERSION_FACT}%' AND s.org_value IS NOT NULL"
        " AND f.subject_id IN ({q})",
        wanted,
    ):
        related[rec].add((ns, value))
    return {
        int(i): RecordingProfile(
            int(i),
            str(t),
            title_key(str(t)),
            frozenset(artists[int(i)]),
            frozenset(ids_of[int(i)]),
            frozenset(related[int(i)]),
            int(d) if d else None,
        )
        for i, (t, d) in base.items()
    }


def _pairs(db: Database, sql: str, ids: list[int]) -> list[tuple[int, int]]:
    return [
        (int(r[0]), int(r[1]))
        for part in chunks(ids)
        for r in db.execute(sql.format(q=", ".join("?" * len(part))), part)
    ]


def _triples(db: Database, sql: str, ids: list[int]) -> list[tuple[int, str, str]]:
    return [
        (int(r[0]), str(r[1]), str(r[2]))
        for part in chunks(ids)
        for r in db.execute(sql.format(q=", ".join("?" * len(part))), part)
    ]


def _join(db: Database, pairs: set[Pair], report: SubjectReport) -> None:
    profiles = load_recordings(db, {i for p in pairs for i in p})

    def combined(kept: RecordingProfile, dropped: RecordingProfile) -> RecordingProfile:
        return replace(
            kept,
            artists=kept.artists | dropped.artists,
            ids=kept.ids | dropped.ids,
            related=kept.related | dropped.related,
            duration_ms=kept.duration_ms or dropped.duration_ms,
        )

    join_clusters(db, RECORDING, pairs, profiles, compare_recordings, combined, report)


class _Titled(Protocol):
    @property
    def title(self) -> str: ...


P = TypeVar("P", bound=_Titled)


def join_clusters(
    db: Database,
    kind: EntityKind,
    pairs: set[Pair],
    profiles: dict[int, P],
    compare: Callable[[P, P], Verdict],
    combined: Callable[[P, P], P],
    report: SubjectReport,
) -> None:
    """Merge pairs the comparison accepts, judging the clusters they belong to by then, so a
    cluster never comes to hold what its members would refuse (two Genius ids, two barcodes)."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.get(i, i) != i:
            i = parent[i]
        return i

    for a, b in sorted(pairs):
        ra, rb = root(a), root(b)
        if ra == rb or ra not in profiles or rb not in profiles:
            continue
        verdict = compare(profiles[ra], profiles[rb])
        if verdict.decision is not Decision.MERGE:
            continue
        keep, drop = sorted((ra, rb))
        merge(db, kind, keep, drop, verdict.reason, method="scored", score=verdict.score)
        parent[drop] = keep
        kept, dropped = profiles[keep], profiles[drop]
        profiles[keep] = combined(kept, dropped)
        report.merged += 1
        report.merges.append((kept.title, dropped.title, verdict.reason))
