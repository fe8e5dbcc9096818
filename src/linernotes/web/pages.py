"""The pages: home and search (with suggestions as you type) and the role guides.

The credit pages (artist, album, song, person) are in pages_catalog, the handle reveal in
pages_reveal, HTML error pages in pages_errors; `router` gathers them all. Handlers are plain
`def`s: FastAPI runs them on the thread pool, each thread with its own catalog connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from linernotes.normalize.roles import FAMILY_ORDER, ROLES, roles_in_family
from linernotes.search.engine import Hit, NameIndex
from linernotes.search.title_artist import search_by_kind
from linernotes.store.db import Database
from linernotes.web import deps, lookup_panel, pages_catalog, pages_lookups, pages_reveal
from linernotes.web.api import MAX_QUERY
from linernotes.web.pages_errors import PageError
from linernotes.web.pages_read import describe
from linernotes.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(pages_catalog.router)
router.include_router(pages_reveal.router)
router.include_router(pages_lookups.router)

KINDS = ("artist", "release", "recording")
KIND_TITLES = {"artist": "Artists and people", "release": "Albums", "recording": "Songs"}
KIND_PATHS = {"artist": "artist", "release": "album", "recording": "song"}
SUGGESTIONS = 5  # per kind, as you type
RESULTS = 10  # per kind, on the results page

Db = Annotated[Database, Depends(deps.db)]
Index = Annotated[NameIndex, Depends(deps.index)]


@dataclass(frozen=True, slots=True)
class Found:
    """One search hit as a page shows it."""

    kind: str
    id: int
    name: str
    href: str
    context: str
    why: str  # shown when the match is not the obvious one (a typo, an alias)


@router.get("/")
def home(request: Request) -> Response:
    return render(request, "home.html")


def _query(q: str) -> str:
    """The text to search, or a clear refusal of one too long to be a name."""
    text = q.strip()
    if len(text) > MAX_QUERY:
        raise PageError(
            400,
            "Search text too long",
            f"A search is at most {MAX_QUERY} characters; this one has {len(text)}. "
            "Type a name or a title.",
        )
    return text


def _found(db: Database, groups: dict[str, list[Hit]]) -> dict[str, list[Found]]:
    contexts = describe(db, {kind: [h.id for h in hits] for kind, hits in groups.items()})
    return {
        kind: [
            Found(
                kind,
                h.id,
                h.name,
                f"/{KIND_PATHS[kind]}/{h.id}",
                contexts.get((kind, h.id), ""),
                _why(h),
            )
            for h in hits
        ]
        for kind, hits in groups.items()
    }


def _why(hit: Hit) -> str:
    """Why a hit matched, when the name alone does not show it."""
    via = hit.match.via
    if via and via != hit.name:
        return f"as {via}" + (f" ({hit.match.why})" if hit.match.why.startswith("typo") else "")
    return hit.match.why if hit.match.why.startswith("typo") else ""


@router.get("/search/suggest")
def suggest(request: Request, db: Db, index: Index, q: str = "") -> Response:
    """The suggestions fragment under a search box (htmx swaps it in as the user types)."""
    text = q.strip()
    if not text:
        return render(request, "fragments/suggest.html", {"q": "", "groups": {}})
    if len(text) > MAX_QUERY:
        return render(request, "fragments/suggest.html", {"q": text, "too_long": MAX_QUERY})
    # Never a look-up from here (one per keystroke): a link to the results page offers one.
    hits = search_by_kind(db, index, text, KINDS, SUGGESTIONS)
    offer = "" if lookup_panel.answered(hits) else lookup_panel.offer(request)
    return render(
        request,
        "fragments/suggest.html",
        {"q": text, "groups": _found(db, hits), "titles": KIND_TITLES, "offer": offer},
    )


@router.get("/search")
def search(request: Request, db: Db, index: Index, q: str = "") -> Response:
    """Full results by kind; works without JavaScript (the search form's plain GET). When no
    hit answers what was typed, a live look-up starts and its panel follows it."""
    text = _query(q)
    hits = search_by_kind(db, index, text, KINDS, RESULTS) if text else {}
    live = lookup_panel.for_search(request, db, text, lookup_panel.answered(hits))
    return render(
        request,
        "search.html",
        {
            "q": text,
            "groups": _found(db, hits),
            "titles": KIND_TITLES,
            "limit": RESULTS,
            **pages_lookups.search_panel(db, live),
        },
    )


@router.get("/roles")
def roles(request: Request) -> Response:
    families = [(family.value, roles_in_family(family)) for family in FAMILY_ORDER]
    return render(request, "roles.html", {"families": families})


@router.get("/roles/{code}")
def role(request: Request, code: str) -> Response:
    found = ROLES.get(code)
    if found is None:
        raise PageError(
            404, "No such role", f"There is no role with the code {code!r}: see all roles."
        )
    siblings = [r for r in roles_in_family(found.family) if r.code != code]
    return render(request, "role.html", {"role": found, "siblings": siblings})
