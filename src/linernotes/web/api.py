"""The HTTP API. So far: search, over the catalog's name index (the web app grows from here).

Errors have one body shape, `{"error": {"code", "message", "where"}}`, so a client never has to
parse FastAPI's default validation list.
"""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from linernotes import __version__
from linernotes.search.engine import NameIndex

MAX_QUERY = 200  # characters: longer is a pasted document, not a search
MAX_LIMIT = 50

Kind = Literal["artist", "release", "recording"]


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


def create_app(index: NameIndex) -> FastAPI:
    app = FastAPI(title="linernotes", version=__version__, docs_url="/api/v1/docs")

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem.get("loc", ()))
        body = {"code": "bad_request", "message": str(problem.get("msg", "")), "where": where}
        return JSONResponse({"error": body}, status_code=422)

    # A search takes a millisecond or two of CPU: answered on the event loop (no thread hop), and
    # serialised with orjson straight from the hits (the model documents the shape).
    @app.get("/api/v1/search", response_model=SearchAnswer)
    async def search(
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

    return app
