"""The credit pages: an artist's producers, an album, a song, a person.

Each page reads its answer from the store in a fixed number of queries (the store's read
functions batch by subject), then arranges it for the template: role families in vocabulary
order, featured-only songs apart, a track-by-role matrix. Handles are shown only to a visitor who
revealed that person today; everyone else gets a Reveal button (pages_reveal).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import FAMILY_LABELS, FAMILY_ORDER, ROLES, Family, Role, get_role
from linernotes.store.db import Database
from linernotes.store.read_credits import recording_credits, release_credits
from linernotes.store.read_names import summary
from linernotes.store.read_people import cell_songs, person
from linernotes.store.read_producers import producers
from linernotes.store.views import CreditLine, RoleYear, TrackCredits
from linernotes.web import access, deps, lookup_panel
from linernotes.web.pages_errors import PageError, missing
from linernotes.web.pages_read import family_people, people_per_family
from linernotes.web.templating import render

router = APIRouter(include_in_schema=False)

Db = Annotated[Database, Depends(deps.db)]
Who = Annotated[access.Visitor, Depends(access.visitor)]

# People per table on an artist page unless ?all=1; the rest are counted, with a link to all.
# 50 keeps a 500-song artist's page near 40 ms on a catalog of 1M people (200 rows: ~150 ms;
# bench/README.md, "Pages and API").
ROWS = 50
TITLES = 8  # latest titles in each role-and-year cell of a person's page
PAGE = 100  # titles a page of one cell lists
_FAMILY_RANK = {family.value: i for i, family in enumerate(FAMILY_ORDER)}
_ROLE_RANK = {code: i for i, code in enumerate(ROLES)}
_TABLES = {
    EntityKind.ARTIST: "artist",
    EntityKind.RELEASE: "release",
    EntityKind.RECORDING: "recording",
}
_NAMES = {EntityKind.ARTIST: "artist", EntityKind.RELEASE: "album", EntityKind.RECORDING: "song"}


# -- ids ----------------------------------------------------------------------------------------


def _current_id(db: Database, kind: EntityKind, entity_id: int) -> int | None:
    """The id itself, or the id it was merged into (links made before a merge keep working)."""
    seen: set[int] = set()
    while entity_id not in seen:
        if db.one(f"SELECT 1 FROM {_TABLES[kind]} WHERE id = ?", (entity_id,)):
            return entity_id
        seen.add(entity_id)
        row = db.one(
            "SELECT kept FROM entity_merge WHERE entity_kind = ? AND dropped = ?"
            " ORDER BY merged_at DESC LIMIT 1",
            (kind.value, entity_id),
        )
        if row is None:
            return None
        entity_id = int(row[0])
    return None


def _located(
    request: Request, db: Database, kind: EntityKind, entity_id: int
) -> RedirectResponse | None:
    """None when the id is current; a redirect when it was merged; PageError(404) otherwise."""
    found = _current_id(db, kind, entity_id)
    if found is None:
        raise missing(_NAMES[kind], entity_id)
    if found == entity_id:
        return None
    # The same page with the new id: /person/5 -> /person/7, /person/5/credits -> /person/7/...
    parts = request.url.path.split("/")
    parts[2] = str(found)
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{'/'.join(parts)}{query}", status_code=301)


# -- grouping -----------------------------------------------------------------------------------

RoleLines = tuple[str, str, list[CreditLine]]  # (role code, label, lines)


def by_family(lines: list[CreditLine]) -> list[tuple[str, list[RoleLines]]]:
    """family -> roles -> lines, families and roles in vocabulary order."""
    grouped: dict[str, dict[str, list[CreditLine]]] = defaultdict(lambda: defaultdict(list))
    for line in lines:
        grouped[line.family][line.role].append(line)
    return [
        (
            family,
            [
                (code, found[0].role_label, found)
                for code, found in sorted(
                    grouped[family].items(), key=lambda item: _ROLE_RANK.get(item[0], 999)
                )
            ],
        )
        for family in sorted(grouped, key=lambda f: _FAMILY_RANK.get(f, 99))
    ]


@dataclass(frozen=True, slots=True)
class Matrix:
    """Tracks by roles: a column per role any track has, grouped under family headings."""

    columns: list[Role]
    families: list[tuple[str, int]]  # (family, how many columns it spans)
    rows: list[tuple[TrackCredits, list[list[CreditLine]]]]


def track_matrix(tracks: list[TrackCredits]) -> Matrix:
    codes = {line.role for track in tracks for line in track.credits}
    columns = sorted((get_role(c) for c in codes), key=lambda r: _ROLE_RANK[r.code])
    families: list[tuple[str, int]] = []
    for column in columns:
        if families and families[-1][0] == column.family.value:
            families[-1] = (families[-1][0], families[-1][1] + 1)
        else:
            families.append((column.family.value, 1))
    rows = []
    for track in tracks:
        cells: dict[str, list[CreditLine]] = defaultdict(list)
        for line in track.credits:
            cells[line.role].append(line)
        rows.append((track, [cells.get(c.code, []) for c in columns]))
    return Matrix(columns, families, rows)


@dataclass(frozen=True, slots=True)
class RoleHistory:
    """One role of a person: the years, each with its songs (an album when id < 0)."""

    code: str
    label: str
    family: str
    years: list[RoleYear]

    @property
    def songs(self) -> int:
        return sum(y.count for y in self.years)


def by_role(cells: list[RoleYear]) -> list[RoleHistory]:
    found: dict[str, list[RoleYear]] = defaultdict(list)
    for cell in cells:
        found[cell.role].append(cell)
    return [
        RoleHistory(code, years[0].role_label, years[0].family, years)
        for code, years in found.items()
    ]


def _main_artists(lines: list[CreditLine], names: list[str]) -> list[tuple[int | None, str]]:
    """The names in the header, each linked where a main-artist credit gives its id."""
    ids = {line.name: line.artist_id for line in lines if line.role == "main_artist"}
    return [(ids.get(name), name) for name in names]


# -- pages --------------------------------------------------------------------------------------


def _family(value: str) -> Family:
    try:
        return Family(value)
    except ValueError:
        known = ", ".join(f.value for f in FAMILY_ORDER)
        raise PageError(
            400,
            "No such role family",
            f"family={value!r} is not a role family; use one of {known}.",
        ) from None


@router.get("/artist/{artist_id}")
def artist(
    request: Request,
    artist_id: int,
    db: Db,
    who: Who,
    family: str = Family.PRODUCTION.value,
    show_all: Annotated[bool, Query(alias="all")] = False,
) -> Response:
    """Everyone behind an artist's songs in one role family; production (producers) first."""
    chosen = _family(family)
    if moved := _located(request, db, EntityKind.ARTIST, artist_id):
        return moved
    if chosen is Family.PRODUCTION:
        answer = producers(db, artist_id, None if show_all else ROWS)
        table = {
            "songs": answer.songs,
            "rows": answer.producers,
            "total": answer.total_producers,
            "featured_songs": answer.featured_songs,
            "featured_rows": answer.featured_producers,
            "featured_total": answer.total_featured_producers,
        }
        combined, pseudo = answer.combined_pages, answer.excluded_pseudo
        about = answer.artist
    else:
        people = family_people(db, artist_id, chosen, None if show_all else ROWS)
        table = {
            "songs": people.songs,
            "rows": people.rows,
            "total": people.total,
            "featured_songs": people.featured_songs,
            "featured_rows": people.featured_rows,
            "featured_total": people.total_featured,
        }
        combined, pseudo = [], 0
        about = summary(db, EntityKind.ARTIST, artist_id)
    return render(
        request,
        "artist.html",
        {
            "artist": about,
            "family": chosen.value,
            "family_label": FAMILY_LABELS[chosen],
            "filters": _filters(None),
            **table,
            "combined": combined,
            "pseudo": pseudo,
            "revealed": access.revealed_today(db, who),
            "reveals_left": access.reveals_left(db, who),
            "visitor": who,
        },
    )


