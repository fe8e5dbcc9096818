"""Matching events to follows: who is told, why, by which channels and when."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from backends import Backend
from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.watch import events, inbox, match
from linernotes.watch.follows import add_follow
from watch_support import (
    DRAKE_GENIUS_ID,
    NOW,
    artist_by_genius_id,
    credit,
    entity,
    fake_love_payload,
    ingest_fake_love,
    new_user,
    recording_by_genius_id,
    uncredit,
    without_fake_love,
)


def _told(db: Database, account: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """(subject title, reasons) of the account's notifications, oldest first."""
    return [
        (n.event["subject"]["title"], n.reasons) for n in reversed(inbox.notifications(db, account))
    ]


def _deliveries(db: Database) -> list[tuple[int, str, int | None, str]]:
    return [
        (int(r[0]), str(r[1]), None if r[2] is None else int(r[2]), str(r[3]))
        for r in db.execute(
            "SELECT n.account_id, d.channel, d.endpoint_id, d.due_at FROM delivery d"
            " JOIN notification n ON n.id = d.notification_id ORDER BY d.id"
        )
    ]


class World:
    """A small catalog: Drake's song on his album, produced by Frank Dukes, on a chart."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.drake = entity(db, "artist", "Drake")
        self.dukes = entity(db, "artist", "Frank Dukes")
        self.starrah = entity(db, "artist", "Starrah")
        self.song = entity(db, "recording", "Fake Love")
        self.other_song = entity(db, "recording", "Other Song")
        self.album = entity(db, "release", "More Life")
        db.execute(
            "INSERT INTO track (release_id, recording_id, position) VALUES (?, ?, 1)",
            (self.album, self.song),
        )
        credit(db, self.drake, "main_artist", "recording", self.song)
        credit(db, self.drake, "main_artist", "release", self.album)
        credit(db, self.dukes, "producer", "recording", self.song)
        for date, position in (("2017-01-07", 3), ("2017-01-14", 12)):  # the latest: 12th
            db.execute(
                "INSERT INTO chart_entry (chart, date, position, recording_id, source,"
                " source_record_id) VALUES ('hot-100', ?, ?, ?, 'test', ?)",
                (date, position, self.song, date),
            )
        events.skip_pending(db)


@pytest.fixture
def world(empty: Catalog) -> World:
    return World(empty.db)


def test_person_follows_match_the_persons_changes(world: World) -> None:
    db = world.db
    fan = new_user(db, "fan@example.com")
    follow = add_follow(db, fan, "person", world.starrah)
    credit(db, world.starrah, "songwriter", "recording", world.other_song)
    credit(db, world.dukes, "songwriter", "recording", world.other_song)
    credit(db, world.dukes, "mixing_engineer", "release", world.album)  # not Starrah's
    report = match.process(db, NOW, email=True)
    assert (report.events, report.notifications) == (2, 1)
    assert _told(db, fan) == [
        (
            "Other Song",
            [
                {
                    "follow_id": follow.id,
                    "kind": "person",
                    "target": {"id": world.starrah, "name": "Starrah"},
                }
            ],
        )
    ]


def test_artist_follows_match_their_records_and_handles(world: World) -> None:
    db = world.db
    fan = new_user(db, "fan@example.com")
    add_follow(db, fan, "artist", world.drake)
    credit(db, world.starrah, "songwriter", "recording", world.song)  # on Drake's song
    credit(db, world.starrah, "songwriter", "recording", world.other_song)  # not Drake's
    db.execute(
        "INSERT INTO handle (artist_id, platform, handle) VALUES (?, 'instagram', 'champagnepapi')",
        (world.drake,),
    )
    match.process(db, NOW, email=False)
    assert [title for title, _ in _told(db, fan)] == ["Fake Love", "Drake"]
    # Drake taken off a song as main artist: the event's own change names him.
    uncredit(db, world.drake, "main_artist", "recording", world.song)
    match.process(db, NOW, email=False)
    latest = inbox.notifications(db, fan)[0]
    assert latest.event["subject"]["title"] == "Fake Love"
    assert [(c["change"], c["role"]) for c in latest.event["changes"]] == [
        ("removed", "main_artist")
    ]


def test_release_follows_match_the_release_and_its_tracks(world: World) -> None:
    db = world.db
    fan = new_user(db, "fan@example.com")
    follow = add_follow(db, fan, "release", world.album)
    credit(db, world.starrah, "songwriter", "recording", world.song)  # a track of the album
    credit(db, world.dukes, "executive_producer", "release", world.album)
    credit(db, world.dukes, "songwriter", "recording", world.other_song)  # not on it
    match.process(db, NOW, email=False)
    reason = {
        "follow_id": follow.id,
        "kind": "release",
        "target": {"id": world.album, "name": "More Life"},
    }
    assert _told(db, fan) == [("Fake Love", [reason]), ("More Life", [reason])]


def test_trending_follows_match_new_production_credits_in_the_top(world: World) -> None:
    db = world.db
    top_20, top_10 = new_user(db, "twenty@example.com"), new_user(db, "ten@example.com")
    follow = add_follow(db, top_20, "trending", chart="hot-100", top_n=20)
    add_follow(db, top_10, "trending", chart="hot-100", top_n=10)  # 12th: not in their top
    credit(db, world.starrah, "songwriter", "recording", world.song)  # not production
    match.process(db, NOW, email=False)
    assert _told(db, top_20) == []
    credit(db, world.starrah, "co_producer", "recording", world.song)
    credit(db, world.starrah, "producer", "recording", world.other_song)  # not charting
    match.process(db, NOW, email=False)
    assert _told(db, top_20) == [
        (
            "Fake Love",
            [
                {
                    "follow_id": follow.id,
                    "kind": "trending",
                    "chart": "hot-100",
                    "top_n": 20,
                    "position": 12,
                }
            ],
        )
    ]
    assert _told(db, top_10) == []


def test_one_notification_per_account_and_event_with_every_reason(world: World) -> None:
    db = world.db
    fan = new_user(db, "fan@example.com")
    by_artist = add_follow(db, fan, "artist", world.drake)
    by_person = add_follow(db, fan, "person", world.starrah)
    by_release = add_follow(db, fan, "release", world.album)
    credit(db, world.starrah, "producer", "recording", world.song)
    report = match.process(db, NOW, email=False)
    assert report.notifications == 1
    [(_, reasons)] = _told(db, fan)
    assert [r["follow_id"] for r in reasons] == sorted([by_artist.id, by_person.id, by_release.id])


def test_processing_twice_notifies_once(world: World) -> None:
    db = world.db
    fan = new_user(db, "fan@example.com")
    add_follow(db, fan, "person", world.starrah)
    inbox.add_endpoint(db, fan, "https://hooks.example.com/x")
    credit(db, world.starrah, "producer", "recording", world.song)
    first = match.process(db, NOW, email=True)
    again = match.process(db, NOW + timedelta(seconds=1), email=True)
    assert (first.notifications, first.deliveries) == (1, 2)
    assert (again.changes, again.events, again.notifications, again.deliveries) == (0, 0, 0, 0)
    assert len(inbox.notifications(db, fan)) == 1
    assert len(_deliveries(db)) == 2


def test_instant_and_daily_due_times_and_channels(world: World) -> None:
    db = world.db
    instant, daily, quiet = (new_user(db, f"{n}@example.com") for n in ("now", "daily", "quiet"))
    for account in (instant, daily, quiet):
        add_follow(db, account, "person", world.starrah)
    inbox.set_notify_settings(db, daily, mode="daily", digest_hour=7)
    inbox.set_notify_settings(db, quiet, email=False)
    hook = inbox.add_endpoint(db, daily, "https://hooks.example.com/daily")
    gone = inbox.add_endpoint(db, daily, "https://hooks.example.com/old")
    inbox.disable_endpoint(db, gone.id, "2026-01-01T00:00:00+00:00")
    credit(db, world.starrah, "producer", "recording", world.song)
    now = datetime(2026, 3, 14, 22, 58, 30, 5, tzinfo=UTC)
    match.process(db, now, email=True)
    assert sorted(_deliveries(db)) == sorted(
        [
            (instant, "email", None, "2026-03-14T22:58:30.000005+00:00"),
            (daily, "webhook", hook.id, "2026-03-15T07:00:00.000000+00:00"),
            (daily, "email", None, "2026-03-15T07:00:00.000000+00:00"),
        ]
    )
    # Before the digest hour, the digest goes out the same day; without SMTP, no email at all.
    credit(db, world.starrah, "producer", "recording", world.other_song)
    morning = datetime(2026, 3, 15, 6, 59, 59, tzinfo=UTC)
    before = len(_deliveries(db))
    match.process(db, morning, email=False)
    assert _deliveries(db)[before:] == [
        (daily, "webhook", hook.id, "2026-03-15T07:00:00.000000+00:00")
    ]


def test_next_digest_is_at_or_after_now() -> None:
    at_hour = datetime(2026, 3, 15, 7, 0, tzinfo=UTC)
    assert match.next_digest(at_hour, 7) == at_hour
    assert match.next_digest(at_hour + timedelta(microseconds=1), 7) == at_hour + timedelta(days=1)
    assert match.next_digest(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), 0) == datetime(
        2027, 1, 1, 0, 0, tzinfo=UTC
    )


def test_now_must_be_utc(world: World) -> None:
    with pytest.raises(ValueError, match="needs `now` in UTC"):
        match.process(world.db, datetime(2026, 3, 14, 22, 58), email=False)


def test_a_failure_midway_leaves_the_changes_pending(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = world.db
    fan = new_user(db, "fan@example.com")
    add_follow(db, fan, "person", world.starrah)
    credit(db, world.starrah, "producer", "recording", world.song)
    before = events.cursor(db)

    def crash(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the worker died here")

    monkeypatch.setattr(match, "queue_deliveries", crash)
    with pytest.raises(RuntimeError, match="the worker died here"):
        match.process(db, NOW, email=True)
    assert events.cursor(db) == before
    assert db.one("SELECT count(*) FROM watch_event") == (0,)
    assert inbox.notifications(db, fan) == []
    monkeypatch.undo()
    report = match.process(db, NOW, email=True)
    assert (report.events, report.notifications, report.deliveries) == (1, 1, 1)


# The realistic case: Fake Love's Genius response arriving in the demo catalog.


def _expected_changes(song: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What the response adds, read from the payload: (change, person, role), in event order."""
    producers = sorted(a["name"] for a in song["producer_artists"])
    writers = sorted(a["name"] for a in song["writer_artists"])
    return [
        *(("added", n, "producer") for n in producers),
        *(("added", n, "songwriter") for n in writers),
        ("added", song["primary_artist"]["name"], "main_artist"),
    ]


@pytest.mark.slow
def test_fake_love_arriving_notifies_drakes_followers(backend: Backend) -> None:
    catalog = Catalog.open(without_fake_love(backend, "fake_love_match"))
    try:
        db = catalog.db
        drake = artist_by_genius_id(db, DRAKE_GENIUS_ID)
        fan, stranger = new_user(db, "fan@example.com"), new_user(db, "other@example.com")
        follow = add_follow(db, fan, "artist", drake)
        add_follow(db, stranger, "artist", entity(db, "artist", "Somebody Else"))
        hook = inbox.add_endpoint(db, fan, "https://hooks.example.com/fan")
        ingest_fake_love(db)
        report = match.process(db, NOW, email=True)
        song = fake_love_payload()
        assert (report.events, report.notifications, report.deliveries) == (1, 1, 2)
        [note] = inbox.notifications(db, fan)
        assert note.reasons == [
            {"follow_id": follow.id, "kind": "artist", "target": {"id": drake, "name": "Drake"}}
        ]
        recording = recording_by_genius_id(db, str(song["id"]))
        assert note.event["subject"] == {
            "kind": "recording",
            "id": recording,
            "title": song["title"],
            "artists": [song["primary_artist"]["name"]],
            "path": f"/song/{recording}",
        }
        assert note.event["new_subject"] is True
        told = [(c["change"], c["person"]["name"], c["role"]) for c in note.event["changes"]]
        assert told == _expected_changes(song)
        assert inbox.notifications(db, stranger) == []
        assert sorted(_deliveries(db)) == sorted(
            [
                (fan, "email", None, events.stamp(NOW)),
                (fan, "webhook", hook.id, events.stamp(NOW)),
            ]
        )
        assert json.loads(str(db.execute("SELECT summary FROM watch_event")[0][0])) == note.event
    finally:
        catalog.close()


