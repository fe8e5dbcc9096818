"""Time budgets in the HTTP layer: `HttpClient.within(deadline)` never waits past the deadline.

Every test runs on a FakeClock and the replay transport: a slow source is a reply that moves the
clock forward, and nothing sleeps or touches the network.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from linernotes.settings import Secret
from linernotes.sources.http import HttpClient, OutOfTime, SourceUnavailable
from linernotes.sources.http_policy import Credentials
from linernotes.sources.ratelimit import Deadline, FakeClock, Rate, RateLimiter, WaitTooLong
from linernotes.sources.replay import Recording, ReplayTransport, Route, recordings

RECORDED = {r.file.name: r for r in recordings()}
SONG = RECORDED["genius-api-song_2872960.json.gz"]
RELEASE_1, RELEASE_2, RELEASE_3 = (RECORDED[f"releases_{n}.json.gz"] for n in (1, 2, 3))
MB_RECORDINGS = [r for r in RECORDED.values() if r.source == "musicbrainz" and r.format == "json"]
CREDENTIALS = Credentials(
    {
        "GENIUS_TOKEN": Secret("gns-token"),
        "DISCOGS_TOKEN": Secret("dgs-token"),
        "SPOTIFY_CLIENT_ID": Secret("spotify-id"),
        "SPOTIFY_CLIENT_SECRET": Secret("spotify-secret"),
    }
)
Reply = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def client_for(
    tmp_path: Path, routes: list[Route], clock: FakeClock, **options: Any
) -> tuple[HttpClient, ReplayTransport]:
    transport = ReplayTransport(routes)
    defaults: dict[str, Any] = {
        "credentials": CREDENTIALS,
        "clock": clock,
        "transport": transport,
        "cache_dir": tmp_path / "cache",
        "timeout": 10.0,
        "rng": lambda: 0.5,  # backoff jitter in the middle: 1 s steps wait 0.75 s
    }
    return HttpClient(**(defaults | options)), transport


def route(recording: Recording, reply: Reply) -> Route:
    return dataclasses.replace(recording.route, reply=reply)


def in_turn(*replies: Reply) -> Reply:
    """Each request gets the next reply; the last one repeats."""
    queue = list(replies)
    return lambda request: (queue.pop(0) if len(queue) > 1 else queue[0])(request)


def too_many(retry_after: str) -> Reply:
    body = {"meta": {"status": 429, "message": "Too many requests"}}
    return lambda request: httpx.Response(429, json=body, headers={"Retry-After": retry_after})


def slow(clock: FakeClock, seconds: float, recording: Recording) -> Reply:
    """A source that takes `seconds` to answer: past the request's read timeout it times out
    instead, after exactly that timeout, as httpx would."""

    def reply(request: httpx.Request) -> httpx.Response:
        timeout = request.extensions["timeout"]["read"]
        if timeout < seconds:
            clock.advance(timeout)
            raise httpx.ReadTimeout("timed out", request=request)
        clock.advance(seconds)
        return recording.route.respond(request)

    return reply


def read_timeouts(transport: ReplayTransport) -> list[float]:
    return [r.extensions["timeout"]["read"] for r in transport.requests]


# Retry-After within the budget.


def test_a_short_retry_after_is_honoured(tmp_path: Path, clock: FakeClock) -> None:
    reply = in_turn(too_many("2"), SONG.route.respond)
    client, transport = client_for(tmp_path, [route(SONG, reply)], clock)
    view = client.within(Deadline.after(clock, 20))
    assert view.get_json("genius", "songs/2872960")["response"]["song"]["title"] == "24K Magic"
    assert clock.sleeps == [2.0] and len(transport.requests) == 2


def test_a_retry_after_longer_than_the_time_left_ends_at_once(
    tmp_path: Path, clock: FakeClock
) -> None:
    other = RECORDED["genius-api-song_2890553.json.gz"]
    client, transport = client_for(tmp_path, [route(SONG, too_many("30")), other.route], clock)
    view = client.within(Deadline.after(clock, 20))
    with pytest.raises(OutOfTime) as caught:
        view.get_json("genius", "songs/2872960")
    assert str(caught.value) == (
        "genius: not retried: asked to wait 30 s (Retry-After), 20.0 s left of the 20 s budget "
        "(HTTP 429) at https://api.genius.com/songs/2872960"
    )
    assert caught.value.status == 429 and caught.value.attempts == 1
    assert clock.sleeps == [] and len(transport.requests) == 1
    # The source asked for 30 s of quiet: the next request within the budget is not made either.
    with pytest.raises(OutOfTime, match=r"the next request could go in 30\.0 s, 20\.0 s are left"):
        view.get_json("genius", "songs/2890553")
    assert len(transport.requests) == 1 and clock.now == 0.0


def test_backoff_longer_than_the_time_left_ends_at_once(tmp_path: Path, clock: FakeClock) -> None:
    down = route(RELEASE_1, lambda request: httpx.Response(503, json={"message": "down"}))
    client, transport = client_for(tmp_path, [down], clock)
    view = client.within(Deadline.after(clock, 3))
    with pytest.raises(OutOfTime) as caught:
        view.get_json("discogs", "releases/1")
    # Backoff 0.75 s then 1.5 s fit in 3 s; the third pause, 3 s, does not.
    assert "not retried: would wait 3.0 s (backoff), 0.8 s left of the 3 s budget" in str(
        caught.value
    )
    assert (caught.value.status, caught.value.attempts) == (503, 3)
    assert clock.sleeps == [0.75, 1.5] and len(transport.requests) == 3


# Rate limits within the budget.


def test_musicbrainz_at_one_a_second_fits_three_requests_in_two_and_a_half(
    tmp_path: Path, clock: FakeClock
) -> None:
    four = MB_RECORDINGS[:4]
    client, transport = client_for(tmp_path, [r.route for r in four], clock)
    view = client.within(Deadline.after(clock, 2.5))
    assert all(view.get_json("musicbrainz", r.url)["id"] for r in four[:3])
    with pytest.raises(OutOfTime) as caught:
        view.get_json("musicbrainz", four[3].url)
    assert str(caught.value).startswith(
        "musicbrainz: not asked: the next request could go in 1.0 s, "
        "0.5 s are left of the 2.5 s budget at https://musicbrainz.org/ws/2/"
    )
    assert len(transport.requests) == 3 and clock.sleeps == [1.0, 1.0] and clock.now == 2.0
    # The refused request reserved no slot: without a budget it goes at the next second.
    assert client.get_json("musicbrainz", four[3].url)["id"]
    assert clock.now == 3.0 and len(transport.requests) == 4


# Slow sources.


def test_a_slow_answer_in_time_is_kept_and_the_next_request_cut_off(
    tmp_path: Path, clock: FakeClock
) -> None:
    routes = [route(r, slow(clock, 15, r)) for r in (RELEASE_1, RELEASE_2, RELEASE_3)]
    client, transport = client_for(tmp_path, routes, clock, timeout=30.0)
    view = client.within(Deadline.after(clock, 20))
    assert view.get_json("discogs", "releases/1")["id"] == 1  # answered at 15 s
    with pytest.raises(OutOfTime) as caught:
        view.get_json("discogs", "releases/2")  # 5 s left: the 15 s answer never comes
    assert "the 20 s budget ran out during attempt 1 (ReadTimeout)" in str(caught.value)
    assert read_timeouts(transport) == [20.0, 5.0] and clock.now == 20.0
    with pytest.raises(OutOfTime, match="discogs: not asked: the 20 s budget has run out"):
        view.get_json("discogs", "releases/3")
    assert len(transport.requests) == 2


def test_a_timeout_before_the_deadline_is_retried_in_the_time_left(
    tmp_path: Path, clock: FakeClock
) -> None:
    client, transport = client_for(tmp_path, [route(RELEASE_1, slow(clock, 15, RELEASE_1))], clock)
    view = client.within(Deadline.after(clock, 20))
    with pytest.raises(OutOfTime, match=r"ran out during attempt 2 \(ReadTimeout\)"):
        view.get_json("discogs", "releases/1")
    # The client's 10 s timeout, a 0.75 s backoff, then what was left of the 20 s.
    assert read_timeouts(transport) == [10.0, 9.25] and clock.now == 20.0


def test_without_a_budget_timeouts_are_retried_until_the_source_is_unavailable(
    tmp_path: Path, clock: FakeClock
) -> None:
    client, transport = client_for(tmp_path, [route(RELEASE_1, slow(clock, 15, RELEASE_1))], clock)
    with pytest.raises(SourceUnavailable, match="ReadTimeout: timed out after 5 attempts"):
        client.get_json("discogs", "releases/1")
    assert read_timeouts(transport) == [10.0] * 5


# The cache, views and the parent client.


def test_cache_hits_answer_after_the_deadline(tmp_path: Path, clock: FakeClock) -> None:
    client, transport = client_for(tmp_path, [RELEASE_1.route, RELEASE_2.route], clock)
    view = client.within(Deadline.after(clock, 20))
    view.get_json("discogs", "releases/1")
    clock.advance(60)
    assert view.get_json("discogs", "releases/1")["title"] == "Stockholm"
    with pytest.raises(OutOfTime, match="budget has run out"):
        view.get_json("discogs", "releases/2")
    assert len(transport.requests) == 1
    assert client.get_json("discogs", "releases/2")["id"] == 2  # the parent has no budget


def test_a_view_shares_the_client_and_closing_it_leaves_the_client_open(
    tmp_path: Path, clock: FakeClock
) -> None:
    client, transport = client_for(tmp_path, [RELEASE_1.route, RELEASE_2.route], clock)
    client.get_json("discogs", "releases/1")
    assert client.clock is clock and client.deadline is None
    deadline = Deadline.after(client.clock, 5)
    with client.within(deadline) as view:
        assert view.deadline is deadline
        assert view.get_json("discogs", "releases/1")["id"] == 1  # the parent's cache entry
    assert len(transport.requests) == 1
    assert client.get_json("discogs", "releases/2")["id"] == 2  # still open
    client.close()
    with pytest.raises(RuntimeError):
        client.get_json("discogs", "releases/3")


def test_the_spotify_token_request_fits_the_budget_too(tmp_path: Path, clock: FakeClock) -> None:
    track = RECORDED["zmb3_find_track.json.gz"]
    token = {"access_token": "tok-1", "token_type": "Bearer", "expires_in": 3600}
    accounts = Route(
        "POST", "accounts.spotify.com", "/api/token", lambda r: httpx.Response(200, json=token)
    )
    client, transport = client_for(tmp_path, [accounts, track.route], clock, use_cache=False)
    clock.advance(0.5)  # the user waited a little before the look-up began
    view = client.within(Deadline.after(clock, 4))
    clock.advance(1.5)
    assert view.get_json("spotify", track.url)["name"] == "Timber"
    assert read_timeouts(transport) == [2.5, 2.5]  # the token POST, then the track


# The pieces: Deadline and the limiter's bounded wait.


def test_a_deadline_counts_down_to_zero(clock: FakeClock) -> None:
    deadline = Deadline.after(clock, 20)
    assert (deadline.at, deadline.seconds, deadline.left(), deadline.passed()) == (
        20,
        20,
        20,
        False,
    )
    clock.advance(19.5)
    assert deadline.left() == 0.5 and not deadline.passed()
    clock.advance(5)
    assert deadline.left() == 0.0 and deadline.passed()
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="a time budget needs a finite number of seconds"):
            Deadline.after(clock, bad)


def test_a_bounded_wait_reserves_nothing_when_too_long(clock: FakeClock) -> None:
    limiter = RateLimiter(Rate(2, 10.0), clock)
    limiter.acquire(limit=0)
    limiter.acquire(limit=0)
    with pytest.raises(WaitTooLong) as caught:
        limiter.acquire(limit=9.9)
    assert caught.value.wait == 10.0 and clock.sleeps == []
    assert limiter.acquire(limit=10) == 10.0
    # Both slots of the next window are still free: the refused call took none.
    assert limiter.acquire() == 0.0 and clock.sleeps == [10.0]
