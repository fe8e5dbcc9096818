"""People: who produced an artist's music, a person's credits and collaborators, their handles."""

from __future__ import annotations

from collections import Counter, defaultdict

from linernotes.normalize.handles import EvidenceKind as Kind
from linernotes.normalize.handles import Platform, is_verified, profile_url
from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import ROLES, get_role
from linernotes.store.db import Database, Row
from linernotes.store.read_credits import external_ids
from linernotes.store.read_names import NOT_PSEUDO, PSEUDO_IDS, summary
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
    """People credited on the same songs, by how many songs they share."""
    rows = db.execute(
        "SELECT other.artist_id, a.name, count(DISTINCT other.subject_id) AS shared"
        " FROM credit mine JOIN credit other ON other.subject_kind = mine.subject_kind"
        " AND other.subject_id = mine.subject_id AND other.artist_id <> mine.artist_id"
        " JOIN artist a ON a.id = other.artist_id"
        " WHERE mine.artist_id = ? AND mine.subject_kind = 'recording'"
        f" AND mine.subject_id NOT IN {PSEUDO_IDS}"
        " GROUP BY other.artist_id, a.name ORDER BY shared DESC, a.name LIMIT ?",
        (artist_id, top),
    )
    return [Collaborator(int(r[0]), str(r[1]), int(r[2])) for r in rows]


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
