"""Reads the pages need that the store does not offer yet, each a fixed number of queries.

- `describe`: one line telling look-alikes apart for many search hits at once (the same words as
  `read_names.summary`, which costs a few queries per entity: a page of suggestions would be
  dozens of round trips on PostgreSQL).
- `family_people`: everyone behind an artist's songs in one role family (engineering, writing,
  ...), read and ranked by `read_producers`, as the production family is;
  `people_per_family`: how many people each family has, for the page's filter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from linernotes.normalize.roles import ROLES, Family, get_role, roles_in_family
from linernotes.store.db import Database
from linernotes.store.read_names import NOT_PSEUDO
from linernotes.store.read_producers import Credit, family_credits, ranked_rows, songs_with_role
from linernotes.store.views import ProducerRow


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" for _ in values)


# -- search hits --------------------------------------------------------------------------------


def describe(db: Database, ids: dict[str, list[int]]) -> dict[tuple[str, int], str]:
    """(kind, id) -> "by Drake · More Life · 2017" / "producer (9), songwriter (7)" / ..."""
    out: dict[tuple[str, int], str] = {}
    out.update(((("artist", i), text) for i, text in _artists(db, ids.get("artist", [])).items()))
    out.update(
        ((("recording", i), text) for i, text in _recordings(db, ids.get("recording", [])).items())
    )
    out.update(
        ((("release", i), text) for i, text in _releases(db, ids.get("release", [])).items())
    )
    return out


def _artists(db: Database, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    about = {
        int(i): str(d or "")
        for i, d in db.execute(
            f"SELECT id, disambiguation FROM artist WHERE id IN ({_marks(ids)})", ids
        )
    }
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for artist, role, n in db.execute(
        "SELECT c.artist_id, c.role, count(*) FROM credit c"
        f" WHERE c.artist_id IN ({_marks(ids)}) AND c.subject_kind = 'recording' AND {NOT_PSEUDO}"
        " GROUP BY c.artist_id, c.role",
        ids,
    ):
        counts[int(artist)][str(role)] = int(n)
    out: dict[int, str] = {}
    for i in ids:
        parts = [about[i]] if about.get(i) else []
        parts += [f"{get_role(r).label.lower()} ({n})" for r, n in counts[i].most_common(3)]
        out[i] = ", ".join(parts) or "no credits yet"
    return out


def _main_artists(db: Database, kind: str, ids: list[int]) -> dict[int, list[str]]:
    """Main artists of songs or albums, in credited order."""
    found: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return found
    rows = db.execute(
        "SELECT c.subject_id, a.name, min(s.position) FROM credit c"
        " JOIN artist a ON a.id = c.artist_id JOIN credit_source s ON s.credit_id = c.id"
        f" WHERE c.subject_kind = ? AND c.subject_id IN ({_marks(ids)}) AND c.role = 'main_artist'"
        " GROUP BY c.subject_id, a.id, a.name ORDER BY c.subject_id, min(s.position), a.name",
        (kind, *ids),
    )
    for subject, name, _ in rows:
        found[int(subject)].append(str(name))
    return found


def _recordings(db: Database, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    artists = _main_artists(db, "recording", ids)
    rows = db.execute(
        "SELECT r.id, r.date, r.pseudo_reason,"
        " (SELECT rel.title FROM track t JOIN release rel ON rel.id = t.release_id"
        "  WHERE t.recording_id = r.id ORDER BY rel.id LIMIT 1)"
        f" FROM recording r WHERE r.id IN ({_marks(ids)})",
        ids,
    )
    out: dict[int, str] = {}
    for i, date, pseudo, album in rows:
        parts = [
            f"by {', '.join(artists[int(i)])}" if artists[int(i)] else "",
            str(album or ""),
            str(date or ""),
            f"not a song: {pseudo}" if pseudo else "",
        ]
        out[int(i)] = " · ".join(p for p in parts if p)
    return out


def _releases(db: Database, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    artists = _main_artists(db, "release", ids)
    missing = [i for i in ids if not artists[i]]
    if missing:  # no album-level artist: its songs' main artists, most songs first
        rows = db.execute(
            "SELECT t.release_id, a.name, count(*) FROM track t JOIN credit c"
            " ON c.subject_kind = 'recording' AND c.subject_id = t.recording_id"
            " AND c.role = 'main_artist' JOIN artist a ON a.id = c.artist_id"
            f" WHERE t.release_id IN ({_marks(missing)})"
            " GROUP BY t.release_id, a.id, a.name ORDER BY t.release_id, count(*) DESC, a.name",
            missing,
        )
        for release, name, _ in rows:
            if len(artists[int(release)]) < 3:
                artists[int(release)].append(str(name))
    rows = db.execute(
        "SELECT r.id, r.date, r.kind, (SELECT count(*) FROM track t WHERE t.release_id = r.id)"
        f" FROM release r WHERE r.id IN ({_marks(ids)})",
        ids,
    )
    out: dict[int, str] = {}
    for i, date, kind, tracks in rows:
        parts = [
            f"by {', '.join(artists[int(i)])}" if artists[int(i)] else "",
            str(kind) if kind and kind != "unknown" else "",
            str(date or ""),
            f"{tracks} songs" if tracks != 1 else "1 song",
        ]
        out[int(i)] = " · ".join(p for p in parts if p)
    return out


# -- people behind an artist's songs, by role family --------------------------------------------


@dataclass(slots=True)
class FamilyPeople:
    """People credited in one role family on an artist's songs (featured-only songs apart)."""

    family: Family
    songs: int
    rows: list[ProducerRow]
    total: int
    featured_songs: int
    featured_rows: list[ProducerRow]
    total_featured: int


