"""Discogs API payloads -> source records. Pure functions, tested with real recorded responses.

The API's JSON is first brought to the internal shape (`discogs_types.Release`, `Artist`, ...)
that the monthly XML dumps are also read into (`sources.discogs_dump`), so one builder
(`discogs_release`, `discogs_artist`) makes the records for both and a release says the same
whichever way it arrived. Record ids are the same too ("releases/9343063").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linernotes.normalize.discogs_artist import (
    SOURCE,
    artist_record,
    split_name,
)
from linernotes.normalize.discogs_release import master_record, release_record
from linernotes.normalize.records import PayloadError, SourceRecord
from linernotes.sources.discogs_types import (
    Artist,
    Company,
    Credit,
    EntityRef,
    Format,
    Identifier,
    Label,
    Master,
    Release,
    Track,
)

__all__ = [
    "SOURCE",
    "PayloadError",
    "artist_from_api",
    "artist_record",
    "label_from_api",
    "listed_items",
    "master_from_api",
    "master_record",
    "next_page_url",
    "parse_api_artist",
    "parse_api_master",
    "parse_api_release",
    "release_from_api",
    "release_record",
    "split_name",
]

TRACK_KINDS = frozenset({"track", "heading", "index"})


def parse_api_release(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """GET /releases/{id}."""
    return release_record(release_from_api(payload), retrieved_at)


def parse_api_artist(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """GET /artists/{id}."""
    return artist_record(artist_from_api(payload), retrieved_at)


def parse_api_master(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """GET /masters/{id}."""
    return master_record(master_from_api(payload), retrieved_at)


# -- JSON -> the internal shape ----------------------------------------------------------------


def release_from_api(payload: Mapping[str, Any]) -> Release:
    _require_object(payload, "release")
    return Release(
        id=_int(payload.get("id")),
        title=_str(payload.get("title")),
        released=_str(payload.get("released")),
        master_id=_int(payload.get("master_id")),
        artists=_credits(payload.get("artists")),
        extraartists=_credits(payload.get("extraartists")),
        labels=[_company(c, "Label") for c in _objects(payload.get("labels"))],
        companies=[_company(c, None) for c in _objects(payload.get("companies"))],
        formats=[
            Format(name=_str(f.get("name")), descriptions=_strings(f.get("descriptions")))
            for f in _objects(payload.get("formats"))
        ],
        identifiers=[
            Identifier(type=_str(i.get("type")), value=_str(i.get("value")))
            for i in _objects(payload.get("identifiers"))
        ],
        tracklist=[_track(t) for t in _objects(payload.get("tracklist"))],
    )


def artist_from_api(payload: Mapping[str, Any]) -> Artist:
    _require_object(payload, "artist")
    return Artist(
        id=_int(payload.get("id")),
        name=_str(payload.get("name")),
        realname=_str(payload.get("realname")),
        namevariations=_strings(payload.get("namevariations")),
        aliases=_refs(payload.get("aliases")),
        members=_refs(payload.get("members")),
        groups=_refs(payload.get("groups")),
        urls=_strings(payload.get("urls")),
    )


def master_from_api(payload: Mapping[str, Any]) -> Master:
    _require_object(payload, "master")
    return Master(
        id=_int(payload.get("id")),
        main_release=_int(payload.get("main_release")),
        title=_str(payload.get("title")),
        artists=_credits(payload.get("artists")),
    )


def label_from_api(payload: Mapping[str, Any]) -> Label:
    """GET /labels/{id}: kept as a plain label description (see `sources.discogs_dump`)."""
    _require_object(payload, "label")
    parent = payload.get("parent_label")
    return Label(
        id=_int(payload.get("id")),
        name=_str(payload.get("name")),
        urls=_strings(payload.get("urls")),
        parent=_ref(parent) if isinstance(parent, Mapping) else None,
        sublabels=_refs(payload.get("sublabels")),
    )


def listed_items(payload: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(type, id) of each row of a search page or an artist's release list, in order."""
    rows = payload.get("results", payload.get("releases"))
    return [(_str(row.get("type")), _int(row.get("id"))) for row in _objects(rows)]


def next_page_url(payload: Mapping[str, Any]) -> str | None:
    pagination = payload.get("pagination")
    urls = pagination.get("urls") if isinstance(pagination, Mapping) else None
    found = urls.get("next") if isinstance(urls, Mapping) else None
    return found if isinstance(found, str) and found else None


def _track(track: Mapping[str, Any]) -> Track:
    subs = [_track(s) for s in _objects(track.get("sub_tracks"))]
    position = _str(track.get("position"))
    kind = _str(track.get("type_"))
    if kind not in TRACK_KINDS:  # older payloads carry no type_: infer it as the dump does
        kind = "track" if position else "index" if subs else "heading"
    return Track(
        position=position,
        kind=kind,
        title=_str(track.get("title")),
        duration=_str(track.get("duration")),
        artists=_credits(track.get("artists")),
        extraartists=_credits(track.get("extraartists")),
        sub_tracks=subs,
    )


def _credits(value: object) -> list[Credit]:
    return [
        Credit(
            id=_int(c.get("id")),
            name=_str(c.get("name")),
            anv=_str(c.get("anv")),
            join=_str(c.get("join")),
            role=_str(c.get("role")),
            tracks=_str(c.get("tracks")),
        )
        for c in _objects(value)
    ]


def _company(company: Mapping[str, Any], role: str | None) -> Company:
    return Company(
        id=_int(company.get("id")),
        name=_str(company.get("name")),
        catno=_str(company.get("catno")),
        role=role or _str(company.get("entity_type_name")),
    )


def _refs(value: object) -> list[EntityRef]:
    return [_ref(r) for r in _objects(value)]


def _ref(value: Mapping[str, Any]) -> EntityRef:
    return EntityRef(id=_int(value.get("id")), name=_str(value.get("name")))


# -- tolerant readers: Discogs omits fields and sends null ------------------------------------


def _require_object(payload: object, kind: str) -> None:
    if not isinstance(payload, Mapping) or "id" not in payload:
        raise PayloadError(f"not a Discogs {kind}: no object with an id")


def _int(value: object) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return 0


def _str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _strings(value: object) -> list[str]:
    return [v.strip() for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _objects(value: object) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []
