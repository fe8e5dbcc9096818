"""Trending: the top of the charts the demo holds, the recheck schedule, and a recheck through
the real HTTP layer (answered by recorded and synthetic responses) telling trending followers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from backends import Backend
from linernotes.settings import Secret
from linernotes.sources.http import HttpClient
from linernotes.sources.http_policy import Credentials
from linernotes.sources.ratelimit import FakeClock
from linernotes.sources.replay import ReplayTransport, Route, recorded_transport
from linernotes.store.catalog import Catalog
from linernotes.watch import events, inbox, match, trending
from linernotes.watch.follows import add_follow
from watch_support import NOW, new_user, recording_by_genius_id

SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic" / "genius"
NO_LIMIT = "3151905"  # "No Limit" by G-Eazy: 2nd in the demo's last Spotify day
# Genius song 3151905 with one producer more than the snapshot (see the folder's README).
NO_LIMIT_ROUTE = Route("GET", "api.genius.com", r"/songs/3151905", SYNTHETIC / "song_3151905.json")


def test_trending_billboard_keeps_rows_without_recordings(demo: Catalog) -> None:
    top = trending.trending(demo.db, "billboard-hot-100", 5)
    assert [r.position for r in top] == [1, 2, 3, 4, 5]
    assert {r.date for r in top} == {trending.latest_date(demo.db, "billboard-hot-100")}
    assert top[0].title == "Choosin' Texas"  # the chart's own text: no recording matches yet
    assert all(r.recording_id is None for r in top)


def test_trending_spotify_daily_top(demo: Catalog) -> None:
    top = trending.trending(demo.db, "spotify-us-daily-top200", 10)
    assert top and all(r.date == "2017-12-31" for r in top)
    assert [r.position for r in top] == sorted(r.position for r in top)
    assert max(r.position for r in top) <= 10
    by_title = {r.title: r for r in top}
    assert by_title["rockstar"].position == 1
    assert by_title["No Limit"].recording_id == recording_by_genius_id(demo.db, NO_LIMIT)
    assert trending.trending(demo.db, "no-such-chart", 10) == []


@pytest.fixture
def charted(backend: Backend, demo_path: Path | str) -> Iterator[Catalog]:
    """A demo catalog of the test's own, the build's changes already told."""
    catalog = Catalog.open(backend.copy(demo_path, "trending", index=False))
    events.skip_pending(catalog.db)
    yield catalog
    catalog.close()


def test_the_schedule_follows_what_is_trending_for_followers(charted: Catalog) -> None:
    db = charted.db
    assert trending.schedule_rechecks(db, NOW) == 0  # nobody follows a chart
    fan = new_user(db, "fan@example.com")
    follow = add_follow(db, fan, "trending", chart="spotify-us-daily-top200", top_n=3)
    top = {r.recording_id for r in trending.trending(db, "spotify-us-daily-top200", 3)}
    assert trending.schedule_rechecks(db, NOW) == len(top - {None})
    due = {
        int(r[0]): str(r[1])
        for r in db.execute("SELECT recording_id, next_at FROM trending_recheck")
    }
    assert set(due) == top - {None}
    assert set(due.values()) == {events.stamp(NOW)}
    add_follow(db, fan, "trending", chart="spotify-us-daily-top200", top_n=1)  # narrower now
    trending.schedule_rechecks(db, NOW + timedelta(hours=1))
    first = trending.trending(db, "spotify-us-daily-top200", 1)[0].recording_id
    assert {int(r[0]) for r in db.execute("SELECT recording_id FROM trending_recheck")} == {first}
    assert follow.id == add_follow(db, fan, "trending", chart="spotify-us-daily-top200").id


def _http(
    tmp_path: Path, credentials: Credentials, transport: ReplayTransport | None = None
) -> HttpClient:
    return HttpClient(
        transport=transport or ReplayTransport([NO_LIMIT_ROUTE, *recorded_transport().routes]),
        clock=FakeClock(),
        credentials=credentials,
        cache_dir=tmp_path / "cache",
    )


def test_a_recheck_finding_a_new_producer_tells_trending_followers(
    charted: Catalog, tmp_path: Path
) -> None:
    db = charted.db
    fan, narrow = new_user(db, "fan@example.com"), new_user(db, "narrow@example.com")
    follow = add_follow(db, fan, "trending", chart="spotify-us-daily-top200", top_n=2)
    add_follow(db, narrow, "trending", chart="spotify-us-daily-top200", top_n=1)  # 2nd: not theirs
    no_limit = recording_by_genius_id(db, NO_LIMIT)
    # Only No Limit is trending for them among records we hold a response for: the others'
    # rechecks would ask for songs nobody recorded, so they are scheduled for later.
    trending.schedule_rechecks(db, NOW)
    db.execute(
        "UPDATE trending_recheck SET next_at = ? WHERE recording_id <> ?",
        (events.stamp(NOW + timedelta(days=1)), no_limit),
    )
    with _http(tmp_path, Credentials({"GENIUS_TOKEN": Secret("g-token")})) as http:
        results = trending.run_due_rechecks(db, http, NOW, limit=10)
    assert [(r.recording_id, r.fetched, r.problems) for r in results] == [
        (no_limit, [f"genius song {NO_LIMIT}"], [])
    ]
    assert results[0].credits_added >= 1
    row = db.one(
        "SELECT last_at, next_at, last_result FROM trending_recheck WHERE recording_id = ?",
        (no_limit,),
    )
    assert row is not None
    assert row[0] == events.stamp(NOW)
    assert row[1] == events.stamp(NOW + timedelta(hours=6))  # LINERNOTES_TRENDING_RECHECK_HOURS
    report = match.process(db, NOW, email=False)
    assert report.notifications == 1
    [note] = inbox.notifications(db, fan)
    assert note.reasons == [
        {
            "follow_id": follow.id,
            "kind": "trending",
            "chart": "spotify-us-daily-top200",
            "top_n": 2,
            "position": 2,
        }
    ]
    assert note.event["subject"]["title"] == "No Limit"
    assert [(c["change"], c["person"]["name"], c["role"]) for c in note.event["changes"]] == [
        ("added", "Frank Dukes", "producer")
    ]
    assert inbox.notifications(db, narrow) == []
    # Asked again before its time, nothing is due.
    with _http(tmp_path, Credentials({"GENIUS_TOKEN": Secret("g-token")})) as http:
        assert trending.run_due_rechecks(db, http, NOW + timedelta(hours=5), limit=10) == []


def test_a_source_without_a_token_is_skipped_with_a_note(charted: Catalog, tmp_path: Path) -> None:
    db = charted.db
    fan = new_user(db, "fan@example.com")
    add_follow(db, fan, "trending", chart="spotify-us-daily-top200", top_n=2)
    transport = ReplayTransport([NO_LIMIT_ROUTE, *recorded_transport().routes])
    with _http(tmp_path, Credentials({}), transport) as http:
        results = trending.run_due_rechecks(db, http, NOW, limit=10)
    # The top two are known by their Genius ids only: both skipped, neither an error.
    assert [(r.fetched, r.skipped, r.problems) for r in results] == [
        ([], ["genius skipped: no token configured (set GENIUS_TOKEN)"], [])
    ] * 2
    assert transport.requests == []
    assert "genius skipped" in str(
        db.execute("SELECT last_result FROM trending_recheck ORDER BY recording_id")[0][0]
    )
    assert events.group(db, NOW).events == []
