"""Follow buttons, /follows, /notifications and the Atom feed, as a browser sees them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accounts_support import cheap_hashing, csrf_of, sign_up
from api_support import GENEROUS
from backends import Backend
from follow_support import artist_named, new_credit, opened, process, song_by, watch_catalog
from linernotes.watch.address import Policy, parse_allow
from linernotes.web.app import create_app
from linernotes.web.config import WebConfig

HTMX = {"HX-Request": "true"}
_count = iter(range(1_000_000))


@pytest.fixture(scope="module")
def where(backend: Backend, demo_path: Path | str) -> Path | str:
    return watch_catalog(backend, demo_path, "follow_pages")


@pytest.fixture(scope="module")
def app(where: Path | str) -> FastAPI:
    made = create_app(WebConfig(where, plans=GENEROUS))
    made.state.webhook_policy = Policy(parse_allow(""), lambda host, port: ["93.184.216.34"])
    return made


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, client=("203.0.113.50", 40000), follow_redirects=False) as client:
        yield client


@pytest.fixture
def browser(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A browser signed in as a new user of its own."""
    cheap_hashing(monkeypatch)
    with TestClient(app, client=("203.0.113.51", 40000), follow_redirects=False) as client:
        assert sign_up(client, f"fan{next(_count)}@example.com").status_code == 303
        yield client


@pytest.fixture(scope="module")
def metro(where: Path | str) -> int:
    with opened(where) as db:
        return artist_named(db, "Metro Boomin")


def csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_of(client, "/")}


def follow_slot(html: str) -> str:
    found = re.search(r'<div class="follow-slot".*?</div>', html, re.S)
    assert found is not None, "no follow button"
    return found[0]


def test_anonymous_visitors_are_asked_to_log_in(anonymous: TestClient, metro: int) -> None:
    slot = follow_slot(anonymous.get(f"/artist/{metro}").text)
    assert "Log in to follow" in slot
    assert f'href="/login?next=/artist/{metro}"' in slot.replace("%2F", "/")
    assert anonymous.get("/follows").headers["location"] == "/login?next=/follows"


def test_the_follow_button_flips_with_htmx_and_stays(browser: TestClient, metro: int) -> None:
    page = browser.get(f"/artist/{metro}").text
    assert ">Follow</button>" in follow_slot(page)
    token = csrf_of(browser, f"/artist/{metro}")
    form = {"csrf_token": token, "kind": "artist", "target_id": str(metro), "next": "/x"}
    swapped = browser.post("/follows/add", data=form, headers=HTMX)
    assert swapped.status_code == 200, swapped.text
    assert "Following" in swapped.text and "Unfollow" in swapped.text
    slot = follow_slot(browser.get(f"/artist/{metro}").text)
    assert "Following" in slot and "Unfollow Metro Boomin" in slot
    follow_id = re.search(r"/follows/(\d+)/remove", slot)
    assert follow_id is not None
    back = browser.post(
        f"/follows/{follow_id[1]}/remove", data={"csrf_token": token, "next": "/"}, headers=HTMX
    )
    assert ">Follow</button>" in back.text
    assert ">Follow</button>" in follow_slot(browser.get(f"/artist/{metro}").text)


def test_without_javascript_the_form_goes_back_to_the_page(
    browser: TestClient, where: Path | str
) -> None:
    with opened(where) as db:
        serban = artist_named(db, "Șerban Ghenea")
    token = csrf_of(browser, f"/person/{serban}")
    form = {"csrf_token": token, "kind": "person", "target_id": str(serban)}
    answer = browser.post("/follows/add", data={**form, "next": f"/person/{serban}"})
    assert (answer.status_code, answer.headers["location"]) == (303, f"/person/{serban}")
    assert "Unfollow Șerban Ghenea" in browser.get(f"/person/{serban}").text
    evil = browser.post("/follows/add", data={**form, "next": "//evil.example/"})
    assert evil.headers["location"] == "/follows"
    forged = browser.post("/follows/add", data={**form, "csrf_token": "forged"})
    assert forged.status_code == 403


def test_albums_have_a_follow_button(browser: TestClient, where: Path | str) -> None:
    with opened(where) as db:
        row = db.one("SELECT id, title FROM release ORDER BY id LIMIT 1")
    assert row is not None
    slot = follow_slot(browser.get(f"/album/{row[0]}").text)
    assert 'name="kind" value="release"' in slot


