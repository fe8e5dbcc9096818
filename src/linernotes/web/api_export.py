"""GET /api/v1/artists/{id}/producers/export: the producers contact list as a CSV or JSON file.

The same file `linernotes export producers` writes (linernotes.exports). Handles are in only
with include=handles, and then every person whose handle the file holds counts as a reveal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from linernotes import exports
from linernotes.store import read_producers
from linernotes.web import access
from linernotes.web.api_http import EntityId, answer
from linernotes.web.api_people import ERRORS, Db, Include, Who, ensure_artist

router = APIRouter()

_MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
_FILE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The contact list as a file (Content-Disposition: attachment)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


@router.get(
    "/artists/{artist_id}/producers/export",
    response_class=Response,
    responses={**ERRORS, **_FILE_DOC},
)
def export_producers(
    request: Request,
    db: Db,
    who: Who,
    artist_id: EntityId,
    format: Annotated[Literal["csv", "json"], Query(description="The file's format")] = "csv",
    include: Annotated[
        list[Include] | None,
        Query(description="handles: best handles and evidence (each person counts as a reveal)"),
    ] = None,
) -> Response:
    """Every producer of the artist's songs (featured-only ones marked), one row each: roles,
    song count, latest song, songs; with include=handles their handles and evidence."""
    ensure_artist(db, artist_id)
    found = read_producers.producers(db, artist_id)
    rows = (*found.producers, *found.featured_producers)
    with_handles = "handles" in (include or ())
    if with_handles:
        access.reveal(db, who, sorted({r.artist_id for r in rows if r.handle}))
    else:
        found = replace(
            found,
            producers=[replace(r, handle=None) for r in found.producers],
            featured_producers=[replace(r, handle=None) for r in found.featured_producers],
        )
    text = exports.producers_csv(found) if format == "csv" else exports.producers_json(found)
    filename = f"{_slug(found.artist.name) or f'artist-{artist_id}'}-producers.{format}"
    return answer(
        request,
        text.encode(),
        private=with_handles,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _slug(name: str) -> str:
    """An ASCII file name part: "Beyoncé & JAY-Z" -> "beyonce-jay-z"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60]
