"""Revealing a person's handles: POST /reveal/{id}, counted against the visitor's plan.

With htmx the answer is a fragment swapped in where the Reveal button was: the handles with
their evidence and a copy button, or (past the plan's daily limit) the limit message with status
429. Without JavaScript the button's form posts here too, and the answer sends the browser back
to the page it came from, where the handle now shows (revealed today).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from linernotes.store.db import Database
from linernotes.store.read_people import handles
from linernotes.web import access, auth, deps
from linernotes.web.errors import ApiError
from linernotes.web.pages_errors import PageError, missing
from linernotes.web.templating import render

router = APIRouter(include_in_schema=False)

Db = Annotated[Database, Depends(deps.db)]
Who = Annotated[access.Visitor, Depends(access.visitor)]


def _back(next_page: str, artist_id: int) -> str:
    """Where a browser without JavaScript goes after revealing: a page of ours, never elsewhere."""
    if next_page.startswith("/") and not next_page.startswith(("//", "/\\")):
        return next_page
    return f"/person/{artist_id}#handles"


@router.post("/reveal/{artist_id}", dependencies=[Depends(auth.require_csrf)])
def reveal(
    request: Request,
    artist_id: int,
    db: Db,
    who: Who,
    view: Literal["all", "best"] = "all",
    next_page: Annotated[str, Form(alias="next")] = "",
) -> Response:
    if db.one("SELECT 1 FROM artist WHERE id = ?", (artist_id,)) is None:
        raise missing("person", artist_id)
    views = handles(db, [artist_id]).get(artist_id, [])
    htmx = request.headers.get("HX-Request") == "true"
    try:
        if views:  # nothing shown, nothing counted
            access.reveal(db, who, [artist_id])
    except ApiError as error:
        if error.status != 429:
            raise
        if not htmx:
            raise PageError(429, "Daily limit reached", error.message, error.headers) from None
        return render(
            request,
            "fragments/limit.html",
            {"message": error.message, "visitor": who},
            status_code=429,
            headers=error.headers,
        )
    if not htmx:
        return RedirectResponse(_back(next_page, artist_id), status_code=303)
    return render(
        request,
        "fragments/handles.html",
        {
            "artist_id": artist_id,
            "views": views,
            "view": view,
            "visitor": who,
            "reveals_left": access.reveals_left(db, who),  # the page's count, swapped out of band
        },
    )