def _filters(counts: dict[str, int] | None) -> list[tuple[str, str, int | None]]:
    return [
        (f.value, FAMILY_LABELS[f], None if counts is None else counts.get(f.value, 0))
        for f in FAMILY_ORDER
    ]


@router.get("/artist/{artist_id}/families")
def artist_families(
    request: Request, artist_id: int, db: Db, family: str = Family.PRODUCTION.value
) -> Response:
    """The family filter with how many people each family has: every credit on the artist's
    songs is read for it, so the page asks for it after it is shown (htmx, on load)."""
    chosen = _family(family)
    if _current_id(db, EntityKind.ARTIST, artist_id) != artist_id:
        raise missing("artist", artist_id)
    return render(
        request,
        "fragments/filters.html",
        {
            "artist_id": artist_id,
            "family": chosen.value,
            "filters": _filters(people_per_family(db, artist_id)),
        },
    )


def album_context(db: Database, release_id: int) -> dict[str, object]:
    """What the album page's credit sections show (the page, and a look-up's fresh credits)."""
    answer = release_credits(db, release_id)
    every_line = [*answer.release_credits, *(line for t in answer.tracks for line in t.credits)]
    return {
        "album": answer,
        "artists": _main_artists(every_line, answer.artists),
        "release_families": by_family(answer.release_credits),
        "matrix": track_matrix(answer.tracks),
    }


