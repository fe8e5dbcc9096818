"""POST /api/v1/lookups and GET /api/v1/lookups/{id}: live look-ups as jobs with a status URL.

A look-up asks the live sources for a record the catalog lacks (or whose credits are stale) and
takes seconds: the POST answers at once with the job (202, its status URL in Location), and the
status URL says how each source is doing until the job is done, with what it found.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from linernotes.lookup.request import BadRequest, LookupRequest, known
from linernotes.store.db import Database
from linernotes.web import deps
from linernotes.web.api_http import COMMON_ERRORS, MAX_TEXT, NOT_FOUND, EntityId, answer
from linernotes.web.api_models import ErrorBody
from linernotes.web.errors import ApiError, not_found
from linernotes.web.lookups import Lookups, job_json

router = APIRouter()
Db = Annotated[Database, Depends(deps.db)]


class LookupAsk(BaseModel):
    """Words to look up, or a catalog record whose credits to refresh."""

    query: str | None = Field(None, max_length=MAX_TEXT, description="What a user typed")
    kind: Literal["recording", "release"] | None = Field(None, description="A record to refresh")
    # 2**53 - 1: the largest integer a JSON number holds exactly (catalog ids stay far below).
    id: int | None = Field(None, ge=1, le=2**53 - 1, description="Its catalog id")


class SourceProgress(BaseModel):
    state: str = Field(
        description="waiting, searching, fetching, done, no match, skipped, cut (the time"
        " budget ran out; what came is kept) or failed"
    )
    note: str
    requests: int
    records: int
    found: str = Field(description="What the source identified")
    problems: list[str]


class LookupFound(BaseModel):
    kind: str
    id: int
    name: str
    url: str


class Lookup(BaseModel):
    id: int
    state: Literal["queued", "running", "done", "failed"]
    request: dict[str, Any]
    sources: dict[str, SourceProgress]
    result: LookupFound | None = Field(description="The record found, as soon as it is known")
    error: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    status_url: str


def lookups(request: Request) -> Lookups:
    found: Lookups = request.app.state.lookups
    return found


Service = Annotated[Lookups, Depends(lookups)]


@router.post(
    "/lookups",
    response_model=Lookup,
    status_code=202,
    responses={
        **COMMON_ERRORS,
        400: {"model": ErrorBody, "description": "The body is not JSON"},
        200: {"model": Lookup, "description": "Looked up just now: the finished look-up"},
        403: {"model": ErrorBody, "description": "Live look-ups are turned off on this server"},
        404: {"model": ErrorBody, "description": "No such record to refresh"},
    },
)
def start(
    request: Request, db: Db, service: Service, ask: Annotated[LookupAsk, Body()]
) -> Response:
    """Look a record up at the live sources (an identical look-up under way is joined; one
    that just finished is answered again). Poll `status_url` until `state` is done."""
    if not service.enabled:
        raise ApiError(
            403, "lookups_off", "this server does not look records up live (LINERNOTES_LOOKUPS=off)"
        )
    try:
        wanted = LookupRequest(ask.query or "", ask.kind or "", ask.id or 0)
    except BadRequest as err:
        raise ApiError(422, "bad_request", str(err), "body") from None
    if wanted.kind:
        try:
            known(db, wanted)
        except BadRequest as err:
            raise ApiError(404, "not_found", str(err), "body.id") from None
    job = service.start(db, wanted)
    status = 200 if job.finished else 202
    response = answer(request, job_json(job), headers={"Location": f"/api/v1/lookups/{job.id}"})
    response.status_code = status if response.status_code == 200 else response.status_code
    return response


@router.get("/lookups/{job_id}", response_model=Lookup, responses={**COMMON_ERRORS, **NOT_FOUND})
def status(request: Request, db: Db, service: Service, job_id: EntityId) -> Response:
    """A look-up's state, each source's progress, and the record found."""
    job = service.status(db, job_id)
    if job is None:
        raise not_found("look-up", job_id, "path.job_id")
    return answer(request, job_json(job))
