"""What a look-up is asked for: words a user typed, or a catalog record to refresh."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linernotes.normalize.fold import fold
from linernotes.normalize.records import EntityKind
from linernotes.store.db import Database
from linernotes.store.read_credits import external_ids
from linernotes.store.read_names import recording_artists, release_artists

SUBJECTS = ("recording", "release")
MAX_QUERY = 200


class BadRequest(ValueError):
    """A look-up request that cannot be run: says what is wrong."""


@dataclass(frozen=True, slots=True)
class LookupRequest:
    query: str = ""  # what a user typed
    kind: str = ""  # or a catalog record to refresh: recording | release ...
    id: int = 0  # ... and its id

    def __post_init__(self) -> None:
        if bool(self.query.strip()) == bool(self.kind):
            raise BadRequest("a look-up needs either words to look up or a record to refresh")
        if len(self.query) > MAX_QUERY:
            raise BadRequest(f"a look-up takes at most {MAX_QUERY} characters")
        if self.kind and (self.kind not in SUBJECTS or self.id < 1):
            raise BadRequest(
                "only a song (recording) or an album (release) can be refreshed, by id"
            )

    @property
    def key(self) -> str:
        """Identical requests share one look-up: the same words however written, or the same
        record."""
        return f"{self.kind}:{self.id}" if self.kind else "q:" + " ".join(fold(self.query).split())

    def as_json(self) -> dict[str, Any]:
        return {"query": self.query} if self.query else {"kind": self.kind, "id": self.id}

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> LookupRequest:
        return cls(
            str(body.get("query") or ""), str(body.get("kind") or ""), int(body.get("id") or 0)
        )


@dataclass(frozen=True, slots=True)
class Known:
    """What the catalog already knows of a record being refreshed: its title, main artists,
    and its ids at each source (so those are fetched directly, not searched for)."""

    title: str
    artists: tuple[str, ...]
    ids: dict[str, str]  # namespace -> id ("genius", "musicbrainz", "discogs", "spotify", ...)


def known(db: Database, request: LookupRequest) -> Known:
    """The catalog's record behind a refresh request; BadRequest when there is none."""
    kind = EntityKind(request.kind)
    row = db.one(f"SELECT title FROM {kind.value} WHERE id = ?", (request.id,))
    if row is None:
        raise BadRequest(f"no {request.kind} {request.id} in the catalog")
    artists = (
        recording_artists(db, request.id)
        if kind is EntityKind.RECORDING
        else release_artists(db, request.id)
    )
    return Known(str(row[0]), tuple(artists), external_ids(db, kind, request.id))
