"""The API's catalog resources: an artist, album and song credits (with or without sources),
the role vocabulary and its guides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import api_client, artist_id, demo_copy, duets_id
from backends import Backend
from linernotes.normalize.roles import ROLES
from linernotes.store import read_credits
from linernotes.store.catalog import Catalog
from linernotes.web.api_roles import RoleCounts


@pytest.fixture(scope="module")
def where(backend: Backend, demo_path: Path | str) -> Path | str:
    return demo_copy(backend, demo_path, "api_catalog")


@pytest.fixture(scope="module")
def client(backend: Backend, where: Path | str) -> Iterator[TestClient]:
    with api_client(where) as client:
        yield client


def _get(client: TestClient, path: str, **params: Any) -> Any:
    answer = client.get(path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


# -- an artist --------------------------------------------------------------------------------


def test_an_artist_has_names_ids_counts_and_links(client: TestClient, where: Path | str) -> None:
    drake = artist_id(where, "Drake")
    answer = _get(client, f"/api/v1/artists/{drake}")
    assert (answer["kind"], answer["id"], answer["name"]) == ("artist", drake, "Drake")
    assert answer["external_ids"]["genius"] == "130"
    counts = answer["counts"]
    assert counts["songs"] >= 30 and counts["credits_by_role"]["main_artist"] == counts["songs"]
    assert counts["credits"] == sum(counts["credits_by_role"].values())
    links = answer["links"]
    assert links["producers"] == f"/api/v1/artists/{drake}/producers"
    for link in links.values():  # every link answers
        assert client.get(link).status_code == 200


# -- album and song credits -------------------------------------------------------------------


def test_duets_has_executive_producers_apart_from_its_track_producers(
    client: TestClient, where: Path | str
) -> None:
    answer = _get(client, f"/api/v1/releases/{duets_id(where)}/credits")
    assert (answer["title"], answer["artists"]) == ("Duets", ["Elton John"])
    executive = {c["name"] for c in answer["release_credits"] if c["role"] == "executive_producer"}
    assert executive == {"Elton John", "Ray Cooper", "Steve Brown"}
    track_roles = {c["role"] for t in answer["tracks"] for c in t["credits"]}
    assert "executive_producer" not in track_roles
    teardrops = answer["tracks"][0]
    assert (teardrops["position"], teardrops["title"]) == (1, "Teardrops")
    assert [c["name"] for c in teardrops["credits"] if c["role"] == "producer"] == ["Greg Penny"]
    assert len(answer["tracks"]) == 16
    assert answer["external_ids"]["discogs"] == "9343063"
    assert {"kind": "barcode", "value": "0731451847820"} in answer["facts"]


def test_sources_are_added_only_when_asked_for(client: TestClient, where: Path | str) -> None:
    path = f"/api/v1/releases/{duets_id(where)}/credits"
    plain, sourced = _get(client, path), _get(client, path, sources="true")
    lines = [*plain["release_credits"], *(c for t in plain["tracks"] for c in t["credits"])]
    assert all("sources" not in line for line in lines)
    assert all("sources" not in fact for fact in plain["facts"])
    executive = [c for c in sourced["release_credits"] if c["role"] == "executive_producer"]
    for line in executive:
        assert [(s["source"], s["record_id"]) for s in line["sources"]] == [
            ("discogs", "releases/9343063")
        ]
        assert line["sources"][0]["source_label"] == "Discogs"
    assert all(fact["sources"] for fact in sourced["facts"])
    # Without the sources, the same answer.
    for line in sourced["release_credits"]:
        del line["sources"]
    assert sourced["release_credits"] == plain["release_credits"]


def test_song_credits_match_the_store_and_link_to_albums(
    client: TestClient, where: Path | str
) -> None:
    hits = _get(client, "/api/v1/search", q="Fake Love", kind="recording")["hits"]
    song = next(h for h in hits if h["name"] == "Fake Love")
    answer = _get(client, song["url"], sources="true")
    catalog = Catalog.open(where)
    try:
        expected = read_credits.recording_credits(catalog.db, song["id"])
    finally:
        catalog.close()
    assert [(c["role"], c["name"]) for c in answer["credits"]] == [
        (c.role, c.name) for c in expected.credits
    ]
    assert all(c["sources"] for c in answer["credits"])
    assert answer["artists"] == ["Drake"]
    albums = [r["name"] for r in answer["releases"]]
    assert "More Life" in albums
    more_life = next(r for r in answer["releases"] if r["name"] == "More Life")
    assert client.get(more_life["url"]).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/artists/{}",
        "/api/v1/artists/{}/producers",
        "/api/v1/artists/{}/producers/export",
        "/api/v1/people/{}",
        "/api/v1/releases/{}/credits",
        "/api/v1/recordings/{}/credits",
    ],
)
def test_unknown_ids_are_404_with_the_error_body(client: TestClient, path: str) -> None:
    answer = client.get(path.format(987654321))
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["code"] == "not_found"
    assert "987654321" in error["message"]
    assert error["where"].startswith("path.")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/artists/0",
        "/api/v1/artists/-4",
        "/api/v1/artists/drake",
        "/api/v1/releases/1.5/credits",
        "/api/v1/recordings/99999999999999999999999/credits",  # past 64 bits
    ],
)
def test_malformed_ids_are_422_saying_where(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 422
    assert answer.json()["error"]["where"].startswith("path.")


# -- roles ------------------------------------------------------------------------------------


def test_roles_list_the_vocabulary_with_guides_and_counts(client: TestClient) -> None:
    answer = _get(client, "/api/v1/roles")
    assert answer["total"] == len(ROLES) == len(answer["roles"])
    assert [r["code"] for r in answer["roles"]] == list(ROLES)
    producer = answer["roles"][0]
    assert (producer["code"], producer["family"], producer["scope"]) == (
        "producer",
        "production",
        "track",
    )
    assert producer["guide"] == ROLES["producer"].guide
    assert producer["credits"] > 100


def test_roles_narrow_to_one_family(client: TestClient) -> None:
    answer = _get(client, "/api/v1/roles", family="engineering")
    assert {r["family"] for r in answer["roles"]} == {"engineering"}
    assert answer["total"] == len(answer["roles"]) > 5


def test_one_role_by_code_or_by_label(client: TestClient) -> None:
    by_code = _get(client, "/api/v1/roles/executive_producer")
    assert by_code["scope"] == "release" and "whole" in by_code["guide"]
    assert _get(client, "/api/v1/roles/Executive Producer") == by_code
    assert by_code["url"] == "/api/v1/roles/executive_producer"


def test_an_unknown_role_is_404_and_a_bad_family_422(client: TestClient) -> None:
    missing = client.get("/api/v1/roles/kazoo_wrangler")
    assert missing.status_code == 404
    assert missing.json()["error"]["where"] == "path.code"
    bad = client.get("/api/v1/roles", params={"family": "cooking"})
    assert bad.status_code == 422
    assert bad.json()["error"]["where"] == "query.family"


def test_a_large_catalogs_role_counts_are_made_in_the_background(where: Path | str) -> None:
    now = [0.0]
    counts = RoleCounts(where, ttl=60, inline_up_to=0, clock=lambda: now[0])
    with api_client(where) as client:
        client.app.state.role_counts = counts  # type: ignore[attr-defined]
        first = _get(client, "/api/v1/roles/producer")
        assert first["credits"] is None  # counting has only started: nobody waits for it
        counts.wait()
        counted = _get(client, "/api/v1/roles/producer")["credits"]
        assert counted > 100
        now[0] = 61  # stale: counted again in the background, the old counts meanwhile
        assert _get(client, "/api/v1/roles/producer")["credits"] == counted
        counts.wait()
        assert _get(client, "/api/v1/roles/producer")["credits"] == counted
