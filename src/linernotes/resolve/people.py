"""Resolve people: compare new or changed artists with those sharing a blocking key.

The work is set-based so it scales to dumps: candidate pairs come from shared keys; names and ids
rule most out cheaply; only the rest load their credits and are scored. MERGE verdicts join
clusters (the strongest first), unless the joined cluster would hold two ids a source keeps
apart or references a user split; REVIEW verdicts are kept as "possible same person". Manual
decisions are applied last, so they win over both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from linernotes.normalize.records import EntityKind
from linernotes.resolve import keys as k
from linernotes.resolve.overrides import apply_overrides, split_pairs
from linernotes.resolve.person_match import (
    Decision,
    PersonProfile,
    Verdict,
    compare,
    conflict,
    name_evidence,
)
from linernotes.resolve.profiles import load_profiles, with_credits
from linernotes.store.db import Database
from linernotes.store.entities import now_iso
from linernotes.store.merge import merge

MAX_ROUNDS = 4  # merges corroborate further pairs; a few rounds settle it
MAX_BLOCK = 50  # a fuzzy key shared by more artists than this blocks too little to be worth it
Progress = Callable[[int, int], None]
Pair = tuple[int, int]


@dataclass(slots=True)
class ResolveReport:
    compared: int = 0  # artists new or changed since the last resolve
    pairs: int = 0  # candidate pairs from shared keys
    scored: int = 0  # pairs whose names could be one person, scored with their credits
    merged: int = 0
    review: int = 0
    kept_apart: int = 0  # merges refused: a source or a user keeps the two apart
    overrides: int = 0  # manual decisions applied now
    merges: list[tuple[str, str, str]] = field(default_factory=list)  # (kept, joined, why)


def resolve_people(
    db: Database, *, everything: bool = False, progress: Progress | None = None
) -> ResolveReport:
    report = ResolveReport()
    with db.transaction():
        changed = k.changed_artists(db, everything=everything)
        report.compared = len(changed)
        k.refresh_keys(db, changed)
        pairs = k.candidate_pairs(db, changed, MAX_BLOCK)
        report.pairs = len(pairs)
        plausible = _plausible(db, pairs)
        report.scored = len(plausible)
        _join(db, plausible, report, progress)
        report.overrides = apply_overrides(db, EntityKind.ARTIST)
        k.advance_marks(db)
    return report


def _plausible(db: Database, pairs: set[Pair]) -> list[Pair]:
    """Pairs whose names could be one person's and that no source keeps apart."""
    light = load_profiles(db, {i for pair in pairs for i in pair})
    return [
        (a, b)
        for a, b in sorted(pairs)
        if a in light
        and b in light
        and name_evidence(light[a], light[b])[0] > 0
        and conflict(light[a], light[b]) is None
    ]


def _join(
    db: Database, pairs: list[Pair], report: ResolveReport, progress: Progress | None
) -> None:
    """Score, merge the strongest first, and score again: a merge brings its credits along, which
    can corroborate a pair that had too little (the sheet's Elvis, once joined with Discogs' Elvis,
    shares "Blue Christmas" with Genius's)."""
    clusters = _Clusters(db)
    verdicts: list[tuple[Pair, Verdict]] = []
    for _ in range(MAX_ROUNDS):
        verdicts = _score(db, clusters, pairs)
        merges = sorted(
            ((p, v) for p, v in verdicts if v.decision is Decision.MERGE),
            key=lambda pv: -pv[1].score,
        )
        joined_any = False
        for done, ((a, b), verdict) in enumerate(merges, 1):
            joined = clusters.join(a, b, verdict)
            if joined:
                joined_any = True
                report.merged += 1
                report.merges.append(joined)
            if progress:
                progress(done, len(merges))
        if not joined_any:
            break
    report.kept_apart = clusters.refused
    for (a, b), verdict in verdicts:
        if verdict.decision is Decision.REVIEW and clusters.root(a) != clusters.root(b):
            _keep_for_review(db, clusters.root(a), clusters.root(b), verdict)
            report.review += 1


def _score(db: Database, clusters: _Clusters, pairs: list[Pair]) -> list[tuple[Pair, Verdict]]:
    """Verdicts on the clusters the pairs now belong to (each cluster pair once)."""
    by_roots = {tuple(sorted((clusters.root(a), clusters.root(b)))) for a, b in pairs}
    by_roots = {p for p in by_roots if p[0] != p[1]}
    profiles = with_credits(db, load_profiles(db, {i for pair in by_roots for i in pair}))
    return [
        ((a, b), compare(profiles[a], profiles[b]))
        for a, b in sorted(by_roots)
        if a in profiles and b in profiles
    ]


class _Clusters:
    """Union-find over artist ids, merging in the catalog as clusters join."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.parent: dict[int, int] = {}
        self.profiles: dict[int, PersonProfile] = {}  # per root: the cluster's ids and kind
        self.apart = split_pairs(db, EntityKind.ARTIST)
        self.refused = 0

    def root(self, i: int) -> int:
        while self.parent.get(i, i) != i:
            i = self.parent[i]
        return i

    def join(self, a: int, b: int, verdict: Verdict) -> tuple[str, str, str] | None:
        """Join the clusters of a and b; (kept, joined, why), or None if refused or already one."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return None
        pa, pb = self._profile(ra), self._profile(rb)
        if conflict(pa, pb) or (ra, rb) in self.apart or (rb, ra) in self.apart:
            self.refused += 1
            return None
        keep, drop = sorted((ra, rb))
        kept, dropped = (pa, pb) if keep == ra else (pb, pa)
        merge(
            self.db,
            EntityKind.ARTIST,
            keep,
            drop,
            verdict.reason,
            method="scored",
            score=verdict.score,
        )
        self.parent[drop] = keep
        self.profiles[keep] = replace(kept, ids=pa.ids | pb.ids, kind=_kind(pa.kind, pb.kind))
        self.apart = {(keep if x == drop else x, keep if y == drop else y) for x, y in self.apart}
        return kept.display, dropped.display, verdict.reason

    def _profile(self, root: int) -> PersonProfile:
        if root not in self.profiles:
            self.profiles[root] = load_profiles(self.db, [root])[root]
        return self.profiles[root]


def _kind(a: str, b: str) -> str:
    return a if a != "unknown" else b


def _keep_for_review(db: Database, a: int, b: int, verdict: Verdict) -> None:
    low, high = sorted((a, b))
    db.execute(
        "INSERT INTO identity_candidate (entity_kind, a, b, score, reason, created_at)"
        " VALUES ('artist', ?, ?, ?, ?, ?) ON CONFLICT (entity_kind, a, b) DO UPDATE SET"
        " score = excluded.score, reason = excluded.reason",
        (low, high, verdict.score, verdict.reason, now_iso()),
    )
