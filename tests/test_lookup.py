"""Live look-ups: a record the catalog has never seen is found at the sources while the user
waits, written with its provenance, and the next identical search is answered from the catalog.

The sources answer from recorded responses (tests/lookup_support.py); each source has its own
fake clock, so budgets, rate limits and Retry-After run on a timeline, never by sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api_support import GENEROUS
from backends import Backend
from conftest import Cli
from linernotes.cli import commands_ingest
from linernotes.ingest.pipeline import ingest
from linernotes.lookup import service
from linernotes.lookup.request import LookupRequest
from linernotes.lookup.run import Runner
from linernotes.normalize.records import EntityKind
from linernotes.resolve.run import resolve
from linernotes.search import sync
from linernotes.search.engine import NameIndex
from linernotes.search.title_artist import is_good, search_all
from linernotes.sources.http_policy import Credentials
from linernotes.sources.replay import Route, recorded_response
from linernotes.store import read_credits, read_people
from linernotes.store.catalog import Catalog
from linernotes.store.read_names import exact
from linernotes.web.app import create_app, prepare
from linernotes.web.config import WebConfig
from lookup_support import SYNTHETIC, Sources, slow, without_24k_magic

QUERY = "24k magic bruno mars"
CONFIG = service.LookupSettings(
    enabled=True, budget=20.0, stale=timedelta(days=365), reuse=timedelta(minutes=60)
)


@pytest.fixture(scope="session")
def base_path(backend: Backend) -> Path | str:
    where = backend.new("without_24k")
    catalog = Catalog.open(where)
    for stream in without_24k_magic():
        ingest(catalog.db, stream)
    resolve(catalog.db)
    sync.rebuild(catalog.db)
    catalog.close()
    return backend.shared(where)


@pytest.fixture
def where(backend: Backend, base_path: Path | str, request: pytest.FixtureRequest) -> Path | str:
    return backend.copy(base_path, f"lookup_{request.node.name[:40]}")


@pytest.fixture
def catalog(where: Path | str) -> Iterator[Catalog]:
    opened = Catalog.open(where)
    yield opened
    opened.close()


@pytest.fixture
def index(catalog: Catalog) -> NameIndex:
    return sync.open_index(catalog.db)


def sources_for(tmp_path: Path, extra: list[Route] | None = None, **kw: object) -> Sources:
    return Sources(tmp_path / "http-cache", extra, **kw)  # type: ignore[arg-type]


@pytest.fixture
def sources(tmp_path: Path) -> Iterator[Sources]:
    made = sources_for(tmp_path)
    yield made
    made.close()


def look_up(
    catalog: Catalog, index: NameIndex, sources: Sources, text: str = QUERY
) -> service.jobs.Job:
    runner = Runner(catalog.db, sources.client_for, budget=CONFIG.budget, index=index)
    return service.look_up(catalog.db, LookupRequest(text), runner, CONFIG)


def mixing_engineers(catalog: Catalog, recording_id: int) -> set[str]:
    credits = read_credits.recording_credits(catalog.db, recording_id)
    return {c.name for c in credits.credits if c.role == "mixing_engineer"}


def test_a_record_the_catalog_lacks_is_found_at_genius_and_then_answered_from_the_catalog(
    catalog: Catalog, index: NameIndex, sources: Sources
) -> None:
    assert not is_good(search_all(catalog.db, index, QUERY, ("recording", "release"), 10))

    job = look_up(catalog, index, sources)

    assert job.state == "done", job
    genius = job.progress["genius"]
    assert genius["found"].startswith("song 2872960: 24K Magic by Bruno Mars")
    assert sources.requests[0].url.path == "/search"
    assert sources.requests[0].url.params["q"] == QUERY
    assert job.result["kind"] == "recording" and job.result["name"] == "24K Magic"
    assert "Șerban Ghenea" in mixing_engineers(catalog, job.result["id"])
    # Bruno Mars's Instagram, with the Genius artist page as its evidence.
    (bruno,) = exact(catalog.db, EntityKind.ARTIST, "Bruno Mars")
    handles = read_people.handles(catalog.db, [bruno.id])[bruno.id]
    instagram = [h for h in handles if h.platform == "instagram"]
    assert [h.handle for h in instagram] == ["brunomars"]
    assert any(e.source == "genius" for e in instagram[0].evidence)
    # Sources without a token are left out with a note, not an error.
    assert job.progress["discogs"]["state"] == "skipped"
    assert "DISCOGS_TOKEN" in job.progress["discogs"]["note"]
    assert job.progress["spotify"]["state"] == "skipped"
    assert job.progress["musicbrainz"]["state"] == "no match"  # it searched for what Genius found
    mb = next(r for r in sources.requests if r.url.host == "musicbrainz.org")
    assert mb.url.params["query"] == 'recording:"24K Magic" AND artist:"Bruno Mars"'

    asked = len(sources.requests)
    hits = search_all(catalog.db, index, QUERY, ("recording", "release"), 10)
    assert is_good(hits) and (hits[0].kind, hits[0].id) == ("recording", job.result["id"])
    assert len(sources.requests) == asked  # answered from the catalog: no HTTP call


def test_two_identical_look_ups_at_once_make_one_set_of_requests(
    where: Path | str, base_path: Path | str, tmp_path: Path
) -> None:
    # Two "server processes": each its own catalog connection and its own HTTP clients (no
    # shared cache to hide a second request), one transport counting every request.
    first = sources_for(tmp_path / "a")
    second = Sources(tmp_path / "b")
    second.transport = first.transport
    start = threading.Barrier(2)
    jobs: list[service.jobs.Job] = []

    def one(sources: Sources) -> None:
        catalog = Catalog.connect(where)
        try:
            index = NameIndex(sync.index_path(catalog.db))
            runner = Runner(catalog.db, sources.client_for, budget=20.0, index=index)
            start.wait()
            jobs.append(service.look_up(catalog.db, LookupRequest(QUERY), runner, CONFIG))
        finally:
            catalog.close()

    threads = [threading.Thread(target=one, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(jobs) == 2 and jobs[0].id == jobs[1].id and jobs[0].state == "done"
    paths = [r.url.path for r in first.requests]
    assert paths.count("/search") == 1 and paths.count("/songs/2872960") == 1
    assert len(paths) == len(set(paths))


def test_a_429_with_retry_after_is_honoured_within_the_budget(
    catalog: Catalog, index: NameIndex, tmp_path: Path
) -> None:
    answers = iter(
        [httpx.Response(429, headers={"Retry-After": "3"}, json={"meta": {"status": 429}})]
    )

    def search(request: httpx.Request) -> httpx.Response:
        return next(answers, None) or recorded_response(
            SYNTHETIC / "genius" / "search_24k_magic.json"
        )

    sources = sources_for(tmp_path, [Route("GET", "api.genius.com", r"/search", search)])
    job = look_up(catalog, index, sources)
    assert job.progress["genius"]["state"] in ("done", "cut")
    assert 3.0 in sources.clocks["genius"].sleeps
    assert [r.url.path for r in sources.requests[:2]] == ["/search", "/search"]
    assert "Șerban Ghenea" in mixing_engineers(catalog, job.result["id"])


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (httpx.Response(503, text="<html>Service Unavailable</html>"), "HTTP 503"),
        (httpx.Response(200, text="<html>not json</html>"), "not JSON"),
    ],
)
def test_one_source_failing_does_not_stop_the_others(
    catalog: Catalog, index: NameIndex, tmp_path: Path, answer: httpx.Response, said: str
) -> None:
    down = Route("GET", "musicbrainz.org", r"/ws/2/.*", lambda request: answer)
    job = look_up(catalog, index, sources_for(tmp_path, [down]))
    assert job.state == "done"
    assert job.progress["musicbrainz"]["state"] == "failed"
    assert said in job.progress["musicbrainz"]["note"]
    assert job.progress["genius"]["state"] in ("done", "cut")
    assert "Șerban Ghenea" in mixing_engineers(catalog, job.result["id"])


def test_the_budget_cuts_a_slow_source_and_keeps_what_came(
    catalog: Catalog, index: NameIndex, tmp_path: Path
) -> None:
    holder: dict[str, Sources] = {}
    album = slow(
        SYNTHETIC / "genius" / "album_229460.json", lambda: holder["s"].clocks["genius"], 25.0
    )
    sources = holder["s"] = sources_for(
        tmp_path, [Route("GET", "api.genius.com", r"/albums/229460", album)]
    )
    job = look_up(catalog, index, sources)
    genius = job.progress["genius"]
    assert genius["state"] == "cut" and "budget" in genius["note"]
    paths = [r.url.path for r in sources.requests if r.url.host == "api.genius.com"]
    assert paths[-1] == "/albums/229460"  # nothing asked after the budget ran out
    # What came before and with the slow answer is kept: the song's credits, the album.
    assert "Șerban Ghenea" in mixing_engineers(catalog, job.result["id"])
    assert exact(catalog.db, EntityKind.RELEASE, "24K Magic")


def test_no_token_skips_the_source_with_a_note(
    catalog: Catalog, index: NameIndex, tmp_path: Path
) -> None:
    job = look_up(catalog, index, sources_for(tmp_path, credentials=Credentials({})))
    assert job.state == "done" and not job.result
    assert job.progress["genius"] == {
        **job.progress["genius"],
        "state": "skipped",
        "note": "no token configured for genius: set GENIUS_TOKEN",
    }
    assert job.progress["musicbrainz"]["state"] == "no match"


def test_a_finished_look_up_answers_an_identical_request_again(
    catalog: Catalog, index: NameIndex, sources: Sources
) -> None:
    first = look_up(catalog, index, sources)
    asked = len(sources.requests)
    again = look_up(catalog, index, sources, "24K  Magic Bruno MARS")
    assert again.id == first.id and len(sources.requests) == asked


def test_stale_or_missing_credits_are_said(catalog: Catalog) -> None:
    db = catalog.db
    song = exact(db, EntityKind.RECORDING, "Bad and Boujee")[0]
    reason = service.credits_stale(db, "recording", song.id, timedelta(days=365))
    assert reason is not None and reason.startswith("credits last checked 2018")
    assert service.credits_stale(db, "recording", song.id, timedelta(days=365 * 30)) is None


# -- the API: a look-up is a job with a status URL --------------------------------------------


@pytest.fixture
def api(where: Path | str, sources: Sources) -> Iterator[TestClient]:
    prepare_catalog = Catalog.open(where)
    prepare(prepare_catalog)
    prepare_catalog.close()
    config = WebConfig(where, plans=GENEROUS, lookups=CONFIG, http=sources.client_for)
    with TestClient(create_app(config), client=("198.51.100.7", 40000)) as client:
        yield client


def finished(api: TestClient, status_url: str, polls: int = 300) -> dict[str, Any]:
    """Follow the job until it ends (it runs on the server's own threads)."""
    for _ in range(polls):
        body: dict[str, Any] = api.get(status_url).json()
        if body["state"] in ("done", "failed"):
            return body
        time.sleep(0.02)
    raise AssertionError(f"look-up still {body['state']} after {polls} polls: {body}")


def test_the_api_search_starts_a_look_up_and_answers_the_next_search_from_the_catalog(
    api: TestClient, sources: Sources
) -> None:
    first = api.get("/api/v1/search", params={"q": QUERY}).json()
    lookup = first["lookup"]
    assert lookup is not None and lookup["status_url"] == f"/api/v1/lookups/{lookup['id']}"
    assert lookup["state"] in ("queued", "running")

    done = finished(api, lookup["status_url"])
    assert done["state"] == "done"
    assert done["sources"]["genius"]["found"].startswith("song 2872960")
    assert done["sources"]["discogs"]["state"] == "skipped"
    found = done["result"]
    assert found["kind"] == "recording" and found["name"] == "24K Magic"
    credits = api.get(f"/api/v1/recordings/{found['id']}/credits").json()
    mixing = [c for c in credits["credits"] if c["role"] == "mixing_engineer"]
    assert "Șerban Ghenea" in {c["name"] for c in mixing}

    asked = len(sources.requests)
    again = api.get("/api/v1/search", params={"q": QUERY}).json()
    assert again["lookup"] is None
    assert (again["hits"][0]["kind"], again["hits"][0]["id"]) == ("recording", found["id"])
    assert "Bruno Mars" in again["hits"][0]["why"]
    assert len(sources.requests) == asked


def test_the_api_starts_joins_and_reuses_look_ups(api: TestClient) -> None:
    started = api.post("/api/v1/lookups", json={"query": QUERY})
    assert started.status_code == 202
    assert started.headers["Location"] == started.json()["status_url"]
    joined = api.post("/api/v1/lookups", json={"query": "24K MAGIC  bruno mars"}).json()
    assert joined["id"] == started.json()["id"]
    finished(api, started.json()["status_url"])
    reused = api.post("/api/v1/lookups", json={"query": QUERY})
    assert reused.status_code == 200 and reused.json()["id"] == started.json()["id"]


def test_refreshing_a_record_fetches_it_by_its_own_ids(api: TestClient, sources: Sources) -> None:
    song = api.get("/api/v1/search", params={"q": "bad and boujee", "live": "false"}).json()
    song_id = next(h["id"] for h in song["hits"] if h["kind"] == "recording")
    started = api.post("/api/v1/lookups", json={"kind": "recording", "id": song_id}).json()
    done = finished(api, started["status_url"])
    assert done["state"] == "done"
    # The snapshot knows the song's Genius id: no search, the song asked for directly.
    genius = [r.url.path for r in sources.requests if r.url.host == "api.genius.com"]
    assert genius[0].startswith("/songs/") and "/search" not in genius


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "body"),
        ({"query": "   "}, 422, "body"),
        ({"query": "x", "kind": "recording", "id": 1}, 422, "body"),
        ({"kind": "recording"}, 422, "body"),
        ({"kind": "artist", "id": 1}, 422, "body.kind"),
        ({"query": "x" * 201}, 422, "body.query"),
        ({"kind": "release", "id": 99_999_999}, 404, "body.id"),
    ],
)
def test_bad_look_up_requests_say_what_is_wrong(
    api: TestClient, body: dict[str, Any], status: int, field: str
) -> None:
    answer = api.post("/api/v1/lookups", json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["where"] == field


def test_an_unknown_look_up_is_a_404(api: TestClient) -> None:
    answer = api.get("/api/v1/lookups/424242")
    assert answer.status_code == 404 and "look-up" in answer.json()["error"]["message"]


def test_look_ups_turned_off_start_nothing(where: Path | str, sources: Sources) -> None:
    off = replace(CONFIG, enabled=False)
    config = WebConfig(where, plans=GENEROUS, lookups=off, http=sources.client_for)
    with TestClient(create_app(config)) as client:
        assert client.get("/api/v1/search", params={"q": QUERY}).json()["lookup"] is None
        refused = client.post("/api/v1/lookups", json={"query": QUERY})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "lookups_off"
    assert sources.requests == []


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sources]:
    """`linernotes lookup` and `linernotes search` with the sources answering from recordings
    (the CLI uses one client for every source)."""
    made = sources_for(tmp_path)
    monkeypatch.setattr(commands_ingest, "http_client", lambda: made.client_for("genius"))
    yield made
    made.close()


