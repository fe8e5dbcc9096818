"""Accounts in the browser and the API: sign-up, login, logout, CSRF, API keys."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from accounts_support import (
    PASSWORD,
    Clock,
    browser,
    cheap_hashing,
    csrf_of,
    log_in,
    make_app,
    new_accounts_catalog,
    reveal,
    sign_up,
)
from linernotes.store import accounts
from linernotes.store.catalog import Catalog
from linernotes.web import access, auth, credentials


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


def _stored(
    where: Path | str, sql: str, params: tuple[object, ...] = ()
) -> list[tuple[object, ...]]:
    catalog = Catalog.open(where)
    try:
        return catalog.db.execute(sql, params)
    finally:
        catalog.close()


def test_sign_up_logs_in_and_the_account_page_shows_plan_and_reveals_left(app: FastAPI) -> None:
    with browser(app) as client:
        answer = sign_up(client, "  Ada@Example.COM ")
        assert answer.status_code == 303 and answer.headers["location"] == "/account"
        cookie = answer.headers["set-cookie"]
        assert "ln_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie  # development serves plain HTTP
        page = client.get("/account")
        assert page.status_code == 200
        assert "ada@example.com" in page.text  # stored normalised
        assert re.search(r'id="plan-name">free<', page.text)
        assert re.search(r'id="reveals-left">3 of 3 left,\s+resets at 00:00 UTC', page.text)
        assert page.headers["cache-control"] == "no-store"
        assert reveal(client, 11).json()["plan"] == "free"
        assert re.search(r'id="reveals-left">2 of 3 left', client.get("/account").text)


def test_login_with_a_wrong_password_or_unknown_email_says_the_same(app: FastAPI) -> None:
    with browser(app) as client:
        sign_up(client, "ada@example.com")
        client.cookies.delete(auth.SESSION_COOKIE)
        wrong = log_in(client, "ada@example.com", "not the password")
        unknown = log_in(client, "bob@example.com", PASSWORD)
        for answer in (wrong, unknown):
            assert answer.status_code == 400
            assert 'role="alert">Wrong email or password.</p>' in answer.text
            assert auth.SESSION_COOKIE not in answer.headers.get("set-cookie", "")
        assert client.get("/account").headers["location"] == "/login?next=/account"
        assert log_in(client, "ADA@example.com ", PASSWORD).status_code == 303
        assert client.get("/account").status_code == 200


def test_sign_up_refuses_bad_input_with_clear_messages(app: FastAPI) -> None:
    with browser(app) as client:
        short = sign_up(client, "ada@example.com", "short")
        assert short.status_code == 400 and "at least 10 characters" in short.text
        bad = sign_up(client, "ada.example.com")
        assert bad.status_code == 400 and "is not an email address" in bad.text
        assert sign_up(client, "ada@example.com").status_code == 303
        client.cookies.clear()
        taken = sign_up(client, "Ada@example.com")
        assert taken.status_code == 400 and "already an account" in taken.text


def test_a_post_without_the_csrf_token_is_refused(app: FastAPI) -> None:
    with browser(app) as client:
        form = {"email": "ada@example.com", "password": PASSWORD, "password_again": PASSWORD}
        for path in ("/signup", "/login", "/logout", "/account/keys"):
            answer = client.post(path, data=form)
            assert answer.status_code == 403, path
            assert "did not come from this site" in answer.text
            forged = client.post(path, data={**form, "csrf_token": "0" * 64})
            assert forged.status_code == 403
        assert _stored(app.state.config.where, "SELECT count(*) FROM account") == [(0,)]
        # The header htmx sends works as the form field does.
        token = csrf_of(client, "/signup")
        answer = client.post("/signup", data=form, headers={auth.CSRF_HEADER: token})
        assert answer.status_code == 303


def test_the_first_page_a_browser_sees_carries_a_working_token(app: FastAPI) -> None:
    with browser(app) as client:
        page = client.get("/signup")
        assert "ln_visitor=" in page.headers["set-cookie"]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        assert f'<meta name="csrf-token" content="{token[1]}">' in page.text
    with browser(app) as other:  # another browser's token is not this one's
        answer = other.post("/login", data={"csrf_token": token[1], "email": "a@b.co"})
        assert answer.status_code == 403


def test_login_rotates_the_session_and_logout_deletes_it(app: FastAPI) -> None:
    where = app.state.config.where
    with browser(app) as client:
        sign_up(client, "ada@example.com")
        first = client.cookies[auth.SESSION_COOKIE]
        assert client.get("/login").headers["location"] == "/account"  # signed in already
        token = csrf_of(client, "/account")
        form = {"csrf_token": token, "email": "ada@example.com", "password": PASSWORD}
        assert client.post("/login", data=form).status_code == 303
        second = client.cookies[auth.SESSION_COOKIE]
        assert second != first
        hashes = {str(r[0]) for r in _stored(where, "SELECT token_hash FROM account_session")}
        assert hashes == {credentials.token_hash(second)}  # the old one is gone, the token too
        token = csrf_of(client, "/account")
        answer = client.post("/logout", data={"csrf_token": token})
        assert answer.status_code == 303 and answer.headers["location"] == "/"
        assert _stored(where, "SELECT count(*) FROM account_session") == [(0,)]
        # Replaying the old cookie after logout does not sign anyone in.
        client.cookies.set(auth.SESSION_COOKIE, second)
        assert client.get("/account").status_code == 303


def test_cookies_are_secure_in_production(where: Path | str, clock: Clock) -> None:
    app = make_app(where, clock, production=True, secret_key="s" * 40)
    with browser(app) as client:
        cookie = client.get("/login").headers["set-cookie"]
        assert "ln_visitor=" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_an_old_password_hash_is_upgraded_at_login(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(credentials, "HASHER", PasswordHasher())  # the production parameters
    where = app.state.config.where
    catalog = Catalog.open(where)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    accounts.add_user(catalog.db, "old@example.com", weak, "free", Clock()())
    catalog.close()
    with browser(app) as client:
        assert log_in(client, "old@example.com").status_code == 303
    (stored,) = _stored(where, "SELECT password_hash FROM account")
    assert str(stored[0]).startswith("$argon2id$") and stored[0] != weak
    assert not PasswordHasher().check_needs_rehash(str(stored[0]))
    with browser(app) as client:  # the new hash opens the account as the old one did
        assert log_in(client, "old@example.com").status_code == 303


def test_an_api_key_is_shown_once_stored_hashed_and_works_until_revoked(app: FastAPI) -> None:
    where = app.state.config.where
    with browser(app) as client:
        sign_up(client, "ada@example.com")
        token = csrf_of(client, "/account")
        made = client.post("/account/keys", data={"csrf_token": token, "name": "my script"})
        assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
        found = re.search(r'<code id="new-key">(ln_[A-Za-z0-9_-]{43})</code>', made.text)
        assert found is not None
        key = found[1]
        again = client.get("/account").text
        assert key not in again and f"{key[:10]}…" in again and "my script" in again
        dumped = repr(_stored(where, "SELECT * FROM api_key"))
        assert key not in dumped and key[10:] not in dumped
        assert credentials.token_hash(key) in dumped

    with browser(app, "198.51.100.9") as script:  # no cookies: the key alone
        for header in ({"Authorization": f"Bearer {key}"}, {"X-API-Key": key}):
            answer = reveal(script, 5, **header)
            assert answer.status_code == 200 and answer.json()["plan"] == "free"
        assert script.get("/api/v1/search", params={"q": "x"}, headers={"X-API-Key": key}).json()
        (key_id,) = _stored(where, "SELECT id FROM api_key")
    with browser(app) as client:
        log_in(client, "ada@example.com")
        token = csrf_of(client, "/account")
        revoked = client.post(f"/account/keys/{key_id[0]}/revoke", data={"csrf_token": token})
        assert revoked.status_code == 303
        assert "revoked" in client.get("/account").text
    with browser(app, "198.51.100.9") as script:
        answer = script.get("/api/v1/search", params={"q": "x"}, headers={"X-API-Key": key})
        assert answer.status_code == 401
        assert answer.json()["error"] == {
            "code": "bad_api_key",
            "message": (
                "this API key is unknown or was revoked: make a new one on your account page"
            ),
            "where": "header.X-API-Key",
        }
        bearer = script.get(
            "/api/v1/search", params={"q": "x"}, headers={"Authorization": "Bearer ln_nope"}
        )
        assert (
            bearer.status_code == 401 and bearer.json()["error"]["where"] == "header.Authorization"
        )


def test_a_key_of_another_user_cannot_be_revoked(app: FastAPI) -> None:
    catalog = Catalog.open(app.state.config.where)
    owner = credentials.sign_up(catalog.db, "owner@example.com", PASSWORD, Clock()())
    key, _ = credentials.new_key(catalog.db, owner, "theirs", Clock()())
    catalog.close()
    with browser(app) as client:
        sign_up(client, "mallory@example.com")
        token = csrf_of(client, "/account")
        answer = client.post(f"/account/keys/{key.id}/revoke", data={"csrf_token": token})
        assert answer.status_code == 404
    catalog = Catalog.open(app.state.config.where)
    assert accounts.keys(catalog.db, owner.id)[0].active
    catalog.close()


def test_login_goes_back_only_to_pages_of_this_site(app: FastAPI) -> None:
    with browser(app) as client:
        sign_up(client, "ada@example.com")
        for target, expected in (("/artist/1", "/artist/1"), ("//evil.example", "/account")):
            client.cookies.delete(auth.SESSION_COOKIE)
            form = {"csrf_token": csrf_of(client), "email": "ada@example.com", "password": PASSWORD}
            answer = client.post("/login", data={**form, "next": target})
            assert answer.headers["location"] == expected


def test_sign_up_and_login_attempts_are_limited_per_address(app: FastAPI) -> None:
    with browser(app) as client:
        token = csrf_of(client, "/login")
        form = {"csrf_token": token, "email": "ada@example.com", "password": "guess guess guess"}
        for _ in range(access.AUTH_ATTEMPTS):
            assert client.post("/login", data=form).status_code == 400
        refused = client.post("/login", data=form)
        assert refused.status_code == 429
        assert "Too many sign-up and login attempts" in refused.text
        assert int(refused.headers["retry-after"]) > 0
    with browser(app, "192.0.2.50") as elsewhere:  # another address is not held back
        assert log_in(elsewhere, "ada@example.com").status_code == 400
