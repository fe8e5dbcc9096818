"""The HTTP API under /api/v1. So far: search, over the catalog's name index."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel

from linernotes.search.engine import NameIndex
from linernotes.web import deps

MAX_QUERY = 200  # characters: longer is a pasted document, not a search
MAX_LIMIT = 50

Kind = Literal["artist", "release", "recording"]

router = APIRouter(prefix="/api/v1")


class SearchHit(BaseModel):
    kind: Kind
    id: int
    name: str
    matched: str  # the name or alias that matched
    why: str  # "whole name", "alias “Mike Will”", "typo: antonof → antonoff"
    importance: int


class SearchAnswer(BaseModel):
    query: str
    hits: list[SearchHit]


# A search takes a millisecond or two of CPU: answered on the event loop (no thread hop), and
# serialised with orjson straight from the hits (the model documents the shape).
@router.get("/search", response_model=SearchAnswer)
async def search(
    index: Annotated[NameIndex, Depends(deps.index)],
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="What to find")],
    kind: Annotated[list[Kind] | None, Query(description="Only these kinds")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
) -> Response:
    hits = index.search(q, kind or (), limit)
    answer = {
        "query": q,
        "hits": [
            {
                "kind": h.kind,
                "id": h.id,
                "name": h.name,
                "matched": h.match.via,
                "why": h.match.why,
                "importance": h.importance,
            }
            for h in hits
        ],
    }
    return Response(orjson.dumps(answer), media_type="application/json")
