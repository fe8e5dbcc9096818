"""Turn what the user typed into one entity, or say clearly why not.

Never picks silently: several candidates are listed with enough to tell them apart, and nothing
found suggests the closest names.
"""

from __future__ import annotations

import click

from linernotes.normalize.records import EntityKind
from linernotes.search.names import find, suggest
from linernotes.store.db import Database
from linernotes.store.read_names import (
    EXACT_LIMIT,
    exact_by,
    recording_artists,
    release_artists,
    summary,
)
from linernotes.store.views import EntitySummary

_KIND_WORDS = {
    EntityKind.ARTIST: "artist or person",
    EntityKind.RELEASE: "album",
    EntityKind.RECORDING: "song",
}
_KIND_PLURALS = {
    EntityKind.ARTIST: "artists or people",
    EntityKind.RELEASE: "albums",
    EntityKind.RECORDING: "songs",
}


class NotFound(click.ClickException):
    exit_code = 1


class Ambiguous(click.ClickException):
    exit_code = 3


def pick(
    db: Database,
    kind: EntityKind,
    text: str,
    *,
    entity_id: int | None = None,
    by: str | None = None,
) -> EntitySummary:
    if entity_id is not None:
        return _by_id(db, kind, entity_id)
    if not text.strip():
        raise click.UsageError(f"say which {_KIND_WORDS[kind]}: give a name, or --id")
    if by:
        artists = [a.id for a in find(db, EntityKind.ARTIST, by)]
        candidates = exact_by(db, kind, text, artists) or [
            c for c in find(db, kind, text) if _credited_to(db, c, artists)
        ]
    else:
        candidates = find(db, kind, text)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFound(_not_found(db, kind, text, by))
    raise Ambiguous(_ambiguous(kind, text, candidates))


def _by_id(db: Database, kind: EntityKind, entity_id: int) -> EntitySummary:
    table = {
        EntityKind.ARTIST: "artist",
        EntityKind.RELEASE: "release",
        EntityKind.RECORDING: "recording",
    }[kind]
    if db.one(f"SELECT 1 FROM {table} WHERE id = ?", (entity_id,)) is None:
        raise NotFound(f"no {_KIND_WORDS[kind]} has id {entity_id}")
    return summary(db, kind, entity_id)


def _credited_to(db: Database, candidate: EntitySummary, wanted: list[int]) -> bool:
    """Whether a song or album is by one of these artists (for --by)."""
    names = (
        recording_artists(db, candidate.id)
        if candidate.kind == "recording"
        else release_artists(db, candidate.id)
    )
    found = {a.id for n in names for a in find(db, EntityKind.ARTIST, n)}
    return bool(set(wanted) & found)


def _not_found(db: Database, kind: EntityKind, text: str, by: str | None) -> str:
    what = f"{_KIND_WORDS[kind]} {text!r}" + (f" by {by!r}" if by else "")
    close = suggest(db, kind, text)
    if not close:
        return f"No {what} in the catalog."
    return f"No {what} in the catalog. Closest names: " + "; ".join(close)


def _ambiguous(kind: EntityKind, text: str, candidates: list[EntitySummary]) -> str:
    many = f"At least {len(candidates)}" if len(candidates) >= EXACT_LIMIT else f"{len(candidates)}"
    hint = " (or narrow with --by ARTIST)" if kind is not EntityKind.ARTIST else ""
    lines = [f"{many} {_KIND_PLURALS[kind]} match {text!r}; say which with --id{hint}:"]
    for c in candidates:
        matched = f" (as {c.matched!r})" if c.matched else ""
        lines.append(f"  --id {c.id:<7} {c.name}{matched} - {c.context}")
    return "\n".join(lines)
