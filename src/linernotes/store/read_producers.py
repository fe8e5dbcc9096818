"""Every producer behind an artist's music: the question A&R people and artists ask first.

Ranking reads the credit index only (who holds a production credit on which song); names, song
titles and handles are then looked up for the people shown, plus those tied at the cut (ties go
by name). An artist with thousands of songs costs index reads, not thousands of row lookups.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import cast

from linernotes.normalize.fold import fold_artist
from linernotes.normalize.records import EntityKind
from linernotes.normalize.roles import ROLES, Family, get_role, roles_in_family
from linernotes.store.db import Database
from linernotes.store.name_index import tokens
from linernotes.store.read_names import NOT_PSEUDO, summary
from linernotes.store.read_people import best_handle, handles, work_refs
from linernotes.store.views import CombinedPage, ProducerRow, ProducersAnswer

PRODUCTION = tuple(r.code for r in roles_in_family(Family.PRODUCTION))
_ROLE_ORDER = {code: i for i, code in enumerate(ROLES)}


def producers(db: Database, artist_id: int, limit: int | None = None) -> ProducersAnswer:
    """Producers of the artist's songs, most songs first, ties by name; `limit` rows of each
    list get full details (None: all)."""
    own = _artist_with_linked_pages(db, artist_id)
    primary = songs_with_role(db, own, "main_artist")
    featured = songs_with_role(db, own, "featured_artist") - primary
    main_rows, main_total = ranked_rows(db, family_credits(db, primary, PRODUCTION), limit)
    featured_rows, featured_total = ranked_rows(db, family_credits(db, featured, PRODUCTION), limit)
    return ProducersAnswer(
        artist=summary(db, EntityKind.ARTIST, artist_id),
        songs=len(primary),
        producers=main_rows,
        featured_songs=len(featured),
        featured_producers=featured_rows,
        combined_pages=_combined_pages(db, artist_id),
        excluded_pseudo=_pseudo_songs(db, own),
        total_producers=main_total,
        total_featured_producers=featured_total,
    )


def _artist_with_linked_pages(db: Database, artist_id: int) -> list[int]:
    """The artist, plus group or combined pages whose source links the artist as a member."""
    groups = db.execute("SELECT group_id FROM artist_member WHERE member_id = ?", (artist_id,))
    return [artist_id, *(int(g[0]) for g in groups)]


def _marks(values: Iterable[object]) -> str:
    return ",".join("?" for _ in values)


def songs_with_role(db: Database, artist_ids: list[int], role: str) -> set[int]:
    """Real songs (not pseudo) on which these artists hold `role`."""
    rows = db.execute(
        "SELECT c.subject_id FROM credit c"
        f" WHERE c.artist_id IN ({_marks(artist_ids)}) AND c.role = ?"
        f" AND c.subject_kind = 'recording' AND {NOT_PSEUDO}",
        (*artist_ids, role),
    )
    return {int(r[0]) for r in rows}


def _pseudo_songs(db: Database, artist_ids: list[int]) -> int:
    """Pseudo-songs (list pages) the artists are credited on: read from the few pseudo-songs'
    credits, not from the artists' thousands."""
    row = db.one(
        "SELECT count(DISTINCT c.subject_id) FROM recording r"
        " JOIN credit c ON c.subject_id = r.id AND c.subject_kind = 'recording'"
        f" WHERE r.pseudo_reason IS NOT NULL AND c.artist_id IN ({_marks(artist_ids)})",
        artist_ids,
    )
    return int(row[0]) if row else 0


Credit = tuple[int, str, int]  # (person, role, song)


def ranked_rows(
    db: Database, credits: Iterable[Credit], limit: int | None
) -> tuple[list[ProducerRow], int]:
    """People by how many of the songs they are credited on, ties by name: the rows (with
    details for the first `limit`; None: all) and how many people there are."""
    roles: dict[int, set[str]] = defaultdict(set)
    song_sets: dict[int, set[int]] = defaultdict(set)
    for person, role, song in credits:
        roles[person].add(role)
        song_sets[person].add(song)
    shown = _ranked(db, {p: len(s) for p, s in song_sets.items()}, limit)
    refs = work_refs(db, sorted({song for person, _ in shown for song in song_sets[person]}))
    found = handles(db, [person for person, _ in shown])
    rows = [
        ProducerRow(
            person,
            name,
            [get_role(r).label for r in sorted(roles[person], key=_ROLE_ORDER.__getitem__)],
            sorted(
                (refs[s] for s in song_sets[person]),
                key=lambda s: (s.date or "", s.title),
                reverse=True,
            ),
            best_handle(found.get(person, [])),
        )
        for person, name in shown
    ]
    return rows, len(song_sets)


def _ranked(db: Database, counts: dict[int, int], limit: int | None) -> list[tuple[int, str]]:
    """(person, name) by song count, ties by name, then id (namesakes keep one order); names
    read only for those that can show."""
    candidates = list(counts)
    if limit is not None and len(counts) > limit:
        cut = sorted(counts.values(), reverse=True)[limit - 1]
        candidates = [p for p, n in counts.items() if n >= cut]
    names = _names(db, candidates)
    order = sorted(candidates, key=lambda p: (-counts[p], names[p].casefold(), p))
    return [(p, names[p]) for p in order[:limit]]


