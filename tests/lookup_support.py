"""What the look-up tests share: a catalog that has never heard of "24K Magic", and the sources
answering from recorded responses (synthetic ones where nothing was recorded; see
tests/fixtures/synthetic/).

Each source gets its own HTTP client and fake clock, as if each had the machine to itself: the
sources run at once, and a source's time budget runs on its own timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from linernotes.demo.build import data_dir
from linernotes.ingest import readers
from linernotes.ingest.pipeline import Item, Stream
from linernotes.normalize.fold import fold
from linernotes.normalize.records import SourceRecord
from linernotes.settings import Secret
from linernotes.sources.http import HttpClient
from linernotes.sources.http_policy import Credentials
from linernotes.sources.ratelimit import FakeClock
from linernotes.sources.replay import ReplayTransport, Route, recorded_response

DEMO = data_dir()
SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic"
GENIUS_ONLY = Credentials({"GENIUS_TOKEN": Secret("g-token")})
ALBUM = "24k magic"


def without_24k_magic() -> list[Stream]:
    """The 2017 snapshot and the handles file, less every song of the "24K Magic" album: a
    catalog built without the album's and Bruno Mars's API responses, that has never seen it."""

    def kept(item: Item) -> bool:
        if not isinstance(item, SourceRecord):
            return True
        titles = [r.title for r in item.releases] + [r.title for r in item.recordings]
        return not any(fold(t) == ALBUM for t in titles)

    def filtered(stream: Stream) -> Stream:
        def items(after: int) -> Iterator[tuple[int, Item]]:
            return ((n, i) for n, i in stream.items(after) if kept(i))

        return Stream(stream.name, stream.fingerprint, items)

    return [
        readers.snapshot_artists(DEMO / "genius-2017-artists.jsonl.gz"),
        filtered(readers.snapshot_songs(DEMO / "genius-2017-songs.jsonl.gz")),
        readers.handles_file(DEMO / "instagram_handles.jsonl.gz"),
    ]


def genius_404(request: httpx.Request) -> httpx.Response:
    """Genius's answer for an id nobody recorded: 404 with its documented error body
    (docs.genius.com, "Response format": `{"meta": {"status", "message"}}`)."""
    return httpx.Response(404, json={"meta": {"status": 404, "message": "Not found"}})


def musicbrainz_no_hits(request: httpx.Request) -> httpx.Response:
    """A MusicBrainz search with no hits, in its documented JSON shape
    (musicbrainz.org/doc/MusicBrainz_API/Search: created, count, offset, and the entity list)."""
    kind = "recordings" if request.url.path.endswith("/recording") else "releases"
    return httpx.Response(
        200, json={"created": "2026-11-22T00:00:00.000Z", "count": 0, "offset": 0, kind: []}
    )


def routes() -> list[Route]:
    """Genius: the synthetic search, the recorded song 2872960 and artist 500, the synthetic
    album 229460 and its tracks, 404 for anything else; MusicBrainz: searches find nothing."""
    genius = SYNTHETIC / "genius"
    return [
        Route("GET", "api.genius.com", r"/search", genius / "search_24k_magic.json", {"q": None}),
        Route("GET", "api.genius.com", r"/songs/2872960", DEMO / "genius-api-song_2872960.json.gz"),
        Route("GET", "api.genius.com", r"/artists/500", DEMO / "genius-api-artist_500.json.gz"),
        Route("GET", "api.genius.com", r"/albums/229460", genius / "album_229460.json"),
        Route(
            "GET", "api.genius.com", r"/albums/229460/tracks", genius / "album_229460_tracks.json"
        ),
        Route("GET", "api.genius.com", r"/.*", genius_404),
        Route("GET", "musicbrainz.org", r"/ws/2/(recording|release)", musicbrainz_no_hits),
    ]


class Sources:
    """One replay transport (every request any source makes is in `requests`), and a client per
    source with its own fake clock."""

    def __init__(
        self,
        cache: Path,
        extra: list[Route] | None = None,
        credentials: Credentials = GENIUS_ONLY,
    ) -> None:
        self.transport = ReplayTransport([*(extra or []), *routes()])
        self.clocks: dict[str, FakeClock] = {}
        self._clients: dict[str, HttpClient] = {}
        self._cache = cache
        self._credentials = credentials

    @property
    def requests(self) -> list[httpx.Request]:
        return self.transport.requests

    def hosts(self) -> list[str]:
        return [r.url.host for r in self.requests]

    def client_for(self, source: str) -> HttpClient:
        if source not in self._clients:
            clock = self.clocks[source] = FakeClock()
            self._clients[source] = HttpClient(
                transport=self.transport,
                clock=clock,
                credentials=self._credentials,
                cache_dir=self._cache / source,
            )
        return self._clients[source]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()


def slow(
    reply: Path, clock: Callable[[], FakeClock], seconds: float
) -> Callable[[httpx.Request], httpx.Response]:
    """A recorded answer that takes `seconds` to come (on the source's fake clock)."""

    def answer(request: httpx.Request) -> httpx.Response:
        clock().advance(seconds)
        return recorded_response(reply)

    return answer
