"""Follows, notification settings, webhook endpoints and the inbox: what the faces build on."""

from __future__ import annotations

import base64
import json

import pytest

from linernotes.store.catalog import Catalog
from linernotes.store.db import Database
from linernotes.watch import follows as fw
from linernotes.watch import inbox
from watch_support import new_user


def _artist(db: Database, name: str) -> int:
    row = db.one(
        "INSERT INTO artist (name, folded, created_at) VALUES (?, ?, 'x') RETURNING id",
        (name, name.lower()),
    )
    assert row is not None
    return int(row[0])


def _release(db: Database, title: str) -> int:
    row = db.one(
        "INSERT INTO release (title, folded, created_at) VALUES (?, ?, 'x') RETURNING id",
        (title, title.lower()),
    )
    assert row is not None
    return int(row[0])


def _chart(db: Database, chart: str, recording_title: str = "Song") -> None:
    row = db.one(
        "INSERT INTO recording (title, folded, created_at) VALUES (?, ?, 'x') RETURNING id",
        (recording_title, recording_title.lower()),
    )
    assert row is not None
    db.execute(
        "INSERT INTO chart_entry (chart, date, position, recording_id, source, source_record_id)"
        " VALUES (?, '2017-01-07', 1, ?, 'test', 'x')",
        (chart, row[0]),
    )


def test_following_is_idempotent_and_named(empty: Catalog) -> None:
    db = empty.db
    user = new_user(db, "fan@example.com")
    drake = _artist(db, "Drake")
    first = fw.add_follow(db, user, "artist", drake, at="2026-01-01T00:00:00+00:00")
    again = fw.add_follow(db, user, "artist", drake)
    assert again == first
    assert first.target_name == "Drake"
    assert first.created_at == "2026-01-01T00:00:00+00:00"
    assert fw.follows(db, user) == [first]
    # Following the same artist as a person is another follow (their own credits, not records').
    as_person = fw.add_follow(db, user, "person", drake)
    assert as_person.id != first.id
    assert fw.follow_of(db, user, "person", drake) == as_person
    assert fw.follow_of(db, user, "release", drake) is None


def test_follows_are_per_account(empty: Catalog) -> None:
    db = empty.db
    one, other = new_user(db, "one@example.com"), new_user(db, "other@example.com")
    album = _release(db, "More Life")
    mine = fw.add_follow(db, one, "release", album)
    assert mine.target_name == "More Life"
    assert fw.follows(db, other) == []
    assert not fw.remove_follow(db, other, mine.id)  # not theirs to remove
    assert fw.remove_follow(db, one, mine.id)
    assert not fw.remove_follow(db, one, mine.id)
    assert fw.follows(db, one) == []


@pytest.mark.parametrize(
    ("kind", "target", "message"),
    [
        ("artist", 99, "no artist with id 99"),
        ("person", 98, "no person with id 98"),
        ("release", 97, "no release with id 97"),
        ("label", 1, "unknown follow kind 'label'"),
    ],
)
def test_bad_follow_targets_say_what(empty: Catalog, kind: str, target: int, message: str) -> None:
    user = new_user(empty.db, "fan@example.com")
    with pytest.raises(fw.FollowError, match=message):
        fw.add_follow(empty.db, user, kind, target)


