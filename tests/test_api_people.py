"""The API's people: an artist's producers (the command line's answer, in pages), a person's
credits and handles, handle look-up by name; and every handle shown counted as a reveal."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import api_client, artist_id, demo_copy, duets_id
from backends import Backend
from linernotes.normalize.roles import Family, roles_in_family
from linernotes.store import read_producers
from linernotes.store.catalog import Catalog
from linernotes.store.views import ProducersAnswer
from linernotes.web.config import Plan

_addresses = (f"198.51.100.{n}" for n in itertools.count(10))


@pytest.fixture(scope="module")
def where(backend: Backend, demo_path: Path | str) -> Path | str:
    return demo_copy(backend, demo_path, "api_people")


@pytest.fixture(scope="module")
def client(backend: Backend, where: Path | str) -> Iterator[TestClient]:
    with api_client(where) as client:
        yield client


@pytest.fixture(scope="module")
def drake(where: Path | str) -> int:
    return artist_id(where, "Drake")


def _get(client: TestClient, path: str, **params: Any) -> Any:
    answer = client.get(path, params=params or None)  # none given: the path's own query stands
    assert answer.status_code == 200, answer.text
    return answer.json()


def _store_producers(where: Path | str, artist: int) -> ProducersAnswer:
    catalog = Catalog.open(where)
    try:
        return read_producers.producers(catalog.db, artist)
    finally:
        catalog.close()


# -- producers --------------------------------------------------------------------------------


def test_drakes_producers_page_by_page_are_the_command_lines_answer(
    client: TestClient, where: Path | str, drake: int
) -> None:
    expected = _store_producers(where, drake)
    path = f"/api/v1/artists/{drake}/producers"
    pages = [_get(client, path, limit=20, offset=offset) for offset in (0, 20, 40)]
    rows = [row for page in pages for row in page["producers"]]
    assert [(r["artist_id"], r["song_count"]) for r in rows] == [
        (p.artist_id, p.song_count) for p in expected.producers
    ]
    assert [r["roles"] for r in rows] == [p.roles for p in expected.producers]
    first = pages[0]
    assert (
        (first["total"], first["songs"]) == (expected.total_producers, expected.songs) == (42, 31)
    )
    assert first["featured"]["total"] == expected.total_featured_producers
    assert [r["name"] for r in first["featured"]["producers"]] == [
        p.name for p in expected.featured_producers
    ]
    assert [(p["name"], p["linked"]) for p in first["combined_pages"]] == [("Drake & Future", True)]


def test_a_producer_row_has_songs_newest_first_and_the_latest(
    client: TestClient, drake: int
) -> None:
    page = _get(client, f"/api/v1/artists/{drake}/producers", limit=3)
    boi = next(r for r in page["producers"] if r["name"] == "Boi-1da")
    assert boi["song_count"] == len(boi["songs"]) == 4
    dates = [s["date"] or "" for s in boi["songs"]]
    assert dates == sorted(dates, reverse=True)
    assert boi["latest"]["title"] == "Free Smoke"
    assert boi["has_handle"] is True
    assert "handle" not in boi  # not asked for: no reveal
    assert boi["url"] == f"/api/v1/artists/{boi['artist_id']}"


def test_producer_sources_name_each_statement_behind_the_row(
    client: TestClient, where: Path | str
) -> None:
    elton = artist_id(where, "Elton John")
    page = _get(client, f"/api/v1/artists/{elton}/producers", limit=50, sources="true")
    cooper = next(r for r in page["producers"] if r["name"] == "Ray Cooper")
    assert cooper["roles"] == ["Executive Producer"]
    assert {(s["subject_kind"], s["subject_id"], s["source"]) for s in cooper["sources"]} == {
        ("release", duets_id(where), "discogs")
    }
    for row in page["producers"]:
        songs = {s["id"] for s in row["songs"]}
        assert row["sources"]
        assert all(
            s["subject_id"] in songs for s in row["sources"] if s["subject_kind"] == "recording"
        )
    plain = _get(client, f"/api/v1/artists/{elton}/producers", limit=50)
    assert all("sources" not in r for r in plain["producers"])


def test_another_role_family_ranks_its_people_the_same_way(client: TestClient, drake: int) -> None:
    page = _get(client, f"/api/v1/artists/{drake}/producers", family="writing", sources="true")
    writing = {r.label for r in roles_in_family(Family.WRITING)}
    assert page["family"] == "writing" and page["total"] > 100
    rows = page["producers"]
    assert all(set(r["roles"]) <= writing for r in rows)
    counts = [r["song_count"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert all(
        s["role"] in {r.code for r in roles_in_family(Family.WRITING)}
        for r in rows
        for s in r["sources"]
    )
    assert "40" in [r["name"] for r in rows[:3]]


@pytest.mark.parametrize(
    ("params", "at"),
    [
        ({"limit": "0"}, "query.limit"),
        ({"limit": "101"}, "query.limit"),
        ({"offset": "-1"}, "query.offset"),
        ({"offset": "ten"}, "query.offset"),
        ({"family": "cooking"}, "query.family"),
        ({"include": "passwords"}, "query.include.0"),
        ({"sources": "maybe"}, "query.sources"),
    ],
)
def test_bad_producer_parameters_say_where(
    client: TestClient, drake: int, params: dict[str, str], at: str
) -> None:
    answer = client.get(f"/api/v1/artists/{drake}/producers", params=params)
    assert answer.status_code == 422
    assert answer.json()["error"]["where"] == at


# -- a person ---------------------------------------------------------------------------------


def test_a_person_has_credits_by_role_and_year_collaborators_and_handles(
    client: TestClient, drake: int
) -> None:
    answer = _get(client, f"/api/v1/people/{drake}")
    assert answer["person"]["name"] == "Drake"
    cells = {(c["role"], c["year"]): c for c in answer["credits"]}
    produced = cells[("producer", "2017")]
    assert [w["title"] for w in produced["works"]] == ["Lose You"]
    assert produced["count"] == 1 and produced["works"][0]["kind"] == "recording"
    roles = [c["role"] for c in answer["credits"]]
    assert roles.index("producer") < roles.index("songwriter") < roles.index("main_artist")
    assert answer["collaborators"][0]["name"] == "40"
    assert answer["collaborators"][0]["shared_songs"] >= 9
    (instagram,) = answer["handles"]
    assert (instagram["platform"], instagram["handle"]) == ("instagram", "champagnepapi")
    assert instagram["evidence"][0]["source"] == "handles-file"
    assert instagram["verified"] is False


def test_a_persons_album_credits_are_albums_with_their_sources(
    client: TestClient, where: Path | str
) -> None:
    cooper = artist_id(where, "Ray Cooper")
    answer = _get(client, f"/api/v1/people/{cooper}", sources="true")
    (cell,) = [c for c in answer["credits"] if c["role"] == "executive_producer"]
    (work,) = cell["works"]
    assert (work["kind"], work["id"], work["title"]) == ("release", duets_id(where), "Duets")
    assert work["url"] == f"/api/v1/releases/{duets_id(where)}/credits"
    assert [s["record_id"] for s in work["sources"]] == ["releases/9343063"]
    plain = _get(client, f"/api/v1/people/{cooper}")
    assert all("sources" not in w for c in plain["credits"] for w in c["works"])
    cell = _get(
        client,
        f"/api/v1/people/{cooper}/credits",
        role="executive_producer",
        year=cell["year"],
        sources="true",
    )
    assert [s["record_id"] for s in cell["works"][0]["sources"]] == ["releases/9343063"]


# -- handles by name --------------------------------------------------------------------------


def test_a_name_naming_one_person_answers_their_handles(client: TestClient) -> None:
    answer = _get(client, "/api/v1/handles", name="metro boomin")
    assert answer["artist"]["name"] == "Metro Boomin"
    assert answer["candidates"] == []
    assert [h["platform"] for h in answer["handles"]] == ["instagram"]
    assert all(h["evidence"] for h in answer["handles"])


def test_a_name_several_people_share_lists_candidates_and_no_handles(
    client: TestClient,
) -> None:
    answer = _get(client, "/api/v1/handles", name="kanye")
    assert answer["artist"] is None and answer["handles"] == []
    names = [c["name"] for c in answer["candidates"]]
    assert len(names) > 1 and "Kanye West" in names
    assert all(c["url"].startswith("/api/v1/artists/") for c in answer["candidates"])


@pytest.mark.parametrize(
    ("name", "status", "at"),
    [("zzqxv", 404, "query.name"), ("  ", 422, "query.name"), ("x" * 201, 422, "query.name")],
)
def test_handle_look_up_errors_say_where(
    client: TestClient, name: str, status: int, at: str
) -> None:
    answer = client.get("/api/v1/handles", params={"name": name})
    assert answer.status_code == status
    assert answer.json()["error"]["where"] == at


def test_a_typo_is_not_picked_but_suggested(client: TestClient) -> None:
    answer = client.get("/api/v1/handles", params={"name": "metro bomin"})
    assert answer.status_code == 404
    assert "Metro Boomin" in answer.json()["error"]["message"]


# -- reveals ----------------------------------------------------------------------------------


def _plans(reveals: int) -> dict[str, Plan]:
    return {n: Plan(n, reveals, 1_000_000) for n in ("anonymous", "free", "pro")}


def _with_handles(page: dict[str, Any]) -> set[int]:
    rows = [*page["producers"], *page["featured"]["producers"]]
    return {r["artist_id"] for r in rows if r["handle"] is not None}


def test_handles_in_a_producers_page_count_once_per_person(where: Path | str, drake: int) -> None:
    with api_client(where, address=next(_addresses)) as client:
        page = _get(client, f"/api/v1/artists/{drake}/producers", include="handles")
    shown = _with_handles(page)
    assert len(shown) == 2  # Boi-1da (in both lists) and Murda Beatz
    with api_client(where, _plans(len(shown)), next(_addresses)) as client:
        path = f"/api/v1/artists/{drake}/producers"
        assert client.get(path, params={"include": "handles"}).status_code == 200
        # The same people again cost nothing; without include=handles nothing is revealed.
        assert client.get(path, params={"include": "handles"}).status_code == 200
        assert client.get(f"/api/v1/people/{next(iter(shown))}").status_code == 200
        assert client.get(path).status_code == 200
        # A new person is one too many.
        over = client.get("/api/v1/handles", params={"name": "Drake"})
        assert over.status_code == 429
        assert over.json()["error"]["where"] == "reveals"
        assert "Retry-After" in over.headers


def test_past_the_limit_nothing_is_shown_and_nothing_counted(where: Path | str, drake: int) -> None:
    with api_client(where, _plans(1), next(_addresses)) as client:
        path = f"/api/v1/artists/{drake}/producers"
        over = client.get(path, params={"include": "handles"})
        assert over.status_code == 429
        assert over.json()["error"]["code"] == "limit_reached"
        assert "champagnepapi" not in over.text
        # All or nothing: the one reveal left is still there.
        assert client.get(f"/api/v1/people/{drake}").status_code == 200
        assert client.get("/api/v1/handles", params={"name": "Metro Boomin"}).status_code == 429


def test_answers_without_handles_need_no_reveal(where: Path | str, drake: int) -> None:
    with api_client(where, _plans(0), next(_addresses)) as client:
        assert client.get(f"/api/v1/artists/{drake}/producers").status_code == 200
        kanye = client.get("/api/v1/handles", params={"name": "kanye"})
        assert kanye.status_code == 200, kanye.text
        cooper = artist_id(where, "Ray Cooper")  # no handles
        assert client.get(f"/api/v1/people/{cooper}").status_code == 200
        assert client.get(f"/api/v1/people/{drake}").status_code == 429


def test_a_persons_long_cells_list_the_latest_works_and_page_through_the_rest(
    client: TestClient, drake: int
) -> None:
    whole = _get(client, f"/api/v1/people/{drake}", works=100)
    cell = max(whole["credits"], key=lambda c: c["count"])
    assert cell["count"] == len(cell["works"]) >= 3 and cell["more"] is None
    dates = [w["date"] or "" for w in cell["works"]]
    assert dates == sorted(dates, reverse=True)  # latest first
    short = _get(client, f"/api/v1/people/{drake}", works=1)
    (same,) = [
        c for c in short["credits"] if (c["role"], c["year"]) == (cell["role"], cell["year"])
    ]
    assert same["count"] == cell["count"] and same["works"] == cell["works"][:1]
    seen, following = list(same["works"]), same["more"]
    while following:  # page by page, two at a time, as a client would
        page = _get(client, f"{following}&limit=2")
        assert page["total"] == cell["count"] and len(page["works"]) <= 2
        seen += page["works"]
        following = page["more"]
    assert seen == cell["works"]


def test_a_cell_page_refuses_unknown_roles_and_bad_years(client: TestClient, drake: int) -> None:
    bad_role = client.get(f"/api/v1/people/{drake}/credits", params={"role": "boss"})
    assert bad_role.status_code == 422 and bad_role.json()["error"]["where"] == "query.role"
    bad_year = client.get(
        f"/api/v1/people/{drake}/credits", params={"role": "producer", "year": "17"}
    )
    assert bad_year.status_code == 422
    none = _get(client, f"/api/v1/people/{drake}/credits", role="lyricist", year="1901")
    assert (none["total"], none["works"], none["more"]) == (0, [], None)
    missing = client.get("/api/v1/people/99999999/credits", params={"role": "producer"})
    assert missing.status_code == 404
