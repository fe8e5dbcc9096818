"""Spotify Web API payloads -> source records. Pure functions, tested with recorded responses.

Spotify has no credits endpoint: all it says about people is each track's and album's `artists`
list, in billing order. Those become main_artist credits; a track artist who is not among the
album's artists is billed as a guest, so featured_artist. Its value to us is identifiers:
track ISRCs, album UPCs, labels, and Spotify ids that Genius and Wikidata link to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from linernotes.normalize.records import (
    ArtistRecord,
    CreditRecord,
    EntityKind,
    FactRecord,
    PayloadError,
    Problem,
    RecordingRecord,
    Ref,
    ReleaseKind,
    ReleaseRecord,
    SourceRecord,
    require_text,
)
from linernotes.sources.spotify_types import (
    SpotifyAlbum,
    SpotifyAlbumRef,
    SpotifyArtist,
    SpotifyArtistRef,
    SpotifyTrack,
    SpotifyTrackPage,
)

SOURCE = "spotify"
RAW_ROLE = "artists"  # the only role text Spotify has: the field the names came from
MAIN, FEATURED = "main_artist", "featured_artist"

# Spotify's placeholder artist on compilations: not a person, so never credited.
VARIOUS_ARTISTS = frozenset({"0LyfQWJT6nXafLPZqxe9Of"})

RELEASE_KINDS: Mapping[str, ReleaseKind] = {
    "album": ReleaseKind.ALBUM,
    "single": ReleaseKind.SINGLE,
    "compilation": ReleaseKind.COMPILATION,
}
# release_date_precision -> how many characters of the ISO date are meant.
DATE_WIDTHS: Mapping[str, int] = {"year": 4, "month": 7, "day": 10}
COPYRIGHT_FACTS: Mapping[str, str] = {"C": "copyright", "P": "phonographic_copyright"}

_SPOTIFY_ID = re.compile(r"[0-9A-Za-z]{22}")
_ISRC = re.compile(r"[A-Z]{2}[A-Z0-9]{3}[0-9]{7}")
_ALBUM_TRACKS_PATH = re.compile(r"/albums/([0-9A-Za-z]{22})/tracks")


class SpotifyError(PayloadError):
    """Spotify answered with its error object instead of a record."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"Spotify error {status}: {message}")
        self.status = status
        self.message = message


def raise_for_error(payload: Mapping[str, Any]) -> None:
    error = payload.get("error")
    if isinstance(error, dict):
        raise SpotifyError(int(error.get("status") or 0), str(error.get("message") or ""))