def test_the_lookup_command_shows_each_source_then_the_credits(
    where: Path | str, cli_sources: Sources
) -> None:
    result = Cli(where)("lookup", "24k", "magic", "bruno", "mars")
    assert "Șerban Ghenea" in result.stdout and "24K Magic" in result.stdout
    assert "genius: done - song 2872960: 24K Magic by Bruno Mars" in result.stderr
    assert "discogs: skipped - no token configured for discogs: set DISCOGS_TOKEN" in result.stderr
    as_json = Cli(where).json("lookup", QUERY)
    assert as_json["lookup"]["state"] == "done"
    assert as_json["credits"]["title"] == "24K Magic"


def test_a_search_with_no_good_hit_looks_up_when_look_ups_are_on(
    where: Path | str, cli_sources: Sources, monkeypatch: pytest.MonkeyPatch
) -> None:
    off = Cli(where)("search", QUERY, ok=False)
    assert cli_sources.requests == []  # LINERNOTES_LOOKUPS=off: the catalog only
    assert "24K Magic" not in off.stdout
    monkeypatch.setenv("LINERNOTES_LOOKUPS", "on")
    found = Cli(where)("search", QUERY)
    assert "looking it up at the sources" in found.stderr
    assert "Șerban Ghenea" in found.stdout
    asked = len(cli_sources.requests)
    again = Cli(where)("search", QUERY)
    assert "24K Magic" in again.stdout and "Bruno Mars" in again.stdout
    assert len(cli_sources.requests) == asked


