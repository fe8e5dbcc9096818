"""The source statements behind aggregated answers, read only when `sources=true` asks.

A producer row sums production credits over many songs (and whole albums); a person's credits
by role and year list songs. These read, for just the rows shown, which source said what.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from linernotes.store.db import Database, Row
from linernotes.store.views import ProducerRow, SourceNote
from linernotes.web.api_shapes import Json, note

_CHUNK = 5000  # well under SQLite's limit on bound parameters
_SOURCE_COLUMNS = "s.source, s.source_record_id, s.raw_role, s.credited_name, s.retrieved_at"


def _marks(values: Iterable[object]) -> str:
    return ",".join("?" for _ in values)


def _chunks(values: list[int]) -> list[list[int]]:
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]


def _note(row: Row, first: int) -> SourceNote:
    return SourceNote(*(str(v) for v in row[first : first + 5]))


def producer_statements(
    db: Database, rows: list[ProducerRow], roles: tuple[str, ...]
) -> dict[int, list[Json]]:
    """Per person shown: every source's credit in these roles on the row's songs, and on the
    albums holding them (an executive producer credit covers the whole album)."""
    people = [r.artist_id for r in rows]
    songs_of = {r.artist_id: {s.recording_id for s in r.songs} for r in rows}
    songs = sorted({s for ids in songs_of.values() for s in ids})
    if not people or not songs:
        return {}
    out: dict[int, list[Json]] = defaultdict(list)
    for song_chunk in _chunks(songs):
        for row in db.execute(
            f"SELECT c.artist_id, c.subject_id, c.role, {_SOURCE_COLUMNS} FROM credit c"
            " JOIN credit_source s ON s.credit_id = c.id"
            f" WHERE c.subject_kind = 'recording' AND c.subject_id IN ({_marks(song_chunk)})"
            f" AND c.role IN ({_marks(roles)}) AND c.artist_id IN ({_marks(people)})"
            " ORDER BY c.subject_id, c.role, s.source, s.source_record_id",
            (*song_chunk, *roles, *people),
        ):
            person, song = int(row[0]), int(row[1])
            if song in songs_of[person]:
                out[person].append(_statement("recording", song, str(row[2]), _note(row, 3)))
    albums = _albums(db, songs)
    for person, release, role, found in _album_statements(db, people, roles, sorted(albums)):
        if albums[release] & songs_of[person]:
            out[person].append(_statement("release", release, role, found))
    return out


def _albums(db: Database, songs: list[int]) -> dict[int, set[int]]:
    """The albums holding these songs, each with which of them it holds."""
    out: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(songs):
        for release, song in db.execute(
            f"SELECT release_id, recording_id FROM track WHERE recording_id IN ({_marks(chunk)})",
            chunk,
        ):
            out[int(release)].add(int(song))
    return out


def _album_statements(
    db: Database, people: list[int], roles: tuple[str, ...], albums: list[int]
) -> list[tuple[int, int, str, SourceNote]]:
    out: list[tuple[int, int, str, SourceNote]] = []
    for chunk in _chunks(albums):
        rows = db.execute(
            f"SELECT c.artist_id, c.subject_id, c.role, {_SOURCE_COLUMNS} FROM credit c"
            " JOIN credit_source s ON s.credit_id = c.id"
            f" WHERE c.subject_kind = 'release' AND c.subject_id IN ({_marks(chunk)})"
            f" AND c.tracks = '' AND c.role IN ({_marks(roles)})"
            f" AND c.artist_id IN ({_marks(people)})"
            " ORDER BY c.subject_id, c.role, s.source, s.source_record_id",
            (*chunk, *roles, *people),
        )
        out.extend((int(r[0]), int(r[1]), str(r[2]), _note(r, 3)) for r in rows)
    return out


def _statement(kind: str, subject: int, role: str, found: SourceNote) -> Json:
    return {"subject_kind": kind, "subject_id": subject, "role": role, **note(found)}


def person_statements(
    db: Database, artist_id: int, role: str | None = None
) -> dict[tuple[str, str, int], list[Json]]:
    """Every source statement of the person's credits (in one role, if given), by (role,
    subject kind, subject id)."""
    out: dict[tuple[str, str, int], list[Json]] = defaultdict(list)
    narrow = " AND c.role = ?" if role is not None else ""
    for row in db.execute(
        f"SELECT c.role, c.subject_kind, c.subject_id, {_SOURCE_COLUMNS} FROM credit c"
        f" JOIN credit_source s ON s.credit_id = c.id WHERE c.artist_id = ?{narrow}"
        " ORDER BY c.subject_kind, c.subject_id, s.source, s.source_record_id",
        (artist_id,) if role is None else (artist_id, role),
    ):
        out[(str(row[0]), str(row[1]), int(row[2]))].append(note(_note(row, 3)))
    return out