def family_people(
    db: Database, artist_id: int, family: Family, limit: int | None = None
) -> FamilyPeople:
    own, primary, featured = _songs(db, artist_id)
    codes = [role.code for role in roles_in_family(family)]
    rows, total = ranked_rows(db, _credits(db, primary, own, codes), limit)
    featured_rows, total_featured = ranked_rows(db, _credits(db, featured, own, codes), limit)
    return FamilyPeople(
        family, len(primary), rows, total, len(featured), featured_rows, total_featured
    )


def people_per_family(db: Database, artist_id: int) -> dict[str, int]:
    """How many people each role family has on the artist's songs, featured-only ones included
    (every credit on them is read: the artist page asks for this apart, after it is shown)."""
    own, primary, featured = _songs(db, artist_id)
    people: dict[str, set[int]] = defaultdict(set)
    for person, role, _ in _credits(db, primary | featured, own, None):
        people[_family(role).value].add(person)
    return {family: len(found) for family, found in people.items()}


def _songs(db: Database, artist_id: int) -> tuple[set[int], set[int], set[int]]:
    """The artist's own pages, songs as primary artist, songs where only featured."""
    own = _own_pages(db, artist_id)
    primary = songs_with_role(db, own, "main_artist")
    featured = songs_with_role(db, own, "featured_artist") - primary
    return set(own), primary, featured


def _family(role: str) -> Family:
    found = ROLES.get(role)
    return found.family if found else Family.OTHER


def _own_pages(db: Database, artist_id: int) -> list[int]:
    """The artist, plus group or combined pages a source links the artist to as a member."""
    groups = db.execute("SELECT group_id FROM artist_member WHERE member_id = ?", (artist_id,))
    return [artist_id, *(int(g[0]) for g in groups)]


def _credits(db: Database, songs: set[int], own: set[int], roles: list[str] | None) -> list[Credit]:
    """Credits in the family on the songs and their albums (as the producers are read); the
    artist's own main-artist credits are left out: they are the artist."""
    found = family_credits(db, songs, roles)
    return [c for c in found if not (c[1] == "main_artist" and c[0] in own)]
