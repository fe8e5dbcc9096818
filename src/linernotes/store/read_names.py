"""Entities by exact name, and descriptions good enough to tell look-alikes apart.

Typed searches (prefixes, typos, ranking) go through the search index: `linernotes.search.names`.
"""

from __future__ import annotations

from linernotes.normalize.fold import fold
from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import get_role
from linernotes.store.db import Database
from linernotes.store.entities import fold_for
from linernotes.store.views import EntitySummary

# Pseudo-songs are few: test membership through their partial index (recording_pseudo) instead of
# joining every credit to its recording.
PSEUDO_IDS = "(SELECT id FROM recording WHERE pseudo_reason IS NOT NULL)"
NOT_PSEUDO = f"c.subject_id NOT IN {PSEUDO_IDS}"

_EXACT: dict[EntityKind, tuple[str, int]] = {
    EntityKind.ARTIST: (
        "SELECT id, '' FROM artist WHERE folded = ?"
        " UNION SELECT artist_id, name FROM artist_name WHERE folded = ?",
        2,
    ),
    EntityKind.RELEASE: ("SELECT id, '' FROM release WHERE folded = ?", 1),
    EntityKind.RECORDING: ("SELECT id, '' FROM recording WHERE folded = ?", 1),
}


# Enough exact matches to show a choice; a title like "Intro" is shared by thousands of songs.
EXACT_LIMIT = 21


def exact(db: Database, kind: EntityKind, text: str) -> list[EntitySummary]:
    """Entities whose name (or alias) folds exactly to the text (at most EXACT_LIMIT)."""
    sql, uses = _EXACT[kind]
    found: dict[int, str] = {}
    rows = db.execute(f"{sql} LIMIT {EXACT_LIMIT}", (fold_for(kind, text),) * uses)
    for entity_id, matched in rows:
        found.setdefault(int(entity_id), str(matched))
    return [summary(db, kind, i, matched) for i, matched in found.items()]


# (query, how many times it takes the title and the artist ids)
_BY_ARTIST: dict[EntityKind, tuple[str, int]] = {
    EntityKind.RECORDING: (
        "SELECT DISTINCT r.id FROM recording r JOIN credit c ON c.subject_kind = 'recording'"
        " AND c.subject_id = r.id AND c.role IN ('main_artist', 'featured_artist')"
        " WHERE r.folded = ? AND c.artist_id IN ({ids})",
        1,
    ),
    EntityKind.RELEASE: (
        "SELECT rel.id FROM release rel JOIN credit c ON c.subject_kind = 'release'"
        " AND c.subject_id = rel.id AND c.role = 'main_artist'"
        " WHERE rel.folded = ? AND c.artist_id IN ({ids})"
        " UNION SELECT rel.id FROM release rel JOIN track t ON t.release_id = rel.id"
        " JOIN credit c ON c.subject_kind = 'recording' AND c.subject_id = t.recording_id"
        " AND c.role = 'main_artist' WHERE rel.folded = ? AND c.artist_id IN ({ids})",
        2,
    ),
}


def exact_by(
    db: Database, kind: EntityKind, text: str, artist_ids: list[int]
) -> list[EntitySummary]:
    """Songs or albums with exactly this title credited to one of these artists."""
    if not artist_ids:
        return []
    template, uses = _BY_ARTIST[kind]
    sql = template.format(ids=",".join("?" * len(artist_ids)))
    params = (fold(text), *artist_ids) * uses
    rows = db.execute(f"{sql} LIMIT {EXACT_LIMIT}", params)
    return [summary(db, kind, int(r[0])) for r in rows]


def summary(db: Database, kind: EntityKind, entity_id: int, matched: str = "") -> EntitySummary:
    describe = {
        EntityKind.ARTIST: _artist,
        EntityKind.RELEASE: _release,
        EntityKind.RECORDING: _recording,
    }[kind]
    name, context = describe(db, entity_id)
    return EntitySummary(kind.value, entity_id, name, context, matched)


def _artist(db: Database, artist_id: int) -> tuple[str, str]:
    row = db.one("SELECT name, disambiguation FROM artist WHERE id = ?", (artist_id,))
    assert row is not None, f"artist {artist_id} vanished"
    counts = db.execute(
        "SELECT c.role, count(*) FROM credit c"
        f" WHERE c.artist_id = ? AND c.subject_kind = 'recording' AND {NOT_PSEUDO}"
        " GROUP BY c.role ORDER BY count(*) DESC LIMIT 3",
        (artist_id,),
    )
    parts = [str(row[1])] if row[1] else []
    parts += [f"{get_role(str(role)).label.lower()} ({n})" for role, n in counts]
    return str(row[0]), ", ".join(parts) or "no credits yet"


def _release(db: Database, release_id: int) -> tuple[str, str]:
    row = db.one("SELECT title, date, kind FROM release WHERE id = ?", (release_id,))
    assert row is not None, f"release {release_id} vanished"
    artists = release_artists(db, release_id)
    tracks = db.one("SELECT count(*) FROM track WHERE release_id = ?", (release_id,))
    parts = [
        f"by {', '.join(artists)}" if artists else "",
        row[2] if row[2] != "unknown" else "",
        str(row[1] or ""),
        f"{tracks[0] if tracks else 0} songs",
    ]
    return str(row[0]), " · ".join(p for p in parts if p)


def _recording(db: Database, recording_id: int) -> tuple[str, str]:
    row = db.one("SELECT title, date, pseudo_reason FROM recording WHERE id = ?", (recording_id,))
    assert row is not None, f"recording {recording_id} vanished"
    artists = recording_artists(db, recording_id)
    album = db.one(
        "SELECT r.title FROM track t JOIN release r ON r.id = t.release_id"
        " WHERE t.recording_id = ? ORDER BY r.id LIMIT 1",
        (recording_id,),
    )
    parts = [
        f"by {', '.join(artists)}" if artists else "",
        str(album[0]) if album else "",
        str(row[1] or ""),
        "not a song: " + str(row[2]) if row[2] else "",
    ]
    return str(row[0]), " · ".join(p for p in parts if p)


def recording_artists(db: Database, recording_id: int) -> list[str]:
    """Primary artists in credited order."""
    rows = db.execute(
        "SELECT a.name, min(s.position) FROM credit c JOIN artist a ON a.id = c.artist_id"
        " JOIN credit_source s ON s.credit_id = c.id WHERE c.subject_kind = 'recording'"
        " AND c.subject_id = ? AND c.role = 'main_artist' GROUP BY a.id, a.name"
        " ORDER BY min(s.position), a.name",
        (recording_id,),
    )
    return [str(r[0]) for r in rows]


def release_artists(db: Database, release_id: int) -> list[str]:
    """Primary artists of a release: its own main-artist credits, else its songs' most common."""
    rows = db.execute(
        "SELECT a.name FROM credit c JOIN artist a ON a.id = c.artist_id"
        " WHERE c.subject_kind = 'release' AND c.subject_id = ? AND c.role = 'main_artist'",
        (release_id,),
    )
    if not rows:
        rows = db.execute(
            "SELECT a.name FROM track t JOIN credit c ON c.subject_kind = 'recording'"
            " AND c.subject_id = t.recording_id AND c.role = 'main_artist'"
            " JOIN artist a ON a.id = c.artist_id WHERE t.release_id = ?"
            " GROUP BY a.id, a.name ORDER BY count(*) DESC, a.name LIMIT 3",
            (release_id,),
        )
    return [str(r[0]) for r in rows]
