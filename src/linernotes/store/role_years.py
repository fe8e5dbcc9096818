"""A person's credits by role and year: which songs and albums fill each cell, latest first.

Only ids and dates are read here (a person with 14,000 credits reads 14,000 dates, not 14,000
titles); titles are read for the works shown. store/digest.py keeps the summary of much-credited
people; read_people shows it.
"""

from __future__ import annotations

from collections import defaultdict

from linernotes.store.db import Database
from linernotes.store.read_names import NOT_PSEUDO

# A person's songs (and albums, their ids negated) with role and date; `{role}` narrows to one
# role.
_WORKS = (
    "SELECT c.role, r.id, r.date FROM credit c JOIN recording r ON r.id = c.subject_id"
    f" WHERE c.artist_id = ? {{role}} AND c.subject_kind = 'recording' AND {NOT_PSEUDO}"
    " UNION ALL SELECT c.role, -rel.id, rel.date FROM credit c"
    " JOIN release rel ON rel.id = c.subject_id"
    " WHERE c.artist_id = ? {role} AND c.subject_kind = 'release'"
)

Cell = dict[int, str]  # work id -> its date ("" when unknown)
Summary = tuple[str, str, int, list[int]]  # (role, year, works in all, the latest works' ids)


def cells(db: Database, artist_id: int, role: str | None = None) -> dict[tuple[str, str], Cell]:
    """(role, year) -> its works; a person credited twice in one role on a song (guitar and
    bass) has the song once."""
    narrow = "AND c.role = ?" if role is not None else ""
    params = (artist_id, role, artist_id, role) if role is not None else (artist_id, artist_id)
    found: dict[tuple[str, str], Cell] = defaultdict(dict)
    for code, work, date in db.execute(_WORKS.format(role=narrow), params):
        day = str(date or "")
        found[(str(code), day[:4])][int(work)] = day
    return found


def latest(cell: Cell) -> list[int]:
    """The cell's works, latest first ("2017-05-02" before "2017" before ""), ties by id so
    that pages never overlap: two sorts in C, the second stable."""
    return sorted(sorted(cell), key=cell.__getitem__, reverse=True)


def summary(db: Database, artist_id: int, titles: int) -> list[Summary]:
    """Every cell with its size and its latest `titles` works."""
    return [
        (role, year, len(cell), latest(cell)[:titles])
        for (role, year), cell in cells(db, artist_id).items()
    ]
