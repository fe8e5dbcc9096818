"""The HTTP layer: User-Agent, rate limits, retries, Retry-After, cache, credentials, replay.

Every test runs on a FakeClock and an in-process transport: time is a timeline that sleeps move
forward, and nothing touches the network.
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import json
import logging
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import httpx
import pytest

from linernotes import __version__, settings
from linernotes.settings import Secret
from linernotes.sources.http import (
    AuthError,
    BadResponse,
    HttpClient,
    NotFound,
    RateLimited,
    SourceError,
    SourceUnavailable,
)
from linernotes.sources.http_cache import ResponseCache, cache_key
from linernotes.sources.http_policy import POLICIES, Credentials, SourcePolicy, redact_url
from linernotes.sources.ratelimit import FakeClock, Rate, RateLimiter
from linernotes.sources.replay import (
    Recording,
    ReplayTransport,
    Route,
    UnroutedRequest,
    data_dir,
    recorded_body,
    recorded_response,
    recordings,
)

SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic" / "http"
RECORDED = {r.file.name: r for r in recordings()}
GENIUS_TOKEN = "gns-4f1c9e0b7a2d-TOKEN"
DISCOGS_TOKEN = "dgs-93ab17c4e5f8-TOKEN"
SPOTIFY_ID, SPOTIFY_SECRET = "spotify-client-id-1b2c", "spotify-client-secret-9z8y"
ALL_CREDENTIALS = Credentials(
    {
        "GENIUS_TOKEN": Secret(GENIUS_TOKEN),
        "DISCOGS_TOKEN": Secret(DISCOGS_TOKEN),
        "SPOTIFY_CLIENT_ID": Secret(SPOTIFY_ID),
        "SPOTIFY_CLIENT_SECRET": Secret(SPOTIFY_SECRET),
    }
)
NO_CREDENTIALS = Credentials({})
Reply = Callable[[httpx.Request], httpx.Response]


def synthetic(name: str, status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    kind = "text/html" if name.endswith(".html") else "application/json"
    content = (SYNTHETIC / name).read_bytes()
    return httpx.Response(
        status, content=content, headers={"Content-Type": kind, **(headers or {})}
    )


def in_turn(*replies: Reply) -> Reply:
    """Each request gets the next reply; the last one repeats."""
    queue = list(replies)

    def reply(request: httpx.Request) -> httpx.Response:
        return (queue.pop(0) if len(queue) > 1 else queue[0])(request)

    return reply


def status(code: int, name: str, **headers: str) -> Reply:
    """A synthetic body with this status; keyword headers use _ for - (Retry_After=...)."""
    named = {key.replace("_", "-"): value for key, value in headers.items()}
    return lambda request: synthetic(name, code, named)


def recorded(name: str) -> Reply:
    return lambda request: recorded_response(RECORDED[name].file)


class Timeline:
    """Wraps replies to note the fake time of every request."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.times: list[float] = []

    def __call__(self, reply: Reply) -> Reply:
        def timed(request: httpx.Request) -> httpx.Response:
            self.times.append(self.clock.monotonic())
            return reply(request)

        return timed


def client_for(
    tmp_path: Path,
    routes: list[Route],
    clock: FakeClock,
    credentials: Credentials = ALL_CREDENTIALS,
    **kwargs: Any,
) -> tuple[HttpClient, ReplayTransport]:
    transport = ReplayTransport(routes)
    options: dict[str, Any] = {
        "credentials": credentials,
        "clock": clock,
        "transport": transport,
        "cache_dir": tmp_path / "cache",
        "contact": "ops@linernotes.test",
        "timeout": 10.0,
        "rng": lambda: 0.5,
    }
    return HttpClient(**(options | kwargs)), transport


def with_policy(name: str, **changes: Any) -> dict[str, SourcePolicy]:
    return {**POLICIES, name: dataclasses.replace(POLICIES[name], **changes)}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def route(recording: Recording, reply: Reply) -> Route:
    return dataclasses.replace(recording.route, reply=reply)


def file_json(recording: Recording) -> Any:
    return json.loads(recorded_body(recording.file))


SONG = RECORDED["genius-api-song_2872960.json.gz"]
MB_RECORDINGS = [r for r in RECORDED.values() if r.source == "musicbrainz" and r.format == "json"]

# The User-Agent.