def test_trending_follows_check_chart_and_top(
    empty: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = empty.db
    user = new_user(db, "fan@example.com")
    _chart(db, "billboard-hot-100")
    assert fw.charts(db) == ["billboard-hot-100"]
    with pytest.raises(fw.FollowError, match=r"no chart 'spotify' .*billboard-hot-100"):
        fw.add_follow(db, user, "trending", chart="spotify")
    with pytest.raises(fw.FollowError, match=r"top_n must be 1\.\.200, got 201"):
        fw.add_follow(db, user, "trending", chart="billboard-hot-100", top_n=201)
    with pytest.raises(fw.FollowError, match="needs a chart"):
        fw.add_follow(db, user, "trending")
    monkeypatch.setenv("LINERNOTES_TRENDING_TOP", "15")
    made = fw.add_follow(db, user, "trending", chart="billboard-hot-100")
    assert (made.top_n, made.target_id, made.target_name) == (15, 0, "billboard-hot-100")
    # Following the chart again with another top changes the top, not the number of follows.
    again = fw.add_follow(db, user, "trending", chart="billboard-hot-100", top_n=5)
    assert (again.id, again.top_n) == (made.id, 5)
    assert len(fw.follows(db, user)) == 1


def test_notify_settings_defaults_changes_and_errors(empty: Catalog) -> None:
    db = empty.db
    user = new_user(db, "fan@example.com")
    made = inbox.notify_settings(db, user)
    assert (made.mode, made.digest_hour, made.email) == ("instant", 8, True)
    assert inbox.notify_settings(db, user) == made  # one row, one token
    changed = inbox.set_notify_settings(db, user, mode="daily", digest_hour=23, email=False)
    assert (changed.mode, changed.digest_hour, changed.email) == ("daily", 23, False)
    assert changed.feed_token == made.feed_token
    with pytest.raises(ValueError, match="mode must be one of instant, daily, got 'weekly'"):
        inbox.set_notify_settings(db, user, mode="weekly")
    with pytest.raises(ValueError, match=r"digest_hour must be a whole hour 0\.\.23"):
        inbox.set_notify_settings(db, user, digest_hour=24)
    assert inbox.notify_settings(db, user) == changed


def test_feed_token_finds_the_account_until_reset(empty: Catalog) -> None:
    db = empty.db
    user, other = new_user(db, "fan@example.com"), new_user(db, "other@example.com")
    token = inbox.notify_settings(db, user).feed_token
    assert len(token) >= 32
    assert inbox.notify_settings(db, other).feed_token != token
    assert inbox.account_by_feed_token(db, token) == user
    fresh = inbox.reset_feed_token(db, user)
    assert fresh != token
    assert inbox.account_by_feed_token(db, token) is None
    assert inbox.account_by_feed_token(db, fresh) == user
    assert inbox.account_by_feed_token(db, "") is None


def test_endpoints_get_a_standard_webhooks_secret(empty: Catalog) -> None:
    db = empty.db
    user = new_user(db, "fan@example.com")
    made = inbox.add_endpoint(db, user, "https://hooks.example.com/linernotes")
    assert made.secret.startswith("whsec_")
    assert len(base64.b64decode(made.secret.removeprefix("whsec_"))) == 24
    assert inbox.add_endpoint(db, user, "https://hooks.example.com/linernotes") == made
    other = inbox.add_endpoint(db, user, "http://[2001:db8::1]:8080/x")
    assert other.secret != made.secret
    assert [e.url for e in inbox.endpoints(db, user)] == [made.url, other.url]
    assert inbox.remove_endpoint(db, user, made.id)
    assert not inbox.remove_endpoint(db, user, made.id)
    assert inbox.endpoints(db, user) == [other]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/x", "must start with http:// or https://"),
        ("https:///path", "has no host"),
        ("https://user:pw@example.com/", "must not carry a user or password"),
        ("https://example.com:99999/", "is not a valid URL"),
        ("example.com/hook", "must start with http:// or https://"),
    ],
)
def test_endpoint_urls_of_a_bad_shape_are_refused(empty: Catalog, url: str, message: str) -> None:
    user = new_user(empty.db, "fan@example.com")
    with pytest.raises(ValueError, match=message):
        inbox.add_endpoint(empty.db, user, url)
    assert inbox.endpoints(empty.db, user) == []


def _notify(db: Database, account: int, title: str) -> int:
    summary = {"id": "evt_x", "type": "credits.changed", "subject": {"title": title}}
    event = db.one(
        "INSERT INTO watch_event (kind, subject_kind, subject_id, summary, created_at)"
        " VALUES ('credits', 'recording', 1, ?, 't') RETURNING id",
        (json.dumps(summary),),
    )
    assert event is not None
    row = db.one(
        "INSERT INTO notification (account_id, event_id, reasons, created_at)"
        " VALUES (?, ?, '[{\"kind\": \"artist\"}]', 't') RETURNING id",
        (account, event[0]),
    )
    assert row is not None
    return int(row[0])


def test_inbox_newest_first_pages_and_marks_read(empty: Catalog) -> None:
    db = empty.db
    user, other = new_user(db, "fan@example.com"), new_user(db, "other@example.com")
    ids = [_notify(db, user, f"Song {i}") for i in range(5)]
    _notify(db, other, "Not yours")
    listed = inbox.notifications(db, user)
    assert [n.id for n in listed] == ids[::-1]
    assert listed[0].event["subject"]["title"] == "Song 4"
    assert listed[0].reasons == [{"kind": "artist"}]
    page = inbox.notifications(db, user, limit=2, before=ids[3])
    assert [n.id for n in page] == [ids[2], ids[1]]
    assert inbox.unread_count(db, user) == 5
    assert inbox.mark_read(db, user, [ids[0], ids[1]], "2026-03-15T00:00:00+00:00") == 2
    assert inbox.mark_read(db, user, [ids[0]], "2026-03-15T00:00:01+00:00") == 0  # read already
    assert inbox.unread_count(db, user) == 3
    unread = inbox.notifications(db, user, unread_only=True)
    assert [n.id for n in unread] == ids[:1:-1]
    assert inbox.mark_read(db, other, [ids[2]], "t") == 0  # not theirs
    assert inbox.mark_read(db, user, None, "2026-03-15T00:00:02+00:00") == 3
    assert inbox.unread_count(db, user) == 0
    assert inbox.unread_count(db, other) == 1
    first = inbox.notifications(db, user)[-1]
    assert first.read_at == "2026-03-15T00:00:00+00:00"
