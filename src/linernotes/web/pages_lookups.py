"""The look-up panel's fragment, and "Refresh credits" on song and album pages.

GET /lookups/{id} is what the panel polls (htmx, every second while the look-up runs): the
sources' states, and once it is done the credits of the record found (results page) or the page's
own credits section swapped out of band (song and album pages). A poll that would show the same
answers 204 and nothing is swapped. POST /song/{id}/refresh and /album/{id}/refresh start a
look-up on demand: the panel for htmx, a redirect back to the page without JavaScript.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from linernotes.store.db import Database
from linernotes.web import auth, deps, lookup_panel, pages_catalog
from linernotes.web.lookup_panel import Panel
from linernotes.web.pages_errors import PageError, missing
from linernotes.web.templating import render

router = APIRouter(include_in_schema=False)

Db = Annotated[Database, Depends(deps.db)]
View = Literal["search", "record"]
_NAMES = {"recording": "song", "release": "album"}


@router.get("/lookups/{job_id}")
def lookup_fragment(
    request: Request, job_id: int, db: Db, view: View = "search", v: str = "", said: str = ""
) -> Response:
    """The panel's body as it is now; 204 when it is what the page already shows (`v`)."""
    job = lookup_panel.lookups(request).status(db, job_id)
    if job is None:
        raise missing("look-up", job_id)
    shown = lookup_panel.panel(job, view)
    if v and v == shown.version:
        return Response(status_code=204)
    context: dict[str, Any] = {"panel": shown, "said_changed": said != shown.said_key}
    if job.finished:
        context.update(_credits(db, shown))
    return render(request, "fragments/lookup.html", context)


@router.post("/song/{recording_id}/refresh", dependencies=[Depends(auth.require_csrf)])
def refresh_song(request: Request, recording_id: int, db: Db) -> Response:
    return _refresh(request, db, "recording", recording_id)


@router.post("/album/{release_id}/refresh", dependencies=[Depends(auth.require_csrf)])
def refresh_album(request: Request, release_id: int, db: Db) -> Response:
    return _refresh(request, db, "release", release_id)


def _refresh(request: Request, db: Database, kind: str, entity_id: int) -> Response:
    if not lookup_panel.lookups(request).enabled:
        raise PageError(
            503,
            "Look-ups are off",
            "This server does not ask the live sources (LINERNOTES_LOOKUPS is off).",
        )
    if not _exists(db, kind, entity_id):
        raise missing(_NAMES[kind], entity_id)
    shown = lookup_panel.refresh(request, db, kind, entity_id)
    if request.headers.get("HX-Request") != "true":
        page = f"/{_NAMES[kind]}/{entity_id}?lookup={shown.job.id}"
        return RedirectResponse(page, status_code=303)
    return render(request, "fragments/lookup_panel.html", {"panel": shown})


def search_panel(db: Database, shown: Panel | None) -> dict[str, Any]:
    """The results page's panel, with the found record's credits when it has already ended
    (a look-up that just ran answers the same words again)."""
    if shown is None or not shown.job.finished:
        return {"lookup": shown}
    return {"lookup": shown, **_credits(db, shown)}


def _credits(db: Database, shown: Panel) -> dict[str, Any]:
    """What a finished look-up's fragment shows of the catalog: the found record's credits
    (results page), or the page's own credits again when a source brought records (out of
    band, replacing the sections the page has)."""
    if shown.view == "record":
        kind, entity_id = str(shown.job.request.get("kind")), int(shown.job.request.get("id") or 0)
        if not shown.fetched or not _exists(db, kind, entity_id):
            return {}
        return {"oob": True, "kind": kind, **_record(db, kind, entity_id)}
    found = shown.found
    if found is None or not _exists(db, found["kind"], found["id"]):
        return {}
    return {"oob": False, "kind": found["kind"], **_record(db, found["kind"], found["id"])}


def _record(db: Database, kind: str, entity_id: int) -> dict[str, Any]:
    if kind == "recording":
        return pages_catalog.song_context(db, entity_id)
    return pages_catalog.album_context(db, entity_id)


def _exists(db: Database, kind: str, entity_id: int) -> bool:
    if kind not in _NAMES:
        return False
    return db.one(f"SELECT 1 FROM {kind} WHERE id = ?", (entity_id,)) is not None
