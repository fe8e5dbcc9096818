"""What every API answer shares: parameters, ETags, cache headers and documented errors.

Answers are serialised once with orjson; the strong ETag is a hash of those bytes, so a client
holding the same bytes gets a 304 without a body. `Cache-Control: no-cache` lets clients and
proxies keep answers but revalidate them every time (the catalog changes with each ingest).
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import orjson
from fastapi import Path, Query, Request
from fastapi.responses import Response

from linernotes.web.api_models import ErrorBody

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
MAX_ID = 2**63 - 1  # the catalog's ids are 64-bit; larger numbers name nothing
MAX_TEXT = 200  # characters: longer is a pasted document, not a name
# Documented for text parameters; checked by the handlers, which say so in words.
NOT_BLANK = r"\S"

EntityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The catalog id")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows in this page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip")]
WithSources = Annotated[
    bool,
    Query(
        description="Add every source's statement to each credit and fact (handles always"
        " carry their evidence)"
    ),
]

JSON = "application/json"


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# Every route: validation, API keys, rate limits. Routes add 404 (an id) and 429 (handle reveals).
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the If-None-Match ETag is still current"},
    401: _error("The API key sent (Authorization: Bearer, or X-API-Key) is unknown or revoked"),
    422: _error("A parameter is missing, malformed or out of range (error.where names it)"),
    429: _error("Too many requests or handle reveals for the plan; Retry-After says when"),
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: _error("No such id")}


def answer(
    request: Request,
    payload: object,
    *,
    private: bool = False,
    media_type: str = JSON,
    headers: dict[str, str] | None = None,
) -> Response:
    """A 200 with a strong ETag, or a 304 when the client already holds these bytes.

    `private`: answers holding handles are for the visitor who revealed them, not shared caches.
    """
    body = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    cache = {
        "ETag": etag,
        "Cache-Control": "private, no-cache" if private else "no-cache",
    }
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=cache)
    return Response(body, media_type=media_type, headers={**cache, **(headers or {})})


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 13.1.2: a weak comparison, any of a list, or * for any current answer."""
    if not if_none_match:
        return False
    tags = [t.strip() for t in if_none_match.split(",")]
    return any(t == "*" or t.removeprefix("W/") == etag for t in tags)
