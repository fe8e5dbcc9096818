"""Identifiers and pasted links go straight to their entity: an ISRC, a barcode, a source's URL.

Recognising comes first and is strict: a query is treated as an identifier only when it can be
nothing else (an ISRC's shape, 8 to 14 digits, a link of a source we know), so a name that
happens to contain digits still goes to name search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from linernotes.ingest.live import parse_url
from linernotes.normalize.ids import normalize_barcode
from linernotes.normalize.records import EntityKind
from linernotes.normalize.spotify import normalize_isrc
from linernotes.store.db import Database

_KINDS = {
    "track": EntityKind.RECORDING,
    "song": EntityKind.RECORDING,
    "recording": EntityKind.RECORDING,
    "album": EntityKind.RELEASE,
    "release": EntityKind.RELEASE,
    "artist": EntityKind.ARTIST,
}
# Links whose key is not a fetchable id: page slugs and Apple Music's track parameter.
_PAGES: tuple[tuple[re.Pattern[str], EntityKind, str], ...] = (
    (
        re.compile(r"genius\.com/([A-Za-z0-9-]+-lyrics)/?(?:[?#].*)?$"),
        EntityKind.RECORDING,
        "genius_page",
    ),
    (
        re.compile(r"genius\.com/artists/([A-Za-z][A-Za-z0-9-]*)/?(?:[?#].*)?$"),
        EntityKind.ARTIST,
        "genius_slug",
    ),
    (re.compile(r"music\.apple\.com/.*[?&]i=(\d+)"), EntityKind.RECORDING, "apple_music"),
    (
        re.compile(r"music\.apple\.com/[a-z]{2}/album/[^/]+/(\d+)/?(?:[?#].*)?$"),
        EntityKind.RELEASE,
        "apple_music",
    ),
    (
        re.compile(r"music\.apple\.com/[a-z]{2}/artist/[^/]+/(\d+)"),
        EntityKind.ARTIST,
        "apple_music",
    ),
)
_DIGITS_ONLY = re.compile(r"^[\d\s-]{8,20}$")


@dataclass(frozen=True, slots=True)
class IdentifierHit:
    kind: EntityKind
    entity_id: int
    how: str  # "ISRC GBAHS1600463", "Spotify track link", "barcode 0731451847820"


@dataclass(frozen=True, slots=True)
class Identifier:
    """What a query was recognised as; `refs` are (kind or None for any, namespace, value)."""

    label: str
    refs: tuple[tuple[EntityKind | None, str, str], ...]
    barcode: str | None = None


def recognise(text: str) -> Identifier | None:
    query = text.strip()
    if "://" in query or query.startswith(("www.", "open.spotify", "genius.com", "music.apple")):
        return _link(query)
    isrc = normalize_isrc(query)
    if isrc and any(c.isalpha() for c in isrc[:2]):
        return Identifier(f"ISRC {isrc}", ((EntityKind.RECORDING, "isrc", isrc),))
    if _DIGITS_ONLY.match(query):
        barcode = normalize_barcode(query)
        if barcode:
            return Identifier(f"barcode {barcode}", (), barcode)
    return None


def _link(url: str) -> Identifier | None:
    for pattern, kind, namespace in _PAGES:
        match = pattern.search(url)
        if match:
            return Identifier(f"{namespace.replace('_', ' ')} link", ((kind, namespace, match[1]),))
    target = parse_url(url)
    if target is None:
        return None
    source = "discogs_master" if target.kind == "master" else target.source
    any_kind = _KINDS.get(target.kind)  # wikidata "entity": any kind
    return Identifier(f"{target.source} {target.kind} link", ((any_kind, source, target.key),))


def lookup(db: Database, text: str) -> list[IdentifierHit] | None:
    """Entities the identifier or link names; None when the text is not one (search names)."""
    found = recognise(text)
    if found is None:
        return None
    hits: list[IdentifierHit] = []
    for kind, namespace, value in found.refs:
        rows = db.execute(
            "SELECT entity_kind, entity_id FROM external_id WHERE namespace = ? AND value = ?"
            + (" AND entity_kind = ?" if kind else ""),
            (namespace, value, kind.value) if kind else (namespace, value),
        )
        hits.extend(IdentifierHit(EntityKind(k), int(i), found.label) for k, i in rows)
    if found.barcode:
        rows = db.execute(
            "SELECT DISTINCT subject_id FROM fact WHERE subject_kind = 'release'"
            " AND kind = 'barcode' AND value = ?",
            (found.barcode,),
        )
        hits.extend(IdentifierHit(EntityKind.RELEASE, int(r[0]), found.label) for r in rows)
    return hits
