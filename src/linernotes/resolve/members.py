"""Combined pages: "21 Savage & Metro Boomin" is two people credited together, not a third one.

Genius (and charts) make a page for a pairing. When every part of such a name is exactly one
artist in the catalog, the combined page is linked to its members (artist_member, with the source
`identity:combined`), so each member's pages count its songs. Only "&", " x " and " and " split a
name, and commas only in a list ending with one of them ("Tyler, The Creator" is one artist); a
part that is not exactly one catalog artist leaves the name whole ("Earth, Wind & Fire": no
artist is called "Fire").
"""

from __future__ import annotations

import re

from linernotes.resolve.name_keys import compact
from linernotes.store.db import Database

SOURCE = "identity:combined"
_JOINERS = re.compile(r"\s+(?:&|x|×|and)\s+", re.IGNORECASE)
MIN_PART = 3  # letters: "Nard & B" is a duo's name, not "B" the artist


def parts(name: str) -> list[str]:
    """The names a combined page may join, or [] when it cannot be one.

    A comma separates names only in a list that ends with a joiner ("21 Savage, Offset & Metro
    Boomin"); without one it is part of the name ("Tyler, The Creator").
    """
    if "(" in name or not _JOINERS.search(name):
        return []  # "Mike Campbell (Tom Petty & ...)"
    found = [p.strip() for chunk in _JOINERS.split(name) for p in chunk.split(",")]
    if len(found) < 2 or any(len(compact(p)) < MIN_PART for p in found):
        return []
    return found


def link_combined(db: Database, since: int = 0) -> int:
    """Link combined pages created after artist id `since` to their members; return links made."""
    made = 0
    for artist_id, name in db.execute(
        "SELECT id, name FROM artist WHERE id > ? AND (name LIKE '% & %' OR name LIKE '% x %'"
        " OR name LIKE '% and %' OR name LIKE '% × %')",
        (since,),
    ):
        members = [_one_artist(db, part) for part in parts(str(name))]
        if members and all(m is not None and m != artist_id for m in members):
            db.executemany(
                "INSERT INTO artist_member (group_id, member_id, source) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [(artist_id, m, SOURCE) for m in members],
            )
            made += len(members)
    return made


def _one_artist(db: Database, name: str) -> int | None:
    rows = db.execute(
        "SELECT DISTINCT entity_id FROM identity_key WHERE entity_kind = 'artist' AND key = ?"
        " LIMIT 2",
        (f"n:{compact(name)}",),
    )
    return int(rows[0][0]) if len(rows) == 1 else None
