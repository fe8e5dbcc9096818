"""GET /api/v1/search: artists, people, albums and songs by what a user typed, or by identifier.

Words go through the search index and, for "title by artist" hits, the catalog; when nothing
answers them a live look-up starts (lookup/). An ISRC, a barcode or a pasted Genius, Spotify,
MusicBrainz, Discogs, Apple Music or Wikidata link goes straight to its entity, as `linernotes
search` does. Both read the catalog, so they run on the thread pool.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from linernotes.lookup.request import BadRequest, LookupRequest
from linernotes.search import identifiers
from linernotes.search.engine import Hit, NameIndex
from linernotes.search.title_artist import is_good, search_all
from linernotes.store.read_names import summary
from linernotes.web import deps
from linernotes.web.api_http import COMMON_ERRORS, MAX_TEXT, NOT_BLANK, answer
from linernotes.web.api_models import SearchAnswer
from linernotes.web.api_shapes import Json, url
from linernotes.web.errors import ApiError
from linernotes.web.lookups import Lookups, job_json

# Pages reach into the best WINDOW hits: every page of a query cuts the same ranked list, and
# past the first hundred a better query beats paging. A page reaching past them is cut short.
WINDOW = 100
MAX_SEARCH_LIMIT = 50

Kind = Literal["artist", "release", "recording"]

router = APIRouter()


@router.get("/search", response_model=SearchAnswer, responses=COMMON_ERRORS)
async def search(
    request: Request,
    index: Annotated[NameIndex, Depends(deps.index)],
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TEXT,
            description="A name or title (typos forgiven), an ISRC, a barcode or a link",
            json_schema_extra={"pattern": NOT_BLANK},
        ),
    ],
    kind: Annotated[list[Kind] | None, Query(description="Only these kinds (repeatable)")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_LIMIT, description="Hits in this page")] = 10,
    offset: Annotated[
        int, Query(ge=0, le=WINDOW, description=f"Hits to skip (pages reach the best {WINDOW})")
    ] = 0,
    live: Annotated[
        bool,
        Query(
            description="When nothing in the catalog answers the words, look them up at the"
            " live sources (`lookup` in the answer: poll its status_url)"
        ),
    ] = True,
) -> Response:
    """Best matches first, each saying why it matched; `total` counts the best 100 at most.
    Words that also name an artist find that artist's songs and albums ("elton john duets")."""
    if not q.strip():
        raise ApiError(422, "bad_request", "type something to search for", "query.q")
    kinds = tuple(dict.fromkeys(kind or ()))
    matched_by: str | None = None
    lookup: Json | None = None
    if identifiers.recognise(q) is not None:
        hits, matched_by = await run_in_threadpool(_by_identifier, request, q, kinds)
    else:
        found, lookup = await run_in_threadpool(_by_words, request, index, q, kinds, live)
        hits = [
            {
                "kind": h.kind,
                "id": h.id,
                "name": h.name,
                "matched": h.match.via,
                "why": h.match.why,
                "importance": h.importance,
                "url": url(h.kind, h.id),
            }
            for h in found
        ]
    return answer(
        request,
        {
            "query": q,
            "matched_by": matched_by,
            "total": len(hits),
            "limit": limit,
            "offset": offset,
            "hits": hits[offset : offset + limit],
            "lookup": lookup,
        },
    )


def _by_words(
    request: Request, index: NameIndex, q: str, kinds: tuple[str, ...], live: bool
) -> tuple[list[Hit], Json | None]:
    """The hits, and the live look-up started (or joined) when none of them answers `q`."""
    db = deps.db(request)
    hits = search_all(db, index, q, kinds, WINDOW)
    lookups: Lookups = request.app.state.lookups
    only_people = kinds == ("artist",)  # a look-up finds records, not people
    if not live or not lookups.enabled or only_people or is_good(hits):
        return hits, None
    try:
        job = lookups.start(db, LookupRequest(q))
    except BadRequest:
        return hits, None
    return hits, job_json(job)


def _by_identifier(request: Request, q: str, kinds: tuple[str, ...]) -> tuple[list[Json], str]:
    """The entities an identifier or link names (none is an empty answer, not an error)."""
    db = deps.db(request)
    found = identifiers.lookup(db, q) or []
    recognised = identifiers.recognise(q)
    how = found[0].how if found else (recognised.label if recognised else q)
    hits: list[Json] = []
    seen: set[tuple[str, int]] = set()
    for hit in found:
        if (kinds and hit.kind.value not in kinds) or (hit.kind.value, hit.entity_id) in seen:
            continue
        seen.add((hit.kind.value, hit.entity_id))
        described = summary(db, hit.kind, hit.entity_id)
        hits.append(
            {
                "kind": described.kind,
                "id": described.id,
                "name": described.name,
                "matched": hit.how,
                "why": f"by {hit.how}",
                "importance": 0,
                "url": url(described.kind, described.id),
            }
        )
    return hits, how
