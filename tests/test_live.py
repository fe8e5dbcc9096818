"""Live ingest through the HTTP layer, answered by the recorded responses (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from linernotes.cli import commands_ingest
from linernotes.cli.main import cli
from linernotes.ingest import live
from linernotes.ingest.pipeline import ingest
from linernotes.normalize.records import Problem, SourceRecord
from linernotes.settings import Secret
from linernotes.sources.http import HttpClient
from linernotes.sources.http_policy import Credentials
from linernotes.sources.ratelimit import FakeClock
from linernotes.sources.replay import ReplayTransport, Route, recorded_transport
from linernotes.store.catalog import Catalog

TOKENS = Credentials({"GENIUS_TOKEN": Secret("g-token"), "DISCOGS_TOKEN": Secret("d-token")})


# Discogs answers an unknown id with 404 and {"message": "Release not found."} (Discogs API
# documentation, "Errors"); nobody recorded one, so the test builds it.
NOT_FOUND = Route(
    "GET",
    "api.discogs.com",
    r"/releases/999999999",
    lambda request: httpx.Response(404, json={"message": "Release not found."}),
)


def client(tmp_path: Path, credentials: Credentials = TOKENS) -> HttpClient:
    return HttpClient(
        transport=ReplayTransport([*recorded_transport().routes, NOT_FOUND]),
        clock=FakeClock(),
        credentials=credentials,
        cache_dir=tmp_path / "cache",
    )


@pytest.fixture
def http(tmp_path: Path) -> Iterator[HttpClient]:
    with client(tmp_path) as c:
        yield c


def test_fetch_a_genius_song_and_ingest_its_credits(http: HttpClient, empty: Catalog) -> None:
    report = ingest(empty.db, live.stream(http, [live.Target("genius", "song", "2872960")]))
    assert report.written == 1 and not report.problems
    roles = {r[0] for r in empty.db.execute("SELECT role FROM credit")}
    assert {"producer", "mixing_engineer", "mastering_engineer"} <= roles


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        (live.Target("discogs", "release", "1"), "release"),
        (
            live.Target("musicbrainz", "recording", "cb2cc207-8125-445c-9ef9-6ea44eee959a"),
            "recording",
        ),
        (live.Target("wikidata", "entity", "Q2831"), "artist"),
    ],
)
def test_fetch_each_source(http: HttpClient, target: live.Target, kind: str) -> None:
    items = live.fetch(http, target)
    assert items and all(isinstance(i, SourceRecord) for i in items)
    record = items[0]
    assert isinstance(record, SourceRecord)
    assert getattr(record, f"{kind}s")


def test_missing_token_is_a_clear_problem_not_a_crash(tmp_path: Path) -> None:
    with client(tmp_path, Credentials({})) as http:
        (item,) = live.fetch(http, live.Target("genius", "song", "2872960"))
    assert isinstance(item, Problem) and item.kind == "source_error"
    assert "GENIUS_TOKEN" in item.message


def test_unknown_record_is_reported_with_the_source(http: HttpClient) -> None:
    (item,) = live.fetch(http, live.Target("discogs", "release", "999999999"))
    assert isinstance(item, Problem)
    assert "discogs" in item.message and "Release not found" in item.message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://open.spotify.com/track/2gFvRmQiWg9fN9i74Q0aiw?si=x",
            ("spotify", "track", "2gFvRmQiWg9fN9i74Q0aiw"),
        ),
        (
            "https://musicbrainz.org/recording/cb2cc207-8125-445c-9ef9-6ea44eee959a",
            ("musicbrainz", "recording", "cb2cc207-8125-445c-9ef9-6ea44eee959a"),
        ),
        (
            "https://www.discogs.com/release/9343063-Elton-John-Duets",
            ("discogs", "release", "9343063"),
        ),
        ("https://www.discogs.com/master/126944", ("discogs", "master", "126944")),
        ("https://www.wikidata.org/wiki/Q2831", ("wikidata", "entity", "Q2831")),
        ("https://genius.com/albums/229460", ("genius", "album", "229460")),
    ],
)
def test_links_become_targets(url: str, expected: tuple[str, str, str]) -> None:
    target = live.parse_url(url)
    assert target is not None and (target.source, target.kind, target.key) == expected
    assert live.parse_url("https://example.com/track/1") is None


def test_cli_ingest_url_shows_a_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands_ingest, "http_client", lambda: client(tmp_path))
    db = ["--db", str(tmp_path / "c.sqlite3")]
    result = CliRunner().invoke(
        cli,
        [*db, "ingest", "url", "https://www.wikidata.org/wiki/Q2831"],
        env={"LINERNOTES_DEMO": "0"},
    )
    assert result.exit_code == 0, result.output
    assert "1 records read" in result.output and "1 new" in result.output
    shown = CliRunner().invoke(
        cli, [*db, "handle", "Michael Jackson"], env={"LINERNOTES_DEMO": "0"}
    )
    assert "michaeljackson" in shown.output and "Wikidata" in shown.output
    bad = CliRunner().invoke(
        cli, [*db, "ingest", "url", "https://example.com/x"], env={"LINERNOTES_DEMO": "0"}
    )
    assert bad.exit_code == 2 and "not a link to a record" in bad.output
