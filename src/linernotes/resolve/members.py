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


def link_combined(db: Database) -> int:
    """Link every combined page to its members as the catalog stands now; return links made.

    Every page is looked at again, not only new ones: a page read before its members (another
    dump, another worker) gets linked when they arrive, and a link whose part has since become
    ambiguous (a namesake arrived) goes, so the links do not depend on the order of loading."""
    made = 0
    for artist_id, name in db.execute(
        "SELECT id, name FROM artist WHERE name LIKE '% & %' OR name LIKE '% x %'"
        " OR name LIKE '% and %' OR name LIKE '% × %'"
    ):
        wanted = _members(db, int(artist_id), str(name))
        have = {
            int(r[0])
            for r in db.execute(
                "SELECT member_id FROM artist_member WHERE group_id = ? AND source = ?",
                (artist_id, SOURCE),
            )
        }
        db.executemany(
            "DELETE FROM artist_member WHERE group_id = ? AND member_id = ? AND source = ?",
            [(artist_id, m, SOURCE) for m in sorted(have - wanted)],
        )
        db.executemany(
            "INSERT INTO artist_member (group_id, member_id, source) VALUES (?, ?, ?)",
            [(artist_id, m, SOURCE) for m in sorted(wanted - have)],
        )
        made += len(wanted - have)
    return made


def _members(db: Database, page: int, name: str) -> set[int]:
    """The artists a combined page joins; none when a part is no artist, or several."""
    found = [_one_artist(db, part) for part in parts(name)]
    members = {m for m in found if m is not None and m != page}
    return members if found and len(members) == len(found) else set()


def _one_artist(db: Database, name: str) -> int | None:
    rows = db.execute(
        "SELECT DISTINCT entity_id FROM identity_key WHERE entity_kind = 'artist' AND key = ?"
        " LIMIT 2",
        (f"n:{compact(name)}",),
    )
    return int(rows[0][0]) if len(rows) == 1 else None
