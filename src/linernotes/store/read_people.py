"""People: who produced an artist's music, a person's credits and collaborators, their handles."""

from __future__ import annotations

from collections import Counter, defaultdict

from linernotes.normalize.handles import EvidenceKind as Kind
from linernotes.normalize.handles import Platform, is_verified, profile_url
from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import ROLES, get_role
from linernotes.store.db import Database, Row
from linernotes.store.read_credits import external_ids
from linernotes.store.read_names import NOT_PSEUDO, summary
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


def person(db: Database, artist_id: int, top: int = 10) -> PersonAnswer:
    return PersonAnswer(
        artist=summary(db, EntityKind.ARTIST, artist_id),
        aliases=[
            str(r[0])
            for r in db.execute(
                "SELECT DISTINCT name FROM artist_name WHERE artist_id = ? ORDER BY name",
                (artist_id,),
            )
        ],
        by_role_year=_by_role_year(db, artist_id),
        collaborators=_collaborators(db, artist_id, top),
        handles=handles(db, [artist_id]).get(artist_id, []),
        external_ids=external_ids(db, EntityKind.ARTIST, artist_id),
    )


def _by_role_year(db: Database, artist_id: int) -> list[RoleYear]:
    rows = db.execute(
        "SELECT c.role, r.id, r.title, r.date FROM credit c JOIN recording r ON r.id = c.subject_id"
        f" WHERE c.artist_id = ? AND c.subject_kind = 'recording' AND {NOT_PSEUDO}"
        " UNION SELECT c.role, -rel.id, rel.title, rel.date FROM credit c"
        " JOIN release rel ON rel.id = c.subject_id"
        " WHERE c.artist_id = ? AND c.subject_kind = 'release'",
        (artist_id, artist_id),
    )
    cells: dict[tuple[str, str], list[SongRef]] = defaultdict(list)
    for role, song_id, title, date in rows:
        cells[(str(role), str(date or "")[:4])].append(SongRef(int(song_id), str(title), date))
    out = [
        RoleYear(
            role,
            get_role(role).label,
            get_role(role).family.value,
            year,
            sorted(songs, key=lambda s: s.title.casefold()),
        )
        for (role, year), songs in cells.items()
    ]
    return sorted(out, key=lambda c: (_ROLE_ORDER.get(c.role, 999), c.year == "", c.year))


def _collaborators(db: Database, artist_id: int, top: int) -> list[Collaborator]:
    """People credited on the same songs, by how many songs they share, ties by name.

    Counted from the credit index alone over the person's distinct songs; names are read only
    for the rows shown and those tied with the last of them.
    """
    counts = {
        int(r[0]): int(r[1])
        for r in db.execute(
            "WITH mine AS (SELECT DISTINCT c.subject_id FROM credit c WHERE c.artist_id = ?"
            f" AND c.subject_kind = 'recording' AND {NOT_PSEUDO})"
            " SELECT o.artist_id, count(DISTINCT o.subject_id) FROM mine"
            " JOIN credit o ON o.subject_id = mine.subject_id AND o.subject_kind = 'recording'"
            " WHERE o.artist_id <> ? GROUP BY o.artist_id",
            (artist_id, artist_id),
        )
    }
    if not counts:
        return []
    cut = sorted(counts.values(), reverse=True)[min(top, len(counts)) - 1]
    shown = [p for p, n in counts.items() if n >= cut]
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
