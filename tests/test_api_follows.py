"""The follow and notify API: follows, notifications, settings, webhooks, each account's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import GENEROUS
from backends import Backend
from follow_support import (
    add_user,
    api_key,
    artist_named,
    new_credit,
    opened,
    process,
    song_by,
    watch_catalog,
)
from linernotes.watch.address import Policy, parse_allow
from linernotes.web.app import create_app
from linernotes.web.config import WebConfig

NAMES = {"hooks.example": ["93.184.216.34"], "sneaky.example": ["10.1.2.3"]}


def resolver(host: str, port: int) -> list[str]:
    return NAMES.get(host, [])


class Api:
    """A client as one account: its key on every request."""

    def __init__(self, client: TestClient, key: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params=params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(f"/api/v1{path}", json=body, headers=self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(f"/api/v1{path}", json=body, headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self.headers)


@pytest.fixture(scope="module")
def where(backend: Backend, demo_path: Path | str) -> Path | str:
    return watch_catalog(backend, demo_path, "api_follows")


@pytest.fixture(scope="module")
def client(where: Path | str) -> Iterator[TestClient]:
    app = create_app(WebConfig(where, plans=GENEROUS))
    app.state.webhook_policy = Policy(parse_allow("127.0.0.1/32"), resolver)
    with TestClient(app, client=("198.51.100.9", 40000)) as made:
        yield made


_count = iter(range(1_000_000))


@pytest.fixture
def api(client: TestClient, where: Path | str) -> Api:
    """A new account of its own for each test."""
    with opened(where) as db:
        user = add_user(db, f"user{next(_count)}@example.com")
        return Api(client, api_key(db, user))


def error(answer: Any, status: int) -> dict[str, str]:
    assert answer.status_code == status, answer.text
    found: dict[str, str] = answer.json()["error"]
    return found


def test_without_an_account_every_route_is_a_401_with_the_error_body(client: TestClient) -> None:
    for method, path in [
        ("GET", "/follows"),
        ("POST", "/follows"),
        ("GET", "/notifications"),
        ("GET", "/notify-settings"),
        ("GET", "/webhooks"),
    ]:
        answer = client.request(method, f"/api/v1{path}", json={"kind": "artist"})
        found = error(answer, 401)
        assert found["code"] == "unauthorized"
        assert found["where"] == "header.Authorization"
        assert "API key" in found["message"]


def test_follow_then_list_then_unfollow(api: Api, where: Path | str) -> None:
    with opened(where) as db:
        metro = artist_named(db, "Metro Boomin")
    made = api.post("/follows", {"kind": "artist", "target_id": metro})
    assert made.status_code == 201, made.text
    follow = made.json()
    assert (follow["kind"], follow["target_name"], follow["page"]) == (
        "artist",
        "Metro Boomin",
        f"/artist/{metro}",
    )
    again = api.post("/follows", {"kind": "artist", "target_id": metro})
    assert again.status_code == 200 and again.json()["id"] == follow["id"]
    listed = api.get("/follows").json()["follows"]
    assert [f["id"] for f in listed] == [follow["id"]]
    assert api.delete(f"/follows/{follow['id']}").status_code == 204
    assert api.get("/follows").json()["follows"] == []
    gone = error(api.delete(f"/follows/{follow['id']}"), 404)
    assert gone["where"] == "path.follow_id"


def test_trending_follows_name_their_chart(api: Api) -> None:
    made = api.post("/follows", {"kind": "trending", "chart": "billboard-hot-100", "top_n": 5})
    assert made.status_code == 201, made.text
    assert (made.json()["chart"], made.json()["top_n"], made.json()["page"]) == (
        "billboard-hot-100",
        5,
        None,
    )
    bad = error(api.post("/follows", {"kind": "trending", "chart": "top-of-the-pops"}), 422)
    assert bad["where"] == "body.chart"
    assert "billboard-hot-100" in bad["message"]  # the charts held are listed


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "band", "target_id": 1}, "body.kind"),
        ({"kind": "artist", "target_id": 999_999_999}, "body.target_id"),
        ({"kind": "artist", "target_id": -1}, "body.target_id"),
        ({"kind": "trending", "chart": "billboard-hot-100", "top_n": 500}, "body.top_n"),
        ({"kind": "artist", "target_id": 1, "colour": "red"}, "body.colour"),
    ],
)
def test_a_bad_follow_is_a_422_naming_the_field(api: Api, body: Any, field: str) -> None:
    assert error(api.post("/follows", body), 422)["where"] == field


def test_notifications_list_and_mark_read(api: Api, where: Path | str) -> None:
    with opened(where) as db:
        metro = artist_named(db, "Metro Boomin")
        serban = artist_named(db, "Șerban Ghenea")
    api.post("/follows", {"kind": "artist", "target_id": metro})
    with opened(where) as db:
        recording, title = song_by(db, metro)
        new_credit(db, serban, recording, "vocal_producer")
        process(db)
    answer = api.get("/notifications")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["unread"] == 1 and body["next"] is None
    [found] = body["notifications"]
    assert found["event"]["subject"]["title"] == title
    assert found["page"] == f"/song/{recording}"
    assert [(c["change"], c["person"]["name"]) for c in found["event"]["changes"]] == [
        ("added", "Șerban Ghenea")
    ]
    assert found["reasons"][0]["target"]["name"] == "Metro Boomin"
    assert found["read"] is False
    marked = api.post("/notifications/read", {"ids": [found["id"]]})
    assert marked.json() == {"marked": 1, "unread": 0}
    assert api.get("/notifications", unread="true").json()["notifications"] == []
    assert api.get("/notifications").json()["notifications"][0]["read"] is True
    assert error(api.get("/notifications", limit=0), 422)["where"] == "query.limit"


def test_settings_read_and_change(api: Api) -> None:
    first = api.get("/notify-settings").json()
    assert (first["mode"], first["digest_hour"], first["email"]) == ("instant", 8, True)
    assert first["feed_url"].startswith("http://127.0.0.1:8000/feed/")
    assert first["feed_url"].endswith(".atom")
    changed = api.put("/notify-settings", {"mode": "daily", "digest_hour": 6})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["mode"], changed.json()["digest_hour"], changed.json()["email"]) == (
        "daily",
        6,
        True,
    )
    assert error(api.put("/notify-settings", {"digest_hour": 24}), 422)["where"] == (
        "body.digest_hour"
    )
    assert error(api.put("/notify-settings", {"mode": "hourly"}), 422)["where"] == "body.mode"


def test_webhooks_secret_once_private_addresses_refused(api: Api) -> None:
    made = api.post("/webhooks", {"url": "https://hooks.example/linernotes"})
    assert made.status_code == 201, made.text
    hook = made.json()
    assert hook["secret"].startswith("whsec_")
    listed = api.get("/webhooks").json()["webhooks"]
    assert [w["url"] for w in listed] == ["https://hooks.example/linernotes"]
    assert "secret" not in listed[0]
    assert error(api.post("/webhooks", {"url": hook["url"]}), 409)["where"] == "body.url"
    loopback = api.post("/webhooks", {"url": "http://127.0.0.1:9000/hook"})  # allowed here
    assert loopback.status_code == 201, loopback.text
    for refused, why in [
        ("http://10.0.0.5/hook", "private"),
        ("http://[::1]/hook", "loopback"),
        ("http://169.254.169.254/latest", "link-local"),
        ("https://sneaky.example/hook", "resolves to 10.1.2.3"),
        ("ftp://hooks.example/x", "http"),
    ]:
        found = error(api.post("/webhooks", {"url": refused}), 422)
        assert found["where"] == "body.url"
        assert why in found["message"], found
    assert api.get(f"/webhooks/{hook['id']}/attempts").json() == {"attempts": []}
    assert api.delete(f"/webhooks/{hook['id']}").status_code == 204
    assert error(api.get(f"/webhooks/{hook['id']}/attempts"), 404)["where"] == "path.webhook_id"


def test_another_accounts_things_are_not_found(
    api: Api, client: TestClient, where: Path | str
) -> None:
    with opened(where) as db:
        other = Api(client, api_key(db, add_user(db, "other@example.com")))
        metro = artist_named(db, "Metro Boomin")
    follow = other.post("/follows", {"kind": "artist", "target_id": metro}).json()
    hook = other.post("/webhooks", {"url": "https://hooks.example/other"}).json()
    assert error(api.delete(f"/follows/{follow['id']}"), 404)["code"] == "not_found"
    assert error(api.delete(f"/webhooks/{hook['id']}"), 404)["code"] == "not_found"
    assert error(api.get(f"/webhooks/{hook['id']}/attempts"), 404)["code"] == "not_found"
    assert [f["id"] for f in other.get("/follows").json()["follows"]] == [follow["id"]]


def test_trending_is_the_top_of_a_charts_latest_date_without_an_account(
    client: TestClient,
) -> None:
    answer = client.get("/api/v1/trending", params={"chart": "spotify-us-daily-top200", "top": 2})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["chart"], found["date"], found["top_n"]) == (
        "spotify-us-daily-top200",
        "2017-12-31",
        2,
    )
    assert [(r["position"], r["title"], r["artist"]) for r in found["records"]] == [
        (1, "rockstar", "Post Malone"),
        (2, "No Limit", "G-Eazy"),
    ]
    song = found["records"][0]
    assert song["page"] == f"/song/{song['recording_id']}"
    missing = error(client.get("/api/v1/trending", params={"chart": "top-40"}), 404)
    assert missing["where"] == "query.chart" and "spotify-us-daily-top200" in missing["message"]
    assert error(client.get("/api/v1/trending", params={"chart": "x", "top": 0}), 422)
