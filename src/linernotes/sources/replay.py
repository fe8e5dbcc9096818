"""The test transport: answer requests from recorded responses, never from the network.

`ReplayTransport` is an `httpx.MockTransport` over a route table: (method, host, path regex,
required query parameters) -> a recorded file or a function that builds the response. A request
no route matches raises `UnroutedRequest` naming its URL, so a test can never quietly get nothing.

`recordings()` lists every recorded API response in the demo data with the request that fetches
it, reading the ids from the files themselves (an `id`, an `api_path`, an `href`, a
`resource_url`); only where a file does not carry its request (a Discogs search, a Spotify list of
related artists) does the file name or the recording's origin supply it.
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import httpx

Reply = Path | Callable[[httpx.Request], httpx.Response]
Format = Literal["json", "xml"]
CONTENT_TYPES: Mapping[Format, str] = {
    "json": "application/json; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
}


class UnroutedRequest(LookupError):
    """A request that no route answers: the test asked for something nobody recorded."""


@dataclass(frozen=True)
class Route:
    method: str
    host: str
    path: str  # a regular expression the whole path must match
    reply: Reply
    query: Mapping[str, str | None] = field(default_factory=dict)  # None: any value

    def matches(self, request: httpx.Request) -> bool:
        url = request.url
        if request.method != self.method or url.host != self.host:
            return False
        if re.fullmatch(self.path, url.path) is None:
            return False
        params = url.params
        return all(
            name in params and (want is None or params[name] == want)
            for name, want in self.query.items()
        )

    def respond(self, request: httpx.Request) -> httpx.Response:
        if isinstance(self.reply, Path):
            return recorded_response(self.reply)
        return self.reply(request)


class ReplayTransport(httpx.MockTransport):
    """Answers from `routes` (first match wins) and keeps every request it saw."""

    def __init__(self, routes: list[Route]) -> None:
        super().__init__(self._handle)
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for route in self.routes:
            if route.matches(request):
                return route.respond(request)
        raise UnroutedRequest(
            f"no recorded response for {request.method} {request.url} "
            f"({len(self.routes)} routes; add one to the test's ReplayTransport)"
        )


def recorded_body(path: Path) -> bytes:
    """A recorded file's bytes (gunzipped). A file holding several JSON documents one after the
    other (Spotify's zmb3_find_album.json) answers with the first, as the API would."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    if _format(path) != "json":
        return raw
    text = raw.decode("utf-8")
    start = len(text) - len(text.lstrip())
    _, end = json.JSONDecoder().raw_decode(text, start)
    return raw if not text[end:].strip() else text[:end].encode("utf-8")


def recorded_response(path: Path, status: int = 200) -> httpx.Response:
    headers = {"Content-Type": CONTENT_TYPES[_format(path)]}
    return httpx.Response(status, content=recorded_body(path), headers=headers)


def _format(path: Path) -> Format:
    return "xml" if ".xml" in path.suffixes else "json"


# The recorded responses of each source and the requests they answer.


@dataclass(frozen=True)
class Recording:
    source: str  # the HttpClient policy that fetches it
    file: Path
    url: str  # absolute, without the query
    params: Mapping[str, str]  # the query a client sends (besides a policy's own, like fmt=json)
    route: Route

    @property
    def format(self) -> Format:
        return _format(self.file)


def data_dir() -> Path:
    """The packaged demo data (the same folder as `linernotes.demo.build.data_dir`, found here
    without importing the demo, which sits downstream of the sources)."""
    return Path(str(resources.files("linernotes.demo").joinpath("data")))


def recordings(data: Path | None = None) -> list[Recording]:
    """Every recorded API response of every source, with the request that fetches it."""
    folder = data or data_dir()
    found: list[Recording] = []
    for collect in (_musicbrainz, _discogs, _genius, _spotify, _wikidata):
        found.extend(collect(folder))
    return found


def recorded_transport(data: Path | None = None) -> ReplayTransport:
    """A transport answering every recorded request. Two files that answer the same request
    (beets' two Spotify searches for "Happy") cannot both be served: the first wins."""
    return ReplayTransport([r.route for r in recordings(data)])


def _load(path: Path) -> Any:
    return json.loads(recorded_body(path))


def _recording(
    source: str,
    file: Path,
    url: str,
    params: Mapping[str, str] | None = None,
    path_pattern: str | None = None,
    query: Mapping[str, str | None] | None = None,
) -> Recording:
    parsed = httpx.URL(url)
    pattern = path_pattern or re.escape(parsed.path)
    route = Route("GET", parsed.host, pattern, file, dict(query or {}))
    return Recording(source, file, url, dict(params or {}), route)


# MusicBrainz: ws/2 lookups by MBID (JSON and XML) and searches (XML).

MB = "https://musicbrainz.org/ws/2"
# Which entity a JSON file holds, by the start of its name (files are named by what they test).
MB_JSON_ENTITIES = (
    ("release_group", "release-group"),
    ("recording", "recording"),
    ("release", "release"),
    ("artist", "artist"),
)


def _musicbrainz(data: Path) -> Iterator[Recording]:
    for file in sorted((data / "musicbrainz" / "ws2-json").glob("*.json.gz")):
        entity = next(e for prefix, e in MB_JSON_ENTITIES if file.name.startswith(prefix))
        url = f"{MB}/{entity}/{_load(file)['id']}"
        yield _recording("musicbrainz", file, url, query={"fmt": "json"})
    for file in sorted((data / "musicbrainz" / "ws2-xml").glob("*.xml.gz")):
        yield _musicbrainz_xml(file)


def _musicbrainz_xml(file: Path) -> Recording:
    # The standard library's parser is enough for our own packaged files (lxml is for the dumps).
    first = ET.fromstring(recorded_body(file))[0]
    entity = first.tag.rpartition("}")[2]
    if entity.endswith("-list"):  # a search: /ws/2/<entity>?query=...
        # The file does not keep its query; its first hit's name is a query that finds it.
        name = first.findtext(".//{*}name") or first.findtext(".//{*}title") or ""
        url = f"{MB}/{entity.removesuffix('-list')}"
        return _recording("musicbrainz", file, url, {"query": name}, query={"query": None})
    mbid = first.get("id", "")
    # The includes are in the name after the MBID: artist_<mbid>-artist-rels.xml
    inc = file.name.removesuffix(".xml.gz").partition(mbid)[2].removeprefix("-")
    params = {"inc": inc} if inc else {}
    return _recording("musicbrainz", file, f"{MB}/{entity}/{mbid}", params, query=params)


# Discogs: entities by resource_url, paged lists by their pagination, searches by file name.

DISCOGS = "https://api.discogs.com"
# joalla/discogs_client names its files after the request: path and query joined by "_".
DISCOGS_SEARCH_NAME = re.compile(r"database_search_q_(.+)_per_page_(\d+)_page_(\d+)")


def _discogs(data: Path) -> Iterator[Recording]:
    for file in sorted((data / "discogs" / "api").glob("*.json.gz")):
        body = _load(file)
        if "resource_url" in body:
            path = httpx.URL(body["resource_url"]).path
            yield _recording("discogs", file, DISCOGS + path)
        elif "pagination" in body and "releases" in body:
            yield _discogs_page(file, body["pagination"])
        else:
            yield _discogs_search(file)


def _discogs_page(file: Path, pagination: Mapping[str, Any]) -> Recording:
    sibling = httpx.URL(next(iter(pagination["urls"].values())))  # next/last page of the list
    params = {"per_page": str(pagination["per_page"]), "page": str(pagination["page"])}
    return _recording("discogs", file, DISCOGS + sibling.path, params, query=params)


def _discogs_search(file: Path) -> Recording:
    match = DISCOGS_SEARCH_NAME.fullmatch(file.name.removesuffix(".json.gz"))
    if match is None:
        raise ValueError(f"{file.name}: a Discogs file that is neither an entity nor a search")
    q, per_page, page = match.groups()
    params = {"q": q, "per_page": per_page, "page": page}
    return _recording("discogs", file, f"{DISCOGS}/database/search", params, query=params)


# Genius: songs and artists by api_path (bare, or wrapped in {"response": {"song": ...}}).


def _genius(data: Path) -> Iterator[Recording]:
    for file in sorted(data.glob("genius-api-*.json.gz")):
        body = _load(file)
        inner = body.get("response", body)
        obj = next((v for v in inner.values() if isinstance(v, dict)), inner)
        api_path = inner.get("api_path") or obj["api_path"]
        yield _recording("genius", file, f"https://api.genius.com{api_path}")


# Spotify: objects by href, searches by the query their href echoes, lists by what they hold.

SPOTIFY = "https://api.spotify.com/v1"
# zmb3/spotify requests its related-artists file for Elvis Presley (its test asks for this id);
# the file itself lists only the related artists, so the route accepts any artist id.
ZMB3_RELATED_TO = "43ZHCT0cAZBISjO8DG9PnE"


def _spotify(data: Path) -> Iterator[Recording]:
    for file in sorted((data / "spotify").glob("*.json.gz")):
        yield _spotify_one(file, _load(file))


def _spotify_one(file: Path, body: dict[str, Any]) -> Recording:
    if isinstance(body.get("href"), str):  # a track, album, artist or page of album tracks
        href = httpx.URL(body["href"])
        url = str(href.copy_with(query=None))
        return _recording("spotify", file, url, dict(href.params.multi_items()))
    (kind, value), *_ = body.items()
    if isinstance(value, dict):  # a search: {"tracks": {"href": ".../search?query=..."}}
        echoed = httpx.URL(value["href"]).params
        params = {"q": echoed["query"], "type": echoed["type"], "limit": echoed["limit"]}
        query = {"q": params["q"], "type": params["type"]}
        return _recording("spotify", file, f"{SPOTIFY}/search", params, query=query)
    return _spotify_list(file, kind, value)


def _spotify_list(file: Path, kind: str, items: list[dict[str, Any]]) -> Recording:
    if kind == "albums":  # GET /albums?ids=...
        ids = ",".join(album["id"] for album in items)
        return _recording("spotify", file, f"{SPOTIFY}/albums", {"ids": ids}, query={"ids": ids})
    if kind == "tracks":  # GET /artists/{id}/top-tracks: the artist on every track
        common = set.intersection(*({a["id"] for a in t["artists"]} for t in items))
        url = f"{SPOTIFY}/artists/{min(common)}/top-tracks"
        return _recording("spotify", file, url, {"market": "US"})
    pattern = r"/v1/artists/[0-9A-Za-z]{22}/related-artists"
    url = f"{SPOTIFY}/artists/{ZMB3_RELATED_TO}/related-artists"
    return _recording("spotify", file, url, path_pattern=pattern)


# Wikidata: whole entities from Special:EntityData.


def _wikidata(data: Path) -> Iterator[Recording]:
    for file in sorted((data / "wikidata").glob("*.json.gz")):
        for qid in _load(file)["entities"]:
            url = f"https://www.wikidata.org/wiki/Special:EntityData/{qid}.json"
            yield _recording("wikidata", file, url)
