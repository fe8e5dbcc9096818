"""The shapes of Spotify Web API payloads at our boundary (v1 tracks, albums, artists, search).

Only the fields we read are declared; Spotify sends many more (markets, popularity, genres).
`total=False` because simplified objects (an album inside a track, a track inside an album) omit
fields the full objects have, and older responses lack fields newer ones carry.
"""

from __future__ import annotations

from typing import TypedDict


class SpotifyImage(TypedDict, total=False):
    url: str
    height: int | None
    width: int | None


class SpotifyArtistRef(TypedDict, total=False):
    """A simplified artist, as listed on tracks and albums."""

    id: str
    name: str
    type: str
    uri: str


class SpotifyArtist(SpotifyArtistRef, total=False):
    """GET /v1/artists/{id}."""

    images: list[SpotifyImage]
    genres: list[str]
    popularity: int


class SpotifyExternalIds(TypedDict, total=False):
    isrc: str
    ean: str
    upc: str


class SpotifyCopyright(TypedDict, total=False):
    text: str
    type: str  # "C" copyright, "P" phonographic copyright


class SpotifyAlbumRef(TypedDict, total=False):
    """A simplified album, as found inside a track or a search result."""

    id: str
    name: str
    album_type: str  # album, single, compilation
    artists: list[SpotifyArtistRef]
    release_date: str
    release_date_precision: str  # year, month, day
    total_tracks: int
    images: list[SpotifyImage]


class SpotifyLinkedTrack(TypedDict, total=False):
    id: str
    uri: str


class SpotifyTrack(TypedDict, total=False):
    """GET /v1/tracks/{id} (full) or an item of an album's tracks (simplified: no album, no
    external_ids)."""

    id: str | None  # null for local files
    name: str
    type: str
    artists: list[SpotifyArtistRef]
    album: SpotifyAlbumRef
    disc_number: int
    track_number: int
    duration_ms: int
    external_ids: SpotifyExternalIds
    linked_from: SpotifyLinkedTrack
    is_local: bool


class SpotifyTrackPage(TypedDict, total=False):
    """A paging object of tracks: an album's `tracks`, or GET /v1/albums/{id}/tracks."""

    href: str
    items: list[SpotifyTrack]
    offset: int
    total: int
    next: str | None


class SpotifyAlbum(SpotifyAlbumRef, total=False):
    """GET /v1/albums/{id}."""

    label: str
    external_ids: SpotifyExternalIds
    copyrights: list[SpotifyCopyright]
    tracks: SpotifyTrackPage


class SpotifyErrorDetail(TypedDict, total=False):
    status: int
    message: str


class SpotifyErrorBody(TypedDict):
    """What every failed request answers: {"error": {"status": 404, "message": "..."}}."""

    error: SpotifyErrorDetail
