"""People: who produced an artist's music, a person's credits and collaborators, their handles."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from linernotes.normalize.fold import fold_artist
from linernotes.normalize.handles import EvidenceKind as Kind
from linernotes.normalize.handles import Platform, is_verified, profile_url
from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import ROLES, Family, get_role, roles_in_family
from linernotes.store.db import Database, Row
from linernotes.store.name_index import ids_matching_words
from linernotes.store.read_credits import external_ids
from linernotes.store.read_names import NOT_PSEUDO, PSEUDO_IDS, summary
from linernotes.store.views import (
    Collaborator,
    CombinedPage,
    Evidence,
    HandleView,
    PersonAnswer,
    ProducerRow,
    ProducersAnswer,
    RoleYear,
    SongRef,
)

PRODUCTION = tuple(r.code for r in roles_in_family(Family.PRODUCTION))
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


# -- producers --------------------------------------------------------------------------------


def producers(db: Database, artist_id: int) -> ProducersAnswer:
    """Every producer behind the artist's songs, ranked by how many songs, ties by name."""
    own = _artist_with_linked_pages(db, artist_id)
    primary = _songs_with_role(db, own, "main_artist")
    featured = _songs_with_role(db, own, "featured_artist") - primary
    pseudo = _pseudo_songs(db, own)
    return ProducersAnswer(
        artist=summary(db, EntityKind.ARTIST, artist_id),
        songs=len(primary),
        producers=_producer_rows(db, primary, own),
        featured_songs=len(featured),
        featured_producers=_producer_rows(db, featured, own),
        combined_pages=_combined_pages(db, artist_id),
        excluded_pseudo=pseudo,
    )


def _artist_with_linked_pages(db: Database, artist_id: int) -> list[int]:
    """The artist, plus group or combined pages whose source links the artist as a member."""
    groups = db.execute("SELECT group_id FROM artist_member WHERE member_id = ?", (artist_id,))
    return [artist_id, *(int(g[0]) for g in groups)]


def _songs_with_role(db: Database, artist_ids: list[int], role: str) -> set[int]:
    marks = ",".join("?" * len(artist_ids))
    rows = db.execute(
        "SELECT c.subject_id FROM credit c"
        f" WHERE c.artist_id IN ({marks}) AND c.role = ? AND c.subject_kind = 'recording'"
        f" AND {NOT_PSEUDO}",
        (*artist_ids, role),
    )
    return {int(r[0]) for r in rows}


def _pseudo_songs(db: Database, artist_ids: list[int]) -> int:
    marks = ",".join("?" * len(artist_ids))
    row = db.one(
        "SELECT count(DISTINCT c.subject_id) FROM credit c"
        f" WHERE c.artist_id IN ({marks}) AND c.subject_kind = 'recording'"
        f" AND c.subject_id IN {PSEUDO_IDS}",
        artist_ids,
    )
    return int(row[0]) if row else 0


def _producer_rows(db: Database, songs: set[int], exclude: list[int]) -> list[ProducerRow]:
    credits = _production_credits(db, songs)
    people: dict[int, ProducerRow] = {}
    roles: dict[int, set[str]] = defaultdict(set)
    song_sets: dict[int, dict[int, SongRef]] = defaultdict(dict)
    for person, name, role, song in credits:
        people.setdefault(person, ProducerRow(person, name, [], [], None))
        roles[person].add(role)
        song_sets[person][song.recording_id] = song
    found = handles(db, list(people))
    for person, row in people.items():
        row.roles = [get_role(r).label for r in sorted(roles[person], key=_ROLE_ORDER.__getitem__)]
        row.songs = sorted(
            song_sets[person].values(), key=lambda s: (s.date or "", s.title), reverse=True
        )
        row.handle = best_handle(found.get(person, []))
    return sorted(people.values(), key=lambda p: (-p.song_count, p.name.casefold()))


def _production_credits(db: Database, songs: set[int]) -> list[tuple[int, str, str, SongRef]]:
    """(person, name, role, song) for production credits on the songs and on their releases."""
    if not songs:
        return []
    ids = sorted(songs)
    marks, roles = ",".join("?" * len(ids)), ",".join("?" * len(PRODUCTION))
    track_level = db.execute(
        "SELECT c.artist_id, a.name, c.role, r.id, r.title, r.date FROM credit c"
        " JOIN artist a ON a.id = c.artist_id JOIN recording r ON r.id = c.subject_id"
        f" WHERE c.subject_kind = 'recording' AND c.subject_id IN ({marks})"
        f" AND c.role IN ({roles})",
        (*ids, *PRODUCTION),
    )
    return [
        (int(r[0]), str(r[1]), str(r[2]), SongRef(int(r[3]), str(r[4]), r[5]))
        for r in [*track_level, *_release_level_credits(db, ids)]
    ]


def _release_level_credits(db: Database, song_ids: list[int]) -> list[Row]:
    """Whole-release production credits (executive producer), applied to the release's songs.

    Starts from the songs' releases: a plan that starts from the role reads every executive
    producer credit in the catalog. Credits scoped to some tracks stay on the release until track
    scopes can be matched to positions.
    """
    marks = ",".join("?" * len(song_ids))
    releases = [
        int(r[0])
        for r in db.execute(
            f"SELECT DISTINCT release_id FROM track WHERE recording_id IN ({marks})", song_ids
        )
    ]
    if not releases:
        return []
    rel_marks, roles = ",".join("?" * len(releases)), ",".join("?" * len(PRODUCTION))
    return db.execute(
        "SELECT c.artist_id, a.name, c.role, r.id, r.title, r.date FROM credit c"
        " JOIN artist a ON a.id = c.artist_id"
        " JOIN track t ON t.release_id = c.subject_id JOIN recording r ON r.id = t.recording_id"
        f" WHERE c.subject_kind = 'release' AND c.subject_id IN ({rel_marks}) AND c.tracks = ''"
        f" AND c.role IN ({roles}) AND t.recording_id IN ({marks})",
        (*releases, *PRODUCTION, *song_ids),
    )


_JOINER = re.compile(r"\s(?:&|and|x|with|feat\.?|ft\.?)\s|,\s", re.I)


def _combined_pages(db: Database, artist_id: int) -> list[CombinedPage]:
    """Pages naming the artist with others ("21 Savage & Metro Boomin"), linked or not."""
    row = db.one("SELECT name FROM artist WHERE id = ?", (artist_id,))
    assert row is not None
    key = fold_artist(str(row[0]))
    linked = {
        int(r[0])
        for r in db.execute("SELECT group_id FROM artist_member WHERE member_id = ?", (artist_id,))
    }
    pages: list[CombinedPage] = []
    for other in ids_matching_words(db, EntityKind.ARTIST, key.split(), 200):
        name_row = db.one("SELECT name FROM artist WHERE id = ?", (other,))
        if other == artist_id or name_row is None or not _JOINER.search(str(name_row[0])):
            continue
        if not re.search(rf"(?:^| ){re.escape(key)}(?: |$)", fold_artist(str(name_row[0]))):
            continue
        songs = _songs_with_role(db, [other], "main_artist")
        if songs:
            pages.append(CombinedPage(other, str(name_row[0]), len(songs), other in linked))
    return sorted(pages, key=lambda p: (-p.songs, p.name.casefold()))


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
