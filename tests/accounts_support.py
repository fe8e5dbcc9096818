"""What the accounts and limits tests share: an app on a catalog of their own with small plans,
a clock they move by hand, a tiny route that reveals handles, and a browser that signs up."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import pytest
from argon2 import PasswordHasher
from fastapi import APIRouter, Body, Depends, FastAPI, Request
from fastapi.testclient import TestClient

from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.web import access, credentials, deps
from linernotes.web.app import create_app, prepare
from linernotes.web.config import Plan, WebConfig
from linernotes.web.errors import ApiError, error_response

PLANS = {
    "anonymous": Plan("anonymous", reveals_per_day=2, api_per_minute=4),
    "free": Plan("free", reveals_per_day=3, api_per_minute=6),
    "pro": Plan("pro", reveals_per_day=10, api_per_minute=100),
}
PASSWORD = "correct horse battery"
START = datetime(2026, 3, 14, 22, 58, 30, tzinfo=UTC)


def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with the least work it allows: the production parameters take most of a second a
    hash on this machine, and the tests hash dozens of times. One test checks the real ones."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(credentials, "HASHER", cheap)


class Clock:
    """The app's `now`: stands still until a test moves it."""

    def __init__(self, at: datetime = START) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def move(self, **delta: float) -> None:
        self.at += timedelta(**delta)


# A route standing for every way a handle is shown (pages, API, exports all call access.reveal).
probe = APIRouter()


@probe.post("/test/reveal")
def reveal_probe(
    request: Request,
    db: Annotated[Database, Depends(deps.db)],
    ids: Annotated[list[int], Body()],
) -> Any:
    who = access.visitor(request)
    try:
        access.reveal(db, who, ids)
    except ApiError as error:  # as the API answers it (pages show their own message)
        return error_response(error)
    return {
        "plan": who.plan.name,
        "left": access.reveals_left(db, who),
        "revealed": sorted(access.revealed_today(db, who)),
    }


def new_accounts_catalog(new_catalog: Callable[[str], Path | str]) -> Path | str:
    where = new_catalog("accounts")
    catalog = Catalog.open(where)
    prepare(catalog)
    catalog.close()
    return where


def make_app(where: Path | str, clock: Clock, **config: Any) -> FastAPI:
    app = create_app(WebConfig(where, plans=PLANS, **config))
    app.state.now = clock
    app.include_router(probe)
    return app


@contextmanager
def browser(app: FastAPI, address: str = "203.0.113.7") -> Iterator[TestClient]:
    with TestClient(app, client=(address, 40000), follow_redirects=False) as client:
        yield client


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = _CSRF.search(page.text)
    assert found is not None, f"no CSRF field on {path}"
    return found[1]


def sign_up(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf_of(client, "/signup")
    return client.post(
        "/signup",
        data={
            "csrf_token": token,
            "email": email,
            "password": password,
            "password_again": password,
        },
    )


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf_of(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password})


def reveal(client: TestClient, *ids: int, **headers: str) -> Any:
    return client.post("/test/reveal", json=list(ids), headers=headers)
