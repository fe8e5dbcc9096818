"""`linernotes users`: create users, move them between plans, make and revoke API keys."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from accounts_support import Clock, browser, cheap_hashing, make_app, new_accounts_catalog
from linernotes.cli.main import cli

PASSWORD = "correct horse battery"


class Users:
    def __init__(self, where: Path | str) -> None:
        self.where = where
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, code: int = 0) -> Result:
        result = self.runner.invoke(cli, ["--db", str(self.where), "users", *args], input=input)
        assert result.exit_code == code, result.output
        return result

    def json(self, *args: str, input: str | None = None) -> Any:
        return json.loads(self(*args, "--json", input=input).stdout)


@pytest.fixture
def where(new_catalog: Callable[[str], Path | str], monkeypatch: pytest.MonkeyPatch) -> Path | str:
    monkeypatch.setenv("LINERNOTES_DEMO", "0")  # an empty catalog stays empty
    cheap_hashing(monkeypatch)
    return new_accounts_catalog(new_catalog)


@pytest.fixture
def users(where: Path | str) -> Users:
    return Users(where)


def test_add_asks_the_password_twice_and_lists_the_user(users: Users) -> None:
    added = users(
        "add", "Ada@Example.com", input=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n"
    )
    assert "Error: The two entered values do not match." in added.output
    assert "Added ada@example.com (#1) on the free plan." in added.output
    assert PASSWORD not in added.output
    listed = users.json("list")
    assert [(u["email"], u["plan"], u["active_keys"]) for u in listed] == [
        ("ada@example.com", "free", 0)
    ]
    assert "ada@example.com" in users("list").output


def test_add_from_stdin_with_a_plan_and_clear_errors(users: Users) -> None:
    added = users.json("add", "bo@example.com", "--plan", "pro", "--password-stdin", input=PASSWORD)
    assert (added["email"], added["plan"]) == ("bo@example.com", "pro")
    again = users("add", "BO@example.com", "--password-stdin", input=PASSWORD, code=1)
    assert "there is already an account for bo@example.com" in again.output
    short = users("add", "cy@example.com", "--password-stdin", input="short", code=1)
    assert "password: the password must have at least 10 characters" in short.output
    bad = users("add", "not-an-email", "--password-stdin", input=PASSWORD, code=1)
    assert "'not-an-email' is not an email address" in bad.output
    wrong_plan = users("add", "cy@example.com", "--plan", "gold", "--password-stdin", code=2)
    assert "'gold' is not one of 'free', 'pro'" in wrong_plan.output


def test_plan_moves_a_user_between_plans(users: Users) -> None:
    users("add", "ada@example.com", "--password-stdin", input=PASSWORD)
    moved = users("plan", "ADA@example.com", "pro")
    assert "ada@example.com: free -> pro." in moved.output
    assert users.json("list")[0]["plan"] == "pro"
    assert users.json("plan", "ada@example.com", "free")["was"] == "pro"
    missing = users("plan", "bob@example.com", "pro", code=1)
    assert "No user with the email bob@example.com." in missing.output


def test_a_key_is_printed_once_works_and_is_revoked(users: Users, where: Path | str) -> None:
    users("add", "ada@example.com", "--password-stdin", input=PASSWORD)
    made = users("key", "add", "ada@example.com", "--name", "nightly export")
    key = made.output.strip().splitlines()[-1]
    assert key.startswith("ln_") and len(key) == 46
    assert "Copy it now, it is not kept" in made.output
    listed = users("key", "list", "ada@example.com").output
    assert "nightly export" in listed and f"{key[:10]}…" in listed and key not in listed
    (entry,) = users.json("key", "list", "ada@example.com")
    assert entry["last_used_at"] is None and entry["revoked_at"] is None

    app = make_app(where, Clock())
    with browser(app) as client:
        answer = client.get("/api/v1/search", params={"q": "x"}, headers={"X-API-Key": key})
        assert answer.status_code == 200
        assert answer.headers["x-ratelimit-limit"] == "6"  # the free plan's, not anonymous
        assert users.json("key", "list", "ada@example.com")[0]["last_used_at"] is not None
        assert "revoked." in users("key", "revoke", str(entry["id"])).output
        refused = client.get("/api/v1/search", params={"q": "x"}, headers={"X-API-Key": key})
        assert refused.status_code == 401
    assert "was revoked already" in users("key", "revoke", str(entry["id"])).output
    assert "No API key #99." in users("key", "revoke", "99", code=1).output


def test_remove_deletes_the_user_and_their_keys(users: Users) -> None:
    users("add", "ada@example.com", "--password-stdin", input=PASSWORD)
    key = users.json("key", "add", "ada@example.com")
    assert key["key"].startswith("ln_") and key["name"].startswith("key made ")
    assert users("remove", "ada@example.com", input="n\n", code=1).output.endswith("Aborted!\n")
    assert "Removed ada@example.com." in users("remove", "ada@example.com", "--yes").output
    assert users.json("list") == []
    assert "No API key" in users("key", "revoke", str(key["id"]), code=1).output