def documents(text: str | bytes) -> list[Any]:
    """Every JSON document in the text: saved responses sometimes hold several back to back."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    decoder, at = json.JSONDecoder(), 0
    found: list[Any] = []
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return found
        value, at = decoder.raw_decode(text, at)
        found.append(value)


# -- identifiers ---------------------------------------------------------------------------


def normalize_isrc(raw: str) -> str | None:
    """'GB-SMU-45-66095' -> 'GBSMU4566095'; None when it cannot be an ISRC."""
    text = re.sub(r"[\s-]", "", raw).upper()
    return text if _ISRC.fullmatch(text) else None


def normalize_upc(raw: str) -> str | None:
    """One spelling per barcode, so sources agree: UPC-A (12 digits) when the code is one,
    else EAN-13. Spotify pads some UPCs to 13 or 14 digits with leading zeros."""
    digits = re.sub(r"\s", "", raw)
    if not digits.isdigit() or not 12 <= len(digits) <= 14:
        return None
    while len(digits) > 12 and digits.startswith("0"):
        digits = digits[1:]
    return digits if len(digits) <= 13 else None


def track_ref(spotify_id: str) -> Ref:
    return Ref(EntityKind.RECORDING, SOURCE, spotify_id)


def album_ref(spotify_id: str) -> Ref:
    return Ref(EntityKind.RELEASE, SOURCE, spotify_id)


def artist_ref(spotify_id: str) -> Ref:
    return Ref(EntityKind.ARTIST, SOURCE, spotify_id)


# -- records -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    """A record being built, with its artists kept once each, in order of appearance."""

    record: SourceRecord
    artists: dict[str, ArtistRecord] = field(default_factory=dict)

    def problem(self, kind: str, message: str) -> None:
        locator = f"{SOURCE}:{self.record.record_id}"
        self.record.problems.append(Problem(locator, kind, message))

    def done(self) -> SourceRecord:
        self.record.artists = list(self.artists.values())
        return self.record


def parse_track(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """GET /v1/tracks/{id}: the recording, its album and its artists."""
    raise_for_error(payload)
    track = cast(SpotifyTrack, payload)
    track_id = _require_id(track.get("id"), "track")
    draft = _Draft(SourceRecord(SOURCE, f"tracks/{track_id}", retrieved_at))
    album = track.get("album")
    release = _release(draft, cast(SpotifyAlbum, album)) if album else None
    album_artists = _artist_ids((album or {}).get("artists") or [])
    _add_recording(draft, track, release, album_artists, running=None)
    return draft.done()


def parse_album(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """GET /v1/albums/{id}: the release, its label and barcode, and the tracks listed with it."""
    raise_for_error(payload)
    album = cast(SpotifyAlbum, payload)
    album_id = _require_id(album.get("id"), "album")
    draft = _Draft(SourceRecord(SOURCE, f"albums/{album_id}", retrieved_at))
    release = _release(draft, album)
    _add_page(draft, album.get("tracks") or {}, release, _artist_ids(album.get("artists") or []))
    return draft.done()


def parse_album_tracks(
    payload: Mapping[str, Any], retrieved_at: str, album_id: str | None = None
) -> SourceRecord:
    """GET /v1/albums/{id}/tracks: one page of an album's tracks (the album id is in its href)."""
    raise_for_error(payload)
    page = cast(SpotifyTrackPage, payload)
    found = _ALBUM_TRACKS_PATH.search(page.get("href") or "")
    album_id = album_id or (found.group(1) if found else None)
    if not album_id:
        raise PayloadError("an album tracks page without an album id in its href")
    offset = int(page.get("offset") or 0)
    record_id = f"albums/{album_id}/tracks?offset={offset}"
    draft = _Draft(SourceRecord(SOURCE, record_id, retrieved_at))
    # The page says nothing about the album itself, so no album artists: the first billed
    # artist of each track is its main artist.
    _add_page(draft, page, album_ref(album_id), set())
    return draft.done()


def parse_artist(payload: Mapping[str, Any], retrieved_at: str) -> SourceRecord:
    """GET /v1/artists/{id}: the artist's name and picture (genres and popularity unused)."""
    raise_for_error(payload)
    artist = cast(SpotifyArtist, payload)
    artist_id = _require_id(artist.get("id"), "artist")
    record = SourceRecord(SOURCE, f"artists/{artist_id}", retrieved_at)
    images = artist.get("images") or []
    record.artists.append(
        ArtistRecord(
            artist_ref(artist_id),
            require_text(artist.get("name"), "artist name"),
            image_url=images[0].get("url") if images else None,  # Spotify lists largest first
        )
    )
    return record


def _release(draft: _Draft, album: SpotifyAlbum) -> Ref:
    album_id = _require_id(album.get("id"), "album")
    ref = album_ref(album_id)
    draft.record.releases.append(
        ReleaseRecord(
            ref,
            require_text(album.get("name"), "album name"),
            kind=RELEASE_KINDS.get(album.get("album_type", ""), ReleaseKind.UNKNOWN),
            date=release_date(album),
            also_known_as=_barcodes(draft, album),
        )
    )
    for position, person in enumerate(_people(album.get("artists") or [], draft)):
        _credit(draft, person, ref, MAIN, position)
    label = (album.get("label") or "").strip()
    if label:
        draft.record.facts.append(FactRecord(ref, "label", label, "label"))
    for copyright in album.get("copyrights") or []:
        letter = copyright.get("type", "")
        kind, text = COPYRIGHT_FACTS.get(letter), (copyright.get("text") or "").strip()
        if kind and text:
            draft.record.facts.append(FactRecord(ref, kind, text, f"copyrights[{letter}]"))
    return ref


