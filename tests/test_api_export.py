"""The producers contact list as a file from the API: the command line's file, CSV or JSON,
parsed back; handles only when asked for, and then counted as reveals."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_support import api_client, artist_id, demo_copy
from backends import Backend
from linernotes import exports
from linernotes.store import read_producers
from linernotes.store.catalog import Catalog
from linernotes.web.config import Plan


@pytest.fixture(scope="module")
def where(backend: Backend, demo_path: Path | str) -> Path | str:
    return demo_copy(backend, demo_path, "api_export")


@pytest.fixture(scope="module")
def client(backend: Backend, where: Path | str) -> Iterator[TestClient]:
    with api_client(where) as client:
        yield client


@pytest.fixture(scope="module")
def drake(where: Path | str) -> int:
    return artist_id(where, "Drake")


def _export(client: TestClient, drake: int, **params: str) -> tuple[str, dict[str, str]]:
    answer = client.get(f"/api/v1/artists/{drake}/producers/export", params=params)
    assert answer.status_code == 200, answer.text
    return answer.text, dict(answer.headers)


def test_the_csv_is_the_command_lines_file_and_parses_back(
    client: TestClient, where: Path | str, drake: int
) -> None:
    text, headers = _export(client, drake, format="csv", include="handles")
    assert headers["content-type"].startswith("text/csv")
    assert headers["content-disposition"] == 'attachment; filename="drake-producers.csv"'
    catalog = Catalog.open(where)
    try:
        assert text == exports.producers_csv(read_producers.producers(catalog.db, drake))
    finally:
        catalog.close()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == exports.CSV_COLUMNS
    assert len(rows) == 42 + 10  # producers, then the featured-only ones
    boi = next(r for r in rows if r["person"] == "Boi-1da" and r["featured_only"] == "no")
    assert (boi["song_count"], boi["instagram"], boi["instagram_verified"]) == ("4", "boi1da", "no")
    assert boi["evidence"]
    assert [r["featured_only"] for r in rows] == ["no"] * 42 + ["yes"] * 10


def test_the_json_parses_back_to_the_same_rows(client: TestClient, drake: int) -> None:
    text, headers = _export(client, drake, format="json", include="handles")
    assert headers["content-type"] == "application/json"
    assert headers["content-disposition"] == 'attachment; filename="drake-producers.json"'
    document = json.loads(text)
    assert (document["artist"]["name"], document["songs"]) == ("Drake", 31)
    as_csv, _ = _export(client, drake, format="csv", include="handles")
    assert document["producers"] == list(csv.DictReader(io.StringIO(as_csv)))


def test_without_include_handles_the_file_holds_no_handles(client: TestClient, drake: int) -> None:
    text, _ = _export(client, drake, format="csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 52
    assert all(r["instagram"] == r["other_handles"] == r["evidence"] == "" for r in rows)


def test_an_export_with_handles_counts_each_person_as_a_reveal(
    where: Path | str, drake: int
) -> None:
    plans = {n: Plan(n, 1, 1_000_000) for n in ("anonymous", "free", "pro")}
    with api_client(where, plans, address="198.51.100.200") as client:
        path = f"/api/v1/artists/{drake}/producers/export"
        assert client.get(path).status_code == 200
        over = client.get(path, params={"include": "handles"})
        assert over.status_code == 429  # two people with handles, one reveal a day
        assert over.json()["error"]["code"] == "limit_reached"


@pytest.mark.parametrize(
    ("params", "at"),
    [({"format": "xlsx"}, "query.format"), ({"include": "all"}, "query.include.0")],
)
def test_bad_export_parameters_say_where(
    client: TestClient, drake: int, params: dict[str, str], at: str
) -> None:
    answer = client.get(f"/api/v1/artists/{drake}/producers/export", params=params)
    assert answer.status_code == 422
    assert answer.json()["error"]["where"] == at