def test_the_lookup_command_refuses_what_it_cannot_do(where: Path | str) -> None:
    both = Cli(where)("lookup", "--song", "1", "--album", "2", ok=False)
    assert both.exit_code == 2 and "one of --song and --album" in both.output
    neither = Cli(where)("lookup", ok=False)
    assert neither.exit_code == 2 and "words to look up" in neither.output
    missing = Cli(where)("lookup", "--song", "99999999", ok=False)
    assert missing.exit_code != 0 and "no recording 99999999" in missing.output


def test_stale_credits_shown_by_the_api_are_looked_up_again(
    api: TestClient, sources: Sources
) -> None:
    hits = api.get("/api/v1/search", params={"q": "bad and boujee", "live": "false"}).json()
    song = next(h for h in hits["hits"] if h["kind"] == "recording")
    shown = api.get(song["url"]).json()  # the 2017 snapshot's credits: stale
    lookup = shown["lookup"]
    assert lookup is not None and lookup["request"] == {"kind": "recording", "id": song["id"]}
    assert finished(api, lookup["status_url"])["state"] == "done"
    quiet = api.get(song["url"], params={"live": "false"}).json()
    assert quiet["lookup"] is None


def test_a_look_up_whose_runner_died_is_finished_by_another_process(
    api: TestClient, catalog: Catalog
) -> None:
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    job, mine = service.jobs.open_or_join(
        catalog.db, LookupRequest(QUERY).key, LookupRequest(QUERY).as_json(), long_ago
    )
    assert mine and service.jobs.claim(catalog.db, job.id, "dead-process", long_ago)
    done = finished(api, f"/api/v1/lookups/{job.id}")
    assert done["state"] == "done" and done["result"]["name"] == "24K Magic"
