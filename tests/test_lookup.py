"""Live look-ups: a record the catalog has never seen is found at the sources while the user
waits, written with its provenance, and the next identical search is answered from the catalog.

The sources answer from recorded responses (tests/lookup_support.py); each source has its own
fake clock, so budgets, rate limits and Retry-After run on a timeline, never by sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from backends import Backend
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
