"""Live connectors: fetch one thing from a source through the HTTP layer, parse it, stream it.

One small interface for every source (after beets' metadata sources): `fetch(source, kind, key)`
gives the items to ingest, and `parse_url` turns a pasted link into (source, kind, key). A source
error (no token, rate limited, down, garbage) becomes a Problem that says what to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from linernotes.ingest.pipeline import Item, Stream
from linernotes.normalize import discogs, musicbrainz, spotify, wikidata
from linernotes.normalize.genius import parse_api_artist, parse_api_song
from linernotes.normalize.genius_album import parse_api_album, parse_search
from linernotes.normalize.records import PayloadError, Problem
from linernotes.sources.http import HttpClient, SourceError
from linernotes.store.db import now_iso

# MusicBrainz lookups with every relationship a credit needs (ws/2 `inc` parameters).
MB_INC = {
    "recording": "artist-credits+isrcs+releases+artist-rels+work-rels+work-level-rels",
    "release": "recordings+artist-credits+labels+release-groups+artist-rels"
    "+recording-level-rels+work-rels+work-level-rels",
    "artist": "aliases+url-rels",
}
GENIUS_PAGE = 50  # tracks per page of /albums/:id/tracks


@dataclass(frozen=True, slots=True)
class Target:
    source: str
    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.key}"


Fetcher = Callable[[HttpClient, str, str], list[Item]]


def _genius(http: HttpClient, kind: str, key: str) -> list[Item]:
    when = now_iso()
    if kind == "song":
        return [parse_api_song(http.get_json("genius", f"songs/{key}"), when)]
    if kind == "artist":
        return [parse_api_artist(http.get_json("genius", f"artists/{key}"), when)]
    album = http.get_json("genius", f"albums/{key}")
    return [parse_api_album(album, list(_genius_tracks(http, key)), when)]


def _genius_tracks(http: HttpClient, album: str) -> Iterator[Any]:
    page: int | None = 1
    while page:
        body = http.get_json(
            "genius", f"albums/{album}/tracks", {"per_page": str(GENIUS_PAGE), "page": str(page)}
        )
        response = body.get("response", body)
        yield from response.get("tracks") or []
        page = response.get("next_page")


def _musicbrainz(http: HttpClient, kind: str, key: str) -> list[Item]:
    payload = http.get_json("musicbrainz", f"{kind}/{key}", {"inc": MB_INC[kind]})
    parser = {
        "recording": musicbrainz.parse_recording,
        "release": musicbrainz.parse_release,
        "artist": musicbrainz.parse_artist,
    }[kind]
    return [parser(payload, now_iso())]


def _discogs(http: HttpClient, kind: str, key: str) -> list[Item]:
    payload = http.get_json("discogs", f"{kind}s/{key}")
    parser = {
        "release": discogs.parse_api_release,
        "artist": discogs.parse_api_artist,
        "master": discogs.parse_api_master,
    }[kind]
    return [parser(payload, now_iso())]


def _spotify(http: HttpClient, kind: str, key: str) -> list[Item]:
    payload = http.get_json("spotify", f"{kind}s/{key}")
    return list(spotify.parse_response(payload, now_iso()))


def _wikidata(http: HttpClient, kind: str, key: str) -> list[Item]:
    payload = http.get_json("wikidata", f"wiki/Special:EntityData/{key}.json")
    return [wikidata.parse_entity(payload, qid=key)]


# source -> (kinds it can fetch, fetcher)
SOURCES: dict[str, tuple[tuple[str, ...], Fetcher]] = {
    "genius": (("song", "album", "artist"), _genius),
    "musicbrainz": (("recording", "release", "artist"), _musicbrainz),
    "discogs": (("release", "artist", "master"), _discogs),
    "spotify": (("track", "album", "artist"), _spotify),
    "wikidata": (("entity",), _wikidata),
}


def fetch(http: HttpClient, target: Target) -> list[Item]:
    """The records for a target; a failing source gives one Problem saying why."""
    kinds, fetcher = SOURCES[target.source]
    if target.kind not in kinds:
        return [
            Problem(
                str(target),
                "bad_request",
                f"{target.source} can fetch {', '.join(kinds)}, not {target.kind}",
            )
        ]
    try:
        return fetcher(http, target.kind, target.key)
    except SourceError as err:
        return [Problem(str(target), "source_error", str(err))]
    except (PayloadError, KeyError, TypeError, ValueError) as err:
        return [Problem(str(target), "bad_response", f"{target.source} answered garbage: {err}")]


def stream(http: HttpClient, targets: list[Target]) -> Stream:
    """A stream over live fetches. Its fingerprint is the time: a fetch is always new input;
    records that did not change since the last fetch are still skipped by their hash."""

    def items(after: int) -> Iterator[tuple[int, Item]]:
        for number, target in enumerate(targets, start=1):
            if number > after:
                for item in fetch(http, target):
                    yield number, item

    name = "live:" + ",".join(str(t).replace(" ", ":") for t in targets)
    return Stream(name, now_iso(), items)


# -- links ------------------------------------------------------------------------------------

_MBID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_URLS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"open\.spotify\.com/(?:intl-[a-z]+/)?(track|album|artist)/([A-Za-z0-9]{22})"),
        "spotify",
        "",
    ),
    (re.compile(rf"musicbrainz\.org/(recording|release|artist)/({_MBID})"), "musicbrainz", ""),
    (re.compile(r"discogs\.com/(?:[a-z]{2}/)?(release|artist|master)/(\d+)"), "discogs", ""),
    (re.compile(r"wikidata\.org/(?:wiki|entity)/(Q\d+)"), "wikidata", "entity"),
    (re.compile(r"genius\.com/albums/(\d+)"), "genius", "album"),
    (re.compile(r"genius\.com/songs/(\d+)"), "genius", "song"),
    (re.compile(r"genius\.com/artists/(\d+)"), "genius", "artist"),
)
_GENIUS_SONG_PAGE = re.compile(r"genius\.com/([A-Za-z0-9-]+-lyrics)/?$")


def parse_url(url: str) -> Target | None:
    """A pasted link as a fetch target; None when no source's link looks like it."""
    text = url.strip()
    for pattern, source, kind in _URLS:
        match = pattern.search(text)
        if match:
            groups = match.groups()
            return Target(source, kind or groups[0], groups[-1])
    return None


def genius_song_for_page(http: HttpClient, url: str) -> Target | None:
    """A Genius song page ("…-lyrics") has no id in it: search its words, keep the exact page."""
    match = _GENIUS_SONG_PAGE.search(url.strip().split("?")[0])
    if not match:
        return None
    words = match[1].removesuffix("-lyrics").replace("-", " ")
    wanted = url.strip().split("?")[0].rstrip("/").replace("http://", "https://")
    for hit in parse_search(http.get_json("genius", "search", {"q": words})):
        if hit.url.rstrip("/").replace("http://", "https://") == wanted:
            return Target("genius", "song", str(hit.genius_id))
    return None


def album_of_song(http: HttpClient, song: Target) -> Target | None:
    """The Genius album a song is on (to ingest a whole album from one song's link)."""
    if song.source != "genius" or song.kind != "song":
        return None
    body = http.get_json("genius", f"songs/{song.key}")
    found = body.get("response", body).get("song", body).get("album")
    return Target("genius", "album", str(found["id"])) if isinstance(found, dict) else None