def test_user_agent_names_product_version_and_contact(tmp_path: Path, clock: FakeClock) -> None:
    mb = RECORDED["recording.json.gz"]
    client, transport = client_for(tmp_path, [mb.route], clock)
    body = client.get_json("musicbrainz", "recording/cb2cc207-8125-445c-9ef9-6ea44eee959a")
    sent = transport.requests[0]
    assert body["title"] == "Thinking Out Loud"
    assert sent.headers["User-Agent"].startswith(
        f"linernotes/{__version__} ( ops@linernotes.test )"
    )
    assert sent.url.params["fmt"] == "json"  # MusicBrainz answers XML unless asked


def test_contact_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINERNOTES_CONTACT", "https://example.org/linernotes-operator")
    with HttpClient(credentials=NO_CREDENTIALS, use_cache=False) as client:
        assert "( https://example.org/linernotes-operator )" in client.user_agent
    monkeypatch.delenv("LINERNOTES_CONTACT")
    with HttpClient(credentials=NO_CREDENTIALS, use_cache=False) as client:
        assert client.user_agent.startswith(f"linernotes/{__version__} python-httpx/")


def test_timeout_comes_from_the_setting(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINERNOTES_HTTP_TIMEOUT", "7.5")
    client, transport = client_for(
        tmp_path, [RECORDED["artist.json.gz"].route], clock, timeout=None
    )
    client.get_json("musicbrainz", RECORDED["artist.json.gz"].url)
    assert transport.requests[0].extensions["timeout"]["read"] == 7.5
    monkeypatch.setenv("LINERNOTES_HTTP_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="LINERNOTES_HTTP_TIMEOUT must be a number of seconds"):
        settings.http_timeout()


# Rate limits.


def test_musicbrainz_requests_are_one_second_apart(tmp_path: Path, clock: FakeClock) -> None:
    timeline = Timeline(clock)
    routes = [route(r, timeline(recorded(r.file.name))) for r in MB_RECORDINGS[:5]]
    client, _ = client_for(tmp_path, routes, clock)
    titles = [client.get_json("musicbrainz", r.url).get("title") for r in MB_RECORDINGS[:5]]
    assert titles[1] == "Thinking Out Loud" and len(set(titles)) == 5
    assert timeline.times == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert clock.sleeps == [1.0, 1.0, 1.0, 1.0]


def _discogs_burst(tmp_path: Path, credentials: Credentials, requests: int) -> list[float]:
    clock = FakeClock()
    timeline = Timeline(clock)
    reply = timeline(lambda request: httpx.Response(200, json={"id": request.url.path}))
    client, _ = client_for(
        tmp_path,
        [Route("GET", "api.discogs.com", r"/releases/\d+", reply)],
        clock,
        credentials,
        use_cache=False,
    )
    for release in range(1, requests + 1):
        client.get_json("discogs", f"releases/{release}")
    return timeline.times


def test_discogs_allows_60_a_minute_with_a_token_and_25_without(tmp_path: Path) -> None:
    with_token = _discogs_burst(tmp_path, ALL_CREDENTIALS, 121)
    without = _discogs_burst(tmp_path, NO_CREDENTIALS, 51)
    assert sum(t < 60 for t in with_token) == 60 and with_token[60] == 60.0
    assert sum(t < 60 for t in without) == 25 and without[25] == 60.0
    for times, limit in ((with_token, 60), (without, 25)):  # no 60 s window holds more
        assert all(times[i + limit] - times[i] >= 60.0 for i in range(len(times) - limit))


def test_the_limiter_gives_threads_distinct_slots() -> None:
    class Frozen(FakeClock):
        def sleep(self, seconds: float) -> None:
            self.sleeps.append(seconds)  # time stands still: every wait shows its slot

    clock = Frozen()
    limiter = RateLimiter(Rate(1, 1.0), clock)
    threads = [threading.Thread(target=limiter.acquire) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(clock.sleeps) == [float(n) for n in range(1, 10)]


# Retries.


def test_429_is_retried_after_exactly_retry_after(tmp_path: Path, clock: FakeClock) -> None:
    timeline = Timeline(clock)
    reply = in_turn(status(429, "genius_401.json", Retry_After="7"), recorded(SONG.file.name))
    client, _ = client_for(tmp_path, [route(SONG, timeline(reply))], clock)
    song = client.get_json("genius", "songs/2872960")
    assert song["response"]["song"]["title"] == "24K Magic"
    assert timeline.times == [0.0, 7.0] and clock.sleeps == [7.0]


def test_retry_after_as_an_http_date(tmp_path: Path, clock: FakeClock) -> None:
    when = formatdate(clock.wall + 12, usegmt=True)
    timeline = Timeline(clock)
    reply = in_turn(
        status(503, "musicbrainz_503.json", Retry_After=when), recorded("artist.json.gz")
    )
    artist = RECORDED["artist.json.gz"]
    client, _ = client_for(tmp_path, [route(artist, timeline(reply))], clock)
    assert (
        client.get_json("musicbrainz", artist.url)["id"] == "b8a7c51f-362c-4dcb-a259-bc6e0095f0a6"
    )
    assert timeline.times == [0.0, 12.0]


def test_503s_exhaust_retries_into_source_unavailable(tmp_path: Path, clock: FakeClock) -> None:
    timeline = Timeline(clock)
    artist = RECORDED["artist.json.gz"]
    policies = with_policy("musicbrainz", max_retries=3)
    reply = timeline(status(503, "musicbrainz_503.json"))
    client, _ = client_for(tmp_path, [route(artist, reply)], clock, policies=policies)
    with pytest.raises(SourceUnavailable) as caught:
        client.get_json("musicbrainz", artist.url)
    error = caught.value
    assert (error.source, error.status, error.attempts) == ("musicbrainz", 503, 4)
    assert "after 4 attempts" in str(error) and "exceeding the allowable rate limit" in str(error)
    assert artist.url in str(error)
    # Backoff 1, 2, 4 s with jitter fixed at the middle (0.75, 1.5, 3), never closer than 1 s.
    assert timeline.times == [0.0, 1.0, 2.5, 5.5]


def test_persistent_429_becomes_rate_limited(tmp_path: Path, clock: FakeClock) -> None:
    policies = with_policy("discogs", max_retries=2)
    rec = RECORDED["releases_1.json.gz"]
    client, transport = client_for(
        tmp_path, [route(rec, status(429, "discogs_429.json"))], clock, policies=policies
    )
    with pytest.raises(RateLimited, match="You are making requests too quickly") as caught:
        client.get_json("discogs", "releases/1")
    assert caught.value.attempts == 3 and len(transport.requests) == 3


def test_a_retry_after_beyond_the_budget_fails_at_once(tmp_path: Path, clock: FakeClock) -> None:
    rec = RECORDED["releases_1.json.gz"]
    reply = status(429, "discogs_429.json", Retry_After="3600")
    client, transport = client_for(tmp_path, [route(rec, reply)], clock)
    with pytest.raises(RateLimited, match="asked to wait 3600 s, more than the 120 s allowed"):
        client.get_json("discogs", "releases/1")
    assert len(transport.requests) == 1 and clock.sleeps == []


def test_transport_errors_are_retried(tmp_path: Path, clock: FakeClock) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    rec = RECORDED["releases_1.json.gz"]
    client, _ = client_for(tmp_path, [route(rec, in_turn(refuse, recorded(rec.file.name)))], clock)
    assert client.get_json("discogs", "releases/1")["title"] == "Stockholm"
    client, _ = client_for(tmp_path, [route(rec, refuse)], clock, use_cache=False)
    with pytest.raises(SourceUnavailable, match="ConnectTimeout") as caught:
        client.get_json("discogs", "releases/1")
    assert caught.value.attempts == POLICIES["discogs"].max_retries + 1


def test_truncated_bodies_are_retried_then_reported(tmp_path: Path, clock: FakeClock) -> None:
    def cut(request: httpx.Request) -> httpx.Response:
        full = recorded_body(RECORDED["releases_1.json.gz"].file)
        return httpx.Response(200, content=full[:100], headers={"Content-Length": str(len(full))})

    def dropped(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message")

    rec = RECORDED["releases_1.json.gz"]
    client, _ = client_for(tmp_path, [route(rec, in_turn(cut, recorded(rec.file.name)))], clock)
    assert client.get_json("discogs", "releases/1")["id"] == 1
    for broken in (cut, dropped):
        client, transport = client_for(tmp_path, [route(rec, broken)], clock, use_cache=False)
        with pytest.raises(BadResponse, match="body cut short after 5 attempts"):
            client.get_json("discogs", "releases/1")
        assert len(transport.requests) == 5


def test_a_body_that_is_not_json(tmp_path: Path, clock: FakeClock) -> None:
    rec = RECORDED["releases_1.json.gz"]
    client, _ = client_for(tmp_path, [route(rec, status(200, "gateway_502.html"))], clock)
    with pytest.raises(BadResponse) as caught:
        client.get_json("discogs", "releases/1")
    assert "https://api.discogs.com/releases/1" in str(caught.value)
    assert "not JSON; the body starts b'<html>" in str(caught.value)


def test_not_found(tmp_path: Path, clock: FakeClock) -> None:
    rec = RECORDED["beets_track_info.json.gz"]
    client, _ = client_for(
        tmp_path, [_token_route(), route(rec, status(404, "spotify_404.json"))], clock
    )
    with pytest.raises(NotFound, match=r"spotify: not found: Resource not found \(HTTP 404\)"):
        client.get_json("spotify", rec.url)


# The cache.


def test_the_cache_serves_within_ttl_and_refetches_after(tmp_path: Path, clock: FakeClock) -> None:
    rec = RECORDED["artists_1.json.gz"]
    client, transport = client_for(tmp_path, [rec.route], clock)
    assert client.get_json("discogs", "artists/1")["name"] == "Persuader, The"
    clock.advance(POLICIES["discogs"].cache_ttl - 1)
    assert client.get_json("discogs", "artists/1")["name"] == "Persuader, The"
    assert len(transport.requests) == 1
    again, again_transport = client_for(tmp_path, [rec.route], clock)  # a new process, same disk
    assert again.get_json("discogs", "artists/1")["id"] == 1 and again_transport.requests == []
    clock.advance(1)
    assert client.get_json("discogs", "artists/1")["id"] == 1
    assert len(transport.requests) == 2


def test_errors_are_not_cached(tmp_path: Path, clock: FakeClock) -> None:
    rec = RECORDED["releases_79.json.gz"]
    reply = in_turn(status(404, "discogs_404.json"), recorded(rec.file.name))
    client, transport = client_for(tmp_path, [route(rec, reply)], clock)
    with pytest.raises(NotFound, match="Release not found"):
        client.get_json("discogs", "releases/79")
    assert client.get_json("discogs", "releases/79")["id"] == 79
    assert len(transport.requests) == 2


def test_a_damaged_cache_entry_is_ignored_and_replaced(tmp_path: Path, clock: FakeClock) -> None:
    rec = RECORDED["labels_1.json.gz"]
    client, transport = client_for(tmp_path, [rec.route], clock)
    client.get_json("discogs", "labels/1")
    entry = ResponseCache(tmp_path / "cache", clock).path("discogs", cache_key("GET", rec.url))
    entry.write_bytes(b"\x1f\x8b not really gzip")
    assert client.get_json("discogs", "labels/1")["name"] == "Planet E"
    assert len(transport.requests) == 2
    assert client.get_json("discogs", "labels/1")["name"] == "Planet E"
    assert len(transport.requests) == 2  # the rewritten entry serves again


def test_cache_keys_sort_parameters_and_hold_no_credentials() -> None:
    one = cache_key(
        "get", "https://api.discogs.com/database/search?q=x", {"token": "abc", "page": "1"}
    )
    two = cache_key("GET", "https://api.discogs.com/database/search", {"page": "1", "q": "x"})
    assert "abc" not in one and one.replace("&token=%2A%2A%2A", "") == two


# Credentials.


def test_a_token_never_reaches_exceptions_or_logs(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="linernotes.http")
    reply = in_turn(status(503, "musicbrainz_503.json"), status(401, "genius_401.json"))
    client, transport = client_for(tmp_path, [route(SONG, reply)], clock)
    with pytest.raises(AuthError) as caught:
        client.get_json("genius", "songs/2872960", {"access_token": GENIUS_TOKEN})
    texts = [str(caught.value), repr(caught.value), caplog.text, repr(client.credentials)]
    assert all(GENIUS_TOKEN not in text for text in texts)
    assert "the credentials were refused; check GENIUS_TOKEN" in str(caught.value)
    assert "access_token=%2A%2A%2A" in str(caught.value)  # a token in the URL is redacted too
    assert transport.requests[0].headers["Authorization"] == f"Bearer {GENIUS_TOKEN}"
    assert "GET https://api.genius.com/songs/2872960" in caplog.text


def test_secrets_print_as_stars() -> None:
    secret = Secret(DISCOGS_TOKEN)
    assert {str(secret), repr(secret), f"{secret}", f"{secret:>40}", str([secret])} == {
        "***",
        "[***]",
    }
    assert secret.reveal() == DISCOGS_TOKEN


def test_credentials_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCOGS_TOKEN", DISCOGS_TOKEN)
    monkeypatch.delenv("GENIUS_TOKEN", raising=False)
    found = Credentials.from_settings()
    assert found.get("DISCOGS_TOKEN") is not None and found.get("GENIUS_TOKEN") is None
    assert DISCOGS_TOKEN not in repr(found)


def test_a_missing_token_is_named_before_any_request(tmp_path: Path, clock: FakeClock) -> None:
    client, transport = client_for(tmp_path, [SONG.route], clock, NO_CREDENTIALS)
    with pytest.raises(AuthError, match="no token configured for genius: set GENIUS_TOKEN"):
        client.get_json("genius", "songs/2872960")
    assert transport.requests == []


def test_an_endpoint_that_needs_the_optional_token(tmp_path: Path, clock: FakeClock) -> None:
    rec = RECORDED["database_search_q_trash80_per_page_50_page_1.json.gz"]
    client, _ = client_for(
        tmp_path, [route(rec, status(401, "discogs_401.json"))], clock, NO_CREDENTIALS
    )
    with pytest.raises(AuthError, match="no token configured for discogs: set DISCOGS_TOKEN"):
        client.get_json("discogs", rec.url, rec.params)


def test_tokens_go_only_to_their_own_host(tmp_path: Path, clock: FakeClock) -> None:
    client, transport = client_for(tmp_path, [], clock)
    with pytest.raises(ValueError, match=r"is not on api\.genius\.com"):
        client.get_json("genius", "https://collector.example/songs/1")
    assert transport.requests == []


class SpotifyAccounts:
    """The accounts service: hands out tok-1, tok-2, ... and remembers what it was sent."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = json.loads((SYNTHETIC / "spotify_token.json").read_text())
        return httpx.Response(200, json=body | {"access_token": f"tok-{len(self.requests)}"})


def _token_route(accounts: Reply | None = None) -> Route:
    return Route("POST", "accounts.spotify.com", "/api/token", accounts or SpotifyAccounts())


def test_spotify_fetches_a_token_and_renews_it(tmp_path: Path, clock: FakeClock) -> None:
    accounts, revoked = SpotifyAccounts(), {"tok-1"}

    def api(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"].removeprefix("Bearer ") in revoked:
            return synthetic("spotify_401.json", 401)
        return recorded_response(RECORDED["zmb3_find_track.json.gz"].file)

    track = RECORDED["zmb3_find_track.json.gz"]
    client, transport = client_for(
        tmp_path, [_token_route(accounts), route(track, api)], clock, use_cache=False
    )
    revoked.clear()
    assert client.get_json("spotify", track.url)["name"] == "Timber"
    sent = accounts.requests[0]
    assert (
        sent.headers["Authorization"]
        == "Basic " + base64.b64encode(f"{SPOTIFY_ID}:{SPOTIFY_SECRET}".encode()).decode()
    )
    assert sent.content == b"grant_type=client_credentials"
    revoked.add("tok-1")  # revoked early: a 401, a new token, the same request again
    assert client.get_json("spotify", track.url)["id"] == "1zHlj4dQ8ZAtrayhuDDmkY"
    assert len(accounts.requests) == 2
    clock.advance(3600)  # tok-2 expired: renewed before the request, no 401 needed
    client.get_json("spotify", track.url)
    api_auth = [r.headers["Authorization"] for r in transport.requests if r.method == "GET"]
    assert api_auth == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2", "Bearer tok-3"]


def test_spotify_without_client_credentials(tmp_path: Path, clock: FakeClock) -> None:
    track = RECORDED["zmb3_find_track.json.gz"]
    only_id = Credentials({"SPOTIFY_CLIENT_ID": Secret(SPOTIFY_ID)})
    client, transport = client_for(tmp_path, [_token_route(), track.route], clock, only_id)
    with pytest.raises(
        AuthError,
        match="no token configured for spotify: set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET",
    ):
        client.get_json("spotify", track.url)
    assert transport.requests == []


# Replay.


def _replay_client(tmp_path: Path, recording: Recording) -> HttpClient:
    client, _ = client_for(
        tmp_path, [_token_route(), recording.route], FakeClock(), use_cache=False
    )
    return client


@pytest.mark.parametrize("recording", list(RECORDED.values()), ids=list(RECORDED))
def test_every_recorded_response_replays(tmp_path: Path, recording: Recording) -> None:
    with _replay_client(tmp_path, recording) as client:
        if recording.format == "json":
            body = client.get_json(recording.source, recording.url, recording.params)
            assert body == file_json(recording) and body
        else:
            raw = client.get_bytes(recording.source, recording.url, recording.params)
            assert ET.fromstring(raw).tag == "{http://musicbrainz.org/ns/mmd-2.0#}metadata"


def test_replayed_bodies_are_the_recorded_ones(tmp_path: Path) -> None:
    def fetch(name: str) -> Any:
        rec = RECORDED[name]
        with _replay_client(tmp_path, rec) as client:
            return client.get_json(rec.source, rec.url, rec.params)

    assert fetch("genius-api-song_2872960.json.gz")["response"]["song"]["title"] == "24K Magic"
    assert fetch("genius-api-artist_500.json.gz")["instagram_name"] == "brunomars"
    assert fetch("Q2831.json.gz")["entities"]["Q2831"]["labels"]["en"]["value"] == "Michael Jackson"
    assert fetch("releases_3329867.json.gz")["title"].startswith("Darwinia")
    assert fetch("zmb3_find_album.json.gz")["name"] == "She's So Unusual"  # first of two documents
    albums = fetch("zmb3_find_albums.json.gz")["albums"]
    assert albums[0]["id"] == "41MnTivkwTO3UUJ8DrqEJJ"
    assert fetch("zmb3_search_tracks.json.gz")["tracks"]["limit"] == 2


def _recorded_files() -> Iterator[Path]:
    data = data_dir()
    yield from data.glob("genius-api-*.json.gz")
    for folder in (
        "musicbrainz/ws2-json",
        "musicbrainz/ws2-xml",
        "discogs/api",
        "spotify",
        "wikidata",
    ):
        yield from (data / folder).glob("*.gz")


def test_every_recorded_file_has_a_route() -> None:
    assert {r.file for r in RECORDED.values()} == set(_recorded_files())
    assert len(RECORDED) == len(set(_recorded_files())) == 51


def test_an_unrouted_request_names_its_url(tmp_path: Path, clock: FakeClock) -> None:
    client, _ = client_for(tmp_path, [SONG.route], clock)
    with pytest.raises(UnroutedRequest, match=r"GET https://api.genius.com/songs/1 "):
        client.get_json("genius", "songs/1")


def test_recorded_files_are_gzip_json_or_xml() -> None:
    for recording in RECORDED.values():
        raw = gzip.decompress(recording.file.read_bytes())
        assert raw.lstrip()[:1] in (b"{", b"<"), recording.file.name


def test_redaction_and_the_error_hierarchy() -> None:
    assert redact_url("https://api.discogs.com/x?token=abc&q=y") == (
        "https://api.discogs.com/x?token=%2A%2A%2A&q=y"
    )
    for kind in (NotFound, AuthError, RateLimited, SourceUnavailable, BadResponse):
        assert issubclass(kind, SourceError)


def test_xml_is_asked_for_without_fmt_json(tmp_path: Path, clock: FakeClock) -> None:
    rec = RECORDED["search-artist.xml.gz"]
    client, transport = client_for(tmp_path, [rec.route], clock)
    raw = client.get_bytes(
        "musicbrainz", "artist", {"query": "Dynamo Go", "limit": 5}, "application/xml"
    )
    sent = transport.requests[0]
    assert b"Dynamo Go" in raw and sent.headers["Accept"] == "application/xml"
    assert dict(sent.url.params) == {"query": "Dynamo Go", "limit": "5"}


def test_other_statuses_are_reported_not_retried(tmp_path: Path, clock: FakeClock) -> None:
    rec = RECORDED["releases_2.json.gz"]
    client, transport = client_for(tmp_path, [route(rec, status(400, "discogs_404.json"))], clock)
    with pytest.raises(SourceError, match=r"unexpected response: Release not found\. \(HTTP 400\)"):
        client.get_json("discogs", "releases/2")
    assert len(transport.requests) == 1
