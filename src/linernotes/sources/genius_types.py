"""The shapes of Genius payloads at our boundary: the API's JSON and the 2017 snapshot's rows.

Only the fields we read are declared; Genius sends many more. `total=False` where Genius omits
fields or sends null.
"""

from __future__ import annotations

from typing import TypedDict


class GeniusArtistRef(TypedDict, total=False):
    id: int
    name: str
    url: str
    image_url: str | None
    is_verified: bool


class GeniusArtist(GeniusArtistRef, total=False):
    alternate_names: list[str]
    instagram_name: str | None
    twitter_name: str | None
    facebook_name: str | None
    followers_count: int


class GeniusPerformance(TypedDict):
    label: str
    artists: list[GeniusArtistRef]


class GeniusMedia(TypedDict, total=False):
    provider: str
    type: str
    url: str
    native_uri: str


class GeniusAlbumRef(TypedDict, total=False):
    id: int
    name: str
    url: str
    release_date_for_display: str | None
    artist: GeniusArtistRef


class GeniusRelatedSong(TypedDict, total=False):
    id: int
    full_title: str


class GeniusSongRelationship(TypedDict, total=False):
    relationship_type: str  # remix_of, remixed_by, live_version_of, cover_of, samples, ...
    type: str  # the same, in older responses
    songs: list[GeniusRelatedSong]


class GeniusSong(TypedDict, total=False):
    id: int
    title: str
    url: str
    release_date: str | None
    release_date_for_display: str | None
    apple_music_id: str | None
    primary_artist: GeniusArtistRef
    primary_artists: list[GeniusArtistRef]
    featured_artists: list[GeniusArtistRef]
    producer_artists: list[GeniusArtistRef]
    writer_artists: list[GeniusArtistRef]
    custom_performances: list[GeniusPerformance]
    media: list[GeniusMedia]
    album: GeniusAlbumRef | None
    song_relationships: list[GeniusSongRelationship]


class SnapshotSong(TypedDict):
    """A row of genius-2017/songs.jsonl."""

    id: int
    title: str
    album: str | None
    label: str | None
    release_date_for_display: str | None
    youtube_url: str | None
    primary_artist_ids: list[int]
    producer_artist_ids: list[int]
    writer_artist_ids: list[int]


class SnapshotArtist(TypedDict, total=False):
    """A row of genius-2017/artists.jsonl."""

    id: int
    name: str
    url: str
    image_url: str | None
    followers_count: int
    iq: int | None


class SnapshotChartEntry(TypedDict):
    """A row of genius-2017/chart_entries.jsonl."""

    chart: str
    date_utc: str
    song_id: int
    position: int
    streams: int | None


class DateComponents(TypedDict, total=False):
    year: int | None
    month: int | None
    day: int | None


class GeniusAlbum(TypedDict, total=False):
    """GET /albums/:id -> response.album."""

    id: int
    name: str
    url: str
    release_date_for_display: str | None
    release_date_components: DateComponents | None
    artist: GeniusArtistRef
    primary_artists: list[GeniusArtistRef]
    song_performances: list[GeniusPerformance]


class GeniusAlbumTrack(TypedDict, total=False):
    """GET /albums/:id/tracks -> response.tracks[]: the song as a short object."""

    number: int | None
    song: GeniusSong


class GeniusSearchHit(TypedDict, total=False):
    """GET /search -> response.hits[]."""

    type: str
    index: str
    result: GeniusSong
