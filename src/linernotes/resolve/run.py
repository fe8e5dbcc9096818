"""One resolve after ingest: people first (so a song's artists are one entity), combined pages
linked to their members, then recordings and releases."""

from __future__ import annotations

from dataclasses import dataclass

from linernotes.resolve.members import link_combined
from linernotes.resolve.people import Progress, ResolveReport, resolve_people
from linernotes.resolve.recordings import SubjectReport, resolve_recordings
from linernotes.resolve.releases import resolve_releases
from linernotes.store.db import Database


@dataclass(frozen=True, slots=True)
class Resolved:
    people: ResolveReport
    recordings: SubjectReport
    member_links: int  # combined pages linked to their members
    releases: SubjectReport


def resolve(
    db: Database, *, everything: bool = False, progress: Progress | None = None
) -> Resolved:
    people = resolve_people(db, everything=everything, progress=progress)
    with db.transaction():
        links = link_combined(db)
    recordings = resolve_recordings(db, everything=everything)
    return Resolved(people, recordings, links, resolve_releases(db, everything=everything))
