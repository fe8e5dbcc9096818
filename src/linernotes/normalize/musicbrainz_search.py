"""MusicBrainz ws/2 JSON search answers -> hits to choose from. Pure functions.

GET /ws/2/recording?query=...&fmt=json and /ws/2/release?query=...&fmt=json answer
`{"created", "count", "offset", "recordings": [...]}` (or `"releases": [...]`), each hit with the
search engine's `score` (0-100) next to the entity's own fields
(https://musicbrainz.org/doc/MusicBrainz_API/Search). A hit is only a summary to choose from:
the chosen one is then looked up by its MBID with every relationship (`ingest.live`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from linernotes.normalize.records import PayloadError

_MBID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ISRC = re.compile(r"[A-Z]{2}[A-Z0-9]{3}[0-9]{7}")
_OFFICIAL = "Official"


@dataclass(frozen=True, slots=True)
class ReleaseHit:
    """A release: a search hit of its own, or one of the releases a recording hit is on."""

    id: str
    title: str
    score: int = 0  # 0 for a release listed under a recording: only the recording was scored
    artists: tuple[str, ...] = ()
    credit: str = ""  # the artist credit as printed: "Neil Watson & Mark Sandell"
    date: str | None = None
    status: str | None = None  # Official, Promotion, Bootleg, Pseudo-Release
    kind: str | None = None  # the release group's primary type: Album, Single, EP, ...
    barcode: str | None = None
    track_count: int | None = None


@dataclass(frozen=True, slots=True)
class RecordingHit:
    id: str
    title: str
    score: int
    artists: tuple[str, ...] = ()
    credit: str = ""
    disambiguation: str = ""  # where MusicBrainz says "live", "radio edit", ... for a recording
    first_release_date: str | None = None
    length_ms: int | None = None
    isrcs: tuple[str, ...] = ()
    releases: tuple[ReleaseHit, ...] = ()

    @property
    def first_release(self) -> ReleaseHit | None:
        """The release to show it by: the earliest official one (undated ones last)."""
        if not self.releases:
            return None
        return min(self.releases, key=lambda r: (r.status != _OFFICIAL, r.date or "9999"))


def parse_recording_search(payload: Mapping[str, Any]) -> list[RecordingHit]:
    """GET /ws/2/recording?query=...: the hits in MusicBrainz's order (best score first)."""
    return [_recording(item, n) for n, item in enumerate(_items(payload, "recordings"), 1)]


def parse_release_search(payload: Mapping[str, Any]) -> list[ReleaseHit]:
    """GET /ws/2/release?query=...: the hits in MusicBrainz's order (best score first)."""
    return [
        _release(item, f"release hit {n}") for n, item in enumerate(_items(payload, "releases"), 1)
    ]


def _items(payload: object, key: str) -> list[Mapping[str, Any]]:
    if not isinstance(payload, Mapping):
        raise PayloadError(f"not a MusicBrainz search answer: a {type(payload).__name__}")
    if "error" in payload:
        raise PayloadError(f"MusicBrainz answered an error: {payload['error']!r:.200}")
    items = payload.get(key)
    if not isinstance(items, list):
        raise PayloadError(f"not a MusicBrainz {key[:-1]} search answer: no {key!r} list")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            raise PayloadError(f"{key[:-1]} hit {number} is not an object")
    return items


def _recording(item: Mapping[str, Any], number: int) -> RecordingHit:
    where = f"recording hit {number}"
    names, credit = _artist_credit(item.get("artist-credit"), where)
    releases = item.get("releases") or []
    if not isinstance(releases, list):
        raise PayloadError(f"{where}: releases is not a list")
    return RecordingHit(
        id=_mbid(item.get("id"), where),
        title=_title(item.get("title"), where),
        score=_score(item.get("score"), where),
        artists=names,
        credit=credit,
        disambiguation=_text(item.get("disambiguation")) or "",
        first_release_date=_text(item.get("first-release-date")),
        length_ms=_int(item.get("length")),
        isrcs=tuple(
            i for i in item.get("isrcs") or [] if isinstance(i, str) and _ISRC.fullmatch(i)
        ),
        releases=tuple(
            _release(r, f"{where}, release {i}", scored=False) for i, r in enumerate(releases, 1)
        ),
    )


def _release(item: Mapping[str, Any], where: str, *, scored: bool = True) -> ReleaseHit:
    if not isinstance(item, Mapping):
        raise PayloadError(f"{where} is not an object")
    names, credit = _artist_credit(item.get("artist-credit"), where)
    group = item.get("release-group")
    return ReleaseHit(
        id=_mbid(item.get("id"), where),
        title=_title(item.get("title"), where),
        score=_score(item.get("score"), where) if scored else 0,
        artists=names,
        credit=credit,
        date=_text(item.get("date")),
        status=_text(item.get("status")),
        kind=_text(group.get("primary-type")) if isinstance(group, Mapping) else None,
        barcode=_text(item.get("barcode")),
        track_count=_int(item.get("track-count")),
    )


def _artist_credit(value: object, where: str) -> tuple[tuple[str, ...], str]:
    """The credited names (as credited, which may differ from the artist's own name) and the
    whole credit as printed, join phrases included."""
    if value is None:
        return (), ""
    if not isinstance(value, list):
        raise PayloadError(f"{where}: artist-credit is not a list")
    names: list[str] = []
    printed: list[str] = []
    for part in value:
        if not isinstance(part, Mapping):
            raise PayloadError(f"{where}: an artist-credit part is not an object")
        artist = part.get("artist")
        own = artist.get("name") if isinstance(artist, Mapping) else None
        name = _text(part.get("name")) or _text(own)
        if not name:
            raise PayloadError(f"{where}: an artist-credit part has no name")
        names.append(name)
        printed.append(name + (part.get("joinphrase") or ""))
    return tuple(names), "".join(printed)


def _mbid(value: object, where: str) -> str:
    if isinstance(value, str) and _MBID.fullmatch(value):
        return value
    raise PayloadError(f"{where} has no MBID (got {value!r:.60})")


def _title(value: object, where: str) -> str:
    if isinstance(value, str) and value.strip():
        return value
    raise PayloadError(f"{where} has no title (got {value!r:.60})")


def _score(value: object, where: str) -> int:
    """Older servers wrote the score as text ("100"); both mean the same."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise PayloadError(f"{where} has no score (got {value!r:.60})")


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def hits_of(payload: Mapping[str, Any]) -> Sequence[RecordingHit | ReleaseHit]:
    """Either kind of search answer, told apart by its list."""
    if isinstance(payload, Mapping) and "recordings" in payload:
        return parse_recording_search(payload)
    if isinstance(payload, Mapping) and "releases" in payload:
        return parse_release_search(payload)
    if isinstance(payload, Mapping) and "error" in payload:
        _items(payload, "recordings")  # raises with the error MusicBrainz gave
    raise PayloadError("not a MusicBrainz search answer: no 'recordings' or 'releases' list")