def release_date(album: SpotifyAlbumRef) -> str | None:
    """The date cut to its stated precision; Spotify writes unknown dates as "0000"."""
    text = (album.get("release_date") or "").strip()
    if not text or text.startswith("0000"):
        return None
    width = DATE_WIDTHS.get(album.get("release_date_precision", ""), len(text))
    return text[:width]


def _barcodes(draft: _Draft, album: SpotifyAlbum) -> list[Ref]:
    refs: list[Ref] = []
    for key, raw in (album.get("external_ids") or {}).items():
        if key not in ("upc", "ean"):
            continue
        code = normalize_upc(str(raw))
        if code is None:
            draft.problem("invalid_id", f"album {key} {raw!r} is not a barcode; skipped")
        else:
            refs.append(Ref(EntityKind.RELEASE, "upc", code))
    return list(dict.fromkeys(refs))


def _add_page(draft: _Draft, page: SpotifyTrackPage, release: Ref, album_artists: set[str]) -> None:
    offset = int(page.get("offset") or 0)
    for index, track in enumerate(page.get("items") or []):
        try:
            _add_recording(draft, track, release, album_artists, running=offset + index + 1)
        except PayloadError as err:
            draft.problem("bad_track", f"track {offset + index + 1}: {err}; skipped")


def _add_recording(
    draft: _Draft,
    track: SpotifyTrack,
    release: Ref | None,
    album_artists: set[str],
    running: int | None,
) -> None:
    """`running` is the track's place on the whole album when known (albums list every disc's
    tracks in order); a lone track only knows its number on its own disc."""
    ref = track_ref(_require_id(track.get("id"), "track"))
    disc, number = int(track.get("disc_number") or 1), track.get("track_number")
    draft.record.recordings.append(
        RecordingRecord(
            ref,
            require_text(track.get("name"), "track name"),
            duration_ms=track.get("duration_ms"),
            also_known_as=_track_links(draft, track),
            release=release,
            track_position=running or (number if disc == 1 else None),
            track_label=_track_label(disc, number),
        )
    )
    people = _people(track.get("artists") or [], draft)
    # Spotify bills guests on the track but not on the album; with no album artist among the
    # track's (compilations, pages without the album), the first billed is the main artist.
    mains = {p["id"] for p in people if p["id"] in album_artists} or {p["id"] for p in people[:1]}
    for position, person in enumerate(people):
        _credit(draft, person, ref, MAIN if person["id"] in mains else FEATURED, position)


def _track_label(disc: int, number: int | None) -> str | None:
    if number is None:
        return None
    return f"{disc}-{number}" if disc > 1 else str(number)


def _track_links(draft: _Draft, track: SpotifyTrack) -> list[Ref]:
    links: list[Ref] = []
    raw = (track.get("external_ids") or {}).get("isrc")
    if raw:
        isrc = normalize_isrc(raw)
        if isrc is None:
            draft.problem("invalid_id", f"track {track.get('id')} ISRC {raw!r} is invalid")
        else:
            links.append(Ref(EntityKind.RECORDING, "isrc", isrc))
    # Track relinking: the market's copy of the same recording under another Spotify id.
    linked = (track.get("linked_from") or {}).get("id")
    if linked and _SPOTIFY_ID.fullmatch(linked) and linked != track.get("id"):
        links.append(track_ref(linked))
    return links


def _people(artists: list[SpotifyArtistRef], draft: _Draft | None = None) -> list[SpotifyArtistRef]:
    """The billed artists that are people with usable ids; `draft` hears about the others."""
    people: list[SpotifyArtistRef] = []
    for artist in artists:
        artist_id = artist.get("id") or ""
        if _SPOTIFY_ID.fullmatch(artist_id):
            if artist_id not in VARIOUS_ARTISTS:
                people.append(artist)
        elif draft is not None:
            name = artist.get("name")
            draft.problem("invalid_id", f"artist {name!r} has no Spotify id ({artist_id!r})")
    return people