# Scale: matching is set-wise, not a loop over (event, follow) pairs.


def _scale_world(db: Database, people: int, accounts: int, follows_each: int) -> list[int]:
    with db.transaction():
        db.executemany(
            "INSERT INTO artist (id, name, folded, created_at) VALUES (?, ?, ?, 'x')",
            [(i, f"Person {i}", f"person {i}") for i in range(1, people + 1)],
        )
        db.executemany(
            "INSERT INTO recording (id, title, folded, created_at) VALUES (?, ?, ?, 'x')",
            [(i, f"Song {i}", f"song {i}") for i in range(1, people + 1)],
        )
        db.executemany(
            "INSERT INTO account (id, email, password_hash, plan, created_at)"
            " VALUES (?, ?, 'x', 'free', 'x')",
            [(a, f"user{a}@example.com") for a in range(1, accounts + 1)],
        )
        db.executemany(
            "INSERT INTO follow (account_id, kind, target_id, created_at)"
            " VALUES (?, 'person', ?, 'x')",
            [
                (a, 1 + (a * 7919 + k * 104729) % people)
                for a in range(1, accounts + 1)
                for k in range(follows_each)
            ],
        )
        db.ids_taken(["artist", "recording", "account"])
    return list(range(1, people + 1))


@pytest.mark.slow
def test_ten_thousand_events_against_ten_thousand_follows(
    empty: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    db = empty.db
    people = _scale_world(db, 10_000, 1_000, 10)
    assert db.one("SELECT count(*) FROM follow") == (10_000,)
    with db.transaction():
        db.executemany(
            "INSERT INTO credit (artist_id, role, subject_kind, subject_id)"
            " VALUES (?, 'producer', 'recording', ?)",
            [(p, p) for p in people],
        )
    started = time.perf_counter()
    report = match.process(db, NOW, email=True, limit=20_000)
    took = time.perf_counter() - started
    expected = db.one("SELECT count(DISTINCT account_id || ':' || target_id) FROM follow")
    assert expected is not None
    assert (report.events, report.notifications) == (10_000, int(expected[0]))
    assert report.deliveries == report.notifications  # one email each
    with capsys.disabled():
        print(f"\n[{db.dialect}] 10,000 events x 10,000 follows: {took:.2f} s")
    assert took < 60
