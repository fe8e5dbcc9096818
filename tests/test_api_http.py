"""What every API answer shares: strong ETags and 304s, cache headers, one error body."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_support import api_client, artist_id, demo_copy, duets_id
from backends import Backend


@pytest.fixture(scope="module")
def where(backend: Backend, demo_path: Path | str) -> Path | str:
    return demo_copy(backend, demo_path, "api_http")


@pytest.fixture(scope="module")
def client(backend: Backend, where: Path | str) -> Iterator[TestClient]:
    with api_client(where) as client:
        yield client


@pytest.fixture(scope="module")
def paths(where: Path | str) -> list[str]:
    drake, duets = artist_id(where, "Drake"), duets_id(where)
    return [
        "/api/v1/search?q=drake",
        f"/api/v1/artists/{drake}",
        f"/api/v1/artists/{drake}/producers?include=handles",
        f"/api/v1/artists/{drake}/producers/export?format=json",
        f"/api/v1/people/{drake}",
        f"/api/v1/releases/{duets}/credits",
        "/api/v1/recordings/1/credits",
        "/api/v1/handles?name=Drake",
        "/api/v1/roles",
        "/api/v1/roles/producer",
    ]


def test_every_answer_has_a_strong_etag_and_revalidates(
    client: TestClient, paths: list[str]
) -> None:
    for path in paths:
        first = client.get(path)
        etag = first.headers["etag"]
        assert etag.startswith('"') and not etag.startswith("W/"), path
        assert "no-cache" in first.headers["cache-control"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.content == b""
        assert again.headers["etag"] == etag


def test_if_none_match_takes_lists_weak_tags_and_star(client: TestClient) -> None:
    path = "/api/v1/roles/producer"
    etag = client.get(path).headers["etag"]
    for sent in (f'"old", {etag}', f"W/{etag}", "*"):
        assert client.get(path, headers={"If-None-Match": sent}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"old"'}).status_code == 200


def test_a_different_answer_has_a_different_etag(client: TestClient, where: Path | str) -> None:
    path = f"/api/v1/releases/{duets_id(where)}/credits"
    plain = client.get(path)
    sourced = client.get(path, params={"sources": "true"})
    assert plain.headers["etag"] != sourced.headers["etag"]
    stale = client.get(
        path, params={"sources": "true"}, headers={"If-None-Match": plain.headers["etag"]}
    )
    assert stale.status_code == 200 and stale.json()["release_credits"][0]["sources"]


def test_answers_showing_handles_are_private(client: TestClient, where: Path | str) -> None:
    drake = artist_id(where, "Drake")
    shown = client.get(f"/api/v1/artists/{drake}/producers", params={"include": "handles"})
    assert shown.headers["cache-control"] == "private, no-cache"
    public = client.get(f"/api/v1/artists/{drake}/producers")
    assert public.headers["cache-control"] == "no-cache"


def test_errors_carry_the_error_body_and_no_etag(client: TestClient) -> None:
    for path, status in [
        ("/api/v1/artists/987654321", 404),
        ("/api/v1/nothing-here", 404),
        ("/api/v1/search?q=drake&limit=0", 422),
    ]:
        answer = client.get(path)
        assert answer.status_code == status
        assert set(answer.json()["error"]) == {"code", "message", "where"}
        assert "etag" not in answer.headers
    posted = client.post("/api/v1/roles")
    assert posted.status_code == 405
    assert posted.json()["error"]["code"] == "method_not_allowed"


def test_the_openapi_description_documents_every_endpoint(client: TestClient) -> None:
    described = client.get("/api/v1/openapi.json").json()
    paths = {p for p in described["paths"] if p.startswith("/api/v1/")}
    assert paths == {
        "/api/v1/search",
        "/api/v1/artists/{artist_id}",
        "/api/v1/artists/{artist_id}/producers",
        "/api/v1/artists/{artist_id}/producers/export",
        "/api/v1/people/{artist_id}",
        "/api/v1/people/{artist_id}/credits",
        "/api/v1/releases/{release_id}/credits",
        "/api/v1/recordings/{recording_id}/credits",
        "/api/v1/handles",
        "/api/v1/roles",
        "/api/v1/roles/{code}",
        "/api/v1/follows",
        "/api/v1/follows/{follow_id}",
        "/api/v1/notifications",
        "/api/v1/notifications/read",
        "/api/v1/notify-settings",
        "/api/v1/webhooks",
        "/api/v1/webhooks/{webhook_id}",
        "/api/v1/webhooks/{webhook_id}/attempts",
        "/api/v1/trending",
        "/api/v1/lookups",
        "/api/v1/lookups/{job_id}",
    }
    for path in paths:
        for method, operation in described["paths"][path].items():
            responses = operation["responses"]
            assert {"422", "429"} <= set(responses), (method, path)
            if method == "get":
                assert {"200", "304"} <= set(responses), path
            assert responses["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"
            }
