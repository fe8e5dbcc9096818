"""The shapes of MusicBrainz ws/2 JSON at our boundary (lookups and the JSON dumps alike).

Only the fields we read are declared; MusicBrainz sends many more. Its keys are hyphenated
("artist-credit", "target-type"), so the TypedDicts use the functional form. Everything is
`total=False`: which keys appear depends on the `inc=` parameters of the request.

One other spelling reaches us: beets stores MusicBrainz responses with snake_case keys and the
relations split by target type (`artist_relations`, `url_relations`, ...). :func:`ws2_shape` turns
that back into the ws/2 shape so one parser reads both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

MbAlias = TypedDict(
    "MbAlias",
    {"name": str, "sort-name": str, "type": str | None, "locale": str | None, "primary": bool},
    total=False,
)

MbArtist = TypedDict(
    "MbArtist",
    {
        "id": str,
        "name": str,
        "sort-name": str,
        "disambiguation": str,
        "type": str | None,
        "aliases": list[MbAlias],
        "relations": list["MbRelation"],
    },
    total=False,
)


class MbArtistCredit(TypedDict, total=False):
    name: str  # the artist's name as credited here
    joinphrase: str  # the text after this artist: " & ", " feat. "
    artist: MbArtist


class MbUrl(TypedDict, total=False):
    id: str
    resource: str


class MbNamed(TypedDict, total=False):
    """A label or a place: a name with an MBID."""

    id: str
    name: str


class MbWork(TypedDict, total=False):
    id: str
    title: str
    relations: list[MbRelation]


MbRelation = TypedDict(
    "MbRelation",
    {
        "type": str,
        "target-type": str,
        "direction": str,  # "forward" or "backward", seen from the entity that holds the list
        "attributes": list[str],
        "attribute-credits": dict[str, str],  # attribute -> how the release credits it
        "target-credit": str,  # the target's name as credited; "" when not stated
        "ended": bool,
        "artist": MbArtist,
        "work": MbWork,
        "url": MbUrl,
        "label": MbNamed,
        "place": MbNamed,
    },
    total=False,
)

MbRecording = TypedDict(
    "MbRecording",
    {
        "id": str,
        "title": str,
        "length": int | None,
        "first-release-date": str,
        "isrcs": list[str],
        "video": bool,
        "artist-credit": list[MbArtistCredit],
        "relations": list[MbRelation],
    },
    total=False,
)

MbTrack = TypedDict(
    "MbTrack",
    {
        "id": str,
        "number": str,
        "position": int,
        "title": str,
        "length": int | None,
        "artist-credit": list[MbArtistCredit],
        "recording": MbRecording,
    },
    total=False,
)

MbMedium = TypedDict(
    "MbMedium",
    {
        "position": int,
        "format": str | None,
        "pregap": MbTrack,
        "tracks": list[MbTrack],
        "data-tracks": list[MbTrack],
    },
    total=False,
)

MbLabelInfo = TypedDict(
    "MbLabelInfo", {"catalog-number": str | None, "label": MbNamed | None}, total=False
)

MbReleaseGroup = TypedDict(
    "MbReleaseGroup",
    {
        "id": str,
        "title": str,
        "primary-type": str | None,
        "secondary-types": list[str],
        "first-release-date": str,
        "artist-credit": list[MbArtistCredit],
        "releases": list["MbRelease"],
    },
    total=False,
)

MbRelease = TypedDict(
    "MbRelease",
    {
        "id": str,
        "title": str,
        "date": str,
        "status": str | None,
        "barcode": str | None,
        "artist-credit": list[MbArtistCredit],
        "release-group": MbReleaseGroup,
        "label-info": list[MbLabelInfo],
        "media": list[MbMedium],
        "relations": list[MbRelation],
    },
    total=False,
)

# -- the beets spelling --------------------------------------------------------------------

_BEETS_RELATIONS_SUFFIX = "_relations"
# Maps whose keys are attribute names, not field names: their keys stay as written.
_VERBATIM_KEYS = frozenset({"attribute-values", "attribute-ids", "attribute-credits"})


def is_beets_shape(payload: Mapping[str, Any]) -> bool:
    """ws/2 keys never contain '_'; beets's always do somewhere at the top level."""
    return any("_" in key for key in payload)


def ws2_shape(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The payload in ws/2 spelling: hyphenated keys, one `relations` list with `target-type`."""
    if not is_beets_shape(payload):
        return payload  # the common case (every dump line): no copy
    converted = _convert(payload)
    assert isinstance(converted, dict)
    return converted


def _convert(value: Any) -> Any:
    if isinstance(value, list):
        return [_convert(item) for item in value]
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    relations: list[dict[str, Any]] = []
    for key, item in value.items():
        if key.endswith(_BEETS_RELATIONS_SUFFIX) and isinstance(item, list):
            target = key.removesuffix(_BEETS_RELATIONS_SUFFIX).replace("_", "-")
            relations.extend({**_convert(rel), "target-type": target} for rel in item)
            continue
        name = key.replace("_", "-")
        out[name] = (
            dict(item) if name in _VERBATIM_KEYS and isinstance(item, Mapping) else (_convert(item))
        )
    if relations:
        out["relations"] = relations
    return out
