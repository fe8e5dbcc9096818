"""The HTTP API's search: the same answers as the command line, and clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from linernotes.store.catalog import Catalog
from linernotes.web.app import create_app, prepare
from linernotes.web.config import WebConfig, plans_from_settings


@pytest.fixture
def client(demo_path: Path | str) -> Iterator[TestClient]:
    catalog = Catalog.open(demo_path)
    prepare(catalog)  # the catalog's own index, up to date
    catalog.close()
    with TestClient(create_app(WebConfig(demo_path, plans=plans_from_settings()))) as client:
        yield client


def test_search_answers_with_hits_and_why(client: TestClient) -> None:
    answer = client.get("/api/v1/search", params={"q": "kendrik lamar", "kind": "artist"})
    assert answer.status_code == 200
    top = answer.json()["hits"][0]
    assert (top["kind"], top["name"]) == ("artist", "Kendrick Lamar")
    assert "typo: kendrik → kendrick" in top["why"]


def test_kinds_and_limit_narrow_the_answer(client: TestClient) -> None:
    hits = client.get("/api/v1/search", params={"q": "love", "kind": "recording", "limit": 3})
    assert [h["kind"] for h in hits.json()["hits"]] == ["recording"] * 3


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"q": ""}, "query.q"),
        ({"q": "x" * 201}, "query.q"),
        ({"q": "drake", "kind": "label"}, "query.kind.0"),
        ({"q": "drake", "limit": "0"}, "query.limit"),
        ({"q": "drake", "limit": "many"}, "query.limit"),
        ({}, "query.q"),
    ],
)
def test_bad_input_says_what_and_where(
    client: TestClient, params: dict[str, str], where: str
) -> None:
    answer = client.get("/api/v1/search", params=params)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "bad_request"
    assert error["where"] == where
    assert error["message"]


def test_query_syntax_is_just_text(client: TestClient) -> None:
    for q in ['"', "name:drake", "AND (", "drake~2", "*"]:
        assert client.get("/api/v1/search", params={"q": q}).status_code == 200
