"""People: who produced an artist's music, a person's credits and collaborators, their handles."""

from __future__ import annotations

from collections import Counter, defaultdict

from linernotes.normalize.handles import EvidenceKind as Kind
from linernotes.normalize.handles import Platform, is_verified, profile_url
from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import ROLES, get_role
from linernotes.store import digest, role_years
from linernotes.store.db import Database, Row
from linernotes.store.read_credits import external_ids
from linernotes.store.read_names import summary
from linernotes.store.views import (
    Collaborator,
    Evidence,
    HandleView,
    PersonAnswer,
    RoleYear,
    SongRef,
)

_ROLE_ORDER = {code: i for i, code in enumerate(ROLES)}
_PLATFORM_ORDER = {p.value: i for i, p in enumerate(Platform)}  # Instagram first

# -- handles ----------------------------------------------------------------------------------


def handles(db: Database, artist_ids: list[int]) -> dict[int, list[HandleView]]:
    """Every handle of these artists with all its evidence, best first per artist."""
    if not artist_ids:
        return {}
    marks = ",".join("?" * len(artist_ids))
    rows = db.execute(
        "SELECT h.artist_id, h.id, h.platform, h.handle, e.source, e.source_record_id,"
        " e.evidence_kind, e.confidence, e.match_rule, e.note, e.quote, e.retrieved_at"
        " FROM handle h JOIN handle_evidence e ON e.handle_id = h.id"
        f" WHERE h.artist_id IN ({marks})"
        " ORDER BY h.id, e.confidence DESC, e.source",
        artist_ids,
    )
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[int(row[1])].append(row)
    out: dict[int, list[HandleView]] = defaultdict(list)
    for group in grouped.values():
        out[int(group[0][0])].append(_handle_view(group))
    for views in out.values():
        views.sort(key=lambda v: (_PLATFORM_ORDER.get(v.platform, 9), -v.confidence, v.handle))
    return out


def _handle_view(rows: list[Row]) -> HandleView:
    evidence = tuple(
        Evidence(
            str(r[4]),
            str(r[5]),
            str(r[6]),
            float(r[7]),
            str(r[8]),
            str(r[9]),
            str(r[10]),
            str(r[11]),
            is_verified(Kind(str(r[6]))),
        )
        for r in rows
    )
    platform, handle = str(rows[0][2]), str(rows[0][3])
    return HandleView(
        platform,
        handle,
        profile_url(Platform(platform), handle),
        max(e.confidence for e in evidence),
        any(e.verified for e in evidence),
        evidence,
    )


def best_handle(views: list[HandleView]) -> HandleView | None:
    return views[0] if views else None


# -- a person ---------------------------------------------------------------------------------


TITLES = digest.TITLES  # titles shown in each (role, year) cell; the rest are paged (`cell_songs`)


def person(db: Database, artist_id: int, top: int = 10, titles: int = TITLES) -> PersonAnswer:
    kept = digest.fresh(db, artist_id)  # None unless much credited: then counted as it goes
    return PersonAnswer(
        artist=summary(db, EntityKind.ARTIST, artist_id),
        aliases=[
            str(r[0])
            for r in db.execute(
                "SELECT DISTINCT name FROM artist_name WHERE artist_id = ? ORDER BY name",
                (artist_id,),
            )
        ],
        by_role_year=_by_role_year(db, artist_id, titles, kept),
        collaborators=_collaborators(db, artist_id, top, kept),
        handles=handles(db, [artist_id]).get(artist_id, []),
        external_ids=external_ids(db, EntityKind.ARTIST, artist_id),
    )


def _by_role_year(
    db: Database, artist_id: int, titles: int, kept: digest.Digest | None
) -> list[RoleYear]:
    """Each (role, year) with how many songs it has and the latest `titles` of them, titles
    read for those alone."""
    if kept is not None and titles <= digest.TITLES:
        cells = kept.cells
    else:
        cells = role_years.summary(db, artist_id, titles)
    shown = [(role, year, count, works[:titles]) for role, year, count, works in cells]
    refs = work_refs(db, [w for *_, works in shown for w in works])
    out = [
        RoleYear(
            role,
            get_role(role).label,
            get_role(role).family.value,
            year,
            count,
            [refs[w] for w in works if w in refs],
        )
        for role, year, count, works in shown
    ]
    return sorted(out, key=lambda c: (_ROLE_ORDER.get(c.role, 999), c.year == "", c.year))


def cell_songs(
    db: Database, artist_id: int, role: str, year: str, offset: int, limit: int
) -> tuple[list[SongRef], int]:
    """One (role, year) cell's songs, latest first, a page at a time; and how many it has."""
    cell = role_years.cells(db, artist_id, role).get((role, year), {})
    page = role_years.latest(cell)[offset : offset + limit]
    refs = work_refs(db, page)
    return [refs[w] for w in page if w in refs], len(cell)


def work_refs(db: Database, works: list[int]) -> dict[int, SongRef]:
    """Title and date of songs (positive ids) and albums (negated ids)."""
    out: dict[int, SongRef] = {}
    for table, ids, sign in (
        ("recording", [w for w in works if w > 0], 1),
        ("release", [-w for w in works if w < 0], -1),
    ):
        for start in range(0, len(ids), 5000):  # well under SQLite's bound-parameter limit
            chunk = ids[start : start + 5000]
            marks = ",".join("?" * len(chunk))
            for i, title, date in db.execute(
                f"SELECT id, title, date FROM {table} WHERE id IN ({marks})", chunk
            ):
                out[sign * int(i)] = SongRef(sign * int(i), str(title), date)
    return out


def _collaborators(
    db: Database, artist_id: int, top: int, kept: digest.Digest | None
) -> list[Collaborator]:
    """People credited on the same songs, by how many songs they share, ties by name. The
    counts of the most credited people are kept counted ahead (store/digest.py); names are read
    only for the rows shown and those tied with the last of them."""
    if kept is not None and top == digest.TOP:
        counts = kept.collaborators
    else:
        counts = digest.cut(digest.count_live(db, artist_id), top)
    if not counts:
        return []
    shown = list(counts)
    marks = ",".join("?" * len(shown))
    names: dict[int, str] = dict(
        db.execute(f"SELECT id, name FROM artist WHERE id IN ({marks})", shown)
    )
    order = sorted(shown, key=lambda p: (-counts[p], str(names[p]).casefold()))[:top]
    return [Collaborator(p, str(names[p]), counts[p]) for p in order]


def role_counts(db: Database) -> Counter[str]:
    """How many credits each role has in the catalog (for `roles`)."""
    return Counter(
        {
            str(r[0]): int(r[1])
            for r in db.execute("SELECT role, count(*) FROM credit GROUP BY role")
        }
    )


def unmapped_roles(db: Database) -> Counter[str]:
    """Raw role texts no table knows, with how often each occurs."""
    return Counter(
        {
            str(r[0]): int(r[1])
            for r in db.execute(
                "SELECT s.raw_role, count(*) FROM credit c"
                " JOIN credit_source s ON s.credit_id = c.id"
                " WHERE c.role = 'unmapped' GROUP BY s.raw_role"
            )
        }
    )
