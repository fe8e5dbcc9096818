"""The HTTP API's search: the same answers as the command line, pages of one ranked list,
identifiers and links straight to their entity, and clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_support import api_client, demo_copy, duets_id
from backends import Backend
from linernotes.search import identifiers
from linernotes.store.catalog import Catalog


@pytest.fixture(scope="module")
def where(backend: Backend, demo_path: Path | str) -> Path | str:
    return demo_copy(backend, demo_path, "api_search")


@pytest.fixture(scope="module")
def client(backend: Backend, where: Path | str) -> Iterator[TestClient]:
    with api_client(where) as client:
        yield client


def test_search_answers_with_hits_and_why(client: TestClient) -> None:
    answer = client.get("/api/v1/search", params={"q": "kendrik lamar", "kind": "artist"})
    assert answer.status_code == 200
    top = answer.json()["hits"][0]
    assert (top["kind"], top["name"]) == ("artist", "Kendrick Lamar")
    assert "typo: kendrik → kendrick" in top["why"]
    assert top["url"] == f"/api/v1/artists/{top['id']}"


def test_kinds_and_limit_narrow_the_answer(client: TestClient) -> None:
    hits = client.get("/api/v1/search", params={"q": "love", "kind": "recording", "limit": 3})
    assert [h["kind"] for h in hits.json()["hits"]] == ["recording"] * 3


def test_pages_cut_one_ranked_list_and_say_the_total(client: TestClient) -> None:
    whole = client.get("/api/v1/search", params={"q": "love", "limit": 20}).json()
    first = client.get("/api/v1/search", params={"q": "love", "limit": 10}).json()
    second = client.get("/api/v1/search", params={"q": "love", "limit": 10, "offset": 10}).json()
    assert first["hits"] + second["hits"] == whole["hits"]
    assert (second["limit"], second["offset"]) == (10, 10)
    assert first["total"] == second["total"] == whole["total"] > 20


def test_a_page_past_the_end_is_empty_with_the_total(client: TestClient) -> None:
    answer = client.get("/api/v1/search", params={"q": "kendrick", "offset": 90}).json()
    assert answer["hits"] == []
    assert 0 < answer["total"] < 90


def test_pages_reach_the_best_hundred(client: TestClient) -> None:
    answer = client.get("/api/v1/search", params={"q": "love", "offset": 95, "limit": 10}).json()
    assert answer["total"] == 100
    assert len(answer["hits"]) == 5


@pytest.mark.parametrize(
    ("query", "kind", "name"),
    [
        ("GBAHS1400099", "recording", "Thinking Out Loud"),  # an ISRC
        ("0731451847820", "release", "Duets"),  # a barcode
        ("https://www.discogs.com/release/9343063-Elton-John-Duets", "release", "Duets"),
        ("https://open.spotify.com/track/6NMNgWgEAzde5M8U3lc6FN", "recording", "Fake Love"),
        ("https://genius.com/Drake-fake-love-lyrics", "recording", "Fake Love"),
        ("https://genius.com/artists/Drake", "artist", "Drake"),
    ],
)
def test_identifiers_and_links_go_straight_to_their_entity(
    client: TestClient, query: str, kind: str, name: str
) -> None:
    answer = client.get("/api/v1/search", params={"q": query}).json()
    assert [(h["kind"], h["name"]) for h in answer["hits"]] == [(kind, name)]
    assert answer["matched_by"] and answer["total"] == 1


def test_identifier_answers_agree_with_the_command_lines_look_up(
    client: TestClient, where: Path | str
) -> None:
    catalog = Catalog.open(where)
    try:
        found = identifiers.lookup(catalog.db, "0731451847820")
    finally:
        catalog.close()
    assert found is not None
    hits = client.get("/api/v1/search", params={"q": "0731451847820"}).json()["hits"]
    assert [(h["kind"], h["id"]) for h in hits] == [(f.kind.value, f.entity_id) for f in found]
    assert hits[0]["id"] == duets_id(where)


def test_an_identifier_nothing_has_is_an_empty_answer_saying_what_it_was(
    client: TestClient,
) -> None:
    answer = client.get("/api/v1/search", params={"q": "USUM71703861"})
    assert answer.status_code == 200
    assert answer.json()["hits"] == []
    assert answer.json()["matched_by"] == "ISRC USUM71703861"


def test_kinds_narrow_identifier_hits_too(client: TestClient) -> None:
    answer = client.get("/api/v1/search", params={"q": "GBAHS1400099", "kind": "artist"})
    assert answer.json()["hits"] == []


@pytest.mark.parametrize(
    ("params", "at"),
    [
        ({"q": ""}, "query.q"),
        ({"q": "   "}, "query.q"),
        ({"q": "x" * 201}, "query.q"),
        ({"q": "drake", "kind": "label"}, "query.kind.0"),
        ({"q": "drake", "limit": "0"}, "query.limit"),
        ({"q": "drake", "limit": "51"}, "query.limit"),
        ({"q": "drake", "limit": "many"}, "query.limit"),
        ({"q": "drake", "offset": "-1"}, "query.offset"),
        ({"q": "drake", "offset": "101"}, "query.offset"),
        ({"q": "drake", "offset": "1e3"}, "query.offset"),
        ({}, "query.q"),
    ],
)
def test_bad_input_says_what_and_where(client: TestClient, params: dict[str, str], at: str) -> None:
    answer = client.get("/api/v1/search", params=params)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "bad_request"
    assert error["where"] == at
    assert error["message"]


def test_query_syntax_is_just_text(client: TestClient) -> None:
    for q in ['"', "name:drake", "AND (", "drake~2", "*", "\x00", "💿 🎤", "https://"]:
        assert client.get("/api/v1/search", params={"q": q}).status_code == 200
