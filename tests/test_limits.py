"""Plans' limits: handle reveals a day, API requests a minute; shared by every server process."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi import FastAPI

from accounts_support import (
    PLANS,
    START,
    Clock,
    browser,
    cheap_hashing,
    make_app,
    new_accounts_catalog,
    reveal,
    sign_up,
)
from linernotes.cli.main import cli
from linernotes.store.catalog import Catalog
from linernotes.web import access, credentials
from linernotes.web.errors import ApiError

FREE = PLANS["free"].reveals_per_day
ANON = PLANS["anonymous"].reveals_per_day


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


@pytest.fixture
def where(new_catalog: Callable[[str], Path | str]) -> Path | str:
    return new_accounts_catalog(new_catalog)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(where: Path | str, clock: Clock) -> FastAPI:
    return make_app(where, clock)


def _api_key(where: Path | str, email: str, plan: str = "free") -> str:
    catalog = Catalog.open(where)
    user = credentials.sign_up(catalog.db, email, "correct horse battery", START, plan)
    _, text = credentials.new_key(catalog.db, user, "tests", START)
    catalog.close()
    return text


def test_free_plan_reveals_up_to_its_limit_then_says_when_it_resets(
    app: FastAPI, clock: Clock
) -> None:
    with browser(app) as client:
        sign_up(client, "ada@example.com")
        for person in range(1, FREE + 1):
            answer = reveal(client, person)
            assert answer.status_code == 200
            assert answer.json()["left"] == FREE - person
        refused = reveal(client, 99)
        assert refused.status_code == 429
        error = refused.json()["error"]
        assert error["code"] == "limit_reached" and error["where"] == "reveals"
        # 22:58:30 UTC: the day ends in 1 h 1 min 30 s.
        assert "The limit resets at 00:00 UTC (2026-03-15, in 1 h 2 min)" in error["message"]
        assert f"reveals the handles of {FREE} people a day" in error["message"]
        assert "pro plan" in error["message"]
        assert refused.headers["retry-after"] == str(61 * 60 + 30)
        # Seeing someone already revealed today is free, past the limit too.
        assert reveal(client, 2, 1).status_code == 200
        clock.move(minutes=62)  # the next day (UTC)
        answer = reveal(client, 99)
        assert answer.status_code == 200 and answer.json() == {
            "plan": "free",
            "left": FREE - 1,
            "revealed": [99],
        }


def test_a_reveal_is_all_or_nothing(app: FastAPI) -> None:
    with browser(app) as client:
        sign_up(client, "ada@example.com")
        assert reveal(client, 1).status_code == 200
        refused = reveal(client, 1, 2, 3, 4)  # three new, two left
        assert refused.status_code == 429
        assert "2 left and this needs 3" in refused.json()["error"]["message"]
        answer = reveal(client, 1, 2, 3)
        assert answer.json()["revealed"] == [1, 2, 3] and answer.json()["left"] == 0


def test_anonymous_visitors_are_counted_by_cookie_and_by_address(app: FastAPI) -> None:
    with browser(app, "198.51.100.1") as client:
        for person in range(1, ANON + 1):
            assert reveal(client, person).status_code == 200
        refused = reveal(client, 50)
        assert refused.status_code == 429
        assert "Sign up for a free account" in refused.json()["error"]["message"]
        cookie = dict(client.cookies)
        client.cookies.clear()  # a new visitor cookie, the same address
        again = reveal(client, 50)
        assert again.status_code == 429
        # The new cookie has revealed nobody, so nobody shows as revealed to it...
        assert reveal(client).json()["revealed"] == []
        # ...but the address's people are free again for it, within the address's count.
        assert reveal(client, 1).status_code == 200
    with browser(app, "198.51.100.2") as moved:  # the same cookie from another address
        moved.cookies.update(cookie)
        assert reveal(moved, 51).status_code == 429
        assert reveal(moved, 1, 2).status_code == 200  # this cookie's already; the address has room
    with browser(app, "198.51.100.3") as stranger:
        assert reveal(stranger, 50).status_code == 200


def test_a_forged_visitor_cookie_is_a_new_visitor(app: FastAPI) -> None:
    with browser(app, "198.51.100.1") as client:
        made = client.get("/login").headers["set-cookie"]
        assert "ln_visitor=" in made
        signed = made.split(";")[0].split("=", 1)[1]
        client.cookies.clear()
        kept = client.get("/login", headers={"Cookie": f"ln_visitor={signed}"})
        assert "set-cookie" not in kept.headers  # ours: kept as it is
        forged = client.get("/login", headers={"Cookie": "ln_visitor=someone-else.forged"})
        assert "ln_visitor=" in forged.headers["set-cookie"]  # not ours: a new visitor


def test_api_requests_are_limited_per_minute_then_allowed_again(app: FastAPI, clock: Clock) -> None:
    limit = PLANS["anonymous"].api_per_minute
    with browser(app) as client:
        for n in range(1, limit + 1):
            answer = client.get("/api/v1/search", params={"q": "x"})
            assert answer.status_code == 200
            assert answer.headers["x-ratelimit-limit"] == str(limit)
            assert answer.headers["x-ratelimit-remaining"] == str(limit - n)
            assert answer.headers["x-ratelimit-reset"] == str(int(START.timestamp()) + 30)
            assert "set-cookie" not in answer.headers  # API clients are known by address
        refused = client.get("/api/v1/search", params={"q": "x"})
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "30"
        error = refused.json()["error"]
        assert error["code"] == "rate_limited"
        assert f"allows {limit} API requests a minute" in error["message"]
        assert "resets at 22:59 UTC, in 30 s" in error["message"]
        clock.move(seconds=30)
        assert client.get("/api/v1/search", params={"q": "x"}).status_code == 200


def test_an_api_key_is_limited_by_its_plan_not_its_address(app: FastAPI, where: Path) -> None:
    key = _api_key(where, "ada@example.com")
    free = PLANS["free"].api_per_minute
    with browser(app) as client:
        for _ in range(free):
            answer = client.get("/api/v1/search", params={"q": "x"}, headers={"X-API-Key": key})
            assert answer.status_code == 200
        assert answer.headers["x-ratelimit-limit"] == str(free)
        refused = client.get("/api/v1/search", params={"q": "x"}, headers={"X-API-Key": key})
        assert refused.status_code == 429 and "the free plan allows" in refused.text
        # Anonymous requests from the same address have their own count.
        assert client.get("/api/v1/search", params={"q": "x"}).status_code == 200


def test_users_plan_pro_raises_the_limits(
    app: FastAPI, where: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINERNOTES_DEMO", "0")
    key = _api_key(where, "ada@example.com")
    bearer = {"Authorization": f"Bearer {key}"}
    with browser(app) as client:
        assert reveal(client, *range(1, FREE + 1), **bearer).status_code == 200
        assert reveal(client, 100, **bearer).status_code == 429
        moved = CliRunner().invoke(
            cli, ["--db", str(where), "users", "plan", "ada@example.com", "pro"]
        )
        assert moved.exit_code == 0, moved.output
        answer = reveal(client, 100, **bearer)
        assert answer.status_code == 200
        assert answer.json() == {
            "plan": "pro",
            "left": PLANS["pro"].reveals_per_day - FREE - 1,
            "revealed": [*range(1, FREE + 1), 100],
        }


def test_two_server_processes_share_the_counts(where: Path, clock: Clock) -> None:
    key = _api_key(where, "ada@example.com")
    sent = {"X-API-Key": key}
    one, two = make_app(where, clock), make_app(where, clock)
    with browser(one) as first, browser(two) as second:
        assert reveal(first, 1, 2, **sent).status_code == 200
        assert reveal(second, 3, **sent).status_code == 200
        assert reveal(first, 4, **sent).status_code == 429
        assert reveal(second, 5, **sent).status_code == 429
        limit = PLANS["anonymous"].api_per_minute
        for n in range(limit):
            side = first if n % 2 else second
            assert side.get("/api/v1/search", params={"q": "x"}).status_code == 200
        assert first.get("/api/v1/search", params={"q": "x"}).status_code == 429
        assert second.get("/api/v1/search", params={"q": "x"}).status_code == 429


def test_simultaneous_reveals_never_spend_more_than_the_plan(where: Path) -> None:
    catalog = Catalog.open(where)
    user = credentials.sign_up(catalog.db, "ada@example.com", "correct horse battery", START)
    catalog.close()
    who = access.Visitor(PLANS["free"], "192.0.2.1", user.id, user.email, at=START)

    def try_one(person: int) -> bool:
        own = Catalog.connect(where)  # a connection of its own, as each server thread has
        try:
            access.reveal(own.db, who, [person])
        except ApiError as error:
            if error.status != 429:
                raise
            return False
        finally:
            own.close()
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        won = list(pool.map(try_one, range(1, 13)))
    assert sum(won) == FREE, won
    catalog = Catalog.open(where)
    assert access.reveals_left(catalog.db, who) == 0
    assert len(access.revealed_today(catalog.db, who)) == FREE
    catalog.close()