def _names(db: Database, ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(ids):
        out.update(
            (int(i), str(n))
            for i, n in db.execute(
                f"SELECT id, name FROM artist WHERE id IN ({_marks(chunk)})", chunk
            )
        )
    return out


def _chunks(values: list[int], size: int = 5000) -> list[list[int]]:
    """Keep IN lists well under SQLite's limit on bound parameters."""
    return [values[i : i + size] for i in range(0, len(values), size)]


def family_credits(db: Database, songs: set[int], roles: Sequence[str] | None) -> list[Credit]:
    """(person, role, song) for credits in `roles` (None: every role) on the songs and on their
    releases; read from the credit index alone."""
    out: list[Credit] = []
    for chunk in _chunks(sorted(songs)):
        rows = db.execute(
            "SELECT c.artist_id, c.role, c.subject_id FROM credit c"
            f" WHERE c.subject_kind = 'recording' AND c.subject_id IN ({_marks(chunk)})"
            f"{_role_filter(roles)}",
            (*chunk, *(roles or ())),
        )
        out.extend(cast(list[Credit], rows))  # (int, str, int) as both backends return them
        out.extend(_release_level_credits(db, chunk, roles))
    return out


def _role_filter(roles: Sequence[str] | None) -> str:
    """Roles filtered row by row: `c.role IN (...)` alone lets SQLite seek each (song, role)
    pair of the subject index, one seek a role instead of one a song ("|| ''" keeps it off)."""
    return "" if roles is None else f" AND c.role || '' IN ({_marks(roles)})"


def _release_level_credits(
    db: Database, song_ids: list[int], roles: Sequence[str] | None
) -> list[Credit]:
    """Whole-release production credits (executive producer), applied to the release's songs.

    Starts from the songs' releases: a plan that starts from the role reads every executive
    producer credit in the catalog. Credits scoped to some tracks stay on the release until
    track scopes can be matched to positions.
    """
    tracks = db.execute(
        f"SELECT release_id, recording_id FROM track WHERE recording_id IN ({_marks(song_ids)})",
        song_ids,
    )
    songs_of: dict[int, list[int]] = defaultdict(list)
    for release, song in tracks:
        songs_of[int(release)].append(int(song))
    if not songs_of:
        return []
    rows = db.execute(
        "SELECT c.artist_id, c.role, c.subject_id FROM credit c"
        f" WHERE c.subject_kind = 'release' AND c.subject_id IN ({_marks(songs_of)})"
        f" AND c.tracks = ''{_role_filter(roles)}",
        (*songs_of, *(roles or ())),
    )
    return [(int(p), str(role), song) for p, role, rel in rows for song in songs_of[int(rel)]]


_JOINER = re.compile(r"\s(?:&|and|x|with|feat\.?|ft\.?)\s|,\s", re.I)


# Pages sharing the artist's rarest name word are read at most this many: a page naming the artist
# with others holds that word, and a word this common (a "the") cannot single anyone out.
_COMBINED_CANDIDATES = 2000


def _combined_pages(db: Database, artist_id: int) -> list[CombinedPage]:
    """Pages naming the artist with others ("21 Savage & Metro Boomin"), linked or not.

    Candidates come from one word of the name, its longest (the rarest, as a rule), matched
    whole: a page must hold the artist's whole name as words, checked after. Intersecting every
    word's prefix matches instead read every name with a "the" or a "w" in a catalog of 1M (4.6 s
    for "Coussumsteo The Great & Scott W. Soukton")."""
    row = db.one("SELECT name FROM artist WHERE id = ?", (artist_id,))
    assert row is not None
    key = fold_artist(str(row[0]))
    words = tokens(str(row[0]))
    if not words:
        return []
    rarest = max(words, key=len)
    named = re.compile(rf"(?:^| ){re.escape(key)}(?: |$)")
    candidates = {
        int(other): str(name)
        for other, name in db.execute(
            "SELECT a.id, a.name FROM name_token t JOIN artist a ON a.id = t.entity_id"
            " WHERE t.entity_kind = 'artist' AND t.token = ? AND a.id <> ?"
            f" LIMIT {_COMBINED_CANDIDATES}",
            (rarest, artist_id),
        )
        if _JOINER.search(str(name)) and named.search(fold_artist(str(name)))
    }
    if not candidates:
        return []
    linked = set(_artist_with_linked_pages(db, artist_id)[1:])
    ids = list(candidates)
    counts = db.execute(
        "SELECT c.artist_id, count(DISTINCT c.subject_id) FROM credit c"
        f" WHERE c.artist_id IN ({_marks(ids)}) AND c.role = 'main_artist'"
        f" AND c.subject_kind = 'recording' AND {NOT_PSEUDO} GROUP BY c.artist_id",
        ids,
    )
    pages = [
        CombinedPage(int(other), candidates[int(other)], int(songs), int(other) in linked)
        for other, songs in counts
    ]
    return sorted(pages, key=lambda p: (-p.songs, p.name.casefold()))
