"""Genius albums and search results -> records. Pure functions.

An album has two parts at Genius: GET /albums/:id (the album with its album-level credits in
`song_performances`: executive producers, A&R, labels, ...) and GET /albums/:id/tracks (paged
track list). Album-level credits are release credits, not track credits: that is where an
executive producer belongs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from linernotes.normalize.dates import parse_display_date
from linernotes.normalize.genius import (
    API,
    album_key,
    artist_record,
    artist_ref,
    performance_credits,
    require_artist,
    song_ref,
    unwrap,
)
from linernotes.normalize.pseudo import pseudo_song_reason
from linernotes.normalize.records import (
    CreditRecord,
    EntityKind,
    PayloadError,
    RecordingRecord,
    Ref,
    ReleaseRecord,
    SourceRecord,
    require_text,
)
from linernotes.normalize.role_maps import GENIUS_FIELD_ROLES
from linernotes.sources.genius_types import (
    DateComponents,
    GeniusAlbum,
    GeniusAlbumTrack,
    GeniusArtistRef,
    GeniusSearchHit,
)


def album_ref(genius_id: int | str) -> Ref:
    return Ref(EntityKind.RELEASE, API, str(genius_id))


def parse_api_album(
    payload: Mapping[str, Any], tracks: Iterable[Mapping[str, Any]], retrieved_at: str
) -> SourceRecord:
    """An album and its tracks (`tracks`: the items of every page of /albums/:id/tracks)."""
    album = cast(GeniusAlbum, unwrap(payload, "album"))
    record = SourceRecord(API, f"albums/{album['id']}", retrieved_at)
    subject = album_ref(album["id"])
    primaries = album.get("primary_artists") or [require_artist(album.get("artist"))]
    title = require_text(album.get("name"), "album name")
    record.releases.append(
        ReleaseRecord(
            subject,
            title,
            date=_album_date(album),
            also_known_as=[album_key(primaries[0]["id"], title)],
        )
    )
    artists: dict[int, GeniusArtistRef] = {}
    _main_artists(record, primaries, subject, artists)
    performance_credits(record, album.get("song_performances") or [], subject, artists)
    for index, item in enumerate(tracks, start=1):
        _track(record, cast(GeniusAlbumTrack, item), index, subject, artists)
    record.artists.extend(artist_record(a) for a in artists.values())
    return record


def _album_date(album: GeniusAlbum) -> str | None:
    parts: DateComponents = album.get("release_date_components") or {}
    year, month, day = parts.get("year"), parts.get("month"), parts.get("day")
    if year and month and day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if year and month:
        return f"{year:04d}-{month:02d}"
    if year:
        return f"{year:04d}"
    return parse_display_date(album.get("release_date_for_display"))


def _main_artists(
    record: SourceRecord,
    people: list[GeniusArtistRef],
    subject: Ref,
    artists: dict[int, GeniusArtistRef],
) -> None:
    for position, person in enumerate(people):
        person = require_artist(person)
        artists[person["id"]] = person
        record.credits.append(
            CreditRecord(
                artist_ref(person["id"]),
                subject,
                GENIUS_FIELD_ROLES["primary_artist"],
                "primary_artist",
                person.get("name", ""),
                position=position,
            )
        )


def _track(
    record: SourceRecord,
    item: GeniusAlbumTrack,
    index: int,
    album: Ref,
    artists: dict[int, GeniusArtistRef],
) -> None:
    song = item.get("song")
    if not isinstance(song, dict) or "id" not in song:
        raise PayloadError(f"album track {index} has no song with an id")
    ref = song_ref(song["id"])
    title = require_text(song.get("title"), f"title of album track {index}")
    number = item.get("number")
    record.recordings.append(
        RecordingRecord(
            ref,
            title,
            date=parse_display_date(song.get("release_date_for_display")),
            release=album,
            track_position=number or index,
            track_label=str(number) if number else None,
            pseudo_reason=pseudo_song_reason(title),
        )
    )
    primary = song.get("primary_artist")
    if primary:
        _main_artists(record, [primary], ref, artists)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A Genius search result: enough to choose, then fetch the song."""

    kind: str
    genius_id: int
    title: str
    artist: str
    url: str
    release_date: str | None


def parse_search(payload: Mapping[str, Any]) -> list[SearchHit]:
    """GET /search: the song hits, in Genius's order."""
    response = payload.get("response", payload)
    hits = response.get("hits") if isinstance(response, dict) else None
    if not isinstance(hits, list):
        raise PayloadError("not a Genius search response: no hits list")
    found: list[SearchHit] = []
    for hit in cast(list[GeniusSearchHit], hits):
        result = hit.get("result")
        if hit.get("type") != "song" or not isinstance(result, dict) or "id" not in result:
            continue
        found.append(
            SearchHit(
                "song",
                int(result["id"]),
                result.get("title") or "",
                (result.get("primary_artist") or {}).get("name", ""),
                result.get("url") or "",
                parse_display_date(result.get("release_date_for_display")),
            )
        )
    return found