def song_context(db: Database, recording_id: int) -> dict[str, object]:
    """What the song page's credits section shows (the page, and a look-up's fresh credits)."""
    answer = recording_credits(db, recording_id)
    return {
        "song": answer,
        "artists": _main_artists(answer.credits, answer.artists),
        "families": by_family(answer.credits),
    }


@router.get("/album/{release_id}")
def album(request: Request, release_id: int, db: Db, lookup: int | None = None) -> Response:
    if moved := _located(request, db, EntityKind.RELEASE, release_id):
        return moved
    # A look-up of newer credits starts here when they are missing or stale (never waited for).
    live = lookup_panel.for_record(request, db, "release", release_id, lookup)
    return render(request, "album.html", {**album_context(db, release_id), "lookup": live})


@router.get("/song/{recording_id}")
def song(request: Request, recording_id: int, db: Db, lookup: int | None = None) -> Response:
    if moved := _located(request, db, EntityKind.RECORDING, recording_id):
        return moved
    live = lookup_panel.for_record(request, db, "recording", recording_id, lookup)
    return render(request, "song.html", {**song_context(db, recording_id), "lookup": live})


@router.get("/person/{artist_id}")
def person_page(request: Request, artist_id: int, db: Db, who: Who) -> Response:
    if moved := _located(request, db, EntityKind.ARTIST, artist_id):
        return moved
    answer = person(db, artist_id, titles=TITLES)
    return render(
        request,
        "person.html",
        {
            "person": answer,
            "roles": by_role(answer.by_role_year),
            "revealed": artist_id in access.revealed_today(db, who),
            "reveals_left": access.reveals_left(db, who),
            "visitor": who,
        },
    )


@router.get("/person/{artist_id}/credits")
def person_credits_page(
    request: Request,
    artist_id: int,
    db: Db,
    role: Annotated[str, Query(max_length=64)],
    year: Annotated[str, Query(pattern=r"^([0-9]{4})?$")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Every work of one role and year of a person's credits, latest first, a page at a time:
    the "all N" link of a cell of the person page."""
    if moved := _located(request, db, EntityKind.ARTIST, artist_id):
        return moved
    if role not in ROLES:
        raise PageError(400, "Bad request", f"role: no role has the code {role!r}.")
    songs, total = cell_songs(db, artist_id, role, year, (page - 1) * PAGE, PAGE)
    return render(
        request,
        "person_credits.html",
        {
            "who": summary(db, EntityKind.ARTIST, artist_id),
            "role": ROLES[role],
            "year": year,
            "songs": songs,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "first": (page - 1) * PAGE + 1,
        },
    )
