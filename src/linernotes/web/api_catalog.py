"""The catalog's own resources: an artist, and a release's or a recording's credits.

Plain `def` handlers: they read the catalog on the thread pool, a connection per thread.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from linernotes.normalize.records import EntityKind
from linernotes.store import read_credits
from linernotes.store.db import Database
from linernotes.store.read_names import summary
from linernotes.store.read_producers import songs_with_role
from linernotes.web import deps
from linernotes.web.api_http import COMMON_ERRORS, NOT_FOUND, EntityId, WithSources, answer
from linernotes.web.api_models import Artist, RecordingCredits, ReleaseCredits
from linernotes.web.api_shapes import PREFIX, Json, credits, disagreements, entity, facts, url
from linernotes.web.errors import not_found
from linernotes.web.lookups import Lookups, job_json

router = APIRouter()
Live = Annotated[
    bool,
    Query(
        description="When the credits are missing or older than the stale age, look them up"
        " again at the live sources (`lookup` in the answer: poll its status_url)"
    ),
]
ERRORS = {**COMMON_ERRORS, **NOT_FOUND}
Db = Annotated[Database, Depends(deps.db)]


# -- an artist --------------------------------------------------------------------------------


@router.get("/artists/{artist_id}", response_model=Artist, responses=ERRORS)
def artist(request: Request, db: Db, artist_id: EntityId) -> Response:
    """An artist or person: names, ids in other sources, how much they are credited for."""
    row = db.one("SELECT name, kind, disambiguation FROM artist WHERE id = ?", (artist_id,))
    if row is None:
        raise not_found("artist", artist_id, "path.artist_id")
    by_role = {
        str(role): int(n)
        for role, n in db.execute(
            "SELECT role, count(*) FROM credit WHERE artist_id = ? GROUP BY role", (artist_id,)
        )
    }
    primary = songs_with_role(db, [artist_id], "main_artist")
    featured = songs_with_role(db, [artist_id], "featured_artist") - primary
    aliases = db.execute(
        "SELECT DISTINCT name FROM artist_name WHERE artist_id = ? ORDER BY name", (artist_id,)
    )
    here = url("artist", artist_id)
    return answer(
        request,
        {
            "kind": "artist",
            "id": artist_id,
            "name": str(row[0]),
            "type": str(row[1]),
            "disambiguation": str(row[2] or ""),
            "context": summary(db, EntityKind.ARTIST, artist_id).context,
            "aliases": [str(a[0]) for a in aliases if a[0] != row[0]],
            "external_ids": read_credits.external_ids(db, EntityKind.ARTIST, artist_id),
            "counts": {
                "songs": len(primary),
                "featured_songs": len(featured),
                "credits": sum(by_role.values()),
                "credits_by_role": by_role,
            },
            "links": {
                "producers": f"{here}/producers",
                "person": f"{PREFIX}/people/{artist_id}",
                "export_csv": f"{here}/producers/export?format=csv",
                "export_json": f"{here}/producers/export?format=json",
            },
        },
    )


# -- credits ----------------------------------------------------------------------------------


@router.get("/releases/{release_id}/credits", response_model=ReleaseCredits, responses=ERRORS)
def release_credits(
    request: Request, db: Db, release_id: EntityId, sources: WithSources = False, live: Live = True
) -> Response:
    """An album's credits for the whole release (executive producers, mastering, artwork)
    apart from each track's own; `lookup` when they are being looked up again."""
    try:
        found = read_credits.release_credits(db, release_id)
    except LookupError:
        raise not_found("release", release_id, "path.release_id") from None
    return answer(
        request,
        {
            "release": entity(found.release),
            "title": found.title,
            "artists": found.artists,
            "date": found.date,
            "release_credits": credits(found.release_credits, sources),
            "tracks": [
                {
                    "position": t.position,
                    "recording_id": t.recording_id,
                    "title": t.title,
                    "pseudo_reason": t.pseudo_reason,
                    "credits": credits(t.credits, sources),
                    "url": url("recording", t.recording_id),
                }
                for t in found.tracks
            ],
            "facts": facts(found.facts, sources),
            "disagreements": disagreements(found.disagreements),
            "external_ids": read_credits.external_ids(db, EntityKind.RELEASE, release_id),
            "lookup": _refresh(request, db, "release", release_id, live),
        },
    )


@router.get("/recordings/{recording_id}/credits", response_model=RecordingCredits, responses=ERRORS)
def recording_credits(
    request: Request,
    db: Db,
    recording_id: EntityId,
    sources: WithSources = False,
    live: Live = True,
) -> Response:
    """A song's credits in role order, the albums it is on, and where sources disagree;
    `lookup` when they are being looked up again."""
    try:
        found = read_credits.recording_credits(db, recording_id)
    except LookupError:
        raise not_found("recording", recording_id, "path.recording_id") from None
    return answer(
        request,
        {
            "recording": entity(found.recording),
            "title": found.title,
            "artists": found.artists,
            "date": found.date,
            "releases": [entity(r) for r in found.releases],
            "pseudo_reason": found.pseudo_reason,
            "credits": credits(found.credits, sources),
            "facts": facts(found.facts, sources),
            "disagreements": disagreements(found.disagreements),
            "external_ids": found.external_ids,
            "lookup": _refresh(request, db, "recording", recording_id, live),
        },
    )


def _refresh(request: Request, db: Database, kind: str, entity_id: int, live: bool) -> Json | None:
    """The live look-up started (or under way) because these credits are missing or older than
    LINERNOTES_LOOKUP_STALE_DAYS; None when they are fresh or look-ups are off."""
    lookups: Lookups = request.app.state.lookups
    job = lookups.refresh_if_stale(db, kind, entity_id) if live else None
    return job_json(job) if job is not None else None
