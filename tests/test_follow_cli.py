"""`linernotes follow`, `notifications`, `notify settings`, `webhooks`, `feed url`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from backends import Backend
from follow_support import (
    add_user,
    artist_named,
    new_credit,
    opened,
    process,
    song_by,
    watch_catalog,
)
from linernotes.cli.main import cli

EMAIL = "ops@example.com"


class Run:
    def __init__(self, where: Path | str) -> None:
        self.where = where
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> Result:
        result = self.runner.invoke(cli, ["--db", str(self.where), *args])
        assert result.exit_code == code, result.output
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture(scope="module")
def where(backend: Backend, demo_path: Path | str) -> Path | str:
    made = watch_catalog(backend, demo_path, "follow_cli")
    with opened(made) as db:
        add_user(db, EMAIL)
    return made


@pytest.fixture
def run(where: Path | str) -> Run:
    return Run(where)


def test_follow_by_name_list_and_remove(run: Run) -> None:
    ambiguous = run("follow", "add", "--user", EMAIL, "artist", "Metro", code=3)
    assert "say which with --id" in ambiguous.output and "Metro Boomin" in ambiguous.output
    added = run("follow", "add", "--user", EMAIL, "person", "Serban Ghenea")
    assert f"{EMAIL} follows person Șerban Ghenea" in added.output
    listed = run.json("follow", "list", "--user", EMAIL)
    assert [(f["kind"], f["target_name"]) for f in listed][-1] == ("person", "Șerban Ghenea")
    follow_id = listed[-1]["id"]
    assert "Șerban Ghenea" in run("follow", "list", "--user", EMAIL).output
    assert (
        f"Removed follow #{follow_id}"
        in run("follow", "remove", "--user", EMAIL, str(follow_id)).output
    )
    again = run("follow", "remove", "--user", EMAIL, str(follow_id), code=1)
    assert f"has no follow #{follow_id}" in again.output


def test_follow_trending_and_bad_input(run: Run) -> None:
    made = run.json(
        "follow", "add", "--user", EMAIL, "trending", "--chart", "billboard-hot-100", "--top", "3"
    )
    assert (made["chart"], made["top_n"]) == ("billboard-hot-100", 3)
    unknown = run("follow", "add", "--user", EMAIL, "trending", "--chart", "nope", code=1)
    assert "no chart 'nope'" in unknown.output and "billboard-hot-100" in unknown.output
    wrong = run("follow", "add", "--user", EMAIL, "artist", "Drake", "--top", "3", code=2)
    assert "--chart and --top are for `follow add trending`" in wrong.output
    nobody = run("follow", "list", "--user", "nobody@example.com", code=1)
    assert "No user with the email nobody@example.com" in nobody.output
    missing = run("follow", "add", "--user", EMAIL, "artist", "Zzyzx Qwerty", code=1)
    assert "No artist or person 'Zzyzx Qwerty'" in missing.output


def test_notifications_show_what_changed(run: Run, where: Path | str) -> None:
    run("follow", "add", "--user", EMAIL, "artist", "--id", _metro(where))
    with opened(where) as db:
        metro = artist_named(db, "Metro Boomin")
        recording, title = song_by(db, metro)
        new_credit(db, artist_named(db, "Șerban Ghenea"), recording, "co_producer")
        process(db)
    shown = run("notifications", "--user", EMAIL, "--unread").output
    assert f"New credits on “{title}”" in shown
    assert "added: Șerban Ghenea, Co-Producer" in shown
    [found] = run.json("notifications", "--user", EMAIL)
    assert found["page"] == f"/song/{recording}" and found["read"] is False


def _metro(where: Path | str) -> str:
    with opened(where) as db:
        return str(artist_named(db, "Metro Boomin"))


def test_notify_settings(run: Run) -> None:
    shown = run("notify", "settings", "--user", EMAIL).output
    assert "notified at once; email on" in shown
    changed = run.json(
        "notify", "settings", "--user", EMAIL, "--mode", "daily", "--digest-hour", "7", "--no-email"
    )
    assert (changed["mode"], changed["digest_hour"], changed["email"]) == ("daily", 7, False)
    bad = run("notify", "settings", "--user", EMAIL, "--digest-hour", "25", code=2)
    assert "--digest-hour" in bad.output


def test_webhooks_and_the_feed_address(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINERNOTES_WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32")
    added = run("webhooks", "add", "--user", EMAIL, "http://127.0.0.1:9/hook")
    secret = added.output.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    listed = run.json("webhooks", "list", "--user", EMAIL)
    assert [w["url"] for w in listed] == ["http://127.0.0.1:9/hook"]
    assert secret not in run("webhooks", "list", "--user", EMAIL).output
    refused = run("webhooks", "add", "--user", EMAIL, "http://10.0.0.7/hook", code=2)
    assert "10.0.0.7 is a private address" in refused.output
    twice = run("webhooks", "add", "--user", EMAIL, "http://127.0.0.1:9/hook", code=1)
    assert "already" in twice.output
    removed = run("webhooks", "remove", "--user", EMAIL, str(listed[0]["id"]))
    assert "Removed webhook" in removed.output

    monkeypatch.setenv("LINERNOTES_BASE_URL", "https://notes.example/")
    url = run("feed", "url", "--user", EMAIL).output.strip()
    assert url.startswith("https://notes.example/feed/") and url.endswith(".atom")
    assert run("feed", "url", "--user", EMAIL).output.strip() == url  # stable
    renewed = run("feed", "url", "--user", EMAIL, "--new").output.strip()
    assert renewed != url and renewed.startswith("https://notes.example/feed/")


def test_trending_lists_each_charts_latest_top(run: Run) -> None:
    charts = {found["chart"]: found for found in run.json("trending", "--top", "2")}
    spotify = charts["spotify-us-daily-top200"]
    assert [(r["position"], r["title"]) for r in spotify["records"]] == [
        (1, "rockstar"),
        (2, "No Limit"),
    ]
    assert "billboard-hot-100" in charts
    shown = run("trending", "--chart", "spotify-us-daily-top200", "--top", "1").output
    assert "rockstar" in shown and "Post Malone" in shown and "No Limit" not in shown
    refused = run("trending", "--chart", "top-40", code=2).output
    assert "no chart 'top-40'" in refused
