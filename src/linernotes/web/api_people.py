"""People: an artist's producers, a person's credits and collaborators, handles by name.

Every answer that shows a handle first counts it with `access.reveal` (which raises a 429
past the visitor's plan): producers only with include=handles, a person and a handle look-up
always (when they have handles to show).
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import ROLES, Family, roles_in_family
from linernotes.search.engine import NameIndex
from linernotes.search.rank import Tier
from linernotes.store import read_people, read_producers
from linernotes.store.db import Database
from linernotes.store.read_names import exact, summary
from linernotes.store.views import (
    EntitySummary,
    ProducerRow,
    ProducersAnswer,
    RoleYear,
    SongRef,
)
from linernotes.web import access, api_models, deps
from linernotes.web.api_http import (
    COMMON_ERRORS,
    MAX_LIMIT,
    MAX_TEXT,
    NOT_BLANK,
    NOT_FOUND,
    EntityId,
    Limit,
    Offset,
    WithSources,
    answer,
)
from linernotes.web.api_shapes import PREFIX, Json, entity, handle, song, url
from linernotes.web.api_sources import person_statements, producer_statements
from linernotes.web.errors import ApiError, not_found
from linernotes.web.pages_read import family_people

router = APIRouter()
ERRORS = {**COMMON_ERRORS, **NOT_FOUND}
Db = Annotated[Database, Depends(deps.db)]
Who = Annotated[access.Visitor, Depends(access.visitor)]
Include = Literal["handles"]


def ensure_artist(db: Database, artist_id: int) -> None:
    if db.one("SELECT 1 FROM artist WHERE id = ?", (artist_id,)) is None:
        raise not_found("artist", artist_id, "path.artist_id")


# -- producers --------------------------------------------------------------------------------


@router.get(
    "/artists/{artist_id}/producers", response_model=api_models.ProducersAnswer, responses=ERRORS
)
def producers(
    request: Request,
    db: Db,
    who: Who,
    artist_id: EntityId,
    family: Annotated[
        Family, Query(description="The role family: production (default), engineering, ...")
    ] = Family.PRODUCTION,
    limit: Limit = 20,
    offset: Offset = 0,
    include: Annotated[
        list[Include] | None,
        Query(description="handles: each producer's best handle (counts as a reveal)"),
    ] = None,
    sources: WithSources = False,
) -> Response:
    """Every producer behind the artist's songs (or everyone in another role family), most
    songs first; those of songs where the artist is only featured are listed apart. `limit` and
    `offset` page both lists."""
    ensure_artist(db, artist_id)
    found = _ranked(db, artist_id, family, offset + limit)
    main = found.producers[offset : offset + limit]
    featured = found.featured_producers[offset : offset + limit]
    with_handles = "handles" in (include or ())
    if with_handles:
        access.reveal(db, who, sorted({r.artist_id for r in (*main, *featured) if r.handle}))
    roles = tuple(r.code for r in roles_in_family(family))
    return answer(
        request,
        {
            "artist": entity(found.artist),
            "family": family.value,
            "songs": found.songs,
            "total": found.total_producers,
            "limit": limit,
            "offset": offset,
            "producers": _rows(db, main, roles, with_handles, sources),
            "featured": {
                "songs": found.featured_songs,
                "total": found.total_featured_producers,
                "producers": _rows(db, featured, roles, with_handles, sources),
            },
            "combined_pages": [
                {"artist_id": p.artist_id, "name": p.name, "songs": p.songs, "linked": p.linked}
                for p in found.combined_pages
            ],
            "excluded_pseudo": found.excluded_pseudo,
        },
        private=with_handles,
    )


def _ranked(db: Database, artist_id: int, family: Family, limit: int) -> ProducersAnswer:
    """Production as the command line ranks it (with combined pages and pseudo-songs noted);
    another family as the artist page ranks it (pages_read), in the same shape."""
    if family is Family.PRODUCTION:
        return read_producers.producers(db, artist_id, limit)
    people = family_people(db, artist_id, family, limit)
    return ProducersAnswer(
        artist=summary(db, EntityKind.ARTIST, artist_id),
        songs=people.songs,
        producers=people.rows,
        featured_songs=people.featured_songs,
        featured_producers=people.featured_rows,
        total_producers=people.total,
        total_featured_producers=people.total_featured,
    )


def _rows(
    db: Database, rows: list[ProducerRow], roles: tuple[str, ...], with_handles: bool, sources: bool
) -> list[Json]:
    statements = producer_statements(db, rows, roles) if sources else {}
    out: list[Json] = []
    for row in rows:
        latest = row.latest
        shown: Json = {
            "artist_id": row.artist_id,
            "name": row.name,
            "roles": row.roles,
            "song_count": row.song_count,
            "latest": song(latest) if latest else None,
            "songs": [song(s) for s in row.songs],
            "has_handle": row.handle is not None,
            "url": url("artist", row.artist_id),
        }
        if with_handles:
            shown["handle"] = handle(row.handle) if row.handle else None
        if sources:
            shown["sources"] = statements.get(row.artist_id, [])
        out.append(shown)
    return out


# -- a person ---------------------------------------------------------------------------------


@router.get("/people/{artist_id}", response_model=api_models.Person, responses=ERRORS)
def person(
    request: Request,
    db: Db,
    who: Who,
    artist_id: EntityId,
    sources: WithSources = False,
    works: Annotated[
        int,
        Query(
            ge=0,
            le=MAX_LIMIT,
            description="Works listed in each role and year, latest first (`count` says how"
            " many there are; `more` pages through the rest)",
        ),
    ] = read_people.TITLES,
) -> Response:
    """Credits by role and year, top collaborators, and handles with their evidence (showing
    them counts as a reveal)."""
    ensure_artist(db, artist_id)
    found = read_people.person(db, artist_id, titles=works)
    if found.handles:
        access.reveal(db, who, [artist_id])
    statements = person_statements(db, artist_id) if sources else None
    return answer(
        request,
        {
            "person": entity(found.artist),
            "aliases": [a for a in found.aliases if a != found.artist.name],
            "credits": [_role_year(artist_id, cell, statements) for cell in found.by_role_year],
            "collaborators": [
                {
                    "artist_id": c.artist_id,
                    "name": c.name,
                    "shared_songs": c.shared_songs,
                    "url": url("artist", c.artist_id),
                }
                for c in found.collaborators
            ],
            "handles": [handle(h) for h in found.handles],
            "external_ids": found.external_ids,
        },
        private=bool(found.handles),
    )


def _role_year(
    artist_id: int, cell: RoleYear, statements: dict[tuple[str, str, int], list[Json]] | None
) -> Json:
    more = None
    if cell.count > len(cell.songs):
        more = _credits_url(artist_id, cell.role, cell.year, len(cell.songs))
    return {
        "role": cell.role,
        "role_label": cell.role_label,
        "family": cell.family,
        "year": cell.year,
        "count": cell.count,
        "works": _works(cell.role, cell.songs, statements),
        "more": more,
    }


def _works(
    role: str, refs: list[SongRef], statements: dict[tuple[str, str, int], list[Json]] | None
) -> list[Json]:
    works: list[Json] = []
    for ref in refs:
        # The store lists album credits among songs with their id negated.
        kind = "release" if ref.recording_id < 0 else "recording"
        work_id = abs(ref.recording_id)
        work: Json = {
            "kind": kind,
            "id": work_id,
            "title": ref.title,
            "date": ref.date,
            "url": url(kind, work_id),
        }
        if statements is not None:
            work["sources"] = statements.get((role, kind, work_id), [])
        works.append(work)
    return works


def _credits_url(artist_id: int, role: str, year: str, offset: int) -> str:
    query = urlencode({"role": role, "year": year, "offset": offset})
    return f"{PREFIX}/people/{artist_id}/credits?{query}"


@router.get(
    "/people/{artist_id}/credits", response_model=api_models.PersonCredits, responses=ERRORS
)
def person_credits(
    request: Request,
    db: Db,
    artist_id: EntityId,
    role: Annotated[
        str,
        Query(
            max_length=64,
            description="A role code, as in /roles",
            json_schema_extra={"enum": list(ROLES)},  # checked below, with the 422 it names
        ),
    ],
    year: Annotated[
        str,
        Query(pattern=r"^([0-9]{4})?$", description="A year, or empty for undated works"),
    ] = "",
    limit: Limit = 50,
    offset: Offset = 0,
    sources: WithSources = False,
) -> Response:
    """Every work a person is credited on in one role and year, latest first, a page at a
    time: the `more` link of a cell of /people/{id}."""
    ensure_artist(db, artist_id)
    if role not in ROLES:
        known = f"no role has the code {role!r}; see {PREFIX}/roles"
        raise ApiError(422, "unknown_role", known, "query.role")
    refs, total = read_people.cell_songs(db, artist_id, role, year, offset, limit)
    statements = person_statements(db, artist_id, role) if sources else None
    following = offset + len(refs)
    return answer(
        request,
        {
            "person": entity(summary(db, EntityKind.ARTIST, artist_id)),
            "role": role,
            "role_label": ROLES[role].label,
            "year": year,
            "total": total,
            "limit": limit,
            "offset": offset,
            "works": _works(role, refs, statements),
            "more": _credits_url(artist_id, role, year, following) if following < total else None,
        },
    )


# -- handles by name --------------------------------------------------------------------------


@router.get("/handles", response_model=api_models.HandleLookup, responses=ERRORS)
def handles(
    request: Request,
    db: Db,
    index: Annotated[NameIndex, Depends(deps.index)],
    who: Who,
    name: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TEXT,
            description="An artist's or person's name",
            json_schema_extra={"pattern": NOT_BLANK},
        ),
    ],
) -> Response:
    """A person's handles by name (a reveal). A name several people share answers 200 with
    `candidates` and no handles: choose one and ask /api/v1/people/{id}."""
    if not name.strip():
        raise ApiError(422, "bad_request", "give a name to look up", "query.name")
    candidates = _artists_named(db, index, name)
    if not candidates:
        close = list(dict.fromkeys(h.name for h in index.search(name, ("artist",), 5)))
        hint = f"; closest names: {'; '.join(close)}" if close else ""
        raise ApiError(404, "not_found", f"no artist or person called {name!r}{hint}", "query.name")
    if len(candidates) > 1:
        listed = [entity(c) for c in candidates]
        return answer(request, {"query": name, "artist": None, "handles": [], "candidates": listed})
    one = candidates[0]
    views = read_people.handles(db, [one.id]).get(one.id, [])
    if views:
        access.reveal(db, who, [one.id])
    return answer(
        request,
        {
            "query": name,
            "artist": entity(one),
            "handles": [handle(v) for v in views],
            "candidates": [],
        },
        private=bool(views),
    )


def _artists_named(db: Database, index: NameIndex, name: str) -> list[EntitySummary]:
    """Exact names (or aliases) if any, else names having every word (the last as a prefix):
    what the command line acts on. A typo is suggested, never picked."""
    found = exact(db, EntityKind.ARTIST, name)
    if found:
        return found
    hits = index.search(name, ("artist",), 20)
    return [summary(db, EntityKind.ARTIST, h.id) for h in hits if h.match.tier <= Tier.PREFIX]
