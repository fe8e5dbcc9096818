"""Resolve people: compare new or changed artists with those sharing a blocking key.

The work is set-based so it scales to dumps: candidate pairs come from shared keys; names and ids
rule most out cheaply; only the rest load their credits and are scored. MERGE verdicts join
clusters (the strongest first), unless the joined cluster would hold two ids a source keeps
apart or references a user split; REVIEW verdicts are kept as "possible same person". Manual
decisions are applied last, so they win over both.

Rounds after the first re-read only the profiles a merge changed (the kept artist's, and those
that counted a dropped one among their collaborators) and re-score only the pairs they are in;
every other verdict is what re-scoring would give again. Each round's merges are decided in
memory, as one at a time would decide them, and written together (`merge_artists`). Measured on
1M incoming records against 1M people: bench/README.md, "Identity resolution".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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
from linernotes.resolve.profiles import (
    CODE_BITS,
    Folds,
    apart_codes,
    apart_table,
    load_profiles,
    with_credits,
)
from linernotes.store.db import Database, now_iso
from linernotes.store.merge import MergeStep, merge_artists

MAX_ROUNDS = 4  # merges corroborate further pairs; a few rounds settle it
MAX_BLOCK = 50  # a fuzzy key shared by more artists than this blocks too little to be worth it
RESOLVE_CACHE_KIB = 2 * 1024 * 1024  # SQLite page cache while resolving (see _page_cache)
RESOLVE_MMAP_BYTES = 1 << 36
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
    with db.transaction(), _page_cache(db):
        changed = k.changed_artists(db, everything=everything)
        report.compared = len(changed)
        names: dict[str, str] = {}  # name -> compact form, as refreshing keys computes it
        others = k.refresh_keys(db, changed, names)
        k.refresh_outdated(db, changed)
        pairs = k.candidate_pairs(db, changed, MAX_BLOCK)
        report.pairs = len(pairs)
        folds = Folds(names=names)
        plausible, profiles = _plausible(db, pairs, others, folds)
        del pairs, others
        report.scored = len(plausible)
        _join(db, plausible, profiles, report, progress, folds)
        report.overrides = apply_overrides(db, EntityKind.ARTIST)
        k.advance_marks(db)
    return report


@contextmanager
def _page_cache(db: Database) -> Iterator[None]:
    """A larger SQLite page cache, and the file memory-mapped, while resolving. A resolve reads
    the credits, source rows and keys of every artist it compares, scattered over the file: with
    the store's 64 MiB cache a 1M-artist resolve re-read 50 GB of pages through 12M read calls.
    The cache grows only as pages are read; both go back to what they were after."""
    if db.dialect != "sqlite":
        yield
        return
    before = [db.one(f"PRAGMA {name}") for name in ("cache_size", "mmap_size")]
    db.execute(f"PRAGMA cache_size = {-RESOLVE_CACHE_KIB}")
    db.execute(f"PRAGMA mmap_size = {RESOLVE_MMAP_BYTES}")  # SQLite caps it at its build's limit
    try:
        yield
    finally:
        for name, row in zip(("cache_size", "mmap_size"), before, strict=True):
            if row is not None:
                db.execute(f"PRAGMA {name} = {int(row[0])}")


def _plausible(
    db: Database, pairs: set[Pair], others: dict[int, set[str]], folds: Folds
) -> tuple[list[Pair], dict[int, PersonProfile]]:
    """Pairs whose names could be one person's and that no source keeps apart, and the
    profiles of their artists.

    Ids and kind rule out most pairs (two Genius ids, two Discogs ids) before any name is
    read; the verdict on the rest is `name_evidence` and `conflict` as they are. `others`: the
    other names of the changed artists, as refreshing their keys read them.
    """
    codes = apart_codes(db, {i for pair in pairs for i in pair})
    apart, shift = apart_table(), CODE_BITS
    left = [
        (a, b)
        for a, b in pairs
        if a in codes and b in codes and not apart[codes[a] << shift | codes[b]]
    ]
    del codes
    full = load_profiles(db, {i for pair in left for i in pair}, folds, known=others)
    plausible = sorted(
        (a, b)
        for a, b in left
        if name_evidence(full[a], full[b])[0] > 0 and conflict(full[a], full[b]) is None
    )
    return plausible, {i: full[i] for pair in plausible for i in pair}


def _join(
    db: Database,
    pairs: list[Pair],
    profiles: dict[int, PersonProfile],
    report: ResolveReport,
    progress: Progress | None,
    folds: Folds,
) -> None:
    """Score, merge the strongest first, and score again: a merge brings its credits along, which
    can corroborate a pair that had too little (the sheet's Elvis, once joined with Discogs' Elvis,
    shares "Blue Christmas" with Genius's)."""
    clusters = _Clusters(db)
    scorer = _Scorer(db, folds, profiles)
    verdicts: list[tuple[Pair, Verdict]] = []
    for _ in range(MAX_ROUNDS):
        verdicts = scorer.score(clusters, pairs)
        steps = _merge_round(clusters, scorer, verdicts, report, progress)
        if not steps:
            break
        merge_artists(db, steps)
        scorer.forget({s.keep for s in steps}, {s.drop for s in steps})
    report.kept_apart = clusters.refused
    _keep_for_review(db, clusters, verdicts, report)


def _merge_round(
    clusters: _Clusters,
    scorer: _Scorer,
    verdicts: list[tuple[Pair, Verdict]],
    report: ResolveReport,
    progress: Progress | None,
) -> list[MergeStep]:
    merges = sorted(
        ((p, v) for p, v in verdicts if v.decision is Decision.MERGE),
        key=lambda pv: -pv[1].score,
    )
    steps: list[MergeStep] = []
    for done, ((a, b), verdict) in enumerate(merges, 1):
        step = clusters.join(a, b, verdict, scorer.profiles)
        if step:
            steps.append(step)
            report.merged += 1
            report.merges.append(clusters.said[-1])
        if progress:
            progress(done, len(merges))
    return steps


class _Scorer:
    """Profiles with credits and verdicts, kept across rounds until a merge changes them."""

    def __init__(self, db: Database, folds: Folds, loaded: dict[int, PersonProfile]) -> None:
        self.db, self.folds = db, folds
        self.loaded = loaded  # profiles without credits read before any merge: round one's
        self.profiles: dict[int, PersonProfile] = {}
        self.seen: dict[int, frozenset[int] | None] = {}  # collaborator ids each profile read
        self.verdicts: dict[Pair, Verdict] = {}

    def score(self, clusters: _Clusters, pairs: list[Pair]) -> list[tuple[Pair, Verdict]]:
        """Verdicts on the clusters the pairs now belong to (each cluster pair once)."""
        by_roots = {_ordered(clusters.root(a), clusters.root(b)) for a, b in pairs}
        by_roots = {p for p in by_roots if p[0] != p[1]}
        self._load({i for pair in by_roots for i in pair} - self.profiles.keys())
        out: list[tuple[Pair, Verdict]] = []
        for a, b in sorted(by_roots):
            if a in self.profiles and b in self.profiles:
                verdict = self.verdicts.get((a, b))
                if verdict is None:
                    verdict = self.verdicts[(a, b)] = compare(self.profiles[a], self.profiles[b])
                out.append(((a, b), verdict))
        return out

    def _load(self, ids: set[int]) -> None:
        base = {i: self.loaded[i] for i in ids if i in self.loaded}
        base.update(load_profiles(self.db, ids - base.keys(), self.folds))
        self.loaded = {}  # a merge follows: they go stale
        if base:
            loaded = with_credits(self.db, base, self.folds)
            self.profiles.update(loaded.profiles)
            self.seen.update(loaded.seen)

    def forget(self, kept: set[int], dropped: set[int]) -> None:
        """Drop what the merges changed: the kept artists' profiles and those that read a
        dropped artist as a collaborator (its credits now name the kept one)."""
        stale = kept | dropped
        stale.update(
            i for i, seen in self.seen.items() if seen is None or not seen.isdisjoint(dropped)
        )
        for i in stale:
            self.profiles.pop(i, None)
            self.seen.pop(i, None)
        self.verdicts = {
            p: v for p, v in self.verdicts.items() if p[0] not in stale and p[1] not in stale
        }


def _ordered(a: int, b: int) -> Pair:
    return (a, b) if a <= b else (b, a)


class _Clusters:
    """Union-find over artist ids; each join is decided here and written with its round."""

    def __init__(self, db: Database) -> None:
        self.parent: dict[int, int] = {}
        self.profiles: dict[int, PersonProfile] = {}  # per joined root: the cluster's ids and kind
        self.apart = split_pairs(db, EntityKind.ARTIST)
        self.refused = 0
        self.said: list[tuple[str, str, str]] = []  # (kept, joined, why) per join

    def root(self, i: int) -> int:
        while self.parent.get(i, i) != i:
            i = self.parent[i]
        return i

    def join(
        self, a: int, b: int, verdict: Verdict, scored: dict[int, PersonProfile]
    ) -> MergeStep | None:
        """Join the clusters of a and b; the merge to write, or None if refused or already one.
        A root never joined is as its scored profile says: merges write only at a round's end,
        and every one this round touched a root already in `self.profiles`."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return None
        pa, pb = self.profiles.get(ra) or scored[ra], self.profiles.get(rb) or scored[rb]
        if conflict(pa, pb) or (ra, rb) in self.apart or (rb, ra) in self.apart:
            self.refused += 1
            return None
        keep, drop = sorted((ra, rb))
        kept, dropped = (pa, pb) if keep == ra else (pb, pa)
        self.parent[drop] = keep
        self.profiles[keep] = replace(kept, ids=pa.ids | pb.ids, kind=_kind(pa.kind, pb.kind))
        self.apart = {(keep if x == drop else x, keep if y == drop else y) for x, y in self.apart}
        self.said.append((kept.display, dropped.display, verdict.reason))
        return MergeStep(keep, drop, verdict.reason, verdict.score)


def _kind(a: str, b: str) -> str:
    return a if a != "unknown" else b


def _keep_for_review(
    db: Database,
    clusters: _Clusters,
    verdicts: Iterable[tuple[Pair, Verdict]],
    report: ResolveReport,
) -> None:
    rows = []
    for (a, b), verdict in verdicts:
        ra, rb = clusters.root(a), clusters.root(b)
        if verdict.decision is Decision.REVIEW and ra != rb:
            low, high = sorted((ra, rb))
            rows.append((low, high, verdict.score, verdict.reason, now_iso()))
            report.review += 1
    db.executemany(
        "INSERT INTO identity_candidate (entity_kind, a, b, score, reason, created_at)"
        " VALUES ('artist', ?, ?, ?, ?, ?) ON CONFLICT (entity_kind, a, b) DO UPDATE SET"
        " score = excluded.score, reason = excluded.reason",
        rows,
    )