def _artist_ids(artists: list[SpotifyArtistRef]) -> set[str]:
    return {a["id"] for a in _people(artists)}


def _credit(draft: _Draft, person: SpotifyArtistRef, subject: Ref, role: str, pos: int) -> None:
    ref, name = artist_ref(person["id"]), person.get("name") or ""
    draft.artists.setdefault(person["id"], ArtistRecord(ref, name))
    draft.record.credits.append(CreditRecord(ref, subject, role, RAW_ROLE, name, position=pos))


# -- several records in one response -------------------------------------------------------

_LIST_PARSERS = {"tracks": parse_track, "albums": parse_album, "artists": parse_artist}
_OBJECT_PARSERS = {"track": parse_track, "album": parse_album, "artist": parse_artist}


def parse_response(payload: Mapping[str, Any], retrieved_at: str) -> list[SourceRecord]:
    """Any saved lookup response: one object, a list of them (several ids, top tracks, related
    artists) or an album's tracks page. Search responses go to `search_candidates` instead."""
    raise_for_error(payload)
    parse = _OBJECT_PARSERS.get(str(payload.get("type")))
    if parse is not None:
        return [parse(payload, retrieved_at)]
    if _ALBUM_TRACKS_PATH.search(str(payload.get("href") or "")):
        return [parse_album_tracks(payload, retrieved_at)]
    for key, parse_each in _LIST_PARSERS.items():
        items = payload.get(key)
        if isinstance(items, list):
            # Lookups of several ids answer null for ids Spotify does not know: nothing to say.
            return [parse_each(item, retrieved_at) for item in items if item]
        if isinstance(items, dict) and "items" in items:
            raise PayloadError("a search response: read it with search_candidates")
    raise PayloadError("not a Spotify track, album or artist response")


# -- search --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpotifyCandidate:
    """One search hit, summarised for a live look-up to choose from (not stored as a record)."""

    kind: str  # track, album, artist
    id: str
    name: str
    artists: tuple[str, ...] = ()
    album: str = ""
    date: str | None = None
    isrc: str | None = None
    upc: str | None = None


def search_candidates(payload: Mapping[str, Any]) -> list[SpotifyCandidate]:
    """Hits of GET /v1/search, tracks then albums then artists, in Spotify's order."""
    raise_for_error(payload)
    found: list[SpotifyCandidate] = []
    for group in ("tracks", "albums", "artists"):
        page = payload.get(group)
        items = page.get("items") if isinstance(page, dict) else None
        for item in items or []:
            if isinstance(item, dict) and item.get("id"):
                found.append(_candidate(item))
    return found


def _candidate(item: Mapping[str, Any]) -> SpotifyCandidate:
    kind = str(item.get("type") or "")
    album = cast(SpotifyAlbum, item.get("album") if kind == "track" else item)
    artists = tuple(a.get("name", "") for a in item.get("artists") or [] if a.get("name"))
    ids = cast(Mapping[str, str], item.get("external_ids") or {})
    album_ids = cast(Mapping[str, str], album.get("external_ids") or {}) if album else {}
    barcode = album_ids.get("upc") or album_ids.get("ean")
    return SpotifyCandidate(
        kind=kind,
        id=str(item["id"]),
        name=str(item.get("name") or ""),
        artists=artists,
        album=album.get("name", "") if kind == "track" and album else "",
        date=release_date(album) if album and kind != "artist" else None,
        isrc=normalize_isrc(ids["isrc"]) if ids.get("isrc") else None,
        upc=normalize_upc(barcode) if barcode and kind == "album" else None,
    )


# -- checks ---------------------------------------------------------------------------------


def _require_id(value: object, what: str) -> str:
    if isinstance(value, str) and _SPOTIFY_ID.fullmatch(value):
        return value
    raise PayloadError(f"{what} has no usable Spotify id (got {value!r:.40})")