def test_follows_page_trending_form_and_notifications(
    browser: TestClient, where: Path | str, metro: int
) -> None:
    token = csrf_of(browser, "/follows")
    form = {"csrf_token": token, "kind": "artist", "target_id": str(metro)}
    browser.post("/follows/add", data=form)
    bad = browser.post(
        "/follows/trending",
        data={"csrf_token": token, "chart": "billboard-hot-100", "top_n": "ten"},
    )
    assert bad.status_code == 400
    assert "Top N must be a whole number from 1 to 200" in bad.text
    made = browser.post(
        "/follows/trending", data={"csrf_token": token, "chart": "billboard-hot-100", "top_n": "5"}
    )
    assert made.status_code == 303
    page = browser.get("/follows").text
    assert "Metro Boomin" in page and "top 5 of <strong>billboard-hot-100</strong>" in page
    assert "No notifications yet." in page

    with opened(where) as db:
        recording, title = song_by(db, metro)
        new_credit(db, artist_named(db, "Șerban Ghenea"), recording, "additional_producer")
        process(db)
    page = browser.get("/follows").text
    assert f'href="/song/{recording}">New credits on “{title}”' in page
    assert "added: Șerban Ghenea" in page
    assert 'class="badge">1<span class="visually-hidden"> unread' in page  # the header
    browser.post("/notifications/read", data={"csrf_token": token})
    page = browser.get("/follows").text
    assert "Mark all read" not in page and 'class="notification unread"' not in page


def test_settings_webhook_secret_once_and_the_feed(
    browser: TestClient, anonymous: TestClient
) -> None:
    first = browser.get("/notifications")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    token = csrf_of(browser, "/notifications")
    saved = browser.post(
        "/notifications/settings",
        data={"csrf_token": token, "mode": "daily", "digest_hour": "6"},
    )
    assert saved.status_code == 303
    page = browser.get("/notifications").text
    assert 'value="daily" checked' in page and '<option value="6" selected>06:00' in page
    assert 'name="email" checked' not in page  # the box was left unticked

    added = browser.post(
        "/notifications/webhooks", data={"csrf_token": token, "url": "https://hooks.example/x"}
    )
    secret = re.search(r'<code id="webhook-secret">(whsec_[^<]+)</code>', added.text)
    assert secret is not None
    assert secret[1] not in browser.get("/notifications").text  # shown once
    refused = browser.post(
        "/notifications/webhooks", data={"csrf_token": token, "url": "http://192.168.1.2/x"}
    )
    assert refused.status_code == 400 and "is a private address" in refused.text

    feed_url = re.search(r'<code id="feed-url">http://127.0.0.1:8000(/feed/[^<]+)</code>', page)
    assert feed_url is not None
    answer = anonymous.get(feed_url[1])  # no login: the token is the access
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    assert feedparser.parse(answer.content).feed.title == "linernotes: your notifications"
    assert anonymous.get("/feed/not-a-token.atom").status_code == 404


def test_the_feed_lists_the_notifications(
    browser: TestClient, where: Path | str, metro: int
) -> None:
    token = csrf_of(browser, "/follows")
    browser.post(
        "/follows/add", data={"csrf_token": token, "kind": "artist", "target_id": str(metro)}
    )
    with opened(where) as db:
        recording, title = song_by(db, metro)
        new_credit(db, artist_named(db, "Offset"), recording, "vocal_producer")
        process(db, minutes=5)
    page = browser.get("/notifications").text
    path = re.search(r'<code id="feed-url">http://127.0.0.1:8000(/feed/[^<]+)</code>', page)
    assert path is not None
    parsed = feedparser.parse(browser.get(path[1]).content)
    [entry] = parsed.entries
    assert entry.title.startswith(f"New credits on “{title}”")
    assert entry.link == f"http://127.0.0.1:8000/song/{recording}"
    assert entry.id.startswith("tag:127.0.0.1,2026:event/")
    assert "added: Offset" in entry.summary


def test_a_session_writes_to_the_api_with_its_csrf_header(browser: TestClient, metro: int) -> None:
    body = {"kind": "artist", "target_id": metro}
    refused = browser.post("/api/v1/follows", json=body)
    assert refused.status_code == 403
    assert refused.json()["error"]["where"] == "header.X-CSRF-Token"
    assert browser.post("/api/v1/follows", json=body, headers=csrf(browser)).status_code == 201
