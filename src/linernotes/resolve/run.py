"""One resolve after ingest: people first (so a song's artists are one entity), then recordings."""

from __future__ import annotations

from dataclasses import dataclass

from linernotes.resolve.people import Progress, ResolveReport, resolve_people
from linernotes.resolve.recordings import RecordingReport, resolve_recordings
from linernotes.store.db import Database


@dataclass(frozen=True, slots=True)
class Resolved:
    people: ResolveReport
    recordings: RecordingReport


def resolve(
    db: Database, *, everything: bool = False, progress: Progress | None = None
) -> Resolved:
    people = resolve_people(db, everything=everything, progress=progress)
    return Resolved(people, resolve_recordings(db, everything=everything))
