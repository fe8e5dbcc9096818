"""Resolve releases: one album across sources, and never two editions a source tells apart.

A barcode names a product, and pressings share them, so it is evidence, not identity: two
releases with different barcodes are different products; two with the same one, by the same
artist and title, are one. Without a barcode, a release known only by a key (the Genius snapshot's
album title, a credit sheet's release column) joins the one release with its title and primary
artist; two releases that both carry a source's own id (a Discogs pressing and a Spotify album)
stay apart, since a vinyl pressing and a digital album are different releases.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from linernotes.normalize.records import ID_NAMESPACES, EntityKind
from linernotes.resolve.person_match import Decision, Verdict
from linernotes.resolve.profiles import chunks
from linernotes.resolve.recordings import (
    Pair,
    SubjectReport,
    ids_apart,
    join_clusters,
    subject_pass,
)
from linernotes.resolve.titles import TitleKey, title_key
from linernotes.store.db import Database

RELEASE = EntityKind.RELEASE
DISTINCT_PER_SOURCE = frozenset({"discogs", "musicbrainz", "spotify", "genius"})


@dataclass(frozen=True, slots=True)
class ReleaseProfile:
    entity_id: int
    title: str
    key: TitleKey
    artists: frozenset[int] = frozenset()
    ids: frozenset[tuple[str, str]] = frozenset()
    barcodes: frozenset[str] = frozenset()

    @property
    def keyed_only(self) -> bool:
        """Known by source-local keys only: no source's own id for this release."""
        return not any(ns in ID_NAMESPACES for ns, _ in self.ids)


def compare_releases(a: ReleaseProfile, b: ReleaseProfile) -> Verdict:
    differences = _differences(a, b)
    if differences:
        return Verdict(Decision.APART, 0.0, tuple(differences))
    reasons = ["same title", "same primary artist"]
    if a.barcodes & b.barcodes:
        reasons.append(f"same barcode ({min(a.barcodes & b.barcodes)})")
    return Verdict(Decision.MERGE, 1.0, tuple(reasons))


def _differences(a: ReleaseProfile, b: ReleaseProfile) -> list[str]:
    found = ids_apart(a.ids, b.ids, DISTINCT_PER_SOURCE)
    if a.barcodes and b.barcodes and not a.barcodes & b.barcodes:
        found.append("different barcodes")
    if a.key != b.key:
        found.append("different titles or editions")
    if not a.artists & b.artists:
        found.append("no primary artist in common")
    if not (a.keyed_only or b.keyed_only or a.barcodes & b.barcodes):
        found.append("two editions with their own ids, and no barcode saying they are one")
    return found


def resolve_releases(db: Database, *, everything: bool = False) -> SubjectReport:
    report = SubjectReport()
    report.compared, report.pairs = subject_pass(
        db, "release", everything, lambda pairs: _join(db, pairs, report)
    )
    return report


# A release's primary artists: its own main-artist credits, or its tracks' (the Genius snapshot
# and credit sheets credit songs, not albums).
_ARTISTS = (
    "SELECT subject_id, artist_id FROM credit WHERE subject_kind = 'release'"
    " AND role = 'main_artist' AND subject_id IN ({q})",
    "SELECT t.release_id, c.artist_id FROM track t JOIN credit c ON c.subject_kind = 'recording'"
    " AND c.subject_id = t.recording_id AND c.role = 'main_artist' WHERE t.release_id IN ({q})",
)


def load_releases(db: Database, ids: set[int]) -> dict[int, ReleaseProfile]:
    wanted = sorted(ids)
    found: dict[int, ReleaseProfile] = {}
    artists: dict[int, set[int]] = defaultdict(set)
    refs: dict[int, set[tuple[str, str]]] = defaultdict(set)
    barcodes: dict[int, set[str]] = defaultdict(set)
    for part in chunks(wanted):
        q = ", ".join("?" * len(part))
        for i, title in db.execute(f"SELECT id, title FROM release WHERE id IN ({q})", part):
            found[int(i)] = ReleaseProfile(int(i), str(title), title_key(str(title)))
        for sql in _ARTISTS:
            for i, artist in db.execute(sql.format(q=q), part):
                artists[int(i)].add(int(artist))
        for i, ns, value in db.execute(
            "SELECT entity_id, namespace, value FROM external_id WHERE entity_kind = 'release'"
            f" AND entity_id IN ({q})",
            part,
        ):
            refs[int(i)].add((str(ns), str(value)))
        for i, value in db.execute(
            "SELECT subject_id, value FROM fact WHERE subject_kind = 'release'"
            f" AND kind = 'barcode' AND subject_id IN ({q})",
            part,
        ):
            barcodes[int(i)].add(str(value))
    return {
        i: replace(
            p,
            artists=frozenset(artists[i]),
            ids=frozenset(refs[i]),
            barcodes=frozenset(barcodes[i]),
        )
        for i, p in found.items()
    }


def _join(db: Database, pairs: set[Pair], report: SubjectReport) -> None:
    def combined(kept: ReleaseProfile, dropped: ReleaseProfile) -> ReleaseProfile:
        return replace(
            kept,
            artists=kept.artists | dropped.artists,
            ids=kept.ids | dropped.ids,
            barcodes=kept.barcodes | dropped.barcodes,
        )

    profiles = load_releases(db, {i for p in pairs for i in p})
    join_clusters(db, RELEASE, pairs, profiles, compare_releases, combined, report)
